//! Every vector the real frameworks produced (tests/vectors/*.json, made by
//! tests/interop/gen_*.py): decode, verify and re-sign must agree with the library.

mod common;

use serde_json::Value;
use signet::core::{self, InspectRequest, VerifyOptions, format_by_id};

fn check(v: &Value) -> Result<(), String> {
    let format_id = v["format"].as_str().ok_or("no format")?;
    let format = format_by_id(format_id).ok_or(format!("unknown format {format_id}"))?;
    let keys = common::keys(v);
    let params = common::params(v);
    let opts = VerifyOptions {
        now: v["now"].as_i64().ok_or("no now")?,
        max_age: common::max_age(v),
        leeway_secs: v["leeway"].as_u64().unwrap_or(0),
    };
    let expect = &v["expect"];
    let input = v["input"]
        .as_str()
        .or(v["cookie"].as_str())
        .ok_or("no input")?;
    let req = InspectRequest {
        format: Some(format_id),
        keys: &keys,
        params: params.clone(),
    };
    let got = core::inspect(input, &req, &opts).map_err(|e| e.0)?;
    let status = got.verification.verdict.status();
    let mut errors = Vec::new();
    if status != expect["status"] {
        errors.push(format!(
            "status {status} ({:?}), expected {}",
            got.verification.verdict, expect["status"]
        ));
    }
    let decoded = got.decoded.as_ref();
    let payload = decoded
        .and_then(|d| d.payload.as_ref().ok())
        .cloned()
        .unwrap_or(Value::Null);
    // A malformed verdict reports no payload, whatever was decodable.
    if status != "malformed" && payload != expect["payload"] {
        errors.push(format!("payload {payload}, expected {}", expect["payload"]));
    }
    let signed_at = decoded.and_then(|d| d.signed_at);
    if expect["signed_at"].is_i64() && signed_at != expect["signed_at"].as_i64() {
        errors.push(format!(
            "signed_at {signed_at:?}, expected {}",
            expect["signed_at"]
        ));
    }
    let key_index = got.verification.key_index;
    if key_index.map(|i| i as u64) != expect["key_index"].as_u64() {
        errors.push(format!(
            "key_index {key_index:?}, expected {}",
            expect["key_index"]
        ));
    }
    if let Some(d) = decoded
        && expect["compressed"].is_boolean()
        && Some(d.compressed) != expect["compressed"].as_bool()
    {
        errors.push(format!(
            "compressed {}, expected {}",
            d.compressed, expect["compressed"]
        ));
    }
    let lenient_noted = got.verification.notes.iter().any(|n| n.contains("lenient"));
    if expect["lenient_base64"].as_bool() == Some(true) && !lenient_noted {
        errors.push("lenient base64 acceptance is not reported".into());
    }
    if v["resign"].as_bool() == Some(true) {
        let index = expect["key_index"]
            .as_u64()
            .ok_or("resign without key_index")? as usize;
        let ts = expect["signed_at"].as_i64().unwrap_or(0);
        match format.sign(&expect["payload"], &keys[index], &params, ts) {
            Ok(cookie) if cookie == v["cookie"] => {}
            Ok(cookie) => errors.push(format!("re-signed as {cookie}, expected {}", v["cookie"])),
            Err(e) => errors.push(format!("re-signing failed: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// Checks every vector of `tests/vectors/<file>.json`.
fn check_file(file: &str, at_least: usize) {
    let vectors = common::vectors(file);
    assert!(vectors.len() >= at_least, "only {} vectors", vectors.len());
    let mut failures = Vec::new();
    for v in &vectors {
        if let Err(e) = check(v) {
            failures.push(format!(
                "{}: {e}\n    input: {}",
                v["name"],
                v["input"].as_str().or(v["cookie"].as_str()).unwrap_or("?")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors disagree:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn itsdangerous_family_vectors_agree_with_the_libraries() {
    check_file("itsdangerous", 150);
}

#[test]
fn every_format_and_status_is_covered() {
    let vectors = common::vectors("itsdangerous");
    for id in [
        "flask",
        "itsdangerous-signer",
        "itsdangerous-timestamp-signer",
        "itsdangerous-serializer",
        "itsdangerous-urlsafe",
        "itsdangerous-timed",
        "starlette",
    ] {
        let n = vectors.iter().filter(|v| v["format"] == id).count();
        assert!(n >= 5, "{id}: only {n} vectors");
    }
    for status in ["valid", "bad-signature", "expired", "malformed"] {
        assert!(
            vectors.iter().any(|v| v["expect"]["status"] == status),
            "no {status} vector"
        );
    }
    let resigned = vectors.iter().filter(|v| v["resign"] == true).count();
    assert!(
        resigned >= 100,
        "only {resigned} byte-identical re-sign checks"
    );
}

#[test]
fn django_vectors_agree_with_django() {
    check_file("django", 150);
}

#[test]
fn pyjwt_vectors_agree_with_pyjwt() {
    check_file("pyjwt", 40);
}

#[test]
fn node_vectors_agree_with_express_keygrip_and_jsonwebtoken() {
    check_file("node", 150);
}
