//! `signet rotate`: classify a batch of cookies under the current and a proposed key set.
//! Files are streamed in chunks classified on every core, so a million cookies never sit in
//! memory as one string.

use std::io::{self, BufRead, BufReader, Read as _, Write as _};

use anyhow::Context as _;
use serde_json::json;

use super::args::RotateArgs;
use super::{KeyList, Outcome, UsageError, now_unix, params, parse_max_age};
use crate::core::VerifyOptions;
use crate::core::input;
use crate::core::rotate::{Classified, Report, Rotation};
use crate::core::time;

/// Lines classified per chunk (split across the worker threads).
const CHUNK: usize = 32 * 1024;
/// Largest HAR file read (it is parsed whole).
const MAX_HAR: u64 = 512 * 1024 * 1024;

pub(super) fn run(args: &RotateArgs, from: &KeyList, to: &KeyList) -> anyhow::Result<Outcome> {
    let params = params(&args.params)?;
    let opts = VerifyOptions {
        now: args.now.unwrap_or_else(now_unix),
        max_age: parse_max_age(args.max_age.as_deref())?,
        leeway_secs: args.leeway,
    };
    let rotation = Rotation::new(&args.format, &from.secrets, &to.secrets, params, opts)
        .map_err(|e| UsageError(e.0))?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 256);
    let mut reader: Box<dyn BufRead> = match args.file.as_deref() {
        None | Some("-") => Box::new(BufReader::new(io::stdin().lock())),
        Some(path) => Box::new(BufReader::new(
            std::fs::File::open(path)
                .map_err(|e| UsageError(format!("cannot read {path}: {e}")))?,
        )),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut report = Report::new();
    let max_age = rotation.max_age_secs();
    let emit = |line_no: usize,
                c: &Classified,
                report: &mut Report,
                out: &mut dyn io::Write|
     -> io::Result<()> {
        report.add(c, max_age);
        if args.json {
            let mut v = json!({"line": line_no, "outcome": c.outcome.label(), "now": c.now});
            v["signed_at"] = json!(c.signed_at);
            v["key_now"] = json!(c.key_now);
            v["key_next"] = json!(c.key_next);
            if let Some(e) = &c.error {
                v["error"] = json!(e);
            }
            writeln!(out, "{v}")
        } else {
            let when = c
                .signed_at
                .map(|t| format!(", signed {}", time::format_utc(t)))
                .unwrap_or_default();
            writeln!(
                out,
                "line {line_no}: {} (now {}{when})",
                c.outcome.label(),
                c.now
            )
        }
    };

    // A HAR file is one JSON document: every cookie in it is a "line".
    let head = reader.fill_buf().context("reading the cookies")?;
    let looks_har = head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if looks_har {
        let mut text = String::new();
        reader
            .take(MAX_HAR)
            .read_to_string(&mut text)
            .context("reading the HAR file")?;
        let lines: Vec<String> = input::parse(&text)
            .into_iter()
            .map(|c| match c.name {
                Some(name) => format!("{name}={}", c.value),
                None => c.value,
            })
            .collect();
        let classified = classify_chunk(&rotation, &lines, threads);
        for (i, c) in classified.iter().enumerate() {
            emit(i + 1, c, &mut report, &mut out)?;
        }
    } else {
        let mut line_no = 0;
        loop {
            let mut lines = Vec::with_capacity(CHUNK);
            let mut numbers = Vec::with_capacity(CHUNK);
            let mut buf = Vec::new();
            while lines.len() < CHUNK {
                buf.clear();
                let n = (&mut reader)
                    .take(input::MAX_INPUT as u64)
                    .read_until(b'\n', &mut buf)?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                let text = String::from_utf8_lossy(&buf);
                let text = text.trim();
                if text.is_empty() || (text.starts_with('#') && !text.starts_with("#HttpOnly_")) {
                    continue;
                }
                lines.push(text.to_string());
                numbers.push(line_no);
            }
            if lines.is_empty() {
                break;
            }
            let classified = classify_chunk(&rotation, &lines, threads);
            for (c, n) in classified.iter().zip(&numbers) {
                emit(*n, c, &mut report, &mut out)?;
            }
        }
    }
    out.flush()?;
    drop(out);

    let current_names = names(from, "current");
    let proposed_names = names(to, "proposed");
    report.conclude(&rotation, &current_names, &proposed_names);
    let mut summary: Box<dyn io::Write> = if args.json {
        Box::new(io::stderr().lock())
    } else {
        Box::new(io::stdout().lock())
    };
    writeln!(
        summary,
        "{} cookies classified ({} under the proposed set of {} key{}):",
        report.total,
        rotation.format().id(),
        rotation.proposed_len(),
        if rotation.proposed_len() == 1 {
            ""
        } else {
            "s"
        }
    )?;
    for (outcome, n) in &report.counts {
        writeln!(summary, "  {:<18} {n}", outcome.label())?;
    }
    for f in &report.findings {
        writeln!(summary, "{f}")?;
    }
    Ok(Outcome::Success)
}

fn names(list: &KeyList, what: &str) -> Vec<String> {
    list.names
        .iter()
        .enumerate()
        .map(|(i, n)| n.clone().unwrap_or_else(|| format!("{what} key #{i}")))
        .collect()
}

/// Classifies `lines` on up to `threads` threads, keeping their order.
fn classify_chunk(rotation: &Rotation, lines: &[String], threads: usize) -> Vec<Classified> {
    if threads <= 1 || lines.len() < 256 {
        return lines.iter().map(|l| rotation.classify(l)).collect();
    }
    let per = lines.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(per)
            .map(|part| {
                let handle = scope.spawn(move || {
                    part.iter()
                        .map(|l| rotation.classify(l))
                        .collect::<Vec<_>>()
                });
                (part.len(), handle)
            })
            .collect();
        let mut all = Vec::with_capacity(lines.len());
        for (len, handle) in handles {
            match handle.join() {
                Ok(part) => all.extend(part),
                // Classification never panics; should a bug make it, the rows stay aligned.
                Err(_) => all.extend((0..len).map(|_| Classified {
                    outcome: crate::core::rotate::Outcome::Malformed,
                    now: "malformed",
                    signed_at: None,
                    key_now: None,
                    key_next: None,
                    cookie_name: None,
                    error: Some("internal error while classifying".into()),
                })),
            }
        }
        all
    })
}
