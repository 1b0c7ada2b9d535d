//! Express: `cookie-signature` values as express-session and cookie-parser write them.
//!
//! ```text
//! "s:" value "." b64std_nopad(HMAC-SHA256(secret, value))      URL-encoded in Set-Cookie: s%3A...
//! ```
//!
//! The secret array is tried in order (`secret[0]` signs). A value without the `s:` prefix and
//! without a signature is not signed at all: cookie-parser passes it through unchanged.

use serde_json::Value;

use crate::core::encoding::{b64std, percent_decode};
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, Malformed, ParamError, Part, PartKind, SignError, Verdict, Verification,
    VerifyOptions,
};
use crate::core::secret::Secret;
use crate::core::{CookieFormat, Detection, Verifier};

/// The Express format.
#[derive(Debug, Clone, Copy)]
pub struct Express;

/// `encodeURIComponent`.
pub fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether the `bare` variant (no `s:` prefix, no URL encoding) is asked for.
fn bare(params: &FormatParams) -> Result<bool, ParamError> {
    match params.variant.as_deref() {
        None | Some("cookie-parser" | "express-session") => Ok(false),
        Some("bare") => Ok(true),
        Some(other) => Err(ParamError(format!(
            "express has the variants cookie-parser (default) and bare, not {other:?}"
        ))),
    }
}

fn sign_text(mac: &KeyedMac, value: &str) -> String {
    b64std(mac.tag(&[value.as_bytes()]).as_bytes())
        .trim_end_matches('=')
        .to_string()
}

impl CookieFormat for Express {
    fn id(&self) -> &'static str {
        "express"
    }

    fn label(&self) -> &'static str {
        "Express cookie-signature values (s: prefix of cookie-parser / express-session, URL-encoded or not)"
    }

    fn default_cookie_name(&self) -> Option<&'static str> {
        Some("connect.sid")
    }

    fn string_payload(&self) -> bool {
        true
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let d = self.decode(value, params).ok()?;
        let sig = d.parts.last().map(|p| d.part_text(p)).unwrap_or_default();
        let sig_shape = sig.len() == 43
            && sig
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
        let mut score = if sig_shape { 80 } else { 35 };
        if d.problem.is_some() {
            score -= 20;
        }
        Some(Detection::new(
            score,
            "the s: prefix of cookie-parser / express-session and a cookie-signature HMAC-SHA256",
            &d,
        ))
    }

    fn check_params(&self, params: &FormatParams) -> Result<(), ParamError> {
        bare(params).map(|_| ())
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let bare = bare(params).map_err(|e| Malformed(e.0))?;
        // Express's cookie parser URL-decodes values before unsigning them; a bare
        // cookie-signature value is taken as it is.
        let decoded_value = if bare { None } else { percent_decode(value) };
        let value = decoded_value.as_deref().unwrap_or(value);
        let (prefixed, body) = match value.strip_prefix("s:") {
            Some(rest) if !bare => (true, rest),
            _ => (false, value),
        };
        if !prefixed && !bare {
            return Err(Malformed(
                "not signed: without the s: prefix cookie-parser and express-session pass the value through unchanged (for a bare cookie-signature value use the `bare` variant)".into(),
            ));
        }
        let offset = if prefixed { 2 } else { 0 };
        let Some(dot) = body.rfind('.') else {
            return Err(Malformed(if prefixed {
                "the value has the s: prefix but no \".signature\"".into()
            } else {
                "not signed: no s: prefix and no signature (cookie-parser passes unsigned values through unchanged)".into()
            }));
        };
        let tentative = &body[..dot];
        let sig = &body[dot + 1..];
        let mut parts = Vec::new();
        if prefixed {
            parts.push(Part {
                kind: PartKind::Marker,
                span: 0..2,
            });
        }
        parts.push(Part {
            kind: PartKind::Payload,
            span: offset..offset + dot,
        });
        parts.push(Part {
            kind: PartKind::Separator,
            span: offset + dot..offset + dot + 1,
        });
        parts.push(Part {
            kind: PartKind::Signature,
            span: offset + dot + 1..value.len(),
        });
        let notes = Vec::new();
        let problem = sig.is_empty().then(|| "the signature is empty".to_string());
        Ok(Decoded {
            format: self.id(),
            value: value.to_string(),
            cookie_name: params.cookie_name.clone(),
            parts,
            payload: Ok(Value::String(tentative.to_string())),
            signed_at: None,
            compressed: false,
            digest: Some(Digest::Sha256),
            notes,
            problem,
            lenient_parts: Vec::new(),
            header: None,
            signed: offset..offset + dot,
            signature: sig.as_bytes().to_vec(),
        })
    }

    fn verifier(
        &self,
        keys: &[Secret],
        _params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        Ok(Box::new(ExpressVerifier {
            macs: keys
                .iter()
                .map(|k| KeyedMac::new(Digest::Sha256, k.expose()))
                .collect(),
        }))
    }

    fn sign(
        &self,
        payload: &Value,
        key: &Secret,
        params: &FormatParams,
        _timestamp: i64,
    ) -> Result<String, SignError> {
        let bare = bare(params).map_err(|e| SignError::Param(e.0))?;
        let Value::String(value) = payload else {
            return Err(SignError::Payload(
                "Express signs a string (the session id or cookie value): give a JSON string"
                    .into(),
            ));
        };
        let mac = KeyedMac::new(Digest::Sha256, key.expose());
        let signed = format!("{value}.{}", sign_text(&mac, value));
        Ok(if bare {
            signed
        } else {
            encode_uri_component(&format!("s:{signed}"))
        })
    }
}

struct ExpressVerifier {
    macs: Vec<KeyedMac>,
}

impl Verifier for ExpressVerifier {
    fn verify(&self, decoded: &Decoded, _opts: &VerifyOptions) -> Verification {
        let mut result = Verification::new(Verdict::Unverified);
        if let Some(problem) = &decoded.problem {
            result.verdict = Verdict::Malformed(problem.clone());
            return result;
        }
        if self.macs.is_empty() {
            return result;
        }
        let value = decoded
            .value
            .get(decoded.signed.clone())
            .unwrap_or_default();
        // cookie-signature compares the whole re-signed string; equal values give equal strings.
        result.key_index = self
            .macs
            .iter()
            .position(|m| ct_eq(sign_text(m, value).as_bytes(), &decoded.signature));
        result.verdict = if result.key_index.is_some() {
            Verdict::Valid
        } else {
            Verdict::BadSignature
        };
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_cookie() {
        // From ../shared/contract.md (express-session), after URL-decoding.
        let value = "s:abc123.D7wygo5ZH1W6JLgj6nvEj/LJMWaDUGS/7079zeVMzXA";
        let key = Secret::from_text("contract-express");
        let d = Express
            .decode(value, &FormatParams::default())
            .expect("decodes");
        assert_eq!(d.payload, Ok(Value::String("abc123".into())));
        let v = Express
            .verifier(
                &[Secret::from_text("x"), key.clone()],
                &FormatParams::default(),
            )
            .expect("ok");
        let got = v.verify(&d, &VerifyOptions::at(0));
        assert_eq!((got.verdict, got.key_index), (Verdict::Valid, Some(1)));
        let signed = Express.sign(
            &Value::String("abc123".into()),
            &key,
            &FormatParams::default(),
            0,
        );
        assert_eq!(
            signed.as_deref(),
            Ok("s%3Aabc123.D7wygo5ZH1W6JLgj6nvEj%2FLJMWaDUGS%2F7079zeVMzXA")
        );
    }
}
