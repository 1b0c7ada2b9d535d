//! The key store against a real Secret Service (a private dbus-daemon + gnome-keyring-daemon per
//! test), through the real `signet` binary: the happy path, every failure case the issue names,
//! and a scan of everything written for leaked secret bytes.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::secret_service::{SecretService, files_under};
use serde_json::Value;
use signet::core::encoding::{b64std, b64url_nopad};
use signet::core::{FormatParams, Secret, format_by_id};

/// One user's machine: a HOME, a config dir and a temp dir, all watched by the leak scan.
struct User {
    address: String,
    home: tempfile::TempDir,
    stderr: std::cell::RefCell<String>,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl User {
    fn new(ss: &SecretService) -> Self {
        Self {
            address: ss.address.clone(),
            home: tempfile::tempdir().expect("home"),
            stderr: Default::default(),
        }
    }

    fn config_dir(&self) -> PathBuf {
        self.home.path().join(".config/signet")
    }

    fn signet_with(&self, args: &[&str], stdin: &str, config_dir: &Path) -> Run {
        let tmp = self.home.path().join("tmp");
        std::fs::create_dir_all(&tmp).expect("tmp");
        let mut child = Command::new(common::bin())
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("TMPDIR", &tmp)
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("SIGNET_CONFIG_DIR", config_dir)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
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
            .expect("stdin");
        let out = wait_with_timeout(child);
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        self.stderr.borrow_mut().push_str(&run.stderr);
        run
    }

    fn signet(&self, args: &[&str], stdin: &str) -> Run {
        self.signet_with(args, stdin, &self.config_dir())
    }

    fn ok(&self, args: &[&str], stdin: &str) -> Run {
        let run = self.signet(args, stdin);
        assert_eq!(
            run.code, 0,
            "signet {args:?} failed: {}{}",
            run.stdout, run.stderr
        );
        run
    }

    fn json(&self, args: &[&str]) -> Value {
        let run = self.ok(args, "");
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", run.stdout))
    }

    fn key_id(&self, name: &str) -> String {
        let index: Value = serde_json::from_str(
            &std::fs::read_to_string(self.config_dir().join("keys.json")).expect("index"),
        )
        .expect("json");
        index["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .find(|k| k["name"] == name)
            .expect("key")["id"]
            .as_str()
            .expect("id")
            .to_string()
    }
}

/// No keyring call may hang: a prompt that cannot be shown must fail, not wait.
fn wait_with_timeout(mut child: std::process::Child) -> std::process::Output {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("signet hung for 30 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn flask_cookie(secret: &str, payload: &str) -> String {
    let flask = format_by_id("flask").expect("flask");
    flask
        .sign(
            &serde_json::from_str(payload).expect("json"),
            &Secret::from_text(secret),
            &FormatParams::default(),
            1_767_225_000,
        )
        .expect("sign")
}

#[test]
fn generate_import_list_show_inspect_sets_remove_and_nothing_leaks() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let user = User::new(&ss);

    // Generate: the secret is not printed.
    let run = user.ok(&["keys", "generate", "shop-2026", "--style", "flask"], "");
    assert!(
        run.stdout.contains("Generated key shop-2026"),
        "{}",
        run.stdout
    );
    let generated = user.json(&["keys", "show", "shop-2026", "--reveal", "--json"]);
    let generated_secret = generated["secret"].as_str().expect("revealed").to_string();
    assert_eq!(generated_secret.len(), 64);
    assert!(!run.stdout.contains(&generated_secret));

    // Import from a .env file and from standard input.
    let imported_secret = "imported-secret-Zq8!";
    let env_file = user.home.path().join("app.env");
    std::fs::write(
        &env_file,
        format!("DEBUG=1\nSECRET_KEY='{imported_secret}'\n"),
    )
    .expect("env file");
    user.ok(
        &[
            "keys",
            "import",
            "shop-2025",
            env_file.to_str().expect("path"),
        ],
        "",
    );
    std::fs::remove_file(&env_file).expect("the user's own file is not part of the scan");
    let stdin_secret = "stdin-secret-\u{1F511}";
    user.ok(
        &["keys", "import", "jwt-dev", "--style", "jwt", "-"],
        stdin_secret,
    );

    // List: names and metadata only.
    let list = user.json(&["keys", "list", "--json"]);
    let names: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|k| k["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["shop-2026", "shop-2025", "jwt-dev"]);
    for k in list.as_array().expect("array") {
        assert!(
            k["created"]
                .as_str()
                .is_some_and(|c| c.ends_with('Z') && c.contains('T')),
            "RFC 3339: {k}"
        );
        assert_eq!(k["fingerprint"].as_str().map(str::len), Some(19));
        assert!(k.get("secret").is_none());
    }
    assert_eq!(
        user.json(&["keys", "show", "shop-2025", "--reveal", "--json"])["secret"],
        imported_secret
    );
    let shown = user.ok(&["keys", "show", "shop-2025"], "");
    assert!(!shown.stdout.contains(imported_secret) && shown.stdout.contains("********"));

    // Inspect with no key given: every stored key is tried, and the right one named.
    let cookie = flask_cookie(imported_secret, r#"{"user":"ada"}"#);
    let got = user.json(&["inspect", "--json", "--now", "1767225600", &cookie]);
    assert_eq!(got["status"], "valid");
    assert_eq!(got["key_name"], "shop-2025");
    // A key set: primary shop-2026, fallback shop-2025.
    user.ok(
        &[
            "keys",
            "set",
            "create",
            "shop-prod",
            "shop-2026",
            "shop-2025",
        ],
        "",
    );
    let got = user.json(&[
        "inspect",
        "--json",
        "--now",
        "1767225600",
        "--key-set",
        "shop-prod",
        &cookie,
    ]);
    assert_eq!(
        (got["key_index"].as_u64(), got["key_name"].as_str()),
        (Some(1), Some("shop-2025"))
    );
    let run = user.signet(
        &[
            "inspect",
            "--json",
            "--now",
            "1767225600",
            "--key",
            "shop-2026",
            &cookie,
        ],
        "",
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        serde_json::from_str::<Value>(&run.stdout).expect("json")["status"],
        "bad-signature"
    );
    // Sign with a stored key; snippet for the set.
    let signed = user.ok(
        &[
            "sign",
            "--format",
            "flask",
            "--key",
            "shop-2025",
            "--timestamp",
            "1767225000",
            r#"{"user":"ada"}"#,
        ],
        "",
    );
    assert_eq!(signed.stdout.trim(), cookie);
    let snippet = user.ok(&["keys", "snippet", "shop-prod", "--style", "flask"], "");
    assert_eq!(
        snippet.stdout,
        format!(
            "SECRET_KEY = '{generated_secret}'\n# Flask tries SECRET_KEY, then these from the last to the first.\nSECRET_KEY_FALLBACKS = ['{imported_secret}']\n"
        )
    );

    // Remove: refused without --yes off a terminal; then gone from keyring and index.
    let refused = user.signet(&["keys", "remove", "shop-2025"], "");
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--yes"));
    user.ok(&["keys", "remove", "shop-2025", "--yes"], "");
    let names: Vec<String> = user
        .json(&["keys", "list", "--json"])
        .as_array()
        .expect("array")
        .iter()
        .map(|k| k["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(names, ["shop-2026", "jwt-dev"]);
    assert_eq!(user.json(&["keys", "doctor", "--json"])["healthy"], true);
    let run = user.signet(
        &[
            "inspect",
            "--json",
            "--now",
            "1767225600",
            "--key-set",
            "shop-prod",
            &cookie,
        ],
        "",
    );
    assert_eq!(
        serde_json::from_str::<Value>(&run.stdout).expect("json")["status"],
        "bad-signature",
        "the set lost its removed member"
    );

    // The leak scan: every file Signet wrote (its HOME, config and temp dirs) and everything it
    // printed on stderr, for each secret in raw, hex and base64 form. The daemon's keyring files
    // are scanned too: they are encrypted, so nothing may show there either.
    let mut needles: Vec<(String, Vec<u8>)> = Vec::new();
    for secret in [generated_secret.as_str(), imported_secret, stdin_secret] {
        let raw = secret.as_bytes();
        needles.push((format!("raw {secret:?}"), raw.to_vec()));
        needles.push((
            "hex".into(),
            raw.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
                .into_bytes(),
        ));
        needles.push((
            "base64".into(),
            b64std(raw).trim_end_matches('=').as_bytes().to_vec(),
        ));
        needles.push(("base64url".into(), b64url_nopad(raw).into_bytes()));
    }
    let mut files = files_under(user.home.path());
    files.extend(files_under(&ss.daemon_home()));
    assert!(
        files.iter().any(|f| f.ends_with("keys.json")),
        "the index was written: {files:?}"
    );
    let stderr = user.stderr.borrow().clone();
    let mut hits = Vec::new();
    for (what, needle) in &needles {
        for f in &files {
            let content = std::fs::read(f).expect("read");
            if content
                .windows(needle.len())
                .any(|w| w == needle.as_slice())
            {
                hits.push(format!("{what} in {}", f.display()));
            }
        }
        if stderr
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle.as_slice())
        {
            hits.push(format!("{what} on stderr"));
        }
    }
    assert!(hits.is_empty(), "secrets leaked: {hits:?}");
}

#[test]
fn no_secret_service_is_a_clear_error() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let user = User::new(&ss);
    let mut cmd = Command::new(common::bin());
    let out = cmd
        .args(["keys", "generate", "k"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", user.home.path())
        .env("SIGNET_CONFIG_DIR", user.config_dir())
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/signet-test-bus",
        )
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no keyring available") && stderr.contains("--keyring memory"),
        "{stderr}"
    );
    assert!(
        !user.config_dir().join("keys.json").exists(),
        "nothing recorded"
    );
    // inspect still works, and says why stored keys were not tried.
    let out = cmd_inspect_without_bus(&user);
    assert!(out.contains("stored keys not tried"), "{out}");
}

fn cmd_inspect_without_bus(user: &User) -> String {
    let out = Command::new(common::bin())
        .args([
            "inspect",
            "--now",
            "1767225600",
            "eyJuIjoxLCJ1c2VyIjoiYWRhIn0.aVW2qA.H7WfhH34N2Z8hWVtCml6DQW40TE",
        ])
        .env_clear()
        .env("HOME", user.home.path())
        .env("SIGNET_CONFIG_DIR", user.config_dir())
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/signet-test-bus",
        )
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_locked_collection_is_a_clear_error_and_nothing_is_half_done() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let user = User::new(&ss);
    user.ok(&["keys", "generate", "before-lock"], "");
    ss.lock();
    let run = user.signet(&["keys", "generate", "during-lock"], "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the keyring is locked") && run.stderr.contains("unlock it"),
        "{}",
        run.stderr
    );
    let run = user.signet(&["keys", "show", "before-lock", "--reveal"], "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the keyring is locked"),
        "{}",
        run.stderr
    );
    let names: Vec<String> = user
        .json(&["keys", "list", "--json"])
        .as_array()
        .expect("array")
        .iter()
        .map(|k| k["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(
        names,
        ["before-lock"],
        "the failed generate recorded nothing"
    );
}

#[test]
fn the_daemon_dying_loses_no_key() {
    let Some(mut ss) = SecretService::start() else {
        return;
    };
    let user = User::new(&ss);
    user.ok(&["keys", "generate", "survivor", "--style", "django"], "");
    let secret = user.json(&["keys", "show", "survivor", "--reveal", "--json"])["secret"]
        .as_str()
        .expect("secret")
        .to_string();
    ss.kill_keyring();
    let run = user.signet(&["keys", "generate", "while-down"], "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no keyring available")
            && run.stderr.contains("org.freedesktop.secrets"),
        "{}",
        run.stderr
    );
    let run = user.signet(&["keys", "show", "survivor", "--reveal"], "");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // The daemon comes back (same keyring files): the key is intact, nothing half-added.
    ss.start_keyring();
    let back = user.json(&["keys", "show", "survivor", "--reveal", "--json"]);
    assert_eq!(back["secret"], secret.as_str());
    let names: Vec<String> = user
        .json(&["keys", "list", "--json"])
        .as_array()
        .expect("array")
        .iter()
        .map(|k| k["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(names, ["survivor"]);
    assert_eq!(user.json(&["keys", "doctor", "--json"])["healthy"], true);
}

#[test]
fn doctor_finds_and_repairs_an_index_entry_without_secret_and_a_secret_without_index() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let user = User::new(&ss);
    user.ok(&["keys", "generate", "vanishing"], "");
    let vanishing_id = user.key_id("vanishing");
    // Another index (another config dir) removes that key's secret behind this index's back,
    // and adds one this index never hears of.
    let other = user.home.path().join("other-config");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::copy(user.config_dir().join("keys.json"), other.join("keys.json")).expect("copy");
    assert_eq!(
        user.signet_with(&["keys", "remove", "vanishing", "--yes"], "", &other)
            .code,
        0
    );
    assert_eq!(
        user.signet_with(&["keys", "import", "stray", "-"], "stray-secret", &other)
            .code,
        0
    );

    let run = user.signet(&["keys", "show", "vanishing", "--reveal"], "");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("missing from the keyring")
            && run.stderr.contains("signet keys doctor"),
        "{}",
        run.stderr
    );

    let run = user.signet(&["keys", "doctor"], "");
    assert_eq!(run.code, 1, "unhealthy: {}", run.stdout);
    assert!(
        run.stdout.contains("Missing secret: key \"vanishing\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Orphan secret"), "{}", run.stdout);
    let fixed = user.json(&["keys", "doctor", "--fix", "--json"]);
    assert_eq!(fixed["missing_secrets"], serde_json::json!(["vanishing"]));
    let adopted = fixed["adopted"][0].as_str().expect("adopted").to_string();
    assert!(adopted.starts_with("recovered-"));
    assert_ne!(adopted, format!("recovered-{vanishing_id}"));
    assert_eq!(
        user.json(&["keys", "show", &adopted, "--reveal", "--json"])["secret"],
        "stray-secret"
    );
    assert_eq!(user.json(&["keys", "doctor", "--json"])["healthy"], true);
}

#[test]
fn audit_rates_stored_keys_without_printing_them() {
    let Some(ss) = SecretService::start() else {
        return;
    };
    let user = User::new(&ss);
    user.ok(&["keys", "import", "weak-one", "-"], "changeme");
    user.ok(&["keys", "generate", "strong-one", "--style", "flask"], "");
    user.ok(&["keys", "import", "same-as-weak", "-"], "changeme");
    let run = user.signet(&["audit", "--stored", "--json"], "");
    assert_eq!(run.code, 1, "a weak key is a finding: {}", run.stderr);
    assert!(
        !run.stdout.contains("changeme"),
        "never prints a secret: {}",
        run.stdout
    );
    let rows: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let grade = |name: &str| {
        rows.as_array()
            .expect("array")
            .iter()
            .find(|r| r["name"] == name)
            .expect("row")["grade"]
            .clone()
    };
    assert_eq!(grade("weak-one"), "leaked");
    assert_eq!(grade("strong-one"), "strong");
    let weak = rows
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["name"] == "weak-one")
        .expect("row");
    assert!(
        weak["findings"].to_string().contains("same-as-weak"),
        "reuse is reported: {weak}"
    );
}
