//! `signet rotate`: classify a batch of cookies under the current and a proposed key set.
//! Files are streamed in chunks classified on every core, so a million cookies never sit in
//! memory as one string.

use std::io::{self, BufRead, BufReader, Write as _};

use anyhow::Context as _;

use super::args::RotateArgs;
use super::{KeyList, Outcome, UsageError, now_unix, params, parse_max_age};
use crate::core::VerifyOptions;
use crate::core::rotate::{Classified, Report, Rotation};
use crate::core::time;
use crate::jobs::rotate::{self as rotate_job, Column};

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
    let csv_column = args
        .csv_column
        .as_deref()
        .map(Column::parse)
        .transpose()
        .map_err(UsageError)?;
    let reader: Box<dyn BufRead> = match args.file.as_deref() {
        None | Some("-") => Box::new(BufReader::new(io::stdin().lock())),
        Some(path) => Box::new(BufReader::new(
            std::fs::File::open(path)
                .map_err(|e| UsageError(format!("cannot read {path}: {e}")))?,
        )),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
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

fn names(list: &KeyList, what: &str) -> Vec<String> {
    list.names
        .iter()
        .enumerate()
        .map(|(i, n)| n.clone().unwrap_or_else(|| format!("{what} key #{i}")))
        .collect()
}

/// Prints one cookie's row: a JSON object (`--json`) or a line of text.
fn emit(line_no: usize, c: &Classified, json: bool, out: &mut dyn io::Write) -> io::Result<()> {
    if json {
        // Written directly: the row's fields are numbers, fixed labels and an escaped error.
        write!(
            out,
            "{{\"line\":{line_no},\"outcome\":\"{}\",\"now\":\"{}\",\"signed_at\":",
            c.outcome.label(),
            c.now
        )?;
        write_opt(out, c.signed_at)?;
        out.write_all(b",\"key_now\":")?;
        write_opt(out, c.key_now)?;
        out.write_all(b",\"key_next\":")?;
        write_opt(out, c.key_next)?;
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

fn write_opt(out: &mut dyn io::Write, v: Option<impl std::fmt::Display>) -> io::Result<()> {
    match v {
        Some(v) => write!(out, "{v}"),
        None => out.write_all(b"null"),
    }
}
