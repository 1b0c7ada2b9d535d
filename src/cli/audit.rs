//! `signet audit`: crack a cookie's key with the built-in list and wordlists (streamed, every
//! core, first hit wins), or rate the stored keys. Exit status: 0 when no key was found (or every
//! stored key is strong), 1 when one was (or a stored key is weak), 2 on errors.

use std::io::{self, BufRead as _, BufReader, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::bail;
use serde_json::{Value, json};

use super::args::AuditArgs;
use super::{Outcome, UsageError, now_unix, params, read_arg_or_stdin};
use crate::core::audit::{self, Target};
use crate::jobs::audit as job;
use crate::keys::{KeyStore, rating};

pub(super) fn run(
    args: &AuditArgs,
    store: impl FnOnce() -> anyhow::Result<KeyStore>,
) -> anyhow::Result<Outcome> {
    if args.stored {
        return stored(args, &store()?);
    }
    let text = read_arg_or_stdin(args.input.as_deref(), "cookie")?;
    let target = Target::new(
        &text,
        args.format.as_deref(),
        params(&args.params)?,
        now_unix(),
    )
    .map_err(|e| UsageError(format!("cannot audit this cookie: {e}")))?;
    let opts = job::Options {
        wordlists: args.wordlist.iter().map(PathBuf::from).collect(),
        threads: args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        mutate: args.mutate,
    };
    for path in &opts.wordlists {
        if let Err(e) = std::fs::File::open(path) {
            return Err(UsageError(format!("cannot read {}: {e}", path.display())).into());
        }
    }
    let show_progress = !args.json && io::stderr().is_terminal();
    let started = Instant::now();
    let mut last_report = Instant::now();
    let progress = job::Progress::default();
    let result = job::run(&target, &opts, &progress, |p| {
        if show_progress && last_report.elapsed() > Duration::from_millis(500) {
            last_report = Instant::now();
            report_progress(p, started);
        }
    })?;
    if show_progress {
        eprint!("\r\x1b[K");
    }
    let (tried, seconds) = (result.tried, result.seconds);
    let found = result.found;
    let mut out = io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            audit::found_json(found.as_deref().map(|v| v.as_slice()), tried, seconds)
        )?;
    } else {
        let rate = tried as f64 / seconds.max(1e-9);
        match &found {
            Some(secret) => {
                let shown = String::from_utf8_lossy(secret);
                writeln!(
                    out,
                    "Found after {tried} candidates in {seconds:.2} s: {shown:?}"
                )?;
                writeln!(
                    out,
                    "This key is guessable: anyone can forge {} cookies with it. Rotate it.",
                    target.format().id()
                )?;
            }
            None => writeln!(
                out,
                "Not found in {tried} candidates ({seconds:.2} s, {rate:.0}/s)."
            )?,
        }
    }
    Ok(if found.is_some() {
        Outcome::NotValid
    } else {
        Outcome::Success
    })
}

fn report_progress(p: &job::Progress, started: Instant) {
    let n = p.tried();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let rate = n as f64 / secs;
    let eta = match p.fraction() {
        Some(f) if f > 0.0 => format!(
            ", {:.0}% of the wordlists, about {:.0} s left",
            f * 100.0,
            secs * (1.0 - f) / f
        ),
        _ => String::new(),
    };
    eprint!("\r\x1b[Ktried {n} ({rate:.0}/s{eta})");
}

/// The digest size a key of this style should at least match.
fn stored(args: &AuditArgs, store: &KeyStore) -> anyhow::Result<Outcome> {
    let index = store.index()?;
    let (loaded, problems) = store.load_all()?;
    for p in problems {
        eprintln!("signet: note: {p}");
    }
    // Which stored secrets appear on the built-in list or a wordlist (streamed, compared in memory).
    let mut listed = rating::on_builtin_list(&loaded);
    for path in &args.wordlist {
        let file = std::fs::File::open(path)
            .map_err(|e| UsageError(format!("cannot read {path}: {e}")))?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut line = Vec::new();
        let mut first = true;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            let mut l: &[u8] = &line;
            l = l.strip_suffix(b"\n").unwrap_or(l);
            l = l.strip_suffix(b"\r").unwrap_or(l);
            if first {
                l = l.strip_prefix(b"\xef\xbb\xbf").unwrap_or(l);
                first = false;
            }
            for (i, k) in loaded.iter().enumerate() {
                if !listed[i] && crate::core::mac::ct_eq(k.secret.expose(), l) {
                    listed[i] = true;
                }
            }
        }
    }
    let ratings = rating::rate_stored(&loaded, &index.sets, &listed, now_unix());
    let mut rows = Vec::new();
    let mut weak = false;
    for (k, rating) in loaded.iter().zip(ratings) {
        weak |= rating.grade != "strong";
        rows.push(json!({
            "name": k.meta.name,
            "style": k.meta.style,
            "fingerprint": k.meta.fingerprint,
            "grade": rating.grade,
            "entropy_bits": rating.entropy_bits,
            "findings": rating.findings,
        }));
    }
    let mut out = io::stdout().lock();
    if args.json {
        writeln!(out, "{}", Value::Array(rows))?;
    } else if rows.is_empty() {
        writeln!(out, "No stored keys to rate.")?;
    } else {
        for r in &rows {
            writeln!(
                out,
                "{:<24} {:<7} ~{} bits",
                r["name"].as_str().unwrap_or(""),
                r["grade"].as_str().unwrap_or(""),
                r["entropy_bits"]
            )?;
            for f in r["findings"].as_array().into_iter().flatten() {
                writeln!(out, "    {}", f.as_str().unwrap_or(""))?;
            }
        }
    }
    if loaded.is_empty() && index.keys.is_empty() {
        bail!(UsageError("the key store is empty: nothing to rate".into()));
    }
    Ok(if weak {
        Outcome::NotValid
    } else {
        Outcome::Success
    })
}
