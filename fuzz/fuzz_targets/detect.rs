//! Detection: every (candidate, format) pair of a paste, ranked.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::core::{FormatParams, detect, input};

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    common::timed(|| {
        let candidates = input::parse(&text);
        let ranked = detect(&candidates, &FormatParams::default());
        for r in &ranked {
            assert!(r.candidate < candidates.len());
            assert!(
                (1..=100).contains(&r.score),
                "score {} out of range",
                r.score
            );
        }
    });
});
