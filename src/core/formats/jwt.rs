//! JSON Web Tokens with HMAC (HS256 / HS384 / HS512), as PyJWT and jsonwebtoken check them.
//!
//! ```text
//! b64url(header) "." b64url(claims) "." b64url(HMAC-SHA-n(secret, b64url(header) "." b64url(claims)))
//! ```
//!
//! The header's `alg` must be an HMAC algorithm (and the one asked for, when one is); `alg: none`
//! is never accepted and asymmetric algorithms are reported as not verifiable with a secret.
//! Where the two reference libraries differ, `FormatParams::dialect` picks whose rules apply
//! (default: PyJWT). PyJWT checks `iat` not in the future, `nbf` reached, `exp` not reached
//! (`exp <= now - leeway` is expired, the same boundary as jsonwebtoken's), reads NumericDates
//! with `int()`, accepts `=` padding and refuses PEM/SSH keys as secrets; jsonwebtoken ignores a
//! future `iat`, wants JSON numbers and strict base64url.

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
use crate::core::{CookieFormat, Detection, Verifier};

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

/// The base64url alphabet.
fn is_b64url_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// How a library decodes one segment: `Ok((bytes, lenient))` or why it refuses.
///
/// PyJWT (`_decode_base64url_segment`): up to two `=` when the length is a multiple of four, the
/// URL-safe alphabet only, and the text must be the canonical encoding of its bytes.
/// jsonwebtoken (`jws.isValidJws`): the URL-safe alphabet only, no padding; unused bits ignored.
fn decode_segment(text: &str, dialect: JsonDialect, what: &str) -> Result<(Vec<u8>, bool), String> {
    let bad = || format!("the {what} is not valid base64url");
    let (stripped, padded) = match dialect {
        JsonDialect::Python => {
            let stripped = text.trim_end_matches('=');
            let padding = text.len() - stripped.len();
            if padding > 2 || (padding > 0 && !text.len().is_multiple_of(4)) {
                return Err(bad());
            }
            (stripped, padding > 0)
        }
        JsonDialect::JavaScript => (text, false),
    };
    if stripped.len() % 4 == 1 || !stripped.bytes().all(is_b64url_char) {
        return Err(bad());
    }
    let raw = itsdangerous_b64decode(stripped.as_bytes()).map_err(|_| bad())?;
    let canonical = b64url_nopad(&raw) == stripped;
    if !canonical && dialect == JsonDialect::Python {
        return Err(bad());
    }
    Ok((raw, padded || !canonical))
}

fn json_object(raw: &[u8], what: &str) -> Result<Value, String> {
    let text = std::str::from_utf8(raw).map_err(|_| format!("the {what} is not UTF-8"))?;
    match pyjson::parse(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(format!("the {what} is JSON but not an object")),
        Err(e) => Err(format!("the {what} is not JSON ({e})")),
    }
}

/// A NumericDate claim the way the library reads it: PyJWT applies `int()` (booleans, floats
/// truncated, integer strings), jsonwebtoken takes any JSON number as it is (fractions kept).
fn numeric(claims: &Value, name: &str, dialect: JsonDialect) -> Result<Option<f64>, String> {
    let bad = || format!("the {name} claim must be a number (NumericDate)");
    let Some(v) = claims.get(name) else {
        return Ok(None);
    };
    let python = dialect == JsonDialect::Python;
    let n = match v {
        Value::Number(n) => {
            let f = n.as_f64().filter(|f| f.is_finite()).ok_or_else(bad)?;
            if python { f.trunc() } else { f }
        }
        Value::Bool(b) if python => f64::from(u8::from(*b)),
        Value::String(text) if python => {
            let t = text.trim().replace('_', "");
            let i = t.parse::<i128>().map_err(|_| bad())?;
            i as f64
        }
        _ => return Err(bad()),
    };
    Ok(Some(n))
}

/// PyJWT refuses PEM and SSH keys as HMAC secrets (`prepare_key`).
fn looks_asymmetric(key: &[u8]) -> bool {
    const SSH: [&[u8]; 6] = [
        b"ssh-ed25519",
        b"ssh-rsa",
        b"ssh-dss",
        b"ecdsa-sha2-nistp256",
        b"ecdsa-sha2-nistp384",
        b"ecdsa-sha2-nistp521",
    ];
    if SSH.iter().any(|p| key.starts_with(p)) {
        return true;
    }
    let text = String::from_utf8_lossy(key);
    const LABELS: [&str; 16] = [
        "CERTIFICATE",
        "TRUSTED CERTIFICATE",
        "PRIVATE KEY",
        "PUBLIC KEY",
        "ENCRYPTED PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "DSA PRIVATE KEY",
        "RSA PRIVATE KEY",
        "RSA PUBLIC KEY",
        "EC PRIVATE KEY",
        "DH PARAMETERS",
        "NEW CERTIFICATE REQUEST",
        "CERTIFICATE REQUEST",
        "SSH2 PUBLIC KEY",
        "SSH2 ENCRYPTED PRIVATE KEY",
        "X509 CRL",
    ];
    LABELS.iter().any(|label| {
        ["----- BEGIN ", "-----BEGIN "].iter().any(|begin| {
            let marker = format!("{begin}{label}");
            text.find(&marker)
                .is_some_and(|at| text[at + marker.len()..].contains(&format!("END {label}")))
        })
    })
}

impl CookieFormat for Jwt {
    fn id(&self) -> &'static str {
        "jwt"
    }

    fn label(&self) -> &'static str {
        "JSON Web Token, HS256 / HS384 / HS512"
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let d = self.decode(value, params).ok()?;
        // A JWT header names its algorithm; a Flask cookie's JSON body does not.
        let alg = d.header.as_ref()?.get("alg")?.as_str()?.to_string();
        let typed = d.header.as_ref().and_then(|h| h.get("typ")).is_some();
        let score = match (alg_digest(&alg).is_some(), typed) {
            (true, true) => 95,
            (true, false) => 85,
            (false, _) => 70,
        };
        Some(Detection::new(
            score,
            &format!("a JOSE header with alg {alg}"),
            &d,
        ))
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let dialect = params.dialect.unwrap_or(JsonDialect::Python);
        let segments: Vec<&str> = value.split('.').collect();
        if segments.len() != 3 {
            return Err(Malformed(format!(
                "a JWT has three dot-separated parts; this has {}",
                segments.len()
            )));
        }
        let (h, p, s) = (segments[0], segments[1], segments[2]);
        let mut notes = Vec::new();
        let mut lenient_parts = Vec::new();
        let mut problem: Option<String> = None;
        let header = match decode_segment(h, dialect, "header").and_then(|(raw, lenient)| {
            if lenient {
                lenient_parts.push(PartKind::Header);
            }
            json_object(&raw, "header")
        }) {
            Ok(hdr) => Some(hdr),
            Err(e) => {
                problem = Some(e);
                None
            }
        };
        let typ_jwt = header
            .as_ref()
            .and_then(|hdr| hdr.get("typ"))
            .is_some_and(|t| t == "JWT");
        let payload = decode_segment(p, dialect, "claims").and_then(|(raw, lenient)| {
            if lenient {
                lenient_parts.push(PartKind::Payload);
            }
            match dialect {
                JsonDialect::Python => json_object(&raw, "claims"),
                // jws parses the payload when the header says typ JWT (and throws on non-JSON);
                // otherwise jsonwebtoken keeps a payload that is not a JSON object as a string.
                JsonDialect::JavaScript => {
                    let text = String::from_utf8_lossy(&raw).into_owned();
                    match pyjson::parse(&text) {
                        Ok(v @ (Value::Object(_) | Value::Array(_))) => Ok(v),
                        Err(e) if typ_jwt => Err(format!("the claims are not JSON ({e})")),
                        _ => Ok(Value::String(text)),
                    }
                }
            }
        });
        if let Err(e) = &payload
            && e.contains("base64url")
        {
            problem.get_or_insert_with(|| e.clone());
        }
        let signature = if s.is_empty() {
            if dialect == JsonDialect::JavaScript {
                problem.get_or_insert_with(|| {
                    "the signature is empty (jsonwebtoken: jwt signature is required)".into()
                });
            }
            Vec::new()
        } else {
            match decode_segment(s, dialect, "signature") {
                // jws compares the signature as text: a non-canonical spelling never matches.
                Ok(_) if dialect == JsonDialect::JavaScript => s.as_bytes().to_vec(),
                Ok((raw, lenient)) => {
                    if lenient {
                        lenient_parts.push(PartKind::Signature);
                    }
                    raw
                }
                Err(e) => {
                    problem.get_or_insert(e);
                    Vec::new()
                }
            }
        };
        if !lenient_parts.is_empty() {
            notes.push("a segment is padded or not canonical base64url; PyJWT accepts '=' padding, jsonwebtoken does not".into());
        }
        let alg = header
            .as_ref()
            .and_then(|hdr| hdr.get("alg"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut digest = None;
        if let Some(hdr) = &header {
            if dialect == JsonDialect::Python {
                if hdr.get("kid").is_some_and(|k| !k.is_string()) {
                    problem.get_or_insert_with(|| "the kid header must be a string".into());
                }
                match hdr.get("crit") {
                    None => {}
                    Some(Value::Array(items)) if items.iter().all(|i| i == "b64") => {}
                    Some(_) => {
                        problem.get_or_insert_with(|| {
                            "the crit header names extensions PyJWT does not support".into()
                        });
                    }
                }
            }
            if hdr.get("b64") == Some(&Value::Bool(false)) {
                problem.get_or_insert_with(|| {
                    "the payload is detached (b64: false): not supported".into()
                });
            }
            match alg_digest(&alg) {
                Some(d) => digest = Some(d),
                None if alg.is_empty() => {
                    problem.get_or_insert_with(|| "the header has no alg".into());
                }
                None if alg.eq_ignore_ascii_case("none") => {
                    problem.get_or_insert_with(|| {
                        "the token is unsigned (alg: none): Signet never accepts it".into()
                    });
                }
                None if alg_digest(&alg.to_ascii_uppercase()).is_some() => {
                    problem.get_or_insert_with(|| {
                        format!("alg {alg:?} is not a registered name (HS256, HS384 and HS512 are upper case)")
                    });
                }
                None => {
                    problem.get_or_insert_with(|| format!(
                        "{alg} is not an HMAC algorithm: it is verified with the issuer's public key, not a shared secret (Signet checks HS256, HS384 and HS512)"
                    ));
                }
            }
        }
        if let (Some(want), Some(got)) = (params.digest, digest)
            && want != got
        {
            notes.push(format!(
                "the token says {alg} but only {} is allowed",
                digest_alg(want).unwrap_or(want.name())
            ));
            digest = None;
        }
        let signed_at = payload
            .as_ref()
            .ok()
            .and_then(|c| numeric(c, "iat", dialect).ok().flatten())
            .filter(|t| t.fract() == 0.0 && t.abs() < 9.0e15)
            .map(|t| t as i64);
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
            lenient_parts,
            header,
            signed: 0..b,
            signature,
        })
    }

    fn verifier(
        &self,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        Ok(Box::new(JwtVerifier {
            keys: keys.to_vec(),
            dialect: params.dialect.unwrap_or(JsonDialect::Python),
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
        let style = match params.dialect.unwrap_or(JsonDialect::Python) {
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
    dialect: JsonDialect,
}

impl Verifier for JwtVerifier {
    fn verify(&self, decoded: &Decoded, opts: &VerifyOptions) -> Verification {
        let mut result = Verification::new(Verdict::Unverified);
        result.max_age_secs = opts.max_age.resolve(None);
        if let Some(problem) = &decoded.problem {
            result.verdict = Verdict::Malformed(problem.clone());
            return result;
        }
        if self.keys.is_empty() {
            return result;
        }
        let Some(digest) = decoded.digest else {
            // An HMAC algorithm the caller did not allow.
            result.verdict = Verdict::BadSignature;
            return result;
        };
        let python = self.dialect == JsonDialect::Python;
        let signing_input = decoded
            .value
            .as_bytes()
            .get(decoded.signed.clone())
            .unwrap_or_default();
        result.key_index = self.keys.iter().position(|k| {
            // PyJWT refuses PEM/SSH keys as secrets; jsonwebtoken turns a PEM string into a key
            // object that HS algorithms refuse.
            if looks_asymmetric(k.expose()) {
                return false;
            }
            let mac = KeyedMac::new(digest, k.expose());
            if python {
                mac.verify(&[signing_input], &decoded.signature)
            } else {
                let expected = b64url_nopad(mac.tag(&[signing_input]).as_bytes());
                ct_eq(expected.as_bytes(), &decoded.signature)
            }
        });
        if result.key_index.is_none() {
            if self.keys.iter().any(|k| looks_asymmetric(k.expose())) {
                result
                    .notes
                    .push("a PEM or SSH key is not an HMAC secret: the libraries refuse it".into());
            }
            result.verdict = Verdict::BadSignature;
            return result;
        }
        if !decoded.lenient_parts.is_empty() {
            result.notes.push(if python {
                "accepted only because PyJWT reads '=' padding leniently; jsonwebtoken rejects it".into()
            } else {
                "accepted only because jsonwebtoken decodes base64 leniently (unused bits); PyJWT rejects it".into()
            });
        }
        let claims = match &decoded.payload {
            Ok(c) => c,
            Err(e) => {
                result.verdict = Verdict::Malformed(format!("the signature is valid but {e}"));
                return result;
            }
        };
        result.verdict = self.check_claims(claims, opts);
        result
    }
}

impl JwtVerifier {
    /// The claims, in the library's order (PyJWT: iat, nbf, exp, then the sub and jti types;
    /// jsonwebtoken: nbf, exp, then maxAge on iat).
    fn check_claims(&self, claims: &Value, opts: &VerifyOptions) -> Verdict {
        // Seconds, as the libraries compute them (doubles; realistic times are exact).
        let now = opts.now as f64;
        let leeway = opts.leeway_secs as f64;
        let python = self.dialect == JsonDialect::Python;
        let span = |secs: f64| human_duration(secs.abs().min(1e15) as i128);
        let claim = |name: &str| numeric(claims, name, self.dialect);
        let malformed = |e: String| Verdict::Malformed(format!("the signature is valid but {e}"));
        if !claims.is_object() {
            return Verdict::Valid;
        }
        if python && claims.get("iat").is_some() {
            match claim("iat") {
                Err(e) => return malformed(e),
                Ok(Some(iat)) if iat > now + leeway => {
                    return Verdict::NotYetValid(format!(
                        "issued {} in the future (iat); PyJWT rejects that, jsonwebtoken does not",
                        span(iat - now)
                    ));
                }
                Ok(_) => {}
            }
        }
        match claim("nbf") {
            Err(e) => return malformed(e),
            Ok(Some(nbf)) if nbf > now + leeway => {
                return Verdict::NotYetValid(format!(
                    "not valid for another {} (nbf)",
                    span(nbf - now)
                ));
            }
            Ok(_) => {}
        }
        match claim("exp") {
            Err(e) => return malformed(e),
            // PyJWT: exp <= now - leeway; jsonwebtoken: now >= exp + clockTolerance.
            Ok(Some(exp)) if now >= exp + leeway => {
                return Verdict::Expired(format!("expired {} ago (exp)", span(now - exp)));
            }
            Ok(_) => {}
        }
        if let Some(max) = opts.max_age.resolve(None) {
            match claim("iat") {
                // jsonwebtoken: expired when now >= iat + maxAge + clockTolerance.
                Ok(Some(iat)) if now >= iat + max as f64 + leeway => {
                    return Verdict::Expired(format!(
                        "issued {} ago, at or past the max age of {}",
                        span(now - iat),
                        human_duration(i128::from(max))
                    ));
                }
                Ok(Some(_)) => {}
                Ok(None) => return malformed("a max age needs an iat claim".into()),
                Err(e) => return malformed(e),
            }
        }
        if python {
            for name in ["sub", "jti"] {
                if claims.get(name).is_some_and(|v| !v.is_string()) {
                    return malformed(format!("the {name} claim must be a string"));
                }
            }
        }
        Verdict::Valid
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
        assert!(
            matches!(got.verdict, Verdict::Malformed(ref e) if e.contains("public key")),
            "{:?}",
            got.verdict
        );
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
