//! What people paste: a bare value, `name=value`, a `Cookie:` or `Set-Cookie:` header line, a
//! devtools table row, quoted or URL-encoded values. One parser for the CLI and the GUI.

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
    /// A row copied from the browser's devtools cookie table (tab-separated).
    DevtoolsRow,
    /// A cookie and its `name.sig` companion, joined (keygrip).
    SignaturePair,
}

/// One cookie found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The cookie name, when the input gave one.
    pub name: Option<String>,
    /// The value, unquoted and URL-decoded.
    pub value: String,
    /// How it was written.
    pub form: InputForm,
}

/// Inputs larger than this are refused outright (a cookie header is at most a few KiB).
pub const MAX_INPUT: usize = 16 * 1024 * 1024;

/// Every plausible reading of `text`, most specific first. Several cookies of one header each give
/// a candidate; an ambiguous `a=b` gives both the named and the bare reading.
pub fn parse(text: &str) -> Vec<Candidate> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() || text.len() > MAX_INPUT {
        return Vec::new();
    }
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        parse_line(line, &mut out);
    }
    pair_signatures(out)
}

/// keygrip signs `name=value` into a companion cookie `name.sig`: each such pair becomes one
/// more candidate, `name=value; name.sig=sig`, placed first.
fn pair_signatures(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut pairs = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for c in &candidates {
        let Some(name) = &c.name else { continue };
        // `cookies` reads the first cookie of a name; later duplicates are ignored.
        if seen.contains(&name.as_str()) {
            continue;
        }
        seen.push(name);
        let sig_name = format!("{name}.sig");
        if let Some(sig) = candidates
            .iter()
            .find(|s| s.name.as_deref() == Some(sig_name.as_str()))
        {
            pairs.push(Candidate {
                name: Some(name.clone()),
                value: format!("{name}={}; {sig_name}={}", c.value, sig.value),
                form: InputForm::SignaturePair,
            });
        }
    }
    pairs.extend(candidates);
    pairs
}

fn parse_line(line: &str, out: &mut Vec<Candidate>) {
    if let Some(rest) = strip_prefix_ci(line, "set-cookie:") {
        let first = rest.split(';').next().unwrap_or_default().trim();
        if let Some((name, value)) = split_header_pair(first) {
            push(out, Some(name), value, InputForm::SetCookie);
        }
        return;
    }
    if let Some(rest) = strip_prefix_ci(line, "cookie:") {
        for pair in rest.split(';') {
            if let Some((name, value)) = split_header_pair(pair.trim()) {
                push(out, Some(name), value, InputForm::CookieHeader);
            }
        }
        return;
    }
    if line.contains('\t') {
        let mut fields = line.split('\t');
        if let (Some(name), Some(value)) = (fields.next(), fields.next())
            && is_token(name.trim())
            && !value.trim().is_empty()
        {
            push(out, Some(name.trim()), value.trim(), InputForm::DevtoolsRow);
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

/// Adds a candidate. Quotes are removed here (every cookie parser does that); `%XX` escapes are
/// not: only some frameworks URL-decode values (Express, Rack), and each format does it itself,
/// exactly once, as its framework does.
fn push(out: &mut Vec<Candidate>, name: Option<&str>, value: &str, form: InputForm) {
    out.push(Candidate {
        name: name.map(str::to_string),
        value: unquote(value),
        form,
    });
}

/// `name=value` when the part before the first `=` is a cookie-name token and the `=` is not
/// base64 padding (`eyJ9==.ts.sig` is a bare value).
fn split_pair(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    if !is_token(name) || value.starts_with(['=', '.']) || value.is_empty() && name.len() > 40 {
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
        .then(|| &text[prefix.len()..])
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
}
