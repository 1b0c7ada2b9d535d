//! The Rust `cookie` crate 0.18 (`src/secure/{key,signed,private}.rs`): the `SignedJar` and
//! `PrivateJar` behind Rocket, axum-extra and actix-web.
//!
//! ```text
//! signed:  b64std(HMAC-SHA256(key[0..32], value)) value          44-char MAC, then the value
//! private: b64std(nonce12 || AES-256-GCM(key[32..64], value, aad = cookie name) || tag16)
//! Key:     64 bytes (Key::from), or HKDF-SHA256-Expand(prk = master, info, 64) (Key::derive_from,
//!          master >= 32 bytes; no extract step)
//! ```
//!
//! The signed MAC does not cover the cookie's name; the private value is bound to it. Payloads are
//! strings (the private value must decrypt to UTF-8). There are no timestamps and no key lists:
//! Signet tries the given keys in order. Key material of 64 bytes or more is ambiguous (the first
//! 64 bytes as a `Key`, or the whole as a `derive_from` master): both readings are tried unless
//! `key_derivation` (`from` or `derive-from`) says which, and the one that matched is reported.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Nonce, Payload};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::core::encoding::{b64std, percent_decode};
use crate::core::mac::{Digest, KeyedMac};
use crate::core::model::{
    Decoded, FormatParams, Malformed, ParamError, Part, PartKind, SignError, Verdict, Verification,
    VerifyOptions,
};
use crate::core::secret::Secret;
use crate::core::{CookieFormat, Detection, Verifier};

/// `KEYS_INFO` of `Key::derive_from`.
const KEYS_INFO: &[u8] = b"COOKIE;SIGNED:HMAC-SHA256;PRIVATE:AEAD-AES-256-GCM";
/// Length of the base64 MAC prefix of a signed value.
const MAC_CHARS: usize = 44;
/// AES-GCM nonce and tag lengths.
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// Cookie values past this size are refused before any decoding (browsers stop at ~4 KiB).
const MAX_VALUE: usize = 64 * 1024;

/// Which jar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `SignedJar`.
    Signed,
    /// `PrivateJar`.
    Private,
}

/// One `cookie` crate format.
#[derive(Debug, Clone, Copy)]
pub struct CookieRs {
    kind: Kind,
}

impl CookieRs {
    /// The format for `kind`.
    pub const fn new(kind: Kind) -> Self {
        Self { kind }
    }
}

/// How key material becomes the crate's 64-byte `Key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyUse {
    /// `Key::from(&bytes)` (the first 64 bytes).
    From,
    /// `Key::derive_from(&bytes)`.
    Derive,
}

impl KeyUse {
    fn describe(self, len: usize) -> String {
        match self {
            KeyUse::From if len > 64 => {
                "its first 64 bytes as the Key (Key::from, as a 64-byte key is used)".into()
            }
            KeyUse::From => "as the 64-byte Key (Key::from)".into(),
            KeyUse::Derive => {
                format!("as a {len}-byte master key (Key::derive_from, HKDF-SHA256 expand)")
            }
        }
    }
}

/// The `key_derivation` override.
fn key_use(params: &FormatParams) -> Result<Option<KeyUse>, ParamError> {
    match params.key_derivation.as_deref() {
        None => Ok(None),
        Some("from" | "key") => Ok(Some(KeyUse::From)),
        Some("derive-from" | "derive_from" | "derive") => Ok(Some(KeyUse::Derive)),
        Some(other) => Err(ParamError(format!(
            "the cookie crate's key is used with `from` (Key::from, 64 bytes) or `derive-from` (Key::derive_from, a master of at least 32 bytes), not {other:?}"
        ))),
    }
}

/// The readings of `len` bytes of key material the crate allows.
fn readings(len: usize, forced: Option<KeyUse>) -> &'static [KeyUse] {
    match forced {
        Some(KeyUse::From) if len >= 64 => &[KeyUse::From],
        Some(KeyUse::Derive) if len >= 32 => &[KeyUse::Derive],
        Some(_) => &[],
        None if len >= 64 => &[KeyUse::From, KeyUse::Derive],
        None if len >= 32 => &[KeyUse::Derive],
        None => &[],
    }
}

fn too_short(len: usize, forced: Option<KeyUse>) -> String {
    match forced {
        Some(KeyUse::From) => format!(
            "has {len} bytes: Key::from needs 64 (the signing half, then the encryption half)"
        ),
        Some(KeyUse::Derive) => {
            format!("has {len} bytes: Key::derive_from needs a master key of at least 32")
        }
        None => format!(
            "has {len} bytes: the cookie crate needs a 64-byte Key (Key::from) or a master key of at least 32 bytes (Key::derive_from)"
        ),
    }
}

/// The crate's 64-byte `Key` from key material.
fn make_key(material: &[u8], how: KeyUse) -> Option<Zeroizing<[u8; 64]>> {
    let mut key = Zeroizing::new([0u8; 64]);
    match how {
        KeyUse::From => key.copy_from_slice(material.get(..64)?),
        KeyUse::Derive => {
            if material.len() < 32 {
                return None;
            }
            let hk = hkdf::Hkdf::<Sha256>::from_prk(material).ok()?;
            hk.expand(KEYS_INFO, key.as_mut_slice()).ok()?;
        }
    }
    Some(key)
}

/// AES-256-GCM decryption with a 12-byte nonce and the 16-byte tag after the ciphertext.
pub(crate) fn gcm_open_with(
    cipher: &Aes256Gcm,
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Option<Vec<u8>> {
    if sealed.len() < TAG_LEN {
        return None;
    }
    let nonce = Nonce::<Aes256Gcm>::try_from(nonce).ok()?;
    cipher.decrypt(&nonce, Payload { msg: sealed, aad }).ok()
}

/// Encrypts with a fresh nonce from the OS CSPRNG: `(nonce, ciphertext || tag)`.
pub(crate) fn gcm_seal(
    key: &[u8],
    plaintext: &[u8],
    aad: &[u8],
) -> Result<([u8; NONCE_LEN], Vec<u8>), SignError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| {
        SignError::Unsupported(format!(
            "the OS random generator failed to give a nonce: {e}"
        ))
    })?;
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| SignError::Param("AES-256-GCM needs a 32-byte key".into()))?;
    let sealed = cipher
        .encrypt(
            &Nonce::<Aes256Gcm>::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| SignError::Payload("too long to encrypt".into()))?;
    Ok((nonce, sealed))
}

/// Strict standard base64 with padding, as the crate decodes (`BASE64_STANDARD`).
fn b64_strict(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

fn is_b64std_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

impl CookieFormat for CookieRs {
    fn id(&self) -> &'static str {
        match self.kind {
            Kind::Signed => "cookie-rs-signed",
            Kind::Private => "cookie-rs-private",
        }
    }

    fn label(&self) -> &'static str {
        match self.kind {
            Kind::Signed => "Rust cookie crate SignedJar (Rocket, axum-extra, actix-web)",
            Kind::Private => {
                "Rust cookie crate PrivateJar (AES-256-GCM, the name as associated data)"
            }
        }
    }

    fn string_payload(&self) -> bool {
        true
    }

    fn min_key_len(&self) -> usize {
        32
    }

    fn check_params(&self, params: &FormatParams) -> Result<(), ParamError> {
        key_use(params).map(|_| ())
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let d = self.decode(value, params).ok()?;
        let (score, what) = match self.kind {
            Kind::Signed => (
                62,
                "a 44-char base64 HMAC-SHA256 prefix (cookie crate SignedJar)",
            ),
            // Any long standard-base64 blob fits: a weak guess on its own.
            Kind::Private => (
                if d.problem.is_some() { 15 } else { 35 },
                "standard base64 of a 12-byte nonce, ciphertext and 16-byte tag (cookie crate PrivateJar)",
            ),
        };
        Some(Detection::new(score, what, &d))
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        key_use(params).map_err(|e| Malformed(e.0))?;
        if value.len() > MAX_VALUE {
            return Err(Malformed(format!(
                "the value has {} bytes, far more than any browser keeps in a cookie",
                value.len()
            )));
        }
        match self.kind {
            Kind::Signed => self.decode_signed(value, params),
            Kind::Private => self.decode_private(value, params),
        }
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
        let forced = key_use(params).map_err(|e| SignError::Param(e.0))?;
        let Value::String(value) = payload else {
            return Err(SignError::Payload(
                "the cookie crate stores a string: give a JSON string".into(),
            ));
        };
        let material = key.expose();
        let Some(&how) = readings(material.len(), forced).first() else {
            return Err(SignError::Param(format!(
                "the key {}",
                too_short(material.len(), forced)
            )));
        };
        let key = make_key(material, how)
            .ok_or_else(|| SignError::Param("the key could not be expanded".into()))?;
        match self.kind {
            Kind::Signed => {
                let mac = KeyedMac::new(Digest::Sha256, &key[..32]);
                let mut out = b64std(mac.tag(&[value.as_bytes()]).as_bytes());
                out.push_str(value);
                Ok(out)
            }
            Kind::Private => {
                let name = params.cookie_name.as_deref().ok_or_else(|| {
                    SignError::Param(
                        "a private cookie is bound to its name (the associated data): give --cookie-name"
                            .into(),
                    )
                })?;
                let (nonce, sealed) = gcm_seal(&key[32..], value.as_bytes(), name.as_bytes())?;
                let mut data = Vec::with_capacity(NONCE_LEN + sealed.len());
                data.extend_from_slice(&nonce);
                data.extend_from_slice(&sealed);
                Ok(b64std(&data))
            }
        }
    }
}

impl CookieRs {
    fn decode_signed(&self, raw: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let mut notes = Vec::new();
        // The MAC is standard base64: a `%` among its characters means the value was
        // URL-encoded on the way (actix-web encodes cookie values); decode it once.
        let decoded_value = match raw.get(..MAC_CHARS.min(raw.len())) {
            Some(head) if head.contains('%') => percent_decode(raw),
            None if raw.contains('%') => percent_decode(raw),
            _ => None,
        };
        if decoded_value.is_some() {
            notes.push("URL-encoded in transit: %XX escapes decoded once".to_string());
        }
        let value = decoded_value.as_deref().unwrap_or(raw);
        if value.len() < MAC_CHARS || !value.is_char_boundary(MAC_CHARS) {
            return Err(Malformed(format!(
                "a signed value starts with a 44-character base64 HMAC-SHA256; this one has only {} characters before the value could start",
                value
                    .char_indices()
                    .take_while(|(i, _)| *i < MAC_CHARS)
                    .count()
            )));
        }
        let (mac_text, plain) = value.split_at(MAC_CHARS);
        let mac = b64_strict(mac_text).filter(|m| m.len() == 32).ok_or_else(|| {
            Malformed(format!(
                "the first 44 characters {mac_text:?} are not the standard base64 of a 32-byte HMAC-SHA256"
            ))
        })?;
        Ok(Decoded {
            format: self.id(),
            value: value.to_string(),
            cookie_name: params.cookie_name.clone(),
            parts: vec![
                Part {
                    kind: PartKind::Signature,
                    span: 0..MAC_CHARS,
                },
                Part {
                    kind: PartKind::Payload,
                    span: MAC_CHARS..value.len(),
                },
            ],
            payload: Ok(Value::String(plain.to_string())),
            signed_at: None,
            compressed: false,
            digest: Some(Digest::Sha256),
            notes,
            problem: None,
            lenient_parts: Vec::new(),
            header: None,
            signed: MAC_CHARS..value.len(),
            signature: mac,
        })
    }

    fn decode_private(&self, raw: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let mut notes = Vec::new();
        // Standard base64 has no `%`: escapes come from URL-encoding in transit.
        let decoded_value = if raw.contains('%') {
            percent_decode(raw)
        } else {
            None
        };
        if decoded_value.is_some() {
            notes.push("URL-encoded in transit: %XX escapes decoded once".to_string());
        }
        let value = decoded_value.as_deref().unwrap_or(raw);
        if let Some(bad) = value.bytes().position(|b| !is_b64std_char(b)) {
            return Err(Malformed(format!(
                "a private value is standard base64; character {} ({:?}) is not",
                bad + 1,
                value[bad..].chars().next().unwrap_or('?')
            )));
        }
        let data = b64_strict(value).ok_or_else(|| {
            Malformed(format!(
                "the value is not canonical padded standard base64 ({} characters)",
                value.len()
            ))
        })?;
        if data.len() <= NONCE_LEN {
            return Err(Malformed(format!(
                "the value decodes to {} bytes: too short for a 12-byte nonce, the ciphertext and a 16-byte tag",
                data.len()
            )));
        }
        let mut problem = None;
        if data.len() < NONCE_LEN + TAG_LEN {
            problem = Some(format!(
                "the value decodes to {} bytes: after the 12-byte nonce there is no room for the 16-byte tag (truncated?)",
                data.len()
            ));
        }
        // Character spans: the nonce is exactly the first 16 characters; the tag starts inside
        // the character that holds its first bit.
        let tag_byte = data.len().saturating_sub(TAG_LEN).max(NONCE_LEN);
        let tag_char = (tag_byte * 4 / 3).clamp(16, value.len());
        let mut parts = vec![Part {
            kind: PartKind::Iv,
            span: 0..16,
        }];
        if tag_char > 16 {
            parts.push(Part {
                kind: PartKind::Payload,
                span: 16..tag_char,
            });
        }
        parts.push(Part {
            kind: PartKind::AuthTag,
            span: tag_char..value.len(),
        });
        if params.cookie_name.is_none() {
            notes.push(
                "the cookie's name is the associated data: give it (name=value input or --cookie-name) to decrypt".into(),
            );
        }
        Ok(Decoded {
            format: self.id(),
            value: value.to_string(),
            cookie_name: params.cookie_name.clone(),
            parts,
            payload: Err("encrypted (AES-256-GCM): only a key decrypts it".into()),
            signed_at: None,
            compressed: false,
            digest: None,
            notes,
            problem,
            lenient_parts: Vec::new(),
            header: None,
            signed: 0..value.len(),
            signature: data,
        })
    }

    /// Prepares the key list: every usable reading of every key, in key order.
    pub fn prepare(
        &self,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<CookieRsVerifier, ParamError> {
        let forced = key_use(params)?;
        let mut prepared = Vec::new();
        let mut unusable = Vec::new();
        for (index, k) in keys.iter().enumerate() {
            let material = k.expose();
            let ways = readings(material.len(), forced);
            if ways.is_empty() {
                unusable.push(format!(
                    "key #{index} {}",
                    too_short(material.len(), forced)
                ));
            }
            for &how in ways {
                if let Some(key) = make_key(material, how) {
                    let (Ok(cipher), mac) = (
                        Aes256Gcm::new_from_slice(&key[32..]),
                        KeyedMac::new(Digest::Sha256, &key[..32]),
                    ) else {
                        continue;
                    };
                    prepared.push(PreparedKey {
                        index,
                        how,
                        len: material.len(),
                        mac,
                        cipher,
                    });
                }
            }
        }
        Ok(CookieRsVerifier {
            kind: self.kind,
            keys: prepared,
            unusable,
            any_keys: !keys.is_empty(),
        })
    }
}

struct PreparedKey {
    index: usize,
    how: KeyUse,
    len: usize,
    mac: KeyedMac,
    cipher: Aes256Gcm,
}

/// A prepared key list for one of the two jars.
pub struct CookieRsVerifier {
    kind: Kind,
    keys: Vec<PreparedKey>,
    unusable: Vec<String>,
    any_keys: bool,
}

impl CookieRsVerifier {
    /// Verifies (signed) or decrypts (private) `decoded`, returning the verdict and the value the
    /// app would read (`None` when no key opened it).
    pub fn open(&self, decoded: &Decoded) -> (Verification, Option<Value>) {
        let mut result = Verification::new(Verdict::Unverified);
        if !self.any_keys {
            if let Some(problem) = &decoded.problem {
                result.verdict = Verdict::Malformed(problem.clone());
            }
            return (result, None);
        }
        result.notes.extend(self.unusable.iter().cloned());
        let matched = match self.kind {
            Kind::Signed => {
                let plain = decoded
                    .value
                    .get(decoded.signed.clone())
                    .unwrap_or_default();
                self.keys
                    .iter()
                    .find(|k| k.mac.verify(&[plain.as_bytes()], &decoded.signature))
                    .map(|k| (k, Ok(Value::String(plain.to_string()))))
            }
            Kind::Private => {
                let Some(name) = decoded.cookie_name.as_deref() else {
                    result.notes.push(
                        "not decrypted: the cookie's name is the associated data; give it (name=value input or --cookie-name)".into(),
                    );
                    if let Some(problem) = &decoded.problem {
                        result.verdict = Verdict::Malformed(problem.clone());
                    }
                    return (result, None);
                };
                let data = &decoded.signature;
                let (nonce, sealed) = data.split_at(NONCE_LEN.min(data.len()));
                self.keys.iter().find_map(|k| {
                    let plain = gcm_open_with(&k.cipher, nonce, sealed, name.as_bytes())?;
                    Some((
                        k,
                        String::from_utf8(plain).map(Value::String).map_err(|_| {
                            "it decrypts, but not to UTF-8: the cookie crate rejects it (bad unsealed utf8)".to_string()
                        }),
                    ))
                })
            }
        };
        let Some((key, payload)) = matched else {
            result.verdict = match &decoded.problem {
                Some(problem) => Verdict::Malformed(problem.clone()),
                None => Verdict::BadSignature,
            };
            return (result, None);
        };
        result.key_index = Some(key.index);
        result.notes.push(format!(
            "key #{} used {}",
            key.index,
            key.how.describe(key.len)
        ));
        match payload {
            Ok(value) => {
                result.verdict = Verdict::Valid;
                if self.kind == Kind::Private {
                    let shown = serde_json::to_string(&value).unwrap_or_default();
                    result.notes.push(format!("decrypted value: {shown}"));
                }
                (result, Some(value))
            }
            Err(e) => {
                result.verdict = Verdict::Malformed(e);
                (result, None)
            }
        }
    }
}

impl Verifier for CookieRsVerifier {
    fn verify(&self, decoded: &Decoded, _opts: &VerifyOptions) -> Verification {
        let (mut v, opened) = self.open(decoded);
        if self.kind == Kind::Private {
            v.opened = opened;
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(name: Option<&str>) -> FormatParams {
        FormatParams {
            cookie_name: name.map(str::to_string),
            ..FormatParams::default()
        }
    }

    #[test]
    fn round_trips_and_name_binding() {
        for kind in [Kind::Signed, Kind::Private] {
            let f = CookieRs::new(kind);
            for len in [32usize, 40, 64, 70] {
                let key = Secret::from_bytes(vec![7u8; len]);
                let other = Secret::from_bytes(vec![8u8; 64]);
                let value = Value::String("id=12345 é".into());
                let cookie = f.sign(&value, &key, &params(Some("c")), 0).expect("signs");
                let d = f.decode(&cookie, &params(Some("c"))).expect("decodes");
                let v = f
                    .prepare(&[other.clone(), key.clone()], &params(None))
                    .expect("keys");
                let (got, payload) = v.open(&d);
                assert_eq!(got.verdict, Verdict::Valid, "{kind:?} {len}");
                assert_eq!(got.key_index, Some(1));
                assert_eq!(payload.as_ref(), Some(&value));
                // Renamed: the signed MAC does not care, the private AEAD does.
                let renamed = f.decode(&cookie, &params(Some("d"))).expect("decodes");
                let (got, _) = v.open(&renamed);
                let expect = if kind == Kind::Signed {
                    Verdict::Valid
                } else {
                    Verdict::BadSignature
                };
                assert_eq!(got.verdict, expect);
            }
        }
    }

    #[test]
    fn hostile_values_are_clear_errors() {
        let signed = CookieRs::new(Kind::Signed);
        let private = CookieRs::new(Kind::Private);
        let p = params(Some("c"));
        assert!(signed.decode("short", &p).is_err());
        // A multi-byte character across the 44th byte: the crate refuses it, so do we.
        let across = format!("{}é{}", "A".repeat(43), "x");
        assert!(signed.decode(&across, &p).is_err());
        assert!(private.decode("AAAA", &p).is_err());
        assert!(private.decode("not base64!", &p).is_err());
        // A truncated tag decodes but is malformed.
        let d = private.decode(&b64std(&[0u8; 20]), &p).expect("decodes");
        assert!(d.problem.is_some());
        let v = private
            .prepare(&[Secret::from_bytes(vec![1u8; 64])], &p)
            .expect("k");
        assert!(matches!(v.open(&d).0.verdict, Verdict::Malformed(_)));
        // Keys that are too short are reported, not a panic.
        let v = signed
            .prepare(&[Secret::from_text("short")], &p)
            .expect("k");
        let d = signed
            .decode(&format!("{}v", b64std(&[0u8; 32])), &p)
            .expect("decodes");
        let (got, _) = v.open(&d);
        assert_eq!(got.verdict, Verdict::BadSignature);
        assert!(got.notes.iter().any(|n| n.contains("needs a 64-byte Key")));
    }
}
