//! The `signet` command line: a thin layer over [`crate::core`]. `main` only maps the outcome to
//! an exit code: 0 valid / success, 1 any other verdict, 2 usage or I/O errors.

pub mod args;
mod audit;
mod docs;
mod keys;
mod output;
mod rotate;

use std::io::{self, Read as _, Write as _};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{CommandFactory as _, FromArgMatches as _};

use crate::core::{
    self, FormatParams, MaxAge, Secret, Verdict, VerifyOptions, format_by_id, input::MAX_INPUT,
};
use crate::keys::{KeyStore, StoreError};
use args::{Cli, Command, InspectArgs, KeyringKind, ParamArgs, SignArgs};

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
    // Before any secret is read: no core dump may ever hold one.
    if let Err(e) = crate::hardening::forbid_core_dumps() {
        eprintln!("signet: warning: core dumps could not be disabled ({e})");
    }
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

/// `signet` with no command: the window.
#[cfg(feature = "gui")]
fn run_window(cli: &Cli) -> anyhow::Result<Outcome> {
    let tab = match cli.tab.as_deref() {
        None => None,
        Some("inspect") => Some(crate::gui::app::Tab::Inspect),
        Some("keys") => Some(crate::gui::app::Tab::Keys),
        Some("rotate") => Some(crate::gui::app::Tab::Rotate),
        Some("audit") => Some(crate::gui::app::Tab::Audit),
        Some(other) => bail!(UsageError(format!(
            "--tab: expected inspect, rotate, keys or audit, got {other:?}"
        ))),
    };
    crate::gui::run(crate::gui::RunOptions {
        demo: cli.demo,
        memory_store: cli.keyring == KeyringKind::Memory,
        tab,
    })?;
    Ok(Outcome::Success)
}

/// `signet` with no command, in a build without the window (`--no-default-features`).
#[cfg(not(feature = "gui"))]
fn run_window(_cli: &Cli) -> anyhow::Result<Outcome> {
    bail!(UsageError(
        "this build of signet has no window (built without the `gui` feature): give a command, see --help".into()
    ))
}

/// Runs a parsed command line.
pub fn run(cli: Cli, matches: &clap::ArgMatches) -> anyhow::Result<Outcome> {
    match cli.command {
        None => run_window(&cli),
        Some(Command::Formats(args)) => {
            output::formats(args.json)?;
            Ok(Outcome::Success)
        }
        Some(Command::Inspect(args)) => {
            let sub = matches
                .subcommand_matches("inspect")
                .context("inspect arguments")?;
            let keys = resolve_keys(sub, cli.keyring)?;
            inspect(&args, &keys)
        }
        Some(Command::Sign(args)) => sign(&args, cli.keyring),
        Some(Command::Keys(cmd)) => {
            let store = open_store(cli.keyring)?;
            keys::run(cmd, &store)
        }
        Some(Command::Audit(args)) => audit::run(&args, || Ok(open_store(cli.keyring)?)),
        Some(Command::Completions(args)) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            // Into a buffer first: clap_complete panics on a write error (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "signet", &mut script);
            io::stdout().write_all(&script)?;
            Ok(Outcome::Success)
        }
        Some(Command::Man(args)) => {
            docs::man(&args.command, args.all.as_deref())?;
            Ok(Outcome::Success)
        }
        Some(Command::Rotate(args)) => {
            let sub = matches
                .subcommand_matches("rotate")
                .context("rotate arguments")?;
            let from = resolve_key_args(sub, cli.keyring, "from-", false)?;
            let to = resolve_key_args(sub, cli.keyring, "to-", false)?;
            rotate::run(&args, &from, &to)
        }
    }
}

/// Opens the key store the `--keyring` option names.
fn open_store(kind: KeyringKind) -> Result<KeyStore, StoreError> {
    match kind {
        KeyringKind::Memory => Ok(KeyStore::memory()),
        KeyringKind::Os => KeyStore::open_os(None),
    }
}

/// The key list of an `inspect`: where it came from and the keys, in order.
pub struct KeyList {
    /// The secrets, in order.
    pub secrets: Vec<Secret>,
    /// The stored key's name for each secret, when it came from the store.
    pub names: Vec<Option<String>>,
    /// Whether these are all the stored keys (nothing was asked for).
    pub all_stored: bool,
}

/// `--secret`, `--secret-hex`, `--key` and `--key-set` in the order given; with none of them,
/// every stored key.
fn resolve_keys(sub: &clap::ArgMatches, kind: KeyringKind) -> anyhow::Result<KeyList> {
    resolve_key_args(sub, kind, "", true)
}

/// The ordered key list given by `--{prefix}secret`, `--{prefix}secret-hex`, `--{prefix}key` and
/// `--{prefix}key-set`; with none of them and `all_if_none`, every stored key.
fn resolve_key_args(
    sub: &clap::ArgMatches,
    kind: KeyringKind,
    prefix: &str,
    all_if_none: bool,
) -> anyhow::Result<KeyList> {
    let id = |name: &str| format!("{}{name}", prefix.replace('-', "_"));
    let flag = |name: &str| format!("--{prefix}{}", name.replace('_', "-"));
    enum Source {
        Text(Secret),
        Key(String),
        Set(String),
    }
    let values = |name: &str| -> Vec<(usize, String)> {
        match (sub.indices_of(&id(name)), sub.get_many::<String>(&id(name))) {
            (Some(idx), Some(vals)) => idx.zip(vals.cloned()).collect(),
            _ => Vec::new(),
        }
    };
    let mut sources: Vec<(usize, Source)> = Vec::new();
    for (i, v) in values("secret") {
        sources.push((i, Source::Text(Secret::from_text(&v))));
    }
    for (i, v) in values("secret_hex") {
        let s =
            Secret::from_hex(&v).map_err(|e| UsageError(format!("{}: {e}", flag("secret_hex"))))?;
        sources.push((i, Source::Text(s)));
    }
    for (i, v) in values("key") {
        sources.push((i, Source::Key(v)));
    }
    for (i, v) in values("key_set") {
        sources.push((i, Source::Set(v)));
    }
    sources.sort_by_key(|(i, _)| *i);
    let mut list = KeyList {
        secrets: Vec::new(),
        names: Vec::new(),
        all_stored: sources.is_empty() && all_if_none,
    };
    if sources.is_empty() && !all_if_none {
        bail!(UsageError(format!(
            "give the key set with {}, {}, {} or {}",
            flag("secret"),
            flag("secret_hex"),
            flag("key"),
            flag("key_set")
        )));
    }
    if sources.is_empty() {
        // Try every stored key; a missing keyring is a notice, not a failure.
        match open_store(kind).and_then(|s| s.load_all()) {
            Ok((loaded, problems)) => {
                for p in problems {
                    eprintln!("signet: note: {p}");
                }
                for k in loaded {
                    list.names.push(Some(k.meta.name));
                    list.secrets.push(k.secret);
                }
            }
            Err(e) => eprintln!("signet: note: stored keys not tried: {e}"),
        }
        return Ok(list);
    }
    let needs_store = sources.iter().any(|(_, s)| !matches!(s, Source::Text(_)));
    let store = if needs_store {
        Some(open_store(kind)?)
    } else {
        None
    };
    for (_, source) in sources {
        match (source, &store) {
            (Source::Text(s), _) => {
                list.secrets.push(s);
                list.names.push(None);
            }
            (Source::Key(name), Some(store)) => {
                let k = store.load(&name)?;
                list.secrets.push(k.secret);
                list.names.push(Some(k.meta.name));
            }
            (Source::Set(name), Some(store)) => {
                for k in store.load_set(&name)? {
                    list.secrets.push(k.secret);
                    list.names.push(Some(k.meta.name));
                }
            }
            _ => unreachable!("the store is opened when a stored key is named"),
        }
    }
    Ok(list)
}

pub(crate) fn params(args: &ParamArgs) -> anyhow::Result<FormatParams> {
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
        compress: args.compress.then_some(true),
        header: match &args.header {
            Some(text) => Some(
                core::pyjson::parse(text)
                    .map_err(|e| UsageError(format!("--header is not JSON: {e}")))?,
            ),
            None => None,
        },
        variant: args.variant.clone(),
        dialect: match args.dialect.as_deref() {
            None => None,
            Some("python" | "pyjwt") => Some(core::JsonDialect::Python),
            Some("javascript" | "js" | "node") => Some(core::JsonDialect::JavaScript),
            Some(other) => bail!(UsageError(format!(
                "--dialect: expected python or javascript, got {other:?}"
            ))),
        },
    })
}

pub(crate) fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Reads the argument, or standard input for `-` / nothing.
pub(crate) fn read_arg_or_stdin(arg: Option<&str>, what: &str) -> anyhow::Result<String> {
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

/// `--max-age SECS|none`.
pub(crate) fn parse_max_age(arg: Option<&str>) -> anyhow::Result<MaxAge> {
    Ok(match arg {
        None => MaxAge::FrameworkDefault,
        Some("none") => MaxAge::Unlimited,
        Some(s) => MaxAge::Secs(s.parse().map_err(|_| {
            UsageError(format!("--max-age: expected seconds or `none`, got {s:?}"))
        })?),
    })
}

fn inspect(args: &InspectArgs, keys: &KeyList) -> anyhow::Result<Outcome> {
    let params = params(&args.params)?;
    let max_age = parse_max_age(args.max_age.as_deref())?;
    let now = args.now.unwrap_or_else(now_unix);
    let opts = VerifyOptions {
        now,
        max_age,
        leeway_secs: args.leeway,
    };
    let text = read_arg_or_stdin(args.input.as_deref(), "cookie")?;
    let req = core::InspectRequest {
        format: args.format.as_deref(),
        keys: &keys.secrets,
        params,
    };
    let inspection = core::inspect(&text, &req, &opts).map_err(|e| UsageError(e.0))?;
    if args.json {
        output::inspection_json(&inspection, keys)?;
    } else {
        output::inspection_text(&inspection, keys, now)?;
    }
    Ok(if inspection.verification.verdict == Verdict::Valid {
        Outcome::Success
    } else {
        Outcome::NotValid
    })
}

fn sign(args: &SignArgs, kind: KeyringKind) -> anyhow::Result<Outcome> {
    let format = format_by_id(&args.format)
        .ok_or_else(|| UsageError(format!("unknown format {:?}", args.format)))?;
    let params = params(&args.params)?;
    format.check_params(&params).map_err(|e| UsageError(e.0))?;
    let key = match (&args.secret, &args.secret_hex, &args.key) {
        (Some(text), _, _) => Secret::from_text(text),
        (None, Some(hex), _) => {
            Secret::from_hex(hex).map_err(|e| UsageError(format!("--secret-hex: {e}")))?
        }
        (None, None, Some(name)) => open_store(kind)?.load(name)?.secret,
        (None, None, None) => bail!(UsageError(
            "give the key with --secret, --secret-hex or --key".into()
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
