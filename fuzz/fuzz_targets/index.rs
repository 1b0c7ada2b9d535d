//! The key store's on-disk index (names, fingerprints, roles, sets; never secrets).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use signet::keys::index::Index;

fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    common::timed(|| {
        if let Ok(index) = Index::parse(&text) {
            for set in &index.sets {
                let _ = index.set(&set.name);
            }
            for key in &index.keys {
                let _ = index.key(&key.name);
                let _ = index.sets_of(&key.id);
            }
            // What Signet writes back reads back the same.
            let written = serde_json::to_string(&index).expect("an index serialises");
            assert_eq!(Index::parse(&written).ok().as_ref(), Some(&index));
        }
    });
});
