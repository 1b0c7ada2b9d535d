//! The raw command line, as clap parses it (see ../shared/contract.md).

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Inspect, verify, re-sign and rotate signed session cookies.
///
/// With no command, opens the window.
#[derive(Debug, Parser)]
#[command(name = "signet", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Where keys are stored: the OS keyring, or a throwaway in-memory store.
    #[arg(long, global = true, value_enum, default_value_t = KeyringKind::Os)]
    pub keyring: KeyringKind,

    /// Open the window with sample cookies of several formats and throwaway in-memory keys.
    #[arg(long)]
    pub demo: bool,

    /// The tab the window opens on (inspect, rotate, keys or audit).
    #[arg(long, value_name = "TAB", hide = true)]
    pub tab: Option<String>,

    /// The command to run.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The key store to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyringKind {
    /// The operating system's keyring (Secret Service, Keychain, Credential Manager).
    Os,
    /// An empty in-memory store that is gone when the command ends (tests, demos).
    Memory,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode a cookie, say whether it is genuine and which key signed it.
    Inspect(InspectArgs),
    /// Sign a payload as the framework would.
    Sign(SignArgs),
    /// List the supported formats.
    Formats(FormatsArgs),
    /// Manage secret keys in the OS keyring.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Preview a key rotation: which live cookies the proposed key set keeps, and which it logs out.
    Rotate(Box<RotateArgs>),
    /// Find a cookie's key in wordlists (built-in list first), or rate the stored keys.
    Audit(AuditArgs),
    /// Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff): signet(1), or signet-COMMAND(1) for one command.
    Man(ManArgs),
}

/// `signet completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: clap_complete::Shell,
}

/// `signet man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command (e.g. `rotate`, `keys generate`), or nothing for the main page.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,

    /// Write every page (signet.1 and signet-COMMAND.1 for every command) into this directory.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub all: Option<std::path::PathBuf>,
}

/// `signet audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The cookie (any form `inspect` takes); `-` or nothing reads standard input.
    #[arg(value_name = "INPUT")]
    pub input: Option<String>,

    /// Rate every stored key instead (length, entropy, known lists, reuse, age).
    #[arg(long, conflicts_with = "input")]
    pub stored: bool,

    /// The cookie's format (default: detected).
    #[arg(long, value_name = "ID", value_parser = format_ids())]
    pub format: Option<String>,

    /// A wordlist: one candidate per line, any bytes (repeatable; streamed, never loaded whole).
    #[arg(long, value_name = "FILE")]
    pub wordlist: Vec<String>,

    /// Worker threads (default: every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Also try simple variants of every candidate (case, common suffixes).
    #[arg(long)]
    pub mutate: bool,

    /// Format parameters.
    #[command(flatten)]
    pub params: ParamArgs,

    /// Print one JSON object (`found`, `secret`, `tried`, `seconds`).
    #[arg(long)]
    pub json: bool,
}

/// `signet rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The cookies: one per line (any form `inspect` takes), or a HAR file; `-` or nothing
    /// reads standard input.
    #[arg(value_name = "FILE")]
    pub file: Option<String>,

    /// The cookies' format.
    #[arg(long, value_name = "ID", value_parser = format_ids(), required = true)]
    pub format: String,

    /// A key of the set in force now (repeat: primary first, then fallbacks).
    #[arg(long, value_name = "TEXT")]
    pub from_secret: Vec<String>,
    /// The same, as hex.
    #[arg(long, value_name = "HEX")]
    pub from_secret_hex: Vec<String>,
    /// A stored key of the set in force now.
    #[arg(long, value_name = "NAME")]
    pub from_key: Vec<String>,
    /// A stored key set in force now.
    #[arg(long, value_name = "NAME")]
    pub from_key_set: Vec<String>,

    /// A key of the proposed set (repeat: primary first, then fallbacks).
    #[arg(long, value_name = "TEXT")]
    pub to_secret: Vec<String>,
    /// The same, as hex.
    #[arg(long, value_name = "HEX")]
    pub to_secret_hex: Vec<String>,
    /// A stored key of the proposed set.
    #[arg(long, value_name = "NAME")]
    pub to_key: Vec<String>,
    /// A stored key set as the proposal.
    #[arg(long, value_name = "NAME")]
    pub to_key_set: Vec<String>,

    /// The key derivation of each key in force now, in key order (stored key sets expanded),
    /// comma-separated or repeated; a single value applies to every key. Overrides
    /// --key-derivation for this set. Rails: each key's key generator, pbkdf2-sha1 or
    /// pbkdf2-sha256, as secret_key_base and each cookies_rotations entry are derived; other
    /// formats take one value for the whole set.
    #[arg(long, value_name = "NAME[,NAME..]", value_delimiter = ',')]
    pub from_key_derivation: Vec<String>,
    /// The same for the proposed keys. E.g. the Rails 7.0 upgrade, new secret_key_base on SHA256
    /// with the old one kept as a SHA1 rotation: --to-secret NEW --to-secret OLD
    /// --to-key-derivation pbkdf2-sha256,pbkdf2-sha1.
    #[arg(long, value_name = "NAME[,NAME..]", value_delimiter = ',')]
    pub to_key_derivation: Vec<String>,

    /// Rails signed cookies: the signing digest of each key in force now, in key order,
    /// comma-separated or repeated; a single value applies to every key. Overrides --digest for
    /// this set: the app's signed_cookie_digest for secret_key_base and each cookies_rotations
    /// entry's digest: option (an entry without one takes secret_key_base's). Other formats take
    /// --digest for the whole rotation.
    #[arg(long, value_name = "DIGEST[,DIGEST..]", value_delimiter = ',')]
    pub from_digest: Vec<String>,
    /// The same for the proposed keys. E.g. a Rails app moving signed_cookie_digest from SHA1 to
    /// SHA256 with the old digest kept as a rotation: --to-secret KEY --to-secret KEY
    /// --to-digest sha256,sha1.
    #[arg(long, value_name = "DIGEST[,DIGEST..]", value_delimiter = ',')]
    pub to_digest: Vec<String>,

    /// Format parameters.
    #[command(flatten)]
    pub params: ParamArgs,

    /// Reject older cookies as expired; `none` checks signatures only (default: the framework's).
    #[arg(long, value_name = "SECS|none")]
    pub max_age: Option<String>,

    /// JWT clock leeway in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub leeway: u64,

    /// The time to classify at, in Unix seconds (default: now).
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub now: Option<i64>,

    /// One JSON object per cookie on standard output; the summary goes to standard error.
    #[arg(long)]
    pub json: bool,

    /// Worker threads (default: every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Read FILE as CSV and take the cookie from this column: a header name, or a 1-based
    /// number for a file without a header row.
    #[arg(long, value_name = "NAME|N")]
    pub csv_column: Option<String>,
}

/// `signet keys ...`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List keys and key sets (names and metadata, never secrets).
    List(JsonArg),
    /// Generate a new key with the OS random number generator.
    Generate(GenerateArgs),
    /// Import a key from a file, a .env/settings file or standard input (never from argv).
    Import(ImportArgs),
    /// Show a key's metadata; the secret only with --reveal.
    Show(ShowArgs),
    /// Remove a key from the keyring and the index.
    Remove(RemoveArgs),
    /// Print the config line(s) that install a key or key set for a framework.
    Snippet(SnippetArgs),
    /// Rename a key (its secret and key sets stay).
    Rename {
        /// The key's name.
        name: String,
        /// Its new name.
        new_name: String,
    },
    /// Compare the index with the keyring; --fix repairs without losing a secret.
    Doctor(DoctorArgs),
    /// Manage key sets (an app's ordered key list: primary first, then fallbacks).
    #[command(subcommand)]
    Set(SetCommand),
}

/// `signet keys set ...`.
#[derive(Debug, Subcommand)]
pub enum SetCommand {
    /// Define (or redefine) a key set: KEY... primary first, then the fallbacks.
    Create {
        /// The set's name.
        name: String,
        /// Stored keys, primary first.
        #[arg(required = true)]
        keys: Vec<String>,
    },
    /// List key sets.
    List(JsonArg),
    /// Delete a key set (its keys stay).
    Remove {
        /// The set's name.
        name: String,
    },
}

/// Just `--json`.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// `signet keys generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The new key's name.
    pub name: String,
    /// The framework shape: flask, django, starlette, rails, laravel, express, keygrip, jwt,
    /// jwt-hs384, jwt-hs512, hex, base64.
    #[arg(long, default_value = "flask")]
    pub style: String,
    /// Size in bytes for the hex and base64 styles.
    #[arg(long, value_name = "N")]
    pub bytes: Option<usize>,
    /// A note kept with the key (not secret).
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// `signet keys import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The new key's name.
    pub name: String,
    /// A file holding the key, or a .env / settings / credentials file; `-` or nothing reads
    /// standard input.
    pub file: Option<String>,
    /// Which assignment to take when the file has several (e.g. APP_KEY).
    #[arg(long, value_name = "VAR")]
    pub var: Option<String>,
    /// The key's style (default: what the variable suggests, else imported).
    #[arg(long)]
    pub style: Option<String>,
    /// A note kept with the key (not secret).
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// `signet keys show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The key's name.
    pub name: String,
    /// Print the secret too.
    #[arg(long)]
    pub reveal: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// `signet keys remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The key's name.
    pub name: String,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// `signet keys snippet`.
#[derive(Debug, Args)]
pub struct SnippetArgs {
    /// A key, or a key set (primary and fallbacks).
    pub name: String,
    /// The framework: flask, django, starlette, rails, laravel, express, keygrip, jwt, hex.
    #[arg(long)]
    pub style: String,
}

/// `signet keys doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Repair: drop index entries whose secret is gone, adopt keyring entries with no index entry.
    #[arg(long)]
    pub fix: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Options shared by commands that take format parameters.
#[derive(Debug, Args, Clone, Default)]
pub struct ParamArgs {
    /// Override the format's salt (itsdangerous family, Django).
    #[arg(long, value_name = "TEXT")]
    pub salt: Option<String>,

    /// Override the separator (itsdangerous family, Django signers).
    #[arg(long, value_name = "CHAR")]
    pub separator: Option<String>,

    /// Override the digest (by default inferred from the signature length where possible).
    #[arg(long, value_name = "sha1|sha224|sha256|sha384|sha512")]
    pub digest: Option<String>,

    /// The key derivation: concat, django-concat, hmac or none (itsdangerous); for Rails the key
    /// generator, pbkdf2-sha1 or pbkdf2-sha256 (by default both are tried).
    #[arg(long, value_name = "NAME")]
    pub key_derivation: Option<String>,

    /// The cookie's name, where the format binds it and INPUT does not say it.
    #[arg(long, value_name = "NAME")]
    pub cookie_name: Option<String>,

    /// The JWT header to sign with, as JSON (member order kept).
    #[arg(long, value_name = "JSON")]
    pub header: Option<String>,

    /// Whose JSON spelling to reproduce for JWT: python (PyJWT) or javascript (jsonwebtoken).
    #[arg(long, value_name = "python|javascript")]
    pub dialect: Option<String>,

    /// A format's variant: express `bare` (cookie-signature without `s:`), keygrip `cookies`
    /// (a plain value rather than cookie-session's JSON body).
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,

    /// Compress the payload when that makes it shorter (Django `signing.dumps(compress=True)`;
    /// Flask and Django sessions always do).
    #[arg(long)]
    pub compress: bool,
}

/// `signet inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The cookie: a bare value, name=value, a Cookie: or Set-Cookie: header line; `-` or nothing
    /// reads standard input.
    #[arg(value_name = "INPUT")]
    pub input: Option<String>,

    /// Skip detection and use this format (see `signet formats`).
    #[arg(long, value_name = "ID", value_parser = format_ids())]
    pub format: Option<String>,

    /// A key to verify with; repeat for an ordered key list, primary first, then fallbacks.
    #[arg(long, value_name = "TEXT")]
    pub secret: Vec<String>,

    /// A key given as hex bytes (may be mixed with --secret; the order is kept).
    #[arg(long, value_name = "HEX")]
    pub secret_hex: Vec<String>,

    /// A stored key, by name; repeatable. Without any key option every stored key is tried.
    #[arg(long, value_name = "NAME")]
    pub key: Vec<String>,

    /// A stored key set: its keys in order, primary first.
    #[arg(long, value_name = "NAME")]
    pub key_set: Vec<String>,

    /// Format parameters.
    #[command(flatten)]
    pub params: ParamArgs,

    /// JWT clock leeway in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub leeway: u64,

    /// Reject older cookies as expired; `none` checks the signature only (default: the
    /// framework's own: Flask 31 days, Starlette 14 days, none for bare signers).
    #[arg(long, value_name = "SECS|none")]
    pub max_age: Option<String>,

    /// The time to verify at, in Unix seconds (default: now).
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub now: Option<i64>,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `signet sign`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("signing_key").required(true).args(["secret", "secret_hex", "key"])))]
pub struct SignArgs {
    /// The payload as JSON (Flask: tagged JSON as `inspect` shows it; string formats: a JSON
    /// string); `-` or nothing reads standard input.
    #[arg(value_name = "PAYLOAD")]
    pub payload: Option<String>,

    /// The format to sign in.
    #[arg(long, value_name = "ID", value_parser = format_ids(), required = true)]
    pub format: String,

    /// The key to sign with.
    #[arg(long, value_name = "TEXT")]
    pub secret: Option<String>,

    /// The key to sign with, as hex bytes.
    #[arg(long, value_name = "HEX")]
    pub secret_hex: Option<String>,

    /// A stored key to sign with, by name.
    #[arg(long, value_name = "NAME")]
    pub key: Option<String>,

    /// Format parameters.
    #[command(flatten)]
    pub params: ParamArgs,

    /// The signing time in Unix seconds (default: now). With it, the output is byte for byte
    /// what the framework produces.
    #[arg(long, value_name = "UNIX", allow_negative_numbers = true)]
    pub timestamp: Option<i64>,
}

/// `signet formats`.
#[derive(Debug, Args)]
pub struct FormatsArgs {
    /// Print a JSON array of {"id", "label"}.
    #[arg(long)]
    pub json: bool,
}

fn format_ids() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(crate::core::FORMATS.iter().map(|f| f.id()))
}
