//! Detection: for every genuine cookie the real libraries made, `inspect` without a format picks
//! that format (with the keys, as a user pasting it with stored keys would).

mod common;

use signet::core::{self, InspectRequest, VerifyOptions};

#[test]
fn inspect_without_format_finds_the_format_of_every_genuine_vector() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in [
        "itsdangerous",
        "django",
        "pyjwt",
        "node",
        "rails",
        "cookie_rs",
    ] {
        for v in common::vectors(file) {
            if v["expect"]["status"] != "valid" {
                continue;
            }
            let keys = common::keys(&v);
            let params = common::params(&v);
            let opts = VerifyOptions {
                now: v["now"].as_i64().expect("now"),
                max_age: common::max_age(&v),
                leeway_secs: v["leeway"].as_u64().unwrap_or(0),
            };
            let input = v["input"].as_str().or(v["cookie"].as_str()).expect("input");
            let req = InspectRequest {
                format: None,
                keys: &keys,
                params,
            };
            let got = core::inspect(input, &req, &opts).expect("inspects");
            checked += 1;
            let expected = v["format"].as_str();
            let tie = got.ties.iter().any(|t| Some(*t) == expected);
            if (got.format != expected && !tie) || got.verification.verdict.status() != "valid" {
                wrong.push(format!(
                    "{}: detected {:?} ({}), ties {:?}, alternatives {:?}",
                    v["name"],
                    got.format,
                    got.verification.verdict.status(),
                    got.ties,
                    got.alternatives
                ));
            }
        }
    }
    assert!(checked > 500, "only {checked} genuine vectors");
    assert!(
        wrong.is_empty(),
        "{} of {checked} detected wrongly:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
