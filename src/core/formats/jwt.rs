//! JSON Web Tokens with HMAC (HS256 / HS384 / HS512), as PyJWT and jsonwebtoken check them.
//!
//! ```text
//! b64url(header) "." b64url(claims) "." b64url(HMAC-SHA-n(secret, b64url(header) "." b64url(claims)))
//! ```
//!
//! The header's `alg` must be an HMAC algorithm (and the one asked for, when one is); `alg: none`
//! is never accepted and asymmetric algorithms are reported as not verifiable with a secret.
//! Claims are checked as PyJWT does, in its order: `iat` not in the future, `nbf` reached, `exp`
//! not reached (`exp <= now - leeway` is expired, the same boundary as jsonwebtoken's).

use serde_json::{Map, Value};

use crate::core::encoding::{b64url_nopad, itsdangerous_b64decode};
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, JsonDialect, Malformed, ParamError, Part, PartKind, SignError, Verdict,
    Verification, VerifyOptions,
};
use crate::core::pyjson::{self, JsonStyle};
use crate::core::secret::Secret;
use crate::core::time::human_duration;
use crate::core::{CookieFormat, Verifier};

/// The JWT format.
#[derive(Debug, Clone, Copy)]
pub struct Jwt;

fn alg_digest(alg: &str) -> Option<Digest> {
    match alg {
        "HS256" => Some(Digest::Sha256),
        "HS384" => Some(Digest::Sha384),
        "HS512" => Some(Digest::Sha512),
        _ => None,
    }
}

fn digest_alg(d: Digest) -> Option<&'static str> {
    match d {
        Digest::Sha256 => Some("HS256"),
        Digest::Sha384 => Some("HS384"),
        Digest::Sha512 => Some("HS512"),
        _ => None,
    }
}

/// Strict base64url (no padding, URL-safe alphabet) or `None`.
fn b64url_strict(text: &str) -> Option<Vec<u8>> {
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let raw = itsdangerous_b64decode(text.as_bytes()).ok()?;
    (b64url_nopad(&raw) == text).then_some(raw)
}

fn json_object(raw: &[u8], what: &str) -> Result<Value, String> {
    let text = std::str::from_utf8(raw).map_err(|_| format!("the {what} is not UTF-8"))?;
    match pyjson::parse(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(format!("the {what} is JSON but not an object")),
        Err(e) => Err(format!("the {what} is not JSON ({e})")),
    }
}

/// A NumericDate claim as seconds (fractions truncated, as PyJWT's `int()` does).
fn numeric(claims: &Value, name: &str) -> Result<Option<i64>, String> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && f.abs() < 9.2e18)
                    .map(|f| f.trunc() as i64)
            })
            .map(Some)
            .ok_or_else(|| format!("the {name} claim is out of range")),
        Some(_) => Err(format!("the {name} claim must be a number (NumericDate)")),
    }
}

impl CookieFormat for Jwt {
    fn id(&self) -> &'static str {
        "jwt"
    }

    fn label(&self) -> &'static str {
        "JSON Web Token, HS256 / HS384 / HS512"
    }

    fn detect(&self, value: &str) -> u8 {
        let Ok(d) = self.decode(value, &FormatParams::default()) else {
            return 0;
        };
        // A JWT header names its algorithm; a Flask cookie's JSON body does not.
        let Some(alg) = d
            .header
            .as_ref()
            .and_then(|h| h.get("alg"))
            .and_then(Value::as_str)
        else {
            return 0;
        };
        let typed = d.header.as_ref().and_then(|h| h.get("typ")).is_some();
        match (alg_digest(alg).is_some(), typed) {
            (true, true) => 95,
            (true, false) => 85,
            (false, _) => 70,
        }
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let segments: Vec<&str> = value.split('.').collect();
        if segments.len() != 3 {
            return Err(Malformed(format!(
                "a JWT has three dot-separated parts; this has {}",
                segments.len()
            )));
        }
        let (h, p, s) = (segments[0], segments[1], segments[2]);
        let header = b64url_strict(h)
            .ok_or_else(|| Malformed("the header is not base64url".into()))
            .and_then(|raw| json_object(&raw, "header").map_err(Malformed))?;
        let payload = b64url_strict(p)
            .ok_or_else(|| "the claims are not base64url".to_string())
            .and_then(|raw| json_object(&raw, "claims"));
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut notes = Vec::new();
        let mut problem = None;
        let digest = match alg_digest(&alg) {
            Some(d) => Some(d),
            None if alg.eq_ignore_ascii_case("none") => {
                problem =
                    Some("the token is unsigned (alg: none): Signet never accepts it".to_string());
                None
            }
            None if alg.is_empty() => {
                problem = Some("the header has no alg".to_string());
                None
            }
            None => {
                notes.push(format!(
                    "{alg} is not an HMAC algorithm: it is verified with the issuer's public key, not a shared secret (Signet checks HS256, HS384 and HS512)"
                ));
                None
            }
        };
        if let (Some(want), Some(got)) = (params.digest, digest)
            && want != got
        {
            problem = Some(format!(
                "the token says {alg} but only {} is allowed",
                digest_alg(want).unwrap_or(want.name())
            ));
        }
        let signed_at = payload
            .as_ref()
            .ok()
            .and_then(|c| numeric(c, "iat").ok().flatten());
        let a = h.len();
        let b = a + 1 + p.len();
        let parts = vec![
            Part {
                kind: PartKind::Header,
                span: 0..a,
            },
            Part {
                kind: PartKind::Separator,
                span: a..a + 1,
            },
            Part {
                kind: PartKind::Payload,
                span: a + 1..b,
            },
            Part {
                kind: PartKind::Separator,
                span: b..b + 1,
            },
            Part {
                kind: PartKind::Signature,
                span: b + 1..value.len(),
            },
        ];
        if s.is_empty() && problem.is_none() {
            problem = Some("the signature is empty".into());
        }
        Ok(Decoded {
            format: self.id(),
            value: value.to_string(),
            cookie_name: params.cookie_name.clone(),
            parts,
            payload,
            signed_at,
            compressed: false,
            digest,
            notes,
            problem,
            lenient_parts: Vec::new(),
            header: Some(header),
            signed: 0..b,
            signature: s.as_bytes().to_vec(),
        })
    }

    fn verifier(
        &self,
        keys: &[Secret],
        _params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        Ok(Box::new(JwtVerifier {
            keys: keys.to_vec(),
        }))
    }

    fn sign(
        &self,
        payload: &Value,
        key: &Secret,
        params: &FormatParams,
        _timestamp: i64,
    ) -> Result<String, SignError> {
        if !payload.is_object() {
            return Err(SignError::Payload(
                "JWT claims must be a JSON object".into(),
            ));
        }
        let header = match &params.header {
            Some(h @ Value::Object(_)) => h.clone(),
            Some(_) => {
                return Err(SignError::Param(
                    "the JWT header must be a JSON object".into(),
                ));
            }
            None => {
                let alg = digest_alg(params.digest.unwrap_or(Digest::Sha256)).ok_or_else(|| {
                    SignError::Param("JWT HMAC algorithms use sha256, sha384 or sha512".into())
                })?;
                let mut m = Map::new();
                m.insert("alg".into(), Value::String(alg.into()));
                m.insert("typ".into(), Value::String("JWT".into()));
                Value::Object(m)
            }
        };
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let digest = alg_digest(alg).ok_or_else(|| {
            SignError::Unsupported(format!(
                "Signet signs HS256, HS384 and HS512 tokens, not {alg:?}"
            ))
        })?;
        if let Some(want) = params.digest
            && want != digest
        {
            return Err(SignError::Param(format!(
                "the header says {alg} but --digest says {want}"
            )));
        }
        let style = match params.dialect.unwrap_or(JsonDialect::JavaScript) {
            JsonDialect::JavaScript => JsonStyle::JAVASCRIPT,
            JsonDialect::Python => JsonStyle::PYJWT,
        };
        let h = pyjson::to_string(&header, style).map_err(|e| SignError::Param(e.to_string()))?;
        let c = pyjson::to_string(payload, style).map_err(|e| SignError::Payload(e.to_string()))?;
        let signing_input = format!(
            "{}.{}",
            b64url_nopad(h.as_bytes()),
            b64url_nopad(c.as_bytes())
        );
        let tag = KeyedMac::new(digest, key.expose()).tag(&[signing_input.as_bytes()]);
        Ok(format!("{signing_input}.{}", b64url_nopad(tag.as_bytes())))
    }
}

struct JwtVerifier {
    keys: Vec<Secret>,
}

impl Verifier for JwtVerifier {
    fn verify(&self, decoded: &Decoded, opts: &VerifyOptions) -> Verification {
        let mut result = Verification::new(Verdict::Unverified);
        result.max_age_secs = opts.max_age.resolve(None);
        if let Some(problem) = &decoded.problem {
            result.verdict = Verdict::Malformed(problem.clone());
            return result;
        }
        let Some(digest) = decoded.digest else {
            // An asymmetric algorithm: decoded, but there is no secret that could check it.
            return result;
        };
        if self.keys.is_empty() {
            return result;
        }
        let signing_input = decoded
            .value
            .as_bytes()
            .get(decoded.signed.clone())
            .unwrap_or_default();
        result.key_index = self.keys.iter().position(|k| {
            let tag = KeyedMac::new(digest, k.expose()).tag(&[signing_input]);
            ct_eq(b64url_nopad(tag.as_bytes()).as_bytes(), &decoded.signature)
        });
        if result.key_index.is_none() {
            result.verdict = Verdict::BadSignature;
            return result;
        }
        let claims = match &decoded.payload {
            Ok(c) => c,
            Err(e) => {
                result.verdict = Verdict::Malformed(format!("the signature is valid but {e}"));
                return result;
            }
        };
        let now = i128::from(opts.now);
        let leeway = i128::from(opts.leeway_secs);
        let claim = |name: &str| numeric(claims, name);
        let (iat, nbf, exp) = match (claim("iat"), claim("nbf"), claim("exp")) {
            (Ok(i), Ok(n), Ok(e)) => (i, n, e),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                result.verdict = Verdict::Malformed(format!("the signature is valid but {e}"));
                return result;
            }
        };
        if let Some(iat) = iat.map(i128::from)
            && iat > now + leeway
        {
            result.verdict = Verdict::NotYetValid(format!(
                "issued {} in the future (iat); PyJWT rejects that, jsonwebtoken does not",
                human_duration(iat - now)
            ));
            return result;
        }
        if let Some(nbf) = nbf.map(i128::from)
            && nbf > now + leeway
        {
            result.verdict = Verdict::NotYetValid(format!(
                "not valid before {} (nbf, in {})",
                crate::core::time::format_utc(nbf as i64),
                human_duration(nbf - now)
            ));
            return result;
        }
        if let Some(exp) = exp.map(i128::from)
            && exp <= now - leeway
        {
            result.verdict = Verdict::Expired(format!(
                "expired {} ago (exp {})",
                human_duration(now - exp),
                crate::core::time::format_utc(exp as i64)
            ));
            return result;
        }
        if let (Some(max), Some(iat)) = (result.max_age_secs, iat.map(i128::from))
            && now - iat > i128::from(max) + leeway
        {
            result.verdict = Verdict::Expired(format!(
                "issued {} ago, older than the max age of {}",
                human_duration(now - iat),
                human_duration(i128::from(max))
            ));
            return result;
        }
        result.verdict = Verdict::Valid;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZGEiLCJpYXQiOjE3NjcyMjUwMDB9.Be2RLWXhetp96hHT_w7n9sU0VP7JZDhf3mJ8MI_URaw";

    #[test]
    fn contract_token_verifies_and_resigns() {
        let key = Secret::from_text("contract-jwt-secret-that-is-32-bytes!");
        let d = Jwt
            .decode(TOKEN, &FormatParams::default())
            .expect("decodes");
        assert_eq!(d.signed_at, Some(1_767_225_000));
        let got = Jwt
            .verifier(std::slice::from_ref(&key), &FormatParams::default())
            .expect("ok")
            .verify(&d, &VerifyOptions::at(1_767_225_600));
        assert_eq!((got.verdict, got.key_index), (Verdict::Valid, Some(0)));
        let params = FormatParams {
            header: d.header.clone(),
            ..Default::default()
        };
        assert_eq!(
            Jwt.sign(&d.payload.clone().expect("claims"), &key, &params, 0)
                .as_deref(),
            Ok(TOKEN)
        );
    }

    #[test]
    fn alg_none_and_asymmetric_are_never_valid() {
        let claims = b64url_nopad(br#"{"sub":"x"}"#);
        let none = format!("{}.{claims}.", b64url_nopad(br#"{"alg":"none"}"#));
        let key = [Secret::from_text("k")];
        let d = Jwt
            .decode(&none, &FormatParams::default())
            .expect("decodes");
        let got = Jwt
            .verifier(&key, &FormatParams::default())
            .expect("ok")
            .verify(&d, &VerifyOptions::at(0));
        assert!(matches!(got.verdict, Verdict::Malformed(ref e) if e.contains("alg: none")));
        let rs = format!("{}.{claims}.c2ln", b64url_nopad(br#"{"alg":"RS256"}"#));
        let d = Jwt.decode(&rs, &FormatParams::default()).expect("decodes");
        let got = Jwt
            .verifier(&key, &FormatParams::default())
            .expect("ok")
            .verify(&d, &VerifyOptions::at(0));
        assert_eq!(got.verdict, Verdict::Unverified);
        assert!(d.notes.iter().any(|n| n.contains("public key")));
    }

    #[test]
    fn time_claims_at_their_boundaries() {
        let key = Secret::from_text("k");
        let check = |claims: Value, now: i64, leeway: u64| {
            let t = Jwt
                .sign(&claims, &key, &FormatParams::default(), 0)
                .expect("signs");
            let d = Jwt.decode(&t, &FormatParams::default()).expect("decodes");
            let opts = VerifyOptions {
                now,
                max_age: crate::core::MaxAge::FrameworkDefault,
                leeway_secs: leeway,
            };
            Jwt.verifier(std::slice::from_ref(&key), &FormatParams::default())
                .expect("ok")
                .verify(&d, &opts)
                .verdict
                .status()
        };
        assert_eq!(check(serde_json::json!({"exp": 100}), 99, 0), "valid");
        assert_eq!(check(serde_json::json!({"exp": 100}), 100, 0), "expired");
        assert_eq!(check(serde_json::json!({"exp": 100}), 105, 10), "valid");
        assert_eq!(
            check(serde_json::json!({"nbf": 100}), 99, 0),
            "not-yet-valid"
        );
        assert_eq!(check(serde_json::json!({"nbf": 100}), 100, 0), "valid");
        assert_eq!(check(serde_json::json!({"iat": 100}), 99, 1), "valid");
        assert_eq!(check(serde_json::json!({"exp": "soon"}), 0, 0), "malformed");
    }
}
