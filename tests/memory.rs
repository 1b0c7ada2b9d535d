//! No copy of a secret outlives its use: a key is typed into the window's import field, imported,
//! revealed, hidden and deleted, and then this process's own memory (every readable mapping, via
//! /proc/self/mem) is scanned for the secret. While the key is revealed the scan must find it (the
//! scanner works); after the cycle it must find nothing. The secret never exists in this test in
//! clear except while it is handed to the window: the scan looks for it through a random mask.

#![cfg(target_os = "linux")]

use std::io::{Read as _, Seek as _};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use signet::gui::app::{Prefs, SignetApp};
use signet::keys::KeyStore;
use zeroize::Zeroizing;

/// The secret, masked: `masked[i] ^ mask[i]` is its byte `i` (neither half is the secret).
struct Needle {
    masked: Vec<u8>,
    mask: Vec<u8>,
}

impl Needle {
    fn new() -> (Self, Zeroizing<String>) {
        let mut raw = [0u8; 24];
        getrandom::fill(&mut raw).expect("random");
        let mut mask = vec![0u8; 48];
        getrandom::fill(&mut mask).expect("random");
        // 48 hex digits: what a user would paste as a key.
        let secret = Zeroizing::new(raw.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let masked = secret.bytes().zip(&mask).map(|(s, m)| s ^ m).collect();
        (Self { masked, mask }, secret)
    }

    fn at(&self, hay: &[u8], i: usize) -> bool {
        hay.len() >= i + self.masked.len()
            && self
                .masked
                .iter()
                .zip(&self.mask)
                .enumerate()
                .all(|(j, (m, k))| hay[i + j] ^ k == *m)
    }
}

/// Copies of the secret in this process's readable memory.
fn copies(needle: &Needle) -> usize {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
    let mut mem = std::fs::File::open("/proc/self/mem").expect("mem");
    let mut buf = vec![0u8; 1 << 20];
    let overlap = needle.masked.len();
    let first = needle.masked[0] ^ needle.mask[0];
    let mut found = 0;
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        let path = fields.nth(3).unwrap_or("");
        // Readable, private or anonymous memory; not the mapped files of programs and libraries
        // (their bytes are code and constants) and not the kernel's pseudo-mappings.
        if !perms.starts_with('r')
            || path.starts_with('/')
            || path == "[vvar]"
            || path == "[vsyscall]"
        {
            continue;
        }
        let Some((a, b)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(a, 16), u64::from_str_radix(b, 16)) else {
            continue;
        };
        let mut at = start;
        while at < end {
            let len = ((end - at) as usize).min(buf.len());
            if mem.seek(std::io::SeekFrom::Start(at)).is_err() {
                break;
            }
            let Ok(n) = mem.read(&mut buf[..len]) else {
                break;
            };
            if n == 0 {
                break;
            }
            let hay = &buf[..n];
            let mut i = 0;
            while let Some(p) = memchr::memchr(first, &hay[i..]) {
                if needle.at(hay, i + p) {
                    found += 1;
                }
                i += p + 1;
            }
            // Step back a little so a copy across the chunk boundary is seen too.
            at += n.saturating_sub(overlap).max(1) as u64;
        }
    }
    // The scan buffer holds the last chunk read: wipe it so a later scan does not see it.
    buf.iter_mut().for_each(|b| *b = 0);
    found
}

#[test]
fn a_revealed_and_forgotten_key_leaves_no_copy_in_memory() {
    let (needle, secret) = Needle::new();
    // Exactly one copy so far: the test's own (the scanner sees it; nothing else made one).
    assert_eq!(
        copies(&needle),
        1,
        "the scanner must see exactly the test's own copy"
    );

    let app = SignetApp::new(Prefs::default(), KeyStore::memory(), false);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut SignetApp| app.show(ui), app);
    h.get_by_role_and_label(Role::Button, "Keys").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Imported key name")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Imported key name")
        .type_text("mem-key");
    h.run();
    // Typed into the masked field, as a user would paste it.
    h.get_by_role_and_label(Role::PasswordInput, "Key or .env / settings text")
        .click();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, "Key or .env / settings text")
        .type_text(&secret);
    drop(secret);
    h.run();
    h.get_by_label("Import key").click();
    h.run();
    assert!(h.state().keys.iter().any(|k| k.name == "mem-key"));

    // Revealed: the scanner must see it (the store, the revealed copy, the label on screen).
    h.get_by_label("Reveal").click();
    h.run();
    let while_revealed = copies(&needle);
    assert!(
        while_revealed > 0,
        "the scanner did not find the revealed secret: it would find nothing either way"
    );

    // Hidden, deleted, a few frames for egui's caches to move on: nothing may remain.
    h.get_by_label("Hide").click();
    h.run();
    h.get_by_label("Delete").click();
    h.run();
    h.get_by_label("Delete key").click();
    h.run();
    assert!(h.state().keys.is_empty());
    for _ in 0..5 {
        h.run();
    }
    let after = copies(&needle);
    eprintln!(
        "memory scan: {while_revealed} copies of the secret while revealed, {after} after hide + delete"
    );
    assert_eq!(after, 0, "copies of the secret outlived the cycle");
}
