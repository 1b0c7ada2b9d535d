//! Bulk verification of Flask session cookies against a 3-key list (primary, fallback-a,
//! fallback-b), the way an application checks every request's cookie.
//!
//! The work per cookie is what an app does: decode it (payload JSON and Flask tags included), then
//! verify it with a verifier prepared ONCE for the key list, outside the measured loop: deriving
//! each key once per key list, not once per cookie, is the point being measured.
//!
//! Benchmarks (throughput in cookies; criterion's mean time per iteration / cookie count gives
//! nanoseconds per cookie):
//!
//! * `flask_bulk/decode_verify_1core`: every cookie decoded and verified on one thread.
//! * `flask_bulk/decode_verify_all_cores`: the same split into one chunk per core
//!   (`std::thread::scope`, threads spawned inside each iteration).
//! * `flask_parts/*`: single-thread pieces of that work, each over the whole set so their
//!   per-cookie figures add up: decode only, verify only, a verifier built per cookie (what
//!   deriving the keys per cookie would cost), and the primitives (base64, zlib, JSON, Flask
//!   untagging, one HMAC-SHA1).
//!
//! The cookie set: when `SIGNET_BENCH_COOKIES` names a file, its cookies and keys are used
//! (`benches/compare_python.py` writes one with the real Flask serializer). The file is text, one
//! cookie per line after a JSON header line:
//!
//! ```text
//! {"signet_bench": 1, "format": "flask", "keys": ["primary", "fallback-a", "fallback-b"],
//!  "now": 1767225600, "max_age": 2678400,
//!  "expect": {"valid": 8000, "bad_signature": 2000, "by_key": [4000, 2000, 2000]}}
//! <cookie>
//! <cookie>
//! ...
//! ```
//!
//! (the header is one line). `keys` are in Signet's order (primary first, then the fallbacks as
//! the app lists them), each a string (its UTF-8 bytes) or `{"hex": "..."}`; `now` is the Unix
//! time to verify at; `format`, `max_age` (default: the framework's) and `expect` are optional.
//! Without the variable, 10,000 cookies are generated with Signet's own `sign`, deterministically:
//! 40% signed by the primary, 20% by each fallback, 20% bad (half signed by an unknown key, half
//! with an altered signature), with realistic payloads (Flask-Login sessions, small preference
//! dicts, tagged values, large compressed carts).
//!
//! Before measuring, the bench prints one line with its verdict counts,
//! `signet-bench: ... cookies=... valid=... by_key=[...] ...`, so a caller can check that it agrees
//! with Python. Nothing here asserts on timings.

mod common;

use std::hint::black_box;
use std::thread;

use common::{Rng, payload};
use criterion::{BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use serde_json::{Value, json};
use signet::core::encoding::{MAX_DECOMPRESSED, itsdangerous_b64decode, zlib_decompress};
use signet::core::formats::itsdangerous::KeyDerivation;
use signet::core::mac::KeyedMac;
use signet::core::{
    CookieFormat, Decoded, Digest, FormatParams, MaxAge, Secret, Verdict, Verifier, VerifyOptions,
    flask_tag, format_by_id, pyjson,
};

/// Cookies in the generated set.
const GENERATED_COUNT: usize = 10_000;
/// "Now" for the generated set (2026-01-01T00:00:00Z).
const GENERATED_NOW: i64 = 1_767_225_600;
/// The generated set's key list, in Signet's order.
const GENERATED_KEYS: [&str; 3] = [
    "signet-bench-primary-2026-7f3a9c",
    "signet-bench-fallback-a-2024-1b6e",
    "signet-bench-fallback-b-2025-d42c",
];
/// A key the verifier does not know (for the bad-signature share).
const UNKNOWN_KEY: &str = "signet-bench-revoked-2023-0000";

/// The cookies and everything needed to verify them.
struct CookieSet {
    /// Where the cookies come from, for the report line.
    source: String,
    format: &'static dyn CookieFormat,
    keys: Vec<Secret>,
    opts: VerifyOptions,
    cookies: Vec<String>,
    /// The counts the file's writer expects (`expect` in the header), shown beside Signet's.
    expect: Option<Value>,
}

/// Verdict counts over a set.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    valid: usize,
    expired: usize,
    bad_signature: usize,
    malformed: usize,
    other: usize,
    by_key: Vec<usize>,
}

/// The deterministic set signed by Signet itself.
fn generated() -> CookieSet {
    let format = format_by_id("flask").expect("the flask format exists");
    let params = FormatParams::default();
    let keys: Vec<Secret> = GENERATED_KEYS
        .iter()
        .map(|k| Secret::from_text(k))
        .collect();
    let unknown = Secret::from_text(UNKNOWN_KEY);
    let mut rng = Rng(0x5167_e7be_7c00_c1e5);
    // Category per cookie: 0 = primary, 1 = fallback-a, 2 = fallback-b, 3 = unknown key,
    // 4 = altered signature. 40 / 20 / 20 / 10 / 10 %.
    let mut categories: Vec<u8> = (0..GENERATED_COUNT)
        .map(|i| match i * 10 / GENERATED_COUNT {
            0..=3 => 0,
            4 | 5 => 1,
            6 | 7 => 2,
            8 => 3,
            _ => 4,
        })
        .collect();
    for i in (1..categories.len()).rev() {
        categories.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let cookies = categories
        .iter()
        .map(|&category| {
            let signed_at = GENERATED_NOW - 60 - rng.below(20 * 86_400) as i64;
            let key = match category {
                0 | 4 => &keys[0],
                1 | 2 => &keys[usize::from(category)],
                _ => &unknown,
            };
            let mut cookie = format
                .sign(&payload(&mut rng), key, &params, signed_at)
                .expect("signet signs the generated payload");
            if category == 4 {
                alter_signature(&mut cookie);
            }
            cookie
        })
        .collect();
    CookieSet {
        source: format!("generated by Signet ({GENERATED_COUNT} cookies)"),
        format,
        keys,
        opts: VerifyOptions::at(GENERATED_NOW),
        cookies,
        expect: Some(json!({
            "valid": GENERATED_COUNT * 8 / 10,
            "bad_signature": GENERATED_COUNT * 2 / 10,
            "by_key": [GENERATED_COUNT * 4 / 10, GENERATED_COUNT * 2 / 10, GENERATED_COUNT * 2 / 10],
        })),
    }
}

/// Changes one signature character well inside the signature (the last one may only carry
/// padding bits that a lenient decoder ignores).
fn alter_signature(cookie: &mut String) {
    let at = cookie.len() - 5;
    let replacement = if cookie.as_bytes()[at] == b'A' {
        "B"
    } else {
        "A"
    };
    cookie.replace_range(at..=at, replacement);
}

/// The set from `SIGNET_BENCH_COOKIES` (see the module documentation for the layout).
fn from_file(path: &str) -> CookieSet {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("SIGNET_BENCH_COOKIES={path}: cannot read: {e}"));
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{path}: the first line is not a JSON header: {e}"));
    let format_id = header
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("flask");
    let format =
        format_by_id(format_id).unwrap_or_else(|| panic!("{path}: unknown format {format_id:?}"));
    let keys: Vec<Secret> = header
        .get("keys")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{path}: the header has no \"keys\" list"))
        .iter()
        .map(|k| match k {
            Value::String(text) => Secret::from_text(text),
            other => {
                let hex = other
                    .get("hex")
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{path}: a key is neither a string nor {{\"hex\"}}"));
                Secret::from_hex(hex).unwrap_or_else(|e| panic!("{path}: bad hex key: {e}"))
            }
        })
        .collect();
    let now = header
        .get("now")
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("{path}: the header has no integer \"now\""));
    let mut opts = VerifyOptions::at(now);
    if let Some(max_age) = header.get("max_age").and_then(Value::as_u64) {
        opts.max_age = MaxAge::Secs(max_age);
    }
    let cookies: Vec<String> = lines
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert!(!cookies.is_empty(), "{path}: no cookies after the header");
    CookieSet {
        source: format!("{path} ({} cookies)", cookies.len()),
        format,
        keys,
        opts,
        cookies,
        expect: header.get("expect").cloned(),
    }
}

/// What an application does with one cookie: decode, then verify with the prepared key list.
#[inline]
fn is_valid(
    format: &dyn CookieFormat,
    params: &FormatParams,
    verifier: &dyn Verifier,
    opts: &VerifyOptions,
    cookie: &str,
) -> bool {
    match format.decode(cookie, params) {
        Ok(decoded) => verifier.verify(&decoded, opts).verdict == Verdict::Valid,
        Err(_) => false,
    }
}

fn tally(set: &CookieSet, params: &FormatParams, verifier: &dyn Verifier) -> Tally {
    let mut t = Tally {
        by_key: vec![0; set.keys.len()],
        ..Tally::default()
    };
    for cookie in &set.cookies {
        let verification = match set.format.decode(cookie, params) {
            Ok(decoded) => verifier.verify(&decoded, &set.opts),
            Err(_) => {
                t.malformed += 1;
                continue;
            }
        };
        match verification.verdict {
            Verdict::Valid => {
                t.valid += 1;
                if let Some(i) = verification.key_index {
                    t.by_key[i] += 1;
                }
            }
            Verdict::Expired(_) => t.expired += 1,
            Verdict::BadSignature => t.bad_signature += 1,
            Verdict::Malformed(_) => t.malformed += 1,
            _ => t.other += 1,
        }
    }
    t
}

/// The pieces of one itsdangerous cookie, decoded once for the primitive benchmarks.
struct Pieces<'a> {
    /// The payload text (after the zlib marker).
    payload_b64: &'a str,
    compressed: bool,
    /// The base64-decoded payload (still compressed when `compressed`).
    payload_raw: Vec<u8>,
    /// The JSON text.
    json: String,
    /// The parsed JSON.
    value: Value,
    /// The signed bytes and the signature.
    signed: &'a str,
    signature: Vec<u8>,
}

fn pieces(cookie: &str) -> Option<Pieces<'_>> {
    let (signed, sig) = cookie.rsplit_once('.')?;
    let (payload, _ts) = signed.rsplit_once('.')?;
    let (compressed, payload_b64) = match payload.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, payload),
    };
    let payload_raw = itsdangerous_b64decode(payload_b64.as_bytes()).ok()?;
    let json_bytes = if compressed {
        zlib_decompress(&payload_raw, MAX_DECOMPRESSED).ok()?
    } else {
        payload_raw.clone()
    };
    let json = String::from_utf8(json_bytes).ok()?;
    let value = pyjson::parse(&json).ok()?;
    Some(Pieces {
        payload_b64,
        compressed,
        payload_raw,
        json,
        value,
        signed,
        signature: itsdangerous_b64decode(sig.as_bytes()).ok()?,
    })
}

fn elements(group: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    group.throughput(Throughput::Elements(n as u64));
}

fn bench_bulk(c: &mut Criterion, set: &CookieSet, params: &FormatParams, threads: usize) {
    // Prepared once per key list, outside every measured loop.
    let verifier = set
        .format
        .verifier(&set.keys, params)
        .expect("default parameters are valid");
    let verifier: &dyn Verifier = verifier.as_ref();
    let (format, opts, cookies) = (set.format, &set.opts, set.cookies.as_slice());

    let mut group = c.benchmark_group("flask_bulk");
    elements(&mut group, cookies.len());
    // One iteration is the whole set (milliseconds): fewer, longer samples fit the time budget.
    group.sample_size(30);
    group.bench_function("decode_verify_1core", |b| {
        b.iter(|| {
            cookies
                .iter()
                .filter(|c| is_valid(format, params, verifier, opts, black_box(c)))
                .count()
        });
    });
    let chunk = cookies.len().div_ceil(threads).max(1);
    group.bench_function("decode_verify_all_cores", |b| {
        b.iter(|| {
            thread::scope(|s| {
                let workers: Vec<_> = cookies
                    .chunks(chunk)
                    .map(|part| {
                        s.spawn(move || {
                            part.iter()
                                .filter(|c| is_valid(format, params, verifier, opts, black_box(c)))
                                .count()
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().expect("a bench worker panicked"))
                    .sum::<usize>()
            })
        });
    });
    group.finish();
}

fn bench_parts(c: &mut Criterion, set: &CookieSet, params: &FormatParams) {
    let verifier = set
        .format
        .verifier(&set.keys, params)
        .expect("default parameters are valid");
    let verifier: &dyn Verifier = verifier.as_ref();
    let (format, opts, cookies) = (set.format, &set.opts, set.cookies.as_slice());
    let decoded: Vec<Decoded> = cookies
        .iter()
        .filter_map(|c| format.decode(c, params).ok())
        .collect();
    let pieces: Vec<Pieces<'_>> = cookies.iter().filter_map(|c| pieces(c)).collect();
    let n = cookies.len();

    let mut group = c.benchmark_group("flask_parts");
    elements(&mut group, n);
    group.sample_size(30);
    group.bench_function("decode_only", |b| {
        b.iter(|| {
            cookies
                .iter()
                .filter(|c| format.decode(black_box(c), params).is_ok())
                .count()
        });
    });
    group.bench_function("verify_only", |b| {
        b.iter(|| {
            decoded
                .iter()
                .filter(|d| verifier.verify(black_box(d), opts).verdict == Verdict::Valid)
                .count()
        });
    });
    // What verification costs when the keys are derived per cookie (as itsdangerous does):
    // the reason the verifier above is built once.
    group.bench_function("verify_with_verifier_per_cookie", |b| {
        b.iter(|| {
            decoded
                .iter()
                .filter(|d| {
                    let v = format
                        .verifier(&set.keys, params)
                        .expect("default parameters are valid");
                    v.verify(black_box(d), opts).verdict == Verdict::Valid
                })
                .count()
        });
    });
    // Primitives, each over the whole set so the per-cookie figures add up.
    group.bench_function("b64decode_payload", |b| {
        b.iter(|| {
            pieces
                .iter()
                .map(|p| {
                    itsdangerous_b64decode(black_box(p.payload_b64.as_bytes()))
                        .map_or(0, |v| v.len())
                })
                .sum::<usize>()
        });
    });
    group.bench_function("b64reencode_payload", |b| {
        b.iter(|| {
            pieces
                .iter()
                .map(|p| signet::core::encoding::b64url_nopad(black_box(&p.payload_raw)).len())
                .sum::<usize>()
        });
    });
    group.bench_function("zlib_inflate", |b| {
        b.iter(|| {
            pieces
                .iter()
                .filter(|p| p.compressed)
                .map(|p| {
                    zlib_decompress(black_box(&p.payload_raw), MAX_DECOMPRESSED)
                        .map_or(0, |v| v.len())
                })
                .sum::<usize>()
        });
    });
    group.bench_function("json_parse", |b| {
        b.iter(|| {
            pieces
                .iter()
                .filter(|p| pyjson::parse(black_box(&p.json)).is_ok())
                .count()
        });
    });
    // The floor for JSON: syntax checked, nothing built.
    group.bench_function("json_validate_only", |b| {
        b.iter(|| {
            pieces
                .iter()
                .filter(|p| {
                    serde_json::from_str::<serde::de::IgnoredAny>(black_box(&p.json)).is_ok()
                })
                .count()
        });
    });
    group.bench_function("flask_untag", |b| {
        b.iter(|| {
            pieces
                .iter()
                .filter(|p| flask_tag::untag(black_box(&p.value)).is_ok())
                .count()
        });
    });
    let primary = set.keys.first().expect("at least one key");
    let derived = KeyDerivation::Hmac.derive(Digest::Sha1, b"cookie-session", primary.expose());
    let mac = KeyedMac::new(Digest::Sha1, &derived);
    group.bench_function("hmac_sha1_one_key", |b| {
        b.iter(|| {
            pieces
                .iter()
                .filter(|p| mac.verify(&[black_box(p.signed.as_bytes())], &p.signature))
                .count()
        });
    });
    group.finish();
}

fn main() {
    let set = match std::env::var("SIGNET_BENCH_COOKIES") {
        Ok(path) if !path.is_empty() => from_file(&path),
        _ => generated(),
    };
    let params = FormatParams::default();
    let verifier = set
        .format
        .verifier(&set.keys, &params)
        .expect("default parameters are valid");
    let t = tally(&set, &params, verifier.as_ref());
    let threads = thread::available_parallelism().map_or(1, usize::from);
    let compressed = set.cookies.iter().filter(|c| c.starts_with('.')).count();
    let mean_len = set.cookies.iter().map(String::len).sum::<usize>() / set.cookies.len();
    println!(
        "signet-bench: source={} format={} keys={} threads={threads} cookies={} compressed={compressed} mean_len={mean_len} valid={} expired={} bad_signature={} malformed={} other={} by_key={:?} expect={}",
        set.source,
        set.format.id(),
        set.keys.len(),
        set.cookies.len(),
        t.valid,
        t.expired,
        t.bad_signature,
        t.malformed,
        t.other,
        t.by_key,
        set.expect
            .as_ref()
            .map_or_else(|| "none".to_string(), Value::to_string),
    );

    let mut c = Criterion::default().configure_from_args();
    bench_bulk(&mut c, &set, &params, threads);
    bench_parts(&mut c, &set, &params);
    c.final_summary();
}
