//! Rotation preview against the real frameworks: for each scenario (Flask with
//! SECRET_KEY_FALLBACKS, Django with SECRET_KEY_FALLBACKS, cookie-session/keygrip and Express key
//! arrays), every cookie's outcome under the proposed set must be what the real library does with
//! the proposed configuration, and `now` what it does with the current one.

mod common;

use common::accept::{ask, key_json, node, python};
use serde_json::{Value, json};
use signet::core::rotate::{Outcome, Report, Rotation};
use signet::core::{FormatParams, MaxAge, Secret, VerifyOptions, format_by_id};

const NOW: i64 = 1_767_225_600;

struct Scenario {
    format: &'static str,
    params: Value,
    current: Vec<&'static str>,
    proposed: Vec<&'static str>,
    /// Keys that sign the batch (including ones in neither set).
    signers: Vec<&'static str>,
    payload: fn(usize) -> Value,
    timed: bool,
}

fn secrets(keys: &[&str]) -> Vec<Secret> {
    keys.iter().map(|k| Secret::from_text(k)).collect()
}

/// What the library's answer for one key set says the outcome must be.
fn expected(next: &Value, now: &Value) -> String {
    match (next["status"].as_str(), next["key_index"].as_u64()) {
        (Some("valid"), Some(0)) => "valid-primary".into(),
        (Some("valid"), Some(i)) => format!("valid-fallback:{}", i - 1),
        (Some("expired" | "not-yet-valid"), Some(_)) => "expired".into(),
        (Some("malformed"), _) => "malformed".into(),
        _ if now["key_index"].is_u64() => "invalidated".into(),
        _ => "already-invalid".into(),
    }
}

fn run(program: &str, script: &str, s: &Scenario) -> Report {
    let format = format_by_id(s.format).expect("format");
    let mut params = FormatParams::default();
    if let Some(name) = s.params["cookie_name"].as_str() {
        params.cookie_name = Some(name.into());
    }
    let opts = VerifyOptions {
        now: NOW,
        max_age: MaxAge::FrameworkDefault,
        leeway_secs: 0,
    };
    let rotation = Rotation::new(
        s.format,
        &secrets(&s.current),
        &secrets(&s.proposed),
        params.clone(),
        opts,
    )
    .expect("rotation");
    let mut cookies = Vec::new();
    for (i, signer) in s.signers.iter().cycle().take(120).enumerate() {
        // Ages from fresh to well past every framework default.
        let ts = if s.timed {
            NOW - (i as i64 * 37_003) % (45 * 86_400)
        } else {
            NOW
        };
        let cookie = format
            .sign(&(s.payload)(i), &Secret::from_text(signer), &params, ts)
            .expect("signs");
        cookies.push(cookie);
    }
    cookies.push("not-a-cookie".into());
    let request = |keys: &[&str], cookie: &str| json!({"format": s.format, "cookie": cookie, "keys": secrets(keys).iter().map(key_json).collect::<Vec<_>>(), "params": s.params, "now": NOW});
    let next = ask(
        program,
        script,
        &cookies
            .iter()
            .map(|c| request(&s.proposed, c))
            .collect::<Vec<_>>(),
    );
    let now = ask(
        program,
        script,
        &cookies
            .iter()
            .map(|c| request(&s.current, c))
            .collect::<Vec<_>>(),
    );
    let mut report = Report::new();
    let mut wrong = Vec::new();
    for (i, cookie) in cookies.iter().enumerate() {
        let c = rotation.classify(cookie);
        report.add(&c, rotation.max_age_secs());
        let want = expected(&next[i], &now[i]);
        if c.outcome.label() != want || c.now != now[i]["status"].as_str().unwrap_or("?") {
            wrong.push(format!(
                "{cookie}: signet {} (now {}), library {want} (now {})",
                c.outcome.label(),
                c.now,
                now[i]["status"]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{}: {} disagreements:\n{}",
        s.format,
        wrong.len(),
        wrong.join("\n")
    );
    report
}

#[test]
fn flask_and_django_rotations_match_the_frameworks() {
    let Some(python) = python() else { return };
    let flask = Scenario {
        format: "flask",
        params: json!({}),
        current: vec!["flask-2025", "flask-2024"],
        proposed: vec!["flask-2026", "flask-2024", "flask-2025"],
        signers: vec!["flask-2025", "flask-2024", "flask-2023", "flask-2026"],
        payload: |i| json!({"_user_id": i.to_string(), "cart": [{" t": ["sku", i]}]}),
        timed: true,
    };
    let report = run(&python, "tests/interop/accept.py", &flask);
    for outcome in [
        Outcome::ValidPrimary,
        Outcome::ValidFallback(0),
        Outcome::ValidFallback(1),
        Outcome::Expired,
        Outcome::AlreadyInvalid,
        Outcome::Malformed,
    ] {
        assert!(
            report.count(outcome) > 0,
            "the Flask batch covers {}",
            outcome.label()
        );
    }
    let django = Scenario {
        format: "django-session",
        params: json!({}),
        current: vec!["dj-2025"],
        proposed: vec!["dj-2026"],
        signers: vec!["dj-2025", "dj-2026", "dj-old"],
        payload: |i| json!({"_auth_user_id": i.to_string()}),
        timed: true,
    };
    let report = run(&python, "tests/interop/accept.py", &django);
    assert!(
        report.count(Outcome::Invalidated) > 0,
        "dropping the old key invalidates its cookies"
    );
}

#[test]
fn keygrip_and_express_rotations_match_the_libraries() {
    let Some(node) = node() else { return };
    let keygrip = Scenario {
        format: "keygrip",
        params: json!({"cookie_name": "session"}),
        current: vec!["kg-b", "kg-a"],
        proposed: vec!["kg-c", "kg-b"],
        signers: vec!["kg-a", "kg-b", "kg-c", "kg-x"],
        payload: |i| json!({"views": i}),
        timed: false,
    };
    let report = run(&node, "tests/interop/node/accept.js", &keygrip);
    assert!(report.count(Outcome::Invalidated) > 0 && report.count(Outcome::ValidFallback(0)) > 0);
    let express = Scenario {
        format: "express",
        params: json!({}),
        current: vec!["ex-1"],
        proposed: vec!["ex-2", "ex-1"],
        signers: vec!["ex-1", "ex-2", "ex-9"],
        payload: |i| json!(format!("sid-{i}")),
        timed: false,
    };
    run(&node, "tests/interop/node/accept.js", &express);
}
