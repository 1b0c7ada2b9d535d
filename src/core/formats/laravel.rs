//! Laravel encrypted cookies: `Illuminate\Cookie\Middleware\EncryptCookies` over
//! `Illuminate\Encryption\Encrypter` and `Illuminate\Cookie\CookieValuePrefix` (Laravel 11).
//!
//! ```text
//! APP_KEY     = "base64:" b64(32 random bytes)  (AES-256; 16 bytes for AES-128), or raw bytes
//! plaintext   = hex(HMAC-SHA1(key, NAME "v2")) "|" value      Laravel >= 6.18.27 / 7.22.4
//!             | value                                         older apps (variant no-prefix)
//! CBC         = iv: 16 random bytes, value = b64(AES-CBC-PKCS7(key, iv, plaintext)),
//!               mac = hex(HMAC-SHA256(key, b64(iv) . value)), tag = ""
//! GCM         = iv: 12 random bytes, value = b64(ct), tag = b64(16-byte tag), mac = ""
//! cookie      = rawurlencode(b64(json_encode({"iv","value","mac","tag"}, UNESCAPED_SLASHES)))
//! ```
//!
//! Decryption follows `Encrypter::decrypt`: the envelope must hold string `iv`, `value`, `mac`
//! (and a string `tag` if any), the IV must strict-decode to the cipher's IV length; CBC keys are
//! tried in order (`APP_KEY`, then `APP_PREVIOUS_KEYS`) until one's MAC matches and it decrypts;
//! GCM keys until one opens it. `EncryptCookies` then checks the prefix against every key and
//! nulls the cookie when it is missing or made for another name: Signet reports that as
//! `bad-signature` with no key (the key opened it, but the app never sees the value), as Rails
//! purpose mismatches are.
//!
//! Fixtures (tests/vectors/laravel.json, and the interop test that has Laravel read cookies Signet
//! encrypts) come from the real framework: Debian 12's php-laravel-framework 8.83 split packages
//! (php-illuminate-encryption, php-illuminate-cookie), whose unmodified `Encrypter`,
//! `CookieValuePrefix` and `EncryptCookies` middleware tests/interop/laravel/laravel_cookies.php
//! drives. Every cookie they write is byte for byte what this module writes for the same IV, and
//! every verdict agrees. Where Laravel 8.83 and 11 differ, Signet keeps Laravel 11's behaviour
//! (the current release, whose `APP_PREVIOUS_KEYS` users rotate with):
//! * 8.83 has no `APP_PREVIOUS_KEYS`. The fixtures try one real 8.83 `Encrypter` (and
//!   `EncryptCookies`) per key, in order, which equals Laravel 11's key loop for any cookie Laravel
//!   wrote (encrypted and prefixed with the same key). Laravel 11 also accepts a prefix made with
//!   another key of the list than the one that decrypts (`CookieValuePrefix::validate` over all
//!   keys), and once a key's MAC matched it tries later keys without the MAC; 8.83 has neither, so
//!   no fixture covers them (the unit test `laravel_11_key_list_leniencies` does).
//! * 8.83's `validPayload` only `isset()`s the fields, so a non-string `value` fails its MAC check
//!   rather than 11's "The payload is invalid."; both null the cookie, Signet says `malformed`.
//!
//! Key material: a key given as text `base64:...` is decoded as Laravel's `parseKey` does; raw
//! keys of 16 or 32 bytes are used as they are; 44 (24) characters of base64 giving 32 (16) bytes
//! are read as an `APP_KEY` pasted without its prefix. Laravel refuses any other length; Signet
//! refuses the shorter ones and uses longer raw keys (more than 32 bytes) as PHP's own primitives
//! would if Laravel let them through: `openssl_*` takes the first 32 bytes as the AES-256 key,
//! `hash_hmac` the whole key (a warning note says so).
//!
//! Deliberately stricter than PHP: the outer base64 must be canonical and the envelope the JSON
//! Laravel writes (keys `iv, value, mac[, tag]` in that order, slashes escaped throughout or not
//! at all). PHP's `base64_decode` skips stray characters and `json_decode` takes any key order or
//! extra keys, so a hand-edited cookie Laravel still reads is reported `malformed` with a note.

use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::core::encoding::{b64std, percent_decode};
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, Malformed, ParamError, Part, PartKind, SignError, Verdict, Verification,
    VerifyOptions,
};
use crate::core::secret::Secret;
use crate::core::{CookieFormat, Detection, Verifier};

/// Cookie values past this size are refused before decoding (browsers stop at ~4 KiB).
const MAX_VALUE: usize = 64 * 1024;
/// The names Laravel itself sets, tried when the cookie's name is unknown.
const KNOWN_NAMES: &[&str] = &["laravel_session", "XSRF-TOKEN"];

/// The `laravel` format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Laravel;

/// The cipher mode (the AES key size follows the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// AES-CBC with PKCS#7 padding and an HMAC-SHA256 MAC (Laravel's default).
    Cbc,
    /// AES-GCM (`tag`, no MAC).
    Gcm,
}

impl Mode {
    fn iv_len(self) -> usize {
        match self {
            Mode::Cbc => 16,
            Mode::Gcm => 12,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Cbc => "CBC",
            Mode::Gcm => "GCM",
        }
    }
}

/// What `variant` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Options {
    /// The app's cipher: mode and, when given, AES key size in bytes.
    cipher: Option<(Mode, Option<usize>)>,
    /// No `CookieValuePrefix` (Laravel before 6.18.27 / 7.22.4).
    no_prefix: bool,
}

fn options(params: &FormatParams) -> Result<Options, ParamError> {
    let mut o = Options::default();
    for token in params
        .variant
        .as_deref()
        .unwrap_or_default()
        .split([',', '+'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        match token.to_ascii_lowercase().as_str() {
            "aes-256-cbc" => o.cipher = Some((Mode::Cbc, Some(32))),
            "aes-128-cbc" => o.cipher = Some((Mode::Cbc, Some(16))),
            "aes-256-gcm" => o.cipher = Some((Mode::Gcm, Some(32))),
            "aes-128-gcm" => o.cipher = Some((Mode::Gcm, Some(16))),
            "cbc" => o.cipher = Some((Mode::Cbc, None)),
            "gcm" => o.cipher = Some((Mode::Gcm, None)),
            "no-prefix" | "laravel-5" | "laravel-5.6" | "legacy" => o.no_prefix = true,
            "prefix" | "laravel-11" | "laravel-10" | "laravel-9" | "laravel-8" => {}
            other => {
                return Err(ParamError(format!(
                    "Laravel variants: a cipher (aes-256-cbc, the default, aes-256-gcm, aes-128-cbc, aes-128-gcm) and/or no-prefix (apps before Laravel 6.18.27 / 7.22.4), comma-separated; not {other:?}"
                )));
            }
        }
    }
    Ok(o)
}

/// PHP's `base64_decode($text, $strict)`: non-strict skips every character outside the alphabet
/// (and `=` anywhere); strict skips whitespace only, refuses other stray characters, data after
/// padding, a lone last character and wrong padding, but accepts missing padding. Neither checks
/// the unused low bits of the last character.
pub fn php_base64_decode(text: &[u8], strict: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let (mut i, mut padding, mut acc) = (0usize, 0usize, 0u8);
    for &c in text {
        if c == b'=' {
            padding += 1;
            continue;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'\t' | b'\n' | b'\r' | b' ' => continue,
            _ if strict => return None,
            _ => continue,
        };
        if strict && padding > 0 {
            return None;
        }
        match i % 4 {
            0 => acc = v << 2,
            1 => {
                out.push(acc | v >> 4);
                acc = (v & 0x0f) << 4;
            }
            2 => {
                out.push(acc | v >> 2);
                acc = (v & 0x03) << 6;
            }
            _ => out.push(acc | v),
        }
        i += 1;
    }
    if strict && (i % 4 == 1 || (padding > 0 && (padding > 2 || (i + padding) % 4 != 0))) {
        return None;
    }
    Some(out)
}

/// `rawurlencode` for the characters a base64 cookie value holds.
fn raw_url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 12);
    for c in text.chars() {
        match c {
            '+' => out.push_str("%2B"),
            '/' => out.push_str("%2F"),
            '=' => out.push_str("%3D"),
            c => out.push(c),
        }
    }
    out
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `CookieValuePrefix::create($name, $key)`: 40 hex digits and `|`.
pub fn value_prefix(name: &str, key: &[u8]) -> String {
    let mac = KeyedMac::new(Digest::Sha1, key).tag(&[name.as_bytes(), b"v2"]);
    format!("{}|", hex_lower(mac.as_bytes()))
}

/// Whether `text` starts with something shaped like a prefix (40 lower-case hex and `|`).
fn has_prefix_shape(text: &[u8]) -> bool {
    text.len() >= 41
        && text[40] == b'|'
        && text[..40]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

/// One key as Laravel's `Encrypter` holds it, with how it was read.
struct AppKey {
    index: usize,
    bytes: Zeroizing<Vec<u8>>,
    note: Option<String>,
}

impl AppKey {
    /// The AES key: the whole key, or its first 32 bytes (what openssl uses of a longer one).
    fn aes(&self) -> &[u8] {
        if self.bytes.len() > 32 {
            &self.bytes[..32]
        } else {
            &self.bytes
        }
    }

    fn aes_size(&self) -> usize {
        self.aes().len()
    }
}

/// Reads one key: `base64:` text, raw 16/32 bytes, prefix-less base64 text, or longer raw bytes.
fn app_key(index: usize, secret: &Secret) -> Result<AppKey, ParamError> {
    let raw = secret.expose();
    let which = if index == 0 {
        "APP_KEY".to_string()
    } else {
        format!("key #{index} (APP_PREVIOUS_KEYS)")
    };
    if let Some(rest) = raw.strip_prefix(b"base64:") {
        // Laravel's parseKey: base64_decode(Str::after($key, 'base64:')), not strict.
        let bytes = Zeroizing::new(php_base64_decode(rest, false).unwrap_or_default());
        if bytes.len() != 16 && bytes.len() != 32 {
            return Err(ParamError(format!(
                "{which} is base64: text of {} bytes; Laravel's Encrypter needs 32 (AES-256) or 16 (AES-128)",
                bytes.len()
            )));
        }
        return Ok(AppKey {
            index,
            bytes,
            note: None,
        });
    }
    match raw.len() {
        16 | 32 => Ok(AppKey {
            index,
            bytes: Zeroizing::new(raw.to_vec()),
            note: None,
        }),
        24 | 44
            if STANDARD
                .decode(raw)
                .is_ok_and(|b| b.len() == if raw.len() == 44 { 32 } else { 16 }) =>
        {
            let bytes = Zeroizing::new(STANDARD.decode(raw).unwrap_or_default());
            Ok(AppKey {
                index,
                bytes,
                note: Some(format!(
                    "{which} read as base64 (an APP_KEY pasted without its \"base64:\" prefix)"
                )),
            })
        }
        n if n > 32 => Ok(AppKey {
            index,
            bytes: Zeroizing::new(raw.to_vec()),
            note: Some(format!(
                "{which} has {n} bytes: Laravel's Encrypter refuses it (\"Unsupported cipher or incorrect key length\"); used as PHP's openssl and hash_hmac would use it (the first 32 bytes as the AES-256 key, all {n} for the HMACs)"
            )),
        }),
        n => Err(ParamError(format!(
            "{which} has {n} bytes; Laravel's APP_KEY is \"base64:\" and the base64 of 32 bytes (AES-256) or 16 (AES-128), or those raw bytes"
        ))),
    }
}

/// The envelope as Laravel reads it (`getJsonPayload` + `validPayload`).
struct Envelope {
    iv_text: String,
    value_text: String,
    mac_text: String,
    tag_text: Option<String>,
    iv: Vec<u8>,
    mode: Mode,
    /// Spans of `iv`, `value`, `mac`, `tag` in the JSON when it is canonical.
    spans: Option<[std::ops::Range<usize>; 4]>,
}

/// The canonical JSON Laravel writes and the spans of its four strings.
fn canonical(
    iv: &str,
    value: &str,
    mac: &str,
    tag: Option<&str>,
    escape_slashes: bool,
) -> (String, [std::ops::Range<usize>; 4]) {
    let esc = |s: &str| {
        if escape_slashes {
            s.replace('/', "\\/")
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("{\"iv\":\"");
    let mut spans: [std::ops::Range<usize>; 4] = Default::default();
    let mut put = |out: &mut String, s: &str, i: usize| {
        let start = out.len();
        out.push_str(&esc(s));
        spans[i] = start..out.len();
    };
    put(&mut out, iv, 0);
    out.push_str("\",\"value\":\"");
    put(&mut out, value, 1);
    out.push_str("\",\"mac\":\"");
    put(&mut out, mac, 2);
    if let Some(tag) = tag {
        out.push_str("\",\"tag\":\"");
        put(&mut out, tag, 3);
    } else {
        let end = out.len();
        spans[3] = end..end;
    }
    out.push_str("\"}");
    (out, spans)
}

fn read_envelope(json: &str, forced: Option<Mode>) -> Result<Envelope, String> {
    let doc: Value = serde_json::from_str(json)
        .map_err(|e| format!("the base64 does not hold a JSON envelope ({e})"))?;
    let Value::Object(map) = &doc else {
        return Err("the envelope is not a JSON object {iv, value, mac, tag}".into());
    };
    let field = |name: &str| -> Result<String, String> {
        match map.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Null) | None => Err(format!("the envelope has no {name:?}")),
            Some(_) => Err(format!("the envelope's {name:?} is not a string")),
        }
    };
    let (iv_text, value_text, mac_text) = (field("iv")?, field("value")?, field("mac")?);
    let tag_text = match map.get("tag") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("the envelope's \"tag\" is not a string".into()),
    };
    let iv = php_base64_decode(iv_text.as_bytes(), true)
        .ok_or_else(|| format!("the IV {iv_text:?} is not base64"))?;
    let mode = match (forced, iv.len()) {
        (Some(m), n) if n == m.iv_len() => m,
        (Some(m), n) => {
            return Err(format!(
                "the IV has {n} bytes; AES-{} uses {}",
                m.name(),
                m.iv_len()
            ));
        }
        (None, 16) => Mode::Cbc,
        (None, 12) => Mode::Gcm,
        (None, n) => {
            return Err(format!(
                "the IV has {n} bytes; Laravel's ciphers use 16 (AES-CBC) or 12 (AES-GCM)"
            ));
        }
    };
    let has_tag = tag_text
        .as_deref()
        .is_some_and(|t| !t.is_empty() && t != "0");
    match mode {
        Mode::Cbc if has_tag => {
            return Err(
                "a CBC envelope with a tag: Laravel refuses it (\"Unable to use tag because the cipher algorithm does not support AEAD\")".into(),
            );
        }
        Mode::Cbc if mac_text.is_empty() => {
            return Err(
                "the MAC is empty (an AES-CBC cookie carries a 64-hex-digit HMAC-SHA256)".into(),
            );
        }
        Mode::Cbc if mac_text.len() != 64 || !mac_text.bytes().all(|b| b.is_ascii_hexdigit()) => {
            return Err(format!(
                "the MAC ({} chars) is not 64 hex digits of HMAC-SHA256",
                mac_text.len()
            ));
        }
        Mode::Gcm => {
            let tag = if has_tag {
                php_base64_decode(tag_text.as_deref().unwrap_or_default().as_bytes(), false)
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            if tag.len() != 16 {
                return Err(format!(
                    "the GCM tag has {} bytes; Laravel requires 16 (truncated?)",
                    tag.len()
                ));
            }
        }
        Mode::Cbc => {}
    }
    let mut spans = None;
    for tag in [tag_text.as_deref(), None] {
        if tag.is_none() && tag_text.is_some() {
            continue;
        }
        for escape in [false, true] {
            let (text, s) = canonical(&iv_text, &value_text, &mac_text, tag, escape);
            if text == json {
                spans = Some(s);
            }
        }
    }
    Ok(Envelope {
        iv_text,
        value_text,
        mac_text,
        tag_text,
        iv,
        mode,
        spans,
    })
}

/// Decodes the URL-decoded cookie value into its envelope JSON.
fn outer(value: &str) -> Result<String, String> {
    let bytes = match STANDARD.decode(value) {
        Ok(b) => b,
        Err(_) => {
            let lenient = php_base64_decode(value.as_bytes(), false)
                .and_then(|b| String::from_utf8(b).ok())
                .is_some_and(|t| t.starts_with('{'));
            return Err(if lenient {
                format!(
                    "the value ({} chars) is not canonical base64; PHP's lenient base64_decode would skip the stray characters and might still read it, Signet does not",
                    value.len()
                )
            } else {
                format!("the value ({} chars) is not base64", value.len())
            });
        }
    };
    String::from_utf8(bytes).map_err(|_| "the base64 does not hold UTF-8 JSON".to_string())
}

fn cbc_encrypt(key: &[u8], iv: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
    use cbc::cipher::{BlockModeEncrypt as _, KeyIvInit as _, block_padding::Pkcs7};
    Some(match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv)
            .ok()?
            .encrypt_padded_vec::<Pkcs7>(plaintext),
        32 => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()?
            .encrypt_padded_vec::<Pkcs7>(plaintext),
        _ => return None,
    })
}

fn cbc_decrypt(key: &[u8], iv: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
    use cbc::cipher::{BlockModeDecrypt as _, KeyIvInit as _, block_padding::Pkcs7};
    match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec::<Pkcs7>(ct)
            .ok(),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec::<Pkcs7>(ct)
            .ok(),
        _ => None,
    }
}

/// AES-GCM with a 12-byte IV: `ct || tag` opened, or sealed.
fn gcm(key: &[u8], iv: &[u8], data: &[u8], seal: bool) -> Option<Vec<u8>> {
    let nonce: &[u8; 12] = iv.try_into().ok()?;
    let msg = Payload {
        msg: data,
        aad: b"",
    };
    match key.len() {
        16 => {
            let c = Aes128Gcm::new_from_slice(key).ok()?;
            if seal {
                c.encrypt(nonce.into(), msg).ok()
            } else {
                c.decrypt(nonce.into(), msg).ok()
            }
        }
        32 => {
            let c = Aes256Gcm::new_from_slice(key).ok()?;
            if seal {
                c.encrypt(nonce.into(), msg).ok()
            } else {
                c.decrypt(nonce.into(), msg).ok()
            }
        }
        _ => None,
    }
}

impl CookieFormat for Laravel {
    fn id(&self) -> &'static str {
        "laravel"
    }

    fn label(&self) -> &'static str {
        "Laravel encrypted cookies (EncryptCookies: APP_KEY, AES-256-CBC + HMAC-SHA256 or AES-GCM)"
    }

    fn default_cookie_name(&self) -> Option<&'static str> {
        Some("laravel_session")
    }

    fn string_payload(&self) -> bool {
        true
    }

    fn min_key_len(&self) -> usize {
        32
    }

    fn check_params(&self, params: &FormatParams) -> Result<(), ParamError> {
        options(params).map(|_| ())
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let d = self.decode(value, params).ok()?;
        let score = if d.problem.is_none() { 85 } else { 40 };
        Some(Detection::new(
            score,
            "base64 JSON {iv, value, mac, tag} (Laravel Encrypter)",
            &d,
        ))
    }

    fn decode(&self, raw: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let opts = options(params).map_err(|e| Malformed(e.0))?;
        if raw.len() > MAX_VALUE {
            return Err(Malformed(format!(
                "the value has {} bytes, far more than any browser keeps in a cookie",
                raw.len()
            )));
        }
        let mut notes = Vec::new();
        let unescaped = percent_decode(raw);
        if unescaped.is_some() {
            notes.push("URL-encoded in transit (rawurlencode): %XX escapes decoded once".into());
        }
        let value = unescaped.as_deref().unwrap_or(raw);
        let json = outer(value).map_err(Malformed)?;
        let env = read_envelope(&json, opts.cipher.map(|(m, _)| m)).map_err(Malformed)?;
        let mut parts = Vec::new();
        let mut problem = None;
        match &env.spans {
            Some(spans) => {
                let kinds = [
                    PartKind::Iv,
                    PartKind::Payload,
                    PartKind::Signature,
                    PartKind::AuthTag,
                ];
                let mut at = 0;
                for (span, kind) in spans.iter().zip(kinds) {
                    if span.start > at {
                        parts.push(Part {
                            kind: PartKind::Separator,
                            span: at..span.start,
                        });
                    }
                    if !span.is_empty() {
                        parts.push(Part {
                            kind,
                            span: span.clone(),
                        });
                    }
                    at = span.end.max(at);
                }
                if at < json.len() {
                    parts.push(Part {
                        kind: PartKind::Separator,
                        span: at..json.len(),
                    });
                }
            }
            None => {
                parts.push(Part {
                    kind: PartKind::Payload,
                    span: 0..json.len(),
                });
                problem = Some("the envelope is not the JSON Laravel writes (keys iv, value, mac[, tag] in that order, nothing else): Laravel's json_decode would still read it, Signet does not vouch for an edited envelope".to_string());
            }
        }
        notes.push(format!(
            "envelope: base64 JSON, AES-{} ({}-byte IV){}",
            env.mode.name(),
            env.iv.len(),
            if env.tag_text.is_none() {
                "; no \"tag\" key (written before Laravel 8.x added AES-GCM, 2021)"
            } else {
                ""
            }
        ));
        if json.contains("\\/") {
            notes.push("slashes escaped as \\/ (json_encode without JSON_UNESCAPED_SLASHES: Laravel before 5.5)".into());
        }
        let cookie_name = params.cookie_name.clone();
        if cookie_name.is_none() && !opts.no_prefix {
            notes.push("the cookie's name is unknown (give name=value input or --cookie-name): the CookieValuePrefix is not checked".into());
        }
        let signature = match env.mode {
            Mode::Cbc => env.mac_text.as_bytes().to_vec(),
            Mode::Gcm => php_base64_decode(
                env.tag_text.as_deref().unwrap_or_default().as_bytes(),
                false,
            )
            .unwrap_or_default(),
        };
        Ok(Decoded {
            format: self.id(),
            value: json,
            cookie_name,
            parts,
            payload: Err(format!(
                "encrypted (AES-{}): only the APP_KEY decrypts it",
                env.mode.name()
            )),
            signed_at: None,
            compressed: false,
            digest: (env.mode == Mode::Cbc).then_some(Digest::Sha256),
            notes,
            problem,
            lenient_parts: Vec::new(),
            header: None,
            signed: 0..0,
            signature,
        })
    }

    fn verifier(
        &self,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        Ok(Box::new(self.prepare(keys, params)?))
    }

    fn sign(
        &self,
        payload: &Value,
        key: &Secret,
        params: &FormatParams,
        _timestamp: i64,
    ) -> Result<String, SignError> {
        let opts = options(params).map_err(|e| SignError::Param(e.0))?;
        let key = app_key(0, key).map_err(|e| SignError::Param(e.0))?;
        let Value::String(value) = payload else {
            return Err(SignError::Payload(
                "a Laravel cookie holds a string (EncryptCookies does not serialize since 5.6.30)"
                    .into(),
            ));
        };
        let mode = match opts.cipher {
            Some((mode, Some(size))) if size != key.aes_size() => {
                return Err(SignError::Param(format!(
                    "AES-{}-{} needs a {size}-byte key; this APP_KEY has {}",
                    size * 8,
                    mode.name(),
                    key.aes_size()
                )));
            }
            Some((mode, _)) => mode,
            None => Mode::Cbc,
        };
        let mut plaintext = Zeroizing::new(String::new());
        if !opts.no_prefix {
            let name = params.cookie_name.as_deref().ok_or_else(|| {
                SignError::Param(
                    "Laravel binds a cookie to its name (CookieValuePrefix): give --cookie-name (laravel_session, XSRF-TOKEN, ...) or variant no-prefix"
                        .into(),
                )
            })?;
            plaintext.push_str(&value_prefix(name, &key.bytes));
        }
        plaintext.push_str(value);
        let mut iv = vec![0u8; mode.iv_len()];
        getrandom::fill(&mut iv).map_err(|e| {
            SignError::Unsupported(format!("the OS random generator failed to give an IV: {e}"))
        })?;
        let iv_text = b64std(&iv);
        let (value_text, mac, tag) = match mode {
            Mode::Cbc => {
                let ct = cbc_encrypt(key.aes(), &iv, plaintext.as_bytes())
                    .ok_or_else(|| SignError::Param("AES-CBC needs a 16- or 32-byte key".into()))?;
                let value_text = b64std(&ct);
                let mac = KeyedMac::new(Digest::Sha256, &key.bytes)
                    .tag(&[iv_text.as_bytes(), value_text.as_bytes()]);
                (value_text, hex_lower(mac.as_bytes()), String::new())
            }
            Mode::Gcm => {
                let mut sealed = gcm(key.aes(), &iv, plaintext.as_bytes(), true)
                    .ok_or_else(|| SignError::Param("AES-GCM needs a 16- or 32-byte key".into()))?;
                let tag = sealed.split_off(sealed.len().saturating_sub(16));
                (b64std(&sealed), String::new(), b64std(&tag))
            }
        };
        let (json, _) = canonical(&iv_text, &value_text, &mac, Some(&tag), false);
        Ok(raw_url_encode(&b64std(json.as_bytes())))
    }
}

impl Laravel {
    /// Reads the key list (`APP_KEY` first, then `APP_PREVIOUS_KEYS`).
    pub fn prepare(
        &self,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<LaravelVerifier, ParamError> {
        let opts = options(params)?;
        let keys = keys
            .iter()
            .enumerate()
            .map(|(i, k)| app_key(i, k))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some((mode, Some(size))) = opts.cipher
            && let Some(k) = keys.iter().find(|k| k.aes_size() != size)
        {
            return Err(ParamError(format!(
                "AES-{}-{} needs {size}-byte keys; key #{} has {}",
                size * 8,
                mode.name(),
                k.index,
                k.aes_size()
            )));
        }
        Ok(LaravelVerifier { keys, opts })
    }
}

/// A prepared key list.
pub struct LaravelVerifier {
    keys: Vec<AppKey>,
    opts: Options,
}

impl LaravelVerifier {
    /// Decrypts `decoded` as `EncryptCookies` does: the verdict and the value the app reads
    /// (also when the prefix check nulls it, so it can be shown).
    pub fn open(&self, decoded: &Decoded) -> (Verification, Option<Value>) {
        let mut result = Verification::new(Verdict::Unverified);
        if self.keys.is_empty() {
            return (result, None);
        }
        let env = match read_envelope(&decoded.value, self.opts.cipher.map(|(m, _)| m)) {
            Ok(e) => e,
            Err(e) => {
                result.verdict = Verdict::Malformed(e);
                return (result, None);
            }
        };
        for k in &self.keys {
            if let Some(n) = &k.note {
                result.notes.push(n.clone());
            }
        }
        let ct = php_base64_decode(env.value_text.as_bytes(), false).unwrap_or_default();
        // Encrypter::decrypt: CBC keys are tried until one's MAC matches (and from then on
        // without the MAC check) until one decrypts; GCM keys until one opens it.
        let mut mac_key = None;
        let mut opened = None;
        for k in &self.keys {
            match env.mode {
                Mode::Cbc => {
                    if mac_key.is_none() {
                        let mac = KeyedMac::new(Digest::Sha256, &k.bytes)
                            .tag(&[env.iv_text.as_bytes(), env.value_text.as_bytes()]);
                        if !ct_eq(
                            hex_lower(mac.as_bytes()).as_bytes(),
                            env.mac_text.as_bytes(),
                        ) {
                            continue;
                        }
                        mac_key = Some(k.index);
                    }
                    if let Some(p) = cbc_decrypt(k.aes(), &env.iv, &ct) {
                        opened = Some((k, Zeroizing::new(p)));
                        break;
                    }
                }
                Mode::Gcm => {
                    let tag = php_base64_decode(
                        env.tag_text.as_deref().unwrap_or_default().as_bytes(),
                        false,
                    )
                    .unwrap_or_default();
                    let mut sealed = ct.clone();
                    sealed.extend_from_slice(&tag);
                    if let Some(p) = gcm(k.aes(), &env.iv, &sealed, false) {
                        opened = Some((k, Zeroizing::new(p)));
                        break;
                    }
                }
            }
        }
        let Some((key, plain)) = opened else {
            if let Some(i) = mac_key {
                result.key_index = Some(i);
                result.verdict = Verdict::Malformed(format!(
                    "key #{i}'s MAC matches, but the value does not decrypt with AES-{}-CBC (bad padding): Laravel throws \"Could not decrypt the data.\"",
                    self.keys[i].aes_size() * 8
                ));
            } else if let Some(problem) = &decoded.problem {
                result.verdict = Verdict::Malformed(problem.clone());
            } else {
                result.verdict = Verdict::BadSignature;
                result.notes.push(match env.mode {
                    Mode::Cbc => "no key's HMAC-SHA256 matches the MAC (Laravel: \"The MAC is invalid.\")".into(),
                    Mode::Gcm => "no key opens it: wrong key, or the iv, value or tag were changed (Laravel: \"Could not decrypt the data.\")".into(),
                });
            }
            return (result, None);
        };
        result.key_index = Some(key.index);
        result.notes.push(format!(
            "decrypted with key #{} (AES-{}-{})",
            key.index,
            key.aes_size() * 8,
            env.mode.name()
        ));
        if let Some(problem) = &decoded.problem {
            result.verdict = Verdict::Malformed(format!("the key matches, but {problem}"));
            return (result, None);
        }
        // EncryptCookies::validateValue: CookieValuePrefix::validate against every key.
        let mut body: &[u8] = &plain;
        if self.opts.no_prefix {
            if has_prefix_shape(body) {
                result.notes.push("the value starts like a CookieValuePrefix (40 hex digits and \"|\"), kept as the value: variant no-prefix reads it as an app before Laravel 6.18.27 would".into());
            }
        } else {
            match decoded.cookie_name.as_deref() {
                Some(name) => {
                    let found = self
                        .keys
                        .iter()
                        .find(|k| body.starts_with(value_prefix(name, &k.bytes).as_bytes()));
                    match found {
                        Some(k) => {
                            body = &body[41..];
                            result.notes.push(format!(
                                "CookieValuePrefix for {name:?} (made with key #{})",
                                k.index
                            ));
                        }
                        None => {
                            let (why, shown) = if has_prefix_shape(body) {
                                (
                                    format!(
                                        "its CookieValuePrefix was made for another cookie name (or key), not {name:?}"
                                    ),
                                    &body[41..],
                                )
                            } else {
                                (
                                    "it has no CookieValuePrefix (written by Laravel before 6.18.27 / 7.22.4: give variant no-prefix to read it as such an app does)".to_string(),
                                    body,
                                )
                            };
                            result.notes.push(format!(
                                "key #{} decrypts it, but {why}: EncryptCookies sets the cookie to null",
                                key.index
                            ));
                            result.key_index = None;
                            result.verdict = Verdict::BadSignature;
                            let shown = String::from_utf8_lossy(shown).into_owned();
                            return (result, Some(Value::String(shown)));
                        }
                    }
                }
                None => {
                    if has_prefix_shape(body) {
                        let known = KNOWN_NAMES.iter().find(|n| {
                            self.keys
                                .iter()
                                .any(|k| body.starts_with(value_prefix(n, &k.bytes).as_bytes()))
                        });
                        result.notes.push(match known {
                            Some(n) => format!("CookieValuePrefix {:?} found: it is the prefix for the name {n:?} (not checked: the cookie's name is unknown)", String::from_utf8_lossy(&body[..41])),
                            None => format!("CookieValuePrefix {:?} found, not checked: the cookie's name is unknown", String::from_utf8_lossy(&body[..41])),
                        });
                        body = &body[41..];
                    } else {
                        result.notes.push("no CookieValuePrefix: written by Laravel before 6.18.27 / 7.22.4 (newer apps null such a cookie)".into());
                    }
                }
            }
        }
        let Ok(text) = std::str::from_utf8(body) else {
            result.verdict = Verdict::Malformed(
                "the key matches, but the decrypted value is not UTF-8 text".into(),
            );
            return (result, None);
        };
        if text.starts_with("s:") && text.ends_with("\";") {
            result.notes.push("the value looks PHP-serialize()d (EncryptCookies serialized values before Laravel 5.6.30): shown as stored".into());
        }
        result.verdict = Verdict::Valid;
        (result, Some(Value::String(text.to_string())))
    }
}

impl Verifier for LaravelVerifier {
    fn verify(&self, decoded: &Decoded, _opts: &VerifyOptions) -> Verification {
        let (mut v, opened) = self.open(decoded);
        v.opened = opened;
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn named(name: &str) -> FormatParams {
        FormatParams {
            cookie_name: Some(name.into()),
            ..FormatParams::default()
        }
    }

    fn key32(fill: u8) -> Secret {
        Secret::from_text(&format!("base64:{}", b64std(&[fill; 32])))
    }

    #[test]
    fn round_trips_with_every_cipher_and_fallback_keys() {
        let (key, other) = (key32(7), key32(9));
        let short = Secret::from_bytes(vec![3u8; 16]);
        let f = Laravel;
        for variant in [
            None,
            Some("aes-256-gcm"),
            Some("no-prefix"),
            Some("aes-256-gcm,no-prefix"),
        ] {
            let params = FormatParams {
                variant: variant.map(str::to_string),
                ..named("laravel_session")
            };
            let cookie = f.sign(&json!("abc"), &key, &params, 0).expect("encrypts");
            let d = f.decode(&cookie, &params).expect("decodes");
            let v = f
                .prepare(&[other.clone(), key.clone()], &params)
                .expect("keys");
            let (got, value) = v.open(&d);
            assert_eq!(got.verdict, Verdict::Valid, "{variant:?} {cookie}");
            assert_eq!(got.key_index, Some(1));
            assert_eq!(value, Some(json!("abc")));
            if variant.is_none() {
                let d = f.decode(&cookie, &named("XSRF-TOKEN")).expect("decodes");
                let (got, value) = v.open(&d);
                assert_eq!(got.verdict, Verdict::BadSignature);
                assert_eq!(value, Some(json!("abc")));
            }
        }
        for variant in [None, Some("aes-128-gcm")] {
            let params = FormatParams {
                variant: variant.map(str::to_string),
                ..named("c")
            };
            let cookie = f.sign(&json!("x"), &short, &params, 0).expect("encrypts");
            let d = f.decode(&cookie, &params).expect("decodes");
            let (got, _) = f
                .prepare(std::slice::from_ref(&short), &params)
                .expect("k")
                .open(&d);
            assert_eq!(got.verdict, Verdict::Valid);
        }
        assert!(
            f.prepare(&[Secret::from_text("short")], &named("c"))
                .is_err()
        );
        assert!(
            f.sign(
                &json!("x"),
                &key,
                &FormatParams {
                    variant: Some("aes-128-cbc".into()),
                    ..named("c")
                },
                0
            )
            .is_err()
        );
    }

    /// Laravel 11 behaviour the 8.83 fixtures cannot show (8.83 has no APP_PREVIOUS_KEYS).
    #[test]
    fn laravel_11_key_list_leniencies() {
        let (k0, k1) = (key32(1), key32(2));
        let (a0, a1) = (app_key(0, &k0).expect("k0"), app_key(1, &k1).expect("k1"));
        let p = named("laravel_session");
        // A CBC envelope: encrypted with `enc`, MAC'd with `mac_key`, plaintext prefixed with `pre`.
        let cookie = |enc: &AppKey, mac_key: &AppKey, pre: &AppKey, iv: &[u8]| {
            let plain = format!("{}abc", value_prefix("laravel_session", &pre.bytes));
            let value = b64std(&cbc_encrypt(enc.aes(), iv, plain.as_bytes()).expect("cbc"));
            let iv_text = b64std(iv);
            let mac = KeyedMac::new(Digest::Sha256, &mac_key.bytes)
                .tag(&[iv_text.as_bytes(), value.as_bytes()]);
            let (json, _) = canonical(
                &iv_text,
                &value,
                &hex_lower(mac.as_bytes()),
                Some(""),
                false,
            );
            raw_url_encode(&b64std(json.as_bytes()))
        };
        let open = |c: &str, keys: &[Secret]| {
            let d = Laravel.decode(c, &p).expect("decodes");
            Laravel.prepare(keys, &p).expect("keys").open(&d)
        };
        let both = [k0.clone(), k1.clone()];

        // CookieValuePrefix::validate tries every key, not only the one that decrypted.
        let c = cookie(&a0, &a0, &a1, &[5u8; 16]);
        let (v, value) = open(&c, &both);
        assert_eq!((v.verdict, v.key_index), (Verdict::Valid, Some(0)));
        assert_eq!(value, Some(json!("abc")));
        // An app holding key #0 alone (Laravel 8.83 has no other) nulls it.
        let (v, value) = open(&c, std::slice::from_ref(&k0));
        assert_eq!((v.verdict, v.key_index), (Verdict::BadSignature, None));
        assert_eq!(value, Some(json!("abc")));

        // Key #0's MAC matches but its padding does not: key #1 is tried without a MAC.
        let iv = (0u8..=255)
            .map(|b| [b; 16])
            .find(|iv| {
                let plain = format!("{}abc", value_prefix("laravel_session", &a1.bytes));
                let ct = cbc_encrypt(a1.aes(), iv, plain.as_bytes()).expect("cbc");
                cbc_decrypt(a0.aes(), iv, &ct).is_none()
            })
            .expect("an IV whose ciphertext key #0 cannot unpad");
        let c = cookie(&a1, &a0, &a1, &iv);
        let (v, value) = open(&c, &both);
        assert_eq!((v.verdict, v.key_index), (Verdict::Valid, Some(1)));
        assert_eq!(value, Some(json!("abc")));
    }

    #[test]
    fn php_base64_decode_matches_php() {
        assert_eq!(php_base64_decode(b"YWJj", true), Some(b"abc".to_vec()));
        assert_eq!(php_base64_decode(b"YWI", true), Some(b"ab".to_vec()));
        assert_eq!(php_base64_decode(b"YWI=", true), Some(b"ab".to_vec()));
        assert_eq!(php_base64_decode(b"Y", true), None);
        assert_eq!(php_base64_decode(b"YW!I", true), None);
        assert_eq!(php_base64_decode(b"YW!I", false), Some(b"ab".to_vec()));
        assert_eq!(php_base64_decode(b"YW=I", true), None);
        assert_eq!(php_base64_decode(b"Y W I", true), Some(b"ab".to_vec()));
    }

    #[test]
    fn hostile_envelopes_are_errors_not_panics() {
        let f = Laravel;
        let env = |j: &str| b64std(j.as_bytes());
        for bad in [
            String::new(),
            "%%".into(),
            env("[]"),
            env("{\"iv\":\"AAAA\",\"value\":\"\",\"mac\":\"\"}"),
            env("{\"iv\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"value\":\"x\"}"),
            env("{\"iv\":\"AAAAAAAAAAAAAAAA\",\"value\":\"x\",\"mac\":\"\",\"tag\":\"AAAA\"}"),
            env(
                "{\"iv\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"value\":\"x\",\"mac\":\"zz\",\"tag\":\"\"}",
            ),
        ] {
            assert!(f.decode(&bad, &named("c")).is_err(), "{bad}");
        }
        // Well-formed envelope, garbage ciphertext: bad signature / malformed, never a panic.
        let mac = "0".repeat(64);
        let cookie = env(&format!(
            "{{\"iv\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"value\":\"AAAA\",\"mac\":\"{mac}\",\"tag\":\"\"}}"
        ));
        let d = f.decode(&cookie, &named("c")).expect("decodes");
        let (v, _) = f.prepare(&[key32(1)], &named("c")).expect("k").open(&d);
        assert_eq!(v.verdict, Verdict::BadSignature);
    }
}
