//! The payload JSON readers: Python-compatible JSON (NaN, Infinity, lone surrogates, big ints),
//! Flask's tagged JSON, and the writer that re-signs them (Python's `json.dumps` spelling).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::core::{flask_tag, pyjson};

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    common::timed(|| {
        let Ok((value, _python_only)) = pyjson::parse_python(&text) else {
            return;
        };
        let _ = flask_tag::check(&value);
        if let Ok(tagged) = flask_tag::untag(&value) {
            let _ = tagged.type_name();
            let _ = tagged.python_repr();
            let _ = tagged.to_tagged();
        }
        for style in [
            pyjson::JsonStyle::FLASK,
            pyjson::JsonStyle::ITSDANGEROUS_COMPACT,
        ] {
            let Ok(written) = pyjson::to_string(&value, style) else {
                continue;
            };
            // What we write is JSON we read back, and writing it again changes nothing.
            let (again, _) = pyjson::parse_python(&written)
                .unwrap_or_else(|e| panic!("our own JSON {written:?} does not parse: {e}"));
            let rewritten = pyjson::to_string(&again, style)
                .unwrap_or_else(|e| panic!("our own JSON {written:?} does not write: {e:?}"));
            assert_eq!(written, rewritten, "writing is not stable");
        }
    });
});
