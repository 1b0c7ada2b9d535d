//! The window's frame budget: what one paste costs the UI thread. `SignetApp::reinspect` is what
//! a change of the pasted text runs (detect, decode, try every stored key, then re-sign and verify
//! the editor's cookie); a 4 KB cookie against 50 stored keys must fit in one frame (16.7 ms at
//! 60 Hz). Worst cases: the key that signed it is the last one tried, or no key matches at all.
//!
//! Both a first paste (every key derived) and an edit of it (keys already prepared, as the
//! window keeps them in its `VerifierCache`) are measured.
//!
//! `cargo bench --bench window`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use signet::core::{FormatParams, Secret, format_by_id};
use signet::gui::app::{Prefs, SignetApp};
use signet::keys::{KeyStore, Style};

const NOW: i64 = 1_767_225_600;
const KEYS: usize = 50;

fn secret(i: usize) -> String {
    format!("stored-key-{i:02}-{}", "x".repeat(40))
}

/// A cookie of at least `size` bytes: the payload grows until the signed cookie is that long.
fn cookie(format: &str, key: &str, size: usize) -> String {
    let f = format_by_id(format).expect("format");
    let mut filler = 64;
    loop {
        // Hex of a simple LCG: compresses about as badly as real session data.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let blob: String = (0..filler)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                char::from(b"0123456789abcdef"[(x >> 60) as usize])
            })
            .collect();
        let payload = json!({"user": "ada", "cart": blob, "csrf": "f00dfeed"});
        // Rails binds a cookie to its name: paste it as `name=value`, as devtools copies it.
        let name = (format == "rails-encrypted").then(|| "_shop_session".to_string());
        let params = FormatParams {
            cookie_name: name.clone(),
            ..FormatParams::default()
        };
        let value = f
            .sign(&payload, &Secret::from_text(key), &params, NOW - 60)
            .expect("signs");
        let c = match name {
            Some(name) => format!("{name}={value}"),
            None => value,
        };
        if c.len() >= size {
            return c;
        }
        filler += 64;
    }
}

fn app(style: Style) -> SignetApp {
    let store = KeyStore::memory();
    for i in 0..KEYS {
        store
            .add(
                &format!("key-{i:02}"),
                &Secret::from_text(&secret(i)),
                style,
                "",
                NOW,
            )
            .expect("stored");
    }
    let mut app = SignetApp::new(Prefs::default(), store, false);
    app.clock = || NOW;
    app.reload_keys();
    assert_eq!(app.loaded.len(), KEYS);
    app
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("window/paste-4k-50-keys");
    for (format, style) in [
        ("flask", Style::Flask),
        ("django-session", Style::Django),
        ("jwt", Style::Jwt),
        ("rails-encrypted", Style::Rails),
    ] {
        let mut app = app(style);
        let last = cookie(format, &secret(KEYS - 1), 4096);
        let unknown = cookie(format, "a key nobody stored", 4096);
        for (case, text) in [("last-key", &last), ("no-key", &unknown)] {
            app.inspect.input = text.clone();
            app.reinspect();
            let verdict = app
                .inspect
                .result
                .as_ref()
                .map(|r| r.verification.verdict.status())
                .unwrap_or("none");
            let expected = if case == "last-key" {
                "valid"
            } else {
                "bad-signature"
            };
            assert_eq!(verdict, expected, "{format} {case}: {} bytes", text.len());
            // A new paste: every stored key is derived for this format.
            group.bench_function(format!("{format}/{case}/first-paste"), |b| {
                b.iter(|| {
                    app.verifiers.clear();
                    app.reinspect();
                    black_box(app.inspect.result.is_some())
                });
            });
            // An edit of the same paste: the keys were derived on the previous frame.
            group.bench_function(format!("{format}/{case}/edit"), |b| {
                b.iter(|| {
                    app.reinspect();
                    black_box(app.inspect.result.is_some())
                });
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
