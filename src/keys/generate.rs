//! New secrets from the OS CSPRNG, in each framework's customary shape, and the config lines
//! that install them.

use std::fmt;
use std::str::FromStr;

use zeroize::Zeroizing;

use crate::core::Secret;
use crate::core::encoding::{b64std, b64url_nopad};
use crate::keys::StoreError;

/// The shape of a secret, named after the framework that uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Flask `SECRET_KEY`: `secrets.token_hex(32)` (64 hex digits).
    Flask,
    /// Django `SECRET_KEY`: 50 characters from Django's own alphabet.
    Django,
    /// Starlette `SessionMiddleware(secret_key=...)`: like Flask.
    Starlette,
    /// Rails `secret_key_base`: 128 hex digits.
    Rails,
    /// Laravel `APP_KEY`: `base64:` + 32 random bytes.
    Laravel,
    /// Express (`express-session` / `cookie-parser` secret): 32 bytes, URL-safe base64.
    Express,
    /// keygrip / cookie-session keys: 32 bytes, URL-safe base64.
    Keygrip,
    /// JWT HS256: 32 bytes, URL-safe base64.
    Jwt,
    /// JWT HS384: 48 bytes.
    JwtHs384,
    /// JWT HS512: 64 bytes.
    JwtHs512,
    /// N random bytes as hex.
    Hex,
    /// N random bytes as standard base64.
    Base64,
    /// Imported with no known shape.
    Imported,
}

/// Django's `get_random_secret_key` alphabet.
pub const DJANGO_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";

impl Style {
    /// Every style, for help texts.
    pub const ALL: [Style; 13] = [
        Style::Flask,
        Style::Django,
        Style::Starlette,
        Style::Rails,
        Style::Laravel,
        Style::Express,
        Style::Keygrip,
        Style::Jwt,
        Style::JwtHs384,
        Style::JwtHs512,
        Style::Hex,
        Style::Base64,
        Style::Imported,
    ];

    /// The name used on the command line and in the index.
    pub fn name(self) -> &'static str {
        match self {
            Style::Flask => "flask",
            Style::Django => "django",
            Style::Starlette => "starlette",
            Style::Rails => "rails",
            Style::Laravel => "laravel",
            Style::Express => "express",
            Style::Keygrip => "keygrip",
            Style::Jwt => "jwt",
            Style::JwtHs384 => "jwt-hs384",
            Style::JwtHs512 => "jwt-hs512",
            Style::Hex => "hex",
            Style::Base64 => "base64",
            Style::Imported => "imported",
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Style {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        let alias = match lower.as_str() {
            "jwt-hs256" | "hs256" => "jwt",
            "hs384" => "jwt-hs384",
            "hs512" => "jwt-hs512",
            "fastapi" => "starlette",
            "cookie-session" => "keygrip",
            other => other,
        };
        Style::ALL
            .into_iter()
            .find(|st| st.name() == alias)
            .ok_or_else(|| {
                let names: Vec<&str> = Style::ALL.iter().map(|s| s.name()).collect();
                format!("unknown style {s:?} (expected one of {})", names.join(", "))
            })
    }
}

/// `n` bytes from the operating system's CSPRNG.
pub fn random_bytes(n: usize) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let mut buf = Zeroizing::new(vec![0u8; n]);
    getrandom::fill(&mut buf)
        .map_err(|e| StoreError::Backend(format!("the OS random number generator failed: {e}")))?;
    Ok(buf)
}

/// A new secret of `style`; `bytes` sets the size for `hex` and `base64` (default 32).
pub fn generate(style: Style, bytes: Option<usize>) -> Result<Secret, StoreError> {
    let text: Zeroizing<String> = Zeroizing::new(match style {
        Style::Flask | Style::Starlette => hex(&random_bytes(32)?),
        Style::Rails => hex(&random_bytes(64)?),
        Style::Django => {
            // Uniform choice by rejection sampling: 250 = 5 * 50.
            let mut out = String::with_capacity(50);
            while out.len() < 50 {
                for &b in random_bytes(64)?.iter() {
                    if b < 250 && out.len() < 50 {
                        out.push(DJANGO_ALPHABET[usize::from(b % 50)] as char);
                    }
                }
            }
            out
        }
        Style::Laravel => format!("base64:{}", b64std(&random_bytes(32)?)),
        Style::Express | Style::Keygrip | Style::Jwt => b64url_nopad(&random_bytes(32)?),
        Style::JwtHs384 => b64url_nopad(&random_bytes(48)?),
        Style::JwtHs512 => b64url_nopad(&random_bytes(64)?),
        Style::Hex | Style::Imported => hex(&random_bytes(bytes.unwrap_or(32))?),
        Style::Base64 => b64std(&random_bytes(bytes.unwrap_or(32))?),
    });
    Ok(Secret::from_text(&text))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A Python string literal (`'...'`), or `bytes.fromhex('...')` for non-UTF-8 keys.
fn py_literal(secret: &Secret) -> String {
    match secret.expose_text() {
        Some(text) => {
            let mut out = String::from("'");
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                        out.push_str(&format!("\\x{:02x}", c as u32));
                    }
                    c => out.push(c),
                }
            }
            out.push('\'');
            out
        }
        None => format!("bytes.fromhex('{}')", hex(secret.expose())),
    }
}

/// A JavaScript string literal.
fn js_literal(secret: &Secret) -> Result<String, StoreError> {
    text_of(secret, "JavaScript").map(|t| serde_json::Value::String(t.to_string()).to_string())
}

/// A single-quoted Ruby literal.
fn ruby_literal(secret: &Secret) -> Result<String, StoreError> {
    text_of(secret, "Ruby").map(|t| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "\\'")))
}

/// A `.env` value, quoted when needed.
fn env_value(secret: &Secret) -> Result<String, StoreError> {
    let text = text_of(secret, "a .env file")?;
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+/=:_-.".contains(&b))
    {
        Ok(text.to_string())
    } else {
        Ok(format!(
            "\"{}\"",
            text.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('$', "\\$")
        ))
    }
}

fn text_of<'a>(secret: &'a Secret, target: &str) -> Result<&'a str, StoreError> {
    secret.expose_text().ok_or_else(|| {
        StoreError::Backend(format!(
            "this key is not UTF-8 text and cannot be written into {target}; use the hex style"
        ))
    })
}

/// The configuration that installs `primary` with `fallbacks` (verification-only older keys, in
/// the key set's order) for `style`. The text contains the secrets: print it only on request.
pub fn snippet(style: Style, primary: &Secret, fallbacks: &[Secret]) -> Result<String, StoreError> {
    let py_list = || {
        fallbacks
            .iter()
            .map(py_literal)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let js_list = || -> Result<String, StoreError> {
        let items: Result<Vec<String>, StoreError> = std::iter::once(primary)
            .chain(fallbacks)
            .map(js_literal)
            .collect();
        Ok(items?.join(", "))
    };
    Ok(match style {
        Style::Flask => {
            let mut s = format!("SECRET_KEY = {}\n", py_literal(primary));
            if !fallbacks.is_empty() {
                s += &format!(
                    "# Flask tries SECRET_KEY, then these from the last to the first.\nSECRET_KEY_FALLBACKS = [{}]\n",
                    py_list()
                );
            }
            s
        }
        Style::Django => {
            let mut s = format!("SECRET_KEY = {}\n", py_literal(primary));
            if !fallbacks.is_empty() {
                s += &format!("SECRET_KEY_FALLBACKS = [{}]\n", py_list());
            }
            s
        }
        Style::Starlette => {
            let mut s = format!(
                "app.add_middleware(SessionMiddleware, secret_key={})\n",
                py_literal(primary)
            );
            if !fallbacks.is_empty() {
                s += "# Starlette's SessionMiddleware has no fallback keys: sessions signed with the\n# older keys end when this key is deployed.\n";
            }
            s
        }
        Style::Rails => {
            let mut s = format!(
                "# config/credentials.yml.enc (bin/rails credentials:edit)\nsecret_key_base: {}\n",
                text_of(primary, "Rails credentials")?
            );
            for old in fallbacks {
                s += &format!(
                    "\n# config/initializers/cookie_rotations.rb: keep reading cookies made with an older secret_key_base\n\
Rails.application.config.after_initialize do\n\
\x20 Rails.application.config.action_dispatch.cookies_rotations.tap do |cookies|\n\
\x20   old = ActiveSupport::KeyGenerator.new({}, iterations: 1000,\n\
\x20     hash_digest_class: Rails.application.config.active_support.key_generator_hash_digest_class || OpenSSL::Digest::SHA1)\n\
\x20   cookies.rotate :encrypted, old.generate_key(Rails.application.config.action_dispatch.authenticated_encrypted_cookie_salt, ActiveSupport::MessageEncryptor.key_len)\n\
\x20   cookies.rotate :signed, old.generate_key(Rails.application.config.action_dispatch.signed_cookie_salt)\n\
\x20 end\n\
end\n",
                    ruby_literal(old)?
                );
            }
            s
        }
        Style::Laravel => {
            let mut s = format!("APP_KEY={}\n", env_value(primary)?);
            if !fallbacks.is_empty() {
                let old: Result<Vec<String>, StoreError> = fallbacks
                    .iter()
                    .map(|k| text_of(k, "a .env file").map(str::to_string))
                    .collect();
                s += &format!("APP_PREVIOUS_KEYS={}\n", old?.join(","));
            }
            s
        }
        Style::Express => format!(
            "// The first secret signs; every secret in the list verifies.\n\
app.use(session({{ secret: [{list}], resave: false, saveUninitialized: false }}));\n\
app.use(cookieParser([{list}]));\n",
            list = js_list()?
        ),
        Style::Keygrip => format!(
            "// keys[0] signs; older keys verify and cookies signed with them are re-signed.\n\
app.use(cookieSession({{ name: 'session', keys: [{}] }}));\n",
            js_list()?
        ),
        Style::Jwt | Style::JwtHs384 | Style::JwtHs512 => {
            let mut s = format!("JWT_SECRET={}\n", env_value(primary)?);
            for (i, old) in fallbacks.iter().enumerate() {
                s += &format!(
                    "# previous key {} (verify only)\nJWT_PREVIOUS_SECRET_{}={}\n",
                    i + 1,
                    i + 1,
                    env_value(old)?
                );
            }
            s
        }
        Style::Hex | Style::Base64 | Style::Imported => {
            let mut s = format!("SECRET_KEY={}\n", env_value(primary)?);
            for (i, old) in fallbacks.iter().enumerate() {
                s += &format!("SECRET_KEY_FALLBACK_{}={}\n", i + 1, env_value(old)?);
            }
            s
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_match_the_frameworks() {
        let flask = generate(Style::Flask, None).expect("rng");
        let t = flask.expose_text().expect("text");
        assert_eq!(t.len(), 64);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        let django = generate(Style::Django, None).expect("rng");
        let t = django.expose_text().expect("text");
        assert_eq!(t.len(), 50);
        assert!(t.bytes().all(|b| DJANGO_ALPHABET.contains(&b)));
        assert!(!t.starts_with("django-insecure-"));
        assert_eq!(generate(Style::Rails, None).expect("rng").len(), 128);
        let laravel = generate(Style::Laravel, None).expect("rng");
        let t = laravel.expose_text().expect("text");
        assert!(t.starts_with("base64:") && t.len() == 7 + 44);
        assert_eq!(generate(Style::JwtHs512, None).expect("rng").len(), 86);
        assert_eq!(generate(Style::Hex, Some(16)).expect("rng").len(), 32);
        assert_ne!(
            generate(Style::Flask, None).expect("rng"),
            flask,
            "fresh randomness"
        );
    }

    #[test]
    fn snippets_quote_and_list_fallbacks() {
        let p = Secret::from_text("new'key\\");
        let old = [
            Secret::from_text("old1"),
            Secret::from_bytes(vec![0xff, 0x00]),
        ];
        let s = snippet(Style::Flask, &p, &old).expect("snippet");
        assert!(s.contains("SECRET_KEY = 'new\\'key\\\\'\n"), "{s}");
        assert!(
            s.contains("SECRET_KEY_FALLBACKS = ['old1', bytes.fromhex('ff00')]"),
            "{s}"
        );
        let s = snippet(
            Style::Laravel,
            &Secret::from_text("base64:AAA="),
            &[Secret::from_text("base64:BBB=")],
        )
        .expect("snippet");
        assert_eq!(s, "APP_KEY=base64:AAA=\nAPP_PREVIOUS_KEYS=base64:BBB=\n");
        let s = snippet(
            Style::Express,
            &Secret::from_text("a\"b"),
            &[Secret::from_text("c")],
        )
        .expect("snippet");
        assert!(s.contains("secret: [\"a\\\"b\", \"c\"]"), "{s}");
        assert!(snippet(Style::Express, &Secret::from_bytes(vec![0xff]), &[]).is_err());
    }

    #[test]
    fn style_names_parse() {
        for st in Style::ALL {
            assert_eq!(st.name().parse::<Style>(), Ok(st));
        }
        assert_eq!("HS512".parse::<Style>(), Ok(Style::JwtHs512));
        assert!("nope".parse::<Style>().is_err());
    }
}
