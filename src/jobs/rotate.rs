//! The rotation preview as a job: cookies streamed from any reader (a file of a million lines
//! never sits in memory as one string), classified in chunks on every core, handed to a sink in
//! input order. The command line prints each chunk; the window keeps them for its table.
//!
//! Inputs: one cookie per line (any paste form the inspector takes; `#` comment lines and blank
//! lines skipped, Netscape `#HttpOnly_` lines kept), a HAR file (one JSON document: every cookie
//! of every request and response), or a CSV file with a chosen column.

use std::io::{self, BufRead, Read as _};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::core::input;
use crate::core::rotate::{Classified, Rotation};

/// Lines classified per chunk (split across the worker threads).
pub const CHUNK: usize = 32 * 1024;
/// Largest HAR file read (it is parsed whole).
pub const MAX_HAR: u64 = 512 * 1024 * 1024;

/// Which CSV column holds the cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// By position, 1-based (the file has no header row, or it is skipped as a malformed cookie).
    Index(usize),
    /// By the header row's name (case-insensitive).
    Name(String),
}

impl Column {
    /// `3` is the third column; anything else is a header name.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the CSV column is empty: give a header name or a 1-based number".into());
        }
        match text.parse::<usize>() {
            Ok(0) => Err("CSV columns are numbered from 1".into()),
            Ok(n) => Ok(Column::Index(n)),
            Err(_) => Ok(Column::Name(text.to_string())),
        }
    }
}

/// How to read and run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Read the input as CSV and take this column.
    pub csv_column: Option<Column>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            csv_column: None,
        }
    }
}

/// Counters a running job updates, and its cancel switch.
#[derive(Debug, Default)]
pub struct Progress {
    /// Cookies classified.
    pub done: AtomicU64,
    /// Input bytes consumed.
    pub bytes: AtomicU64,
    /// Set to stop after the chunk in hand.
    pub cancel: AtomicBool,
}

/// One input cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Its line in the input (for a HAR file: its position among the HAR's cookies; for CSV:
    /// the record number, header included).
    pub number: usize,
    /// Byte offset of its line in the input, when the cookie is that whole line (not for HAR
    /// cookies or CSV fields).
    pub offset: Option<u64>,
    /// The text classified.
    pub text: String,
}

/// Streams `reader` through `rotation`, calling `sink` with each classified chunk in input
/// order. Returns whether it was cancelled before the end.
pub fn run(
    rotation: &Rotation,
    mut reader: impl BufRead,
    opts: &Options,
    progress: &Progress,
    mut sink: impl FnMut(Vec<Line>, Vec<Classified>) -> io::Result<()>,
) -> io::Result<bool> {
    let threads = opts.threads.clamp(1, 256);
    let flush =
        |lines: Vec<Line>, sink: &mut dyn FnMut(Vec<Line>, Vec<Classified>) -> io::Result<()>| {
            let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
            let classified = classify_chunk(rotation, &texts, threads);
            progress
                .done
                .fetch_add(lines.len() as u64, Ordering::Relaxed);
            sink(lines, classified)
        };
    let cancelled = || progress.cancel.load(Ordering::Relaxed);

    if let Some(column) = &opts.csv_column {
        return csv_lines(reader, column, progress, |chunk| {
            if cancelled() {
                return Ok(false);
            }
            flush(chunk, &mut sink).map(|()| true)
        });
    }

    // A HAR file is one JSON document: every cookie in it is a "line".
    let head = reader.fill_buf()?;
    if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        let mut text = String::new();
        let n = reader.take(MAX_HAR).read_to_string(&mut text)?;
        progress.bytes.fetch_add(n as u64, Ordering::Relaxed);
        let mut lines: Vec<Line> = input::har_cookies(&text, usize::MAX)
            .into_iter()
            .enumerate()
            .map(|(i, c)| Line {
                number: i + 1,
                offset: None,
                text: match c.name {
                    Some(name) => format!("{name}={}", c.value),
                    None => c.value,
                },
            })
            .collect();
        drop(text);
        while !lines.is_empty() {
            if cancelled() {
                return Ok(true);
            }
            let rest = lines.split_off(lines.len().min(CHUNK));
            flush(std::mem::replace(&mut lines, rest), &mut sink)?;
        }
        return Ok(false);
    }

    let mut number = 0;
    let mut offset = 0u64;
    let mut buf = Vec::new();
    loop {
        if cancelled() {
            return Ok(true);
        }
        let mut lines = Vec::with_capacity(CHUNK.min(4096));
        while lines.len() < CHUNK {
            buf.clear();
            let n = (&mut reader)
                .take(input::MAX_INPUT as u64)
                .read_until(b'\n', &mut buf)?;
            if n == 0 {
                break;
            }
            number += 1;
            let at = offset;
            offset += n as u64;
            progress.bytes.fetch_add(n as u64, Ordering::Relaxed);
            let text = String::from_utf8_lossy(&buf);
            let text = text.trim();
            if text.is_empty() || (text.starts_with('#') && !text.starts_with("#HttpOnly_")) {
                continue;
            }
            lines.push(Line {
                number,
                offset: Some(at),
                text: text.to_string(),
            });
        }
        if lines.is_empty() {
            return Ok(false);
        }
        flush(lines, &mut sink)?;
    }
}

/// Reads CSV records and hands the chosen column's values on in chunks; `each` returns false to
/// stop (cancelled). Returns whether it stopped early.
fn csv_lines(
    reader: impl BufRead,
    column: &Column,
    progress: &Progress,
    mut each: impl FnMut(Vec<Line>) -> io::Result<bool>,
) -> io::Result<bool> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(matches!(column, Column::Name(_)))
        .flexible(true)
        .from_reader(reader);
    let index = match column {
        Column::Index(n) => n - 1,
        Column::Name(name) => {
            let headers = csv.headers().map_err(csv_error)?;
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "the CSV has no column {name:?} (its columns: {})",
                            headers.iter().collect::<Vec<_>>().join(", ")
                        ),
                    )
                })?
        }
    };
    let mut record = csv::ByteRecord::new();
    let mut chunk = Vec::new();
    let mut last_byte = csv.position().byte();
    loop {
        let at = csv.position().clone();
        let more = csv.read_byte_record(&mut record).map_err(csv_error)?;
        if !more {
            break;
        }
        let end = csv.position().byte();
        progress
            .bytes
            .fetch_add(end.saturating_sub(last_byte), Ordering::Relaxed);
        last_byte = end;
        let Some(field) = record.get(index) else {
            continue;
        };
        let text = String::from_utf8_lossy(field).trim().to_string();
        if text.is_empty() {
            continue;
        }
        chunk.push(Line {
            number: usize::try_from(at.line()).unwrap_or(usize::MAX),
            offset: None,
            text,
        });
        if chunk.len() >= CHUNK && !each(std::mem::take(&mut chunk))? {
            return Ok(true);
        }
    }
    if !chunk.is_empty() && !each(chunk)? {
        return Ok(true);
    }
    Ok(false)
}

fn csv_error(e: csv::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("reading the CSV: {e}"))
}

/// Classifies `lines` on up to `threads` threads, keeping their order.
pub fn classify_chunk(rotation: &Rotation, lines: &[&str], threads: usize) -> Vec<Classified> {
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
                Err(_) => all.extend(
                    (0..len).map(|_| Classified::malformed("internal error while classifying")),
                ),
            }
        }
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rotate::Outcome;
    use crate::core::{FormatParams, Secret, VerifyOptions, format_by_id};

    fn flask(key: &str) -> String {
        let f = format_by_id("flask").expect("flask");
        f.sign(
            &serde_json::json!({"user": "a"}),
            &Secret::from_text(key),
            &FormatParams::default(),
            1_700_000_000,
        )
        .expect("sign")
    }

    fn rotation() -> Rotation {
        Rotation::new(
            "flask",
            &[Secret::from_text("old")],
            &[Secret::from_text("new"), Secret::from_text("old")],
            FormatParams::default(),
            VerifyOptions::at(1_700_000_100),
        )
        .expect("rotation")
    }

    fn collect(input: &str, opts: &Options) -> (Vec<Line>, Vec<Classified>) {
        let mut lines = Vec::new();
        let mut classes = Vec::new();
        let cancelled = run(
            &rotation(),
            io::Cursor::new(input.as_bytes()),
            opts,
            &Progress::default(),
            |l, c| {
                lines.extend(l);
                classes.extend(c);
                Ok(())
            },
        )
        .expect("run");
        assert!(!cancelled);
        (lines, classes)
    }

    #[test]
    fn lines_keep_their_numbers_and_offsets_and_skip_comments() {
        let (old, new) = (flask("old"), flask("new"));
        let text = format!("# cookies\n{old}\n\n{new}\r\nnot-a-cookie\n");
        let (lines, classes) = collect(&text, &Options::default());
        assert_eq!(
            lines.iter().map(|l| l.number).collect::<Vec<_>>(),
            [2, 4, 5]
        );
        assert_eq!(lines[1].offset, Some(text.find(&new).expect("new") as u64));
        let labels: Vec<String> = classes.iter().map(|c| c.outcome.label()).collect();
        assert_eq!(labels, ["valid-fallback:0", "valid-primary", "malformed"]);
    }

    #[test]
    fn a_csv_column_is_taken_by_name_or_number() {
        let (old, new) = (flask("old"), flask("new"));
        let text = format!("id,Session,note\n1,{old},\"a, b\"\n2,\"{new}\",x\n3,,empty\n");
        let by_name = Options {
            csv_column: Some(Column::parse("session").expect("name")),
            ..Options::default()
        };
        let (lines, classes) = collect(&text, &by_name);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].text, new);
        assert_eq!(classes[1].outcome, Outcome::ValidPrimary);
        let by_number = Options {
            csv_column: Some(Column::parse("2").expect("number")),
            ..Options::default()
        };
        let (lines, classes) = collect(&text, &by_number);
        // Without a header row the header's "Session" is a (malformed) cookie too.
        assert_eq!(lines.len(), 3);
        assert_eq!(classes[0].outcome, Outcome::Malformed);
        assert_eq!(classes[1].outcome, Outcome::ValidFallback(0));
        let missing = Options {
            csv_column: Some(Column::Name("cookie".into())),
            ..Options::default()
        };
        let err = run(
            &rotation(),
            io::Cursor::new(text.as_bytes()),
            &missing,
            &Progress::default(),
            |_, _| Ok(()),
        )
        .expect_err("no such column");
        assert!(err.to_string().contains("id, Session, note"), "{err}");
        assert!(Column::parse("0").is_err());
    }

    #[test]
    fn a_cancelled_job_stops_before_the_next_chunk() {
        let old = flask("old");
        let text = format!("{old}\n").repeat(CHUNK * 2 + 10);
        let progress = Progress::default();
        let mut seen = 0;
        let cancelled = run(
            &rotation(),
            io::Cursor::new(text.as_bytes()),
            &Options::default(),
            &progress,
            |l, _| {
                seen += l.len();
                progress.cancel.store(true, Ordering::Relaxed);
                Ok(())
            },
        )
        .expect("run");
        assert!(cancelled);
        assert_eq!(seen, CHUNK);
        assert_eq!(progress.done.load(Ordering::Relaxed), CHUNK as u64);
    }
}
