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
//! * `sha1/compress_lanes/<backend>`: 16 independent compressions on each multi-buffer backend
//!   this CPU has (`src/core/sha1x2.rs`); per compression, the time divided by 16 (criterion's
//!   throughput figure, in elements/s, counts compressions).
//! * `audit/flask_batch_miss`: 16 wrong candidates at once (`Target::try_batch`), the way the audit's
//!   workers try them: the elements/s figure is candidates/s on one core.
//! * `audit/flask_search/<backend>`: the same on each backend's multi-buffer SHA-1 alone.
//! * `audit/flask_candidate_verifier`: the same through a verifier built per candidate, the path
//!   formats without a prepared key check take.
//!
//! `benches/compare_audit.py` runs this bench and flask-unsign in one go and prints the figures.

use std::hint::black_box;

use base64::Engine as _;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use signet::core::audit::Target;
use signet::core::sha1x2::{Backend, Derivation, LANES, Sha1Lanes, Sha1Search};
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
    g.throughput(Throughput::Elements(LANES as u64));
    let blocks: [[u8; 64]; LANES] = std::array::from_fn(|i| [i as u8; 64]);
    let mut states = [state; LANES];
    for backend in Backend::ALL.into_iter().filter(|b| b.is_available()) {
        g.bench_function(format!("compress_lanes/{}", backend.name()), |b| {
            b.iter(|| backend.compress(black_box(&mut states), black_box(&blocks)))
        });
    }
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
    let misses: Vec<Vec<u8>> = (0..LANES)
        .map(|i| format!("not-the-key-{i:04}").into_bytes())
        .collect();
    let batch: Vec<&[u8]> = misses.iter().map(Vec::as_slice).collect();
    g.throughput(Throughput::Elements(LANES as u64));
    g.bench_function("flask_batch_miss", |b| {
        b.iter(|| target.try_batch(black_box(&batch)))
    });
    let (signed, tag) = cookie
        .rsplit_once('.')
        .expect("payload.timestamp.signature");
    let signature: [u8; 20] = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(tag)
        .expect("base64")
        .try_into()
        .expect("a SHA-1 tag");
    let mut lanes = Sha1Lanes::default();
    for backend in Backend::ALL.into_iter().filter(|b| b.is_available()) {
        let search = Sha1Search::new(
            Derivation::Hmac {
                salt: b"cookie-session",
            },
            signed.as_bytes(),
            &signature,
        )
        .with_backend(backend)
        .expect("available");
        assert_eq!(search.check(&[b"the-real-key"], &mut lanes), 1);
        g.bench_function(format!("flask_search/{}", backend.name()), |b| {
            b.iter(|| search.check(black_box(&batch), &mut lanes))
        });
    }
    g.throughput(Throughput::Elements(1));
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
