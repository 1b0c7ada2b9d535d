//! Byte encodings shared by the formats: base64 in the frameworks' flavours (including Python's
//! lenient decoder), big-endian integers, base62 and zlib with a hard output limit.

use std::io::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// Decompressed payloads larger than this are refused: a zlib bomb gets an error, not an OOM.
/// Browsers cap a cookie at about 4 KiB, so 8 MiB is generous for anything genuine.
pub const MAX_DECOMPRESSED: usize = 8 * 1024 * 1024;

/// `base64.urlsafe_b64encode(data).rstrip(b"=")`.
pub fn b64url_nopad(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// `base64.b64encode(data)`: standard alphabet, padded.
pub fn b64std(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Why base64 text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum B64Error {
    /// A number of data characters that no encoder produces (4n + 1).
    #[error("invalid base64: {0} data characters cannot be 1 more than a multiple of 4")]
    Length(usize),
    /// Missing `=` padding where the decoder needs it.
    #[error("invalid base64: incorrect padding")]
    Padding,
}

/// Python's non-validating `binascii.a2b_base64` (what `base64.b64decode(s)` does with
/// `validate=False`): characters outside the alphabet are skipped, decoding stops at a complete
/// padding sequence, and leftover data characters are an error.
pub fn py_a2b_base64(text: &[u8]) -> Result<Vec<u8>, B64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut quad_pos = 0u8;
    let mut left: u8 = 0;
    let mut pads = 0usize;
    for &ch in text {
        if ch == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if usize::from(quad_pos) + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(v) = std_b64_value(ch) else {
            continue;
        };
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push(left << 2 | v >> 4);
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push(left << 4 | v >> 2);
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push(left << 6 | v);
                left = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(out),
        1 => Err(B64Error::Length(out.len() / 3 * 4 + 1)),
        _ => Err(B64Error::Padding),
    }
}

/// [`itsdangerous_b64decode`], also saying whether `text` was the canonical unpadded URL-safe
/// spelling of the bytes (the common case, decoded on a fast path).
pub fn itsdangerous_b64decode_checked(text: &[u8]) -> Result<(Vec<u8>, bool), B64Error> {
    match URL_SAFE_NO_PAD.decode(text) {
        Ok(bytes) => Ok((bytes, true)),
        Err(_) => itsdangerous_b64decode(text).map(|bytes| (bytes, false)),
    }
}

/// itsdangerous's `base64_decode` as `unsign` calls it, on bytes: padding is added for the raw
/// byte length, the URL-safe alphabet is translated to the standard one (so `+` and `/` are
/// accepted too), then Python's lenient decoder skips every byte outside the alphabet
/// (non-ASCII bytes included).
pub fn itsdangerous_b64decode(text: &[u8]) -> Result<Vec<u8>, B64Error> {
    if let Ok(bytes) = URL_SAFE_NO_PAD.decode(text) {
        return Ok(bytes);
    }
    let pad = (4 - text.len() % 4) % 4;
    let buf: Vec<u8> = text
        .iter()
        .map(|&b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .chain(std::iter::repeat_n(b'=', pad))
        .collect();
    py_a2b_base64(&buf)
}

fn std_b64_value(ch: u8) -> Option<u8> {
    match ch {
        b'A'..=b'Z' => Some(ch - b'A'),
        b'a'..=b'z' => Some(ch - b'a' + 26),
        b'0'..=b'9' => Some(ch - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Node's `Buffer.from(text, "base64")`: both alphabets, characters outside them skipped,
/// decoding stops at the first `=`, a trailing partial group gives what it can.
pub fn node_b64decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut n = 0;
    for &ch in text {
        let v = match ch {
            b'=' => break,
            b'-' => 62,
            b'_' => 63,
            other => match std_b64_value(other) {
                Some(v) => v,
                None => continue,
            },
        };
        acc = acc << 6 | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    out
}

/// itsdangerous's `int_to_bytes`: big-endian, leading zero bytes stripped (0 gives no bytes).
pub fn int_to_bytes(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes[first..].to_vec()
}

/// itsdangerous's `bytes_to_int` for values that fit in an `i64` (Unix seconds); `None` for
/// larger numbers, which no real clock produces.
pub fn bytes_to_int(bytes: &[u8]) -> Option<i64> {
    let significant = &bytes[bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len())..];
    if significant.len() > 8 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in significant {
        n = n << 8 | u64::from(b);
    }
    i64::try_from(n).ok()
}

/// `zlib.compress(data)` (level 6, zlib wrapper), byte-identical with CPython's.
pub fn zlib_compress(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// Why compressed data could not be inflated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InflateError {
    /// Not a complete zlib stream.
    #[error("not valid zlib data: {0}")]
    Corrupt(String),
    /// The output would exceed [`MAX_DECOMPRESSED`].
    #[error("decompresses to more than {} MiB (a zlib bomb?)", MAX_DECOMPRESSED / (1024 * 1024))]
    TooLarge,
}

/// `zlib.decompress(data)`, refusing output beyond `limit` bytes. Like Python's, it rejects a
/// stream that ends before its end marker and ignores bytes after it.
pub fn zlib_decompress(data: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(limit) + 64);
    zlib_decompress_into(data, limit, &mut out).map(|()| out)
}

/// [`zlib_decompress`] into `out` (cleared first), for a caller that inflates many small
/// streams through one buffer: the same answers, without an allocation per stream.
pub fn zlib_decompress_into(
    data: &[u8],
    limit: usize,
    out: &mut Vec<u8>,
) -> Result<(), InflateError> {
    thread_local! {
        // One inflater (and its 32 KiB window) per thread, reset for every stream.
        static INFLATER: std::cell::RefCell<flate2::Decompress> =
            std::cell::RefCell::new(flate2::Decompress::new(true));
    }
    out.clear();
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut d) => {
            d.reset(true);
            inflate(&mut d, data, limit, out)
        }
        Err(_) => inflate(&mut flate2::Decompress::new(true), data, limit, out),
    })
}

fn inflate(
    d: &mut flate2::Decompress,
    data: &[u8],
    limit: usize,
    out: &mut Vec<u8>,
) -> Result<(), InflateError> {
    loop {
        if out.len() == out.capacity() {
            if out.len() > limit {
                return Err(InflateError::TooLarge);
            }
            out.reserve((out.len()).clamp(4096, 1024 * 1024));
        }
        let consumed = usize::try_from(d.total_in()).unwrap_or(usize::MAX);
        let input = data.get(consumed..).unwrap_or_default();
        let before = (d.total_in(), d.total_out());
        let status = d
            .decompress_vec(input, out, flate2::FlushDecompress::None)
            .map_err(|e| InflateError::Corrupt(e.to_string()))?;
        if out.len() > limit {
            return Err(InflateError::TooLarge);
        }
        match status {
            flate2::Status::StreamEnd => return Ok(()),
            _ if (d.total_in(), d.total_out()) == before && out.len() < out.capacity() => {
                return Err(InflateError::Corrupt(
                    "incomplete or truncated stream".into(),
                ));
            }
            _ => {}
        }
    }
}

/// Django's base62 alphabet.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `django.core.signing.b62_encode`.
pub fn b62_encode(n: i64) -> String {
    if n == 0 {
        return "0".into();
    }
    let negative = n < 0;
    let mut v = n.unsigned_abs();
    let mut digits = Vec::new();
    while v > 0 {
        digits.push(BASE62[(v % 62) as usize]);
        v /= 62;
    }
    if negative {
        digits.push(b'-');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// `django.core.signing.b62_decode` as Django reads timestamps: `None` for an empty text or a
/// character outside the alphabet; `"-"` alone is 0; values beyond 128 bits saturate.
pub fn b62_decode_wide(text: &str) -> Option<i128> {
    if text.is_empty() {
        return None;
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut n: i128 = 0;
    for ch in digits.bytes() {
        let d = BASE62.iter().position(|&c| c == ch)?;
        n = n.saturating_mul(62).saturating_add(d as i128);
    }
    Some(if negative { -n } else { n })
}

/// `django.core.signing.b62_decode`; `None` for characters outside the alphabet or overflow.
pub fn b62_decode(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut n: i64 = 0;
    for ch in digits.bytes() {
        let d = BASE62.iter().position(|&c| c == ch)?;
        n = n.checked_mul(62)?.checked_add(i64::try_from(d).ok()?)?;
    }
    Some(if negative { -n } else { n })
}

/// Decodes `%XX` escapes (as `decodeURIComponent` and Rack do); `None` when the text has no
/// escape at all or the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'%') {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&b| hex_digit(b)),
                bytes.get(i + 2).and_then(|&b| hex_digit(b)),
            )
        {
            out.push(hi << 4 | lo);
            i += 3;
            changed = true;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_lenient_base64_matches_cpython() {
        // Values checked against CPython 3.11's base64.urlsafe_b64decode.
        assert_eq!(itsdangerous_b64decode(b"YWJj").as_deref(), Ok(&b"abc"[..]));
        assert_eq!(itsdangerous_b64decode(b"YWJj=").as_deref(), Ok(&b"abc"[..]));
        assert_eq!(py_a2b_base64(b"YW=Jj").as_deref(), Ok(&b"abc"[..]));
        assert_eq!(py_a2b_base64(b"YW==Jj").as_deref(), Ok(&b"a"[..]));
        assert_eq!(py_a2b_base64(b"YWJjZ==="), Err(B64Error::Length(5)));
        assert_eq!(py_a2b_base64(b"YWJjZA"), Err(B64Error::Padding));
        // Stray characters are skipped, non-ASCII dropped before padding is computed.
        assert_eq!(
            itsdangerous_b64decode("YW!Jj".as_bytes()).as_deref(),
            Ok(&b"abc"[..])
        );
        assert_eq!(
            itsdangerous_b64decode("YWJjé".as_bytes()).as_deref(),
            Ok(&b"abc"[..])
        );
        assert_eq!(
            itsdangerous_b64decode_checked(b"YWJj"),
            Ok((b"abc".to_vec(), true))
        );
        assert_eq!(
            itsdangerous_b64decode_checked(b"YWJj="),
            Ok((b"abc".to_vec(), false))
        );
        assert_eq!(
            itsdangerous_b64decode_checked(b"YR"),
            Ok((b"a".to_vec(), false))
        );
        // The unused low bits of the last character are ignored.
        assert_eq!(itsdangerous_b64decode(b"YQ").as_deref(), Ok(&b"a"[..]));
        assert_eq!(itsdangerous_b64decode(b"YR").as_deref(), Ok(&b"a"[..]));
    }

    #[test]
    fn node_base64_is_lenient() {
        // Buffer.from(s, "base64").toString() in Node 20.
        assert_eq!(node_b64decode(b"eyJrIjoiPj4-Pz8_In0"), br#"{"k":">>>???"}"#);
        assert_eq!(node_b64decode(b"YW!Jj"), b"abc");
        assert_eq!(node_b64decode(b"YQ==YWJj"), b"a");
        assert_eq!(node_b64decode(b"YWJjZ"), b"abc");
    }

    #[test]
    fn timestamps_are_minimal_big_endian() {
        assert_eq!(int_to_bytes(0), Vec::<u8>::new());
        assert_eq!(int_to_bytes(1_767_225_000), vec![0x69, 0x55, 0xb6, 0xa8]);
        assert_eq!(b64url_nopad(&int_to_bytes(1_767_225_000)), "aVW2qA");
        assert_eq!(bytes_to_int(&[0x69, 0x55, 0xb6, 0xa8]), Some(1_767_225_000));
        assert_eq!(bytes_to_int(&[]), Some(0));
        assert_eq!(bytes_to_int(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), Some(1));
        assert_eq!(bytes_to_int(&[1, 0, 0, 0, 0, 0, 0, 0, 0]), None);
        assert_eq!(bytes_to_int(&[0x80, 0, 0, 0, 0, 0, 0, 0]), None);
    }

    #[test]
    fn zlib_matches_cpython_and_refuses_bombs() {
        // zlib.compress(b'{"_fresh":false,...}') from CPython 3.11 with zlib 1.2.13.
        let data = br#"{"_fresh":false,"cart":[{"id":0,"qty":1}],"csrf_token":"aaabbbbbbbb"}"#;
        let expected = "789cab568a4f2b4a2dce50b24a4bcc294ed5514a4e2c2a51b28aae56ca4c51b232d0512a2ca954b232ac8d05ca1417a5c597e467a7e6295929252626264181522d001e6a1700";
        let got: String = zlib_compress(data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(
            zlib_decompress(&zlib_compress(data), 1024).as_deref(),
            Ok(&data[..])
        );
        let bomb = zlib_compress(&vec![0u8; 4 * 1024 * 1024]);
        assert_eq!(
            zlib_decompress(&bomb, 1024 * 1024),
            Err(InflateError::TooLarge)
        );
        let truncated = &zlib_compress(data)[..20];
        assert!(matches!(
            zlib_decompress(truncated, 1024),
            Err(InflateError::Corrupt(_))
        ));
        assert!(matches!(
            zlib_decompress(b"not zlib", 1024),
            Err(InflateError::Corrupt(_))
        ));
    }

    #[test]
    fn base62_round_trip() {
        // Django's TimestampSigner wrote `1vb5x2` at 1767225000 (../shared/contract.md).
        assert_eq!(b62_encode(1_767_225_000), "1vb5x2");
        for n in [0, 1, 61, 62, -1, -62, 1_767_225_000, i64::MAX, i64::MIN + 1] {
            assert_eq!(b62_decode(&b62_encode(n)), Some(n), "{n}");
        }
        assert_eq!(b62_decode("!"), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(
            percent_decode("s%3Aabc.d%2Bx").as_deref(),
            Some("s:abc.d+x")
        );
        assert_eq!(percent_decode("plain"), None);
        assert_eq!(percent_decode("100%"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
