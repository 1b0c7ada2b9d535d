//! The wordlist audit as a job: the built-in list, then each wordlist streamed line by line
//! (any bytes; CR, LF and a leading BOM stripped, nothing else), fanned out to worker threads in
//! batches; the first hit stops every worker. Cancellable at any time and observable while it
//! runs ([`Progress`]), so the CLI and the window share it.

use std::io::{self, Read as _};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use zeroize::Zeroizing;

use crate::core::audit::{self, BUILTIN, Target};

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

/// Work for a worker: the built-in list, or a block of whole wordlist lines (wiped when dropped).
enum Block {
    Builtin,
    Lines(Zeroizing<Vec<u8>>),
}

/// Runs the audit of `target` with `opts.threads` workers; the calling thread only reads the
/// wordlists in large blocks cut at line breaks, and the workers split them into candidates, so
/// reading costs the workers nothing per line. `tick` is called from the reading thread after every
/// block (for progress output). Errors: a wordlist that cannot be opened or read (named in the
/// message).
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
    let (tx, rx) = mpsc::sync_channel::<Block>(threads * 2);
    let rx = Mutex::new(rx);
    // Blocks the workers are done with go back to the reader, which reads into them again: a fresh
    // 256 KiB buffer per block would cost its page faults, and its wiping when freed, every time.
    let (spare_tx, spare_rx) = mpsc::channel::<Zeroizing<Vec<u8>>>();
    // The built-in list is tried first, whole: the reader reads no wordlist until a worker says
    // it is through (else a key found early in a wordlist could stop the worker that was about
    // to try it).
    let (builtin_tx, builtin_rx) = mpsc::sync_channel::<()>(1);
    let read = std::thread::scope(|scope| -> io::Result<()> {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut tried = 0u64;
                // Tries a batch of candidates (and their variants); false: stop this worker.
                let mut attempt = |batch: &[&[u8]]| -> bool {
                    let (hit, n) = try_batch(target, batch, opts.mutate);
                    tried += n;
                    if let Some(key) = hit {
                        if let Ok(mut f) = found.lock() {
                            f.get_or_insert(key);
                        }
                        progress.stop.store(true, Ordering::Relaxed);
                        return false;
                    }
                    if tried >= CHECK_EVERY {
                        progress.tried.fetch_add(tried, Ordering::Relaxed);
                        tried = 0;
                        return !progress.stopping();
                    }
                    true
                };
                loop {
                    let block = match rx.lock().map(|r| r.recv()) {
                        Ok(Ok(block)) => block,
                        _ => break,
                    };
                    // Once stopping, wordlist blocks are still received (and dropped) until the
                    // reader closes the channel, so it never blocks on a full one.
                    if progress.stopping() && matches!(block, Block::Lines(_)) {
                        continue;
                    }
                    match &block {
                        Block::Builtin => {
                            for batch in BUILTIN.chunks(Target::BATCH) {
                                if !attempt(batch) {
                                    break;
                                }
                            }
                            let _ = builtin_tx.send(());
                        }
                        Block::Lines(bytes) => {
                            let mut batch: [&[u8]; Target::BATCH] = [&[]; Target::BATCH];
                            let mut n = 0;
                            let mut going = true;
                            for line in lines(bytes) {
                                batch[n] = line;
                                n += 1;
                                if n == Target::BATCH {
                                    n = 0;
                                    going = attempt(&batch);
                                    if !going {
                                        break;
                                    }
                                }
                            }
                            if going && n > 0 {
                                attempt(&batch[..n]);
                            }
                        }
                    }
                    if let Block::Lines(bytes) = block {
                        // The reader may be gone: then the buffer is wiped and freed here.
                        let _ = spare_tx.send(bytes);
                    }
                }
                progress.tried.fetch_add(tried, Ordering::Relaxed);
            });
        }
        let result = feed(opts, progress, &mut tick, &spare_rx, &builtin_rx, |block| {
            !progress.stopping() && tx.send(block).is_ok()
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

/// Tries `batch` ([`Target::BATCH`] candidates at most), each with its variants under
/// `--mutate`, in order: the first key that signed the cookie, and how many candidates were tried
/// (up to and including that key).
fn try_batch(target: &Target, batch: &[&[u8]], mutate: bool) -> (Option<Zeroizing<Vec<u8>>>, u64) {
    if !mutate {
        return match target.try_batch(batch) {
            Some(i) => (Some(Zeroizing::new(batch[i].to_vec())), i as u64 + 1),
            None => (None, batch.len() as u64),
        };
    }
    let mut tried = 0;
    for candidate in batch {
        let variants = audit::mutations(candidate);
        for chunk in variants.chunks(Target::BATCH) {
            let mut refs: [&[u8]; Target::BATCH] = [&[]; Target::BATCH];
            for (r, v) in refs.iter_mut().zip(chunk) {
                *r = v;
            }
            if let Some(i) = target.try_batch(&refs[..chunk.len()]) {
                return (Some(Zeroizing::new(chunk[i].clone())), tried + i as u64 + 1);
            }
            tried += chunk.len() as u64;
        }
    }
    (None, tried)
}

/// The candidates of a block of whole lines: each line without its LF and a CR before it, lines
/// longer than [`MAX_LINE`] skipped. A final line break ends the last line (no empty candidate
/// after it); an empty line in between is an empty candidate.
fn lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = block;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        rest = next;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
    .filter(|line| line.len() <= MAX_LINE)
}

/// Lines longer than this are skipped (no secret is that long; a file without line breaks must
/// not be read into memory whole).
pub const MAX_LINE: usize = 64 * 1024;

/// Bytes read from a wordlist at a time (a block ends at the last line break in it).
const BLOCK: usize = 256 * 1024;

/// Hands the built-in list to `send` (false: stop) and waits for `builtin_tried`, then reads the
/// wordlists into blocks of whole lines for it, reusing the buffers that come back on `spare`. A
/// line longer than [`MAX_LINE`] is skipped: by the worker when it fits in a block, here when it
/// does not (read past in bounded memory, never kept).
fn feed(
    opts: &Options,
    progress: &Progress,
    tick: &mut impl FnMut(&Progress),
    spare: &mpsc::Receiver<Zeroizing<Vec<u8>>>,
    builtin_tried: &mpsc::Receiver<()>,
    mut send: impl FnMut(Block) -> bool,
) -> io::Result<()> {
    if !send(Block::Builtin) {
        return Ok(());
    }
    // Sent by the worker that tried it (even when stopping: the list is short).
    let _ = builtin_tried.recv();
    for path in &opts.wordlists {
        let named =
            |e: io::Error| io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()));
        let mut file = std::fs::File::open(path).map_err(named)?;
        let mut carry = Zeroizing::new(Vec::new());
        let mut first = true;
        let mut skipping = false;
        loop {
            if progress.stopping() {
                return Ok(());
            }
            let mut block = spare
                .try_recv()
                .unwrap_or_else(|_| Zeroizing::new(Vec::with_capacity(BLOCK)));
            block.clear();
            block.extend_from_slice(&carry);
            carry.clear();
            let want = BLOCK.saturating_sub(block.len()).max(1) as u64;
            let n = io::Read::take(&mut file, want)
                .read_to_end(&mut block)
                .map_err(named)?;
            progress.bytes_read.fetch_add(n as u64, Ordering::Relaxed);
            let eof = n == 0;
            if first {
                if block.starts_with(b"\xef\xbb\xbf") {
                    block.drain(..3);
                }
                first = false;
            }
            if skipping {
                // The rest of an over-long line.
                match memchr::memchr(b'\n', &block) {
                    Some(i) => {
                        block.drain(..=i);
                        skipping = false;
                    }
                    None => {
                        if eof {
                            break;
                        }
                        continue;
                    }
                }
            }
            if !eof {
                match memchr::memrchr(b'\n', &block) {
                    Some(i) => carry.extend_from_slice(&block[i + 1..]),
                    None if block.len() > MAX_LINE => {
                        // One line longer than a block: skip it to its end.
                        skipping = true;
                        continue;
                    }
                    None => {
                        carry.extend_from_slice(&block);
                        continue;
                    }
                }
                let keep = block.len() - carry.len();
                block.truncate(keep);
            }
            if !block.is_empty() && !send(Block::Lines(block)) {
                return Ok(());
            }
            tick(progress);
            if eof {
                break;
            }
        }
    }
    tick(progress);
    Ok(())
}
