//! Wordlist reading in the audit job: any bytes (BOM, CRLF, NUL, invalid UTF-8, over-long lines,
//! lines across the 256 KiB block boundary) become candidates exactly once each. The property:
//! with a key that is not in the list, the audit tries the built-in list plus every line of the
//! file (split on `\n`, a trailing `\r` dropped, a leading BOM dropped, lines over 64 KiB
//! skipped), and a key that is found is one of them.
#![no_main]

mod common;

use std::io::Write as _;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use signet::core::audit::{BUILTIN, Target};
use signet::core::{FormatParams, Secret, format_by_id};
use signet::jobs::audit::{MAX_LINE, Options, Progress, run};

const NOW: i64 = 1_767_225_600;

fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let flask = format_by_id("flask").expect("flask");
        let cookie = flask
            .sign(
                &serde_json::json!({"user": "fuzz"}),
                &Secret::from_text("signet-fuzz: a key that is on no list"),
                &FormatParams::default(),
                NOW,
            )
            .expect("a Flask cookie");
        Target::new(&cookie, Some("flask"), FormatParams::default(), NOW).expect("target")
    })
}

/// The candidates the file holds, by the documented rules (written independently of the job).
fn expected_lines(file: &[u8]) -> Vec<&[u8]> {
    let body = file.strip_prefix(b"\xef\xbb\xbf").unwrap_or(file);
    let mut lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| l.len() <= MAX_LINE)
        .collect()
}

fuzz_target!(|data: &[u8]| {
    // A first byte 0xff repeats the rest up to 320 KiB, so lines cross the 256 KiB block boundary
    // and can exceed the 64 KiB line limit. Such a list legitimately takes longer than the 100 ms
    // unit budget (it can hold 300,000 candidates), so only the other units are timed.
    let (file, expanded): (Vec<u8>, bool) = match data.split_first() {
        Some((0xff, rest)) if !rest.is_empty() => (
            rest.iter().copied().cycle().take(320 * 1024).collect(),
            true,
        ),
        _ => (data.to_vec(), false),
    };
    let path = std::env::temp_dir().join(format!("signet-fuzz-wordlist-{}", std::process::id()));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(&file))
        .expect("write the wordlist");
    let opts = Options {
        wordlists: vec![path.clone()],
        threads: 1 + data.len() % 2,
        mutate: false,
    };
    let progress = Progress::default();
    let audit = || run(target(), &opts, &progress, |_| {});
    let outcome = if expanded {
        audit()
    } else {
        common::timed(audit)
    }
    .expect("audit");
    let lines = expected_lines(&file);
    match &outcome.found {
        Some(key) => assert!(
            lines.iter().any(|l| *l == &key[..]) || BUILTIN.contains(&&key[..]),
            "found a key that is no candidate"
        ),
        None => assert_eq!(
            outcome.tried,
            (BUILTIN.len() + lines.len()) as u64,
            "every line is tried exactly once"
        ),
    }
    assert!(!outcome.cancelled);
});
