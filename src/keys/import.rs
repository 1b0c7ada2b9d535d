//! Reading a secret out of what people already have: a file holding only the key, a `.env` file,
//! Flask/Django settings, Rails credentials. Values are read as text, never evaluated.

use zeroize::Zeroizing;

use crate::core::Secret;
use crate::keys::generate::Style;

/// A secret found in a config file.
pub struct Found {
    /// The variable it was assigned to (`SECRET_KEY`, `app.secret_key`, ...).
    pub var: String,
    /// 1-based line number.
    pub line: usize,
    /// The value.
    pub secret: Secret,
    /// The style the variable suggests.
    pub style: Option<Style>,
}

/// Variables recognised in `.env` files and settings, with the style each implies.
const VARS: &[(&str, Option<Style>)] = &[
    ("SECRET_KEY_BASE", Some(Style::Rails)),
    ("APP_KEY", Some(Style::Laravel)),
    ("SESSION_SECRET", Some(Style::Express)),
    ("COOKIE_SECRET", Some(Style::Express)),
    ("JWT_SECRET", Some(Style::Jwt)),
    ("JWT_SECRET_KEY", Some(Style::Jwt)),
    ("FLASK_SECRET_KEY", Some(Style::Flask)),
    ("DJANGO_SECRET_KEY", Some(Style::Django)),
    ("SECRET_KEY", None),
];

/// Every recognised assignment in `text`.
pub fn scan(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for (i, raw_line) in text.lines().enumerate() {
        let line = raw_line.trim();
        if line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim();
        let Some((lhs, rhs)) = split_assignment(line) else {
            continue;
        };
        let Some((var, style)) = recognise(lhs) else {
            continue;
        };
        let Some(value) = parse_value(rhs) else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let style = style.or_else(|| {
            std::str::from_utf8(&value).ok().and_then(|v| {
                if v.starts_with("django-insecure-") {
                    Some(Style::Django)
                } else {
                    None
                }
            })
        });
        found.push(Found {
            var,
            line: i + 1,
            secret: Secret::from_bytes(value.to_vec()),
            style,
        });
    }
    found
}

/// `NAME=value`, `NAME = value`, `name: value` (YAML); not `==`.
fn split_assignment(line: &str) -> Option<(&str, &str)> {
    if let Some(at) = line.find('=')
        && !line[at + 1..].starts_with('=')
        && !line[..at].ends_with(['!', '<', '>', '='])
    {
        return Some((line[..at].trim(), line[at + 1..].trim()));
    }
    let (lhs, rhs) = line.split_once(':')?;
    let lhs = lhs.trim();
    (lhs == "secret_key_base").then(|| (lhs, rhs.trim()))
}

fn recognise(lhs: &str) -> Option<(String, Option<Style>)> {
    if lhs == "secret_key_base" {
        return Some((lhs.into(), Some(Style::Rails)));
    }
    if lhs == "app.secret_key" {
        return Some((lhs.into(), Some(Style::Flask)));
    }
    // app.config["SECRET_KEY"] / app.config['SECRET_KEY']
    if let Some(inner) = lhs
        .strip_prefix("app.config[")
        .and_then(|r| r.strip_suffix(']'))
    {
        let name = inner.trim_matches(['"', '\'']);
        if name == "SECRET_KEY" {
            return Some((lhs.into(), Some(Style::Flask)));
        }
        return None;
    }
    VARS.iter()
        .find(|(name, _)| *name == lhs)
        .map(|(name, style)| ((*name).to_string(), *style))
}

/// A quoted or bare value: Python/JS/shell quotes (with backslash escapes in double quotes and
/// Python strings), Python `b'...'` and `r'...'` prefixes; bare values end at ` #`.
fn parse_value(rhs: &str) -> Option<Zeroizing<Vec<u8>>> {
    let rhs = rhs.trim().trim_end_matches(';').trim();
    let (raw, rest) = match rhs.as_bytes().first()? {
        b'r' | b'R' if rhs[1..].starts_with(['\'', '"']) => (true, &rhs[1..]),
        b'b' | b'B' if rhs[1..].starts_with(['\'', '"']) => (false, &rhs[1..]),
        _ => (false, rhs),
    };
    let quote = rest.chars().next()?;
    if quote == '\'' || quote == '"' {
        let body = &rest[1..];
        let mut out = Zeroizing::new(Vec::with_capacity(body.len()));
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c == quote {
                return Some(out);
            }
            if c == '\\' && !raw {
                match chars.next()? {
                    'n' => out.push(b'\n'),
                    't' => out.push(b'\t'),
                    'r' => out.push(b'\r'),
                    '0' => out.push(0),
                    'x' => {
                        let hi = chars.next()?.to_digit(16)?;
                        let lo = chars.next()?.to_digit(16)?;
                        out.push(u8::try_from(hi << 4 | lo).ok()?);
                    }
                    other => {
                        let mut b = [0u8; 4];
                        out.extend_from_slice(other.encode_utf8(&mut b).as_bytes());
                    }
                }
                continue;
            }
            let mut b = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
        return None;
    }
    let bare = rhs.split(" #").next().unwrap_or(rhs).trim();
    Some(Zeroizing::new(bare.as_bytes().to_vec()))
}

/// What an import file holds.
pub enum Parsed {
    /// One recognised assignment, or a file that is just the key.
    One(Secret, Option<Style>, String),
    /// Several assignments: the caller must choose with `--var`.
    Several(Vec<String>),
    /// Nothing usable.
    Nothing(String),
}

/// Reads an import file: a single assignment, the one named `var`, or the whole (one-line) file.
pub fn parse(text: &str, var: Option<&str>) -> Parsed {
    let found = scan(text);
    if let Some(var) = var {
        return match found.into_iter().find(|f| f.var == var) {
            Some(f) => Parsed::One(f.secret, f.style, format!("{} (line {})", f.var, f.line)),
            None => Parsed::Nothing(format!("no assignment to {var} found")),
        };
    }
    match found.len() {
        1 => {
            let Some(f) = found.into_iter().next() else {
                unreachable!("one element");
            };
            Parsed::One(f.secret, f.style, format!("{} (line {})", f.var, f.line))
        }
        0 => {
            let trimmed = text.strip_suffix('\n').unwrap_or(text);
            let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
            if trimmed.is_empty() {
                Parsed::Nothing("the input is empty".into())
            } else if trimmed.contains('\n') {
                Parsed::Nothing(
                    "no SECRET_KEY=, SECRET_KEY_BASE=, APP_KEY=, SESSION_SECRET= or settings line found, and the input is more than one line".into(),
                )
            } else {
                Parsed::One(Secret::from_text(trimmed), None, "the whole input".into())
            }
        }
        _ => Parsed::Several(
            found
                .into_iter()
                .map(|f| format!("{} (line {})", f.var, f.line))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (Vec<u8>, Option<Style>) {
        match parse(text, None) {
            Parsed::One(s, st, _) => (s.expose().to_vec(), st),
            Parsed::Several(v) => panic!("several: {v:?}"),
            Parsed::Nothing(why) => panic!("nothing: {why}"),
        }
    }

    #[test]
    fn recognises_env_and_settings_lines() {
        assert_eq!(
            one("SECRET_KEY_BASE=abc123\n"),
            (b"abc123".to_vec(), Some(Style::Rails))
        );
        assert_eq!(
            one("export APP_KEY=\"base64:AAA=\""),
            (b"base64:AAA=".to_vec(), Some(Style::Laravel))
        );
        assert_eq!(
            one("SESSION_SECRET='s3cr3t' # comment"),
            (b"s3cr3t".to_vec(), Some(Style::Express))
        );
        assert_eq!(
            one("DEBUG = True\nSECRET_KEY = 'django-insecure-x%y'\n"),
            (b"django-insecure-x%y".to_vec(), Some(Style::Django))
        );
        assert_eq!(
            one("app.secret_key = b'\\x00raw'"),
            (vec![0, b'r', b'a', b'w'], Some(Style::Flask))
        );
        assert_eq!(
            one("app.config[\"SECRET_KEY\"] = \"a\\\"b\""),
            (b"a\"b".to_vec(), Some(Style::Flask))
        );
        assert_eq!(
            one("  secret_key_base: 0011aabb\n"),
            (b"0011aabb".to_vec(), Some(Style::Rails))
        );
        assert_eq!(one("just-the-key\n"), (b"just-the-key".to_vec(), None));
    }

    #[test]
    fn ambiguity_and_nothing() {
        assert!(
            matches!(parse("SECRET_KEY=a\nAPP_KEY=b\n", None), Parsed::Several(v) if v.len() == 2)
        );
        assert!(matches!(
            parse("SECRET_KEY=a\nAPP_KEY=b\n", Some("APP_KEY")),
            Parsed::One(..)
        ));
        assert!(matches!(parse("", None), Parsed::Nothing(_)));
        assert!(matches!(parse("a\nb\n", None), Parsed::Nothing(_)));
        assert!(matches!(
            parse("if SECRET_KEY == 'x':\n  pass\n", None),
            Parsed::Nothing(_)
        ));
    }
}
