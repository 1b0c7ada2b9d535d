//! The paste parser: every form (bare, name=value, Cookie/Set-Cookie headers, devtools rows, curl,
//! raw HTTP, HAR, cookies.txt) from arbitrary bytes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::core::input;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let candidates = common::timed(|| input::parse(&text));
    assert!(candidates.len() <= input::MAX_CANDIDATES);
    for c in &candidates {
        // Every value and source is a slice of, or derived from, the input: never larger than
        // the input by more than the unquoting/joining can add.
        assert!(
            c.value.len() <= text.len() * 4 + 16,
            "value larger than the paste"
        );
        if let Some(source) = &c.source {
            assert!(source.len() <= input::MAX_SOURCE + 4, "source not cut");
        }
    }
});
