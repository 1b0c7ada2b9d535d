//! The `signet` command line: a thin layer over [`crate::core`]. `main` only maps the outcome to
//! an exit code: 0 valid / success, 1 any other verdict, 2 usage or I/O errors.

pub mod args;
mod output;

use std::io::{self, Read as _, Write as _};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{CommandFactory as _, FromArgMatches as _};

use crate::core::{
    self, FormatParams, MaxAge, Secret, Verdict, VerifyOptions, format_by_id, input::MAX_INPUT,
};
use args::{Cli, Command, InspectArgs, ParamArgs, SignArgs};

/// What a command ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Success, or a valid cookie.
    Success,
    /// A verdict other than valid.
    NotValid,
}

/// A usage error (exit 2) as opposed to a verdict.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    match run(cli, &matches) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::NotValid) => ExitCode::from(1),
        Err(err) => {
            if err.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("signet: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli, matches: &clap::ArgMatches) -> anyhow::Result<Outcome> {
    match cli.command {
        None => {
            eprintln!(
                "signet: the window is not part of this build yet; use a command:\n\n{}",
                Cli::command().render_help()
            );
            Err(UsageError("no command given".into()).into())
        }
        Some(Command::Formats(args)) => {
            output::formats(args.json)?;
            Ok(Outcome::Success)
        }
        Some(Command::Inspect(args)) => {
            let sub = matches
                .subcommand_matches("inspect")
                .context("inspect arguments")?;
            let keys = ordered_secrets(sub)?;
            inspect(&args, &keys)
        }
        Some(Command::Sign(args)) => sign(&args),
    }
}

/// `--secret` and `--secret-hex` in the order they were given.
fn ordered_secrets(sub: &clap::ArgMatches) -> anyhow::Result<Vec<Secret>> {
    let mut keyed: Vec<(usize, Secret)> = Vec::new();
    if let (Some(idx), Some(vals)) = (sub.indices_of("secret"), sub.get_many::<String>("secret")) {
        keyed.extend(idx.zip(vals).map(|(i, v)| (i, Secret::from_text(v))));
    }
    if let (Some(idx), Some(vals)) = (
        sub.indices_of("secret_hex"),
        sub.get_many::<String>("secret_hex"),
    ) {
        for (i, v) in idx.zip(vals) {
            let s = Secret::from_hex(v).map_err(|e| UsageError(format!("--secret-hex: {e}")))?;
            keyed.push((i, s));
        }
    }
    keyed.sort_by_key(|(i, _)| *i);
    Ok(keyed.into_iter().map(|(_, s)| s).collect())
}

fn params(args: &ParamArgs) -> anyhow::Result<FormatParams> {
    let digest = match &args.digest {
        Some(d) => Some(
            d.parse()
                .map_err(|e: String| UsageError(format!("--digest: {e}")))?,
        ),
        None => None,
    };
    Ok(FormatParams {
        salt: args.salt.clone(),
        separator: args.separator.clone(),
        digest,
        key_derivation: args.key_derivation.clone(),
        cookie_name: args.cookie_name.clone(),
    })
}

fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Reads the argument, or standard input for `-` / nothing.
fn read_arg_or_stdin(arg: Option<&str>, what: &str) -> anyhow::Result<String> {
    match arg {
        Some(text) if text != "-" => Ok(text.to_string()),
        _ => {
            let mut buf = Vec::new();
            io::stdin()
                .lock()
                .take(MAX_INPUT as u64 + 1)
                .read_to_end(&mut buf)
                .with_context(|| format!("reading the {what} from standard input"))?;
            if buf.len() > MAX_INPUT {
                bail!(UsageError(format!(
                    "the {what} is larger than {} MiB",
                    MAX_INPUT / (1024 * 1024)
                )));
            }
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
    }
}

fn inspect(args: &InspectArgs, keys: &[Secret]) -> anyhow::Result<Outcome> {
    let params = params(&args.params)?;
    let max_age = match args.max_age.as_deref() {
        None => MaxAge::FrameworkDefault,
        Some("none") => MaxAge::Unlimited,
        Some(s) => MaxAge::Secs(s.parse().map_err(|_| {
            UsageError(format!("--max-age: expected seconds or `none`, got {s:?}"))
        })?),
    };
    let now = args.now.unwrap_or_else(now_unix);
    let opts = VerifyOptions {
        now,
        max_age,
        leeway_secs: args.leeway,
    };
    let text = read_arg_or_stdin(args.input.as_deref(), "cookie")?;
    let req = core::InspectRequest {
        format: args.format.as_deref(),
        keys,
        params,
    };
    let inspection = core::inspect(&text, &req, &opts).map_err(|e| UsageError(e.0))?;
    if args.json {
        output::inspection_json(&inspection)?;
    } else {
        output::inspection_text(&inspection, keys.len(), now)?;
    }
    Ok(if inspection.verification.verdict == Verdict::Valid {
        Outcome::Success
    } else {
        Outcome::NotValid
    })
}

fn sign(args: &SignArgs) -> anyhow::Result<Outcome> {
    let format = format_by_id(&args.format)
        .ok_or_else(|| UsageError(format!("unknown format {:?}", args.format)))?;
    let params = params(&args.params)?;
    format.check_params(&params).map_err(|e| UsageError(e.0))?;
    let key = match (&args.secret, &args.secret_hex) {
        (Some(text), _) => Secret::from_text(text),
        (None, Some(hex)) => {
            Secret::from_hex(hex).map_err(|e| UsageError(format!("--secret-hex: {e}")))?
        }
        (None, None) => bail!(UsageError(
            "give the key with --secret or --secret-hex".into()
        )),
    };
    let text = read_arg_or_stdin(args.payload.as_deref(), "payload")?;
    let payload = core::pyjson::parse(text.trim())
        .map_err(|e| UsageError(format!("the payload is not JSON: {e}")))?;
    let timestamp = args.timestamp.unwrap_or_else(now_unix);
    let cookie = format
        .sign(&payload, &key, &params, timestamp)
        .map_err(|e| UsageError(e.to_string()))?;
    let mut out = io::stdout().lock();
    writeln!(out, "{cookie}")?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
