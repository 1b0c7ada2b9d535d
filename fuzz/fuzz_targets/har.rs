//! The HAR reader (streamed JSON, request/response cookies and headers) from arbitrary bytes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::core::input;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let limit = 64;
    let cookies = common::timed(|| input::har_cookies(&text, limit));
    assert!(cookies.len() <= limit);
});
