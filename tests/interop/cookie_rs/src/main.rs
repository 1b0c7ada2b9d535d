//! Vectors for Signet's `cookie-rs-signed` / `cookie-rs-private` formats, made and checked by the
//! real `cookie` crate (0.18.1), and the other direction: does the crate accept cookies Signet made?
//!
//! ```text
//! CARGO_TARGET_DIR=target/interop-cookie-rs cargo run --release \
//!     --manifest-path tests/interop/cookie_rs/Cargo.toml -- gen tests/vectors/cookie_rs.json \
//!     > tests/vectors/cookie_rs.json.new && mv tests/vectors/cookie_rs.json.new tests/vectors/cookie_rs.json
//! ... -- accept      # JSON lines {"format","cookie","keys","params"} in, {"status",...} out
//! ```
//!
//! `PrivateJar` draws a fresh random nonce for every value and cannot be seeded, so `gen` keeps
//! the private cookies of the file it is given (its second argument) whenever the crate still
//! decrypts them to the same value with the same key and name; only new or changed cases get
//! fresh nonces. Everything else (signed values, tampering, expectations) is deterministic, so a
//! run over the committed file reproduces it byte for byte.

use std::collections::HashMap;
use std::io::{BufRead as _, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cookie::{Cookie, CookieJar, Key};
use serde_json::{Map, Value, json};

const NOW: i64 = 1_767_225_600;

/// Key material as the vectors carry it.
#[derive(Clone)]
struct Material {
    bytes: Vec<u8>,
    json: Value,
}

fn hex_key(bytes: Vec<u8>) -> Material {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Material {
        bytes,
        json: json!({ "hex": hex }),
    }
}

fn text_key(text: &str) -> Material {
    Material {
        bytes: text.as_bytes().to_vec(),
        json: json!({ "text": text }),
    }
}

fn key_from_json(k: &Value) -> Vec<u8> {
    if let Some(t) = k["text"].as_str() {
        return t.as_bytes().to_vec();
    }
    let hex = k["hex"].as_str().expect("text or hex key");
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// How the app makes its `Key`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Use {
    From,
    Derive,
}

fn make_key(bytes: &[u8], how: Use) -> Key {
    match how {
        Use::From => Key::from(bytes),
        Use::Derive => Key::derive_from(bytes),
    }
}

/// The readings Signet tries for key material (and so the ones an app could have used).
fn readings(len: usize, forced: Option<&str>) -> Vec<Use> {
    match forced {
        Some("from") => (len >= 64).then_some(Use::From).into_iter().collect(),
        Some("derive-from") => (len >= 32).then_some(Use::Derive).into_iter().collect(),
        Some(other) => panic!("unknown key_derivation {other}"),
        None if len >= 64 => vec![Use::From, Use::Derive],
        None if len >= 32 => vec![Use::Derive],
        None => Vec::new(),
    }
}

/// What the crate does with `value` under one key: the value the app reads, or `None`.
fn crate_reads(private: bool, name: &str, value: &str, key: &Key) -> Option<String> {
    let mut jar = CookieJar::new();
    jar.add_original(Cookie::new(name.to_string(), value.to_string()));
    let got = catch_unwind(AssertUnwindSafe(|| {
        if private {
            jar.private(key).get(name)
        } else {
            jar.signed(key).get(name)
        }
    }));
    match got {
        Ok(c) => c.map(|c| c.value().to_string()),
        Err(_) => panic!("the cookie crate panicked on {value:?}"),
    }
}

/// The crate's answer for a key list: the first key (and reading) that opens the value.
fn library(
    private: bool,
    name: Option<&str>,
    value: &str,
    keys: &[Vec<u8>],
    forced: Option<&str>,
) -> Option<(usize, String)> {
    // A signed value's MAC does not cover the name: any name reads it.
    let name = match name {
        Some(n) => n,
        None if private => return None,
        None => "c",
    };
    for (i, k) in keys.iter().enumerate() {
        for how in readings(k.len(), forced) {
            if let Some(v) = crate_reads(private, name, value, &make_key(k, how)) {
                return Some((i, v));
            }
        }
    }
    None
}

fn signed_value(key: &Key, name: &str, value: &str) -> String {
    let mut jar = CookieJar::new();
    jar.signed_mut(key)
        .add(Cookie::new(name.to_string(), value.to_string()));
    jar.get(name).expect("added").value().to_string()
}

fn private_value(key: &Key, name: &str, value: &str) -> String {
    let mut jar = CookieJar::new();
    jar.private_mut(key)
        .add(Cookie::new(name.to_string(), value.to_string()));
    jar.get(name).expect("added").value().to_string()
}

/// The `name=value` the crate writes with percent-encoding (actix-web sends cookies this way).
fn encoded(name: &str, value: &str) -> String {
    Cookie::new(name.to_string(), value.to_string())
        .encoded()
        .to_string()
}

/// Replaces the character at `i` (ASCII) with `c`.
fn replace_at(text: &str, i: usize, c: char) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    assert_ne!(chars[i], c, "tampering must change the text");
    chars[i] = c;
    chars.into_iter().collect()
}

/// A different base64 character with the same "data" role.
fn other_b64(c: char) -> char {
    if c == 'A' { 'B' } else { 'A' }
}

struct Case {
    name: String,
    private: bool,
    cookie: String,
    input: Option<String>,
    keys: Vec<Material>,
    params: Map<String, Value>,
    /// The status Signet must report when the crate rejects the value.
    rejected_as: &'static str,
    resign: bool,
    note: String,
}

struct Gen {
    previous: HashMap<String, String>,
    cases: Vec<Case>,
}

impl Gen {
    /// A private cookie: the committed one when the crate still opens it to `value`.
    fn private(&self, case: &str, key: &Key, name: &str, value: &str) -> String {
        if let Some(old) = self.previous.get(case)
            && crate_reads(true, name, old, key).as_deref() == Some(value)
        {
            return old.clone();
        }
        private_value(key, name, value)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        name: &str,
        private: bool,
        cookie: String,
        input: Option<String>,
        keys: &[&Material],
        params: Value,
        rejected_as: &'static str,
        resign: bool,
        note: &str,
    ) {
        self.cases.push(Case {
            name: name.to_string(),
            private,
            cookie,
            input,
            keys: keys.iter().map(|k| (*k).clone()).collect(),
            params: params.as_object().cloned().unwrap_or_default(),
            rejected_as,
            resign,
            note: note.to_string(),
        });
    }
}

fn generate(previous_file: Option<&str>) -> Value {
    let mut previous = HashMap::new();
    if let Some(path) = previous_file
        && let Ok(text) = std::fs::read_to_string(path)
    {
        let doc: Value = serde_json::from_str(&text).expect("previous file is JSON");
        for v in doc["vectors"].as_array().into_iter().flatten() {
            if let (Some(n), Some(c)) = (v["name"].as_str(), v["base_cookie"].as_str()) {
                previous.insert(n.to_string(), c.to_string());
            }
        }
    }
    let mut g = Gen {
        previous,
        cases: Vec::new(),
    };

    let k64 = hex_key((0..64u32).map(|i| (i * 37 + 11) as u8).collect());
    let m32 = hex_key((0..32u32).map(|i| (i * 13 + 200) as u8).collect());
    let text48 = text_key("rocket-master-key:0123456789abcdef-0123456789ab");
    let text70 = text_key("actix-web-key-material/seventy-bytes-long/for-both-readings/0123456789");
    let wrong64 = hex_key((0..64u32).map(|i| (i * 7 + 1) as u8).collect());
    let short = text_key("too-short-for-the-cookie-crate");
    assert_eq!(text70.bytes.len(), 70);
    assert!(text48.bytes.len() >= 32 && text48.bytes.len() < 64);
    assert!(short.bytes.len() < 32);

    let key = |m: &Material, how: Use| make_key(&m.bytes, how);

    // ---------------------------------------------------------------- SignedJar
    let s = "cookie-rs-signed";
    let ok = "bad-signature";
    let cases: [(&str, &Material, Use, &str, &str); 9] = [
        (
            "key64/basic",
            &k64,
            Use::From,
            "id=12345",
            "Key::from(64 bytes)",
        ),
        (
            "key64/empty",
            &k64,
            Use::From,
            "",
            "an empty value: the cookie is the MAC alone",
        ),
        (
            "key64/unicode",
            &k64,
            Use::From,
            "héllo wörld ✓ 日本",
            "UTF-8 value",
        ),
        (
            "key64/json",
            &k64,
            Use::From,
            r#"{"user":"ada","admin":false}"#,
            "a JSON text is still a string payload",
        ),
        (
            "derive32/basic",
            &m32,
            Use::Derive,
            "user=ada",
            "Key::derive_from(32-byte master)",
        ),
        (
            "derive-text/basic",
            &text48,
            Use::Derive,
            "visits=3",
            "Key::derive_from(47-byte text master)",
        ),
        (
            "ambiguous70/from",
            &text70,
            Use::From,
            "flash=saved",
            "70 bytes: Key::from takes the first 64; Signet tries Key::from first",
        ),
        (
            "ambiguous70/derive",
            &text70,
            Use::Derive,
            "flash=derived",
            "70 bytes used as a derive_from master: Signet tries both readings and reports which matched",
        ),
        (
            "key64/long",
            &k64,
            Use::From,
            &"x".repeat(1500),
            "a long value",
        ),
    ];
    for (case, m, how, value, note) in cases {
        let cookie = signed_value(&key(m, how), "session", value);
        // Signet signs ≥ 64-byte material with Key::from unless told otherwise.
        let default_use = if m.bytes.len() >= 64 {
            Use::From
        } else {
            Use::Derive
        };
        g.push(
            &format!("{s}/{case}"),
            false,
            cookie,
            None,
            &[m],
            json!({}),
            ok,
            how == default_use,
            note,
        );
    }
    let base = signed_value(&key(&k64, Use::From), "session", "id=12345");
    g.push(
        &format!("{s}/forced/from"),
        false,
        base.clone(),
        None,
        &[&k64],
        json!({"key_derivation": "from"}),
        ok,
        true,
        "key_derivation from: only Key::from is tried",
    );
    let derived70 = signed_value(&key(&text70, Use::Derive), "session", "flash=derived");
    g.push(
        &format!("{s}/forced/derive-from"),
        false,
        derived70.clone(),
        None,
        &[&text70],
        json!({"key_derivation": "derive-from"}),
        ok,
        true,
        "key_derivation derive-from: re-signing uses derive_from too",
    );
    g.push(
        &format!("{s}/forced/wrong-reading"),
        false,
        derived70,
        None,
        &[&text70],
        json!({"key_derivation": "from"}),
        "bad-signature",
        false,
        "the key was used with derive_from, but Key::from is forced",
    );
    g.push(
        &format!("{s}/keys/second"),
        false,
        base.clone(),
        None,
        &[&wrong64, &k64],
        json!({}),
        ok,
        true,
        "the second key of the list verifies",
    );
    g.push(
        &format!("{s}/keys/short-key-first"),
        false,
        base.clone(),
        None,
        &[&short, &k64],
        json!({}),
        ok,
        true,
        "a key too short for the crate is skipped with a note",
    );
    g.push(
        &format!("{s}/name/renamed"),
        false,
        base.clone(),
        Some(format!("renamed={base}")),
        &[&k64],
        json!({}),
        ok,
        false,
        "the MAC does not cover the name: a renamed cookie still verifies",
    );
    g.push(
        &format!("{s}/input/set-cookie"),
        false,
        base.clone(),
        Some(format!("Set-Cookie: session={base}; Path=/; HttpOnly")),
        &[&k64],
        json!({}),
        ok,
        false,
        "a Set-Cookie line",
    );
    let enc_value = signed_value(&key(&k64, Use::From), "session", "a b;c%d");
    g.push(&format!("{s}/input/percent-encoded"), false, enc_value.clone(), Some(encoded("session", &enc_value)), &[&k64], json!({}), ok, false, "Cookie::encoded() percent-encodes / and = (not +), space, ; and % (actix-web sends cookies this way)");
    g.push(
        &format!("{s}/bad/wrong-key"),
        false,
        base.clone(),
        None,
        &[&wrong64],
        json!({}),
        "bad-signature",
        false,
        "a 64-byte key that did not sign it",
    );
    g.push(
        &format!("{s}/bad/short-key-only"),
        false,
        base.clone(),
        None,
        &[&short],
        json!({}),
        "bad-signature",
        false,
        "the only key is too short to be a cookie crate key",
    );
    g.push(
        &format!("{s}/bad/tampered-value"),
        false,
        format!("{base}6"),
        None,
        &[&k64],
        json!({}),
        "bad-signature",
        false,
        "a character appended to the value",
    );
    g.push(
        &format!("{s}/bad/tampered-mac"),
        false,
        replace_at(&base, 0, other_b64(base.chars().next().unwrap_or('A'))),
        None,
        &[&k64],
        json!({}),
        "bad-signature",
        false,
        "the first MAC character changed",
    );
    g.push(
        &format!("{s}/bad/mac-not-base64"),
        false,
        replace_at(&base, 5, '!'),
        None,
        &[&k64],
        json!({}),
        "malformed",
        false,
        "a character outside base64 in the MAC: the crate's decode fails",
    );
    let c42 = base.chars().nth(42).unwrap_or('A');
    let noncanon = replace_at(&base, 42, if c42 == 'B' { 'C' } else { 'B' });
    g.push(
        &format!("{s}/bad/mac-noncanonical"),
        false,
        noncanon,
        None,
        &[&k64],
        json!({}),
        "malformed",
        false,
        "the MAC's last data character with unused bits set: the crate's strict base64 rejects it",
    );
    g.push(
        &format!("{s}/bad/too-short"),
        false,
        base[..30].to_string(),
        None,
        &[&k64],
        json!({}),
        "malformed",
        false,
        "shorter than the 44-character MAC",
    );
    g.push(
        &format!("{s}/bad/mac-unpadded"),
        false,
        format!("{}{}", &base[..43], &base[44..]),
        None,
        &[&k64],
        json!({}),
        "malformed",
        false,
        "the MAC's '=' dropped: the next value character becomes part of the MAC",
    );

    // ---------------------------------------------------------------- PrivateJar
    let p = "cookie-rs-private";
    let cases: [(&str, &Material, Use, &str, &str); 8] = [
        (
            "key64/basic",
            &k64,
            Use::From,
            "id=12345",
            "Key::from(64 bytes)",
        ),
        (
            "key64/empty",
            &k64,
            Use::From,
            "",
            "an empty value: nonce and tag only",
        ),
        (
            "key64/unicode",
            &k64,
            Use::From,
            "héllo wörld ✓ 日本",
            "UTF-8 value",
        ),
        (
            "derive32/basic",
            &m32,
            Use::Derive,
            "user=ada",
            "Key::derive_from(32-byte master)",
        ),
        (
            "derive-text/basic",
            &text48,
            Use::Derive,
            r#"{"cart":[1,2,3]}"#,
            "Key::derive_from(47-byte text master)",
        ),
        (
            "ambiguous70/from",
            &text70,
            Use::From,
            "flash=saved",
            "70 bytes, the first 64 as the Key",
        ),
        (
            "ambiguous70/derive",
            &text70,
            Use::Derive,
            "flash=derived",
            "70 bytes as a derive_from master: Signet tries both",
        ),
        (
            "key64/long",
            &k64,
            Use::From,
            &"y".repeat(1200),
            "a long value",
        ),
    ];
    let mut bases = HashMap::new();
    for (case, m, how, value, note) in cases {
        let name = format!("{p}/{case}");
        let cookie = g.private(&name, &key(m, how), "session", value);
        bases.insert(case, cookie.clone());
        g.push(
            &name,
            true,
            cookie.clone(),
            Some(format!("session={cookie}")),
            &[m],
            json!({}),
            "bad-signature",
            false,
            note,
        );
    }
    let base = bases["key64/basic"].clone();
    let name = format!("{p}/name/from-params");
    let named = g.private(&name, &key(&k64, Use::From), "user_id", "42");
    g.push(
        &name,
        true,
        named.clone(),
        None,
        &[&k64],
        json!({"cookie_name": "user_id"}),
        "bad-signature",
        false,
        "a bare value with the name given as a parameter",
    );
    g.push(
        &format!("{p}/name/renamed"),
        true,
        base.clone(),
        Some(format!("other={base}")),
        &[&k64],
        json!({}),
        "bad-signature",
        false,
        "the name is the AEAD's associated data: a renamed cookie does not decrypt",
    );
    g.push(
        &format!("{p}/name/missing"),
        true,
        base.clone(),
        None,
        &[&k64],
        json!({}),
        "unverified",
        false,
        "no name: nothing to decrypt with (the crate always has the name)",
    );
    g.push(
        &format!("{p}/keys/third"),
        true,
        base.clone(),
        Some(format!("session={base}")),
        &[&wrong64, &short, &k64],
        json!({}),
        "bad-signature",
        false,
        "the third key decrypts",
    );
    g.push(
        &format!("{p}/forced/derive-from"),
        true,
        bases["ambiguous70/derive"].clone(),
        Some(format!("session={}", bases["ambiguous70/derive"])),
        &[&text70],
        json!({"key_derivation": "derive-from"}),
        "bad-signature",
        false,
        "key_derivation derive-from",
    );
    g.push(
        &format!("{p}/forced/wrong-reading"),
        true,
        bases["ambiguous70/derive"].clone(),
        Some(format!("session={}", bases["ambiguous70/derive"])),
        &[&text70],
        json!({"key_derivation": "from"}),
        "bad-signature",
        false,
        "made with derive_from, read with Key::from",
    );
    g.push(
        &format!("{p}/input/set-cookie"),
        true,
        base.clone(),
        Some(format!(
            "Set-Cookie: session={base}; Path=/; Secure; HttpOnly"
        )),
        &[&k64],
        json!({}),
        "bad-signature",
        false,
        "a Set-Cookie line",
    );
    let padded = bases["derive-text/basic"].clone();
    assert!(padded.ends_with('='), "a padded value to percent-encode");
    g.push(
        &format!("{p}/input/percent-encoded"),
        true,
        padded.clone(),
        Some(encoded("session", &padded)),
        &[&text48],
        json!({}),
        "bad-signature",
        false,
        "Cookie::encoded() percent-encodes / and = (not +)",
    );
    g.push(
        &format!("{p}/bad/wrong-key"),
        true,
        base.clone(),
        Some(format!("session={base}")),
        &[&wrong64],
        json!({}),
        "bad-signature",
        false,
        "a key that did not encrypt it",
    );
    let raw = STANDARD.decode(&base).expect("base64");
    let reencode = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut d = raw.clone();
        f(&mut d);
        STANDARD.encode(d)
    };
    let tampered: [(&str, String, &str, &str); 7] = [
        (
            "bad/tampered-nonce",
            reencode(&|d| d[0] ^= 1),
            "bad-signature",
            "one nonce bit flipped",
        ),
        (
            "bad/tampered-ciphertext",
            reencode(&|d| d[13] ^= 0x80),
            "bad-signature",
            "one ciphertext bit flipped",
        ),
        (
            "bad/tampered-tag",
            reencode(&|d| {
                let n = d.len();
                d[n - 1] ^= 1;
            }),
            "bad-signature",
            "one tag bit flipped",
        ),
        (
            "bad/truncated-tag",
            reencode(&|d| d.truncate(d.len() - 4)),
            "bad-signature",
            "the last 4 tag bytes cut: the crate reads the last 16 bytes as the tag and fails",
        ),
        (
            "bad/no-room-for-tag",
            reencode(&|d| d.truncate(20)),
            "malformed",
            "20 bytes: a nonce and 8 more, no room for a tag",
        ),
        (
            "bad/nonce-only",
            reencode(&|d| d.truncate(12)),
            "malformed",
            "12 bytes: the crate refuses a value of at most NONCE_LEN bytes",
        ),
        (
            "bad/not-base64",
            replace_at(&base, 3, '*'),
            "malformed",
            "a character outside base64",
        ),
    ];
    for (case, cookie, status, note) in tampered {
        g.push(
            &format!("{p}/{case}"),
            true,
            cookie.clone(),
            Some(format!("session={cookie}")),
            &[&k64],
            json!({}),
            status,
            false,
            note,
        );
    }
    let unpadded = base.trim_end_matches('=').to_string();
    if unpadded != base {
        g.push(
            &format!("{p}/bad/unpadded"),
            true,
            unpadded.clone(),
            Some(format!("session={unpadded}")),
            &[&k64],
            json!({}),
            "malformed",
            false,
            "padding stripped: the crate's base64 requires it",
        );
    }
    // A value no jar writes: valid AEAD, but the plaintext is not UTF-8.
    let not_utf8 = {
        let k = key(&k64, Use::From);
        let cipher = Aes256Gcm::new_from_slice(k.encryption()).expect("32-byte key");
        let nonce = [9u8; 12];
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: b"\xff\xfe not utf-8",
                    aad: b"session",
                },
            )
            .expect("encrypts");
        let mut d = nonce.to_vec();
        d.extend_from_slice(&sealed);
        STANDARD.encode(d)
    };
    g.push(&format!("{p}/bad/not-utf8"), true, not_utf8.clone(), Some(format!("session={not_utf8}")), &[&k64], json!({}), "malformed", false, "authenticates, but decrypts to bytes that are not UTF-8: the crate returns None (bad unsealed utf8)");

    // ---------------------------------------------------------------- results
    let mut vectors = Vec::new();
    for c in g.cases {
        let name_in_input = c.input.as_deref().and_then(|i| {
            let i = i.strip_prefix("Set-Cookie: ").unwrap_or(i);
            i.split_once('=').map(|(n, _)| n.to_string())
        });
        let cookie_name = c
            .params
            .get("cookie_name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(name_in_input);
        let keys: Vec<Vec<u8>> = c.keys.iter().map(|k| k.bytes.clone()).collect();
        let forced = c.params.get("key_derivation").and_then(Value::as_str);
        let got = library(c.private, cookie_name.as_deref(), &c.cookie, &keys, forced);
        let (library_result, status, payload, key_index) = match &got {
            Some((i, v)) => ("ok".to_string(), "valid", json!(v), json!(i)),
            None => {
                let payload = if c.private || c.rejected_as == "malformed" {
                    Value::Null
                } else {
                    json!(c.cookie.get(44..).unwrap_or_default())
                };
                // A key that authenticates a value the crate still refuses is named (as Signet
                // names the key of any "valid signature, bad payload" cookie).
                let opened_by = if c.name.ends_with("/bad/not-utf8") {
                    json!(0)
                } else {
                    Value::Null
                };
                ("None".to_string(), c.rejected_as, payload, opened_by)
            }
        };
        if got.is_none() && c.private && cookie_name.is_none() {
            assert_eq!(c.rejected_as, "unverified");
        }
        let mut v = Map::new();
        v.insert("name".into(), json!(c.name));
        v.insert("format".into(), json!(if c.private { p } else { s }));
        v.insert(
            "input".into(),
            json!(c.input.clone().unwrap_or_else(|| c.cookie.clone())),
        );
        v.insert("cookie".into(), json!(c.cookie));
        v.insert(
            "keys".into(),
            Value::Array(c.keys.iter().map(|k| k.json.clone()).collect()),
        );
        v.insert("params".into(), Value::Object(c.params.clone()));
        v.insert("now".into(), json!(NOW));
        v.insert("library_result".into(), json!(library_result));
        v.insert(
            "expect".into(),
            json!({"status": status, "payload": payload, "signed_at": null, "key_index": key_index,
                   "compressed": false, "lenient_base64": false}),
        );
        v.insert("resign".into(), json!(c.resign && got.is_some()));
        if c.private && g_is_base(&c.name) {
            v.insert("base_cookie".into(), json!(c.cookie));
        }
        v.insert("note".into(), json!(c.note));
        vectors.push(Value::Object(v));
    }
    json!({
        "generator": "tests/interop/cookie_rs (cargo run -- gen)",
        "versions": {"cookie": "0.18.1"},
        "vectors": vectors,
    })
}

/// Private cases whose cookie is drawn fresh (and so reused from the previous file).
fn g_is_base(name: &str) -> bool {
    [
        "/key64/",
        "/derive32/",
        "/derive-text/",
        "/ambiguous70/",
        "/name/from-params",
    ]
    .iter()
    .any(|m| name.contains(m))
}

/// One accept request: does the crate read the value Signet made?
fn accept(req: &Value) -> Value {
    let format = req["format"].as_str().unwrap_or_default();
    let private = match format {
        "cookie-rs-signed" => false,
        "cookie-rs-private" => true,
        other => return json!({"error": format!("unknown format {other}")}),
    };
    let cookie = req["cookie"].as_str().unwrap_or_default();
    let keys: Vec<Vec<u8>> = req["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .map(key_from_json)
        .collect();
    let params = &req["params"];
    let name = params["cookie_name"].as_str();
    let forced = params["key_derivation"].as_str();
    match library(private, name, cookie, &keys, forced) {
        Some((i, v)) => json!({"status": "valid", "payload": v, "signed_at": null, "key_index": i}),
        None => {
            json!({"status": "bad-signature", "payload": null, "signed_at": null, "key_index": null})
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") => {
            let doc = generate(args.get(1).map(String::as_str));
            let text = serde_json::to_string_pretty(&doc).expect("JSON");
            println!("{text}");
        }
        Some("accept") => {
            let stdin = std::io::stdin();
            let mut out = std::io::stdout().lock();
            for line in stdin.lock().lines() {
                let line = line.expect("stdin");
                if line.trim().is_empty() {
                    continue;
                }
                let req: Value = serde_json::from_str(&line).expect("request is JSON");
                writeln!(out, "{}", accept(&req)).expect("stdout");
                out.flush().expect("flush");
            }
        }
        _ => {
            eprintln!("usage: signet-interop-cookie-rs gen [PREVIOUS.json] | accept");
            std::process::exit(2);
        }
    }
}
