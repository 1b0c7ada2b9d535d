//! Property tests: signing round-trips, any one-character change breaks the signature (except
//! where the library itself accepts it), and no input makes the core panic.

use proptest::prelude::*;
use serde_json::{Map, Value};
use signet::core::encoding::itsdangerous_b64decode;
use signet::core::{
    self, FORMATS, FormatParams, InspectRequest, MaxAge, PartKind, Secret, Verdict, VerifyOptions,
};

const NOW: i64 = 1_767_225_600;

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        // Within ±2^53: JavaScript formats (cookie-session, jsonwebtoken) store every number as a
        // double, so larger integers round, exactly as Node would round them.
        (-(1i64 << 53)..(1i64 << 53)).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        "[\\x00-\\x7f]{0,8}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,6}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A payload each format accepts: strings for the string formats, objects elsewhere.
fn payload_for(format: &str, v: &Value, s: &str) -> Value {
    if core::format_by_id(format).is_some_and(|f| f.string_payload()) {
        Value::String(s.to_string())
    } else {
        let mut m = Map::new();
        m.insert("v".into(), v.clone());
        Value::Object(m)
    }
}

/// Parameters every format accepts (the cookie name binds Django's signed cookies).
fn params() -> FormatParams {
    FormatParams {
        cookie_name: Some("c".into()),
        ..FormatParams::default()
    }
}

/// `key` repeated up to the format's minimum key length.
fn key_for(format: &dyn core::CookieFormat, key: &[u8]) -> Secret {
    Secret::from_bytes(
        key.iter()
            .copied()
            .cycle()
            .take(key.len().max(format.min_key_len()))
            .collect::<Vec<u8>>(),
    )
}

/// Decodes and verifies a cookie value exactly as given (no paste parsing: values may have
/// leading spaces, which a paste would trim).
fn verify(format: &str, cookie: &str, keys: &[Secret]) -> core::Inspection {
    let f = core::format_by_id(format).expect("known format");
    let opts = VerifyOptions {
        now: NOW,
        max_age: MaxAge::Unlimited,
        leeway_secs: 0,
    };
    let params = params();
    let (decoded, verification) = match f.decode(cookie, &params) {
        Ok(mut d) => {
            let v = f.verifier(keys, &params).expect("params").verify(&d, &opts);
            if let Some(p) = &v.opened {
                d.payload = Ok(p.clone());
            }
            (Some(d), v)
        }
        Err(e) => (None, core::Verification::new(Verdict::Malformed(e.0))),
    };
    core::Inspection {
        format: Some(f.id()),
        candidate: None,
        decoded,
        verification,
        alternatives: Vec::new(),
        reason: None,
        ties: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_is_valid(
        v in json_value(),
        s in "[ -~]{0,20}",
        key in prop::collection::vec(any::<u8>(), 1..40),
        other in prop::collection::vec(any::<u8>(), 1..40),
        ts in 0i64..4_102_444_800,
    ) {
        prop_assume!(key != other);
        for format in FORMATS {
            let (key, other) = (key_for(*format, &key), key_for(*format, &other));
            prop_assume!(key != other);
            let payload = payload_for(format.id(), &v, &s);
            let cookie = format.sign(&payload, &key, &params(), ts)
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", format.id())))?;
            // The key in second place of the list: it is still found and named.
            let got = verify(format.id(), &cookie, &[other.clone(), key.clone()]);
            prop_assert_eq!(&got.verification.verdict, &Verdict::Valid, "{} {}", format.id(), cookie);
            prop_assert_eq!(got.verification.key_index, Some(1));
            let decoded = got.decoded.expect("decoded");
            prop_assert_eq!(decoded.payload.as_ref().ok(), Some(&payload), "{}", format.id());
            if decoded.parts.iter().any(|p| p.kind == PartKind::Timestamp) {
                prop_assert_eq!(decoded.signed_at, Some(ts));
            }
            // The same cookie under the wrong key alone is a bad signature, payload still shown.
            let bad = verify(format.id(), &cookie, std::slice::from_ref(&other));
            prop_assert_eq!(&bad.verification.verdict, &Verdict::BadSignature);
        }
    }

    #[test]
    fn any_single_character_change_breaks_the_signature(
        v in json_value(),
        key in prop::collection::vec(any::<u8>(), 1..40),
        pos in any::<prop::sample::Index>(),
        replacement in prop::sample::select(
            "ABCXYZabcxyz0189-_+/=.~!%\" é".chars().collect::<Vec<char>>()),
    ) {
        for format in FORMATS {
            let key = key_for(*format, &key);
            let payload = payload_for(format.id(), &v, "value");
            let cookie = format.sign(&payload, &key, &params(), NOW - 10)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let chars: Vec<char> = cookie.chars().collect();
            let i = pos.index(chars.len());
            if chars[i] == replacement {
                continue;
            }
            let mut mutated = chars.clone();
            mutated[i] = replacement;
            let mutated: String = mutated.into_iter().collect();
            let got = verify(format.id(), &mutated, std::slice::from_ref(&key));
            if got.verification.verdict != Verdict::Valid {
                continue;
            }
            // Express URL-decodes values first (decodeURIComponent): `%3a` and `%3A` are the
            // same byte to it, so a change of a hex digit's case is no change at all.
            if format.id() == "express"
                && core::encoding::percent_decode(&mutated) == core::encoding::percent_decode(&cookie)
            {
                continue;
            }
            // The only accepted changes are the ones itsdangerous accepts too: inside the
            // signature, where its lenient base64 decodes the changed text to the same bytes
            // (unused low bits of the last character, `+`/`/` for `-`/`_`, stray characters).
            let sig_start = format
                .decode(&cookie, &params())
                .expect("decodes")
                .parts
                .iter()
                .find(|p| p.kind == PartKind::Signature)
                .expect("signature part")
                .span
                .start;
            let byte_pos: usize = chars[..i].iter().map(|c| c.len_utf8()).sum();
            prop_assert!(byte_pos >= sig_start, "{}: change at {} outside the signature accepted: {}", format.id(), i, mutated);
            let original = itsdangerous_b64decode(&cookie.as_bytes()[sig_start..]);
            let changed = itsdangerous_b64decode(&mutated.as_bytes()[sig_start..]);
            prop_assert_eq!(original, changed);
            prop_assert!(got.verification.notes.iter().any(|n| n.contains("lenient")), "lenient acceptance not reported");
        }
    }

    #[test]
    fn arbitrary_input_never_panics(text in "\\PC{0,300}", raw in prop::collection::vec(any::<u8>(), 0..300)) {
        let keys = [Secret::from_text("k")];
        let lossy = String::from_utf8_lossy(&raw).into_owned();
        for input in [text.as_str(), lossy.as_str()] {
            let _ = core::inspect(input, &InspectRequest { format: None, keys: &keys, params: FormatParams::default() }, &VerifyOptions::at(NOW));
            for format in FORMATS {
                let _ = format.detect(input, &params());
                let _ = core::inspect(input, &InspectRequest { format: Some(format.id()), keys: &keys, params: params() }, &VerifyOptions::at(NOW));
            }
        }
    }

    #[test]
    fn cookie_shaped_garbage_never_panics(
        parts in prop::collection::vec("[A-Za-z0-9_=+/.-]{0,40}", 1..5),
        dot in any::<bool>(),
    ) {
        let mut text = parts.join(if dot { "." } else { ":" });
        if dot {
            text.insert(0, '.');
        }
        let keys = [Secret::from_text("k"), Secret::from_text("k2")];
        for format in FORMATS {
            let _ = core::inspect(&text, &InspectRequest { format: Some(format.id()), keys: &keys, params: FormatParams::default() }, &VerifyOptions::at(NOW));
        }
    }
}

#[test]
fn a_zlib_bomb_is_a_clear_error() {
    // 64 MiB of zeros compress to ~64 KiB; a validly signed Flask cookie carrying it must be
    // refused while decompressing, not loaded into memory.
    let key = Secret::from_text("k");
    let bomb = core::encoding::zlib_compress(&vec![b' '; 64 * 1024 * 1024]);
    let body = format!(".{}", core::encoding::b64url_nopad(&bomb));
    let flask = core::format_by_id("flask").expect("flask");
    // Sign the body as the raw payload text with the Flask signer configuration.
    let signer = core::format_by_id("itsdangerous-timestamp-signer").expect("signer");
    let params = FormatParams {
        salt: Some("cookie-session".into()),
        key_derivation: Some("hmac".into()),
        ..FormatParams::default()
    };
    let cookie = signer
        .sign(&Value::String(body), &key, &params, NOW)
        .expect("signs");
    let decoded = flask
        .decode(&cookie, &FormatParams::default())
        .expect("well formed");
    let err = decoded.payload.expect_err("refused");
    assert!(err.contains("MiB"), "{err}");
    let got = verify("flask", &cookie, &[key]);
    assert!(
        matches!(got.verification.verdict, Verdict::Malformed(ref e) if e.contains("zlib bomb")),
        "{:?}",
        got.verification.verdict
    );
}
