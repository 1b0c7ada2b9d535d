//! The lenient base64 readers each framework has: CPython's a2b_base64, itsdangerous' urlsafe
//! variant, Node's Buffer.from(…, 'base64'), PHP's base64_decode (strict and not).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::core::encoding;
use signet::core::formats::laravel;

fuzz_target!(|data: &[u8]| {
    common::timed(|| {
        let _ = encoding::py_a2b_base64(data);
        let _ = encoding::node_b64decode(data);
        let _ = laravel::php_base64_decode(data, false);
        if let Some(strict) = laravel::php_base64_decode(data, true) {
            assert_eq!(
                laravel::php_base64_decode(data, false).as_deref(),
                Some(&strict[..]),
                "strict and lenient PHP decoding disagree on valid input"
            );
        }
        if let Ok(bytes) = encoding::itsdangerous_b64decode(data) {
            // Canonical re-encoding reads back to the same bytes.
            let canonical = encoding::b64url_nopad(&bytes);
            assert_eq!(
                encoding::itsdangerous_b64decode(canonical.as_bytes())
                    .ok()
                    .as_deref(),
                Some(&bytes[..])
            );
        }
        // Our encoding of the raw input decodes back to it.
        let encoded = encoding::b64url_nopad(data);
        assert_eq!(
            encoding::itsdangerous_b64decode(encoded.as_bytes())
                .ok()
                .as_deref(),
            Some(data)
        );
    });
});
