//! Decode of every format, with and without a cookie name: a clear error or a decoded value,
//! never a panic, in bounded time and memory (zlib/deflate bombs, nested JSON, Marshal).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::core::{FORMATS, shape};

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let (value, params) = common::value_and_name(&text);
    common::timed(|| {
        for format in FORMATS {
            let _ = format.detect(value, &params);
            if let Ok(decoded) = format.decode(value, &params) {
                assert_eq!(decoded.format, format.id());
                for part in &decoded.parts {
                    let _ = decoded.part_text(part);
                }
                let _ = shape(&decoded);
            }
        }
    });
});
