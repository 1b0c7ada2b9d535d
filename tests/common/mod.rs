//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;
use signet::core::{FormatParams, MaxAge, Secret};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads `tests/vectors/<name>.json`.
pub fn vectors(name: &str) -> Vec<Value> {
    let path = root().join("tests/vectors").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
    doc["vectors"]
        .as_array()
        .cloned()
        .expect("a `vectors` array")
}

/// The ordered key list of a vector.
pub fn keys(v: &Value) -> Vec<Secret> {
    v["keys"]
        .as_array()
        .map(|keys| {
            keys.iter()
                .map(|k| {
                    if let Some(t) = k["text"].as_str() {
                        Secret::from_text(t)
                    } else {
                        Secret::from_hex(k["hex"].as_str().expect("text or hex key")).expect("hex")
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Parameter overrides of a vector.
pub fn params(v: &Value) -> FormatParams {
    let p = &v["params"];
    let s = |k: &str| p[k].as_str().map(str::to_string);
    FormatParams {
        salt: s("salt"),
        separator: s("separator"),
        // A verifier pinned to one JWT algorithm (`algorithms=["HS256"]`) is Signet's --digest.
        digest: s("digest")
            .or_else(|| match p["algorithms"].as_array().map(Vec::as_slice) {
                Some([one]) => one
                    .as_str()
                    .and_then(|a| a.strip_prefix("HS"))
                    .map(|bits| format!("sha{bits}")),
                _ => None,
            })
            .map(|d| d.parse().expect("digest name")),
        key_derivation: s("key_derivation"),
        cookie_name: s("cookie_name"),
        compress: p["compress"].as_bool(),
        header: p.get("header").cloned().filter(Value::is_object),
        variant: match (p["prefix"].as_str(), p["encoding"].as_str()) {
            (Some(""), _) => Some("bare".into()),
            (_, Some("raw")) => Some("cookies".into()),
            _ => s("variant"),
        },
        dialect: match p["dialect"].as_str() {
            Some("python") => Some(signet::core::JsonDialect::Python),
            Some("javascript") => Some(signet::core::JsonDialect::JavaScript),
            _ => None,
        },
    }
}

/// The vector's max-age setting.
pub fn max_age(v: &Value) -> MaxAge {
    match &v["max_age"] {
        Value::Null => MaxAge::FrameworkDefault,
        Value::String(s) if s == "none" => MaxAge::Unlimited,
        Value::Number(n) => MaxAge::Secs(n.as_u64().expect("max_age seconds")),
        other => panic!("bad max_age {other}"),
    }
}

/// The path of the built `signet` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_signet"))
}
pub mod accept;
pub mod secret_service;
