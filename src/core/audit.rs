//! Key audit: is a cookie's key guessable, and are stored keys weak? Pure: the caller streams the
//! candidates (wordlists are files) and owns the threads; this module tests candidates and rates
//! keys.

use serde_json::Value;

use crate::core::{
    CookieFormat, Decoded, FormatParams, Secret, Verdict, VerifyOptions, format_by_id,
};

/// Well-known secrets, tried before any wordlist: the examples and defaults that framework
/// documentation, tutorials, books and generators put in front of people. Curated by hand.
pub const BUILTIN: &[&[u8]] = &[
    // Flask's quickstart example key (b'_5#y2L"F4Q8z\n\xec]/').
    b"_5#y2L\"F4Q8z\n\xec]/",
    b"you-will-never-guess",
    b"hard to guess string",
    b"development key",
    b"dev",
    b"development",
    b"dev_key",
    b"dev-key",
    b"secret",
    b"secret_key",
    b"secret-key",
    b"secretkey",
    b"SECRET_KEY",
    b"my_secret_key",
    b"my-secret-key",
    b"mysecretkey",
    b"mysecret",
    b"my-secret",
    b"supersecret",
    b"super-secret",
    b"super_secret",
    b"super-secret-key",
    b"supersecretkey",
    b"topsecret",
    b"top secret",
    b"changeme",
    b"change-me",
    b"change_me",
    b"CHANGEME",
    b"CHANGE_ME",
    b"changethis",
    b"change-this",
    b"change_this",
    b"please-change-me",
    b"replace-me",
    b"replace_me",
    b"your-secret-key",
    b"your_secret_key",
    b"your-secret-key-here",
    b"your_secret_key_here",
    b"secret-key-goes-here",
    b"insert-secret-key-here",
    b"this-is-a-secret",
    b"thisisasecret",
    b"thisismysecret",
    b"this is a secret",
    b"not-so-secret",
    b"notsecret",
    b"insecure",
    b"unsafe",
    b"default",
    b"example",
    b"test",
    b"testing",
    b"test-secret",
    b"key",
    b"password",
    b"passw0rd",
    b"admin",
    b"root",
    b"letmein",
    b"qwerty",
    b"123456",
    b"12345678",
    b"1234",
    b"123",
    b"abc123",
    b"foo",
    b"bar",
    b"foobar",
    b"hello",
    b"s3cr3t",
    b"secret123",
    b"flask",
    b"flask-secret",
    b"flask_secret",
    b"django",
    b"starlette",
    b"fastapi",
    b"some-random-string",
    // express-session's README and countless tutorials.
    b"keyboard cat",
    b"keyboard-cat",
    // jsonwebtoken's README, jwt.io's default HS256 secret.
    b"shhhhh",
    b"shhhhhared-secret",
    b"your-256-bit-secret",
    b"your-384-bit-secret",
    b"your-512-bit-secret",
    b"jwt-secret",
    b"jwt_secret",
    b"jwtsecret",
    b"session-secret",
    b"session_secret",
    b"cookie-secret",
    b"cookie_secret",
    b"sekrit",
    b"secret!",
    b"Secret",
    b"SECRET",
];

/// What `signet audit` attacks: one decoded cookie and a format.
pub struct Target {
    format: &'static dyn CookieFormat,
    decoded: Decoded,
    params: FormatParams,
    opts: VerifyOptions,
    fast: Option<Box<dyn crate::core::KeyCheck>>,
}

impl Target {
    /// The cookie in `text` (any paste form), with the format given or detected.
    pub fn new(
        text: &str,
        format: Option<&str>,
        params: FormatParams,
        now: i64,
    ) -> Result<Self, String> {
        let opts = VerifyOptions {
            now,
            // A match is a match, however old the cookie.
            max_age: crate::core::MaxAge::Unlimited,
            leeway_secs: 0,
        };
        let req = crate::core::InspectRequest {
            format,
            keys: &[],
            params: params.clone(),
        };
        let inspection = crate::core::inspect(text, &req, &opts).map_err(|e| e.0)?;
        let (Some(format_id), Some(decoded)) = (inspection.format, inspection.decoded) else {
            return Err(match inspection.verification.verdict {
                Verdict::Malformed(e) => e,
                _ => "not recognised as a cookie Signet can audit".into(),
            });
        };
        let format = format_by_id(format_id).ok_or("unknown format")?;
        let mut params = params;
        if params.cookie_name.is_none() {
            params.cookie_name = decoded
                .cookie_name
                .clone()
                .or_else(|| inspection.candidate.and_then(|c| c.name));
        }
        let fast = format.key_check(&decoded, &params);
        Ok(Self {
            format,
            decoded,
            params,
            opts,
            fast,
        })
    }

    /// The format.
    pub fn format(&self) -> &'static dyn CookieFormat {
        self.format
    }

    /// Whether the format's allocation-free inner loop serves this cookie.
    pub fn is_fast(&self) -> bool {
        self.fast.is_some()
    }

    /// Whether `candidate` signed the cookie: through the format's prepared check when it has one
    /// (a hit is confirmed by the full verifier), else through the verifier alone.
    pub fn try_key(&self, candidate: &[u8]) -> bool {
        if let Some(fast) = &self.fast {
            return fast.check(candidate) && self.verify_slow(candidate);
        }
        self.verify_slow(candidate)
    }

    /// Candidates [`Target::try_batch`] is best given at once: as many as multi-buffer SHA-1
    /// hashes side by side.
    pub const BATCH: usize = crate::core::sha1x2::LANES;

    /// The first of `candidates` (at most 64; [`Target::BATCH`] is best) that signed the cookie,
    /// as [`Target::try_key`] would find it trying them in order, but with the format's batched
    /// check: every candidate is hashed, a hit is confirmed by the full verifier.
    pub fn try_batch(&self, candidates: &[&[u8]]) -> Option<usize> {
        let Some(fast) = &self.fast else {
            return candidates.iter().position(|c| self.verify_slow(c));
        };
        let mut hits = fast.check_batch(candidates);
        while hits != 0 {
            let i = hits.trailing_zeros() as usize;
            if self.verify_slow(candidates.get(i)?) {
                return Some(i);
            }
            hits &= hits - 1;
        }
        None
    }

    fn verify_slow(&self, candidate: &[u8]) -> bool {
        let key = [Secret::from_bytes(candidate.to_vec())];
        match self.format.verifier(&key, &self.params) {
            Ok(v) => v.verify(&self.decoded, &self.opts).key_index.is_some(),
            Err(_) => false,
        }
    }
}

/// `--mutate`: simple variants of a candidate — as given, lower case, upper case and capitalised,
/// each bare and with a common suffix (`1`, `123`, `!`, `2024`–`2026`) — the candidate first and
/// no variant twice.
pub fn mutations(candidate: &[u8]) -> Vec<Vec<u8>> {
    let lower = candidate.to_ascii_lowercase();
    let upper = candidate.to_ascii_uppercase();
    let mut capital = lower.clone();
    if let Some(first) = capital.first_mut() {
        first.make_ascii_uppercase();
    }
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(28);
    for base in [candidate.to_vec(), lower, upper, capital] {
        for suffix in [&b""[..], b"1", b"123", b"!", b"2024", b"2025", b"2026"] {
            let mut v = base.clone();
            v.extend_from_slice(suffix);
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// One finding about a stored key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// `strong`, `weak` or `leaked`.
    pub grade: &'static str,
    /// Estimated entropy in bits.
    pub entropy_bits: u32,
    /// What is wrong or worth knowing, in plain words (never the secret).
    pub findings: Vec<String>,
}

/// Estimated entropy of a secret: its length times the bits per character of the smallest
/// character class that covers it (hex, base64, printable ASCII, bytes). Generous for random
/// keys, and an upper bound for human-chosen ones.
pub fn entropy_bits(secret: &[u8]) -> u32 {
    if secret.is_empty() {
        return 0;
    }
    let per_char: f64 = if secret.iter().all(u8::is_ascii_digit) {
        3.32
    } else if secret.iter().all(u8::is_ascii_hexdigit) {
        4.0
    } else if secret
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || b"-_+/=".contains(b))
    {
        6.0
    } else if secret.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        6.55
    } else {
        8.0
    };
    // Repeated characters say the key is not random: count distinct characters too.
    let mut seen = [false; 256];
    let distinct = secret
        .iter()
        .filter(|b| !std::mem::replace(&mut seen[usize::from(**b)], true))
        .count();
    let bits = per_char * secret.len() as f64;
    let cap = (distinct as f64).log2().max(1.0) * secret.len() as f64;
    bits.min(cap).round() as u32
}

/// Rates a stored key: `min_bytes` is the digest size its style calls for.
pub fn rate(secret: &[u8], min_bytes: usize, on_a_list: bool) -> Rating {
    let mut findings = Vec::new();
    let bits = entropy_bits(secret);
    let mut grade = "strong";
    if on_a_list {
        grade = "leaked";
        findings.push("it is on a list of well-known or leaked secrets: anyone can forge cookies signed with it".into());
    }
    if secret.starts_with(b"django-insecure-") {
        if grade == "strong" {
            grade = "weak";
        }
        findings.push("it has Django's django-insecure- prefix: startproject made it for development, not production".into());
    }
    if secret.len() < min_bytes {
        if grade == "strong" {
            grade = "weak";
        }
        findings.push(format!(
            "{} bytes, shorter than the {min_bytes}-byte digest it keys",
            secret.len()
        ));
    }
    if bits < 128 {
        if grade == "strong" {
            grade = "weak";
        }
        findings.push(format!(
            "about {bits} bits of entropy (128 or more is the bar for a signing key)"
        ));
    }
    Rating {
        grade,
        entropy_bits: bits,
        findings,
    }
}

/// The report of an attack, as `signet audit --json` prints it (the secret only when found).
pub fn found_json(found: Option<&[u8]>, tried: u64, seconds: f64) -> Value {
    let secret = found.map(|s| match std::str::from_utf8(s) {
        Ok(t) => Value::String(t.to_string()),
        Err(_) => Value::String(s.iter().map(|b| format!("\\x{b:02x}")).collect()),
    });
    serde_json::json!({
        "found": found.is_some(),
        "secret": secret.unwrap_or(Value::Null),
        "secret_hex": found.map(|s| s.iter().map(|b| format!("{b:02x}")).collect::<String>()),
        "tried": tried,
        "seconds": seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cookie of format `id` signed with Flask's documented example key, "keyboard cat".
    fn keyboard_cat(id: &str) -> String {
        format_by_id(id)
            .expect("format")
            .sign(
                &serde_json::json!({"u": 1}),
                &Secret::from_text("keyboard cat"),
                &FormatParams::default(),
                1_767_225_000,
            )
            .expect("signs")
    }

    #[test]
    fn a_cookie_signed_with_a_builtin_key_is_found_and_others_are_not() {
        let cookie = keyboard_cat("flask");
        let t = Target::new(&cookie, None, FormatParams::default(), 1_767_225_600).expect("target");
        assert!(BUILTIN.iter().any(|k| t.try_key(k)));
        assert!(!t.try_key(b"keyboard dog"));
    }

    #[test]
    fn try_batch_finds_the_first_hit_as_try_key_does() {
        // Flask goes through multi-buffer SHA-1, JWT through its verifier one key at a time.
        for (id, fast) in [("flask", true), ("jwt", false)] {
            let cookie = keyboard_cat(id);
            let t = Target::new(&cookie, Some(id), FormatParams::default(), 1_767_225_600)
                .expect("target");
            assert_eq!(t.is_fast(), fast);
            let expected = BUILTIN.iter().position(|k| t.try_key(k));
            let mut found = None;
            for (n, chunk) in BUILTIN.chunks(Target::BATCH).enumerate() {
                if let Some(i) = t.try_batch(chunk) {
                    found = Some(n * Target::BATCH + i);
                    break;
                }
            }
            assert_eq!(found, expected, "{id}");
            assert!(found.is_some(), "{id}");
            // The key twice and alone, last: the first one wins, a lone candidate is tried.
            let twice: [&[u8]; 3] = [b"dog", b"keyboard cat", b"keyboard cat"];
            assert_eq!(t.try_batch(&twice), Some(1), "{id}");
            assert_eq!(t.try_batch(&twice[2..]), Some(0), "{id}");
            assert_eq!(t.try_batch(&twice[..1]), None, "{id}");
            assert_eq!(t.try_batch(&[]), None, "{id}");
        }
    }

    #[test]
    fn ratings() {
        assert_eq!(rate(b"secret", 20, true).grade, "leaked");
        assert_eq!(
            rate(
                b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                20,
                false
            )
            .grade,
            "strong"
        );
        let weak = rate(b"django-insecure-abc", 32, false);
        assert_eq!(weak.grade, "weak");
        assert!(weak.findings.iter().any(|f| f.contains("django-insecure-")));
        assert!(entropy_bits(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") < 40);
        let m = mutations(b"Key");
        assert_eq!(
            m[..3],
            [b"Key".to_vec(), b"Key1".to_vec(), b"Key123".to_vec()]
        );
        assert!(m.contains(&b"KEY2026".to_vec()) && m.contains(&b"key!".to_vec()));
        assert_eq!(
            m.len(),
            21,
            "the capitalised forms equal the originals and are not repeated"
        );
    }
}
