//! The rotation preview (`signet rotate`, the Rotate tab) on Flask session cookies: a key set in
//! force (`current-2025` primary, `current-2024` fallback) against a proposed one (`new-2026`
//! primary, `current-2025` demoted to a fallback), the case issue #7's speed target is about.
//!
//! Benchmarks (throughput in cookies; criterion's elements/s is cookies/s):
//!
//! * `rotate/classify_1core`: `Rotation::classify` on every cookie of the set, one thread: the
//!   quick path (the cookie read once, each distinct key tried once, the payload checked rather
//!   than built, and only when a key verifies it in time), with the full path for what it
//!   cannot settle.
//! * `rotate/classify_many_1core`: `Rotation::classify_many` on chunks of the job's size, one
//!   thread: the quick path for a whole chunk at once, SHA-1 cookies signed side by side (16 at a
//!   time with AVX-512). What the job runs.
//! * `rotate/file_1core` (only when `SIGNET_ROTATE_FILE` names a file of cookies, as
//!   `benches/compare_rotate.py` does): `classify_many` over that file's lines, held in memory;
//!   `rotate/file_inflate_1core`: inflating the zlib payloads of its compressed cookies alone
//!   (throughput in payloads).
//! * `rotate/classify_full_1core`: `Rotation::classify_full`, the full path for every cookie
//!   (decode, build the payload, verify under each set): what the quick path saves.
//! * `rotate_job/<threads>t`: the streaming job (`jobs::rotate::run`) over 100,000 lines held in
//!   memory, with a sink that adds every row to a `Report` as the command line and the window do:
//!   reading, classifying on that many worker threads and delivering in order. On one thread and
//!   on every core.
//!
//! The cookies are signed by Signet's own `sign`, deterministically: 40% by the key in force
//! (kept as the proposed fallback), 15% by the current fallback (dropped by the proposal), 15% by
//! the new key, 10% by a key neither set has, 10% with an altered signature and 10% malformed
//! (cut short, or not a cookie at all); signed 0 to 40 days before "now", so that about a fifth
//! are past Flask's 31-day max age. Payloads are `benches/verify.rs`'s realistic mix
//! (`common::payload`): Flask-Login sessions (compressible hex, written compressed), small
//! preference dicts, tagged values (flashed messages, bytes, a UUID, a datetime) and large
//! compressed carts.
//!
//! Before measuring, the bench prints one line with the outcome counts
//! (`signet-bench-rotate: ...`) and checks that the quick and the full path agree on every
//! cookie, and so do single and batched classification. Nothing here asserts on timings.

mod common;

use std::hint::black_box;
use std::io;

use common::{Rng, payload};
use criterion::{Criterion, Throughput};
use signet::core::rotate::{Report, Rotation};
use signet::core::{FormatParams, Secret, VerifyOptions, format_by_id};
use signet::jobs::rotate::{CHUNK, Options, Progress, run};

/// Cookies classified one by one.
const COOKIES: usize = 20_000;
/// Lines streamed through the job.
const JOB_LINES: usize = 100_000;
/// "Now" (2026-01-01T00:00:00Z).
const NOW: i64 = 1_767_225_600;
const CURRENT: [&str; 2] = ["bench-current-2025-9c1e", "bench-current-2024-77a0"];
const PROPOSED: [&str; 2] = ["bench-new-2026-3b5d", "bench-current-2025-9c1e"];
/// A key neither set holds.
const UNKNOWN: &str = "bench-revoked-2023-0000";

/// `n` cookie lines, deterministically.
fn cookies(n: usize, seed: u64) -> Vec<String> {
    let flask = format_by_id("flask").expect("the flask format exists");
    let params = FormatParams::default();
    let key = |k: &str| Secret::from_text(k);
    let signers = [
        key(CURRENT[0]),
        key(CURRENT[1]),
        key(PROPOSED[0]),
        key(UNKNOWN),
    ];
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let signed_at = NOW - rng.below(40 * 86_400) as i64;
            let category = rng.below(100);
            let signer = match category {
                0..=39 | 80..=89 => &signers[0],
                40..=54 => &signers[1],
                55..=69 => &signers[2],
                _ => &signers[3],
            };
            let mut cookie = flask
                .sign(&payload(&mut rng), signer, &params, signed_at)
                .expect("signet signs the generated payload");
            match category {
                // Altered well inside the signature (its last character only carries padding
                // bits a lenient decoder ignores).
                80..=89 => {
                    let at = cookie.len() - 5;
                    let with = if cookie.as_bytes()[at] == b'A' {
                        "B"
                    } else {
                        "A"
                    };
                    cookie.replace_range(at..=at, with);
                }
                90..=94 => cookie.truncate(cookie.len() / 2),
                95..=99 => cookie = format!("not a cookie {}", rng.hex(12)),
                _ => {}
            }
            cookie
        })
        .collect()
}

/// A Flask rotation at [`NOW`] from the `current` keys to the `proposed` ones.
fn flask_rotation(current: &[&str], proposed: &[&str]) -> Rotation {
    let keys = |list: &[&str]| {
        list.iter()
            .map(|k| Secret::from_text(k))
            .collect::<Vec<_>>()
    };
    Rotation::new(
        "flask",
        &keys(current),
        &keys(proposed),
        FormatParams::default(),
        VerifyOptions::at(NOW),
    )
    .expect("a valid rotation")
}

fn main() {
    let rotation = flask_rotation(&CURRENT, &PROPOSED);
    let set = cookies(COOKIES, 0x7e57_2026_0107_0001);
    let mut report = Report::new();
    let many: Vec<_> = set
        .chunks(CHUNK)
        .flat_map(|chunk| rotation.classify_many(chunk))
        .collect();
    for (cookie, batched) in set.iter().zip(&many) {
        let quick = rotation.classify(cookie);
        assert_eq!(quick, rotation.classify_full(cookie), "{cookie}");
        assert_eq!(&quick, batched, "{cookie}");
        report.add(&quick, rotation.max_age_secs());
    }
    let counts: Vec<String> = report
        .counts
        .iter()
        .map(|(outcome, n)| format!("{}={n}", outcome.label()))
        .collect();
    println!(
        "signet-bench-rotate: cookies={} {}",
        report.total,
        counts.join(" ")
    );

    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("rotate");
    g.throughput(Throughput::Elements(set.len() as u64));
    // One iteration is the whole set (tens of milliseconds): fewer, longer samples.
    g.sample_size(20);
    g.bench_function("classify_1core", |b| {
        b.iter(|| {
            set.iter()
                .filter(|c| rotation.classify(black_box(c)).key_next.is_some())
                .count()
        })
    });
    g.bench_function("classify_many_1core", |b| {
        b.iter(|| {
            set.chunks(CHUNK)
                .flat_map(|chunk| rotation.classify_many(black_box(chunk)))
                .filter(|c| c.key_next.is_some())
                .count()
        })
    });
    g.bench_function("classify_full_1core", |b| {
        b.iter(|| {
            set.iter()
                .filter(|c| rotation.classify_full(black_box(c)).key_next.is_some())
                .count()
        })
    });
    // `benches/compare_rotate.py` sets this: the file its Python loop classifies, for a per-core
    // comparison of classification alone (both sides hold the lines in memory; no reading, no
    // rows written). Its rotation uses the script's keys.
    if let Ok(path) = std::env::var("SIGNET_ROTATE_FILE") {
        let text = std::fs::read_to_string(&path).expect("SIGNET_ROTATE_FILE is readable");
        let lines: Vec<&str> = text.lines().collect();
        // `benches/compare_rotate.py`'s keys.
        let file_rotation = flask_rotation(
            &["rot-2025-primary-9c1e", "rot-2024-fallback-77a0"],
            &["rot-2026-primary-3b5d", "rot-2025-primary-9c1e"],
        );
        g.throughput(Throughput::Elements(lines.len() as u64));
        g.sample_size(10);
        // By chunks, as the job classifies them.
        g.bench_function("file_1core", |b| {
            b.iter(|| {
                lines
                    .chunks(CHUNK)
                    .flat_map(|chunk| file_rotation.classify_many(black_box(chunk)))
                    .filter(|c| c.key_next.is_some())
                    .count()
            })
        });
        // What inflating their payloads costs alone (the zlib streams of the `.`-prefixed
        // cookies, as the quick path checks them): the floor under classification.
        let streams: Vec<Vec<u8>> = lines
            .iter()
            .filter_map(|l| {
                let body = l.strip_prefix('.')?;
                let payload = &body[..body.find('.')?];
                signet::core::encoding::itsdangerous_b64decode(payload.as_bytes()).ok()
            })
            .collect();
        if !streams.is_empty() {
            g.throughput(Throughput::Elements(streams.len() as u64));
            g.bench_function("file_inflate_1core", |b| {
                let mut out = Vec::new();
                b.iter(|| {
                    streams
                        .iter()
                        .filter(|z| {
                            signet::core::encoding::zlib_decompress_into(
                                black_box(z),
                                signet::core::encoding::MAX_DECOMPRESSED,
                                &mut out,
                            )
                            .is_ok()
                        })
                        .count()
                })
            });
        }
    }
    g.finish();

    let text: String = cookies(JOB_LINES, 0x7e57_2026_0107_0002)
        .into_iter()
        .flat_map(|line| [line, "\n".to_string()])
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("rotate_job");
    g.throughput(Throughput::Elements(JOB_LINES as u64));
    g.sample_size(10);
    for threads in if cores > 1 { vec![1, cores] } else { vec![1] } {
        g.bench_function(format!("{threads}t"), |b| {
            b.iter(|| {
                let mut report = Report::new();
                let max_age = rotation.max_age_secs();
                let opts = Options {
                    threads,
                    csv_column: None,
                };
                run(
                    &rotation,
                    io::Cursor::new(black_box(text.as_bytes())),
                    &opts,
                    &Progress::default(),
                    |_, classified| {
                        for c in &classified {
                            report.add(c, max_age);
                        }
                        Ok(())
                    },
                )
                .expect("in memory");
                report.total
            })
        });
    }
    g.finish();
    c.final_summary();
}
