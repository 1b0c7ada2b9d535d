//! keygrip, as `cookies` and `cookie-session` use it: a cookie `name=value` and a companion
//! `name.sig` holding `b64url_nopad(HMAC_H(key, "name=value"))` (H = SHA-1 unless configured).
//!
//! The name is part of the signed data, so renaming a cookie breaks it. `keys[0]` signs; the first
//! key whose signature matches is the index (a later one makes `cookies` re-issue the `.sig`).
//! Signet takes the pair as one value, `name=value; name.sig=sig` (what a `Cookie:` header holds);
//! the input parser pairs `x` with `x.sig` automatically.

use serde_json::Value;

use crate::core::encoding::{b64std, b64url_nopad, node_b64decode};
use crate::core::mac::{Digest, KeyedMac, ct_eq};
use crate::core::model::{
    Decoded, FormatParams, Malformed, ParamError, Part, PartKind, SignError, Verdict, Verification,
    VerifyOptions,
};
use crate::core::pyjson::{self, JsonStyle};
use crate::core::secret::Secret;
use crate::core::{CookieFormat, Detection, Verifier};

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

/// Whether `name` can name a pair that reads back: what the `cookies` module accepts
/// (`fieldContentRegExp`: tab, space to `~`, U+0080 to U+00FF; cookie-session's default
/// `express:sess` among them), without the `;` and `=` that would split the pair elsewhere, and
/// without the blanks at either end that a `Cookie:` header loses.
fn pair_name(name: &str) -> bool {
    !name.is_empty()
        && name.trim_matches([' ', '\t']) == name
        && name
            .chars()
            .all(|c| matches!(c, '\t' | ' '..='~' | '\u{80}'..='\u{ff}') && c != ';' && c != '=')
}

/// Whether the plain `cookies` variant is asked for (a string value), rather than cookie-session's
/// base64 JSON body.
fn plain(params: &FormatParams) -> Result<bool, ParamError> {
    match params.variant.as_deref() {
        None | Some("cookie-session") => Ok(false),
        Some("cookies" | "raw") => Ok(true),
        Some(other) => Err(ParamError(format!(
            "keygrip has the variants cookie-session (default) and cookies, not {other:?}"
        ))),
    }
}

/// cookie-session's body: `JSON.parse(Buffer.from(value, "base64").toString("utf8"))`. Returns
/// the payload and whether the base64 was non-canonical (Node decodes it leniently).
fn load_session(text: &str) -> (Result<Value, String>, bool) {
    if text.is_empty() {
        return (
            Err(
                "the session cookie is empty (cookie-session clears it with req.session = null)"
                    .into(),
            ),
            false,
        );
    }
    let raw = node_b64decode(text.as_bytes());
    let lenient = b64std(&raw) != text;
    let Ok(json) = std::str::from_utf8(&raw) else {
        return (
            Err("the session body is not base64 of UTF-8 JSON".into()),
            lenient,
        );
    };
    match pyjson::parse(json) {
        Ok(v @ Value::Object(_)) => (Ok(v), lenient),
        Ok(_) => (
            Err("the session body is JSON but not an object".into()),
            lenient,
        ),
        Err(e) => (
            Err(format!("the session body is not base64 JSON ({e})")),
            lenient,
        ),
    }
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

    fn check_params(&self, params: &FormatParams) -> Result<(), ParamError> {
        plain(params).map(|_| ())
    }

    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection> {
        let d = self.decode(value, params).ok()?;
        let shaped = Digest::from_b64_len(d.signature.len()).is_some()
            && d.signature
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let score = if shaped { 95 } else { 60 } - if d.payload.is_err() { 10 } else { 0 };
        Some(Detection::new(
            score,
            "a cookie with its name.sig companion (keygrip)",
            &d,
        ))
    }

    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed> {
        let plain = plain(params).map_err(|e| Malformed(e.0))?;
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
        let body = &value[value_span.clone()];
        let (payload, lenient) = if plain {
            (Ok(Value::String(body.to_string())), false)
        } else {
            load_session(body)
        };
        if lenient {
            notes.push("the session body is not canonical base64; cookie-session decodes it leniently and re-writes both cookies".into());
        }
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
            payload,
            signed_at: None,
            compressed: false,
            digest,
            notes,
            problem: sig
                .is_empty()
                .then(|| "the .sig cookie is empty".to_string()),
            lenient_parts: if lenient {
                vec![PartKind::Payload]
            } else {
                Vec::new()
            },
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
        // The name is written into the pair and signed with it: one the pair cannot carry would
        // give a cookie nothing reads back.
        if !pair_name(name) {
            return Err(SignError::Param(format!(
                "{name:?} cannot name a keygrip pair: the cookies module takes tabs, spaces, visible ASCII and U+0080 to U+00FF, and a pair read back needs a name without `;` or `=` and without blanks at either end"
            )));
        }
        let plain = plain(params).map_err(|e| SignError::Param(e.0))?;
        let value = match payload {
            Value::String(s) if plain => s.clone(),
            Value::Object(_) if !plain => b64std(
                pyjson::to_string(payload, JsonStyle::JAVASCRIPT)
                    .map_err(|e| SignError::Payload(e.to_string()))?
                    .as_bytes(),
            ),
            _ => {
                return Err(SignError::Payload(if plain {
                    "the cookies variant signs a string".into()
                } else {
                    "cookie-session signs a JSON object (use the cookies variant for a plain string)".into()
                }));
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
        result.verdict = match (result.key_index, &decoded.payload) {
            (None, _) => Verdict::BadSignature,
            (Some(_), Err(e)) => Verdict::Malformed(format!("the signature is valid but {e}")),
            (Some(i), Ok(_)) => {
                if i > 0 {
                    result.notes.push("signed with an older key: `cookies` accepts it and re-issues the .sig with keys[0]".into());
                }
                if !decoded.lenient_parts.is_empty() {
                    result
                        .notes
                        .push("accepted only because Node decodes base64 leniently".into());
                }
                Verdict::Valid
            }
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

    /// Found by the `verify` fuzz target: re-signing under a cookie name holding `; `, `=` and a
    /// newline gave a pair that no reader, ours included, could split again.
    #[test]
    fn refuses_to_sign_under_a_name_no_cookie_can_carry() {
        let key = Secret::from_text("keygrip-key");
        let payload = serde_json::json!({"user": "ada"});
        for bad in [
            "a=b; sess.sig=x\nf",
            "semi;colon",
            "",
            " lead",
            "trail\t",
            "nul\0",
            "€",
        ] {
            let params = FormatParams {
                cookie_name: Some(bad.into()),
                ..FormatParams::default()
            };
            assert!(
                matches!(
                    Keygrip.sign(&payload, &key, &params, 0),
                    Err(SignError::Param(_))
                ),
                "{bad:?}"
            );
        }
        // Every name it signs under reads back, with its own signature.
        // cookie-session's default name has a `:`, which RFC 6265 would not allow.
        for good in [
            "session",
            "express:sess",
            "my app",
            "tab\tname",
            "é",
            "__Host-s",
        ] {
            let params = FormatParams {
                cookie_name: Some(good.into()),
                ..FormatParams::default()
            };
            let cookie = Keygrip.sign(&payload, &key, &params, 0).expect("signs");
            let decoded = Keygrip.decode(&cookie, &params).expect("reads back");
            assert_eq!(decoded.cookie_name.as_deref(), Some(good));
        }
    }
}
