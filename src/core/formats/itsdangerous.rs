//! The itsdangerous family: Flask's session cookie, the bare `Signer`/`TimestampSigner`, the
//! serializers and Starlette's `SessionMiddleware`, as one configurable implementation
//! (mirrors `itsdangerous/signer.py`, `timed.py`, `serializer.py`, `url_safe.py`).
//!
//! Wire layout, with `.` the separator:
//!
//! ```text
//! [.]payload "." b64url(int_to_bytes(timestamp)) "." b64url(HMAC(derive_key(secret), signed))
//! ^ zlib marker (URL-safe serializers)    ^ timed kinds only
//! ```
//!
//! Keys: itsdangerous signs with the newest key and tries the newest first, then the older ones
//! from the most recent to the oldest. In Signet's key order (primary first, then fallbacks as the
//! app lists them) that is index 0, then n-1 down to 1: exactly Flask's `SECRET_KEY` followed by
//! `reversed(SECRET_KEY_FALLBACKS)`.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::core::encoding::{
    MAX_DECOMPRESSED, b64std, b64url_nopad, bytes_to_int, int_to_bytes, itsdangerous_b64decode,
    itsdangerous_b64decode_checked, py_a2b_base64, zlib_compress, zlib_decompress,
    zlib_decompress_into,
};
use crate::core::flask_tag;
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, Malformed, ParamError, PartKind, SignError, Verdict, Verification,
    VerifyOptions, signed_value_parts,
};
use crate::core::pyjson::{self, JsonStyle};
use crate::core::secret::Secret;
use crate::core::sha1x2::{Derivation, Sha1KeyBatch, Sha1Lanes, Sha1Search};
use crate::core::{
    CookieFormat, Detection, KeyCheck, PairVerdict, PairVerifier, Standing, Verifier,
};

/// Flask's default `PERMANENT_SESSION_LIFETIME` (31 days), applied to every session.
pub const FLASK_MAX_AGE: u64 = 31 * 24 * 3600;
/// Starlette's `SessionMiddleware` default `max_age` (14 days).
pub const STARLETTE_MAX_AGE: u64 = 14 * 24 * 3600;

/// How itsdangerous turns a secret into the HMAC key (`Signer.derive_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDerivation {
    /// `H(salt || secret)`.
    Concat,
    /// `H(salt || "signer" || secret)` (the default).
    DjangoConcat,
    /// `HMAC_H(key=secret, msg=salt)` (Flask).
    Hmac,
    /// The secret itself.
    None,
}

impl KeyDerivation {
    /// Parses the name itsdangerous uses.
    pub fn parse(name: &str) -> Result<Self, ParamError> {
        match name {
            "concat" => Ok(Self::Concat),
            "django-concat" => Ok(Self::DjangoConcat),
            "hmac" => Ok(Self::Hmac),
            "none" => Ok(Self::None),
            other => Err(ParamError(format!(
                "unknown key derivation {other:?} (expected concat, django-concat, hmac or none)"
            ))),
        }
    }

    /// `Signer.derive_key`.
    pub fn derive(self, digest: Digest, salt: &[u8], secret: &[u8]) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(match self {
            KeyDerivation::Concat => digest.hash(&[salt, secret]),
            KeyDerivation::DjangoConcat => digest.hash(&[salt, b"signer", secret]),
            KeyDerivation::Hmac => crate::core::mac::hmac(digest, secret, &[salt])
                .as_bytes()
                .to_vec(),
            KeyDerivation::None => secret.to_vec(),
        })
    }
}

/// Which member of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Flask's session cookie.
    Flask,
    /// `itsdangerous.Signer`.
    Signer,
    /// `itsdangerous.TimestampSigner`.
    TimestampSigner,
    /// `itsdangerous.Serializer` (plain JSON, not base64).
    Serializer,
    /// `itsdangerous.URLSafeSerializer`.
    UrlSafe,
    /// `itsdangerous.URLSafeTimedSerializer`.
    Timed,
    /// Starlette's `SessionMiddleware`.
    Starlette,
}

/// How the payload is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    /// The value itself (bare signers).
    Raw,
    /// JSON text, not encoded (`Serializer`).
    JsonText(JsonStyle),
    /// URL-safe base64 of JSON, zlib-compressed with a `.` marker when shorter.
    UrlSafe(JsonStyle),
    /// Standard padded base64 of JSON (Starlette).
    StdBase64(JsonStyle),
}

/// One member of the itsdangerous family.
#[derive(Debug, Clone, Copy)]
pub struct ItsDangerous {
    kind: Kind,
}

/// The parameters in force after defaults and overrides.
#[derive(Debug, Clone)]
struct Config {
    salt: Vec<u8>,
    sep: String,
    derivation: KeyDerivation,
    digest: Option<Digest>,
}

const B64_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=";

impl ItsDangerous {
    /// The family member `kind`.
    pub const fn new(kind: Kind) -> Self {
        Self { kind }
    }

    fn timed(&self) -> bool {
        matches!(
            self.kind,
            Kind::Flask | Kind::TimestampSigner | Kind::Timed | Kind::Starlette
        )
    }

    fn codec(&self) -> Codec {
        match self.kind {
            Kind::Signer | Kind::TimestampSigner => Codec::Raw,
            Kind::Serializer => Codec::JsonText(JsonStyle::PYTHON_DEFAULT),
            Kind::UrlSafe | Kind::Timed => Codec::UrlSafe(JsonStyle::ITSDANGEROUS_COMPACT),
            Kind::Flask => Codec::UrlSafe(JsonStyle::FLASK),
            Kind::Starlette => Codec::StdBase64(JsonStyle::PYTHON_DEFAULT),
        }
    }

    fn default_salt(&self) -> &'static str {
        match self.kind {
            Kind::Flask => "cookie-session",
            Kind::Signer | Kind::TimestampSigner | Kind::Starlette => "itsdangerous.Signer",
            Kind::Serializer | Kind::UrlSafe | Kind::Timed => "itsdangerous",
        }
    }

    fn default_max_age(&self) -> Option<u64> {
        match self.kind {
            Kind::Flask => Some(FLASK_MAX_AGE),
            Kind::Starlette => Some(STARLETTE_MAX_AGE),
            _ => None,
        }
    }

    fn config(&self, params: &FormatParams) -> Result<Config, ParamError> {
        let sep = params.separator.clone().unwrap_or_else(|| ".".into());
        if sep.is_empty() || sep.chars().any(|c| B64_ALPHABET.contains(c)) {
            return Err(ParamError(format!(
                "the separator {sep:?} may not be empty or contain base64 characters (A-Z a-z 0-9 - _ =)"
            )));
        }
        let derivation = match &params.key_derivation {
            Some(name) => KeyDerivation::parse(name)?,
            None if self.kind == Kind::Flask => KeyDerivation::Hmac,
            None => KeyDerivation::DjangoConcat,
        };
        Ok(Config {
            salt: params
                .salt
                .clone()
                .unwrap_or_else(|| self.default_salt().into())
                .into_bytes(),
            sep,
            derivation,
            digest: params.digest,
        })
    }

    /// Decodes the payload text (the part before the timestamp) as the loader would. Returns the
    /// payload with whether Python-only JSON was mapped, whether it was compressed and whether its
    /// base64 was non-canonical.
    fn load_payload(&self, text: &str) -> (Result<(Value, bool), String>, bool, bool) {
        match self.codec() {
            Codec::Raw => (Ok((Value::String(text.to_string()), false)), false, false),
            Codec::JsonText(_) => (parse_json(text.as_bytes()), false, false),
            Codec::UrlSafe(_) => {
                let (compressed, body) = match text.strip_prefix('.') {
                    Some(rest) => (true, rest),
                    None => (false, text),
                };
                let raw = itsdangerous_b64decode_checked(body.as_bytes());
                let lenient = raw.as_ref().is_ok_and(|(_, canonical)| !canonical);
                let result = raw
                    .map(|(bytes, _)| bytes)
                    .map_err(|e| format!("the payload is not base64 ({e})"))
                    .and_then(|raw| {
                        if compressed {
                            zlib_decompress(&raw, MAX_DECOMPRESSED)
                                .map_err(|e| format!("the compressed payload {e}"))
                        } else {
                            Ok(raw)
                        }
                    })
                    .and_then(|json| parse_json(&json))
                    .and_then(|(v, mapped)| Ok((self.check_value(v)?, mapped)));
                (result, compressed, lenient)
            }
            Codec::StdBase64(_) => {
                let raw = py_a2b_base64(text.as_bytes());
                let lenient = raw.as_ref().is_ok_and(|r| b64std(r) != text);
                let result = raw
                    .map_err(|e| format!("the payload is not base64 ({e})"))
                    .and_then(|json| parse_json(&json));
                (result, false, lenient)
            }
        }
    }

    /// Flask fails on tagged values it cannot convert back (a `BadPayload`).
    fn check_value(&self, value: Value) -> Result<Value, String> {
        if self.kind == Kind::Flask {
            flask_tag::check(&value)
                .map_err(|e| format!("the payload has a bad Flask tag: {e}"))?;
        }
        Ok(value)
    }

    /// Whether [`ItsDangerous::load_payload`] certainly loads `text`, checked without building the
    /// payload; `false` when not certain (lenient base64, Python-only JSON, a Flask tag, or a
    /// payload that does not load), for the caller to ask `load_payload` itself.
    fn payload_loads_quick(&self, text: &str) -> bool {
        thread_local! {
            /// Each thread's buffers for a decoded and an inflated payload, reused from one
            /// cookie to the next.
            static PAYLOAD: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
                std::cell::RefCell::default();
        }
        // Flask's tags are all keys starting with a space: a payload without any has nothing
        // for `check_value` to refuse.
        let tags = self.kind == Kind::Flask;
        let refuse = |key: &str| tags && key.starts_with(' ');
        let json = |bytes: &[u8]| {
            std::str::from_utf8(bytes).is_ok_and(|text| pyjson::loads_plainly(text, &refuse))
        };
        match self.codec() {
            Codec::Raw => true,
            Codec::JsonText(_) => json(text.as_bytes()),
            Codec::StdBase64(_) => py_a2b_base64(text.as_bytes()).is_ok_and(|raw| json(&raw)),
            Codec::UrlSafe(_) => PAYLOAD.with(|cell| {
                let Ok(mut buffers) = cell.try_borrow_mut() else {
                    return false;
                };
                let (raw, inflated) = &mut *buffers;
                let (compressed, body) = match text.strip_prefix('.') {
                    Some(rest) => (true, rest),
                    None => (false, text),
                };
                // Strict base64 is what `itsdangerous_b64decode_checked` tries first.
                raw.clear();
                if URL_SAFE_NO_PAD.decode_vec(body, raw).is_err() {
                    return false;
                }
                if !compressed {
                    return json(raw);
                }
                let loads =
                    zlib_decompress_into(raw, MAX_DECOMPRESSED, inflated).is_ok() && json(inflated);
                // A rare big payload does not keep its memory for the rest of the job.
                if inflated.capacity() > 1 << 16 {
                    *inflated = Vec::new();
                }
                loads
            }),
        }
    }

    /// The signed payload text for `payload` (`dump_payload`).
    fn dump_payload(&self, payload: &Value) -> Result<String, SignError> {
        let json = |style| {
            pyjson::to_string(payload, style).map_err(|e| SignError::Payload(e.to_string()))
        };
        Ok(match self.codec() {
            Codec::Raw => match payload {
                Value::String(s) => s.clone(),
                _ => {
                    return Err(SignError::Payload(
                        "this format signs a string: give a JSON string such as \"value\"".into(),
                    ));
                }
            },
            Codec::JsonText(style) => json(style)?,
            Codec::UrlSafe(style) => {
                if self.kind == Kind::Flask {
                    flask_tag::check(payload)
                        .map_err(|e| SignError::Payload(format!("bad Flask tag: {e}")))?;
                }
                let text = json(style)?;
                let compressed = zlib_compress(text.as_bytes());
                if compressed.len() + 1 < text.len() {
                    format!(".{}", b64url_nopad(&compressed))
                } else {
                    b64url_nopad(text.as_bytes())
                }
            }
            Codec::StdBase64(style) => b64std(json(style)?.as_bytes()),
        })
    }
}

/// The payload's JSON as Python reads it, and whether Python-only constructs had to be mapped
/// ([`pyjson::PYTHON_ONLY_NOTE`]).
fn parse_json(bytes: &[u8]) -> Result<(Value, bool), String> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| "the payload is not UTF-8 text".to_string())?;
    pyjson::parse_python(text).map_err(|e| format!("the payload is not JSON ({e})"))
}

impl CookieFormat for ItsDangerous {
    fn id(&self) -> &'static str {
        match self.kind {
            Kind::Flask => "flask",
            Kind::Signer => "itsdangerous-signer",
            Kind::TimestampSigner => "itsdangerous-timestamp-signer",
            Kind::Serializer => "itsdangerous-serializer",
            Kind::UrlSafe => "itsdangerous-urlsafe",
            Kind::Timed => "itsdangerous-timed",
            Kind::Starlette => "starlette",
        }
    }

    fn label(&self) -> &'static str {
        match self.kind {
            Kind::Flask => {
                "Flask session cookie (itsdangerous URLSafeTimedSerializer, salt cookie-session, HMAC key derivation, tagged JSON)"
            }
            Kind::Signer => "itsdangerous Signer (value.sig)",
            Kind::TimestampSigner => "itsdangerous TimestampSigner (value.ts.sig)",
            Kind::Serializer => "itsdangerous Serializer (plain JSON + signature)",
            Kind::UrlSafe => "itsdangerous URLSafeSerializer",
            Kind::Timed => "itsdangerous URLSafeTimedSerializer",
            Kind::Starlette => "Starlette / FastAPI SessionMiddleware",
        }
    }

    fn default_cookie_name(&self) -> Option<&'static str> {
        match self.kind {
            Kind::Flask | Kind::Starlette => Some("session"),
            _ => None,
        }
    }

    fn default_max_age_secs(&self) -> Option<u64> {
        self.default_max_age()
    }

    fn string_payload(&self) -> bool {
        self.codec() == Codec::Raw
    }

    fn check_params(&self, params: &FormatParams) -> Result<(), ParamError> {
        self.config(params).map(|_| ())
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let decoded = self.decode(value, params).ok()?;
        let sig_len = decoded.signature.len();
        let payload_text = decoded
            .parts
            .iter()
            .find(|p| p.kind == PartKind::Payload)
            .map(|p| decoded.part_text(p))
            .unwrap_or_default();
        let plausible_time = decoded
            .signed_at
            .is_some_and(|t| (946_684_800..4_102_444_800).contains(&t));
        let mut score: i32 = 20;
        if Digest::from_len(sig_len).is_some() {
            score += 20;
        }
        if !decoded.lenient_parts.is_empty() {
            score -= 5;
        }
        if decoded.problem.is_some() {
            score -= 15;
        }
        // A timestamp makes a reading more specific than the bare Signer's.
        if decoded.signed_at.is_some() {
            score += if plausible_time { 25 } else { 15 };
        }
        let what = match self.kind {
            Kind::Signer => "a value and a signature".to_string(),
            Kind::TimestampSigner => "a value, a timestamp and a signature".to_string(),
            Kind::Serializer => {
                if decoded.payload.is_ok() && payload_text.starts_with(['{', '[', '"']) {
                    score += 20;
                    "plain JSON and a signature".to_string()
                } else {
                    score -= 10;
                    "a signature over text that is not JSON".to_string()
                }
            }
            Kind::UrlSafe | Kind::Timed | Kind::Flask | Kind::Starlette => {
                let Ok(payload) = &decoded.payload else {
                    return Some(Detection::new(
                        score - 10,
                        "base64 that is not JSON",
                        &decoded,
                    ));
                };
                score += 20;
                let body = payload_text.trim_start_matches('.');
                let std_b64 = body.contains(['+', '/', '=']);
                let json = decoded_json_text(payload_text, self.codec());
                let spaced = json
                    .as_deref()
                    .is_some_and(|j| j.contains("\": ") || j.contains(", \""));
                match self.kind {
                    Kind::Starlette if std_b64 || spaced => {
                        score += 15;
                        "standard base64 of JSON with Python's default spacing".to_string()
                    }
                    Kind::Starlette => {
                        score -= 5;
                        "base64 JSON".to_string()
                    }
                    _ if std_b64 => {
                        score -= 15;
                        "standard-alphabet base64 (URL-safe serializers write - and _)".to_string()
                    }
                    Kind::Flask => {
                        // Flask writes ASCII-only JSON with sorted keys, signed with SHA-1.
                        let canonical = pyjson::to_string(payload, JsonStyle::FLASK).ok();
                        if sig_len == 20 {
                            score += 3;
                        }
                        if json.is_some() && json == canonical {
                            score += 10;
                            "compact, key-sorted, ASCII-escaped JSON as Flask writes it".to_string()
                        } else {
                            "URL-safe base64 JSON".to_string()
                        }
                    }
                    _ => "URL-safe base64 JSON".to_string(),
                }
            }
        };
        Some(Detection::new(score, &what, &decoded))
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let cfg = self.config(params).map_err(|e| Malformed(e.0))?;
        let sep = cfg.sep.as_str();
        let Some(sig_at) = value.rfind(sep) else {
            return Err(Malformed(format!(
                "no {sep:?} separator: this is not a signed value"
            )));
        };
        let sig_text = &value[sig_at + sep.len()..];
        let mut notes = Vec::new();
        let mut lenient_parts = Vec::new();
        let mut problem = None;
        let mut signed_at = None;
        let mut payload_end = sig_at;
        let mut ts_span = None;
        if self.timed() {
            match value[..sig_at].rfind(sep) {
                None => {
                    problem = Some(format!(
                        "there is no timestamp (a timestamped value has two {sep:?} separators)"
                    ));
                }
                Some(ts_at) => {
                    payload_end = ts_at;
                    ts_span = Some(ts_at + sep.len()..sig_at);
                    let ts_text = &value[ts_at + sep.len()..sig_at];
                    // itsdangerous decodes the timestamp as leniently as the signature.
                    match itsdangerous_b64decode(ts_text.as_bytes())
                        .map(|b| (bytes_to_int(&b), b.len()))
                    {
                        Err(e) => {
                            problem =
                                Some(format!("the timestamp {ts_text:?} is not base64 ({e})"));
                        }
                        Ok((None, len)) => {
                            problem = Some(format!(
                                "the timestamp {ts_text:?} is out of range ({len} bytes)"
                            ));
                        }
                        Ok((Some(ts), _)) => {
                            signed_at = Some(ts);
                            if b64url_nopad(&int_to_bytes(ts.unsigned_abs())) != ts_text {
                                lenient_parts.push(PartKind::Timestamp);
                                notes.push(format!(
                                    "the timestamp {ts_text:?} is not canonical base64; itsdangerous reads it as {ts}"
                                ));
                            }
                        }
                    }
                }
            }
        }
        let (loaded, compressed, payload_lenient) = if ts_span.is_none() && self.timed() {
            (Err("there is no timestamp".to_string()), false, false)
        } else {
            self.load_payload(&value[..payload_end])
        };
        if matches!(loaded, Ok((_, true))) {
            notes.push(pyjson::PYTHON_ONLY_NOTE.into());
        }
        let payload = loaded.map(|(v, _)| v);
        if payload_lenient {
            lenient_parts.push(PartKind::Payload);
            notes.push(
                "the payload is not canonical base64; the framework decodes it leniently".into(),
            );
        }
        let parts = signed_value_parts(
            compressed,
            payload_end,
            ts_span,
            sig_at,
            sep.len(),
            value.len(),
        );

        let signature = match itsdangerous_b64decode_checked(sig_text.as_bytes()) {
            Ok((bytes, canonical)) => {
                if !canonical {
                    lenient_parts.push(PartKind::Signature);
                    notes.push(
                        "the signature is not canonical base64; itsdangerous decodes it leniently"
                            .into(),
                    );
                }
                bytes
            }
            Err(e) => {
                notes.push(format!("the signature is not valid base64 ({e})"));
                Vec::new()
            }
        };
        if sig_text.is_empty() {
            problem.get_or_insert_with(|| "the signature is empty".into());
        }
        let digest = cfg.digest.or_else(|| Digest::from_len(signature.len()));
        Ok(Decoded {
            format: self.id(),
            value: value.to_string(),
            cookie_name: params.cookie_name.clone(),
            parts,
            payload,
            signed_at,
            compressed,
            digest,
            notes,
            problem,
            lenient_parts,
            header: None,
            signed: 0..sig_at,
            signature,
        })
    }

    fn verifier(
        &self,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        let cfg = self.config(params)?;
        Ok(Box::new(ItsVerifier {
            format: *self,
            cfg,
            keys: keys.to_vec(),
            derived: Default::default(),
        }))
    }

    fn pair_verifier(
        &self,
        first: &[Secret],
        second: &[Secret],
        params: &FormatParams,
    ) -> Option<Box<dyn PairVerifier>> {
        let cfg = self.config(params).ok()?;
        Some(Box::new(ItsPair {
            format: *self,
            cfg,
            keys: [first, second].concat(),
            lens: [first.len(), second.len()],
            prepared: Default::default(),
        }))
    }

    fn key_check(&self, decoded: &Decoded, params: &FormatParams) -> Option<Box<dyn KeyCheck>> {
        let cfg = self.config(params).ok()?;
        if decoded.signature.is_empty() {
            return None;
        }
        let signed = decoded.value.as_bytes().get(decoded.signed.clone())?;
        let digest = decoded.digest.unwrap_or(Digest::Sha1);
        if digest == Digest::Sha1
            && let Ok(signature) = <&[u8; 20]>::try_from(&decoded.signature[..])
        {
            let django_prefix = [&cfg.salt[..], b"signer"].concat();
            let derivation = match cfg.derivation {
                KeyDerivation::Hmac => Derivation::Hmac { salt: &cfg.salt },
                KeyDerivation::Concat => Derivation::Hash { prefix: &cfg.salt },
                KeyDerivation::DjangoConcat => Derivation::Hash {
                    prefix: &django_prefix,
                },
                KeyDerivation::None => Derivation::None,
            };
            return Some(Box::new(ItsSha1Check {
                search: Sha1Search::new(derivation, signed, signature),
            }));
        }
        Some(Box::new(ItsKeyCheck {
            digest,
            derivation: cfg.derivation,
            salt: cfg.salt,
            signed: signed.to_vec(),
            signature: decoded.signature.clone(),
        }))
    }

    fn sign(
        &self,
        payload: &Value,
        key: &Secret,
        params: &FormatParams,
        timestamp: i64,
    ) -> Result<String, SignError> {
        let cfg = self.config(params).map_err(|e| SignError::Param(e.0))?;
        let digest = cfg.digest.unwrap_or(Digest::Sha1);
        let mut out = self.dump_payload(payload)?;
        if self.timed() {
            let ts = u64::try_from(timestamp).map_err(|_| {
                SignError::Param("itsdangerous cannot sign a negative timestamp".into())
            })?;
            out.push_str(&cfg.sep);
            out.push_str(&b64url_nopad(&int_to_bytes(ts)));
        }
        let derived = cfg.derivation.derive(digest, &cfg.salt, key.expose());
        let tag = KeyedMac::new(digest, &derived).tag(&[out.as_bytes()]);
        out.push_str(&cfg.sep);
        out.push_str(&b64url_nopad(tag.as_bytes()));
        Ok(out)
    }
}

/// The JSON text inside a payload, for style sniffing.
fn decoded_json_text(payload_text: &str, codec: Codec) -> Option<String> {
    let raw = match codec {
        Codec::UrlSafe(_) => {
            let (compressed, body) = match payload_text.strip_prefix('.') {
                Some(rest) => (true, rest),
                None => (false, payload_text),
            };
            let raw = itsdangerous_b64decode(body.as_bytes()).ok()?;
            if compressed {
                zlib_decompress(&raw, MAX_DECOMPRESSED).ok()?
            } else {
                raw
            }
        }
        Codec::StdBase64(_) => py_a2b_base64(payload_text.as_bytes()).ok()?,
        Codec::JsonText(_) => payload_text.as_bytes().to_vec(),
        Codec::Raw => return None,
    };
    String::from_utf8(raw).ok()
}

/// Derived keys for one key list, computed once per digest on first use.
/// The audit's inner loop for the family: per candidate, the key derivation and one HMAC, both on
/// the stack.
struct ItsKeyCheck {
    digest: Digest,
    derivation: KeyDerivation,
    salt: Vec<u8>,
    signed: Vec<u8>,
    signature: Vec<u8>,
}

impl KeyCheck for ItsKeyCheck {
    fn check(&self, candidate: &[u8]) -> bool {
        let d = self.digest;
        let mut derived = match self.derivation {
            KeyDerivation::Concat => d.hash_tag(&[&self.salt, candidate]),
            KeyDerivation::DjangoConcat => d.hash_tag(&[&self.salt, b"signer", candidate]),
            KeyDerivation::Hmac => crate::core::mac::hmac(d, candidate, &[&self.salt]),
            KeyDerivation::None => {
                return KeyedMac::new(d, candidate).verify(&[&self.signed], &self.signature);
            }
        };
        let ok = KeyedMac::new(d, derived.as_bytes()).verify(&[&self.signed], &self.signature);
        derived.wipe();
        ok
    }
}

/// [`ItsKeyCheck`] for SHA-1 (Flask's and itsdangerous' default) on multi-buffer SHA-1: a batch
/// of candidates goes through the key derivation and the signature's HMAC side by side (16 at a
/// time with AVX-512), a Flask candidate costing its 9 compressions and nothing else.
struct ItsSha1Check {
    search: Sha1Search,
}

thread_local! {
    /// Each audit worker's working buffers, wiped when the thread ends.
    static SHA1_LANES: std::cell::RefCell<Sha1Lanes> =
        std::cell::RefCell::new(Sha1Lanes::default());
}

/// `f` on this thread's [`Sha1Lanes`] (on fresh ones, wiped on return, if they are in use: a
/// check cannot re-enter itself, so this never happens in the audit).
fn with_lanes<R>(f: impl FnOnce(&mut Sha1Lanes) -> R) -> R {
    SHA1_LANES.with(|cell| match cell.try_borrow_mut() {
        Ok(mut lanes) => f(&mut lanes),
        Err(_) => f(&mut Sha1Lanes::default()),
    })
}

impl KeyCheck for ItsSha1Check {
    fn check(&self, candidate: &[u8]) -> bool {
        with_lanes(|lanes| self.search.check_one(candidate, lanes))
    }

    fn check_batch(&self, candidates: &[&[u8]]) -> u64 {
        with_lanes(|lanes| self.search.check(candidates, lanes))
    }
}

struct ItsVerifier {
    format: ItsDangerous,
    cfg: Config,
    keys: Vec<Secret>,
    derived: [OnceLock<Vec<KeyedMac>>; 5],
}

impl ItsVerifier {
    fn macs(&self, digest: Digest) -> &[KeyedMac] {
        let slot = Digest::ALL.iter().position(|d| *d == digest).unwrap_or(0);
        self.derived[slot].get_or_init(|| {
            self.keys
                .iter()
                .map(|k| {
                    let derived = self
                        .cfg
                        .derivation
                        .derive(digest, &self.cfg.salt, k.expose());
                    KeyedMac::new(digest, &derived)
                })
                .collect()
        })
    }
}

/// itsdangerous's key order in Signet's list order: primary, then fallbacks newest first.
pub fn key_order(n: usize) -> impl Iterator<Item = usize> {
    (0..n.min(1)).chain((1..n).rev())
}

impl Verifier for ItsVerifier {
    fn verify(&self, decoded: &Decoded, opts: &VerifyOptions) -> Verification {
        let max_age = opts.max_age.resolve(self.format.default_max_age());
        let mut result = Verification::new(Verdict::Unverified);
        result.max_age_secs = max_age;
        if self.keys.is_empty() {
            if let Some(problem) = &decoded.problem {
                result.verdict = Verdict::Malformed(problem.clone());
            }
            return result;
        }
        let digest = decoded.digest.unwrap_or(Digest::Sha1);
        let macs = self.macs(digest);
        let signed = decoded
            .value
            .as_bytes()
            .get(decoded.signed.clone())
            .unwrap_or_default();
        let matched =
            key_order(macs.len()).find(|&i| macs[i].verify(&[signed], &decoded.signature));
        let Some(index) = matched else {
            result.verdict = match &decoded.problem {
                Some(problem) => Verdict::Malformed(problem.clone()),
                None => Verdict::BadSignature,
            };
            return result;
        };
        result.key_index = Some(index);
        if let Some(problem) = &decoded.problem {
            result.verdict = Verdict::Malformed(format!("the signature is valid but {problem}"));
            return result;
        }
        if !decoded.lenient_parts.is_empty() {
            let parts: Vec<&str> = decoded.lenient_parts.iter().map(|p| p.name()).collect();
            result.notes.push(format!(
                "accepted only because the framework decodes base64 leniently (in the {}); a strict verifier would reject it",
                parts.join(" and ")
            ));
        }
        if let (Some(ts), Some(max)) = (decoded.signed_at, max_age) {
            if let Some(expired) = Verdict::too_old(ts, max, opts.now) {
                result.verdict = expired;
                return result;
            }
            let age = i128::from(opts.now) - i128::from(ts);
            if age < 0 {
                result.verdict = Verdict::Expired(format!(
                    "signed {} in the future; itsdangerous rejects future timestamps",
                    crate::core::time::human_duration(-age)
                ));
                return result;
            }
        }
        result.verdict = Verdict::after_signature(&decoded.payload);
        result
    }
}

/// [`CookieFormat::pair_verifier`] for the family: [`ItsVerifier::verify`] of two key lists at
/// once, on the cookie text itself. Every HMAC key the lists hold is tried at most once, and
/// none once one has verified the signature: two different HMAC keys verifying one tag would be
/// a forgery. The payload is only checked, and only when a key verifies it in time.
struct ItsPair {
    format: ItsDangerous,
    cfg: Config,
    /// Both lists: the first one's keys, then the second one's.
    keys: Vec<Secret>,
    lens: [usize; 2],
    prepared: [OnceLock<PairKeys>; 5],
}

/// Both lists' keys prepared for one digest.
struct PairKeys {
    /// One per distinct HMAC key, in the order they are tried: the first list's in the
    /// framework's order (the keys in force sign most live cookies), then the second list's.
    macs: Vec<KeyedMac>,
    /// Per list and position in it: the index of its key in `macs`.
    class: [Vec<usize>; 2],
    /// For SHA-1, `macs` again, ready to sign many cookies at once ([`PairVerifier::verify_pairs`]).
    sha1: Vec<Sha1KeyBatch>,
}

/// A cookie value as [`ItsPair`] reads it.
struct Reading {
    /// Where the signature's separator starts: the signed text ends there.
    sig_at: usize,
    signature: [u8; 64],
    sig_len: usize,
    digest: Digest,
    /// Where the payload ends (the timestamp's separator, or the signature's).
    payload_end: usize,
    signed_at: Option<i64>,
}

/// The block HMAC really keys with (keys longer than a block are hashed, shorter ones padded
/// with zeros): two keys with the same block are one HMAC key, such as `k` and `k\0`.
fn hmac_key_block(digest: Digest, key: &[u8]) -> Zeroizing<Vec<u8>> {
    let block = match digest {
        Digest::Sha1 | Digest::Sha224 | Digest::Sha256 => 64,
        Digest::Sha384 | Digest::Sha512 => 128,
    };
    let mut padded = Zeroizing::new(Vec::with_capacity(block));
    if key.len() > block {
        padded.extend_from_slice(&Zeroizing::new(digest.hash(&[key])));
    } else {
        padded.extend_from_slice(key);
    }
    padded.resize(block, 0);
    padded
}

impl ItsPair {
    fn keys(&self, digest: Digest) -> &PairKeys {
        let slot = Digest::ALL.iter().position(|d| *d == digest).unwrap_or(0);
        self.prepared[slot].get_or_init(|| {
            let mut blocks: Vec<Zeroizing<Vec<u8>>> = Vec::new();
            let mut macs = Vec::new();
            let mut sha1 = Vec::new();
            let mut class = [vec![0; self.lens[0]], vec![0; self.lens[1]]];
            for (list, offset) in [(0, 0), (1, self.lens[0])] {
                for at in key_order(self.lens[list]) {
                    let derived = self.cfg.derivation.derive(
                        digest,
                        &self.cfg.salt,
                        self.keys[offset + at].expose(),
                    );
                    let block = hmac_key_block(digest, &derived);
                    class[list][at] = match blocks.iter().position(|b| ct_eq(b, &block)) {
                        Some(known) => known,
                        None => {
                            if let Ok(block) = <&[u8; 64]>::try_from(&block[..])
                                && digest == Digest::Sha1
                            {
                                sha1.push(Sha1KeyBatch::new(block));
                            }
                            blocks.push(block);
                            macs.push(KeyedMac::new(digest, &derived));
                            macs.len() - 1
                        }
                    };
                }
            }
            PairKeys { macs, class, sha1 }
        })
    }
}

/// `text.rfind(sep)`, with a byte scan for the usual one-byte separator.
fn rfind_sep(text: &str, sep: &str) -> Option<usize> {
    match sep.as_bytes() {
        [byte] => text.bytes().rposition(|b| b == *byte),
        _ => text.rfind(sep),
    }
}

impl ItsPair {
    /// `decode`'s reading, giving up wherever it would find a problem or a lenient encoding.
    fn read(&self, value: &str) -> Option<Reading> {
        let sep = self.cfg.sep.as_str();
        let sig_at = rfind_sep(value, sep)?;
        let mut signature = [0u8; 64];
        let sig_len = URL_SAFE_NO_PAD
            .decode_slice(&value[sig_at + sep.len()..], &mut signature)
            .ok()?;
        let digest = self.cfg.digest.or_else(|| Digest::from_len(sig_len))?;
        if digest.output_len() != sig_len {
            return None;
        }
        let (payload_end, signed_at) = if self.format.timed() {
            let ts_at = rfind_sep(&value[..sig_at], sep)?;
            let mut ts = [0u8; 16];
            let ts_len = URL_SAFE_NO_PAD
                .decode_slice(&value[ts_at + sep.len()..sig_at], &mut ts)
                .ok()?;
            // A leading zero byte is a non-canonical spelling, which `decode` notes.
            if ts[..ts_len].first() == Some(&0) {
                return None;
            }
            (ts_at, Some(bytes_to_int(&ts[..ts_len])?))
        } else {
            (sig_at, None)
        };
        Some(Reading {
            sig_at,
            signature,
            sig_len,
            digest,
            payload_end,
            signed_at,
        })
    }

    /// The first of `keys.macs` that signed the cookie (`ItsVerifier::verify`'s loop).
    fn matched(keys: &PairKeys, value: &str, r: &Reading) -> Option<usize> {
        let signed = &value.as_bytes()[..r.sig_at];
        keys.macs
            .iter()
            .position(|m| m.verify(&[signed], &r.signature[..r.sig_len]))
    }

    /// The verdict under both lists, once the key that signed the cookie (if any) is known.
    fn verdict(
        &self,
        keys: &PairKeys,
        value: &str,
        r: &Reading,
        matched: Option<usize>,
        opts: &VerifyOptions,
    ) -> Option<PairVerdict> {
        let in_time = match (
            r.signed_at,
            opts.max_age.resolve(self.format.default_max_age()),
        ) {
            // `Verdict::too_old`, and itsdangerous's refusal of future timestamps.
            (Some(ts), Some(max)) => {
                let age = i128::from(opts.now) - i128::from(ts);
                (0..=i128::from(max)).contains(&age)
            }
            _ => true,
        };
        let standing = |list: usize| {
            if self.lens[list] == 0 {
                return Standing::Unverified;
            }
            let at = matched
                .and_then(|c| key_order(self.lens[list]).find(|&at| keys.class[list][at] == c));
            match at {
                None => Standing::BadSignature,
                Some(at) if in_time => Standing::Valid(at),
                Some(at) => Standing::Expired(at),
            }
        };
        let (first, second) = (standing(0), standing(1));
        // The payload decides between valid and malformed only; unusual ones (Flask tags,
        // Python-only JSON, lenient base64) are loaded in full, and one that does not load is
        // left to the full path, which says why.
        let needs_payload = [first, second]
            .iter()
            .any(|s| matches!(s, Standing::Valid(_)));
        if needs_payload {
            let text = &value[..r.payload_end];
            if !self.format.payload_loads_quick(text) && self.format.load_payload(text).0.is_err() {
                return None;
            }
        }
        Some(PairVerdict {
            signed_at: r.signed_at,
            first,
            second,
        })
    }
}

impl PairVerifier for ItsPair {
    fn verify_pair(
        &self,
        value: &str,
        // The family signs no cookie name.
        _cookie_name: Option<&str>,
        opts: &VerifyOptions,
    ) -> Option<PairVerdict> {
        let r = self.read(value)?;
        let keys = self.keys(r.digest);
        self.verdict(keys, value, &r, Self::matched(keys, value, &r), opts)
    }

    /// The same answers, the SHA-1 cookies signed side by side: each key over every cookie that
    /// no key before it signed (multi-buffer SHA-1, [`Sha1KeyBatch`]).
    fn verify_pairs(
        &self,
        cookies: &[(&str, Option<&str>)],
        opts: &VerifyOptions,
    ) -> Vec<Option<PairVerdict>> {
        let readings: Vec<Option<Reading>> = cookies.iter().map(|(v, _)| self.read(v)).collect();
        let mut matched: Vec<Option<usize>> = vec![None; cookies.len()];
        let mut pending: Vec<usize> = (0..cookies.len())
            .filter(|&i| {
                readings[i]
                    .as_ref()
                    .is_some_and(|r| r.digest == Digest::Sha1)
            })
            .collect();
        // A batch per HMAC key, always (SHA-1's key blocks are 64 bytes); should that ever fail,
        // the cookies go one by one below rather than under shifted key indexes.
        let batches = |keys: &PairKeys| keys.sha1.len() == keys.macs.len();
        if !pending.is_empty() && batches(self.keys(Digest::Sha1)) {
            let keys = self.keys(Digest::Sha1);
            let mut messages: Vec<&[u8]> = Vec::with_capacity(pending.len());
            // Each a key's tag of a cookie's text: a forgery for a tampered one, wiped.
            let mut tags: Zeroizing<Vec<[u8; 20]>> =
                Zeroizing::new(Vec::with_capacity(pending.len()));
            for (c, batch) in keys.sha1.iter().enumerate() {
                if pending.is_empty() {
                    break;
                }
                messages.clear();
                tags.clear();
                for &i in &pending {
                    let sig_at = readings[i].as_ref().map_or(0, |r| r.sig_at);
                    messages.push(&cookies[i].0.as_bytes()[..sig_at]);
                    tags.push([0; 20]);
                }
                batch.tags(&messages, &mut tags);
                let mut k = 0;
                pending.retain(|&i| {
                    let signed = readings[i]
                        .as_ref()
                        .is_some_and(|r| ct_eq(&tags[k], &r.signature[..r.sig_len]));
                    k += 1;
                    if signed {
                        matched[i] = Some(c);
                    }
                    !signed
                });
            }
        }
        cookies
            .iter()
            .zip(&readings)
            .zip(matched)
            .map(|(((value, _), r), matched)| {
                let r = r.as_ref()?;
                let keys = self.keys(r.digest);
                let batched = r.digest == Digest::Sha1 && batches(keys);
                let matched = if batched {
                    matched
                } else {
                    Self::matched(keys, value, r)
                };
                self.verdict(keys, value, r, matched, opts)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLASK: ItsDangerous = ItsDangerous::new(Kind::Flask);

    #[test]
    fn key_check_agrees_with_the_verifier_for_every_derivation_and_digest() {
        let payload = serde_json::json!({"user": "ada", "n": 1});
        let opts = VerifyOptions {
            now: 1_700_000_000,
            max_age: crate::core::MaxAge::Unlimited,
            leeway_secs: 0,
        };
        let mut checked = 0;
        for kind in [Kind::Flask, Kind::Timed, Kind::Signer, Kind::Starlette] {
            let format = ItsDangerous::new(kind);
            for derivation in ["concat", "django-concat", "hmac", "none"] {
                for digest in Digest::ALL {
                    let params = FormatParams {
                        key_derivation: Some(derivation.into()),
                        digest: Some(digest),
                        salt: Some("a salt".into()),
                        ..Default::default()
                    };
                    let payload = if format.string_payload() {
                        Value::String("plain".into())
                    } else {
                        payload.clone()
                    };
                    let key = Secret::from_text("the key");
                    let cookie = format
                        .sign(&payload, &key, &params, 1_700_000_000)
                        .expect("signs");
                    let decoded = format.decode(&cookie, &params).expect("decodes");
                    let fast = format
                        .key_check(&decoded, &params)
                        .expect("has a fast path");
                    for (candidate, expect) in [
                        (&b"the key"[..], true),
                        (b"the key ", false),
                        (b"The key", false),
                        (b"", false),
                    ] {
                        let slow = format
                            .verifier(&[Secret::from_bytes(candidate.to_vec())], &params)
                            .expect("verifier")
                            .verify(&decoded, &opts)
                            .key_index
                            .is_some();
                        assert_eq!(slow, expect, "{kind:?} {derivation} {digest} verifier");
                        assert_eq!(
                            fast.check(candidate),
                            expect,
                            "{kind:?} {derivation} {digest} key_check"
                        );
                        checked += 1;
                    }
                    let batch: [&[u8]; 4] = [b"the key ", b"The key", b"the key", b""];
                    assert_eq!(
                        fast.check_batch(&batch),
                        0b0100,
                        "{kind:?} {derivation} {digest} key_check batch"
                    );
                }
            }
        }
        assert_eq!(checked, 4 * 4 * 5 * 4);
    }

    #[test]
    fn flask_contract_cookie_round_trips() {
        // From ../shared/contract.md (made by Flask 3.1).
        let cookie = "eyJuIjoxLCJ1c2VyIjoiYWRhIn0.aVW2qA.H7WfhH34N2Z8hWVtCml6DQW40TE";
        let key = Secret::from_text("contract-check-key");
        let decoded = FLASK
            .decode(cookie, &FormatParams::default())
            .expect("decodes");
        assert_eq!(decoded.signed_at, Some(1_767_225_000));
        assert_eq!(
            decoded.payload,
            Ok(serde_json::json!({"n": 1, "user": "ada"}))
        );
        let v = FLASK
            .verifier(std::slice::from_ref(&key), &FormatParams::default())
            .expect("params");
        let got = v.verify(&decoded, &VerifyOptions::at(1_767_225_600));
        assert_eq!(got.verdict, Verdict::Valid);
        assert_eq!(got.key_index, Some(0));
        let payload = decoded.payload.clone().expect("payload");
        let signed = FLASK.sign(&payload, &key, &FormatParams::default(), 1_767_225_000);
        assert_eq!(signed.as_deref(), Ok(cookie));
    }

    #[test]
    fn key_order_is_primary_then_newest_fallback() {
        assert_eq!(key_order(0).collect::<Vec<_>>(), Vec::<usize>::new());
        assert_eq!(key_order(1).collect::<Vec<_>>(), vec![0]);
        assert_eq!(key_order(4).collect::<Vec<_>>(), vec![0, 3, 2, 1]);
    }

    #[test]
    fn separators_in_the_base64_alphabet_are_refused() {
        let params = FormatParams {
            separator: Some("a".into()),
            ..Default::default()
        };
        assert!(FLASK.check_params(&params).is_err());
        let params = FormatParams {
            separator: Some("~".into()),
            ..Default::default()
        };
        assert!(FLASK.check_params(&params).is_ok());
    }
}
