//! Ruby Marshal (old Rails cookies), read by the bounded read-only parser: depth and size limits,
//! cyclic links.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::core::formats::marshal;

fuzz_target!(|data: &[u8]| {
    common::timed(|| {
        let _ = marshal::is_marshal(data);
        if let Ok(value) = marshal::load(data) {
            // The shown value serialises (no cycle survives into it).
            serde_json::to_string(&value).expect("a Marshal value as JSON");
        }
    });
});
