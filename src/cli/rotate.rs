//! `signet rotate`: classify a batch of cookies under the current and a proposed key set.
//! Files are streamed in chunks classified on every core, so a million cookies never sit in
//! memory as one string.

use std::io::{self, BufRead, BufReader, Write as _};

use anyhow::Context as _;

use super::args::RotateArgs;
use super::{KeyList, Outcome, UsageError, now_unix, params, parse_max_age};
use crate::core::rotate::{self, Classified, Report, Rotation};
use crate::core::time;
use crate::core::{Digest, KeyEntry, VerifyOptions};
use crate::jobs::rotate::{self as rotate_job, Column};

pub(super) fn run(args: &RotateArgs, from: &KeyList, to: &KeyList) -> anyhow::Result<Outcome> {
    let params = params(&args.params)?;
    let opts = VerifyOptions {
        now: args.now.unwrap_or_else(now_unix),
        max_age: parse_max_age(args.max_age.as_deref())?,
        leeway_secs: args.leeway,
    };
    let current = entries(from, &args.from_key_derivation, &args.from_digest, "--from")?;
    let proposed = entries(to, &args.to_key_derivation, &args.to_digest, "--to")?;
    let rotation = Rotation::with_entries(&args.format, &current, &proposed, params, opts)
        .map_err(|e| UsageError(e.0))?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 256);
    let csv_column = args
        .csv_column
        .as_deref()
        .map(Column::parse)
        .transpose()
        .map_err(UsageError)?;
    // Large reads: a system call costs about as much for 8 KiB as for 1 MiB here, so a file of
    // a million cookies is read in 160 calls rather than 20,000 (0.04 s instead of 0.4 s).
    const READ_BUFFER: usize = 1 << 20;
    let reader: Box<dyn BufRead> = match args.file.as_deref() {
        None | Some("-") => Box::new(BufReader::with_capacity(READ_BUFFER, io::stdin().lock())),
        Some(path) => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            std::fs::File::open(path)
                .map_err(|e| UsageError(format!("cannot read {path}: {e}")))?,
        )),
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut report = Report::new();
    let max_age = rotation.max_age_secs();
    let opts = rotate_job::Options {
        threads,
        csv_column,
    };
    rotate_job::run(
        &rotation,
        reader,
        &opts,
        &rotate_job::Progress::default(),
        |lines, classified| {
            for (line, c) in lines.iter().zip(&classified) {
                report.add(c, max_age);
                emit(line.number, c, args.json, &mut out)?;
            }
            Ok(())
        },
    )
    .context("reading the cookies")?;
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

/// The key set with `--{from,to}-key-derivation` and `--{from,to}-digest`: one value per key in
/// order, or one for all.
fn entries(
    list: &KeyList,
    derivations: &[String],
    digests: &[String],
    flag: &str,
) -> Result<Vec<KeyEntry>, UsageError> {
    let n = list.secrets.len();
    for (given, what, values) in [
        (derivations.len(), "key-derivation", "key derivations"),
        (digests.len(), "digest", "digests"),
    ] {
        if given > 1 && given != n {
            return Err(UsageError(format!(
                "{flag}-{what} gives {given} {values} for {n} key{}: give one per key, in order, or one for every key",
                if n == 1 { "" } else { "s" }
            )));
        }
    }
    let digests = digests
        .iter()
        .map(|d| {
            d.parse::<Digest>()
                .map_err(|e| UsageError(format!("{flag}-digest: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The i-th value, or the only one.
    let nth = |len: usize, i: usize| i.min(len.saturating_sub(1));
    Ok(list
        .secrets
        .iter()
        .enumerate()
        .map(|(i, secret)| KeyEntry {
            secret: secret.clone(),
            key_derivation: derivations.get(nth(derivations.len(), i)).cloned(),
            digest: digests.get(nth(digests.len(), i)).copied(),
        })
        .collect())
}

fn names(list: &KeyList, what: &str) -> Vec<String> {
    list.names
        .iter()
        .enumerate()
        .map(|(i, n)| n.clone().unwrap_or_else(|| format!("{what} key #{i}")))
        .collect()
}

/// Prints one cookie's row: a JSON object (`--json`) or a line of text.
fn emit(line_no: usize, c: &Classified, json: bool, out: &mut impl io::Write) -> io::Result<()> {
    if json {
        // Written piece by piece, without `format!`: a million rows add up. The fields are
        // numbers, fixed labels and an escaped error.
        out.write_all(b"{\"line\":")?;
        write_int(out, Some(line_no as u64), false)?;
        out.write_all(b",\"outcome\":\"")?;
        out.write_all(c.outcome.name().as_bytes())?;
        if let rotate::Outcome::ValidFallback(n) = c.outcome {
            out.write_all(b":")?;
            write_int(out, Some(n as u64), false)?;
        }
        out.write_all(b"\",\"now\":\"")?;
        out.write_all(c.now.as_bytes())?;
        out.write_all(b"\",\"signed_at\":")?;
        write_int(
            out,
            c.signed_at.map(i64::unsigned_abs),
            c.signed_at.is_some_and(|t| t < 0),
        )?;
        out.write_all(b",\"key_now\":")?;
        write_int(out, c.key_now.map(|k| k as u64), false)?;
        out.write_all(b",\"key_next\":")?;
        write_int(out, c.key_next.map(|k| k as u64), false)?;
        if let Some(e) = &c.error {
            write!(out, ",\"error\":{}", serde_json::Value::from(e.as_str()))?;
        }
        out.write_all(b"}\n")
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
}

/// A JSON number (`-` first when `negative`), or `null`.
fn write_int(out: &mut impl io::Write, n: Option<u64>, negative: bool) -> io::Result<()> {
    let Some(mut n) = n else {
        return out.write_all(b"null");
    };
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        digits[at] = b'-';
    }
    out.write_all(&digits[at..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rotate::Outcome;

    #[test]
    fn json_rows_are_what_serde_json_writes() {
        let mut rows = vec![
            Classified::malformed("not \"JSON\"\n\u{1}é"),
            Classified {
                outcome: Outcome::ValidFallback(12),
                now: "valid",
                signed_at: Some(1_767_225_600),
                key_now: Some(0),
                key_next: Some(13),
                cookie_name: None,
                error: None,
            },
        ];
        for (outcome, signed_at) in [
            (Outcome::ValidPrimary, Some(0)),
            (Outcome::Expired, Some(-5)),
            (Outcome::Invalidated, Some(i64::MIN)),
            (Outcome::AlreadyInvalid, Some(i64::MAX)),
        ] {
            rows.push(Classified {
                outcome,
                signed_at,
                ..rows[1].clone()
            });
        }
        for (i, c) in rows.iter().enumerate() {
            let mut out = Vec::new();
            emit(i * 1000, c, true, &mut out).expect("writes");
            let mut want = serde_json::json!({
                "line": i * 1000,
                "outcome": c.outcome.label(),
                "now": c.now,
                "signed_at": c.signed_at,
                "key_now": c.key_now,
                "key_next": c.key_next,
            });
            if let Some(e) = &c.error {
                want["error"] = e.as_str().into();
            }
            assert_eq!(String::from_utf8(out).expect("UTF-8"), format!("{want}\n"));
        }
    }
}
