//! Verify of every format with a fixed key list (every key of the committed fixtures, so seeded
//! inputs reach the valid, expired and decrypting paths), and one property on top: a cookie that
//! verifies, re-signed from its own payload with the key that verified it, verifies again.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signet::core::{FORMATS, FormatParams, Secret, Verdict, Verifier, VerifyOptions};

/// The fixtures' clock (tests/vectors: `now`).
const NOW: i64 = 1_767_225_600;

/// Every vector of tests/vectors/*.json.
fn vectors() -> &'static [serde_json::Value] {
    static VECTORS: OnceLock<Vec<serde_json::Value>> = OnceLock::new();
    VECTORS.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("tests/vectors")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut vectors = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a vector file");
            let mut doc: serde_json::Value = serde_json::from_str(&text).expect("vector JSON");
            if let serde_json::Value::Array(v) = doc["vectors"].take() {
                vectors.extend(v);
            }
        }
        vectors
    })
}

/// Every distinct key of the vectors, in file order.
fn keys() -> &'static [Secret] {
    static KEYS: OnceLock<Vec<Secret>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut seen = std::collections::BTreeSet::new();
        let mut keys = Vec::new();
        for v in vectors() {
            for k in v["keys"].as_array().into_iter().flatten() {
                let secret = match (k["text"].as_str(), k["hex"].as_str()) {
                    (Some(t), _) => Secret::from_text(t),
                    (None, Some(h)) => Secret::from_hex(h).expect("hex key"),
                    _ => continue,
                };
                if seen.insert(secret.expose().to_vec()) {
                    keys.push(secret);
                }
            }
        }
        assert!(keys.len() > 10, "the fixtures' keys were not found");
        keys
    })
}

/// One verifier per format over [`keys`], warmed up: some derive a key the first time a cookie
/// needs it (Rails' PBKDF2 per key and generator, slow on purpose), so every vector goes through
/// once here, outside the timed units.
fn verifiers() -> &'static [Option<Box<dyn Verifier>>] {
    static VERIFIERS: OnceLock<Vec<Option<Box<dyn Verifier>>>> = OnceLock::new();
    VERIFIERS.get_or_init(|| {
        let verifiers: Vec<Option<Box<dyn Verifier>>> = FORMATS
            .iter()
            .map(|f| {
                // A format that refuses some fixture key (length rules) gets the keys it takes.
                let usable: Vec<Secret> = keys()
                    .iter()
                    .filter(|k| k.len() >= f.min_key_len())
                    .cloned()
                    .collect();
                f.verifier(&usable, &FormatParams::default()).ok()
            })
            .collect();
        let opts = VerifyOptions::at(NOW);
        for v in vectors() {
            let cookie = v["cookie"].as_str().unwrap_or_default();
            for (format, verifier) in FORMATS.iter().zip(&verifiers) {
                if let (Some(verifier), Ok(decoded)) =
                    (verifier, format.decode(cookie, &FormatParams::default()))
                {
                    verifier.verify(&decoded, &opts);
                }
            }
        }
        verifiers
    })
}

fuzz_target!(|data: &[u8]| {
    let verifiers = verifiers();
    let text = common::text(data);
    let (value, params) = common::value_and_name(&text);
    let opts = VerifyOptions::at(NOW);
    common::timed(|| {
        for (format, verifier) in FORMATS.iter().zip(verifiers) {
            let Some(verifier) = verifier else { continue };
            let Ok(decoded) = format.decode(value, &params) else {
                continue;
            };
            let verification = verifier.verify(&decoded, &opts);
            if verification.verdict != Verdict::Valid {
                continue;
            }
            // Valid: re-sign the payload the app would read with the key that matched.
            let usable: Vec<&Secret> = keys()
                .iter()
                .filter(|k| k.len() >= format.min_key_len())
                .collect();
            let (Some(index), Some(payload)) = (
                verification.key_index,
                verification
                    .opened
                    .clone()
                    .or_else(|| decoded.payload.clone().ok()),
            ) else {
                continue;
            };
            let Ok(again) = format.sign(&payload, usable[index], &params, NOW) else {
                continue;
            };
            let redecoded = format.decode(&again, &params).unwrap_or_else(|e| {
                panic!(
                    "{}: our own cookie {again:?} is malformed: {e:?}",
                    format.id()
                )
            });
            let reverified = verifier.verify(&redecoded, &opts);
            assert!(
                !matches!(
                    reverified.verdict,
                    Verdict::BadSignature | Verdict::Malformed(_)
                ),
                "{}: our own cookie {again:?} does not verify: {:?}",
                format.id(),
                reverified.verdict
            );
        }
    });
});
