//! Rotation classification: the quick path (one reading of the cookie on the stack, each shared
//! key hashed once, the payload checked without building it) against the full path (decode, then
//! each key set's verifier), which must agree on every line, for each itsdangerous format; and a
//! batch of the input's lines (`classify_many`, SHA-1 cookies signed side by side) against each
//! line on its own.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signet::core::rotate::Rotation;
use signet::core::{FormatParams, Secret, VerifyOptions};

const NOW: i64 = 1_767_225_600;

/// Formats with a quick path, each with current keys (the fixtures' Flask and itsdangerous keys)
/// and a proposal that shares one of them.
fn rotations() -> &'static [Rotation] {
    static ROTATIONS: OnceLock<Vec<Rotation>> = OnceLock::new();
    ROTATIONS.get_or_init(|| {
        let key = Secret::from_text;
        let current = [key("flask-dev-secret-🔑-key"), key("itsdangerous-secret")];
        let proposed = [
            key("new-key-2026"),
            key("flask-dev-secret-🔑-key"),
            key("starlette-secret-key"),
        ];
        [
            "flask",
            "starlette",
            "itsdangerous-timed",
            "itsdangerous-urlsafe",
            "itsdangerous-serializer",
            "itsdangerous-timestamp-signer",
            "itsdangerous-signer",
        ]
        .into_iter()
        .map(|f| {
            Rotation::new(
                f,
                &current,
                &proposed,
                FormatParams::default(),
                VerifyOptions::at(NOW),
            )
            .expect("a rotation")
        })
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    for rotation in rotations() {
        let quick = common::timed(|| rotation.classify(&text));
        let full = rotation.classify_full(&text);
        assert_eq!(
            quick,
            full,
            "{}: quick and full paths disagree",
            rotation.format().id()
        );
        let lines: Vec<&str> = text.lines().collect();
        let one_by_one: Vec<_> = lines.iter().map(|l| rotation.classify(l)).collect();
        assert_eq!(
            rotation.classify_many(&lines),
            one_by_one,
            "{}: a batch and its lines one by one disagree",
            rotation.format().id()
        );
    }
});
