//! The real `signet` binary: stdout, stderr and exit codes as ../shared/contract.md fixes them.

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

const COOKIE: &str = "eyJuIjoxLCJ1c2VyIjoiYWRhIn0.aVW2qA.H7WfhH34N2Z8hWVtCml6DQW40TE";
const KEY: &str = "contract-check-key";
const NOW: &str = "1767225600";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn signet(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(common::bin())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("signet runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        // A command that exits before reading its input is judged by its exit code and output below.
        .unwrap_or_else(|e| eprintln!("signet did not read its standard input: {e}"));
    let out = child.wait_with_output().expect("signet finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            run.stdout, run.stderr
        )
    })
}

#[test]
fn version_and_formats() {
    let run = signet(&["--version"], "");
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.trim(),
        format!("signet {}", env!("CARGO_PKG_VERSION"))
    );

    let run = signet(&["formats", "--json"], "");
    assert_eq!(run.code, 0);
    let list = json_of(&run);
    let ids: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["id"].as_str().expect("id"))
        .collect();
    for id in [
        "flask",
        "itsdangerous-signer",
        "itsdangerous-timestamp-signer",
        "itsdangerous-serializer",
        "itsdangerous-urlsafe",
        "itsdangerous-timed",
        "starlette",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(
        list.as_array()
            .expect("array")
            .iter()
            .all(|f| f["label"].as_str().is_some_and(|l| !l.is_empty()))
    );

    let run = signet(&["formats"], "");
    assert!(
        run.stdout.lines().any(|l| l.starts_with("flask ")),
        "{}",
        run.stdout
    );
}

#[test]
fn inspect_json_valid_with_exact_fields() {
    let run = signet(
        &["inspect", "--json", "--secret", KEY, "--now", NOW, COOKIE],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = json_of(&run);
    assert_eq!(got["format"], "flask");
    assert_eq!(got["status"], "valid");
    assert_eq!(got["payload"], json!({"n": 1, "user": "ada"}));
    assert_eq!(got["signed_at"], 1_767_225_000);
    assert_eq!(got["key_index"], 0);
    assert_eq!(got["key_name"], Value::Null);
    assert_eq!(got["error"], Value::Null);
    assert_eq!(
        got["alternatives"],
        json!(["itsdangerous-timed"]),
        "only close alternatives"
    );
    assert_eq!(run.stdout.lines().count(), 1, "exactly one JSON object");
}

#[test]
fn secret_and_secret_hex_keep_their_order() {
    // The key is given as hex in second place: key_index must say 1.
    let hex: String = KEY.bytes().map(|b| format!("{b:02x}")).collect();
    let run = signet(
        &[
            "inspect",
            "--json",
            "--secret",
            "other",
            "--secret-hex",
            &hex,
            "--secret",
            "third",
            "--now",
            NOW,
            COOKIE,
        ],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json_of(&run)["key_index"], 1);
    let run = signet(
        &[
            "inspect",
            "--json",
            "--secret-hex",
            "00",
            "--secret",
            "x",
            "--secret",
            KEY,
            "--now",
            NOW,
            COOKIE,
        ],
        "",
    );
    assert_eq!(json_of(&run)["key_index"], 2);
}

#[test]
fn verdicts_and_exit_codes() {
    let cases: &[(&[&str], &str, &str, i32)] = &[
        (&["--secret", "wrong"], COOKIE, "bad-signature", 1),
        (&["--secret", KEY, "--max-age", "60"], COOKIE, "expired", 1),
        (&["--secret", KEY, "--max-age", "600"], COOKIE, "valid", 0),
        (&["--secret", KEY, "--max-age", "599"], COOKIE, "expired", 1),
        (
            &["--secret", KEY, "--format", "flask"],
            "garbage without separators",
            "malformed",
            1,
        ),
        (&["--keyring", "memory"], COOKIE, "unverified", 1),
    ];
    for (extra, input, status, code) in cases {
        let mut args = vec!["inspect", "--json", "--now", NOW];
        args.extend_from_slice(extra);
        args.push("-");
        let run = signet(&args, input);
        assert_eq!(run.code, *code, "{extra:?}: {}", run.stderr);
        let got = json_of(&run);
        assert_eq!(got["status"], *status, "{extra:?}");
        if *status == "malformed" {
            assert!(
                got["error"]
                    .as_str()
                    .is_some_and(|e| e.contains("separator")),
                "{got}"
            );
        } else {
            assert_eq!(
                got["payload"]["user"], "ada",
                "{extra:?}: payload shown whatever the verdict"
            );
        }
    }
}

#[test]
fn header_forms_and_human_output() {
    let header = format!("Cookie: theme=dark; session={COOKIE}; lang=en");
    let run = signet(&["inspect", "--secret", KEY, "--now", NOW, &header], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    for needle in [
        "Format    flask",
        "Cookie    session",
        "✔ valid — signed by key #0 (primary)",
        "Signed    2025-12-31 23:50:00 UTC (10 min 0 s ago)",
        "max age 31 days",
        "\"user\": \"ada\"",
    ] {
        assert!(
            run.stdout.contains(needle),
            "{needle:?} missing in:\n{}",
            run.stdout
        );
    }
    let set_cookie = format!("Set-Cookie: session={COOKIE}; HttpOnly; Path=/");
    let run = signet(
        &[
            "inspect",
            "--json",
            "--secret",
            KEY,
            "--now",
            NOW,
            &set_cookie,
        ],
        "",
    );
    assert_eq!(json_of(&run)["cookie_name"], "session");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["inspect", "--format", "no-such-format", "x"][..],
        &["inspect", "--max-age", "soon", "x"][..],
        &["inspect", "--secret-hex", "zz", "x"][..],
        &["inspect", "--format", "flask", "--separator", "a", "x"][..],
        &["sign", "--format", "flask", "{}"][..],
        &["sign", "--format", "flask", "--secret", "k", "not json"][..],
        &[
            "sign",
            "--format",
            "itsdangerous-signer",
            "--secret",
            "k",
            "{}",
        ][..],
        &["no-such-verb"][..],
        &[][..],
    ] {
        let run = signet(args, "");
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(!run.stderr.is_empty(), "{args:?}: an explanation on stderr");
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn sign_reproduces_the_library_and_reads_stdin() {
    let run = signet(
        &[
            "sign",
            "--format",
            "flask",
            "--secret",
            KEY,
            "--timestamp",
            "1767225000",
        ],
        r#"{"user": "ada", "n": 1}"#,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{COOKIE}\n"));
    // Round trip through inspect with a hex key and custom parameters.
    let run = signet(
        &[
            "sign",
            "--format",
            "itsdangerous-timed",
            "--secret-hex",
            "00ff",
            "--salt",
            "s",
            "--separator",
            "~",
            "--digest",
            "sha512",
            "--key-derivation",
            "concat",
            "--timestamp",
            "1767225000",
            r#"{"a":[1,2]}"#,
        ],
        "",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cookie = run.stdout.trim().to_string();
    assert_eq!(cookie.matches('~').count(), 2);
    let run = signet(
        &[
            "inspect",
            "--json",
            "--format",
            "itsdangerous-timed",
            "--secret-hex",
            "00ff",
            "--salt",
            "s",
            "--separator",
            "~",
            "--key-derivation",
            "concat",
            "--now",
            NOW,
            &cookie,
        ],
        "",
    );
    let got = json_of(&run);
    assert_eq!(got["status"], "valid", "{got}");
    assert_eq!(got["digest"], "sha512");
    assert_eq!(got["payload"], json!({"a": [1, 2]}));
}

#[test]
fn rotate_classifies_each_line_and_summarises() {
    let old = "eyJ3aG8iOiJrLW9sZCJ9.aVW2qA.5BHQweeTG5LSJpNjIrTHoKeRFSg";
    let new = "eyJ3aG8iOiJrLW5ldyJ9.aVW2qA.-1iXvvZ9imaz9L_Rs2o9rqjX46o";
    let gone = "eyJ3aG8iOiJrLWdvbmUifQ.aVW2qA.5BHQweeTG5LSJpNjIrTHoKeRFSg";
    let input = format!("{old}\n\n# a comment\nCookie: a=1; session={new}\n{gone}\nnot a cookie\n");
    let run = signet(
        &[
            "rotate",
            "--json",
            "--format",
            "flask",
            "--from-secret",
            "k-old",
            "--to-secret",
            "k-new",
            "--now",
            NOW,
            "-",
        ],
        &input,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let got: Vec<(u64, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().expect("line"),
                r["outcome"].as_str().expect("outcome"),
                r["now"].as_str().expect("now"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "invalidated", "valid"),
            (4, "valid-primary", "bad-signature"),
            (5, "already-invalid", "bad-signature"),
            (6, "malformed", "malformed")
        ]
    );
    assert!(
        run.stderr.contains("invalidated        1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 of 4 cookies (25.0%) would be logged out"),
        "{}",
        run.stderr
    );
    // Without --json the rows and the summary are text on stdout.
    let run = signet(
        &[
            "rotate",
            "--format",
            "flask",
            "--from-secret",
            "k-old",
            "--to-secret",
            "k-new",
            "--to-secret",
            "k-old",
            "--now",
            NOW,
            "-",
        ],
        old,
    );
    assert!(
        run.stdout.contains("line 1: valid-fallback:0 (now valid"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("can be dropped after 2026-01-31 23:50:00 UTC"),
        "{}",
        run.stdout
    );
    // Both key sets are required.
    let run = signet(
        &["rotate", "--format", "flask", "--to-secret", "k", "-"],
        old,
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--from-secret"), "{}", run.stderr);
}

/// A Rails signed cookie named `session` signed by `secret`, with the further `sign` flags.
fn rails_signed(secret: &str, flags: &[&str]) -> String {
    let mut args = vec![
        "sign",
        "--format",
        "rails-signed",
        "--cookie-name",
        "session",
        "--secret",
        secret,
    ];
    args.extend_from_slice(flags);
    args.push(r#"{"user_id": 1}"#);
    let run = signet(&args, "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout.trim().to_string()
}

/// `signet rotate` of no cookies for Flask, from `k1` to `k2` with `k1` kept, with `flags`.
fn flask_rotation(flags: &[&str]) -> Run {
    let mut args = vec![
        "rotate",
        "--format",
        "flask",
        "--from-secret",
        "k1",
        "--to-secret",
        "k2",
        "--to-secret",
        "k1",
        "--now",
        NOW,
    ];
    args.extend_from_slice(flags);
    args.push("-");
    signet(&args, "")
}

#[test]
fn rotate_takes_a_key_generator_per_rails_key() {
    let sign = |variant: &str, secret: &str| rails_signed(secret, &["--variant", variant]);
    // A Rails 6.1 app's cookie (SHA1 key generator) and a 7.1 app's (SHA256).
    let (old, new) = (sign("rails-6.1", "skb-a"), sign("rails-7.1", "skb-b"));
    let input = format!("session={old}\nsession={new}\n");
    let rotate = |to: &[&str]| {
        let mut args = vec![
            "rotate",
            "--json",
            "--format",
            "rails-signed",
            "--from-secret",
            "skb-a",
            "--from-key-derivation",
            "pbkdf2-sha1",
        ];
        args.extend_from_slice(to);
        args.extend_from_slice(&["--now", NOW, "-"]);
        signet(&args, &input)
    };
    let outcomes = |run: &Run| -> Vec<String> {
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
            .lines()
            .map(|l| {
                let row: Value = serde_json::from_str(l).expect("JSON line");
                row["outcome"].as_str().expect("outcome").to_string()
            })
            .collect()
    };
    const WARNING: &str = "Warning: the proposed secret_key_base is derived with SHA256 where the current one is derived with SHA1";
    // The Rails 7.0 upgrade: B on SHA256, A kept as a SHA1 cookies_rotations entry; the comma
    // list and the repeated flag say the same.
    for to in [
        &[
            "--to-secret",
            "skb-b",
            "--to-secret",
            "skb-a",
            "--to-key-derivation",
            "pbkdf2-sha256,pbkdf2-sha1",
        ][..],
        &[
            "--to-key-derivation",
            "pbkdf2-sha256",
            "--to-secret",
            "skb-b",
            "--to-key-derivation",
            "pbkdf2-sha1",
            "--to-secret",
            "skb-a",
        ],
    ] {
        let run = rotate(to);
        assert_eq!(outcomes(&run), ["valid-fallback:0", "valid-primary"]);
        assert!(!run.stderr.contains(WARNING), "{}", run.stderr);
    }
    // Only the key generator switched, no SHA1 entry: A's cookie is logged out, and said so.
    let run = rotate(&[
        "--to-secret",
        "skb-a",
        "--to-key-derivation",
        "pbkdf2-sha256",
    ]);
    assert_eq!(outcomes(&run), ["invalidated", "already-invalid"]);
    assert!(run.stderr.contains(WARNING), "{}", run.stderr);
    // One value per key, or one for all.
    let run = rotate(&[
        "--to-secret",
        "skb-b",
        "--to-key-derivation",
        "pbkdf2-sha256,pbkdf2-sha1,pbkdf2-sha1",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--to-key-derivation gives 3 key derivations for 1 key"),
        "{}",
        run.stderr
    );
    // Other formats take one key derivation per set.
    let flask = |to_kd: &str| flask_rotation(&["--to-key-derivation", to_kd]);
    assert_eq!(flask("hmac,hmac").code, 0);
    let run = flask("hmac,concat");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Rails only"), "{}", run.stderr);
}

#[test]
fn rotate_takes_a_signed_cookie_digest_per_rails_key() {
    let sign = |digest: &str| rails_signed("skb-a", &["--digest", digest]);
    let input = format!("session={}\nsession={}\n", sign("sha1"), sign("sha256"));
    let rotate = |to_digest: &str| {
        signet(
            &[
                "rotate",
                "--json",
                "--format",
                "rails-signed",
                "--from-secret",
                "skb-a",
                "--from-digest",
                "sha1",
                "--to-secret",
                "skb-a",
                "--to-secret",
                "skb-a",
                "--to-digest",
                to_digest,
                "--now",
                NOW,
                "-",
            ],
            &input,
        )
    };
    // signed_cookie_digest SHA1 -> SHA256, SHA1 kept as `cookies.rotate :signed, key, digest:`.
    let run = rotate("sha256,sha1");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap_or("?"),
                r["now"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    // The SHA256 signature is one the app, on SHA1 today, does not accept.
    assert_eq!(
        got,
        [
            ("valid-fallback:0", "valid"),
            ("valid-primary", "bad-signature")
        ]
    );
    for (bad, says) in [
        ("sha256,sha1,sha1", "--to-digest gives 3 digests for 2 keys"),
        ("md5", "--to-digest: unknown digest"),
    ] {
        let run = rotate(bad);
        assert_eq!(run.code, 2, "{bad}");
        assert!(run.stderr.contains(says), "{bad}: {}", run.stderr);
    }
    // Other formats decode a cookie once for both sets: one --digest for the whole rotation.
    let run = flask_rotation(&["--to-digest", "sha256"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Rails signed cookies only"),
        "{}",
        run.stderr
    );
}

#[test]
fn completions_and_man_pages_come_from_the_command_definition() {
    // bash: the script loads and registers the completion function.
    let bash = signet(&["completions", "bash"], "");
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("signet.bash");
    std::fs::write(&script, &bash.stdout).expect("written");
    let loaded = Command::new("bash")
        .arg("-c")
        .arg(format!("source {} && complete -p signet", script.display()))
        .output()
        .expect("bash runs");
    assert!(
        String::from_utf8_lossy(&loaded.stdout).contains("-F _signet signet"),
        "{loaded:?}"
    );
    // Every command and flag of the definition is offered, e.g. rotate's --csv-column.
    assert!(bash.stdout.contains("--csv-column"));
    let zsh = signet(&["completions", "zsh"], "");
    assert!(zsh.stdout.starts_with("#compdef signet"), "{}", zsh.stdout);
    let fish = signet(&["completions", "fish"], "");
    assert!(
        fish.stdout.contains("complete -c signet"),
        "{}",
        fish.stdout
    );
    assert_eq!(signet(&["completions", "tcsh"], "").code, 2);

    let page = signet(&["man"], "");
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(page.stdout.contains(".TH signet 1"), "{}", page.stdout);
    let rotate = signet(&["man", "rotate"], "");
    assert!(rotate.stdout.contains("csv\\-column"), "{}", rotate.stdout);
    let nested = signet(&["man", "keys", "generate"], "");
    assert!(
        nested.stdout.contains(".TH \"signet keys generate\" 1"),
        "{}",
        nested.stdout
    );
    let missing = signet(&["man", "nope"], "");
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no man page signet-nope(1)"),
        "{}",
        missing.stderr
    );
    let out = dir.path().join("man1");
    let all = signet(&["man", "--all", out.to_str().expect("utf-8")], "");
    assert_eq!(all.code, 0, "{}", all.stderr);
    for page in [
        "signet.1",
        "signet-inspect.1",
        "signet-rotate.1",
        "signet-keys-set-create.1",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
}
