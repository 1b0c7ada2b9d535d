//! Django's signing (`django/core/signing.py`), the `signed_cookies` session backend and
//! `HttpResponse.set_signed_cookie`.
//!
//! Wire layout, with `:` the separator:
//!
//! ```text
//! value ":" sig                                    Signer
//! value ":" b62(timestamp) ":" sig                 TimestampSigner, set_signed_cookie
//! [.]b64url(json) ":" b62(timestamp) ":" sig      signing.dumps, signed-cookie sessions
//! sig = b64url(HMAC_H(key = H(salt || "signer" || secret), value))   H = sha256 by default
//! ```
//!
//! Django tries `SECRET_KEY`, then `SECRET_KEY_FALLBACKS` in list order (Signet's list order as
//! is), compares the base64 text in constant time (no lenient decoding), checks the signature
//! before the age and accepts timestamps from the future.

use std::sync::OnceLock;

use serde_json::Value;
use zeroize::Zeroizing;

use crate::core::encoding::{
    MAX_DECOMPRESSED, b62_decode_wide, b62_encode, b64url_nopad, py_a2b_base64, zlib_compress,
    zlib_decompress,
};
use crate::core::input::{quote, unquote};
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, Malformed, ParamError, PartKind, SignError, Verdict, Verification,
    VerifyOptions, signed_value_parts,
};
use crate::core::pyjson::{self, JsonStyle};
use crate::core::secret::Secret;
use crate::core::time::human_duration;
use crate::core::{CookieFormat, Detection, Verifier};

/// `SESSION_COOKIE_AGE`'s default (two weeks).
pub const SESSION_MAX_AGE: u64 = 1_209_600;

/// Which Django API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `signing.Signer`.
    Signer,
    /// `signing.TimestampSigner`.
    TimestampSigner,
    /// `signing.dumps` / `loads`.
    Signing,
    /// The `signed_cookies` session backend (`sessionid`).
    Session,
    /// `set_signed_cookie` / `get_signed_cookie`.
    Cookie,
}

/// One Django format.
#[derive(Debug, Clone, Copy)]
pub struct Django {
    kind: Kind,
}

/// The salts a cookie may have been signed with, in the order Django tries them, with a label.
#[derive(Debug, Clone)]
struct Config {
    salts: Vec<(Vec<u8>, &'static str)>,
    sep: String,
    digest: Option<Digest>,
    compress: bool,
    /// `b"django.http.cookies"` for `set_signed_cookie` keys.
    key_prefix: &'static [u8],
}

const SEP_UNSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz0123456789-_=";

impl Django {
    /// The Django format `kind`.
    pub const fn new(kind: Kind) -> Self {
        Self { kind }
    }

    fn timed(&self) -> bool {
        !matches!(self.kind, Kind::Signer)
    }

    fn object(&self) -> bool {
        matches!(self.kind, Kind::Signing | Kind::Session)
    }

    fn config(&self, params: &FormatParams) -> Result<Config, ParamError> {
        let sep = params.separator.clone().unwrap_or_else(|| ":".into());
        // Django's _SEP_UNSAFE = r"^[A-z0-9-_=]*$" (A-z includes [\]^_`).
        if sep.is_empty() || sep.chars().all(|c| SEP_UNSAFE.contains(c)) {
            return Err(ParamError(format!(
                "the separator {sep:?} is unsafe: Django refuses separators made only of [A-z0-9-_=]"
            )));
        }
        // `Signer(salt=...)`: an empty salt means the class's default (`salt or "module.Class"`);
        // `dumps(salt="")` therefore signs with TimestampSigner's default salt.
        let one = |default: &str, empty: &str| {
            let salt = match &params.salt {
                Some(s) if s.is_empty() => empty.to_string(),
                Some(s) => s.clone(),
                None => default.to_string(),
            };
            vec![(salt.into_bytes(), "")]
        };
        let salts = match self.kind {
            Kind::Signer => one("django.core.signing.Signer", "django.core.signing.Signer"),
            Kind::TimestampSigner => one(
                "django.core.signing.TimestampSigner",
                "django.core.signing.TimestampSigner",
            ),
            Kind::Signing => one("django.core.signing", "django.core.signing.TimestampSigner"),
            Kind::Session => one(
                "django.contrib.sessions.backends.signed_cookies",
                "django.core.signing.TimestampSigner",
            ),
            Kind::Cookie => match &params.cookie_name {
                // get_signed_cookie: the v2 salt, then the legacy `name + salt`.
                Some(name) => {
                    let salt = params.salt.clone().unwrap_or_default();
                    vec![
                        (
                            format!(
                                "django.http.cookies.v2:{}:{salt}{name}",
                                salt.chars().count()
                            )
                            .into_bytes(),
                            "",
                        ),
                        (
                            format!("{name}{salt}").into_bytes(),
                            "signed with the legacy salt (cookie name + salt) of Django before 5.2.15 / 6.0.6",
                        ),
                    ]
                }
                None => Vec::new(),
            },
        };
        Ok(Config {
            salts,
            sep,
            digest: params.digest,
            compress: match self.kind {
                Kind::Session => true,
                _ => params.compress.unwrap_or(false),
            },
            key_prefix: if self.kind == Kind::Cookie {
                b"django.http.cookies"
            } else {
                b""
            },
        })
    }

    fn default_max_age(&self) -> Option<u64> {
        match self.kind {
            Kind::Session => Some(SESSION_MAX_AGE),
            _ => None,
        }
    }

    /// `unsign_object`'s payload decoding, after the timestamp is split off.
    /// Returns the payload, whether it was compressed and whether its base64 was non-canonical.
    fn load_payload(&self, text: &str) -> (Result<Value, String>, bool, bool) {
        if !self.object() {
            return (Ok(Value::String(text.to_string())), false, false);
        }
        let (compressed, body) = match text.strip_prefix('.') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        // b64_decode: padding added, then Python's non-validating urlsafe_b64decode.
        let mut padded: Vec<u8> = body
            .bytes()
            .map(|b| match b {
                b'-' => b'+',
                b'_' => b'/',
                other => other,
            })
            .collect();
        padded.extend(std::iter::repeat_n(b'=', (4 - body.len() % 4) % 4));
        let raw = py_a2b_base64(&padded);
        let lenient = raw.as_ref().is_ok_and(|r| b64url_nopad(r) != body);
        let result = raw
            .map_err(|e| format!("the payload is not base64 ({e})"))
            .and_then(|raw| {
                if compressed {
                    zlib_decompress(&raw, MAX_DECOMPRESSED)
                        .map_err(|e| format!("the compressed payload {e}"))
                } else {
                    Ok(raw)
                }
            })
            .and_then(|data| {
                // JSONSerializer.loads: json.loads(data.decode("latin-1")).
                let text: String = data.iter().map(|&b| b as char).collect();
                pyjson::parse(&text).map_err(|e| format!("the payload is not JSON ({e})"))
            });
        (result, compressed, lenient)
    }

    fn dump_payload(&self, payload: &Value, compress: bool) -> Result<String, SignError> {
        if !self.object() {
            return match payload {
                Value::String(s) => Ok(s.clone()),
                _ => Err(SignError::Payload(
                    "this format signs a string: give a JSON string such as \"value\"".into(),
                )),
            };
        }
        let json = pyjson::to_string(payload, JsonStyle::DJANGO)
            .map_err(|e| SignError::Payload(e.to_string()))?;
        let data = json.as_bytes();
        if compress {
            let c = zlib_compress(data);
            if c.len() + 1 < data.len() {
                return Ok(format!(".{}", b64url_nopad(&c)));
            }
        }
        Ok(b64url_nopad(data))
    }
}

fn derive(digest: Digest, salt: &[u8], prefix: &[u8], secret: &[u8]) -> KeyedMac {
    // salted_hmac(salt + "signer", value, secret): key = H(salt + "signer" + secret).
    let key = Zeroizing::new(digest.hash(&[salt, b"signer", prefix, secret]));
    KeyedMac::new(digest, &key)
}

impl CookieFormat for Django {
    fn id(&self) -> &'static str {
        match self.kind {
            Kind::Signer => "django-signer",
            Kind::TimestampSigner => "django-timestamp-signer",
            Kind::Signing => "django-signing",
            Kind::Session => "django-session",
            Kind::Cookie => "django-cookie",
        }
    }

    fn label(&self) -> &'static str {
        match self.kind {
            Kind::Signer => "Django signing.Signer (value:sig)",
            Kind::TimestampSigner => "Django signing.TimestampSigner (value:ts:sig)",
            Kind::Signing => "django.core.signing.dumps/loads",
            Kind::Session => "Django signed_cookies session backend (sessionid)",
            Kind::Cookie => "Django HttpResponse.set_signed_cookie / get_signed_cookie",
        }
    }

    fn default_cookie_name(&self) -> Option<&'static str> {
        (self.kind == Kind::Session).then_some("sessionid")
    }

    fn default_max_age_secs(&self) -> Option<u64> {
        self.default_max_age()
    }

    fn string_payload(&self) -> bool {
        !self.object()
    }

    fn check_params(&self, params: &FormatParams) -> Result<(), ParamError> {
        self.config(params).map(|_| ())
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let mut params = params.clone();
        if self.kind == Kind::Cookie && params.cookie_name.is_none() {
            params.cookie_name = Some("cookie".into());
        }
        let d = self.decode(value, &params).ok()?;
        let mut score: i32 = 15;
        if d.signature.len() == 43 {
            score += 25;
        } else if Digest::from_b64_len(d.signature.len()).is_some() {
            score += 15;
        }
        if d.problem.is_some() {
            score -= 15;
        }
        if let Some(ts) = d.signed_at {
            score += if (946_684_800..4_102_444_800).contains(&ts) {
                25
            } else {
                15
            };
        }
        let what = match self.kind {
            Kind::Signer => "a value and a Django signature",
            Kind::TimestampSigner => {
                score += 2;
                "a value, a base62 timestamp and a Django signature"
            }
            Kind::Cookie => {
                score += 3;
                "a cookie value, a base62 timestamp and a Django signature"
            }
            Kind::Signing | Kind::Session => {
                if d.payload.is_err() {
                    score -= 10;
                    "base64 that is not JSON"
                } else if self.kind == Kind::Session {
                    score += 22;
                    "URL-safe base64 JSON, a base62 timestamp and a Django signature"
                } else {
                    score += 20;
                    "URL-safe base64 JSON, a base62 timestamp and a Django signature"
                }
            }
        };
        Some(Detection::new(score, what, &d))
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let cfg = self.config(params).map_err(|e| Malformed(e.0))?;
        // `set_signed_cookie` values arrive as Python's cookie module quoted them; a signed value
        // itself never ends in a quote (it ends in the signature), so unquoting is unambiguous.
        let unquoted;
        let value = if self.kind == Kind::Cookie
            && value.len() >= 2
            && value.starts_with('"')
            && value.ends_with('"')
        {
            unquoted = unquote(value);
            unquoted.as_str()
        } else {
            value
        };
        let sep = cfg.sep.as_str();
        let Some(sig_at) = value.rfind(sep) else {
            return Err(Malformed(format!(
                "no {sep:?} separator: this is not a Django signed value"
            )));
        };
        let sig_text = &value[sig_at + sep.len()..];
        let mut notes = Vec::new();
        let mut problem = None;
        let mut signed_at = None;
        if self.kind == Kind::Session && value.chars().count() < 8 {
            problem = Some("Django ignores session keys shorter than 8 characters".to_string());
        }
        let mut payload_end = sig_at;
        let mut ts_span = None;
        if self.timed() {
            match value[..sig_at].rfind(sep) {
                None => problem = Some("there is no timestamp".to_string()),
                Some(ts_at) => {
                    payload_end = ts_at;
                    let ts_text = &value[ts_at + sep.len()..sig_at];
                    ts_span = Some(ts_at + sep.len()..sig_at);
                    match b62_decode_wide(ts_text) {
                        Some(ts) => {
                            // Python's ints have no limit; beyond 64 bits the age check still
                            // works with the saturated value (far future: accepted, far past:
                            // expired), as Django's would.
                            let clamped = i64::try_from(ts).unwrap_or(if ts > 0 {
                                i64::MAX
                            } else {
                                i64::MIN
                            });
                            if i128::from(clamped) != ts {
                                notes.push(format!(
                                    "the timestamp {ts} does not fit in 64 bits; shown clamped"
                                ));
                            }
                            signed_at = Some(clamped);
                        }
                        None => problem = Some(format!("the timestamp {ts_text:?} is not base62")),
                    }
                }
            }
        }
        let (payload, compressed, payload_lenient) = if self.timed() && ts_span.is_none() {
            (Err("there is no timestamp".to_string()), false, false)
        } else {
            self.load_payload(&value[..payload_end])
        };
        let parts = signed_value_parts(
            compressed,
            payload_end,
            ts_span,
            sig_at,
            sep.len(),
            value.len(),
        );
        if sig_text.is_empty() {
            problem.get_or_insert_with(|| "the signature is empty".into());
        }
        // Django compares base64 text; the bytes are kept for the digest inference only.
        let signature = sig_text.as_bytes().to_vec();
        // Django verifies with its configured algorithm only (sha256 unless told otherwise).
        let digest = Some(cfg.digest.unwrap_or(Digest::Sha256));
        if self.kind == Kind::Cookie && params.cookie_name.is_none() {
            notes.push("the cookie's name is part of the salt: give it (name=value input or --cookie-name) to verify".into());
        }
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
            lenient_parts: if payload_lenient {
                vec![PartKind::Payload]
            } else {
                Vec::new()
            },
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
        Ok(Box::new(DjangoVerifier {
            format: *self,
            cfg,
            keys: keys.to_vec(),
            derived: Default::default(),
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
        let Some((salt, _)) = cfg.salts.first() else {
            return Err(SignError::Param(
                "set_signed_cookie binds the cookie's name: give --cookie-name".into(),
            ));
        };
        let digest = cfg.digest.unwrap_or(Digest::Sha256);
        let mut out = self.dump_payload(payload, cfg.compress)?;
        if self.timed() {
            out.push_str(&cfg.sep);
            out.push_str(&b62_encode(timestamp));
        }
        let tag = derive(digest, salt, cfg.key_prefix, key.expose()).tag(&[out.as_bytes()]);
        out.push_str(&cfg.sep);
        out.push_str(&b64url_nopad(tag.as_bytes()));
        if self.kind == Kind::Cookie {
            out = quote(&out);
        }
        Ok(out)
    }
}

/// Keys derived per (salt, digest), once per key list.
struct DjangoVerifier {
    format: Django,
    cfg: Config,
    keys: Vec<Secret>,
    derived: [[OnceLock<Vec<KeyedMac>>; 5]; 2],
}

impl DjangoVerifier {
    fn macs(&self, salt_index: usize, digest: Digest) -> &[KeyedMac] {
        let slot = Digest::ALL.iter().position(|d| *d == digest).unwrap_or(0);
        self.derived[salt_index.min(1)][slot].get_or_init(|| {
            let salt = &self.cfg.salts[salt_index].0;
            self.keys
                .iter()
                .map(|k| derive(digest, salt, self.cfg.key_prefix, k.expose()))
                .collect()
        })
    }
}

impl Verifier for DjangoVerifier {
    fn verify(&self, decoded: &Decoded, opts: &VerifyOptions) -> Verification {
        let max_age = opts.max_age.resolve(self.format.default_max_age());
        let mut result = Verification::new(Verdict::Unverified);
        result.max_age_secs = max_age;
        if self.keys.is_empty() || self.cfg.salts.is_empty() {
            if let Some(problem) = &decoded.problem {
                result.verdict = Verdict::Malformed(problem.clone());
            }
            return result;
        }
        let digest = decoded.digest.unwrap_or(Digest::Sha256);
        let signed = decoded
            .value
            .as_bytes()
            .get(decoded.signed.clone())
            .unwrap_or_default();
        let mut matched = None;
        'salts: for salt_index in 0..self.cfg.salts.len() {
            for (i, mac) in self.macs(salt_index, digest).iter().enumerate() {
                let expected = b64url_nopad(mac.tag(&[signed]).as_bytes());
                if ct_eq(expected.as_bytes(), &decoded.signature) {
                    matched = Some((salt_index, i));
                    break 'salts;
                }
            }
        }
        let Some((salt_index, index)) = matched else {
            result.verdict = match &decoded.problem {
                Some(problem) => Verdict::Malformed(problem.clone()),
                None => Verdict::BadSignature,
            };
            // A SHA-1 signature under today's sha256 default: say so if a key matches it.
            if self.cfg.digest.is_none()
                && decoded.signature.len() == 27
                && decoded.problem.is_none()
            {
                let sha1 = self.macs(0, Digest::Sha1).iter().position(|mac| {
                    ct_eq(
                        b64url_nopad(mac.tag(&[signed]).as_bytes()).as_bytes(),
                        &decoded.signature,
                    )
                });
                if let Some(i) = sha1 {
                    result.notes.push(format!(
                        "key #{i} made this SHA-1 signature (Django < 3.1); Django now rejects it unless algorithm=\"sha1\" (--digest sha1)"
                    ));
                }
            }
            return result;
        };
        result.key_index = Some(index);
        let note = self.cfg.salts[salt_index].1;
        if !note.is_empty() {
            result.notes.push(note.to_string());
        }
        if let Some(problem) = &decoded.problem {
            result.verdict = Verdict::Malformed(format!("the signature is valid but {problem}"));
            return result;
        }
        if !decoded.lenient_parts.is_empty() {
            result.notes.push(
                "accepted only because Django decodes base64 leniently (padding, stray characters)"
                    .into(),
            );
        }
        if let (Some(ts), Some(max)) = (decoded.signed_at, max_age) {
            if let Some(expired) = Verdict::too_old(ts, max, opts.now) {
                result.verdict = expired;
                return result;
            }
            let age = i128::from(opts.now) - i128::from(ts);
            if age < 0 {
                result.notes.push(format!(
                    "signed {} in the future; Django accepts that",
                    human_duration(-age)
                ));
            }
        }
        result.verdict = Verdict::after_signature(&decoded.payload);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_session_cookie_verifies_and_resigns() {
        // From ../shared/contract.md (made by Django 5.2).
        let cookie = "eyJkIjoxfQ:1vb5x2:CU7bPaXmVdTclICRLAhOINgYUQenJ5j3ryObWc7RMWc";
        let f = Django::new(Kind::Session);
        let key = Secret::from_text("contract-django-key");
        let d = f.decode(cookie, &FormatParams::default()).expect("decodes");
        assert_eq!(d.signed_at, Some(1_767_225_000));
        let v = f
            .verifier(
                &[Secret::from_text("old"), key.clone()],
                &FormatParams::default(),
            )
            .expect("ok");
        let got = v.verify(&d, &VerifyOptions::at(1_767_225_600));
        assert_eq!((got.verdict, got.key_index), (Verdict::Valid, Some(1)));
        let payload = d.payload.expect("payload");
        assert_eq!(
            f.sign(&payload, &key, &FormatParams::default(), 1_767_225_000)
                .as_deref(),
            Ok(cookie)
        );
    }

    #[test]
    fn unsafe_separators_are_refused() {
        let f = Django::new(Kind::Signer);
        for sep in ["a", "_", "=", "^", ""] {
            let p = FormatParams {
                separator: Some(sep.into()),
                ..Default::default()
            };
            assert!(f.check_params(&p).is_err(), "{sep:?}");
        }
        let p = FormatParams {
            separator: Some("/".into()),
            ..Default::default()
        };
        assert!(f.check_params(&p).is_ok());
    }
}
