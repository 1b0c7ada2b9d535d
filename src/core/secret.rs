//! [`Secret`]: key material that never leaves memory by accident.
//!
//! The bytes are zeroized on drop, `Debug` prints only the length, there is no `Display` and no
//! `Serialize`, and equality is constant-time. A [`Fingerprint`] is the only thing about a secret
//! that is safe to show or log.

use std::fmt;

use hmac::{KeyInit as _, Mac as _};
use subtle::ConstantTimeEq as _;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Secret key bytes (a Flask `SECRET_KEY`, a Rails `secret_key_base`, a JWT HMAC key, ...).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// A secret from raw bytes.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// A secret from text: its UTF-8 bytes, as Python's `str.encode()` and Node's `Buffer.from`.
    pub fn from_text(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }

    /// A secret from hex digits (upper or lower case, optional whitespace between bytes).
    pub fn from_hex(hex: &str) -> Result<Self, SecretError> {
        let digits = Zeroizing::new(
            hex.bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .collect::<Vec<u8>>(),
        );
        if digits.len() % 2 != 0 {
            return Err(SecretError::OddHexLength);
        }
        let mut out = Vec::with_capacity(digits.len() / 2);
        for pair in digits.chunks_exact(2) {
            let (Some(hi), Some(lo)) = (hex_value(pair[0]), hex_value(pair[1])) else {
                out.zeroize();
                return Err(SecretError::NotHex);
            };
            out.push(hi << 4 | lo);
        }
        Ok(Self(out))
    }

    /// The secret bytes. Callers must not copy them anywhere that outlives the secret.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The secret as text, when it is UTF-8.
    pub fn expose_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret has no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A short, non-reversible identifier of these bytes, safe to show and log.
    pub fn fingerprint(&self) -> Fingerprint {
        // A keyed hash with a fixed, public domain-separation key: equal secrets give equal
        // fingerprints, and 8 bytes of HMAC-SHA256 reveal nothing usable about the secret.
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"signet fingerprint v1")
            .expect("HMAC accepts keys of any length");
        mac.update(&self.0);
        let tag = mac.finalize().into_bytes();
        let mut id = [0u8; 8];
        id.copy_from_slice(&tag[..8]);
        Fingerprint(id)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        // `ct_eq` on slices of different lengths returns false without looking at the bytes;
        // the length itself is not secret.
        bool::from(self.0.ct_eq(&other.0))
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted, {} bytes>)", self.0.len())
    }
}

/// A short public identifier of a secret: 8 bytes shown as 16 hex digits in groups of four.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 8]);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 && i % 2 == 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// Why a secret could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// Hex text with an odd number of digits.
    #[error("hex secret has an odd number of digits")]
    OddHexLength,
    /// A character that is not a hex digit.
    #[error("hex secret contains a character that is not a hex digit")]
    NotHex,
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = Secret::from_text("hunter2-very-secret");
        let shown = format!("{s:?}");
        assert_eq!(shown, "Secret(<redacted, 19 bytes>)");
        assert!(!shown.contains("hunter2"));
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let s = Secret::from_hex("00ff 10Ab").expect("valid hex");
        assert_eq!(s.expose(), &[0x00, 0xff, 0x10, 0xab]);
        assert_eq!(Secret::from_hex("abc"), Err(SecretError::OddHexLength));
        assert_eq!(Secret::from_hex("zz"), Err(SecretError::NotHex));
    }

    #[test]
    fn equality_compares_content() {
        assert_eq!(Secret::from_text("a"), Secret::from_bytes(b"a".to_vec()));
        assert_ne!(Secret::from_text("a"), Secret::from_text("b"));
        assert_ne!(Secret::from_text("a"), Secret::from_text("aa"));
    }

    #[test]
    fn fingerprint_is_stable_short_and_distinct() {
        let a = Secret::from_text("key-a").fingerprint();
        assert_eq!(a, Secret::from_text("key-a").fingerprint());
        assert_ne!(a, Secret::from_text("key-b").fingerprint());
        let shown = a.to_string();
        assert_eq!(shown.len(), 19);
        assert!(!shown.contains("key"));
    }
}
