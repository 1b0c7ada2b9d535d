//! Rotation preview against the real frameworks: for each scenario (Flask with
//! SECRET_KEY_FALLBACKS, Django with SECRET_KEY_FALLBACKS, cookie-session/keygrip and Express key
//! arrays, Rails cookies_rotations including the SHA1 -> SHA256 key generator change of Rails 7.0),
//! every cookie's outcome under the proposed set must be what the real library does with the
//! proposed configuration, and `now` what it does with the current one.

mod common;

use common::accept::{ask, ask_program, key_json, node, python};
use serde_json::{Value, json};
use signet::core::rotate::{Outcome, Report, Rotation};
use signet::core::{FormatParams, KeyEntry, MaxAge, Secret, VerifyOptions, format_by_id};

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

/// Ruby with Debian's ruby-activesupport and ruby-actionpack (`SIGNET_RUBY`).
fn ruby() -> Option<String> {
    common::accept::tool(
        "SIGNET_RUBY",
        "Rails: a ruby with ruby-activesupport and ruby-actionpack",
    )
}

/// A Rails key: `secret_key_base` and the key generator's hash (`sha1`, `sha256`).
type RailsKey = (&'static str, &'static str);

const SKB_A: &str = "0a9f3c6e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";
const SKB_B: &str = "7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a";
const SKB_C: &str = "development-secret-key-base-of-another-app";

/// A key set as a Rails app configures it: `secret_key_base` with its key generator, then
/// `cookies_rotations` entries (tests/interop/rails/rails_rotation.rb's `config`); with
/// `digests`, each its signed-cookie digest (the app's `signed_cookie_digest`, each rotation's
/// `digest:`).
fn rails_config(set: &[RailsKey], digests: Option<&[&str]>) -> Value {
    let keys: Vec<Value> = set
        .iter()
        .enumerate()
        .map(|(i, (skb, g))| {
            let mut key = json!({"secret_key_base": skb, "keygen": g});
            // An entry without one ("") takes secret_key_base's, as the app's rotator merges it.
            if let Some(d) = digests.filter(|d| !d[i].is_empty()) {
                key["digest"] = json!(d[i].to_uppercase());
            }
            key
        })
        .collect();
    json!({"primary": keys[0], "rotations": keys[1..]})
}

/// Signet's entries for a Rails key set: `per_key` gives each key its key generator (else the
/// set's, `--key-derivation`, is in the params).
fn rails_entries(set: &[RailsKey], per_key: bool, digests: Option<&[&str]>) -> Vec<KeyEntry> {
    set.iter()
        .enumerate()
        .map(|(i, (skb, g))| KeyEntry {
            secret: Secret::from_text(skb),
            key_derivation: per_key.then(|| format!("pbkdf2-{g}")),
            digest: digests
                .filter(|d| !d[i].is_empty())
                .map(|d| d[i].parse().expect("a digest")),
        })
        .collect()
}

struct RailsScenario {
    what: &'static str,
    current: Vec<RailsKey>,
    proposed: Vec<RailsKey>,
    /// Who wrote the cookies in the batch (keys in neither set included).
    signers: Vec<RailsKey>,
    /// The key generators as per-key entries (`--from/--to-key-derivation`), or one for every key
    /// of both sets (`--key-derivation`, when they all agree).
    per_key: bool,
    /// Each key's signed-cookie digest, current and proposed (`--from/--to-digest`; "" for an
    /// entry without one); `None`: SHA1 for every key (the default `signed_cookie_digest`,
    /// `--digest sha1`).
    digests: Option<(Vec<&'static str>, Vec<&'static str>)>,
}

/// Rails (the real jars, with the app's `cookies_rotations`) and Signet, cookie by cookie, for
/// `kind` (`signed`, `encrypted`); the report Signet concludes.
fn rails_rotation(ruby: &str, kind: &str, s: &RailsScenario) -> Report {
    let script = common::root().join("tests/interop/rails/rails_rotation.rb");
    let script = script.to_str().expect("path");
    let key = |(skb, g): &RailsKey| json!({"secret_key_base": skb, "keygen": g});
    let batch = ask_program(
        ruby,
        &[script],
        &[
            json!({"op": "batch", "kind": kind, "name": "session", "now": NOW,
                  "signers": s.signers.iter().map(key).collect::<Vec<_>>()}),
        ],
    );
    let cookies: Vec<(String, String)> = batch[0]["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().expect("text").to_string();
            (text("line"), text("what"))
        })
        .collect();
    let (current_digests, proposed_digests) = match &s.digests {
        Some((c, p)) => (Some(c.as_slice()), Some(p.as_slice())),
        None => (None, None),
    };
    let read = |set: &[RailsKey], digests: Option<&[&str]>| {
        let requests: Vec<Value> = cookies
            .iter()
            .map(|(line, _)| json!({"op": "read", "kind": kind, "line": line, "config": rails_config(set, digests), "now": NOW}))
            .collect();
        ask_program(ruby, &[script], &requests)
    };
    let (next, now) = (
        read(&s.proposed, proposed_digests),
        read(&s.current, current_digests),
    );

    let format = format!("rails-{kind}");
    let mut params = FormatParams::default();
    if kind == "signed" && s.digests.is_none() {
        // The app's config.action_dispatch.signed_cookie_digest (SHA1 unless set).
        params.digest = Some(signet::core::Digest::Sha1);
    }
    if !s.per_key {
        let g = s
            .current
            .iter()
            .chain(&s.proposed)
            .map(|k| k.1)
            .collect::<Vec<_>>();
        assert!(
            g.iter().all(|x| *x == g[0]),
            "{}: one key generator",
            s.what
        );
        params.key_derivation = Some(format!("pbkdf2-{}", g[0]));
    }
    let rotation = Rotation::with_entries(
        &format,
        &rails_entries(&s.current, s.per_key, current_digests),
        &rails_entries(&s.proposed, s.per_key, proposed_digests),
        params,
        VerifyOptions::at(NOW),
    )
    .expect("rotation");
    // Rails has no "malformed": it reads nothing from such a cookie, as from one no key verifies.
    let same = |signet: &str, rails: &str| {
        signet == rails
            || (signet == "malformed" && matches!(rails, "already-invalid" | "bad-signature"))
    };
    let mut report = Report::new();
    let mut wrong = Vec::new();
    for (i, (line, what)) in cookies.iter().enumerate() {
        let c = rotation.classify(line);
        report.add(&c, rotation.max_age_secs());
        let want = expected(&next[i], &now[i]);
        let want_now = now[i]["status"].as_str().unwrap_or("?");
        if !same(&c.outcome.label(), &want) || !same(c.now, want_now) {
            wrong.push(format!(
                "{what}: signet {} (now {}), Rails {want} (now {want_now})\n  {line}",
                c.outcome.label(),
                c.now,
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{format}, {}: {} of {} disagree:\n{}",
        s.what,
        wrong.len(),
        cookies.len(),
        wrong.join("\n")
    );
    let name = |set: &[RailsKey]| -> Vec<String> {
        set.iter()
            .map(|(skb, g)| {
                let who = match *skb {
                    SKB_A => "A",
                    SKB_B => "B",
                    _ => "C",
                };
                format!("{who} ({g})")
            })
            .collect()
    };
    report.conclude(&rotation, &name(&s.current), &name(&s.proposed));
    eprintln!(
        "{format}, {}: {} cookies agree with Rails: {:?}",
        s.what,
        cookies.len(),
        report
            .counts
            .iter()
            .map(|(o, n)| format!("{} {n}", o.label()))
            .collect::<Vec<_>>()
    );
    report
}

const HASH_WARNING: &str = "no proposed entry keeps the current secret_key_base with SHA1";

#[test]
fn rails_rotations_match_the_real_cookie_jars() {
    let Some(ruby) = ruby() else { return };
    let a1 = (SKB_A, "sha1");
    let a256 = (SKB_A, "sha256");
    let b1 = (SKB_B, "sha1");
    let b256 = (SKB_B, "sha256");
    let c256 = (SKB_C, "sha256");
    for kind in ["signed", "encrypted"] {
        // A plain secret rotation in a Rails 7.0+ app: B signs, A stays as a rotation.
        let plain = rails_rotation(
            &ruby,
            kind,
            &RailsScenario {
                what: "A -> B with A rotated (SHA256, --key-derivation)",
                current: vec![a256],
                proposed: vec![b256, a256],
                signers: vec![a256, b256, a1, c256],
                per_key: false,
                digests: None,
            },
        );
        for outcome in [
            Outcome::ValidPrimary,
            Outcome::ValidFallback(0),
            Outcome::Expired,
            Outcome::AlreadyInvalid,
            Outcome::Malformed,
        ] {
            assert!(
                plain.count(outcome) > 0,
                "{kind}: covers {}",
                outcome.label()
            );
        }
        // Only a legacy AES-256-CBC cookie of A's is logged out: Rails reads those with
        // secret_key_base alone, never through a cookies_rotations entry.
        let cbc = usize::from(kind == "encrypted");
        assert_eq!(plain.count(Outcome::Invalidated), cbc, "{kind}");
        assert!(!plain.findings.iter().any(|f| f.contains(HASH_WARNING)));

        // The Rails 7.0 upgrade: a new secret_key_base on SHA256, the old one kept as a
        // cookies_rotations entry derived with SHA1.
        let signers = vec![a1, b256, a256, b1, c256];
        let upgrade = rails_rotation(
            &ruby,
            kind,
            &RailsScenario {
                what: "A (SHA1) -> B (SHA256) with A (SHA1) rotated",
                current: vec![a1],
                proposed: vec![b256, a1],
                signers: signers.clone(),
                per_key: true,
                digests: None,
            },
        );
        assert_eq!(upgrade.count(Outcome::Invalidated), cbc, "{kind}");
        assert!(upgrade.count(Outcome::ValidFallback(0)) > 0, "{kind}");
        assert!(upgrade.count(Outcome::ValidPrimary) > 0, "{kind}");
        assert!(
            !upgrade.findings.iter().any(|f| f.contains(HASH_WARNING)),
            "{:?}",
            upgrade.findings
        );

        if kind == "signed" {
            // signed_cookie_digest SHA1 -> SHA256 on the same secret_key_base, the SHA1
            // signatures kept readable by `cookies.rotate :signed, key, digest: "SHA1"`; then the
            // same switch without that rotation.
            let digest_signers = vec![a256, b256];
            let kept = rails_rotation(
                &ruby,
                kind,
                &RailsScenario {
                    what: "digest SHA1 -> SHA256 with a SHA1 rotation",
                    current: vec![a256],
                    proposed: vec![a256, a256],
                    signers: digest_signers.clone(),
                    per_key: true,
                    digests: Some((vec!["sha1"], vec!["sha256", "sha1"])),
                },
            );
            assert!(
                kept.count(Outcome::ValidFallback(0)) > 0,
                "{:?}",
                kept.counts
            );
            assert!(kept.count(Outcome::ValidPrimary) > 0, "{:?}", kept.counts);
            assert_eq!(kept.count(Outcome::Invalidated), 0);
            let dropped = rails_rotation(
                &ruby,
                kind,
                &RailsScenario {
                    what: "digest SHA1 -> SHA256, no rotation",
                    current: vec![a256],
                    proposed: vec![a256],
                    signers: digest_signers,
                    per_key: true,
                    digests: Some((vec!["sha1"], vec!["sha256"])),
                },
            );
            // Every cookie the SHA1 rotation kept is logged out (and those it kept but found
            // expired count as invalidated too).
            assert!(
                dropped.count(Outcome::Invalidated) >= kept.count(Outcome::ValidFallback(0)),
                "{:?} vs {:?}",
                dropped.counts,
                kept.counts
            );
            assert!(
                dropped
                    .findings
                    .iter()
                    .any(|f| f.starts_with("Warning: the proposed signed_cookie_digest is SHA256")),
                "{:?}",
                dropped.findings
            );
            // A rotation without a digest of its own takes secret_key_base's (SHA256): the
            // same as no rotation for the SHA1 cookies.
            let inherited = rails_rotation(
                &ruby,
                kind,
                &RailsScenario {
                    what: "digest SHA1 -> SHA256, a rotation without a digest",
                    current: vec![a256],
                    proposed: vec![a256, a256],
                    signers: vec![a256, b256],
                    per_key: true,
                    digests: Some((vec!["sha1"], vec!["sha256", ""])),
                },
            );
            assert_eq!(inherited.counts, dropped.counts);
        }

        // The same upgrade without the SHA1 rotation: every cookie valid today is logged out,
        // whether secret_key_base changes too or only its key generator.
        for (what, proposed) in [
            ("A (SHA1) -> B (SHA256), no rotation", vec![b256]),
            ("A (SHA1) -> A (SHA256), no rotation", vec![a256]),
        ] {
            let dropped = rails_rotation(
                &ruby,
                kind,
                &RailsScenario {
                    what,
                    current: vec![a1],
                    proposed,
                    signers: signers.clone(),
                    per_key: true,
                    digests: None,
                },
            );
            // Valid or expired today: a current key verifies it.
            let verified_now = dropped.signed_by_current.values().sum::<usize>();
            assert!(verified_now > 0, "{kind}, {what}");
            assert_eq!(
                dropped.count(Outcome::Invalidated),
                verified_now,
                "{kind}, {what}: every cookie a current key verifies is invalidated"
            );
            assert!(
                dropped.findings.iter().any(|f| f.contains(HASH_WARNING)),
                "{kind}, {what}: {:?}",
                dropped.findings
            );
        }
    }
}
