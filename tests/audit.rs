//! `signet audit`: for every HMAC format a key planted at a random position of a generated
//! wordlist (with invalid UTF-8, CRLF endings, empty lines and a BOM) is found; a key absent from
//! the list is reported not found after every line was tried exactly once; stored keys are rated
//! without printing them.

mod common;

use std::process::{Command, Stdio};

use serde_json::{Value, json};
use signet::core::audit::BUILTIN;
use signet::core::{FormatParams, Secret, format_by_id};

const TS: i64 = 1_767_225_000;

fn audit(args: &[&str]) -> (i32, Value) {
    let out = Command::new(common::bin())
        .args(["audit", "--json"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("signet runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

/// A wordlist of `n` lines of awkward bytes with `planted` at line `at` (0-based); returns the
/// number of candidates it holds.
fn wordlist(path: &std::path::Path, n: usize, planted: Option<(&[u8], usize)>, seed: u64) -> usize {
    let mut x = seed | 1;
    let mut body = b"\xef\xbb\xbf".to_vec();
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        match planted {
            Some((key, at)) if at == i => body.extend_from_slice(key),
            _ => match x % 5 {
                // Invalid UTF-8 (never a line break).
                0 => body.extend_from_slice(&[0xff, 0xfe, (x >> 8) as u8 | 0x80, b'k']),
                1 => {}
                _ => body.extend_from_slice(format!("cand-{x:x}").as_bytes()),
            },
        }
        body.extend_from_slice(if x.is_multiple_of(3) { b"\r\n" } else { b"\n" });
    }
    std::fs::write(path, body).expect("write wordlist");
    n
}

/// A cookie of `format` signed with `key`, as it would be pasted.
fn cookie(format: &str, key: &str) -> String {
    let f = format_by_id(format).expect("format");
    let payload = if f.string_payload() {
        json!("value-1")
    } else {
        json!({"user": "ada"})
    };
    let mut params = FormatParams::default();
    if format == "django-cookie" || format == "keygrip" {
        params.cookie_name = Some("prefs".into());
    }
    let value = f
        .sign(&payload, &Secret::from_text(key), &params, TS)
        .expect("signs");
    match format {
        "django-cookie" => format!("prefs={value}"),
        _ => value,
    }
}

#[test]
fn a_planted_key_is_found_in_every_hmac_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let formats = [
        "flask",
        "itsdangerous-signer",
        "itsdangerous-timestamp-signer",
        "itsdangerous-serializer",
        "itsdangerous-urlsafe",
        "itsdangerous-timed",
        "starlette",
        "django-signer",
        "django-timestamp-signer",
        "django-signing",
        "django-session",
        "django-cookie",
        "express",
        "keygrip",
        "jwt",
    ];
    for (i, format) in formats.iter().enumerate() {
        let key = format!("planted-{format}-{i}");
        let path = dir.path().join(format!("{format}.txt"));
        let at = (i * 977 + 311) % 2000;
        wordlist(&path, 2000, Some((key.as_bytes(), at)), i as u64 + 7);
        let (code, got) = audit(&[
            "--format",
            format,
            "--wordlist",
            path.to_str().expect("path"),
            &cookie(format, &key),
        ]);
        assert_eq!(got["found"], true, "{format}: {got}");
        assert_eq!(got["secret"], key.as_str(), "{format}");
        assert_eq!(code, 1, "a found key is a finding");
        assert!(
            got["tried"].as_u64().expect("tried") as usize > BUILTIN.len(),
            "{format}"
        );
    }
}

#[test]
fn an_absent_key_is_not_found_after_every_line_exactly_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("list.txt");
    let n = wordlist(&path, 5000, None, 42);
    for threads in ["1", "2", "4"] {
        let (code, got) = audit(&[
            "--threads",
            threads,
            "--wordlist",
            path.to_str().expect("path"),
            &cookie("flask", "not-in-any-list-4f2a"),
        ]);
        assert_eq!((code, &got["found"]), (0, &json!(false)), "{got}");
        assert_eq!(
            got["tried"],
            (BUILTIN.len() + n) as u64,
            "every candidate once with {threads} threads"
        );
        assert_eq!(got["secret"], Value::Null);
    }
}

#[test]
fn a_builtin_secret_is_found_first() {
    let (code, got) = audit(&[&cookie("express", "keyboard cat")]);
    assert_eq!(
        (code, got["found"].clone(), got["secret"].clone()),
        (1, json!(true), json!("keyboard cat"))
    );
    assert!(got["tried"].as_u64().expect("tried") <= BUILTIN.len() as u64);
    // The Flask quickstart's byte key is on the list too.
    let flask = format_by_id("flask").expect("flask");
    let c = flask
        .sign(
            &json!({"a": 1}),
            &Secret::from_bytes(b"_5#y2L\"F4Q8z\n\xec]/".to_vec()),
            &FormatParams::default(),
            TS,
        )
        .expect("signs");
    let (_, got) = audit(&[&c]);
    assert_eq!(got["secret_hex"], "5f352379324c22463451387a0aec5d2f");
}

#[test]
fn mutations_find_a_capitalised_key_with_a_suffix() {
    let (_, got) = audit(&[&cookie("flask", "Changeme123")]);
    assert_eq!(got["found"], false);
    let (_, got) = audit(&["--mutate", &cookie("flask", "Changeme123")]);
    assert_eq!(got["secret"], "Changeme123");
}

#[test]
fn stored_keys_are_rated_without_printing_them() {
    let home = tempfile::tempdir().expect("home");
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(common::bin())
            .args(["--keyring", "memory"])
            .args(args)
            .env("HOME", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        use std::io::Write as _;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("stdin");
        child.wait_with_output().expect("output")
    };
    // A memory store lives for one command: rate an empty store.
    let out = run(&["audit", "--stored", "--json"], "");
    assert_eq!(out.status.code(), Some(2), "nothing to rate is an error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
}

/// The audit job itself (what the window runs): a cancel stops it promptly, mid-list.
#[test]
fn a_cancelled_audit_stops_promptly() {
    use signet::core::audit::Target;
    use signet::jobs::audit::{Options, Progress, run};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.txt");
    // Big enough that no debug build gets through it in the time before the cancel.
    let n = wordlist(&path, 3_000_000, None, 7);
    let target = Target::new(
        &cookie("flask", "not-in-any-list-91c3"),
        Some("flask"),
        FormatParams::default(),
        TS,
    )
    .expect("target");
    let progress = Arc::new(Progress::default());
    let opts = Options {
        wordlists: vec![path.clone()],
        threads: 2,
        mutate: false,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = Arc::clone(&progress);
    let job = std::thread::spawn(move || {
        let outcome = run(&target, &opts, &watcher, |_| {}).expect("runs");
        tx.send(Instant::now()).expect("send");
        outcome
    });
    // Wait until it is well under way.
    let started = Instant::now();
    while progress.tried() < 20_000 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(progress.tried() >= 20_000, "the audit got going");
    let cancelled_at = Instant::now();
    progress.cancel();
    let ended_at = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("stops after a cancel");
    let latency = ended_at.duration_since(cancelled_at);
    let outcome = job.join().expect("no panic");
    eprintln!(
        "cancelled after {} of {} candidates; stopped {:.1} ms after the cancel",
        outcome.tried,
        n + BUILTIN.len(),
        latency.as_secs_f64() * 1e3
    );
    assert!(outcome.cancelled);
    assert!(outcome.found.is_none());
    assert!(
        (outcome.tried as usize) < n,
        "stopped before the end of the list"
    );
}

/// A wordlist without line breaks (a binary file, say) is read in bounded memory: over-long lines
/// are skipped, the lines after them still tried.
#[test]
fn over_long_lines_are_skipped_and_the_rest_still_tried() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("long.txt");
    let mut body = vec![b'a'; signet::jobs::audit::MAX_LINE * 3];
    body.extend_from_slice(b"\nthe-key-after-a-long-line\n");
    std::fs::write(&path, body).expect("write");
    let (code, got) = audit(&[
        "--wordlist",
        path.to_str().expect("path"),
        &cookie("flask", "the-key-after-a-long-line"),
    ]);
    assert_eq!((code, &got["found"]), (1, &json!(true)), "{got}");
    assert_eq!(got["secret"], "the-key-after-a-long-line");
    // The long line was skipped, not tried: the built-in list, then only the key.
    assert_eq!(got["tried"], (BUILTIN.len() + 1) as u64);
}
