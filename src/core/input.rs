//! What people paste: a bare value, `name=value`, a `Cookie:` or `Set-Cookie:` header line, a
//! devtools table row, quoted values, a `curl` command, a raw HTTP message or a HAR file. One
//! parser for the CLI and the GUI.
//!
//! [`parse`] first decides what the whole paste is, from its start:
//!
//! * **HAR** (`{` first and `"log"` somewhere): every request cookie (`request.cookies[]` and
//!   `Cookie` request headers) and every response cookie (`response.cookies[]` and
//!   `Set-Cookie` response headers, one cookie per line of a header value, as Firefox joins
//!   them), deduplicated by (name, value): the first occurrence is kept, with
//!   `METHOD URL` of its entry as the source. Unknown fields are skipped, missing or mistyped
//!   ones read as empty; malformed or truncated JSON ends the reading and keeps what was read
//!   before. Never falls back to line parsing.
//! * **curl** (the first word is `curl` or `curl.exe`): words are split as bash does (single
//!   quotes, double quotes with `\` escapes, `$'…'` ANSI-C quoting, `\` line continuations) or,
//!   when the command is in cmd.exe form (`curl ^"…^"`, `^` line continuations, as "Copy as cURL
//!   (cmd)" writes it), as cmd.exe and the MS C runtime do. Cookies come from `-b`/`--cookie`
//!   values that contain `=` (without one the value is a cookie-jar file name and is ignored)
//!   and from `-H`/`--header` values that are `Cookie:` or `Set-Cookie:` headers. The source is
//!   the `--url` value or else the first positional argument (preferring one with `://`).
//!   Commands separated by newlines, `;`, `&` or `|` are read one by one; words of other commands
//!   are ignored.
//! * **HTTP message** (the first line is a request line `METHOD target HTTP/x`, a status line
//!   `HTTP/x 200 …`, or an HTTP/2 pseudo-header such as `:authority: …`): only `Cookie:` and
//!   `Set-Cookie:` headers give cookies (folded continuation lines are joined), reading stops at
//!   the first empty line (the body is not read). The source of a request is
//!   `METHOD scheme://host/path` when a `Host` (or `:authority`) header is there (the scheme is
//!   `:scheme`, else `http` for a host on port 80, else `https`), the target itself when it is
//!   an absolute URL, else the request line; a response has no source.
//! * **Lines** otherwise: each line is a `Cookie:`/`Set-Cookie:` header, a devtools row, a
//!   `a=1; b=2` list, `name=value` and/or a bare value. In a paste of several lines, other HTTP
//!   header lines (`Name: value`: a name of letters, digits and `-`, then `:` and a space or the
//!   end of the line) are skipped; a single line is always read as a value, so a Django
//!   `value:ts:sig` stays whole.
//!
//! Whatever the form, a cookie `x` and its keygrip companion `x.sig` from the same paste are
//! joined into one more candidate, placed first (the first cookie of a name wins).
//!
//! Work is linear in the input (inputs over [`MAX_INPUT`] are refused), and at most
//! [`MAX_CANDIDATES`] candidates come out.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::iter::Peekable;
use std::marker::PhantomData;
use std::str::Chars;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Where a candidate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputForm {
    /// The whole input is the value.
    Bare,
    /// `name=value`.
    NameValue,
    /// One cookie of a `Cookie:` header (or a `a=1; b=2` list).
    CookieHeader,
    /// The cookie of a `Set-Cookie:` line.
    SetCookie,
    /// A row copied from the browser's devtools cookie table: Chrome's tab-separated columns
    /// (name, value, domain, path, expires, ...) or Firefox's `name:"value"`.
    DevtoolsRow,
    /// A line of a Netscape `cookies.txt` file.
    CookiesTxt,
    /// A cookie and its `name.sig` companion, joined (keygrip).
    SignaturePair,
    /// A cookie of a `curl` command (`-b`/`--cookie`, or a `Cookie:`/`Set-Cookie:` `-H` header).
    Curl,
    /// A `Cookie:` or `Set-Cookie:` header of a raw HTTP request or response.
    HttpMessage,
    /// A request or response cookie of a HAR file.
    Har,
}

/// One cookie found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The cookie name, when the input gave one.
    pub name: Option<String>,
    /// The value, unquoted (`%XX` escapes are left to the formats).
    pub value: String,
    /// How it was written.
    pub form: InputForm,
    /// Where it was sent or received, when the input says: `METHOD URL` of a HAR entry or of a
    /// raw HTTP request, the URL of a `curl` command. At most [`MAX_SOURCE`] bytes (longer ones
    /// are cut and end in `…`).
    pub source: Option<String>,
}

/// Inputs larger than this are refused outright (a cookie header is at most a few KiB).
pub const MAX_INPUT: usize = 16 * 1024 * 1024;

/// At most this many candidates come out of one paste (a huge HAR or header list is cut there),
/// so nothing downstream sees an unbounded list.
pub const MAX_CANDIDATES: usize = 100_000;

/// A [`Candidate::source`] is cut to about this many bytes.
pub const MAX_SOURCE: usize = 512;

/// Every plausible reading of `text`, most specific first. Several cookies of one header each give
/// a candidate; an ambiguous `a=b` gives both the named and the bare reading. See the module
/// documentation for the forms and their rules.
pub fn parse(text: &str) -> Vec<Candidate> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() || text.len() > MAX_INPUT {
        return Vec::new();
    }
    let mut out = Vec::new();
    if text.starts_with('{') && text.contains("\"log\"") {
        read_har(text, &mut out);
    } else if let Some(rest) = strip_curl(text) {
        let cmd = rest.trim_start().starts_with("^\"")
            || text.contains(" ^\n")
            || text.contains(" ^\r\n");
        if cmd {
            read_curl(CmdWords::new(text), &mut out);
        } else {
            read_curl(BashWords::new(text), &mut out);
        }
    } else if let Some(start) = text.lines().next().and_then(start_line) {
        read_http(text, start, &mut out);
    } else {
        let multi = text.contains('\n');
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if out.len() >= MAX_CANDIDATES {
                break;
            }
            parse_line(line, multi, &mut out);
        }
    }
    let mut all = pair_signatures(out);
    all.truncate(MAX_CANDIDATES);
    all
}

/// keygrip signs `name=value` into a companion cookie `name.sig`: each such pair becomes one
/// more candidate, `name=value; name.sig=sig`, placed first. Like `cookies`, the first cookie of
/// a name is the one read; later duplicates are ignored.
fn pair_signatures(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        if let Some(name) = &c.name {
            first.entry(name.as_str()).or_insert(i);
        }
    }
    let mut pairs = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let Some(name) = &c.name else { continue };
        if first.get(name.as_str()) != Some(&i) {
            continue;
        }
        let sig_name = format!("{name}.sig");
        if let Some(sig) = first
            .get(sig_name.as_str())
            .and_then(|&s| candidates.get(s))
        {
            pairs.push(Candidate {
                name: Some(name.clone()),
                value: format!("{name}={}; {sig_name}={}", c.value, sig.value),
                form: InputForm::SignaturePair,
                source: c.source.clone(),
            });
        }
    }
    drop(first);
    pairs.extend(candidates);
    pairs
}

fn parse_line(line: &str, multi: bool, out: &mut Vec<Candidate>) {
    // Comments of a cookies.txt or a cookie list (`#HttpOnly_` lines are cookies).
    if multi && line.starts_with('#') && !line.starts_with("#HttpOnly_") {
        return;
    }
    if let Some(rest) = strip_prefix_ci(line, "set-cookie:") {
        push_set_cookie(rest, InputForm::SetCookie, out);
        return;
    }
    if let Some(rest) = strip_prefix_ci(line, "cookie:") {
        push_cookie_list(rest, InputForm::CookieHeader, out);
        return;
    }
    if multi && is_header_line(line) {
        return;
    }
    // Firefox's storage inspector copies a cookie as `name:"value"`.
    if let Some((name, rest)) = line.split_once(':')
        && let Some(value) = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"'))
        && is_token(name)
        && !value.is_empty()
    {
        push(out, Some(name), value, InputForm::DevtoolsRow);
        return;
    }
    // A Netscape cookies.txt line (curl -c, browser exporters): domain, include-subdomains,
    // path, secure, expiry, name, value; `#HttpOnly_` marks HttpOnly cookies' domains.
    if let Some((name, value)) = netscape_line(line) {
        push(out, Some(name), value, InputForm::CookiesTxt);
        return;
    }
    // Chrome's Application panel copies a row as tab-separated columns, name and value first.
    if line.contains('\t') {
        let mut fields = line.split('\t').map(str::trim);
        if let (Some(name), Some(value)) = (fields.next(), fields.next())
            && is_token(name)
            && !value.is_empty()
        {
            // The table's own header row, when it was copied too.
            let heading = name.eq_ignore_ascii_case("name") && value.eq_ignore_ascii_case("value");
            if !heading {
                push(out, Some(name), value, InputForm::DevtoolsRow);
            }
            return;
        }
    }
    if line.contains("; ") || line.ends_with(';') {
        let pairs: Vec<_> = line
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if pairs.len() > 1 && pairs.iter().all(|p| split_header_pair(p).is_some()) {
            for p in pairs {
                if let Some((name, value)) = split_header_pair(p) {
                    push(out, Some(name), value, InputForm::CookieHeader);
                }
            }
            return;
        }
    }
    if let Some((name, value)) = split_pair(line) {
        push(out, Some(name), value, InputForm::NameValue);
    }
    push(out, None, line, InputForm::Bare);
}

/// An HTTP header line other than a cookie header, in a paste of several lines: `Name: value`
/// (or `Name:` alone) with a name of ASCII letters, digits and `-`, or an HTTP/2 pseudo-header
/// `:name: value`.
fn is_header_line(line: &str) -> bool {
    let body = line.strip_prefix(':').unwrap_or(line);
    let Some((name, rest)) = body.split_once(':') else {
        return false;
    };
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && (rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Adds a candidate, unless [`MAX_CANDIDATES`] were found already. Quotes are removed here (every
/// cookie parser does that); `%XX` escapes are not: only some frameworks URL-decode values
/// (Express, Rack), and each format does it itself, exactly once, as its framework does.
fn push(out: &mut Vec<Candidate>, name: Option<&str>, value: &str, form: InputForm) {
    if out.len() >= MAX_CANDIDATES {
        return;
    }
    out.push(Candidate {
        name: name.map(str::to_string),
        value: unquote(value),
        form,
        source: None,
    });
}

/// The cookies of a `Cookie:` header value: `a=1; b=2`.
fn push_cookie_list(list: &str, form: InputForm, out: &mut Vec<Candidate>) {
    for pair in list.split(';') {
        if let Some((name, value)) = split_header_pair(pair.trim()) {
            push(out, Some(name), value, form);
        }
    }
}

/// The cookie of a `Set-Cookie:` header value: the `name=value` before the attributes.
fn push_set_cookie(line: &str, form: InputForm, out: &mut Vec<Candidate>) {
    let first = line.split(';').next().unwrap_or_default().trim();
    if let Some((name, value)) = split_header_pair(first) {
        push(out, Some(name), value, form);
    }
}

/// Sets the source of every candidate from `start` on.
fn set_source(out: &mut [Candidate], start: usize, source: Option<&str>) {
    if let Some(source) = source {
        let source = bounded(source);
        for c in out.iter_mut().skip(start) {
            c.source = Some(source.clone());
        }
    }
}

/// `text` trimmed and cut to at most [`MAX_SOURCE`] bytes (on a character boundary, with `…`).
fn bounded(text: &str) -> String {
    let text = text.trim();
    if text.len() <= MAX_SOURCE {
        return text.to_string();
    }
    let cut = text.floor_char_boundary(MAX_SOURCE);
    format!("{}…", text.get(..cut).unwrap_or_default())
}

/// The name and value of a Netscape `cookies.txt` line.
fn netscape_line(line: &str) -> Option<(&str, &str)> {
    let line = line.strip_prefix("#HttpOnly_").unwrap_or(line);
    let fields: Vec<&str> = line.split('\t').collect();
    let [_domain, subdomains, _path, secure, expiry, name, value] = fields.as_slice() else {
        return None;
    };
    let flag = |f: &str| f.eq_ignore_ascii_case("true") || f.eq_ignore_ascii_case("false");
    (flag(subdomains)
        && flag(secure)
        && expiry.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && is_token(name))
    .then_some((*name, *value))
}

/// `name=value` when the part before the first `=` is a cookie-name token and the `=` is not
/// base64 padding (`eyJ9==.ts.sig` is a bare value).
fn split_pair(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    // `eyJ9==.ts.sig` and `eyJ9=.ts.sig` are bare values whose base64 padding looks like `=`;
    // `session=.eJx...` is a name and a compressed itsdangerous value: a zlib stream's base64
    // starts `eA`, `eF`, `eJ` or `eN` (levels 1, 2-5, default, 6-9).
    let zlib = [".eA", ".eF", ".eJ", ".eN"]
        .iter()
        .any(|p| value.starts_with(p));
    let padding = value.starts_with('=') || value.starts_with('.') && !zlib;
    if !is_token(name) || padding || value.is_empty() && name.len() > 40 {
        return None;
    }
    Some((name, value.trim()))
}

/// `name=value` inside a header, where the name is certain to come first.
fn split_header_pair(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    is_token(name).then(|| (name, value.trim()))
}

/// An RFC 6265 cookie-name token.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP messages.

/// The first line of a raw HTTP message.
#[derive(Debug, Clone, Copy)]
enum StartLine<'a> {
    /// `METHOD target HTTP/x`.
    Request {
        line: &'a str,
        method: &'a str,
        target: &'a str,
    },
    /// `HTTP/x 200 reason`.
    Status,
    /// An HTTP/2 pseudo-header (`:authority: host`): the message starts with its headers.
    Headers,
}

fn start_line(line: &str) -> Option<StartLine<'_>> {
    let line = line.trim();
    let mut words = line.split_ascii_whitespace();
    let first = words.next()?;
    if is_http_version(first) {
        let code = words.next()?;
        return (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
            .then_some(StartLine::Status);
    }
    if first.starts_with(':') {
        return is_header_line(line).then_some(StartLine::Headers);
    }
    let target = words.next()?;
    let version = words.next()?;
    let method_token = first
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    (method_token && is_http_version(version) && words.next().is_none()).then_some(
        StartLine::Request {
            line,
            method: first,
            target,
        },
    )
}

/// `HTTP/1.1`, `HTTP/2`, ...
fn is_http_version(word: &str) -> bool {
    word.strip_prefix("HTTP/").is_some_and(|v| {
        v.starts_with(|c: char| c.is_ascii_digit())
            && v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    })
}

/// A header line `Name: value` (or a pseudo-header `:name: value`), trimmed.
fn split_header(line: &str) -> Option<(&str, &str)> {
    let skip = usize::from(line.starts_with(':'));
    let colon = line.get(skip..)?.find(':')? + skip;
    let name = line.get(..colon)?.trim();
    let value = line.get(colon + 1..)?.trim();
    (!name.is_empty()).then_some((name, value))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CookieHeaderKind {
    Cookie,
    SetCookie,
}

fn read_http(text: &str, start: StartLine<'_>, out: &mut Vec<Candidate>) {
    let first = out.len();
    let mut lines = text.lines();
    if !matches!(start, StartLine::Headers) {
        lines.next();
    }
    let mut host = None;
    // HTTP/2 pseudo-headers, as devtools lists them.
    let (mut pseudo_method, mut scheme, mut authority, mut path) = (None, None, None, None);
    // The cookie header being read, with its folded continuation lines.
    let mut current: Option<(CookieHeaderKind, String)> = None;
    for line in lines {
        if line.trim().is_empty() || out.len() >= MAX_CANDIDATES {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = &mut current {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        flush_cookie_header(current.take(), out);
        let Some((name, value)) = split_header(line) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "cookie" => current = Some((CookieHeaderKind::Cookie, value.to_string())),
            "set-cookie" => current = Some((CookieHeaderKind::SetCookie, value.to_string())),
            "host" => host = host.or(Some(value)),
            ":method" => pseudo_method = pseudo_method.or(Some(value)),
            ":scheme" => scheme = scheme.or(Some(value)),
            ":authority" => authority = authority.or(Some(value)),
            ":path" => path = path.or(Some(value)),
            _ => {}
        }
    }
    flush_cookie_header(current.take(), out);
    let host = host.or(authority).filter(|h| !h.is_empty());
    let scheme = |host: &str| {
        scheme.unwrap_or(if host.ends_with(":80") {
            "http"
        } else {
            "https"
        })
    };
    let source = match start {
        StartLine::Request {
            line,
            method,
            target,
        } => Some(match host {
            _ if is_absolute_url(target) => format!("{method} {target}"),
            Some(host) if target.starts_with('/') => {
                format!("{method} {}://{host}{target}", scheme(host))
            }
            _ => line.to_string(),
        }),
        StartLine::Headers => host.map(|host| {
            let url = format!("{}://{host}{}", scheme(host), path.unwrap_or_default());
            match pseudo_method {
                Some(m) => format!("{m} {url}"),
                None => url,
            }
        }),
        StartLine::Status => None,
    };
    set_source(out, first, source.as_deref());
}

fn flush_cookie_header(header: Option<(CookieHeaderKind, String)>, out: &mut Vec<Candidate>) {
    match header {
        Some((CookieHeaderKind::Cookie, value)) => {
            push_cookie_list(&value, InputForm::HttpMessage, out);
        }
        Some((CookieHeaderKind::SetCookie, value)) => {
            push_set_cookie(&value, InputForm::HttpMessage, out);
        }
        None => {}
    }
}

fn is_absolute_url(target: &str) -> bool {
    strip_prefix_ci(target, "http://").is_some() || strip_prefix_ci(target, "https://").is_some()
}

// ---------------------------------------------------------------------------------------------
// curl commands.

/// The text after `curl` or `curl.exe` when the paste starts with that word.
fn strip_curl(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("curl.exe")
        .or_else(|| text.strip_prefix("curl"))?;
    rest.starts_with(|c: char| c.is_whitespace() || c == '\\' || c == '^')
        .then_some(rest)
}

/// A shell word, or the end of a command (a newline, `;`, `&` or `|`).
#[derive(Debug, PartialEq, Eq)]
enum Word {
    Arg(String),
    End,
}

/// What a curl option's value is.
#[derive(Clone, Copy)]
enum CurlOpt {
    Cookie,
    Header,
    Url,
    Other,
}

/// curl's short options that take a value.
const CURL_SHORT_WITH_VALUE: &str = "bcdeouxACEFHKTXmrwyYzPQUtD";

/// curl's long options that take a value (those a devtools copy or a hand-written command may
/// use; an unknown option is taken for a flag). Sorted, for a binary search.
const CURL_LONG_WITH_VALUE: &[&str] = &[
    "abstract-unix-socket",
    "alt-svc",
    "aws-sigv4",
    "cacert",
    "capath",
    "cert",
    "cert-type",
    "ciphers",
    "config",
    "connect-timeout",
    "connect-to",
    "continue-at",
    "cookie-jar",
    "crlfile",
    "data",
    "data-ascii",
    "data-binary",
    "data-raw",
    "data-urlencode",
    "dns-servers",
    "doh-url",
    "dump-header",
    "etag-compare",
    "etag-save",
    "expect100-timeout",
    "form",
    "form-string",
    "hsts",
    "interface",
    "json",
    "keepalive-time",
    "key",
    "key-type",
    "limit-rate",
    "local-port",
    "max-filesize",
    "max-redirs",
    "max-time",
    "netrc-file",
    "noproxy",
    "oauth2-bearer",
    "output",
    "output-dir",
    "pass",
    "pinnedpubkey",
    "preproxy",
    "proto",
    "proto-default",
    "proto-redir",
    "proxy",
    "proxy-header",
    "proxy-user",
    "quote",
    "range",
    "rate",
    "referer",
    "request",
    "request-target",
    "resolve",
    "retry",
    "retry-delay",
    "retry-max-time",
    "speed-limit",
    "speed-time",
    "stderr",
    "time-cond",
    "trace",
    "trace-ascii",
    "unix-socket",
    "upload-file",
    "url-query",
    "user",
    "user-agent",
    "variable",
    "write-out",
];

/// One curl command being read.
#[derive(Default)]
struct CurlCommand {
    /// Whether the first word was `curl` (`None` before the first word).
    is_curl: Option<bool>,
    /// The option whose value is the next word.
    pending: Option<CurlOpt>,
    /// After `--`, every word is a URL.
    options_done: bool,
    url_option: Option<String>,
    first_positional: Option<String>,
    first_url: Option<String>,
    /// The index of the command's first candidate.
    start: usize,
}

impl CurlCommand {
    fn new(start: usize) -> Self {
        Self {
            start,
            ..Self::default()
        }
    }

    fn word(&mut self, word: String, out: &mut Vec<Candidate>) {
        let Some(is_curl) = self.is_curl else {
            self.is_curl = Some(word == "curl" || word == "curl.exe");
            return;
        };
        if !is_curl {
            return;
        }
        if let Some(opt) = self.pending.take() {
            self.value(opt, word, out);
            return;
        }
        if !self.options_done {
            if word == "--" {
                self.options_done = true;
                return;
            }
            if let Some(long) = word.strip_prefix("--") {
                self.pending = match long {
                    "cookie" => Some(CurlOpt::Cookie),
                    "header" => Some(CurlOpt::Header),
                    "url" => Some(CurlOpt::Url),
                    _ if CURL_LONG_WITH_VALUE.binary_search(&long).is_ok() => Some(CurlOpt::Other),
                    _ => None,
                };
                return;
            }
            if let Some(flags) = word.strip_prefix('-').filter(|f| !f.is_empty()) {
                // A cluster of short flags; the first one that takes a value takes the rest of
                // the word, or else the next word (`-sb 'a=1'`, `-ba=1`).
                for (i, flag) in flags.char_indices() {
                    if !CURL_SHORT_WITH_VALUE.contains(flag) {
                        continue;
                    }
                    let opt = match flag {
                        'b' => CurlOpt::Cookie,
                        'H' => CurlOpt::Header,
                        _ => CurlOpt::Other,
                    };
                    let rest = flags.get(i + flag.len_utf8()..).unwrap_or_default();
                    if rest.is_empty() {
                        self.pending = Some(opt);
                    } else {
                        self.value(opt, rest.to_string(), out);
                    }
                    break;
                }
                return;
            }
        }
        if self.first_url.is_none() && word.contains("://") {
            self.first_url = Some(word.clone());
        }
        self.first_positional.get_or_insert(word);
    }

    fn value(&mut self, opt: CurlOpt, value: String, out: &mut Vec<Candidate>) {
        match opt {
            // Without a `=`, curl reads the value as the name of a cookie file.
            CurlOpt::Cookie if value.contains('=') => {
                push_cookie_list(&value, InputForm::Curl, out);
            }
            CurlOpt::Header => {
                if let Some((name, rest)) = split_header(&value) {
                    if name.eq_ignore_ascii_case("cookie") {
                        push_cookie_list(rest, InputForm::Curl, out);
                    } else if name.eq_ignore_ascii_case("set-cookie") {
                        push_set_cookie(rest, InputForm::Curl, out);
                    }
                }
            }
            CurlOpt::Url => {
                self.url_option.get_or_insert(value);
            }
            CurlOpt::Cookie | CurlOpt::Other => {}
        }
    }

    fn finish(self, out: &mut [Candidate]) {
        if self.is_curl == Some(true) {
            let url = self.url_option.or(self.first_url).or(self.first_positional);
            set_source(out, self.start, url.as_deref().filter(|u| !u.is_empty()));
        }
    }
}

fn read_curl(words: impl Iterator<Item = Word>, out: &mut Vec<Candidate>) {
    let mut command = CurlCommand::new(out.len());
    for word in words {
        if out.len() >= MAX_CANDIDATES {
            break;
        }
        match word {
            Word::Arg(word) => command.word(word, out),
            Word::End => {
                let next = CurlCommand::new(out.len());
                std::mem::replace(&mut command, next).finish(out);
            }
        }
    }
    command.finish(out);
}

/// Splits a bash command line into words: blanks separate words, `\` escapes the next character
/// (a newline: a line continuation), `'…'` is literal, in `"…"` a `\` escapes only `$`, `"`, `\`,
/// a backtick or a newline, `$'…'` is ANSI-C quoting. A newline, `;`, `&` or `|` ends a command.
/// An unterminated quote runs to the end of the input. Nothing is expanded.
struct BashWords<'a> {
    chars: Peekable<Chars<'a>>,
}

impl<'a> BashWords<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().peekable(),
        }
    }

    /// Whether a `\` line continuation (`\` then a newline, possibly `\r\n`) comes next; if so it
    /// is consumed.
    fn continuation(&mut self) -> bool {
        let mut ahead = self.chars.clone();
        if ahead.next() != Some('\\') {
            return false;
        }
        match ahead.next() {
            Some('\n') => {}
            Some('\r') if ahead.next() == Some('\n') => {}
            _ => return false,
        }
        self.chars = ahead;
        true
    }

    fn double_quoted(&mut self, word: &mut String) {
        while let Some(c) = self.chars.next() {
            match c {
                '"' => return,
                '\\' => match self.chars.peek() {
                    Some('$' | '`' | '"' | '\\') => word.extend(self.chars.next()),
                    Some('\n') => {
                        self.chars.next();
                    }
                    _ => word.push('\\'),
                },
                c => word.push(c),
            }
        }
    }

    /// `$'…'`: `\n \t \r \a \b \e \f \v \\ \' \" \?`, `\nnn` octal, `\xHH`, `\uHHHH` and
    /// `\UHHHHHHHH`. `\xHH` and octal escapes are read as the code point U+00HH (what the browser
    /// meant: it writes `\xe9` for `é`), and UTF-16 surrogate pairs written as two `\u` escapes
    /// (Firefox) are joined; unknown escapes stay as written.
    fn ansi_c(&mut self, word: &mut String) {
        let mut high = None;
        while let Some(c) = self.chars.next() {
            if c == '\'' {
                break;
            }
            if c != '\\' {
                emit_unit(word, &mut high, u32::from(c));
                continue;
            }
            let Some(e) = self.chars.next() else {
                emit_unit(word, &mut high, u32::from('\\'));
                break;
            };
            let unit = match e {
                'n' => Some(0x0a),
                't' => Some(0x09),
                'r' => Some(0x0d),
                'a' => Some(0x07),
                'b' => Some(0x08),
                'e' | 'E' => Some(0x1b),
                'f' => Some(0x0c),
                'v' => Some(0x0b),
                '\\' | '\'' | '"' | '?' => Some(u32::from(e)),
                'x' => self.digits(16, 2, None),
                'u' => self.digits(16, 4, None),
                'U' => self.digits(16, 8, None),
                '0'..='7' => self.digits(8, 2, e.to_digit(8)),
                _ => None,
            };
            match unit {
                Some(unit) => emit_unit(word, &mut high, unit),
                None => {
                    emit_unit(word, &mut high, u32::from('\\'));
                    emit_unit(word, &mut high, u32::from(e));
                }
            }
        }
        if high.is_some() {
            word.push(char::REPLACEMENT_CHARACTER);
        }
    }

    /// Up to `max` more digits in `radix` after `init` (the digits already read), or `None`
    /// when there is none at all. At most 8 hex digits: no overflow.
    fn digits(&mut self, radix: u32, max: usize, init: Option<u32>) -> Option<u32> {
        let mut n = init;
        for _ in 0..max {
            let Some(d) = self.chars.peek().and_then(|c| c.to_digit(radix)) else {
                break;
            };
            self.chars.next();
            n = Some(n.unwrap_or(0).wrapping_mul(radix).wrapping_add(d));
        }
        n
    }
}

/// Adds one UTF-16 code unit or code point to `word`: a high surrogate waits in `high` for its
/// low half; a lone half becomes U+FFFD, as does anything that is not a character.
fn emit_unit(word: &mut String, high: &mut Option<u32>, unit: u32) {
    if (0xdc00..0xe000).contains(&unit) {
        let c = high
            .take()
            .and_then(|h| char::from_u32(0x10000 + ((h - 0xd800) << 10) + (unit - 0xdc00)));
        word.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        return;
    }
    if high.take().is_some() {
        word.push(char::REPLACEMENT_CHARACTER);
    }
    if (0xd800..0xdc00).contains(&unit) {
        *high = Some(unit);
        return;
    }
    word.push(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER));
}

impl Iterator for BashWords<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        loop {
            let c = *self.chars.peek()?;
            match c {
                ' ' | '\t' | '\r' => {
                    self.chars.next();
                }
                '\n' | ';' | '&' | '|' => {
                    self.chars.next();
                    return Some(Word::End);
                }
                '\\' if self.continuation() => {}
                _ => break,
            }
        }
        let mut word = String::new();
        while let Some(&c) = self.chars.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' => break,
                '\\' => {
                    if self.continuation() {
                        continue;
                    }
                    self.chars.next();
                    word.push(self.chars.next().unwrap_or('\\'));
                }
                '\'' => {
                    self.chars.next();
                    for c in self.chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                        word.push(c);
                    }
                }
                '"' => {
                    self.chars.next();
                    self.double_quoted(&mut word);
                }
                '$' => {
                    self.chars.next();
                    match self.chars.peek() {
                        Some('\'') => {
                            self.chars.next();
                            self.ansi_c(&mut word);
                        }
                        Some('"') => {
                            self.chars.next();
                            self.double_quoted(&mut word);
                        }
                        _ => word.push('$'),
                    }
                }
                c => {
                    self.chars.next();
                    word.push(c);
                }
            }
        }
        Some(Word::Arg(word))
    }
}

/// The characters of a cmd.exe command line after cmd's own escaping, each with whether it was
/// escaped: `^x` is a literal `x`; a `^` at the end of a line joins the next line and escapes its
/// first character. Carriage returns are dropped. (Browsers escape every `"` as `^"`, so cmd's
/// own quoting never starts and every `^` is an escape.)
struct Carets<'a> {
    chars: Chars<'a>,
}

impl Carets<'_> {
    fn next_char(&mut self) -> Option<char> {
        self.chars.find(|&c| c != '\r')
    }
}

impl Iterator for Carets<'_> {
    type Item = (char, bool);

    fn next(&mut self) -> Option<(char, bool)> {
        let c = self.next_char()?;
        if c != '^' {
            return Some((c, false));
        }
        let escaped = self.next_char()?;
        if escaped == '\n' {
            return Some((self.next_char()?, true));
        }
        Some((escaped, true))
    }
}

/// Splits a cmd.exe command line (as "Copy as cURL (cmd)" writes it) into words: [`Carets`] first,
/// then the MS C runtime's rules: blanks outside `"…"` separate words, `"` toggles quoting,
/// `2n` backslashes before a `"` are `n` backslashes (and the `"` quotes), `2n+1` are `n` and a
/// literal `"`, other backslashes are literal. An unescaped newline, `&` or `|` ends a command.
struct CmdWords<'a> {
    chars: Peekable<Carets<'a>>,
}

impl<'a> CmdWords<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: Carets {
                chars: text.chars(),
            }
            .peekable(),
        }
    }
}

impl Iterator for CmdWords<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        loop {
            let (c, escaped) = *self.chars.peek()?;
            if !escaped && matches!(c, '\n' | '&' | '|') {
                self.chars.next();
                return Some(Word::End);
            }
            if !matches!(c, ' ' | '\t' | '\n') {
                break;
            }
            self.chars.next();
        }
        let mut word = String::new();
        let mut quoted = false;
        while let Some(&(c, escaped)) = self.chars.peek() {
            if !escaped && c == '\n'
                || !quoted && (matches!(c, ' ' | '\t' | '\n') || !escaped && matches!(c, '&' | '|'))
            {
                break;
            }
            self.chars.next();
            match c {
                '\\' => {
                    let mut n = 1;
                    while self.chars.next_if(|&(c, _)| c == '\\').is_some() {
                        n += 1;
                    }
                    if self.chars.peek().is_some_and(|&(c, _)| c == '"') {
                        word.extend(std::iter::repeat_n('\\', n / 2));
                        if n % 2 == 1 {
                            self.chars.next();
                            word.push('"');
                        }
                    } else {
                        word.extend(std::iter::repeat_n('\\', n));
                    }
                }
                '"' => quoted = !quoted,
                c => word.push(c),
            }
        }
        Some(Word::Arg(word))
    }
}

// ---------------------------------------------------------------------------------------------
// HAR files.

/// Visitor methods that read every JSON scalar (a string included) as the default value.
macro_rules! ignore_scalars {
    () => {
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_i128<E>(self, _: i128) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_u128<E>(self, _: u128) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }

        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
}

/// Reads the cookies of a HAR document into `out`, streaming: one entry at a time is held, and
/// reading stops at the first JSON error (what was read before stays) or at [`MAX_CANDIDATES`].
fn read_har(text: &str, out: &mut Vec<Candidate>) {
    read_har_limited(text, out, MAX_CANDIDATES);
}

/// Every distinct cookie of a HAR file, up to `limit`, with no limit on the text's size (the
/// caller bounds what it reads): a rotation preview classifies every cookie of a long capture,
/// where a paste stops at [`MAX_INPUT`] and [`MAX_CANDIDATES`].
pub fn har_cookies(text: &str, limit: usize) -> Vec<Candidate> {
    let mut out = Vec::new();
    read_har_limited(text.trim_start_matches('\u{feff}'), &mut out, limit);
    out
}

fn read_har_limited(text: &str, out: &mut Vec<Candidate>, limit: usize) {
    let mut sink = HarSink {
        out,
        seen: HashSet::new(),
        limit,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    // An error ends the reading; the cookies found before it are kept.
    let _ = HarRoot(&mut sink).deserialize(&mut de);
}

struct HarSink<'a> {
    out: &'a mut Vec<Candidate>,
    /// (name, value) of every cookie kept.
    seen: HashSet<(String, String)>,
    /// Cookies kept at most.
    limit: usize,
}

impl HarSink<'_> {
    fn full(&self) -> bool {
        self.out.len() >= self.limit
    }

    fn add(&mut self, entry: HarEntry) {
        let (request, response) = (entry.request.0, entry.response.0);
        // Request cookies first (the parsed list, then the header), then response cookies.
        let mut found = Vec::new();
        let cookies = |list: Vec<HarPair>, found: &mut Vec<Candidate>| {
            for c in list.into_iter().filter(|c| !c.name.0.is_empty()) {
                push(found, Some(&c.name.0), &c.value.0, InputForm::Har);
            }
        };
        cookies(request.cookies.0, &mut found);
        for h in &request.headers.0 {
            if h.name.0.eq_ignore_ascii_case("cookie") {
                push_cookie_list(&h.value.0, InputForm::Har, &mut found);
            }
        }
        cookies(response.cookies.0, &mut found);
        for h in &response.headers.0 {
            if h.name.0.eq_ignore_ascii_case("set-cookie") {
                // Firefox joins several Set-Cookie headers into one value, a cookie a line.
                for line in h.value.0.lines() {
                    push_set_cookie(line, InputForm::Har, &mut found);
                }
            }
        }
        let (method, url) = (request.method.0.trim(), request.url.0.trim());
        let source = match (method.is_empty(), url.is_empty()) {
            (_, true) => None,
            (true, false) => Some(bounded(url)),
            (false, false) => Some(bounded(&format!("{} {}", bounded(method), bounded(url)))),
        };
        for mut c in found {
            if self.full() {
                break;
            }
            let key = (c.name.clone().unwrap_or_default(), c.value.clone());
            if self.seen.insert(key) {
                c.source.clone_from(&source);
                self.out.push(c);
            }
        }
    }
}

/// The HAR document: `{"log": {...}}`.
struct HarRoot<'s, 'a>(&'s mut HarSink<'a>);

impl<'de> DeserializeSeed<'de> for HarRoot<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for HarRoot<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                map.next_value_seed(HarLog(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `log`: `{"entries": [...]}`.
struct HarLog<'s, 'a>(&'s mut HarSink<'a>);

impl<'de> DeserializeSeed<'de> for HarLog<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for HarLog<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR log")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                map.next_value_seed(HarEntries(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `entries`: each entry is read, its cookies kept, and dropped before the next.
struct HarEntries<'s, 'a>(&'s mut HarSink<'a>);

impl<'de> DeserializeSeed<'de> for HarEntries<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for HarEntries<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HAR entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Lenient<HarEntry>>()? {
            self.0.add(entry.0);
            if self.0.full() {
                // Stops reading: the unread rest makes the deserializer fail, which is ignored.
                break;
            }
        }
        Ok(())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarEntry {
    request: Lenient<HarRequest>,
    response: Lenient<HarResponse>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarRequest {
    method: Text,
    url: Text,
    cookies: List<HarPair>,
    headers: List<HarPair>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarResponse {
    cookies: List<HarPair>,
    headers: List<HarPair>,
}

/// A cookie or a header: `{"name": ..., "value": ...}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct HarPair {
    name: Text,
    value: Text,
}

/// An object read as `T`; any other JSON value (null, a number, an array, ...) reads as
/// `T::default()` instead of failing the document.
#[derive(Default)]
struct Lenient<T>(T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor(PhantomData))
    }
}

struct LenientVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for LenientVisitor<T> {
    type Value = Lenient<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Lenient)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(Lenient(T::default()))
    }

    ignore_scalars!();
}

/// A JSON array read as `Vec<T>` (each element leniently); any other value reads as empty.
#[derive(Default)]
struct List<T>(Vec<T>);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for ListVisitor<T> {
    type Value = List<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Lenient<T>>()? {
            items.push(item.0);
        }
        Ok(List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(List(Vec::new()))
    }

    ignore_scalars!();
}

/// A JSON string; any other value reads as empty.
#[derive(Default)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Text, E> {
        Ok(Text(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Text, A::Error> {
        drain_seq(seq)?;
        Ok(Text::default())
    }

    // With serde_json's `arbitrary_precision`, numbers arrive as one-entry maps.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
        drain_map(map)?;
        Ok(Text::default())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_i128<E>(self, _: i128) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_u128<E>(self, _: u128) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_unit<E>(self) -> Result<Text, E> {
        Ok(Text::default())
    }

    fn visit_none<E>(self) -> Result<Text, E> {
        Ok(Text::default())
    }
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Python's `http.cookies._unquote`: removes the double quotes a server (or Python's cookie
/// module) put around a value, undoing `\ooo` octal escapes (Latin-1 code points) and `\c`.
pub fn unquote(value: &str) -> String {
    let Some(inner) = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|_| value.len() >= 2)
    else {
        return value.to_string();
    };
    let chars: Vec<char> = inner.chars().collect();
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' {
            let octal = chars.get(i + 1..i + 4).filter(|d| {
                ('0'..='3').contains(&d[0]) && d[1..].iter().all(|c| ('0'..='7').contains(c))
            });
            if let Some(d) = octal {
                let n = d
                    .iter()
                    .fold(0u32, |n, c| n * 8 + c.to_digit(8).unwrap_or(0));
                out.extend(char::from_u32(n));
                i += 4;
                continue;
            }
            if let Some(&next) = chars.get(i + 1) {
                out.push(next);
                i += 2;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Python's `http.cookies._quote`: values with characters outside the legal set are put in double
/// quotes, with `"` and `\` escaped and other characters below U+0100 (except ` ()/<=>?@[]{}`)
/// written as octal escapes. This is what Django's `set_signed_cookie` sends.
pub fn quote(value: &str) -> String {
    const LEGAL: &str = "!#$%&'*+-.^_`|~:";
    const UNESCAPED: &str = " ()/<=>?@[]{}";
    let legal = |c: char| c.is_ascii_alphanumeric() || LEGAL.contains(c);
    if !value.is_empty() && value.chars().all(legal) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if legal(c) || UNESCAPED.contains(c) || c as u32 >= 256 => out.push(c),
            c => out.push_str(&format!("\\{:03o}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(Option<String>, String, InputForm)> {
        parse(text)
            .into_iter()
            .map(|c| (c.name, c.value, c.form))
            .collect()
    }

    #[test]
    fn bare_and_named_values() {
        assert_eq!(
            values("abc.def"),
            vec![(None, "abc.def".into(), InputForm::Bare)]
        );
        assert_eq!(
            values("session=abc.def"),
            vec![
                (
                    Some("session".into()),
                    "abc.def".into(),
                    InputForm::NameValue
                ),
                (None, "session=abc.def".into(), InputForm::Bare),
            ]
        );
        // Base64 padding is not a name=value split.
        assert_eq!(values("eyJ1IjogIngifQ==.aVW2qA.sig").len(), 1);
    }

    #[test]
    fn headers() {
        let got = values("Cookie: a=1; session=x.y.z; b=\"q\"");
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[1],
            (
                Some("session".into()),
                "x.y.z".into(),
                InputForm::CookieHeader
            )
        );
        assert_eq!(got[2].1, "q");
        // In a header a value may start with the `.` of a compressed Flask cookie.
        let got = values("Cookie: session=.eJx.ts.sig");
        assert_eq!(
            got,
            vec![(
                Some("session".into()),
                ".eJx.ts.sig".into(),
                InputForm::CookieHeader
            )]
        );
        let got = values(
            "set-cookie: session=v.w; Expires=Thu, 01 Jan 2026 00:00:00 GMT; HttpOnly; Path=/",
        );
        assert_eq!(
            got,
            vec![(Some("session".into()), "v.w".into(), InputForm::SetCookie)]
        );
        let got = values("a=1; b=2");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn compressed_flask_values_keep_their_name() {
        let got = values("session=.eJwrSS0uAQAE1wIq.aVW2qA.sig");
        assert_eq!(
            got[0],
            (
                Some("session".into()),
                ".eJwrSS0uAQAE1wIq.aVW2qA.sig".into(),
                InputForm::NameValue
            )
        );
        // Base64 padding before a separator is not a name=value split.
        assert_eq!(values("eyJ1IjogIngifQ=.aVW2qA.sig").len(), 1);
    }

    #[test]
    fn signature_cookies_pair_up() {
        let got = parse("Cookie: a=1; session.sig=SIG; session=eyJ9; b=2");
        assert_eq!(got[0].value, "session=eyJ9; session.sig=SIG");
        assert_eq!(got[0].form, InputForm::SignaturePair);
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn url_encoded_and_quoted() {
        // URL-decoding is the format's business (Express decodes, Flask does not).
        let got = parse("connect.sid=s%3Aabc.sig%2Bx");
        assert_eq!(got[0].value, "s%3Aabc.sig%2Bx");
        assert_eq!(unquote("\"hello world:\\353\""), "hello world:ë");
        assert_eq!(unquote("\"a\\\"b\""), "a\"b");
        // Octal escapes and raw characters above U+00FF mix.
        assert_eq!(unquote("\"\\351\u{20ac}\""), "é€");
        for v in ["plain:1vb5x2:sig", "hello world", "é€ \"q\" \\ ;,", ""] {
            assert_eq!(unquote(&quote(v)), v);
        }
        assert_eq!(quote("hello world:é"), "\"hello world:\\351\"");
        assert_eq!(quote("a;b"), "\"a\\073b\"");
    }

    #[test]
    fn devtools_row() {
        let got = values("session\teyJ.aa.bb\tlocalhost\t/\tSession\t42\t✓");
        assert_eq!(
            got,
            vec![(
                Some("session".into()),
                "eyJ.aa.bb".into(),
                InputForm::DevtoolsRow
            )]
        );
    }

    #[test]
    fn nothing_for_empty_or_huge_input() {
        assert!(parse("  \n ").is_empty());
        assert!(parse(&"a".repeat(MAX_INPUT + 1)).is_empty());
    }

    fn named(text: &str) -> Vec<(String, String)> {
        parse(text)
            .into_iter()
            .filter(|c| c.form != InputForm::SignaturePair)
            .map(|c| (c.name.unwrap_or_default(), c.value))
            .collect()
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_string(), value.to_string())
    }

    #[test]
    fn curl_bash_as_chrome_copies_it() {
        let text = "curl 'https://shop.example/cart?x=1' \\\n  -H 'accept: text/html' \\\n  \
                    -b 'session=eyJ.aa.bb; theme=dark' \\\n  -H 'user-agent: Mozilla/5.0 (X11)' \\\n  \
                    --compressed";
        let got = parse(text);
        assert_eq!(got.len(), 2);
        for c in &got {
            assert_eq!(c.form, InputForm::Curl);
            assert_eq!(c.source.as_deref(), Some("https://shop.example/cart?x=1"));
        }
        assert_eq!(got[0].name.as_deref(), Some("session"));
        assert_eq!(got[0].value, "eyJ.aa.bb");
        assert_eq!(got[1].value, "dark");
        // Firefox writes the cookies as a header, on one line, Windows line endings are fine.
        let text = "curl 'https://a.example/' -H 'User-Agent: x' -H 'Cookie: a=1; b=\"q\"' \\\r\n -H 'Accept: */*'";
        assert_eq!(named(text), vec![pair("a", "1"), pair("b", "q")]);
    }

    #[test]
    fn curl_quoting() {
        // ANSI-C quoting as Chrome and Firefox write it: \u escapes (surrogate pairs joined),
        // \xHH as U+00HH, \' \\ \n \t, octal; unknown escapes stay.
        let text = r"curl $'https://x.example/\u0021' -b $'a=1\u0021\'\\; b=\xe9\ud83d\ude00; c=\t\n\101\z; d=\ud83d'";
        assert_eq!(
            named(text),
            vec![
                pair("a", "1!'\\"),
                pair("b", "é😀"),
                pair("c", "A\\z"),
                pair("d", "\u{fffd}")
            ]
        );
        // Double quotes keep backslashes except before $ ` " \; words join across quotes.
        let text = r#"curl "https://x.example/" --cookie "a=\"v\"\w"'x'"$HOME" -b s=1\ 2"#;
        assert_eq!(
            named(text),
            vec![pair("a", "\"v\"\\wx$HOME"), pair("s", "1 2")]
        );
    }

    #[test]
    fn curl_option_table_is_sorted() {
        assert!(CURL_LONG_WITH_VALUE.is_sorted());
    }

    #[test]
    fn curl_options() {
        // --cookie twice, -b with a cookie file, short options attached and clustered, --url.
        let text = "curl -sS --cookie 'a=1' -X POST --data-raw 'https://not.the/url' \
                    --cookie 'b=2' -b cookies.txt -ba=3 -sb 'c=4' --url https://u.example/ https://later/";
        let got = parse(text);
        assert_eq!(
            named(text),
            vec![
                pair("a", "1"),
                pair("b", "2"),
                pair("a", "3"),
                pair("c", "4")
            ]
        );
        assert!(
            got.iter()
                .all(|c| c.source.as_deref() == Some("https://u.example/"))
        );
        // Without --url, the first positional argument with `://`, else the first one.
        let got = parse("curl example.com -b a=1 https://b.example/ -H 'Set-Cookie: s=v; Path=/'");
        assert_eq!(got[0].source.as_deref(), Some("https://b.example/"));
        assert_eq!(got[1].value, "v");
        let got = parse("curl -b a=1 example.com");
        assert_eq!(got[0].source.as_deref(), Some("example.com"));
        let got = parse("curl -b a=1");
        assert_eq!(got[0].source, None);
        // -b without a value, an empty -b, a header without a colon: nothing, no panic.
        assert!(parse("curl https://x/ -b").is_empty());
        assert!(parse("curl https://x/ -b ''").is_empty());
        assert!(parse("curl https://x/ -H 'Cookie' -H").is_empty());
        assert!(parse("curl").len() == 1, "a lone word is a bare value");
    }

    #[test]
    fn curl_nasty_inputs() {
        // Unterminated quotes run to the end; quotes join words as bash joins them.
        assert!(named("curl 'https://x/ -b 'a=1").is_empty());
        assert_eq!(
            named("curl https://x/ -b 'a=1; b=2"),
            vec![pair("a", "1"), pair("b", "2")]
        );
        assert_eq!(
            named("curl https://x/ -b \"a=1; b=2"),
            vec![pair("a", "1"), pair("b", "2")]
        );
        assert_eq!(named("curl https://x/ -b $'a=\\"), vec![pair("a", "\\")]);
        assert_eq!(named("curl https://x/ -b a=\\"), vec![pair("a", "\\")]);
        assert!(named("curl https://x/ -b $'a=\\u").len() == 1);
        assert!(named("curl https://x/ -b $'a=\\U0011ffff'") == vec![pair("a", "\u{fffd}")]);
        for text in [
            "curl ^",
            "curl ^\"",
            "curl ^\"a^\" ^",
            "curl \\",
            "curl $",
            "curl $'",
            "curl \"\\",
            "curl ;;&&||",
            "curl -",
            "curl --",
            "curl -- -b a=1",
            "curl ^\"\\\\\\^\"^\" -b a=1",
        ] {
            parse(text);
        }
        // After `--` everything is a URL.
        let got = parse("curl -- -b a=1");
        assert!(got.is_empty());
    }

    #[test]
    fn curl_several_commands() {
        let text = "curl 'https://a.example/' -b 'a=1' ;\ncurl 'https://b.example/' -b 'b=2'\n\
                    echo -b 'c=3'\ncurl 'https://c.example/' -H 'cookie: c=3'";
        let got = parse(text);
        let sources: Vec<_> = got.iter().map(|c| c.source.as_deref()).collect();
        assert_eq!(
            sources,
            vec![
                Some("https://a.example/"),
                Some("https://b.example/"),
                Some("https://c.example/")
            ]
        );
    }

    #[test]
    fn curl_cmd_as_chrome_copies_it() {
        let text = "curl ^\"https://shop.example/cart?q=a^&b^\" ^\r\n  -H ^\"accept: text/html^\" ^\r\n  \
                    -b ^\"session=s^%^3Aabc.sig; q=^\\^\"x^\\^\"; back=a^\\^\\b^\" ^\r\n  --compressed";
        let got = parse(text);
        assert_eq!(
            named(text),
            vec![
                pair("session", "s%3Aabc.sig"),
                pair("q", "x"),
                pair("back", "a\\\\b")
            ]
        );
        assert_eq!(got[0].form, InputForm::Curl);
        assert_eq!(
            got[0].source.as_deref(),
            Some("https://shop.example/cart?q=a&b")
        );
        // Two commands joined by `&`.
        let text = "curl ^\"https://a/^\" -b ^\"a=1^\" &\r\ncurl ^\"https://b/^\" -b ^\"b=2^\"";
        let got = parse(text);
        assert_eq!(got[1].source.as_deref(), Some("https://b/"));
    }

    #[test]
    fn http_request() {
        let text = "GET /cart?x=1 HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: Mozilla/5.0\r\n\
                    Cookie: session=eyJ.aa.bb; theme=dark\r\nAccept: */*\r\n\r\nCookie: body=1\r\n";
        let got = parse(text);
        assert_eq!(
            named(text),
            vec![pair("session", "eyJ.aa.bb"), pair("theme", "dark")]
        );
        for c in &got {
            assert_eq!(c.form, InputForm::HttpMessage);
            assert_eq!(
                c.source.as_deref(),
                Some("GET https://shop.example/cart?x=1")
            );
        }
        // Port 80: http. No Host: the request line. An absolute target: itself.
        let got = parse("POST / HTTP/1.0\nHost: localhost:80\nCookie: a=1");
        assert_eq!(got[0].source.as_deref(), Some("POST http://localhost:80/"));
        let got = parse("GET /x HTTP/1.1\ncookie: a=1");
        assert_eq!(got[0].source.as_deref(), Some("GET /x HTTP/1.1"));
        let got = parse("GET http://p.example/x HTTP/1.1\nHost: other\ncookie: a=1");
        assert_eq!(got[0].source.as_deref(), Some("GET http://p.example/x"));
        // A folded header continues on the next line.
        assert_eq!(
            named("GET / HTTP/1.1\nCookie: a=1;\n  b=2\nX: y"),
            vec![pair("a", "1"), pair("b", "2")]
        );
        // Only a start line, or junk lines in the headers: no panic, no candidates from junk.
        assert!(parse("GET / HTTP/1.1").is_empty());
        assert!(parse("GET / HTTP/1.1\nnot a header\n:\n: x\n\tfold").is_empty());
    }

    #[test]
    fn http_response_with_two_set_cookies() {
        let text = "HTTP/1.1 200 OK\nContent-Type: text/html\nSet-Cookie: session=v.w; Path=/; HttpOnly\n\
                    set-cookie: connect.sid=s%3Aabc.sig; Expires=Thu, 01 Jan 2026 00:00:00 GMT\n\nbody";
        let got = parse(text);
        assert_eq!(
            named(text),
            vec![pair("session", "v.w"), pair("connect.sid", "s%3Aabc.sig")]
        );
        assert!(
            got.iter()
                .all(|c| c.form == InputForm::HttpMessage && c.source.is_none())
        );
        assert_eq!(named("HTTP/2 200\nset-cookie: a=1"), vec![pair("a", "1")]);
    }

    #[test]
    fn http2_pseudo_headers() {
        let text = ":authority: shop.example\n:method: GET\n:path: /cart\n:scheme: https\n\
                    accept: text/html\ncookie: a=1\ncookie: b=2";
        let got = parse(text);
        assert_eq!(named(text), vec![pair("a", "1"), pair("b", "2")]);
        assert_eq!(
            got[0].source.as_deref(),
            Some("GET https://shop.example/cart")
        );
        assert_eq!(got[0].form, InputForm::HttpMessage);
    }

    #[test]
    fn header_lines_around_a_bare_value() {
        let text =
            "User-Agent: Mozilla/5.0\nabc.def.ghi\nAccept: text/html\n:authority: x\nX-Empty:";
        assert_eq!(
            values(text),
            vec![(None, "abc.def.ghi".into(), InputForm::Bare)]
        );
        // Cookie headers among other headers still count.
        assert_eq!(
            named("Accept: */*\nCookie: a=1\nReferer: https://x/"),
            vec![pair("a", "1")]
        );
        // A single line is always a value; Django's `value:ts:sig` is no header anywhere.
        assert_eq!(values("Accept: text/html").len(), 1);
        assert_eq!(values("hello:1vb5x2:sig").len(), 1);
        assert_eq!(values("a: b\nhello:1vb5x2:sig").len(), 1);
        assert_eq!(values("a: b\nhello world:1vb5x2:sig").len(), 1);
    }

    #[test]
    fn netscape_cookies_txt() {
        let text = "# Netscape HTTP Cookie File\n\
                    .shop.example\tTRUE\t/\tTRUE\t1798761600\tsession\teyJ.aa.bb\n\
                    #HttpOnly_shop.example\tFALSE\t/\tFALSE\t0\tconnect.sid\ts%3Aabc.sig\n";
        let got = values(text);
        assert_eq!(
            got,
            vec![
                (
                    Some("session".into()),
                    "eyJ.aa.bb".into(),
                    InputForm::CookiesTxt
                ),
                (
                    Some("connect.sid".into()),
                    "s%3Aabc.sig".into(),
                    InputForm::CookiesTxt
                ),
            ]
        );
    }

    #[test]
    fn devtools_rows_of_both_browsers() {
        // Firefox: `name:"value"`, a cookie a line.
        let got = values("session:\"eyJ.aa.bb\"\ncf_clearance:\"d3-1583681878-0-150\"");
        assert_eq!(
            got,
            vec![
                (
                    Some("session".into()),
                    "eyJ.aa.bb".into(),
                    InputForm::DevtoolsRow
                ),
                (
                    Some("cf_clearance".into()),
                    "d3-1583681878-0-150".into(),
                    InputForm::DevtoolsRow
                )
            ]
        );
        // Chrome: tab-separated columns, the table's header row skipped.
        let got = values(
            "Name\tValue\tDomain\tPath\tExpires / Max-Age\n\
             session\teyJ.aa.bb\tlocalhost\t/\tSession\n\
             session.sig\tSIG\tlocalhost\t/\tSession",
        );
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].1, "session=eyJ.aa.bb; session.sig=SIG");
        assert_eq!(got[1].2, InputForm::DevtoolsRow);
    }

    const HAR: &str = r#"{"log": {"version": "1.2", "creator": {"name": "x"}, "entries": [
        {"request": {"method": "GET", "url": "https://shop.example/cart",
            "headers": [{"name": "cookie", "value": "session=eyJ; session.sig=SIG; theme=dark"}],
            "cookies": [{"name": "session", "value": "eyJ"}, {"name": "session.sig", "value": "SIG"}]},
         "response": {"status": 200, "content": {"text": "Set-Cookie: no=1"},
            "headers": [{"name": "Set-Cookie", "value": "a=1; Path=/\nb=2; HttpOnly"}],
            "cookies": [{"name": "a", "value": "1", "path": "/"}]}},
        {"request": {"method": "POST", "url": "https://shop.example/pay",
            "cookies": [{"name": "session", "value": "eyJ"}, {"name": "c", "value": "\"3\""}]},
         "response": {"headers": [{"name": "set-cookie", "value": "session=new"}]}}
    ]}}"#;

    /// Found by tests/hostile.rs: a cookie compressed at zlib level 9 (base64 `.eN…`) was read as
    /// one bare value, so `session=.eN…` never verified under its name.
    #[test]
    fn a_name_before_a_value_compressed_at_any_zlib_level_is_a_name() {
        for prefix in [".eAE", ".eF6", ".eJy", ".eNq"] {
            let text = format!(
                "session={prefix}rViotTi1SslJKTElUqgUAI64EoA.aVW2qA.e_eS1r6RhSfB8_FKKmJjRkdZ6_I"
            );
            let named: Vec<_> = parse(&text)
                .into_iter()
                .filter(|c| c.name.as_deref() == Some("session"))
                .collect();
            assert_eq!(named.len(), 1, "{text}");
            assert!(named[0].value.starts_with(prefix));
        }
        // Padding-looking values stay bare.
        assert!(parse("eyJ9=.aVW2qA.sig").iter().all(|c| c.name.is_none()));
    }

    #[test]
    fn har_cookies_deduplicated_with_their_url() {
        let got = parse(HAR);
        let seen: Vec<_> = got
            .iter()
            .map(|c| {
                (
                    c.name.clone().unwrap_or_default(),
                    c.value.clone(),
                    c.source.clone().unwrap_or_default(),
                )
            })
            .collect();
        let get = "GET https://shop.example/cart".to_string();
        let post = "POST https://shop.example/pay".to_string();
        assert_eq!(
            seen,
            vec![
                (
                    "session".into(),
                    "session=eyJ; session.sig=SIG".into(),
                    get.clone()
                ),
                ("session".into(), "eyJ".into(), get.clone()),
                ("session.sig".into(), "SIG".into(), get.clone()),
                ("theme".into(), "dark".into(), get.clone()),
                ("a".into(), "1".into(), get.clone()),
                ("b".into(), "2".into(), get.clone()),
                ("c".into(), "3".into(), post.clone()),
                ("session".into(), "new".into(), post.clone()),
            ]
        );
        assert_eq!(got[0].form, InputForm::SignaturePair);
        assert!(got.iter().skip(1).all(|c| c.form == InputForm::Har));
    }

    #[test]
    fn har_with_missing_or_odd_fields() {
        let text = r#"{"log": {"entries": [
            {}, null, 5, "x", [1, [2]], {"request": null, "response": 7},
            {"request": {"cookies": null, "headers": {"name": "cookie"}}},
            {"request": {"url": 5, "method": ["GET"], "cookies": [null, 1, {"value": "nameless"},
                {"name": "n", "value": 12345678901234567890123}, {"name": "ok", "value": "1", "x": {}}]}},
            {"response": {"cookies": [{"name": "r", "value": "2"}]}},
            {"request": {"url": "https://only-url/", "cookies": [{"name": "u", "value": "3"}]}}
        ], "pages": {}}, "extra": [true]}"#;
        let got = parse(text);
        let seen: Vec<_> = got
            .iter()
            .map(|c| {
                (
                    c.name.clone().unwrap_or_default(),
                    c.value.clone(),
                    c.source.clone(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                ("n".into(), String::new(), None),
                ("ok".into(), "1".into(), None),
                ("r".into(), "2".into(), None),
                ("u".into(), "3".into(), Some("https://only-url/".into())),
            ]
        );
    }

    #[test]
    fn har_that_is_broken() {
        // Invalid or truncated: what was read before the error stays; never line parsing.
        assert!(parse(r#"{"log": 5}"#).is_empty());
        assert!(parse(r#"{"log""#).is_empty());
        assert!(parse(r#"{"log": {"entries": [{"request": {"cookies": [{"name": "a""#).is_empty());
        let truncated = r#"{"log": {"entries": [{"request": {"cookies": [{"name": "a", "value": "1"}]}}, {"request": {"#;
        assert_eq!(named(truncated), vec![pair("a", "1")]);
        // Duplicate keys fail the entry (serde's rule), and stop the reading there.
        let dup = r#"{"log": {"entries": [{"request": {"cookies": [{"name": "a", "value": "1"}]}},
            {"request": {"cookies": [{"name": "b", "name": "c", "value": "2"}]}}]}}"#;
        assert_eq!(named(dup), vec![pair("a", "1")]);
        // Deep nesting hits serde_json's recursion limit, not the stack.
        let deep = format!(r#"{{"log": {{"entries": [{{"x": {}"#, "[".repeat(100_000));
        assert!(parse(&deep).is_empty());
        let deep = format!(
            r#"{{"log": {{"entries": [{}"#,
            "{\"request\":".repeat(100_000)
        );
        assert!(parse(&deep).is_empty());
    }

    #[test]
    fn har_with_ten_thousand_duplicates() {
        let cookie = r#"{"name": "session", "value": "eyJ.aa.bb"}"#;
        let cookies = vec![cookie; 10_000].join(",");
        let text = format!(
            r#"{{"log": {{"entries": [{{"request": {{"method": "GET", "url": "https://a/", "cookies": [{cookies}]}}}}]}}}}"#
        );
        assert_eq!(named(&text), vec![pair("session", "eyJ.aa.bb")]);
        let entry = r#"{"request": {"method": "GET", "url": "https://a/", "headers": [{"name": "Cookie", "value": "session=eyJ.aa.bb"}]}}"#;
        let text = format!(
            r#"{{"log": {{"entries": [{}]}}}}"#,
            vec![entry; 10_000].join(",")
        );
        assert_eq!(parse(&text).len(), 1);
    }

    #[test]
    fn candidates_and_sources_are_bounded() {
        let cookies: Vec<String> = (0..MAX_CANDIDATES + 10)
            .map(|i| format!(r#"{{"name": "c{i}", "value": "v"}}"#))
            .collect();
        let url = "https://long.example/".to_string() + &"é".repeat(5_000);
        let text = format!(
            r#"{{"log": {{"entries": [{{"request": {{"method": "GET", "url": "{url}", "cookies": [{}]}}}}]}}}}"#,
            cookies.join(",")
        );
        let got = parse(&text);
        assert_eq!(got.len(), MAX_CANDIDATES);
        let source = got[0].source.as_deref().unwrap_or_default();
        assert!(source.starts_with("GET https://long.example/é") && source.ends_with('…'));
        assert!(source.len() <= MAX_SOURCE + '…'.len_utf8());
        // Lines and header lists are capped too, and pairing stays linear.
        let text: String = (0..MAX_CANDIDATES)
            .map(|i| format!("c{i}=v; c{i}.sig=s; "))
            .collect();
        let got = parse(&format!("Cookie: {text}"));
        assert_eq!(got.len(), MAX_CANDIDATES);
        assert_eq!(got[0].form, InputForm::SignaturePair);
    }

    #[test]
    fn pairs_in_every_form() {
        for text in [
            "curl https://x/ -b 'session=eyJ; session.sig=SIG'",
            "GET / HTTP/1.1\nCookie: session=eyJ\nCookie: session.sig=SIG",
            "session\teyJ\tlocalhost\nsession.sig\tSIG\tlocalhost",
            r#"{"log": {"entries": [{"request": {"cookies": [{"name": "session", "value": "eyJ"}]},
                "response": {"cookies": [{"name": "session.sig", "value": "SIG"}]}}]}}"#,
        ] {
            let got = parse(text);
            assert_eq!(got[0].form, InputForm::SignaturePair, "{text}");
            assert_eq!(got[0].value, "session=eyJ; session.sig=SIG", "{text}");
        }
        // The first cookie of a name wins, for the value and for the signature.
        let got = parse("Cookie: session.sig=S1; session=A; session=B; session.sig=S2");
        assert_eq!(got[0].value, "session=A; session.sig=S1");
        assert_eq!(
            got.iter()
                .filter(|c| c.form == InputForm::SignaturePair)
                .count(),
            1
        );
    }
}
