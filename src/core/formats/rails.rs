//! Rails signed and encrypted cookies: ActionDispatch's cookie jars over ActiveSupport's
//! `MessageVerifier`, `MessageEncryptor`, `KeyGenerator` and `Messages::Metadata`.
//!
//! ```text
//! key(salt, n)  = PBKDF2-HMAC-H(secret_key_base, salt, 1000, n)    H = SHA1 (Rails <= 6.1
//!                                                                  defaults) or SHA256 (7.0+)
//! signed        = b64std(message) "--" hex(HMAC-D(key("signed cookie", 64), b64std(message)))
//!                 D = SHA1 by default (signed_cookie_digest), SHA256/SHA512 by hex length
//! encrypted     = b64std(ct) "--" b64std(iv12) "--" b64std(tag16)
//!                 AES-256-GCM, key("authenticated encrypted cookie", 32), no associated data
//! legacy (<5.2) = b64std(b64std(ct) "--" b64std(iv16)) "--" hex(HMAC-SHA1(key("signed encrypted
//!                 cookie", 64), ...)); AES-256-CBC with key("encrypted cookie", 32)
//! message       = {"_rails":{"message":b64std(JSON(value)),"exp":..,"pur":"cookie.NAME"}}  5.2-7.0
//!               | {"_rails":{"data":value,"pur":"cookie.NAME"[,"exp":..]}}             7.1+
//!               | JSON(value) | Marshal(value)                                      older apps
//! ```
//!
//! Rack URL-encodes cookie values (`%2B`, `%2F`, `%3D`); they are decoded once here. The purpose
//! binds a cookie to its name; `exp` (ISO 8601) is checked against `now` (`now >= exp` is
//! expired). Both key generators are tried unless `key_derivation` (`pbkdf2-sha1`,
//! `pbkdf2-sha256`) says which; the one that matched is reported. Marshal payloads are read into
//! a display tree by [`super::marshal`] and never re-signed.
//!
//! A rotation preview reads a key set as the app configures it (`key_set_verifier`):
//! `secret_key_base` with its key generator, then each `cookies_rotations` entry with its own
//! (the Rails 7.0 upgrade keeps the old keys as a SHA1 entry); legacy CBC cookies are read with
//! `secret_key_base` alone, as ActionDispatch appends that reading for the primary only.
//!
//! Signing writes the Rails 7.1 defaults (SHA256 key generator, `data` envelope, SHA1 signed
//! digest); `variant` selects `rails-7.0` (`message` envelope, SHA256), `rails-6.1` / `rails-5.2`
//! (`message` envelope, SHA1 key generator) or `rails-5.1` (no envelope; encrypted cookies in the
//! legacy AES-256-CBC + HMAC form). `variant = marshal` is refused: Signet never writes Marshal.

use std::sync::OnceLock;

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::KeyInit as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use zeroize::Zeroizing;

use super::cookie_rs::{gcm_open_with, gcm_seal};
use super::marshal;
use crate::core::encoding::b64std;
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, KeyEntry, Malformed, ParamError, Part, PartKind, SignError, Verdict,
    Verification, VerifyOptions,
};
use crate::core::secret::Secret;
use crate::core::{CookieFormat, Detection, Verifier};

/// `KeyGenerator` iterations of a Rails app (`Rails.application.key_generator`).
pub const ITERATIONS: u32 = 1000;
/// Cookie values past this size are refused before decoding (browsers stop at ~4 KiB).
const MAX_VALUE: usize = 64 * 1024;
const SIGNED_SALT: &str = "signed cookie";
const AEAD_SALT: &str = "authenticated encrypted cookie";
const CBC_SALT: &str = "encrypted cookie";
const CBC_SIGN_SALT: &str = "signed encrypted cookie";

/// Which cookie jar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `cookies.signed`.
    Signed,
    /// `cookies.encrypted`.
    Encrypted,
}

/// One Rails format.
#[derive(Debug, Clone, Copy)]
pub struct Rails {
    kind: Kind,
}

impl Rails {
    /// The format for `kind`.
    pub const fn new(kind: Kind) -> Self {
        Self { kind }
    }
}

/// The `KeyGenerator` hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyGen {
    Sha1,
    Sha256,
}

impl KeyGen {
    fn describe(self) -> &'static str {
        match self {
            KeyGen::Sha1 => "SHA1: Rails <= 6.1 defaults",
            KeyGen::Sha256 => "SHA256: Rails 7.0+ defaults",
        }
    }

    fn name(self) -> &'static str {
        match self {
            KeyGen::Sha1 => "SHA1",
            KeyGen::Sha256 => "SHA256",
        }
    }

    fn derive(self, secret: &[u8], salt: &str, out: &mut [u8]) {
        match self {
            KeyGen::Sha1 => {
                pbkdf2::pbkdf2_hmac::<sha1::Sha1>(secret, salt.as_bytes(), ITERATIONS, out);
            }
            KeyGen::Sha256 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha256>(secret, salt.as_bytes(), ITERATIONS, out);
            }
        }
    }
}

fn key_gens(params: &FormatParams) -> Result<&'static [KeyGen], ParamError> {
    parse_key_gens(params.key_derivation.as_deref())
}

/// The key generators a `key_derivation` names: one, or both (SHA256 first) when it is `None`.
fn parse_key_gens(name: Option<&str>) -> Result<&'static [KeyGen], ParamError> {
    match name {
        None => Ok(&[KeyGen::Sha256, KeyGen::Sha1]),
        Some("pbkdf2-sha1" | "sha1") => Ok(&[KeyGen::Sha1]),
        Some("pbkdf2-sha256" | "sha256") => Ok(&[KeyGen::Sha256]),
        Some(other) => Err(ParamError(format!(
            "the Rails key generator is pbkdf2-sha1 (Rails <= 6.1 defaults) or pbkdf2-sha256 (7.0+), not {other:?}"
        ))),
    }
}

/// What `sign` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// 7.1+: `{"_rails":{"data":..,"pur":..}}`, SHA256 key generator.
    Data,
    /// 5.2–7.0: `{"_rails":{"message":..,"exp":null,"pur":..}}`.
    Message(KeyGen),
    /// Before 5.2: the bare JSON; encrypted cookies in AES-256-CBC + HMAC.
    Bare,
}

fn style(params: &FormatParams) -> Result<Style, ParamError> {
    match params.variant.as_deref() {
        None | Some("rails-7.1" | "rails-7.2" | "rails-8" | "rails-8.0") => Ok(Style::Data),
        Some("rails-7.0") => Ok(Style::Message(KeyGen::Sha256)),
        Some("rails-5.2" | "rails-6.0" | "rails-6.1") => Ok(Style::Message(KeyGen::Sha1)),
        Some("rails-5.1" | "rails-5.0" | "rails-4") => Ok(Style::Bare),
        Some("marshal") => Err(ParamError(
            "Signet reads Marshal cookies but never writes them (that would need instantiating Ruby objects); re-sign as JSON, which :hybrid apps and the :marshal serializer's JSON fallback both read".into(),
        )),
        Some(other) => Err(ParamError(format!(
            "Rails variants: rails-7.1 (default: data envelope), rails-7.0, rails-6.1, rails-5.2 (message envelope), rails-5.1 (no envelope, legacy CBC encryption), not {other:?}"
        ))),
    }
}

/// Rack's unescaping of `%XX`, once. Only the upper-case escapes Rack writes are decoded: a
/// hand-lowered `%2b` stays as it is (Rack would accept it; no browser or Rails writes it).
fn rack_unescape(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut changed = false;
    let hex = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(h << 4 | l);
            i += 3;
            changed = true;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    if changed {
        String::from_utf8(out).ok()
    } else {
        None
    }
}

/// `Rack::Utils.escape` for the characters a Rails cookie value can hold.
fn rack_escape(text: &str) -> String {
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

/// `Base64.strict_decode64`.
fn strict_b64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

/// `ActiveSupport::JSON.encode`: compact, `<`, `>`, `&`, U+2028 and U+2029 escaped.
pub fn rails_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The message inside a cookie, read as the cookie jar reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The value the app sees.
    pub value: Result<Value, String>,
    /// The envelope's purpose: `None` without an envelope.
    pub purpose: Option<Option<String>>,
    /// The envelope's `exp`, as written.
    pub exp: Option<String>,
    /// Remarks: envelope style, serializer.
    pub notes: Vec<String>,
}

fn deserialize(bytes: &[u8], notes: &mut Vec<String>) -> Result<Value, String> {
    if marshal::is_marshal(bytes) {
        notes.push("serializer: Marshal (:marshal / :hybrid apps); shown as a read-only tree, re-signing writes JSON".into());
        return marshal::load(bytes);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "the message is neither JSON (not UTF-8) nor Marshal".to_string())?;
    serde_json::from_str::<Value>(text)
        .map_err(|e| format!("the message is neither Marshal nor JSON ({e})"))
}

/// Reads a decoded (verified or decrypted) message: envelope, serializer, value.
pub fn read_message(bytes: &[u8]) -> Message {
    let mut notes = Vec::new();
    if !marshal::is_marshal(bytes)
        && let Ok(Value::Object(outer)) = serde_json::from_slice::<Value>(bytes)
        && let Some(Value::Object(meta)) = outer.get("_rails")
    {
        let purpose = Some(match meta.get("pur") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        });
        let exp = match meta.get("exp") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let value = if let Some(data) = meta.get("data") {
            notes.push(
                "envelope: Rails 7.1+ {\"_rails\":{\"data\":..}} (use_message_serializer_for_metadata)"
                    .into(),
            );
            Ok(data.clone())
        } else if let Some(Value::String(m)) = meta.get("message") {
            notes.push("envelope: Rails 5.2-7.0 {\"_rails\":{\"message\":base64}}".into());
            match strict_b64(m) {
                Some(inner) => {
                    let v = deserialize(&inner, &mut notes);
                    if v.is_ok() && !marshal::is_marshal(&inner) {
                        notes.push("serializer: JSON".into());
                    }
                    v
                }
                None => Err("the envelope's message is not strict base64".into()),
            }
        } else {
            Err("the _rails envelope has neither data nor message".into())
        };
        return Message {
            value,
            purpose,
            exp,
            notes,
        };
    }
    let value = deserialize(bytes, &mut notes);
    if value.is_ok() {
        if !marshal::is_marshal(bytes) {
            notes.push("serializer: JSON".into());
        }
        notes.push("no metadata envelope (before Rails 5.2, or written without a purpose)".into());
    }
    Message {
        value,
        purpose: None,
        exp: None,
        notes,
    }
}

/// The layout found by `decode`.
enum Layout<'a> {
    /// `data--hexdigest` (signed; for encrypted, the legacy CBC form).
    Signed { data: &'a str, hex: &'a str },
    /// `ct--iv--tag`.
    Gcm {
        ct: Vec<u8>,
        iv: Vec<u8>,
        tag: Vec<u8>,
    },
}

/// `value.split("--")` as Ruby splits it (trailing empty pieces dropped).
fn ruby_split(value: &str) -> Vec<&str> {
    let mut pieces: Vec<&str> = value.split("--").collect();
    while pieces.last().is_some_and(|p| p.is_empty()) {
        pieces.pop();
    }
    pieces
}

/// The layout and how many bytes of `value` it uses: MessageVerifier destructures
/// `data, digest = split("--")` and MessageEncryptor `ct, iv, tag = ...`, ignoring the rest.
fn split_layout(kind: Kind, value: &str) -> Result<(Layout<'_>, usize), String> {
    let pieces = ruby_split(value);
    let used = |n: usize| pieces[..n].iter().map(|p| p.len()).sum::<usize>() + 2 * (n - 1);
    match (kind, pieces.as_slice()) {
        (Kind::Signed, [data, hex, ..]) | (Kind::Encrypted, [data, hex]) => {
            if data.is_empty() {
                return Err("the data before \"--\" is empty".into());
            }
            if hex.is_empty() {
                return Err("the HMAC after \"--\" is empty".into());
            }
            Ok((Layout::Signed { data, hex }, used(2)))
        }
        (Kind::Encrypted, [ct, iv, tag, ..]) => {
            let part = |name: &str, text: &str| {
                strict_b64(text).ok_or_else(|| {
                    format!("the {name} ({} chars) is not strict padded base64", text.len())
                })
            };
            let (ct, iv, tag) = (part("ciphertext", ct)?, part("IV", iv)?, part("tag", tag)?);
            if iv.len() != 12 {
                return Err(format!(
                    "the IV has {} bytes; AES-256-GCM cookies have 12",
                    iv.len()
                ));
            }
            if tag.len() != 16 {
                return Err(format!(
                    "the auth tag has {} bytes; Rails requires 16 (truncated?)",
                    tag.len()
                ));
            }
            Ok((Layout::Gcm { ct, iv, tag }, used(3)))
        }
        (Kind::Signed, _) => Err(
            "a signed cookie is base64 data, \"--\" and a hex HMAC; there is no \"--\"".into(),
        ),
        (Kind::Encrypted, _) => Err(
            "an encrypted cookie is ciphertext--iv--tag (or the legacy data--hmac); there is no \"--\"".into(),
        ),
    }
}

fn hex_digest(hex: &str) -> Result<Digest, String> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("the HMAC {hex:?} is not hex"));
    }
    match hex.len() {
        40 => Ok(Digest::Sha1),
        56 => Ok(Digest::Sha224),
        64 => Ok(Digest::Sha256),
        96 => Ok(Digest::Sha384),
        128 => Ok(Digest::Sha512),
        n => Err(format!(
            "the HMAC has {n} hex digits; SHA1/SHA256/SHA512 give 40/64/128"
        )),
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl CookieFormat for Rails {
    fn id(&self) -> &'static str {
        match self.kind {
            Kind::Signed => "rails-signed",
            Kind::Encrypted => "rails-encrypted",
        }
    }

    fn label(&self) -> &'static str {
        match self.kind {
            Kind::Signed => "Rails signed cookies (ActiveSupport MessageVerifier)",
            Kind::Encrypted => "Rails encrypted cookies (AES-256-GCM, PBKDF2-derived key)",
        }
    }

    fn check_params(&self, params: &FormatParams) -> Result<(), ParamError> {
        key_gens(params)?;
        if let Some(v) = params.variant.as_deref()
            && v != "marshal"
        {
            style(params)?;
        }
        Ok(())
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let d = self.decode(value, params).ok()?;
        let gcm = d.parts.iter().any(|p| p.kind == PartKind::Iv);
        let (score, what) = match self.kind {
            Kind::Signed if d.payload.is_ok() => {
                (85, "base64 data \"--\" hex HMAC (Rails MessageVerifier)")
            }
            Kind::Signed => (
                30,
                "base64 \"--\" hex HMAC, but the data is not a Rails message",
            ),
            Kind::Encrypted if gcm => (
                85,
                "ciphertext--iv--tag (Rails AES-256-GCM MessageEncryptor)",
            ),
            // A legacy CBC cookie's data is base64 of "ct--iv".
            Kind::Encrypted => (
                60,
                "base64(ciphertext--iv) \"--\" hex HMAC (Rails legacy AES-256-CBC)",
            ),
        };
        Some(Detection::new(score, what, &d))
    }

    fn decode(&self, raw: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        key_gens(params).map_err(|e| Malformed(e.0))?;
        if raw.len() > MAX_VALUE {
            return Err(Malformed(format!(
                "the value has {} bytes, far more than any browser keeps in a cookie",
                raw.len()
            )));
        }
        let mut notes = Vec::new();
        let unescaped = rack_unescape(raw);
        if unescaped.is_some() {
            notes.push("URL-encoded in transit (Rack): %XX escapes decoded once".to_string());
        }
        let value = unescaped.as_deref().unwrap_or(raw);
        let (layout, used) = split_layout(self.kind, value).map_err(Malformed)?;
        let mut parts = Vec::new();
        let mut offset = 0;
        let mut push = |kind: PartKind, len: usize, parts: &mut Vec<Part>| {
            parts.push(Part {
                kind,
                span: offset..offset + len,
            });
            offset += len;
        };
        let mut problem = None;
        let (payload, digest, signature, signed) = match &layout {
            Layout::Signed { data, hex } => {
                let digest = match params.digest {
                    Some(d) => d,
                    None => hex_digest(hex).map_err(Malformed)?,
                };
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(Malformed(format!("the HMAC {hex:?} is not hex")));
                }
                push(PartKind::Payload, data.len(), &mut parts);
                push(PartKind::Separator, 2, &mut parts);
                push(PartKind::Signature, hex.len(), &mut parts);
                if hex.bytes().any(|b| b.is_ascii_uppercase()) {
                    notes.push("the HMAC has upper-case hex digits: Rails compares the lower-case hex text, so no key verifies it".into());
                }
                let payload = match (self.kind, strict_b64(data)) {
                    (_, None) => {
                        let e = format!(
                            "the data ({} chars) is not strict padded base64",
                            data.len()
                        );
                        problem = Some(e.clone());
                        Err(e)
                    }
                    (Kind::Signed, Some(bytes)) => {
                        let m = read_message(&bytes);
                        notes.extend(m.notes.iter().cloned());
                        if let Some(Some(p)) = &m.purpose {
                            notes.push(format!("purpose {p:?}"));
                        }
                        if let Some(exp) = &m.exp {
                            notes.push(format!("expires {exp} (the envelope's exp)"));
                        }
                        m.value
                    }
                    (Kind::Encrypted, Some(bytes)) => {
                        let inner = std::str::from_utf8(&bytes).ok().and_then(|t| {
                            let (ct, iv) = t.split_once("--")?;
                            Some((strict_b64(ct)?, strict_b64(iv)?))
                        });
                        match inner {
                            Some((ct, iv))
                                if iv.len() == 16 && !ct.is_empty() && ct.len() % 16 == 0 =>
                            {
                                notes.push("legacy AES-256-CBC + HMAC cookie (Rails 4.x-5.1, or rotated from them)".into());
                                Err("encrypted (AES-256-CBC): only a key decrypts it".into())
                            }
                            _ => {
                                return Err(Malformed(
                                    "a legacy encrypted cookie's data must be base64 of base64(ciphertext)--base64(16-byte IV), with whole AES blocks".into(),
                                ));
                            }
                        }
                    }
                };
                (
                    payload,
                    Some(digest),
                    hex.as_bytes().to_vec(),
                    0..data.len(),
                )
            }
            Layout::Gcm { ct: _, iv: _, tag } => {
                let pieces = ruby_split(value);
                push(PartKind::Payload, pieces[0].len(), &mut parts);
                push(PartKind::Separator, 2, &mut parts);
                push(PartKind::Iv, pieces[1].len(), &mut parts);
                push(PartKind::Separator, 2, &mut parts);
                push(PartKind::AuthTag, pieces[2].len(), &mut parts);
                (
                    Err("encrypted (AES-256-GCM): only a key decrypts it".to_string()),
                    None,
                    tag.clone(),
                    0..value.len(),
                )
            }
        };
        if used < value.len() {
            parts.push(Part {
                kind: PartKind::Marker,
                span: used..value.len(),
            });
            notes.push(format!(
                "{} characters after the last part Rails reads: it ignores them",
                value.len() - used
            ));
        }
        let cookie_name = params.cookie_name.clone();
        if cookie_name.is_none() {
            notes.push("the cookie's name is unknown (give name=value input or --cookie-name): the purpose cookie.NAME is not checked".into());
        }
        Ok(Decoded {
            format: self.id(),
            value: value.to_string(),
            cookie_name,
            parts,
            payload,
            signed_at: None,
            compressed: false,
            digest,
            notes,
            problem,
            lenient_parts: Vec::new(),
            header: None,
            signed,
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

    /// A Rails app's key set: `secret_key_base` first, derived with the app's
    /// `key_generator_hash_digest_class`, whose encrypted jar also reads legacy AES-256-CBC
    /// cookies (`upgrade_legacy_hmac_aes_cbc_cookies`, on since Rails 5.2); then each
    /// `cookies_rotations` entry, keys derived from a `secret_key_base` with that entry's own
    /// hash (the Rails 7.0 upgrade guide's recipe), which `rotate :encrypted, key` makes an
    /// AES-256-GCM encryptor that reads no CBC cookie. An entry with no key derivation, its own
    /// or the set's, tries both hashes.
    fn key_set_verifier(
        &self,
        entries: &[KeyEntry],
        params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        let digests = set_digests(entries, params);
        let mut keys = Vec::with_capacity(entries.len());
        for (i, (e, digest)) in entries.iter().zip(digests).enumerate() {
            let gens = parse_key_gens(e.derivation(params))?;
            keys.push((&e.secret, gens, digest, i == 0));
        }
        Ok(Box::new(self.prepare_keys(keys.into_iter(), params)))
    }

    fn rotation_findings(
        &self,
        current: &[KeyEntry],
        proposed: &[KeyEntry],
        params: &FormatParams,
    ) -> Vec<String> {
        let pinned = |e: &KeyEntry| match parse_key_gens(e.derivation(params)) {
            Ok(&[one]) => Some(one),
            _ => None,
        };
        let mut out = vec![
            "Rails reads a cookie with secret_key_base, derived with config.active_support.key_generator_hash_digest_class (SHA1 before load_defaults 7.0, SHA256 since), then with each config.action_dispatch.cookies_rotations entry in order, and re-writes a cookie read through a rotation with the primary; legacy AES-256-CBC cookies are read with secret_key_base alone.".to_string(),
        ];
        if current.iter().chain(proposed).any(|e| pinned(e).is_none()) {
            out.push("Some keys have no key generator given, so Signet tried both SHA1 and SHA256 for them where a Rails app derives each key with one: pin them (signet rotate --key-derivation, or per key --from-key-derivation / --to-key-derivation) for an exact preview.".into());
        }
        match self.kind {
            Kind::Signed => out.extend(digest_findings(current, proposed, params)),
            Kind::Encrypted => {
                if current
                    .get(1..)
                    .unwrap_or_default()
                    .iter()
                    .chain(proposed.get(1..).unwrap_or_default())
                    .any(|e| e.digest.is_some())
                {
                    out.push("The encrypted jar reads cookies_rotations entries as AES-256-GCM, which has no digest: only secret_key_base's digest counts, for the HMAC of its legacy AES-256-CBC cookies.".into());
                }
            }
        }
        if let (Some(cur), Some(next)) = (current.first(), proposed.first())
            && let (Some(old), Some(new)) = (pinned(cur), pinned(next))
            && old != new
            && !proposed
                .iter()
                .any(|e| e.secret == cur.secret && pinned(e) != Some(new))
        {
            let (old, new) = (old.name(), new.name());
            out.push(format!(
                "Warning: the proposed secret_key_base is derived with {new} where the current one is derived with {old} (Rails 7.0 changed key_generator_hash_digest_class to SHA256), and no proposed entry keeps the current secret_key_base with {old}: every cookie signed today is logged out. Keep it as a cookies_rotations entry with keys derived by {old} (the Rails 7.0 upgrade guide's recipe; here, the current key as a proposed fallback with key derivation pbkdf2-{}).",
                old.to_lowercase()
            ));
        }
        out
    }

    fn sign(
        &self,
        payload: &Value,
        key: &Secret,
        params: &FormatParams,
        _timestamp: i64,
    ) -> Result<String, SignError> {
        let style = style(params).map_err(|e| SignError::Unsupported(e.0))?;
        let forced = key_gens(params).map_err(|e| SignError::Param(e.0))?;
        let keygen = match (params.key_derivation.as_deref(), style) {
            (Some(_), _) => forced[0],
            (None, Style::Data) => KeyGen::Sha256,
            (None, Style::Message(k)) => k,
            (None, Style::Bare) => KeyGen::Sha1,
        };
        let json = rails_json(payload);
        let message = match style {
            Style::Bare => json,
            Style::Data | Style::Message(_) => {
                let name = params.cookie_name.as_deref().ok_or_else(|| {
                    SignError::Param(
                        "Rails binds a cookie to its name (purpose cookie.NAME): give --cookie-name"
                            .into(),
                    )
                })?;
                let purpose = rails_json(&Value::String(format!("cookie.{name}")));
                if style == Style::Data {
                    format!("{{\"_rails\":{{\"data\":{json},\"pur\":{purpose}}}}}")
                } else {
                    let inner = rails_json(&Value::String(b64std(json.as_bytes())));
                    format!("{{\"_rails\":{{\"message\":{inner},\"exp\":null,\"pur\":{purpose}}}}}")
                }
            }
        };
        let secret = key.expose();
        let out = match (self.kind, style) {
            (Kind::Signed, _) => {
                let mut k = Zeroizing::new([0u8; 64]);
                keygen.derive(
                    secret,
                    params.salt.as_deref().unwrap_or(SIGNED_SALT),
                    &mut k[..],
                );
                let digest = params.digest.unwrap_or(Digest::Sha1);
                let data = b64std(message.as_bytes());
                let mac = KeyedMac::new(digest, &k[..]).tag(&[data.as_bytes()]);
                format!("{data}--{}", hex_lower(mac.as_bytes()))
            }
            (Kind::Encrypted, Style::Bare) => {
                let (mut enc, mut sig) = (Zeroizing::new([0u8; 32]), Zeroizing::new([0u8; 64]));
                keygen.derive(secret, CBC_SALT, &mut enc[..]);
                keygen.derive(secret, CBC_SIGN_SALT, &mut sig[..]);
                let mut iv = [0u8; 16];
                getrandom::fill(&mut iv).map_err(|e| {
                    SignError::Unsupported(format!(
                        "the OS random generator failed to give an IV: {e}"
                    ))
                })?;
                let ct = cbc_encrypt(&enc, &iv, message.as_bytes());
                let data = b64std(format!("{}--{}", b64std(&ct), b64std(&iv)).as_bytes());
                let digest = params.digest.unwrap_or(Digest::Sha1);
                let mac = KeyedMac::new(digest, &sig[..]).tag(&[data.as_bytes()]);
                format!("{data}--{}", hex_lower(mac.as_bytes()))
            }
            (Kind::Encrypted, _) => {
                let mut k = Zeroizing::new([0u8; 32]);
                keygen.derive(
                    secret,
                    params.salt.as_deref().unwrap_or(AEAD_SALT),
                    &mut k[..],
                );
                let (iv, mut sealed) = gcm_seal(&k[..], message.as_bytes(), b"")?;
                let tag = sealed.split_off(sealed.len() - 16);
                format!("{}--{}--{}", b64std(&sealed), b64std(&iv), b64std(&tag))
            }
        };
        Ok(rack_escape(&out))
    }
}

/// Each entry's signing digest as a Rails app has it: its own (`digest:`), else the set's
/// (`--digest`), else, for a `cookies_rotations` entry, `secret_key_base`'s (the jar's rotator
/// merges the primary's options into each rotation's); `None`: not given, the signature's length
/// decides.
fn set_digests(entries: &[KeyEntry], params: &FormatParams) -> Vec<Option<Digest>> {
    let primary = entries.first().and_then(|e| e.digest_in(params));
    entries
        .iter()
        .map(|e| e.digest_in(params).or(primary))
        .collect()
}

/// The signed jar's digest traps: a set whose `secret_key_base` has no digest given (Signet then
/// takes the one each signature's length says, where the app signs and verifies with
/// `signed_cookie_digest`, SHA1 unless set), and a proposed `signed_cookie_digest` that changes
/// with no `cookies_rotations` entry keeping the current key with the old digest.
fn digest_findings(
    current: &[KeyEntry],
    proposed: &[KeyEntry],
    params: &FormatParams,
) -> Vec<String> {
    let mut out = Vec::new();
    let (now, next) = (set_digests(current, params), set_digests(proposed, params));
    if now.iter().chain(&next).any(Option::is_none) {
        out.push("No digest is given for secret_key_base, so Signet took the one each signature's length says, where a Rails app verifies with config.action_dispatch.signed_cookie_digest (SHA1 unless set), and each cookies_rotations entry with its own digest: option or else that one: pin them (signet rotate --digest, or per key --from-digest / --to-digest) for an exact preview.".into());
    }
    if let (Some(cur), Some(Some(old)), Some(Some(new))) =
        (current.first(), now.first(), next.first())
        && old != new
        && !proposed
            .iter()
            .zip(&next)
            .any(|(e, d)| e.secret == cur.secret && *d == Some(*old))
    {
        let (old, new) = (old.name().to_uppercase(), new.name().to_uppercase());
        out.push(format!(
            "Warning: the proposed signed_cookie_digest is {new} where cookies are signed with {old} today, and no proposed entry keeps the current secret_key_base with {old}: the cookies it signs today are logged out. Keep it as a rotation: cookies.rotate :signed, key, digest: \"{old}\" (here, the current key as a proposed fallback with digest {}).",
            old.to_lowercase()
        ));
    }
    out
}

fn cbc_encrypt(key: &[u8; 32], iv: &[u8; 16], plaintext: &[u8]) -> Vec<u8> {
    use cbc::cipher::{BlockModeEncrypt as _, KeyIvInit as _, block_padding::Pkcs7};
    cbc::Encryptor::<aes::Aes256>::new(key.into(), iv.into()).encrypt_padded_vec::<Pkcs7>(plaintext)
}

fn cbc_decrypt(key: &[u8], iv: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
    use cbc::cipher::{BlockModeDecrypt as _, KeyIvInit as _, block_padding::Pkcs7};
    cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded_vec::<Pkcs7>(ct)
        .ok()
}

/// The legacy CBC keys: encryption (`encrypted cookie`) and signing (`signed encrypted cookie`).
type CbcKeys = (Zeroizing<[u8; 32]>, Zeroizing<[u8; 64]>);

/// One key under one key generator, derived lazily per salt.
struct Derived {
    index: usize,
    keygen: KeyGen,
    /// The HMAC digest this key signs with; `None`: the one the signature's length says.
    digest: Option<Digest>,
    /// Whether it reads legacy AES-256-CBC cookies (see [`Rails::key_set_verifier`]).
    legacy_cbc: bool,
    secret: Secret,
    salt: String,
    signed: OnceLock<Zeroizing<[u8; 64]>>,
    aead: OnceLock<Option<Aes256Gcm>>,
    cbc: OnceLock<CbcKeys>,
}

impl Derived {
    fn signed_mac(&self, digest: Digest) -> KeyedMac {
        let key = self.signed.get_or_init(|| {
            let mut k = Zeroizing::new([0u8; 64]);
            self.keygen
                .derive(self.secret.expose(), &self.salt, &mut k[..]);
            k
        });
        KeyedMac::new(digest, &key[..])
    }

    fn aead(&self) -> Option<&Aes256Gcm> {
        self.aead
            .get_or_init(|| {
                let mut k = Zeroizing::new([0u8; 32]);
                self.keygen
                    .derive(self.secret.expose(), &self.salt, &mut k[..]);
                Aes256Gcm::new_from_slice(&k[..]).ok()
            })
            .as_ref()
    }

    fn cbc(&self) -> &CbcKeys {
        self.cbc.get_or_init(|| {
            let (mut enc, mut sig) = (Zeroizing::new([0u8; 32]), Zeroizing::new([0u8; 64]));
            self.keygen
                .derive(self.secret.expose(), CBC_SALT, &mut enc[..]);
            self.keygen
                .derive(self.secret.expose(), CBC_SIGN_SALT, &mut sig[..]);
            (enc, sig)
        })
    }
}

impl Rails {
    /// Prepares the key list (keys are derived on first use, once).
    pub fn prepare(
        &self,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<RailsVerifier, ParamError> {
        let gens = key_gens(params)?;
        Ok(self.prepare_keys(keys.iter().map(|k| (k, gens, params.digest, true)), params))
    }

    /// Prepares keys in order, each with its key generators, its digest (`None`: the one the
    /// signature's length says) and whether it reads legacy CBC cookies.
    fn prepare_keys<'a>(
        &self,
        keys: impl Iterator<Item = (&'a Secret, &'static [KeyGen], Option<Digest>, bool)>,
        params: &FormatParams,
    ) -> RailsVerifier {
        let salt = params.salt.clone().unwrap_or_else(|| {
            match self.kind {
                Kind::Signed => SIGNED_SALT,
                Kind::Encrypted => AEAD_SALT,
            }
            .to_string()
        });
        let mut derived = Vec::new();
        for (index, (k, gens, digest, legacy_cbc)) in keys.enumerate() {
            for &keygen in gens {
                derived.push(Derived {
                    index,
                    keygen,
                    digest,
                    legacy_cbc,
                    secret: k.clone(),
                    salt: salt.clone(),
                    signed: OnceLock::new(),
                    aead: OnceLock::new(),
                    cbc: OnceLock::new(),
                });
            }
        }
        RailsVerifier {
            kind: self.kind,
            keys: derived,
        }
    }
}

/// A prepared key list for one of the two jars.
pub struct RailsVerifier {
    kind: Kind,
    keys: Vec<Derived>,
}

impl RailsVerifier {
    /// Verifies (signed) or decrypts (encrypted) `decoded`, returning the verdict and the value
    /// the app reads (`None` when no key opened it).
    pub fn open(&self, decoded: &Decoded, opts: &VerifyOptions) -> (Verification, Option<Value>) {
        let mut result = Verification::new(Verdict::Unverified);
        if self.keys.is_empty() {
            return (result, None);
        }
        let layout = match split_layout(self.kind, &decoded.value) {
            Ok((l, _)) => l,
            Err(e) => {
                result.verdict = Verdict::Malformed(e);
                return (result, None);
            }
        };
        // The key that opens it and the message bytes it gives.
        let opened: Option<(&Derived, Result<Vec<u8>, String>)> = match &layout {
            Layout::Signed { data, hex } => {
                if decoded.digest.is_none() && self.keys.iter().all(|k| k.digest.is_none()) {
                    result.verdict = Verdict::Malformed("the HMAC length fits no digest".into());
                    return (result, None);
                }
                let found = self.keys.iter().find(|k| {
                    // The key's own digest (a `cookies_rotations` entry's, the app's
                    // signed_cookie_digest), else the one the signature's length says.
                    let Some(digest) = k.digest.or(decoded.digest) else {
                        return false;
                    };
                    let mac = match self.kind {
                        Kind::Signed => k.signed_mac(digest),
                        Kind::Encrypted if !k.legacy_cbc => return false,
                        Kind::Encrypted => KeyedMac::new(digest, &k.cbc().1[..]),
                    };
                    ct_eq(
                        hex_lower(mac.tag(&[data.as_bytes()]).as_bytes()).as_bytes(),
                        hex.as_bytes(),
                    )
                });
                found.map(|k| {
                    let bytes =
                        strict_b64(data).ok_or_else(|| "the data is not strict base64".to_string());
                    let bytes = match self.kind {
                        Kind::Signed => bytes,
                        Kind::Encrypted => bytes.and_then(|b| {
                            let text = String::from_utf8(b)
                                .map_err(|_| "the data is not base64 text".to_string())?;
                            let (ct, iv) = text
                                .split_once("--")
                                .and_then(|(c, i)| Some((strict_b64(c)?, strict_b64(i)?)))
                                .ok_or_else(|| {
                                    "the data is not base64(ciphertext)--base64(iv)".to_string()
                                })?;
                            cbc_decrypt(&k.cbc().0[..], &iv, &ct).ok_or_else(|| {
                                "it does not decrypt with AES-256-CBC (bad padding)".to_string()
                            })
                        }),
                    };
                    (k, bytes)
                })
            }
            Layout::Gcm { ct, iv, tag } => {
                let mut sealed = Vec::with_capacity(ct.len() + tag.len());
                sealed.extend_from_slice(ct);
                sealed.extend_from_slice(tag);
                self.keys.iter().find_map(|k| {
                    let plain = gcm_open_with(k.aead()?, iv, &sealed, b"")?;
                    Some((k, Ok(plain)))
                })
            }
        };
        let Some((key, bytes)) = opened else {
            result.verdict = match &decoded.problem {
                Some(problem) => Verdict::Malformed(problem.clone()),
                None => Verdict::BadSignature,
            };
            return (result, None);
        };
        result.key_index = Some(key.index);
        result.notes.push(format!(
            "key #{} derived with {}",
            key.index,
            key.keygen.describe()
        ));
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                result.verdict = Verdict::Malformed(format!("the key matches, but {e}"));
                return (result, None);
            }
        };
        let message = read_message(&bytes);
        if self.kind == Kind::Encrypted {
            result.notes.extend(message.notes.iter().cloned());
        }
        let value = match message.value {
            Ok(v) => v,
            Err(e) => {
                result.verdict = Verdict::Malformed(format!("the key matches, but {e}"));
                return (result, None);
            }
        };
        if let Some(purpose) = &message.purpose {
            let shown = purpose.as_deref().unwrap_or("none");
            match decoded.cookie_name.as_deref() {
                None => result.notes.push(format!(
                    "purpose {shown:?} not checked: the cookie's name is unknown"
                )),
                Some(name) => {
                    let expected = format!("cookie.{name}");
                    // The jar tries the purpose, then no purpose: an envelope with a null
                    // purpose is read under any name.
                    if purpose.as_deref().is_some_and(|p| p != expected) {
                        result.notes.push(format!(
                            "key #{} signed it for purpose {shown:?}, but this cookie is named {name:?} (purpose {expected:?}): Rails ignores it",
                            key.index
                        ));
                        result.key_index = None;
                        result.verdict = Verdict::BadSignature;
                        return (result, Some(value));
                    }
                }
            }
        }
        if let Some(exp) = &message.exp {
            match jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%.f%:z", exp.replace('Z', "+00:00"))
                .ok()
                .or_else(|| exp.parse::<jiff::Timestamp>().ok())
            {
                Some(t) if opts.now >= t.as_second() + i64::from(t.subsec_nanosecond() > 0) => {
                    result.verdict = Verdict::Expired(format!("the envelope expired at {exp}"));
                    return (result, Some(value));
                }
                Some(_) => result.notes.push(format!("expires at {exp}")),
                None => {
                    result.verdict = Verdict::Malformed(format!(
                        "the key matches, but the envelope's exp {exp:?} is not an ISO 8601 time"
                    ));
                    return (result, None);
                }
            }
        }
        result.verdict = Verdict::Valid;
        if self.kind == Kind::Encrypted {
            result
                .notes
                .push(format!("decrypted value: {}", rails_json(&value)));
        }
        (result, Some(value))
    }
}

impl Verifier for RailsVerifier {
    fn verify(&self, decoded: &Decoded, opts: &VerifyOptions) -> Verification {
        let (mut v, opened) = self.open(decoded, opts);
        if self.kind == Kind::Encrypted {
            v.opened = opened;
        }
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

    #[test]
    fn round_trips_in_every_style() {
        let key = Secret::from_text("secret_key_base");
        let other = Secret::from_text("other");
        let payload = json!({"user_id": 42, "name": "<é>"});
        for kind in [Kind::Signed, Kind::Encrypted] {
            let f = Rails::new(kind);
            for variant in [
                None,
                Some("rails-7.0"),
                Some("rails-6.1"),
                Some("rails-5.1"),
            ] {
                let params = FormatParams {
                    variant: variant.map(str::to_string),
                    ..named("session")
                };
                let cookie = f.sign(&payload, &key, &params, 0).expect("signs");
                let d = f.decode(&cookie, &named("session")).expect("decodes");
                let v = f
                    .prepare(&[other.clone(), key.clone()], &FormatParams::default())
                    .expect("k");
                let (got, value) = v.open(&d, &VerifyOptions::at(0));
                assert_eq!(got.verdict, Verdict::Valid, "{kind:?} {variant:?} {cookie}");
                assert_eq!(got.key_index, Some(1));
                assert_eq!(value, Some(payload.clone()));
                if variant.is_some_and(|v| v != "rails-5.1") {
                    let renamed = f.decode(&cookie, &named("other")).expect("decodes");
                    assert_eq!(
                        v.open(&renamed, &VerifyOptions::at(0)).0.verdict,
                        Verdict::BadSignature
                    );
                }
            }
        }
    }

    #[test]
    fn marshal_is_never_written_and_hostile_values_are_errors() {
        let f = Rails::new(Kind::Encrypted);
        let params = FormatParams {
            variant: Some("marshal".into()),
            ..named("s")
        };
        assert!(
            f.sign(&json!({}), &Secret::from_text("k"), &params, 0)
                .is_err()
        );
        for bad in [
            "",
            "--",
            "a--b--c",
            "QUJD--QUJD--QUJD",
            "QUJD--AAAAAAAAAAAAAAAA--AAAA",
            "%%--%%",
        ] {
            assert!(f.decode(bad, &named("s")).is_err(), "{bad}");
        }
        let s = Rails::new(Kind::Signed);
        assert!(s.decode("e30=--abc", &named("s")).is_err());
        assert!(s.decode("e30=--zz", &named("s")).is_err());
    }

    fn entry(secret: &str, kd: Option<&str>) -> KeyEntry {
        KeyEntry {
            secret: Secret::from_text(secret),
            key_derivation: kd.map(str::to_string),
            digest: None,
        }
    }

    #[test]
    fn a_key_set_gives_each_entry_its_key_generator_and_cbc_to_the_primary_alone() {
        let f = Rails::new(Kind::Encrypted);
        let a = Secret::from_text("skb-a");
        let sign = |variant: &str| {
            let params = FormatParams {
                variant: Some(variant.into()),
                ..named("session")
            };
            let c = f.sign(&json!({"id": 1}), &a, &params, 0).expect("signs");
            f.decode(&c, &named("session")).expect("decodes")
        };
        // rails-6.1: SHA1 key generator; rails-7.0: SHA256; rails-5.1: legacy CBC (SHA1).
        let (sha1, sha256, cbc) = (sign("rails-6.1"), sign("rails-7.0"), sign("rails-5.1"));
        let opts = VerifyOptions::at(0);
        // The Rails 7.0 upgrade: B on SHA256, A kept as a SHA1 rotation.
        let upgrade = f
            .key_set_verifier(
                &[
                    entry("skb-b", Some("pbkdf2-sha256")),
                    entry("skb-a", Some("pbkdf2-sha1")),
                ],
                &FormatParams::default(),
            )
            .expect("key set");
        let got = |v: &dyn Verifier, d: &Decoded| {
            let r = v.verify(d, &opts);
            (r.verdict.status(), r.key_index)
        };
        assert_eq!(got(&*upgrade, &sha1), ("valid", Some(1)));
        assert_eq!(got(&*upgrade, &sha256), ("bad-signature", None));
        // A rotation entry is an AES-GCM encryptor: A's CBC cookie is read by no entry...
        assert_eq!(got(&*upgrade, &cbc), ("bad-signature", None));
        // ...but by A as secret_key_base, and by any key of an inspected key list.
        let primary = f
            .key_set_verifier(&[entry("skb-a", None)], &FormatParams::default())
            .expect("key set");
        assert_eq!(got(&*primary, &cbc), ("valid", Some(0)));
        assert_eq!(got(&*primary, &sha256), ("valid", Some(0)));
        let listed = f
            .verifier(
                &[Secret::from_text("skb-b"), a.clone()],
                &FormatParams::default(),
            )
            .expect("key list");
        assert_eq!(got(&*listed, &cbc), ("valid", Some(1)));
        assert!(
            f.key_set_verifier(&[entry("skb-a", Some("md5"))], &FormatParams::default())
                .is_err()
        );
    }

    #[test]
    fn switching_the_key_generator_without_a_rotation_is_a_warning() {
        let f = Rails::new(Kind::Signed);
        let params = FormatParams::default();
        let warned = |current: &[KeyEntry], proposed: &[KeyEntry]| {
            f.rotation_findings(current, proposed, &params)
                .iter()
                .any(|x| x.starts_with("Warning: the proposed secret_key_base is derived with SHA256 where the current one is derived with SHA1"))
        };
        let a1 = entry("a", Some("pbkdf2-sha1"));
        let now = std::slice::from_ref(&a1);
        assert!(warned(now, &[entry("a", Some("pbkdf2-sha256"))]));
        assert!(warned(now, &[entry("b", Some("pbkdf2-sha256"))]));
        // A SHA256 entry of the old secret does not read its SHA1 cookies either.
        let b256 = entry("b", Some("pbkdf2-sha256"));
        assert!(warned(
            now,
            &[b256.clone(), entry("a", Some("pbkdf2-sha256"))]
        ));
        assert!(!warned(now, &[b256, a1.clone()]));
        assert!(!warned(now, &[entry("b", Some("pbkdf2-sha1"))]));
        // Unpinned keys: no warning, a note that both hashes were tried.
        let unpinned = f.rotation_findings(&[entry("a", None)], &[entry("b", None)], &params);
        assert!(
            unpinned
                .iter()
                .any(|x| x.starts_with("Some keys have no key generator given")),
            "{unpinned:?}"
        );
        let pinned = FormatParams {
            key_derivation: Some("pbkdf2-sha256".into()),
            ..FormatParams::default()
        };
        assert!(
            !f.rotation_findings(&[entry("a", None)], &[entry("b", None)], &pinned)
                .iter()
                .any(|x| x.starts_with("Some keys"))
        );
    }

    #[test]
    fn each_entry_signs_with_its_own_digest_and_a_digest_switch_without_a_rotation_warns() {
        use crate::core::rotate::{Outcome, Rotation};
        let f = Rails::new(Kind::Signed);
        let now = 1_767_225_600;
        let params = FormatParams {
            key_derivation: Some("pbkdf2-sha256".into()),
            cookie_name: Some("session".into()),
            ..FormatParams::default()
        };
        let cookie = |digest: Digest| {
            let p = FormatParams {
                digest: Some(digest),
                ..params.clone()
            };
            f.sign(
                &serde_json::json!({"id": 1}),
                &Secret::from_text("a"),
                &p,
                now,
            )
            .expect("signs")
        };
        let with = |digest: Digest| KeyEntry {
            digest: Some(digest),
            ..entry("a", None)
        };
        let current = [with(Digest::Sha1)];
        // signed_cookie_digest SHA1 -> SHA256, the SHA1 signatures still read through a rotation.
        let kept = [with(Digest::Sha256), with(Digest::Sha1)];
        let rotation = |proposed: &[KeyEntry]| {
            Rotation::with_entries(
                "rails-signed",
                &current,
                proposed,
                params.clone(),
                VerifyOptions::at(now),
            )
            .expect("rotation")
        };
        let r = rotation(&kept);
        let sha1 = r.classify(&cookie(Digest::Sha1));
        assert_eq!(
            (sha1.outcome, sha1.now),
            (Outcome::ValidFallback(0), "valid")
        );
        let sha256 = r.classify(&cookie(Digest::Sha256));
        // The app signs with SHA1 today: it rejects a SHA256 signature of its own key.
        assert_eq!(
            (sha256.outcome, sha256.now),
            (Outcome::ValidPrimary, "bad-signature")
        );
        let warning = "Warning: the proposed signed_cookie_digest is SHA256";
        let warned = |proposed: &[KeyEntry]| {
            f.rotation_findings(&current, proposed, &params)
                .iter()
                .any(|x| x.starts_with(warning))
        };
        assert!(!warned(&kept));
        let dropped = [with(Digest::Sha256)];
        assert!(warned(&dropped));
        let r = rotation(&dropped);
        assert_eq!(
            r.classify(&cookie(Digest::Sha1)).outcome,
            Outcome::Invalidated
        );
        // A rotation entry without a digest of its own signs with secret_key_base's, as the
        // jar's rotator merges the primary's options: SHA256 here, so A's SHA1 cookies go.
        let inherited = [with(Digest::Sha256), entry("a", None)];
        assert!(warned(&inherited));
        let r = rotation(&inherited);
        assert_eq!(
            r.classify(&cookie(Digest::Sha1)).outcome,
            Outcome::Invalidated
        );
        assert_eq!(
            r.classify(&cookie(Digest::Sha256)).outcome,
            Outcome::ValidPrimary
        );
        // Digests not given: a note, and the signature's length decides.
        let unpinned = f.rotation_findings(&[entry("a", None)], &[entry("b", None)], &params);
        assert!(
            unpinned.iter().any(|x| x.starts_with("No digest is given")),
            "{unpinned:?}"
        );
        assert!(
            !f.rotation_findings(&current, &kept, &params)
                .iter()
                .any(|x| x.starts_with("No digest"))
        );
    }
}
