//! The other direction: cookies signed by Signet must be accepted by the real frameworks.
//!
//! Runs tests/interop/accept.py (Flask, itsdangerous, Starlette at the versions pinned in
//! tests/interop/requirements.txt) with the Python named by `SIGNET_PYTHON`. Without it the test
//! is skipped with a loud notice, unless `SIGNET_REQUIRE_INTEROP=1` (set by .ci/run) makes the
//! missing interpreter a failure.

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use signet::core::{self, FormatParams, MaxAge, Secret, VerifyOptions};

const NOW: i64 = 1_767_225_600;

/// Numbers whose spelling Python normalises in its own way.
const NUMBERS: [&str; 7] = [
    "0.1",
    "1e-07",
    "1e+16",
    "-0.0",
    "100.0",
    "1.5e+300",
    "123456789012345678901234567890",
];

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn text(rng: &mut Rng) -> String {
    let pieces = [
        "a", "Zz", "é", "😀", "日本", "\"", "\\", "</x>", "\n", "\u{7f}", "\u{2028}", " ", "0",
        "~", "%", "\u{0}",
    ];
    (0..rng.below(8)).map(|_| *rng.pick(&pieces)).collect()
}

fn leaf(rng: &mut Rng, flask: bool) -> Value {
    match rng.below(if flask { 13 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => {
            let n: &&str = rng.pick(&NUMBERS);
            serde_json::from_str::<Value>(n).expect("number")
        }
        4..=7 => Value::String(text(rng)),
        8 => json!({" t": [1, text(rng)]}),
        9 => json!({" b": core::encoding::b64std(text(rng).as_bytes())}),
        10 => json!({" u": "0123456789abcdef0123456789abcdef"}),
        11 => json!({" d": "Sun, 01 Jun 2025 12:30:45 GMT"}),
        _ => json!({" m": "<b>bold</b>"}),
    }
}

fn payload(rng: &mut Rng, flask: bool) -> Value {
    let mut m = serde_json::Map::new();
    for i in 0..rng.below(6) {
        let key = format!(
            "{}{i}",
            rng.pick(&["user", "cart", "b", "A", "_fresh", "é"])
        );
        let v = if rng.below(4) == 0 {
            Value::Array((0..rng.below(30)).map(|_| leaf(rng, flask)).collect())
        } else {
            leaf(rng, flask)
        };
        m.insert(key, v);
    }
    Value::Object(m)
}

fn python() -> Option<String> {
    match std::env::var("SIGNET_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ => {
            let required = std::env::var("SIGNET_REQUIRE_INTEROP").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "SIGNET_REQUIRE_INTEROP=1 but SIGNET_PYTHON is not set"
            );
            eprintln!(
                "\n**********************************************************************\n\
                 SKIPPED: frameworks-accept-Signet interop test. Set SIGNET_PYTHON to a Python\n\
                 with tests/interop/requirements.txt installed (.ci/run does this).\n\
                 **********************************************************************\n"
            );
            None
        }
    }
}

#[test]
fn frameworks_accept_cookies_signed_by_signet() {
    let Some(python) = python() else {
        return;
    };
    let mut rng = Rng(0x0515_7202_6c00_c1e5);
    let formats = [
        "flask",
        "itsdangerous-signer",
        "itsdangerous-timestamp-signer",
        "itsdangerous-serializer",
        "itsdangerous-urlsafe",
        "itsdangerous-timed",
        "starlette",
    ];
    let key_pool = [
        Secret::from_text("primary-key"),
        Secret::from_text("fallback-1"),
        Secret::from_bytes(vec![0, 159, 146, 150, 255]),
        Secret::from_text("ключ-🔑"),
    ];
    let key_json = [
        json!({"text": "primary-key"}),
        json!({"text": "fallback-1"}),
        json!({"hex": "009f9296ff"}),
        json!({"text": "ключ-🔑"}),
    ];
    let mut requests = Vec::new();
    let mut expected = Vec::new();
    for round in 0..420 {
        let format_id = formats[round % formats.len()];
        let format = core::format_by_id(format_id).expect("format");
        let flask = format_id == "flask";
        let starlette = format_id == "starlette";
        let mut params = FormatParams::default();
        let mut params_json = serde_json::Map::new();
        if !flask && !starlette && rng.below(3) == 0 {
            let salt = text(&mut rng);
            params.salt = Some(salt.clone());
            params_json.insert("salt".into(), json!(salt));
        }
        // Flask and Starlette fix their own salt, separator, digest and derivation.
        let fixed = flask || starlette;
        if !fixed && rng.below(4) == 0 {
            let sep = *rng.pick(&["~", "|", ":", "!"]);
            params.separator = Some(sep.into());
            params_json.insert("separator".into(), json!(sep));
        }
        if !fixed && rng.below(3) == 0 {
            let d = *rng.pick(&["sha1", "sha224", "sha256", "sha384", "sha512"]);
            params.digest = Some(d.parse().expect("digest"));
            params_json.insert("digest".into(), json!(d));
        }
        if !fixed && rng.below(3) == 0 {
            let kd = *rng.pick(&["concat", "django-concat", "hmac", "none"]);
            params.key_derivation = Some(kd.into());
            params_json.insert("key_derivation".into(), json!(kd));
        }
        // The key list: Starlette has a single text key; the others up to four keys.
        let n_keys = if starlette { 1 } else { 1 + rng.below(4) };
        let list: Vec<usize> = if starlette {
            vec![0]
        } else {
            (0..n_keys).map(|i| (i + round) % key_pool.len()).collect()
        };
        let keys: Vec<Secret> = list.iter().map(|&i| key_pool[i].clone()).collect();
        let keys_json: Vec<Value> = list.iter().map(|&i| key_json[i].clone()).collect();
        let signer = rng.below(n_keys);
        let value = match format_id {
            "itsdangerous-signer" | "itsdangerous-timestamp-signer" => {
                Value::String(text(&mut rng) + "v")
            }
            _ => payload(&mut rng, flask),
        };
        let ts = NOW - rng.below(40 * 86_400) as i64;
        let cookie = format
            .sign(&value, &keys[signer], &params, ts)
            .unwrap_or_else(|e| panic!("{format_id}: {e}"));
        let max_age = if rng.below(3) == 0 {
            json!("none")
        } else {
            Value::Null
        };
        let opts = VerifyOptions {
            now: NOW,
            max_age: if max_age.is_null() {
                MaxAge::FrameworkDefault
            } else {
                MaxAge::Unlimited
            },
            leeway_secs: 0,
        };
        // Decode the value exactly as signed (a paste would trim the spaces and newlines that
        // these generated values may start with).
        let decoded = format
            .decode(&cookie, &params)
            .expect("Signet decodes its own cookie");
        let verification = format
            .verifier(&keys, &params)
            .expect("params")
            .verify(&decoded, &opts);
        let ours = core::Inspection {
            format: Some(format_id),
            candidate: None,
            decoded: Some(decoded),
            verification,
            alternatives: Vec::new(),
        };
        expected.push((format_id, cookie.clone(), ours));
        requests.push(json!({"format": format_id, "cookie": cookie, "keys": keys_json, "params": params_json, "now": NOW, "max_age": max_age}));
    }

    let mut child = Command::new(&python)
        .arg(common::root().join("tests/interop/accept.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {python}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        for r in &requests {
            writeln!(stdin, "{r}").expect("write request");
        }
    });
    let answers: Vec<Value> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|l| serde_json::from_str(&l.expect("line")).expect("answer is JSON"))
        .collect();
    writer.join().expect("writer");
    assert!(child.wait().expect("accept.py exits").success());
    assert_eq!(answers.len(), expected.len(), "one answer per cookie");

    let mut failures = Vec::new();
    let mut valid = 0;
    for ((format_id, cookie, ours), theirs) in expected.iter().zip(&answers) {
        let status = ours.verification.verdict.status();
        let payload = ours
            .decoded
            .as_ref()
            .and_then(|d| d.payload.as_ref().ok())
            .cloned()
            .unwrap_or(Value::Null);
        let same = theirs["status"] == status
            && theirs["key_index"] == json!(ours.verification.key_index)
            && theirs["signed_at"] == json!(ours.decoded.as_ref().and_then(|d| d.signed_at))
            && theirs["payload"] == payload;
        if theirs["status"] == "valid" {
            valid += 1;
        }
        if !same {
            failures.push(format!(
                "{format_id} {cookie}\n  signet: {status} {:?} {payload}\n  library: {theirs}",
                ours.verification.key_index
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Most cookies are within the age limits: the library accepted them as valid.
    assert!(
        valid * 10 >= expected.len() * 7,
        "only {valid} of {} valid",
        expected.len()
    );
}
