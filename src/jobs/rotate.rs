//! The rotation preview as a job: cookies streamed from any reader (a file of a million lines
//! never sits in memory as one string), classified in chunks on every core, handed to a sink in
//! input order. The command line prints each chunk; the window keeps them for its table.
//!
//! Inputs: one cookie per line (any paste form the inspector takes; `#` comment lines and blank
//! lines skipped, Netscape `#HttpOnly_` lines kept), a HAR file (one JSON document: every cookie
//! of every request and response), or a CSV file with a chosen column.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read as _};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};

use crate::core::input;
use crate::core::rotate::{Classified, Rotation};

/// Lines read, classified and handed to the sink at a time; what one worker thread takes. Small
/// enough that a few thousand cookies keep every core busy and that a chunk's buffers are
/// reused from the heap rather than mapped afresh, large enough that handing chunks over costs
/// nothing next to classifying them.
pub const CHUNK: usize = 1024;
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
///
/// The calling thread reads the input and feeds the sink; `opts.threads` worker threads
/// classify chunks meanwhile, so reading, classifying and writing the results overlap. With one
/// thread, everything runs on the calling thread.
pub fn run(
    rotation: &Rotation,
    mut reader: impl BufRead,
    opts: &Options,
    progress: &Progress,
    mut sink: impl FnMut(Vec<Line>, Vec<Classified>) -> io::Result<()>,
) -> io::Result<bool> {
    let threads = opts.threads.clamp(1, 256);
    // Counted as handed on, so that `done` never runs ahead of what the caller has.
    let mut counted = |lines: Vec<Line>, classified: Vec<Classified>| {
        progress
            .done
            .fetch_add(lines.len() as u64, Ordering::Relaxed);
        sink(lines, classified)
    };

    if let Some(column) = &opts.csv_column {
        let mut csv = CsvLines::new(reader, column)?;
        return classify_stream(rotation, threads, progress, &mut counted, || {
            csv.read_chunk(progress)
        });
    }

    // A HAR file is one JSON document: every cookie in it is a "line".
    let head = reader.fill_buf()?;
    if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        let mut text = String::new();
        let n = reader.take(MAX_HAR).read_to_string(&mut text)?;
        progress.bytes.fetch_add(n as u64, Ordering::Relaxed);
        let mut lines = input::har_cookies(&text, usize::MAX)
            .into_iter()
            .enumerate()
            .map(|(i, c)| Line {
                number: i + 1,
                offset: None,
                text: match c.name {
                    Some(name) => format!("{name}={}", c.value),
                    None => c.value,
                },
            });
        drop(text);
        return classify_stream(rotation, threads, progress, &mut counted, || {
            let chunk: Vec<Line> = lines.by_ref().take(CHUNK).collect();
            Ok((!chunk.is_empty()).then_some(chunk))
        });
    }

    let mut number = 0;
    let mut offset = 0u64;
    let mut buf = Vec::new();
    classify_stream(rotation, threads, progress, &mut counted, || {
        let mut lines = Vec::with_capacity(CHUNK);
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
            let text = match std::str::from_utf8(&buf) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(&buf),
            };
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
        Ok((!lines.is_empty()).then_some(lines))
    })
}

/// The chunks `next` reads, classified on `threads` threads and handed to `sink` in input order.
/// Returns whether the job was cancelled before the end.
fn classify_stream(
    rotation: &Rotation,
    threads: usize,
    progress: &Progress,
    sink: &mut dyn FnMut(Vec<Line>, Vec<Classified>) -> io::Result<()>,
    mut next: impl FnMut() -> io::Result<Option<Vec<Line>>>,
) -> io::Result<bool> {
    let cancelled = || progress.cancel.load(Ordering::Relaxed);
    if threads == 1 {
        while !cancelled() {
            let Some(lines) = next()? else {
                return Ok(false);
            };
            let classified = classify_chunk(rotation, &lines);
            sink(lines, classified)?;
        }
        return Ok(true);
    }
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<Line>)>(threads * 2);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::scope(|scope| {
        // Owned here, so that leaving this closure, however, closes the queue and the workers
        // end before the scope waits for them.
        let work_tx = work_tx;
        for _ in 0..threads {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            scope.spawn(move || {
                // The lock is held only while waiting for the next chunk.
                let next_chunk = || work_rx.lock().ok()?.recv().ok();
                while let Some((seq, lines)) = next_chunk() {
                    let classified = classify_chunk(rotation, &lines);
                    if done_tx.send((seq, lines, classified)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        // Chunks are numbered as read; finished ones wait in `ready` until their turn.
        let (mut sent, mut delivered, mut end) = (0, 0, false);
        let mut ready = BTreeMap::new();
        loop {
            while !end && sent - delivered < threads * 4 {
                if cancelled() {
                    return Ok(true);
                }
                match next()? {
                    Some(lines) => {
                        work_tx
                            .send((sent, lines))
                            .map_err(|_| io::Error::other("the classifying threads stopped"))?;
                        sent += 1;
                    }
                    None => end = true,
                }
            }
            if delivered == sent {
                return Ok(false);
            }
            let (seq, lines, classified): (usize, Vec<Line>, Vec<Classified>) = done_rx
                .recv()
                .map_err(|_| io::Error::other("the classifying threads stopped"))?;
            ready.insert(seq, (lines, classified));
            while let Some((lines, classified)) = ready.remove(&delivered) {
                if cancelled() {
                    return Ok(true);
                }
                delivered += 1;
                sink(lines, classified)?;
            }
        }
    })
}

/// Classifies one chunk, in order.
fn classify_chunk(rotation: &Rotation, lines: &[Line]) -> Vec<Classified> {
    let all = || {
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        rotation.classify_many(&texts)
    };
    // Classification never panics; should a bug make it, the rows stay aligned.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(all)).unwrap_or_else(|_| {
        lines
            .iter()
            .map(|_| Classified::malformed("internal error while classifying"))
            .collect()
    })
}

/// The chosen column's values of a CSV file, record by record.
struct CsvLines<R> {
    csv: csv::Reader<R>,
    index: usize,
    record: csv::ByteRecord,
    last_byte: u64,
}

impl<R: io::Read> CsvLines<R> {
    /// Reads the header row when the column is given by name.
    fn new(reader: R, column: &Column) -> io::Result<Self> {
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
        let last_byte = csv.position().byte();
        Ok(Self {
            csv,
            index,
            record: csv::ByteRecord::new(),
            last_byte,
        })
    }

    /// The next [`CHUNK`] non-empty values (fewer at the end; `None` after it).
    fn read_chunk(&mut self, progress: &Progress) -> io::Result<Option<Vec<Line>>> {
        let mut chunk = Vec::new();
        while chunk.len() < CHUNK {
            let at = self.csv.position().clone();
            if !self
                .csv
                .read_byte_record(&mut self.record)
                .map_err(csv_error)?
            {
                break;
            }
            let end = self.csv.position().byte();
            progress
                .bytes
                .fetch_add(end.saturating_sub(self.last_byte), Ordering::Relaxed);
            self.last_byte = end;
            let Some(field) = self.record.get(self.index) else {
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
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("reading the CSV: {e}"))
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
    fn every_thread_count_gives_the_same_rows_in_input_order_in_whole_chunks() {
        let cookies = [flask("old"), flask("new"), flask("gone"), "junk".into()];
        let mut text = String::new();
        for i in 0..CHUNK * 2 + 1500 {
            if i % 1000 == 0 {
                text.push_str("# a comment\n\n");
            }
            text.push_str(&cookies[i % 7 % 4]);
            text.push('\n');
        }
        let run_with = |threads| {
            let mut chunks = Vec::new();
            let mut rows = Vec::new();
            let progress = Progress::default();
            let opts = Options {
                threads,
                ..Options::default()
            };
            let cancelled = run(
                &rotation(),
                io::Cursor::new(text.as_bytes()),
                &opts,
                &progress,
                |l, c| {
                    chunks.push(l.len());
                    rows.extend(l.into_iter().zip(c));
                    Ok(())
                },
            )
            .expect("run");
            assert!(!cancelled);
            assert_eq!(progress.done.load(Ordering::Relaxed), rows.len() as u64);
            assert_eq!(progress.bytes.load(Ordering::Relaxed), text.len() as u64);
            (chunks, rows)
        };
        let (chunks, rows) = run_with(1);
        assert_eq!(rows.len(), CHUNK * 2 + 1500);
        assert_eq!(chunks.len(), rows.len().div_ceil(CHUNK));
        assert!(chunks[..chunks.len() - 1].iter().all(|&n| n == CHUNK));
        assert_eq!(rows[0].0.number, 3);
        assert_eq!(rows[3].1.outcome, Outcome::Malformed);
        for threads in [2, 3, 8] {
            assert_eq!(
                run_with(threads),
                (chunks.clone(), rows.clone()),
                "{threads}"
            );
        }
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
