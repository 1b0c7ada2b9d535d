//! The other direction: cookies signed by Signet must be accepted by the real frameworks.
//!
//! Runs tests/interop/accept.py (Flask, itsdangerous, Starlette at the versions pinned in
//! tests/interop/requirements.txt) with the Python named by `SIGNET_PYTHON`. Without it the test
//! is skipped with a loud notice, unless `SIGNET_REQUIRE_INTEROP=1` (set by .ci/run) makes the
//! missing interpreter a failure.

mod common;

use common::accept::{ask, ask_program, key_json, node, python, tool};

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

/// One cookie Signet signed, and what Signet says about it.
struct Signed {
    format: &'static str,
    cookie: String,
    status: &'static str,
    payload: Value,
    signed_at: Option<i64>,
    key_index: Option<usize>,
}

/// Signs `payload` and checks the result with the same keys and parameters, decoding the value
/// exactly as signed (a paste would trim the spaces and newlines generated values may start with).
fn sign_and_inspect(
    format_id: &'static str,
    payload: &Value,
    keys: &[Secret],
    signer: usize,
    params: &FormatParams,
    ts: i64,
    opts: &VerifyOptions,
) -> Signed {
    let format = core::format_by_id(format_id).expect("format");
    let cookie = format
        .sign(payload, &keys[signer], params, ts)
        .unwrap_or_else(|e| panic!("{format_id}: {e}"));
    let decoded = format
        .decode(&cookie, params)
        .unwrap_or_else(|e| panic!("{format_id} {cookie}: {e}"));
    let v = format
        .verifier(keys, params)
        .expect("params")
        .verify(&decoded, opts);
    Signed {
        format: format_id,
        status: v.verdict.status(),
        payload: decoded.payload.clone().unwrap_or(Value::Null),
        signed_at: decoded.signed_at,
        key_index: v.key_index,
        cookie,
    }
}

/// Compares Signet's view of each cookie with the library's answer; returns how many the
/// library found valid.
fn compare(ours: &[Signed], theirs: &[Value]) -> usize {
    let mut failures = Vec::new();
    let mut valid = 0;
    for (o, t) in ours.iter().zip(theirs) {
        if t["status"] == "valid" {
            valid += 1;
        }
        let same = t["status"] == o.status
            && t["key_index"] == json!(o.key_index)
            && t["signed_at"] == json!(o.signed_at)
            && (o.status == "malformed" || t["payload"] == o.payload);
        if !same {
            failures.push(format!(
                "{} {}\n  signet: {} {:?} {:?} {}\n  library: {t}",
                o.format, o.cookie, o.status, o.key_index, o.signed_at, o.payload
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    valid
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
    let (mut ours, mut requests) = (Vec::new(), Vec::new());
    for round in 0..420 {
        let format_id = formats[round % formats.len()];
        let flask = format_id == "flask";
        let starlette = format_id == "starlette";
        let mut params = FormatParams::default();
        let mut params_json = serde_json::Map::new();
        // Flask and Starlette fix their own salt, separator, digest and derivation.
        let fixed = flask || starlette;
        if !fixed && rng.below(3) == 0 {
            let salt = text(&mut rng);
            params.salt = Some(salt.clone());
            params_json.insert("salt".into(), json!(salt));
        }
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
        let keys: Vec<Secret> = (0..n_keys)
            .map(|i| {
                key_pool[if starlette {
                    0
                } else {
                    (i + round) % key_pool.len()
                }]
                .clone()
            })
            .collect();
        let signer = rng.below(n_keys);
        let value = match format_id {
            "itsdangerous-signer" | "itsdangerous-timestamp-signer" => {
                Value::String(text(&mut rng) + "v")
            }
            _ => payload(&mut rng, flask),
        };
        let ts = NOW - rng.below(40 * 86_400) as i64;
        let unlimited = rng.below(3) == 0;
        let opts = VerifyOptions {
            now: NOW,
            max_age: if unlimited {
                MaxAge::Unlimited
            } else {
                MaxAge::FrameworkDefault
            },
            leeway_secs: 0,
        };
        let signed = sign_and_inspect(format_id, &value, &keys, signer, &params, ts, &opts);
        requests.push(json!({"format": format_id, "cookie": signed.cookie, "keys": keys.iter().map(key_json).collect::<Vec<_>>(), "params": params_json, "now": NOW, "max_age": if unlimited { json!("none") } else { Value::Null }}));
        ours.push(signed);
    }
    let valid = compare(&ours, &ask(&python, "tests/interop/accept.py", &requests));
    // Most cookies are within the age limits: the library accepted them as valid.
    assert!(
        valid * 10 >= ours.len() * 7,
        "only {valid} of {} valid",
        ours.len()
    );
}

/// A key list for the Django, JWT and Node tests: text keys (the libraries take strings).
fn text_keys(rng: &mut Rng) -> Vec<Secret> {
    let pool = [
        "django-insecure-k3y!",
        "second-key-2025",
        "ключ-третий",
        "k4-\u{1F511}-long-enough-for-hs512-and-then-some-more-bytes-0123456789",
    ];
    let n = 1 + rng.below(3);
    (0..n)
        .map(|i| Secret::from_text(pool[(i + rng.below(pool.len())) % pool.len()]))
        .collect()
}

#[test]
fn django_accepts_cookies_signed_by_signet() {
    let Some(python) = python() else { return };
    let mut rng = Rng(0x0d1a_4460_5152_2026);
    let formats = [
        "django-signer",
        "django-timestamp-signer",
        "django-signing",
        "django-session",
        "django-cookie",
    ];
    let (mut ours, mut requests) = (Vec::new(), Vec::new());
    for round in 0..250 {
        let format_id = formats[round % formats.len()];
        let keys = text_keys(&mut rng);
        let signer = rng.below(keys.len());
        let mut params = FormatParams::default();
        let mut pj = serde_json::Map::new();
        if format_id != "django-session" && rng.below(3) == 0 {
            let salt = text(&mut rng);
            params.salt = Some(salt.clone());
            pj.insert("salt".into(), json!(salt));
        }
        if matches!(format_id, "django-signer" | "django-timestamp-signer") && rng.below(4) == 0 {
            params.separator = Some("/".into());
            pj.insert("separator".into(), json!("/"));
        }
        // set_signed_cookie has no algorithm argument: the others may change the digest.
        if format_id != "django-cookie" && rng.below(5) == 0 {
            let d = *rng.pick(&["sha1", "sha512"]);
            params.digest = Some(d.parse().expect("digest"));
            pj.insert("digest".into(), json!(d));
        }
        if format_id == "django-signing" && rng.below(2) == 0 {
            params.compress = Some(true);
            pj.insert("compress".into(), json!(true));
        }
        if format_id == "django-cookie" {
            let name = *rng.pick(&["sessionid", "prefs", "a.b"]);
            params.cookie_name = Some(name.into());
            pj.insert("cookie_name".into(), json!(name));
        }
        let payload = match format_id {
            "django-signing" | "django-session" => payload(&mut rng, false),
            _ => Value::String(text(&mut rng) + "v"),
        };
        let max_age = rng.below(3) == 0;
        let opts = VerifyOptions {
            now: NOW,
            max_age: if max_age {
                MaxAge::Secs(20 * 86_400)
            } else {
                MaxAge::FrameworkDefault
            },
            leeway_secs: 0,
        };
        let ts = NOW - rng.below(30 * 86_400) as i64;
        let signed = sign_and_inspect(format_id, &payload, &keys, signer, &params, ts, &opts);
        requests.push(json!({"format": format_id, "cookie": signed.cookie, "keys": keys.iter().map(key_json).collect::<Vec<_>>(), "params": pj, "now": NOW, "max_age": if max_age { json!(20 * 86_400) } else { Value::Null }}));
        ours.push(signed);
    }
    let valid = compare(&ours, &ask(&python, "tests/interop/accept.py", &requests));
    assert!(
        valid * 10 >= ours.len() * 6,
        "only {valid} of {} valid",
        ours.len()
    );
}

/// JWT claims with time claims around NOW.
fn claims(rng: &mut Rng) -> Value {
    let mut c = match payload(rng, false) {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    c.insert("sub".into(), json!(text(rng)));
    if rng.below(2) == 0 {
        c.insert("iat".into(), json!(NOW - rng.below(7200) as i64));
    }
    if rng.below(3) == 0 {
        c.insert("exp".into(), json!(NOW - 3600 + rng.below(7200) as i64));
    }
    if rng.below(4) == 0 {
        c.insert("nbf".into(), json!(NOW - 600 + rng.below(1200) as i64));
    }
    Value::Object(c)
}

fn jwt_round(rng: &mut Rng, dialect: core::JsonDialect) -> (Signed, Value) {
    let keys = text_keys(rng);
    let signer = rng.below(keys.len());
    let alg = *rng.pick(&["HS256", "HS384", "HS512"]);
    let mut header = serde_json::Map::new();
    header.insert("alg".into(), json!(alg));
    if rng.below(4) != 0 {
        header.insert("typ".into(), json!("JWT"));
    }
    if rng.below(3) == 0 {
        header.insert("kid".into(), json!(text(rng)));
    }
    let params = FormatParams {
        header: Some(Value::Object(header.clone())),
        dialect: Some(dialect),
        ..FormatParams::default()
    };
    let leeway = rng.below(3) as u64 * 30;
    let opts = VerifyOptions {
        now: NOW,
        max_age: MaxAge::FrameworkDefault,
        leeway_secs: leeway,
    };
    let signed = sign_and_inspect("jwt", &claims(rng), &keys, signer, &params, NOW, &opts);
    let d = if dialect == core::JsonDialect::Python {
        "python"
    } else {
        "javascript"
    };
    let request = json!({"format": "jwt", "cookie": signed.cookie, "keys": keys.iter().map(key_json).collect::<Vec<_>>(), "params": {"header": header, "dialect": d}, "now": NOW, "leeway": leeway});
    (signed, request)
}

#[test]
fn pyjwt_accepts_tokens_signed_by_signet() {
    let Some(python) = python() else { return };
    let mut rng = Rng(0x0071_6a77_7400_2026);
    let (ours, requests): (Vec<_>, Vec<_>) = (0..150)
        .map(|_| jwt_round(&mut rng, core::JsonDialect::Python))
        .unzip();
    let valid = compare(&ours, &ask(&python, "tests/interop/accept.py", &requests));
    assert!(
        valid * 2 >= ours.len(),
        "only {valid} of {} valid",
        ours.len()
    );
}

#[test]
fn node_libraries_accept_cookies_and_tokens_signed_by_signet() {
    let Some(node) = node() else { return };
    let mut rng = Rng(0x00de_0ca7_2026_0001);
    let (mut ours, mut requests) = (Vec::new(), Vec::new());
    for round in 0..300 {
        match round % 3 {
            0 => {
                let (s, r) = jwt_round(&mut rng, core::JsonDialect::JavaScript);
                ours.push(s);
                requests.push(r);
            }
            1 => {
                let keys = text_keys(&mut rng);
                let signer = rng.below(keys.len());
                let bare = rng.below(3) == 0;
                let params = FormatParams {
                    variant: bare.then(|| "bare".into()),
                    ..FormatParams::default()
                };
                let value = Value::String(text(&mut rng) + "sid");
                let signed = sign_and_inspect(
                    "express",
                    &value,
                    &keys,
                    signer,
                    &params,
                    NOW,
                    &VerifyOptions::at(NOW),
                );
                let pj = if bare {
                    json!({"prefix": ""})
                } else {
                    json!({})
                };
                requests.push(json!({"format": "express", "cookie": signed.cookie, "keys": keys.iter().map(key_json).collect::<Vec<_>>(), "params": pj, "now": NOW}));
                ours.push(signed);
            }
            _ => {
                let keys = text_keys(&mut rng);
                let signer = rng.below(keys.len());
                let raw = rng.below(3) == 0;
                let name = *rng.pick(&["session", "express:sess", "prefs"]);
                let digest = *rng.pick(&["sha1", "sha1", "sha256", "sha512"]);
                let params = FormatParams {
                    cookie_name: Some(name.into()),
                    variant: raw.then(|| "cookies".into()),
                    digest: Some(digest.parse().expect("digest")),
                    ..FormatParams::default()
                };
                let value = if raw {
                    Value::String(format!("v{}", rng.below(1000)))
                } else {
                    payload(&mut rng, false)
                };
                let signed = sign_and_inspect(
                    "keygrip",
                    &value,
                    &keys,
                    signer,
                    &params,
                    NOW,
                    &VerifyOptions::at(NOW),
                );
                let mut pj = json!({"cookie_name": name, "digest": digest});
                if raw {
                    pj["encoding"] = json!("raw");
                }
                requests.push(json!({"format": "keygrip", "cookie": signed.cookie, "keys": keys.iter().map(key_json).collect::<Vec<_>>(), "params": pj, "now": NOW}));
                ours.push(signed);
            }
        }
    }
    let valid = compare(
        &ours,
        &ask(&node, "tests/interop/node/accept.js", &requests),
    );
    assert!(
        valid * 2 >= ours.len(),
        "only {valid} of {} valid",
        ours.len()
    );
}

/// Ruby with Debian's ruby-activesupport and ruby-actionpack (`SIGNET_RUBY`).
fn ruby() -> Option<String> {
    tool(
        "SIGNET_RUBY",
        "Rails: a ruby with ruby-activesupport and ruby-actionpack",
    )
}

/// The built tests/interop/cookie_rs program (`SIGNET_COOKIE_RS`).
fn cookie_rs_program() -> Option<String> {
    tool(
        "SIGNET_COOKIE_RS",
        "the Rust cookie crate: build tests/interop/cookie_rs and point SIGNET_COOKIE_RS at it",
    )
}

/// A payload of strings, integers, booleans and nulls (no floats: Ruby and Rust spell them
/// differently, which says nothing about the cookie).
fn plain_payload(rng: &mut Rng) -> Value {
    let mut m = serde_json::Map::new();
    for i in 0..rng.below(5) {
        let v = match rng.below(5) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => json!(rng.next() as i32),
            3 => Value::Array((0..rng.below(4)).map(|_| json!(text(rng))).collect()),
            _ => json!(text(rng)),
        };
        m.insert(
            format!("{}{i}", rng.pick(&["user", "cart", "é", "_csrf"])),
            v,
        );
    }
    Value::Object(m)
}

/// Encrypts or signs with Signet, opens with Signet, and asks the real library.
fn mine_round_trip(
    program: &str,
    args: &[&str],
    rounds: Vec<(&'static str, Value, Vec<Secret>, usize, Value)>,
) {
    use signet::core::formats::{cookie_rs, rails};
    let (mut ours, mut requests) = (Vec::new(), Vec::new());
    for (format_id, payload, keys, signer, pj) in rounds {
        let params = common::params(&json!({ "params": pj.clone() }));
        let decoded_and_opened = |cookie: &str| -> (core::Verification, Option<Value>) {
            let opts = VerifyOptions::at(NOW);
            match format_id {
                "cookie-rs-signed" | "cookie-rs-private" => {
                    let kind = if format_id.ends_with("signed") {
                        cookie_rs::Kind::Signed
                    } else {
                        cookie_rs::Kind::Private
                    };
                    let f = cookie_rs::CookieRs::new(kind);
                    let d = core::CookieFormat::decode(&f, cookie, &params).expect("decodes");
                    f.prepare(&keys, &params).expect("keys").open(&d)
                }
                _ => {
                    let kind = if format_id.ends_with("signed") {
                        rails::Kind::Signed
                    } else {
                        rails::Kind::Encrypted
                    };
                    let f = rails::Rails::new(kind);
                    let d = core::CookieFormat::decode(&f, cookie, &params).expect("decodes");
                    f.prepare(&keys, &params).expect("keys").open(&d, &opts)
                }
            }
        };
        let signer_format: Box<dyn core::CookieFormat> = match format_id {
            "cookie-rs-signed" => Box::new(cookie_rs::CookieRs::new(cookie_rs::Kind::Signed)),
            "cookie-rs-private" => Box::new(cookie_rs::CookieRs::new(cookie_rs::Kind::Private)),
            "rails-signed" => Box::new(rails::Rails::new(rails::Kind::Signed)),
            _ => Box::new(rails::Rails::new(rails::Kind::Encrypted)),
        };
        let cookie = signer_format
            .sign(&payload, &keys[signer], &params, NOW)
            .unwrap_or_else(|e| panic!("{format_id}: {e}"));
        let (v, opened) = decoded_and_opened(&cookie);
        assert_eq!(opened.as_ref(), Some(&payload), "{format_id} {cookie}");
        requests.push(json!({"format": format_id, "cookie": cookie, "keys": keys.iter().map(key_json).collect::<Vec<_>>(), "params": pj, "now": NOW}));
        ours.push(Signed {
            format: format_id,
            cookie,
            status: v.verdict.status(),
            payload: opened.unwrap_or(Value::Null),
            signed_at: None,
            key_index: v.key_index,
        });
    }
    let valid = compare(&ours, &ask_program(program, args, &requests));
    assert_eq!(
        valid,
        ours.len(),
        "every cookie Signet made must be accepted"
    );
}

#[test]
fn rails_accepts_cookies_signed_and_encrypted_by_signet() {
    let Some(ruby) = ruby() else { return };
    let script = common::root().join("tests/interop/rails/rails_cookies.rb");
    let script = script.to_str().expect("path");
    let mut rng = Rng(0x7a11_5c00_c1e5_2026);
    let pool = [
        "d3b07384d113edec49eaa6238ad5ff00a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "development-secret-key-base",
        "ключ-🔑-secret_key_base",
    ];
    let mut rounds = Vec::new();
    for round in 0..160 {
        let format_id = if round % 2 == 0 {
            "rails-signed"
        } else {
            "rails-encrypted"
        };
        let keys: Vec<Secret> = (0..1 + rng.below(3))
            .map(|i| Secret::from_text(pool[(i + round) % pool.len()]))
            .collect();
        let signer = rng.below(keys.len());
        let mut pj = serde_json::Map::new();
        pj.insert(
            "cookie_name".into(),
            json!(rng.pick(&["session", "_app_session", "remember_token"])),
        );
        if let Some(v) = rng.pick(&[
            None,
            Some("rails-7.0"),
            Some("rails-6.1"),
            Some("rails-5.1"),
            Some("rails-7.1"),
        ]) {
            pj.insert("variant".into(), json!(v));
        }
        if rng.below(4) == 0 {
            pj.insert(
                "key_derivation".into(),
                json!(rng.pick(&["pbkdf2-sha1", "pbkdf2-sha256"])),
            );
        }
        if format_id == "rails-signed" && rng.below(3) == 0 {
            pj.insert("digest".into(), json!(rng.pick(&["sha256", "sha512"])));
        }
        rounds.push((
            format_id,
            plain_payload(&mut rng),
            keys,
            signer,
            Value::Object(pj),
        ));
    }
    mine_round_trip(&ruby, &[script, "accept"], rounds);
}

#[test]
fn the_cookie_crate_accepts_cookies_signed_and_encrypted_by_signet() {
    let Some(program) = cookie_rs_program() else {
        return;
    };
    let mut rng = Rng(0x00c0_0c1e_0005_2026);
    let mut rounds = Vec::new();
    for round in 0..160 {
        let format_id = if round % 2 == 0 {
            "cookie-rs-signed"
        } else {
            "cookie-rs-private"
        };
        let keys: Vec<Secret> = (0..1 + rng.below(3))
            .map(|_| {
                let len = *rng.pick(&[32usize, 47, 64, 64, 70]);
                Secret::from_bytes((0..len).map(|_| rng.next() as u8).collect::<Vec<u8>>())
            })
            .collect();
        let signer = rng.below(keys.len());
        let mut pj = serde_json::Map::new();
        pj.insert(
            "cookie_name".into(),
            json!(rng.pick(&["session", "user_id", "a.b"])),
        );
        if keys[signer].len() >= 64 && rng.below(3) == 0 {
            pj.insert("key_derivation".into(), json!("derive-from"));
        }
        let value = Value::String(text(&mut rng) + "v");
        rounds.push((format_id, value, keys, signer, Value::Object(pj)));
    }
    mine_round_trip(&program, &["accept"], rounds);
}

/// PHP with php-cli from Debian (`SIGNET_PHP`), running tests/interop/laravel/laravel_cookies.php
/// over Debian's Laravel 8.83 (the real Encrypter, CookieValuePrefix and EncryptCookies).
fn php() -> Option<String> {
    tool(
        "SIGNET_PHP",
        "Laravel: a php (Debian's php-cli) for tests/interop/laravel/laravel_cookies.php",
    )
}

#[test]
fn laravel_reads_cookies_encrypted_by_signet() {
    use signet::core::CookieFormat as _;
    use signet::core::formats::laravel::Laravel;
    let Some(php) = php() else { return };
    let script = common::root().join("tests/interop/laravel/laravel_cookies.php");
    let script = script.to_str().expect("path");
    let mut rng = Rng(0x1a7a_fe1c_0041_2026);
    let b64 = |seed: u8, n: usize| {
        let bytes: Vec<u8> = (0..n as u8)
            .map(|i| i.wrapping_mul(37) ^ seed.wrapping_mul(101))
            .collect();
        Secret::from_text(&format!("base64:{}", core::encoding::b64std(&bytes)))
    };
    let (mut ours, mut requests) = (Vec::new(), Vec::new());
    for round in 0..160 {
        let aes128 = round % 5 == 4;
        let size = if aes128 { 16 } else { 32 };
        let keys: Vec<Secret> = (0..1 + rng.below(3))
            .map(|i| {
                if i == 1 && !aes128 && rng.below(2) == 0 {
                    // A raw 32-byte key (an APP_KEY without base64:).
                    Secret::from_text("0123456789abcdefghijklmnopqrstuv")
                } else {
                    b64((round * 3 + i) as u8, size)
                }
            })
            .collect();
        let signer = rng.below(keys.len());
        let mut pj = serde_json::Map::new();
        pj.insert(
            "cookie_name".into(),
            json!(rng.pick(&["laravel_session", "XSRF-TOKEN", "remember_web_59ba36ad"])),
        );
        let cipher = *rng.pick(&[None, Some("gcm"), Some("cbc")]);
        let mut variant: Vec<&str> = Vec::new();
        if let Some(c) = cipher {
            variant.push(match (c, aes128) {
                ("gcm", false) => "aes-256-gcm",
                ("gcm", true) => "aes-128-gcm",
                (_, false) => "aes-256-cbc",
                (_, true) => "aes-128-cbc",
            });
        }
        if rng.below(5) == 0 {
            variant.push("no-prefix");
        }
        if !variant.is_empty() {
            pj.insert("variant".into(), json!(variant.join(",")));
        }
        let pj = Value::Object(pj);
        let params = common::params(&json!({ "params": pj.clone() }));
        let payload = Value::String(text(&mut rng));
        let cookie = Laravel
            .sign(&payload, &keys[signer], &params, NOW)
            .unwrap_or_else(|e| panic!("laravel: {e}"));
        let d = Laravel.decode(&cookie, &params).expect("decodes");
        let (v, opened) = Laravel.prepare(&keys, &params).expect("keys").open(&d);
        assert_eq!(opened.as_ref(), Some(&payload), "{cookie}");
        assert_eq!(v.key_index, Some(signer), "{cookie}");
        requests.push(json!({"format": "laravel", "cookie": cookie, "keys": keys.iter().map(key_json).collect::<Vec<_>>(), "params": pj, "now": NOW}));
        ours.push(Signed {
            format: "laravel",
            cookie,
            status: v.verdict.status(),
            payload: opened.unwrap_or(Value::Null),
            signed_at: None,
            key_index: v.key_index,
        });
    }
    let valid = compare(&ours, &ask_program(&php, &[script, "accept"], &requests));
    assert_eq!(
        valid,
        ours.len(),
        "every cookie Signet encrypted must be read back"
    );
}
