//! The audit's inner loop against the hardware's limit.
//!
//! * `sha1/compress_block`: one SHA-1 compression (64-byte block) with the `sha1` crate's fastest
//!   backend on this CPU (SHA extensions when present). Its inverse is the machine's SHA-1 limit
//!   per core.
//! * `audit/flask_candidate_miss`: one wrong candidate tried against a Flask session cookie the
//!   way `signet audit` does (`Target::try_key`). A Flask candidate costs 8 compressions at the
//!   least (HMAC key derivation: 2 pad blocks, 1 salt block, 1 outer block; the signature HMAC: 2
//!   pad blocks, 1 block of a short cookie, 1 outer block), so 8 × `compress_block` / this figure is
//!   the fraction of the limit reached on one core.
//! * `audit/flask_candidate_verifier`: the same through a verifier built per candidate, the path
//!   formats without a prepared key check take.
//!
//! `benches/compare_audit.py` runs this bench and flask-unsign in one go and prints the figures.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use signet::core::audit::Target;
use signet::core::{FormatParams, Secret, VerifyOptions, format_by_id};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sha1");
    let mut state = [
        0x6745_2301u32,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let block = [[0x5au8; 64]];
    g.bench_function("compress_block", |b| {
        b.iter(|| sha1::block_api::compress(black_box(&mut state), black_box(&block)))
    });
    g.finish();

    let flask = format_by_id("flask").expect("flask");
    let key = Secret::from_text("the-real-key");
    let cookie = flask
        .sign(
            &json!({"user_id": 42, "role": "admin"}),
            &key,
            &FormatParams::default(),
            1_767_225_600,
        )
        .expect("signs");
    let target = Target::new(
        &cookie,
        Some("flask"),
        FormatParams::default(),
        1_767_225_600,
    )
    .expect("target");
    assert!(target.is_fast(), "flask has a prepared key check");
    assert!(target.try_key(b"the-real-key"));
    let mut g = c.benchmark_group("audit");
    g.bench_function("flask_candidate_miss", |b| {
        b.iter(|| target.try_key(black_box(b"not-the-key-0123")))
    });
    let decoded = flask
        .decode(&cookie, &FormatParams::default())
        .expect("decodes");
    let opts = VerifyOptions {
        now: 1_767_225_600,
        max_age: signet::core::MaxAge::Unlimited,
        leeway_secs: 0,
    };
    g.bench_function("flask_candidate_verifier", |b| {
        b.iter(|| {
            let keys = [Secret::from_bytes(black_box(b"not-the-key-0123").to_vec())];
            flask
                .verifier(&keys, &FormatParams::default())
                .expect("verifier")
                .verify(&decoded, &opts)
                .key_index
                .is_some()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
