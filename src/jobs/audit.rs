//! The wordlist audit as a job: the built-in list, then each wordlist streamed line by line
//! (any bytes; CR, LF and a leading BOM stripped, nothing else), fanned out to worker threads in
//! batches; the first hit stops every worker. Cancellable at any time and observable while it
//! runs ([`Progress`]), so the CLI and the window share it.

use std::io::{self, BufRead as _, BufReader};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use zeroize::Zeroizing;

use crate::core::audit::{self, BUILTIN, Target};

/// Candidates handed to a worker at a time.
const BATCH: usize = 4096;
/// Workers look at the stop flag every this many candidates.
const CHECK_EVERY: u64 = 256;

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The wordlists, in order (after the built-in list).
    pub wordlists: Vec<PathBuf>,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Also try the simple variants of every candidate ([`audit::mutations`]).
    pub mutate: bool,
}

/// Counters a running audit updates, and its cancel switch. Share it (`Arc`) with whoever
/// watches.
#[derive(Debug, Default)]
pub struct Progress {
    tried: AtomicU64,
    bytes_read: AtomicU64,
    total_bytes: AtomicU64,
    cancel: AtomicBool,
    stop: AtomicBool,
}

impl Progress {
    /// Candidates tried so far.
    pub fn tried(&self) -> u64 {
        self.tried.load(Ordering::Relaxed)
    }

    /// Bytes of the wordlists read so far, and their total size (0 when unknown).
    pub fn bytes(&self) -> (u64, u64) {
        (
            self.bytes_read.load(Ordering::Relaxed),
            self.total_bytes.load(Ordering::Relaxed),
        )
    }

    /// The fraction of the wordlists read (0 to 1), when their size is known.
    pub fn fraction(&self) -> Option<f64> {
        let (read, total) = self.bytes();
        (total > 0).then(|| (read as f64 / total as f64).min(1.0))
    }

    /// Asks the run to stop; it returns promptly with `cancelled` set.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    /// The key, when one signed the cookie (wiped on drop).
    pub found: Option<Zeroizing<Vec<u8>>>,
    /// Candidates tried.
    pub tried: u64,
    /// Wall time.
    pub seconds: f64,
    /// Whether it was cancelled before the end of the lists.
    pub cancelled: bool,
}

/// Candidates in one buffer (no allocation per line), wiped when dropped.
#[derive(Default)]
struct Batch {
    bytes: Zeroizing<Vec<u8>>,
    ends: Vec<usize>,
}

impl Batch {
    fn push(&mut self, candidate: &[u8]) {
        self.bytes.extend_from_slice(candidate);
        self.ends.push(self.bytes.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let c = &self.bytes[start..end];
            start = end;
            c
        })
    }
}

/// Runs the audit of `target` on the calling thread plus `opts.threads` workers. `tick` is called
/// from the reading thread about every `BATCH` candidates (for progress output). Errors: a wordlist
/// that cannot be opened or read (named in the message).
pub fn run(
    target: &Target,
    opts: &Options,
    progress: &Progress,
    mut tick: impl FnMut(&Progress),
) -> io::Result<Outcome> {
    let started = Instant::now();
    let total: u64 = opts
        .wordlists
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    progress.total_bytes.store(total, Ordering::Relaxed);
    let threads = opts.threads.clamp(1, 256);
    let found: Mutex<Option<Zeroizing<Vec<u8>>>> = Mutex::new(None);
    let (tx, rx) = mpsc::sync_channel::<Batch>(threads * 2);
    let rx = Mutex::new(rx);
    let read = std::thread::scope(|scope| -> io::Result<()> {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let batch = match rx.lock().map(|r| r.recv()) {
                        Ok(Ok(batch)) => batch,
                        _ => return,
                    };
                    // Once stopping, batches are still received (and dropped) until the reader
                    // closes the channel, so it never blocks on a full one.
                    if progress.stopping() {
                        continue;
                    }
                    let mut n = 0;
                    for candidate in batch.iter() {
                        n += 1;
                        if target.try_key(candidate) {
                            if let Ok(mut f) = found.lock() {
                                f.get_or_insert_with(|| Zeroizing::new(candidate.to_vec()));
                            }
                            progress.stop.store(true, Ordering::Relaxed);
                            break;
                        }
                        if n % CHECK_EVERY == 0 && progress.stopping() {
                            break;
                        }
                    }
                    progress.tried.fetch_add(n, Ordering::Relaxed);
                }
            });
        }
        let result = feed(opts, progress, &mut tick, |batch| {
            !progress.stopping() && tx.send(batch).is_ok()
        });
        drop(tx);
        result
    });
    read?;
    Ok(Outcome {
        found: found.into_inner().unwrap_or_else(|e| e.into_inner()),
        tried: progress.tried(),
        seconds: started.elapsed().as_secs_f64(),
        cancelled: progress.is_cancelled(),
    })
}

/// Lines longer than this are skipped (no secret is that long; a file without line breaks must
/// not be read into memory whole).
pub const MAX_LINE: usize = 64 * 1024;

/// Reads the next line into `line` (with its line break): the bytes consumed, and whether the
/// line was kept (false: longer than [`MAX_LINE`], skipped to its end in bounded memory).
fn next_line(reader: &mut impl io::BufRead, line: &mut Vec<u8>) -> io::Result<(usize, bool)> {
    line.clear();
    let n = io::Read::take(&mut *reader, MAX_LINE as u64 + 2).read_until(b'\n', line)?;
    if n == 0 || line.ends_with(b"\n") || n < MAX_LINE + 2 {
        return Ok((n, true));
    }
    // Too long: skip to the end of the line without keeping it.
    let mut skipped = n;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                skipped += i + 1;
                break;
            }
            None => {
                let len = buf.len();
                reader.consume(len);
                skipped += len;
            }
        }
    }
    line.clear();
    Ok((skipped, false))
}

/// Reads the built-in list and the wordlists into batches for `send` (false: stop).
fn feed(
    opts: &Options,
    progress: &Progress,
    tick: &mut impl FnMut(&Progress),
    mut send: impl FnMut(Batch) -> bool,
) -> io::Result<()> {
    let expand = |c: &[u8], out: &mut Batch| {
        if opts.mutate {
            for m in audit::mutations(c) {
                out.push(&m);
            }
        } else {
            out.push(c);
        }
    };
    let mut batch = Batch::default();
    for c in BUILTIN {
        expand(c, &mut batch);
    }
    for path in &opts.wordlists {
        let file = std::fs::File::open(path).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
        })?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut line = Zeroizing::new(Vec::new());
        let mut first = true;
        loop {
            if progress.stopping() {
                return Ok(());
            }
            let (n, whole) = next_line(&mut reader, &mut line).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
            })?;
            if n == 0 {
                break;
            }
            progress.bytes_read.fetch_add(n as u64, Ordering::Relaxed);
            if !whole {
                continue;
            }
            let mut l: &[u8] = &line;
            l = l.strip_suffix(b"\n").unwrap_or(l);
            l = l.strip_suffix(b"\r").unwrap_or(l);
            if first {
                l = l.strip_prefix(b"\xef\xbb\xbf").unwrap_or(l);
                first = false;
            }
            expand(l, &mut batch);
            if batch.len() >= BATCH {
                tick(progress);
                if !send(std::mem::take(&mut batch)) {
                    return Ok(());
                }
            }
        }
    }
    if !batch.is_empty() {
        send(batch);
    }
    tick(progress);
    Ok(())
}
