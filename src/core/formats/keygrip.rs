//! keygrip, as `cookies` and `cookie-session` use it: a cookie `name=value` and a companion
//! `name.sig` holding `b64url_nopad(HMAC_H(key, "name=value"))` (H = SHA-1 unless configured).
//!
//! The name is part of the signed data, so renaming a cookie breaks it. `keys[0]` signs; the first
//! key whose signature matches is the index (a later one makes `cookies` re-issue the `.sig`).
//! Signet takes the pair as one value, `name=value; name.sig=sig` (what a `Cookie:` header holds);
//! the input parser pairs `x` with `x.sig` automatically.

use serde_json::Value;

use crate::core::encoding::{b64std, b64url_nopad, py_a2b_base64};
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, Malformed, ParamError, Part, PartKind, SignError, Verdict, Verification,
    VerifyOptions,
};
use crate::core::pyjson::{self, JsonStyle};
use crate::core::secret::Secret;
use crate::core::{CookieFormat, Verifier};

/// The keygrip format.
#[derive(Debug, Clone, Copy)]
pub struct Keygrip;

/// Splits `name=value; name.sig=sig` into its parts' byte ranges.
fn split_pair(value: &str) -> Option<(&str, std::ops::Range<usize>, std::ops::Range<usize>)> {
    let (first, second) = value.split_once("; ")?;
    let (name, _) = first.split_once('=')?;
    let sig_prefix = format!("{name}.sig=");
    let sig = second.strip_prefix(&sig_prefix)?;
    let value_start = name.len() + 1;
    let sig_start = first.len() + 2 + sig_prefix.len();
    if name.is_empty() || sig.contains(';') {
        return None;
    }
    Some((name, value_start..first.len(), sig_start..value.len()))
}

/// cookie-session's body: base64 of JSON, else the plain string.
fn load_payload(text: &str) -> Value {
    if let Ok(raw) = py_a2b_base64(text.as_bytes())
        && !text.is_empty()
        && b64std(&raw) == text
        && let Ok(json) = std::str::from_utf8(&raw)
        && let Ok(v @ Value::Object(_)) = pyjson::parse(json)
    {
        return v;
    }
    Value::String(text.to_string())
}

impl CookieFormat for Keygrip {
    fn id(&self) -> &'static str {
        "keygrip"
    }

    fn label(&self) -> &'static str {
        "cookie-session / cookies + keygrip (name + name.sig pair)"
    }

    fn default_cookie_name(&self) -> Option<&'static str> {
        Some("session")
    }

    fn detect(&self, value: &str) -> u8 {
        let Some((_, _, sig)) = split_pair(value) else {
            return 0;
        };
        let sig = &value[sig];
        let shaped = matches!(sig.len(), 27 | 43 | 64 | 86)
            && sig
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if shaped { 95 } else { 60 }
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let Some((name, value_span, sig_span)) = split_pair(value) else {
            return Err(Malformed(
                "keygrip cookies come in pairs: give both `name=value` and `name.sig=...` (a Cookie: header holding both)".into(),
            ));
        };
        let sig = &value[sig_span.clone()];
        let mut notes = Vec::new();
        if let Some(expected) = &params.cookie_name
            && expected != name
        {
            notes.push(format!("the pair is named {name:?}, not {expected:?}"));
        }
        let digest = params.digest.or_else(|| Digest::from_b64_len(sig.len()));
        let parts = vec![
            Part {
                kind: PartKind::Marker,
                span: 0..value_span.start,
            },
            Part {
                kind: PartKind::Payload,
                span: value_span.clone(),
            },
            Part {
                kind: PartKind::Separator,
                span: value_span.end..sig_span.start,
            },
            Part {
                kind: PartKind::Signature,
                span: sig_span.clone(),
            },
        ];
        Ok(Decoded {
            format: self.id(),
            value: value.to_string(),
            cookie_name: Some(name.to_string()),
            parts,
            payload: Ok(load_payload(&value[value_span.clone()])),
            signed_at: None,
            compressed: false,
            digest,
            notes,
            problem: sig
                .is_empty()
                .then(|| "the .sig cookie is empty".to_string()),
            lenient_parts: Vec::new(),
            header: None,
            signed: 0..value_span.end,
            signature: sig.as_bytes().to_vec(),
        })
    }

    fn verifier(
        &self,
        keys: &[Secret],
        _params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        Ok(Box::new(KeygripVerifier {
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
        let name = params.cookie_name.as_deref().unwrap_or("session");
        let value = match payload {
            Value::String(s) => s.clone(),
            Value::Object(_) => b64std(
                pyjson::to_string(payload, JsonStyle::JAVASCRIPT)
                    .map_err(|e| SignError::Payload(e.to_string()))?
                    .as_bytes(),
            ),
            _ => {
                return Err(SignError::Payload(
                    "keygrip signs a string, or an object (cookie-session's JSON body)".into(),
                ));
            }
        };
        let data = format!("{name}={value}");
        let digest = params.digest.unwrap_or(Digest::Sha1);
        let sig = b64url_nopad(
            KeyedMac::new(digest, key.expose())
                .tag(&[data.as_bytes()])
                .as_bytes(),
        );
        Ok(format!("{data}; {name}.sig={sig}"))
    }
}

struct KeygripVerifier {
    keys: Vec<Secret>,
}

impl Verifier for KeygripVerifier {
    fn verify(&self, decoded: &Decoded, _opts: &VerifyOptions) -> Verification {
        let mut result = Verification::new(Verdict::Unverified);
        if let Some(problem) = &decoded.problem {
            result.verdict = Verdict::Malformed(problem.clone());
            return result;
        }
        if self.keys.is_empty() {
            return result;
        }
        let data = decoded
            .value
            .get(decoded.signed.clone())
            .unwrap_or_default();
        let digest = decoded.digest.unwrap_or(Digest::Sha1);
        result.key_index = self.keys.iter().position(|k| {
            let sig = b64url_nopad(
                KeyedMac::new(digest, k.expose())
                    .tag(&[data.as_bytes()])
                    .as_bytes(),
            );
            ct_eq(sig.as_bytes(), &decoded.signature)
        });
        result.verdict = match result.key_index {
            Some(0) => Verdict::Valid,
            Some(_) => {
                result.notes.push("signed with an older key: `cookies` accepts it and re-issues the .sig with keys[0]".into());
                Verdict::Valid
            }
            None => Verdict::BadSignature,
        };
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_pair() {
        // From ../shared/contract.md (cookie-session).
        let value = "session=eyJrIjogMX0=; session.sig=97aoVRURYxen0tQMPOEJ90LL4RY";
        let key = Secret::from_text("contract-keygrip");
        let d = Keygrip
            .decode(value, &FormatParams::default())
            .expect("decodes");
        assert_eq!(d.payload, Ok(serde_json::json!({"k": 1})));
        let got = Keygrip
            .verifier(std::slice::from_ref(&key), &FormatParams::default())
            .expect("ok")
            .verify(&d, &VerifyOptions::at(0));
        assert_eq!((got.verdict, got.key_index), (Verdict::Valid, Some(0)));
        // Renamed: the name is signed too.
        let renamed = "other=eyJrIjogMX0=; other.sig=97aoVRURYxen0tQMPOEJ90LL4RY";
        let d = Keygrip
            .decode(renamed, &FormatParams::default())
            .expect("decodes");
        let got = Keygrip
            .verifier(&[key], &FormatParams::default())
            .expect("ok")
            .verify(&d, &VerifyOptions::at(0));
        assert_eq!(got.verdict, Verdict::BadSignature);
        assert!(
            Keygrip
                .decode("session=abc", &FormatParams::default())
                .is_err()
        );
    }
}
