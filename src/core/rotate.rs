//! Rotation preview: what a proposed key set would do to live cookies.
//!
//! Every cookie is verified twice, under the key set in force now and under the proposed one,
//! with the framework's own key order and rules (the format's [`Verifier`]), and classified as
//! `../shared/contract.md` defines for `signet rotate`. A [`Report`] then answers the questions
//! behind the rows: how many cookies each outcome has, until when a fallback key is still needed,
//! and which known traps the proposal walks into.

use std::collections::BTreeMap;

use crate::core::{
    CookieFormat, Decoded, FormatParams, KeyEntry, PairVerdict, PairVerifier, ParamError, Secret,
    Standing, Verdict, Verifier, VerifyOptions, format_by_id, input, time,
};

/// Where a cookie stands under the proposed key set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The proposed primary verifies it.
    ValidPrimary,
    /// The proposed fallback at this position (0-based in the fallback list) verifies it.
    ValidFallback(usize),
    /// A proposed key verifies it, but it is too old (or not yet valid).
    Expired,
    /// A current key verifies it, no proposed key does: this rotation logs it out.
    Invalidated,
    /// No key of either set verifies it.
    AlreadyInvalid,
    /// Not a well-formed cookie of the format.
    Malformed,
}

impl Outcome {
    /// The contract's spelling (`valid-fallback:0`).
    pub fn label(self) -> String {
        match self {
            Outcome::ValidFallback(n) => format!("{}:{n}", self.name()),
            _ => self.name().into(),
        }
    }

    /// The label without a fallback's position (`valid-fallback`): what a writer of many rows
    /// puts together without allocating.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::ValidPrimary => "valid-primary",
            Outcome::ValidFallback(_) => "valid-fallback",
            Outcome::Expired => "expired",
            Outcome::Invalidated => "invalidated",
            Outcome::AlreadyInvalid => "already-invalid",
            Outcome::Malformed => "malformed",
        }
    }
}

/// One classified cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// Under the proposed set.
    pub outcome: Outcome,
    /// Its status under the current set (the contract's `status`).
    pub now: &'static str,
    /// When it was signed, if the format says.
    pub signed_at: Option<i64>,
    /// Which current key verifies it.
    pub key_now: Option<usize>,
    /// Which proposed key verifies it.
    pub key_next: Option<usize>,
    /// The cookie's name, when the input gave one.
    pub cookie_name: Option<String>,
    /// Why it is malformed.
    pub error: Option<String>,
}

impl Classified {
    /// A line that is not a well-formed cookie of the format, and why.
    pub fn malformed(why: impl Into<String>) -> Self {
        Self {
            outcome: Outcome::Malformed,
            now: "malformed",
            signed_at: None,
            key_now: None,
            key_next: None,
            cookie_name: None,
            error: Some(why.into()),
        }
    }
}

/// A prepared comparison of two key sets for one format.
pub struct Rotation {
    format: &'static dyn CookieFormat,
    params: FormatParams,
    current: Box<dyn Verifier>,
    proposed: Box<dyn Verifier>,
    /// Both sets at once, for cookies the format can read quickly.
    pair: Option<Box<dyn PairVerifier>>,
    current_len: usize,
    proposed_len: usize,
    opts: VerifyOptions,
    /// The format's findings about the two key sets themselves.
    set_findings: Vec<String>,
}

impl Rotation {
    /// Derives both key sets once (primary first, then fallbacks as the app lists them).
    pub fn new(
        format_id: &str,
        current: &[Secret],
        proposed: &[Secret],
        params: FormatParams,
        opts: VerifyOptions,
    ) -> Result<Self, ParamError> {
        let (current, proposed) = (KeyEntry::list(current), KeyEntry::list(proposed));
        Self::with_entries(format_id, &current, &proposed, params, opts)
    }

    /// [`Rotation::new`] for key sets whose entries may carry their own key derivation and digest
    /// (a Rails app's `cookies_rotations`; see [`CookieFormat::key_set_verifier`]).
    pub fn with_entries(
        format_id: &str,
        current: &[KeyEntry],
        proposed: &[KeyEntry],
        params: FormatParams,
        opts: VerifyOptions,
    ) -> Result<Self, ParamError> {
        let format = format_by_id(format_id)
            .ok_or_else(|| ParamError(format!("unknown format {format_id:?}")))?;
        if proposed.is_empty() {
            return Err(ParamError("the proposed key set is empty".into()));
        }
        format.check_params(&params)?;
        let secrets = |set: &[KeyEntry]| set.iter().map(|e| e.secret.clone()).collect::<Vec<_>>();
        // The quick path knows one key derivation and digest for both sets: only when no entry
        // has its own.
        let per_key = current
            .iter()
            .chain(proposed)
            .any(|e| e.key_derivation.is_some() || e.digest.is_some());
        Ok(Self {
            format,
            current: format.key_set_verifier(current, &params)?,
            proposed: format.key_set_verifier(proposed, &params)?,
            pair: if per_key {
                None
            } else {
                format.pair_verifier(&secrets(current), &secrets(proposed), &params)
            },
            current_len: current.len(),
            proposed_len: proposed.len(),
            set_findings: format.rotation_findings(current, proposed, &params),
            params,
            opts,
        })
    }

    /// The format.
    pub fn format(&self) -> &'static dyn CookieFormat {
        self.format
    }

    /// The age limit in force (the framework's default unless overridden).
    pub fn max_age_secs(&self) -> Option<u64> {
        self.opts
            .max_age
            .resolve(self.format.default_max_age_secs())
    }

    /// Number of keys in the proposed set.
    pub fn proposed_len(&self) -> usize {
        self.proposed_len
    }

    /// Number of keys in the current set.
    pub fn current_len(&self) -> usize {
        self.current_len
    }

    /// Decodes the cookie one input line (any paste form) holds: the first reading that decodes,
    /// preferring the format's usual cookie name.
    pub fn decode_line(&self, line: &str) -> Result<Decoded, String> {
        let candidates = input::parse(line);
        let mut order: Vec<&input::Candidate> = candidates.iter().collect();
        // Only a reading named as the format's usual cookie moves up: a format without one (Rails)
        // keeps the input's order, `name=value` before the whole line read as a bare value.
        let usual = self.format.default_cookie_name();
        order.sort_by_key(|c| usual.is_none() || c.name.as_deref() != usual);
        let mut first_error = None;
        for c in order {
            let mut params = self.params.clone();
            if params.cookie_name.is_none() {
                params.cookie_name.clone_from(&c.name);
            }
            match self.format.decode(&c.value, &params) {
                Ok(d) => return Ok(d),
                Err(e) => {
                    first_error.get_or_insert(e.0);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| "empty line".into()))
    }

    /// Classifies one cookie line.
    pub fn classify(&self, line: &str) -> Classified {
        self.classify_quick(line)
            .unwrap_or_else(|| self.classify_full(line))
    }

    /// The common case, at a fraction of the cost: a plain cookie value (or `name=value`) that
    /// the format's [`PairVerifier`] settles is read once, each distinct key tried once, and its
    /// payload only checked. `None` for anything else, which [`Rotation::classify_full`] then
    /// answers.
    fn classify_quick(&self, line: &str) -> Option<Classified> {
        let pair = self.pair.as_ref()?;
        let (name, value) = plain_reading(line)?;
        // `decode_line` names a reading after its cookie unless a name was given.
        let cookie_name = self.params.cookie_name.as_deref().or(name);
        let v = pair.verify_pair(value, cookie_name, &self.opts)?;
        Some(quick_classified(v, cookie_name))
    }

    /// [`Rotation::classify`] of every line, in order: the same answers, with the quick path
    /// taken for the whole batch at once (SHA-1 cookies are then signed side by side). What the
    /// streaming job runs on each chunk.
    pub fn classify_many<S: AsRef<str>>(&self, lines: &[S]) -> Vec<Classified> {
        let Some(pair) = self.pair.as_ref() else {
            return lines
                .iter()
                .map(|l| self.classify_full(l.as_ref()))
                .collect();
        };
        // The lines the quick path may settle, by index, with their cookie names.
        let mut quick: Vec<usize> = Vec::with_capacity(lines.len());
        let mut cookies: Vec<(&str, Option<&str>)> = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            if let Some((name, value)) = plain_reading(line.as_ref()) {
                quick.push(i);
                cookies.push((value, self.params.cookie_name.as_deref().or(name)));
            }
        }
        let verdicts = pair.verify_pairs(&cookies, &self.opts);
        let mut settled = quick.into_iter().zip(cookies).zip(verdicts).peekable();
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let quick = settled.next_if(|((at, _), _)| *at == i);
                match quick {
                    Some(((_, (_, name)), Some(v))) => quick_classified(v, name),
                    _ => self.classify_full(line.as_ref()),
                }
            })
            .collect()
    }

    /// [`Rotation::classify`] without its quick path: the line's readings decoded and verified in
    /// full under each set. The same answers, slower; public for the tests and benchmarks that
    /// compare the two.
    pub fn classify_full(&self, line: &str) -> Classified {
        let decoded = match self.decode_line(line) {
            Ok(d) => d,
            Err(e) => return Classified::malformed(e),
        };
        self.classify_decoded(&decoded)
    }

    /// Classifies a decoded cookie.
    pub fn classify_decoded(&self, decoded: &Decoded) -> Classified {
        let now = self.current.verify(decoded, &self.opts);
        let next = self.proposed.verify(decoded, &self.opts);
        let outcome = match (&next.verdict, next.key_index) {
            (Verdict::Malformed(_), _) => Outcome::Malformed,
            (Verdict::Valid, Some(0)) => Outcome::ValidPrimary,
            (Verdict::Valid, Some(i)) => Outcome::ValidFallback(i - 1),
            (Verdict::Expired(_) | Verdict::NotYetValid(_), Some(_)) => Outcome::Expired,
            _ if now.key_index.is_some() => Outcome::Invalidated,
            _ => Outcome::AlreadyInvalid,
        };
        let error = match (&next.verdict, &now.verdict) {
            (Verdict::Malformed(e), _) | (_, Verdict::Malformed(e)) => Some(e.clone()),
            _ => None,
        };
        Classified {
            outcome,
            now: now.verdict.status(),
            signed_at: decoded.signed_at,
            key_now: now.key_index,
            key_next: next.key_index,
            cookie_name: decoded.cookie_name.clone(),
            error,
        }
    }
}

/// A quick verdict as a row: `classify_decoded`'s rules (a quick verdict is never malformed).
fn quick_classified(v: PairVerdict, cookie_name: Option<&str>) -> Classified {
    let outcome = match v.second {
        Standing::Valid(0) => Outcome::ValidPrimary,
        Standing::Valid(i) => Outcome::ValidFallback(i - 1),
        Standing::Expired(_) => Outcome::Expired,
        _ if v.first.key_index().is_some() => Outcome::Invalidated,
        _ => Outcome::AlreadyInvalid,
    };
    Classified {
        outcome,
        now: v.first.status(),
        signed_at: v.signed_at,
        key_now: v.first.key_index(),
        key_next: v.second.key_index(),
        cookie_name: cookie_name.map(str::to_string),
        error: None,
    }
}

/// The reading [`Rotation::decode_line`] takes first, for the two plain forms whose readings are
/// simple: a bare value (`input::parse` gives just that), or `name=value` with a plain name
/// (it gives the named reading, which `decode_line` tries first, then the whole line). Both are
/// base64url characters and dots only, so there is no space, quote, `:`, `;` or tab for a
/// header, a quoted value or a command to hang on. `None` for anything else.
fn plain_reading(line: &str) -> Option<(Option<&str>, &str)> {
    // Branch-free per byte, so that it compiles to a vector loop.
    let allowed = |b: u8| {
        (b.wrapping_sub(b'0') < 10)
            | ((b | 0x20).wrapping_sub(b'a') < 26)
            | (b == b'-')
            | (b == b'_')
            | (b == b'.')
    };
    let plain = |text: &str| !text.is_empty() && text.bytes().fold(true, |all, b| all & allowed(b));
    if line.len() > input::MAX_INPUT {
        return None;
    }
    let Some((name, value)) = line.split_once('=') else {
        return plain(line).then_some((None, line));
    };
    // `input`'s `split_pair`: a value starting with `.` is a name only before a zlib stream
    // (`session=.eJ...`); otherwise the `=` may be base64 padding.
    let zlib = [".eA", ".eF", ".eJ", ".eN"]
        .iter()
        .any(|p| value.starts_with(p));
    let named = plain(name) && plain(value) && (zlib || !value.starts_with('.'));
    named.then_some((Some(name), value))
}

/// The answers for a whole batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Cookies per outcome label, in a stable order.
    pub counts: BTreeMap<Outcome, usize>,
    /// Cookies in the batch.
    pub total: usize,
    /// Per proposed fallback position: how many cookies need it, and the last moment one of
    /// them is still within its max age (`None`: no timestamp or no max age, so never).
    pub fallback_needed_until: BTreeMap<usize, (usize, Option<i64>)>,
    /// Per current key position: how many cookies it verifies now.
    pub signed_by_current: BTreeMap<usize, usize>,
    /// Plain-language answers and warnings.
    pub findings: Vec<String>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one cookie.
    pub fn add(&mut self, c: &Classified, max_age_secs: Option<u64>) {
        *self.counts.entry(c.outcome).or_default() += 1;
        self.total += 1;
        if let Some(k) = c.key_now {
            *self.signed_by_current.entry(k).or_default() += 1;
        }
        if let Outcome::ValidFallback(n) = c.outcome {
            let expires = match (c.signed_at, max_age_secs) {
                (Some(ts), Some(max)) => Some(ts.saturating_add_unsigned(max)),
                _ => None,
            };
            let entry = self.fallback_needed_until.entry(n).or_insert((0, expires));
            entry.0 += 1;
            entry.1 = match (entry.1, expires) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
    }

    /// Merges another partial report (batches classified in parallel).
    pub fn merge(&mut self, other: Report) {
        for (k, v) in other.counts {
            *self.counts.entry(k).or_default() += v;
        }
        self.total += other.total;
        for (k, v) in other.signed_by_current {
            *self.signed_by_current.entry(k).or_default() += v;
        }
        for (k, (n, until)) in other.fallback_needed_until {
            let entry = self.fallback_needed_until.entry(k).or_insert((0, until));
            entry.0 += n;
            entry.1 = match (entry.1, until) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
    }

    /// Count of one outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.counts.get(&outcome).copied().unwrap_or(0)
    }

    /// Fills [`Report::findings`]: when fallbacks can go, and the traps of this proposal.
    pub fn conclude(
        &mut self,
        rotation: &Rotation,
        current_names: &[String],
        proposed_names: &[String],
    ) {
        let mut out = Vec::new();
        let format = rotation.format.id();
        let name = |names: &[String], i: usize, what: &str| {
            names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("{what} #{i}"))
        };
        let invalidated = self.count(Outcome::Invalidated);
        if self.total > 0 {
            out.push(format!(
                "{invalidated} of {} cookies ({:.1}%) would be logged out by this rotation.",
                self.total,
                invalidated as f64 * 100.0 / self.total as f64
            ));
        }
        for (n, (count, until)) in &self.fallback_needed_until {
            let key = name(proposed_names, n + 1, "proposed key");
            match until {
                Some(t) => out.push(format!(
                    "{key} can be dropped after {} ({count} cookie{} still need{} it; every one of them expires by max age before then).",
                    time::format_utc(*t),
                    if *count == 1 { "" } else { "s" },
                    if *count == 1 { "s" } else { "" }
                )),
                None if rotation.max_age_secs().is_none() => out.push(format!(
                    "{key} can never be dropped without logging out the {count} cookie{} that need it: {format} has no max age here, so a cookie stays valid as long as the browser keeps it.",
                    if *count == 1 { "" } else { "s" }
                )),
                None => out.push(format!(
                    "{key} can never be dropped without logging out the {count} cookie{} that need it: {format} cookies carry no timestamp, so Signet cannot tell when they stop being used.",
                    if *count == 1 { "" } else { "s" }
                )),
            }
        }
        // A proposed set that drops a key most live cookies still need.
        let live: usize = self.signed_by_current.values().sum();
        if live > 0 && invalidated * 2 > live {
            out.push(format!(
                "Warning: the proposed set drops a key that {invalidated} of the {live} live cookies still need; keep it as a fallback until they expire."
            ));
        }
        for (k, n) in &self.signed_by_current {
            let key_name = name(current_names, *k, "current key");
            if !proposed_names.is_empty()
                && !proposed_names.contains(&key_name)
                && *n > 0
                && current_names.len() > *k
            {
                out.push(format!(
                    "{key_name} verifies {n} live cookie{} today and is not in the proposed set.",
                    if *n == 1 { "" } else { "s" }
                ));
            }
        }
        out.extend(rotation.set_findings.iter().cloned());
        match format {
            "flask" => {
                out.push("Flask signs with SECRET_KEY and tries SECRET_KEY_FALLBACKS from the last to the first. Flask 3.1.0 signed new sessions with the last fallback instead of SECRET_KEY (fixed in 3.1.1): run 3.1.1 or later.".into());
                out.push("SECRET_KEY_FALLBACKS must be a list: a plain string is read one character at a time and verifies nothing.".into());
            }
            "itsdangerous-signer"
            | "itsdangerous-timestamp-signer"
            | "itsdangerous-serializer"
            | "itsdangerous-urlsafe"
            | "itsdangerous-timed" => {
                out.push("itsdangerous signs with the LAST key of secret_key's list and tries the keys from the last to the first: list the new key last.".into());
            }
            "django-signer"
            | "django-timestamp-signer"
            | "django-signing"
            | "django-session"
            | "django-cookie" => {
                out.push("Django signs with SECRET_KEY and tries SECRET_KEY_FALLBACKS in list order; it must be a list, not a string.".into());
                if format == "django-cookie" {
                    out.push("Django 5.2.15 / 6.0.6 changed set_signed_cookie's salt: cookies signed by older versions verify only through the legacy salt fallback (SIGNED_COOKIE_LEGACY_SALT_FALLBACK): keep it on until they have expired.".into());
                }
            }
            "express" | "keygrip" => {
                out.push("The first secret of the array signs; the others verify, in array order. These cookies carry no timestamp.".into());
            }
            "starlette" => {
                out.push("Starlette's SessionMiddleware takes a single secret_key: there are no fallbacks, so every session signed with the old key ends when the new one is deployed.".into());
            }
            _ => {}
        }
        self.findings = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::MaxAge;
    use crate::core::encoding::{b64url_nopad, int_to_bytes, zlib_compress};
    use crate::core::formats::itsdangerous::KeyDerivation;
    use crate::core::mac::{Digest, KeyedMac};
    use proptest::prelude::*;

    fn flask(key: &str, ts: i64) -> String {
        format_by_id("flask")
            .expect("flask")
            .sign(
                &serde_json::json!({"u": key}),
                &Secret::from_text(key),
                &FormatParams::default(),
                ts,
            )
            .expect("signs")
    }

    /// A Flask rotation from the current keys to the proposed ones, at `now`.
    fn flask_rotation(current: &[&str], proposed: &[&str], now: i64) -> Rotation {
        let keys = |list: &[&str]| {
            list.iter()
                .map(|k| Secret::from_text(k))
                .collect::<Vec<_>>()
        };
        Rotation::new(
            "flask",
            &keys(current),
            &keys(proposed),
            FormatParams::default(),
            VerifyOptions::at(now),
        )
        .expect("rotation")
    }

    #[test]
    fn contract_example() {
        let now = 1_767_225_600;
        let r = flask_rotation(&["k-old"], &["k-new", "k-old"], now);
        assert_eq!(
            r.classify(&flask("k-old", now - 600)).outcome,
            Outcome::ValidFallback(0)
        );
        assert_eq!(
            r.classify(&flask("k-new", now - 600)).outcome,
            Outcome::ValidPrimary
        );
        assert_eq!(
            r.classify(&flask("k-gone", now - 600)).outcome,
            Outcome::AlreadyInvalid
        );
        assert_eq!(r.classify("garbage").outcome, Outcome::Malformed);
        let old = r.classify(&flask("k-old", now - 40 * 86_400));
        assert_eq!((old.outcome, old.now), (Outcome::Expired, "expired"));
    }

    #[test]
    fn dropping_the_old_key_invalidates_and_the_report_says_until_when() {
        let now = 1_767_225_600;
        let r = flask_rotation(&["a"], &["b", "a"], now);
        let mut report = Report::new();
        for ts in [now - 100, now - 86_400] {
            report.add(&r.classify(&flask("a", ts)), r.max_age_secs());
        }
        report.conclude(&r, &["a".into()], &["b".into(), "a".into()]);
        assert_eq!(report.count(Outcome::ValidFallback(0)), 2);
        // The newest cookie needing "a" expires 31 days after it was signed.
        assert_eq!(
            report.fallback_needed_until.get(&0),
            Some(&(2, Some(now - 100 + 31 * 86_400)))
        );
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.starts_with("a can be dropped after")),
            "{:?}",
            report.findings
        );

        let drop_it = flask_rotation(&["a"], &["b"], now);
        let c = drop_it.classify(&flask("a", now - 100));
        assert_eq!((c.outcome, c.now), (Outcome::Invalidated, "valid"));
        let mut report = Report::new();
        report.add(&c, drop_it.max_age_secs());
        report.conclude(&drop_it, &["a".into()], &["b".into()]);
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.contains("drops a key that 1 of the 1 live cookies still need")),
            "{:?}",
            report.findings
        );
    }

    /// A Flask cookie over any payload text and timestamp text, signed with `key`.
    fn forge(payload: &str, ts: &str, key: &[u8]) -> String {
        let unsigned = format!("{payload}.{ts}");
        let derived = KeyDerivation::Hmac.derive(Digest::Sha1, b"cookie-session", key);
        let tag = KeyedMac::new(Digest::Sha1, &derived).tag(&[unsigned.as_bytes()]);
        format!("{unsigned}.{}", b64url_nopad(tag.as_bytes()))
    }

    fn ts(t: u64) -> String {
        b64url_nopad(&int_to_bytes(t))
    }

    /// Payload texts (URL-safe base64, compressed with the `.` marker or not) of JSON that loads
    /// and JSON that does not, including what only Python reads and what only serde_json's
    /// `Value` refuses.
    fn payloads() -> Vec<String> {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let json: Vec<String> = [
            r#"{"_user_id":"42","cart":[{"qty":1,"sku":"a"}],"n":[1,2.5,-3e2,1e400],"t":true,"z":null}"#,
            r#""just a string""#,
            " {} ",
            r#"{"a":NaN}"#,
            r#"{"a":"\ud800"}"#,
            "{NaN: 1}",
            r#"{"a":1,}"#,
            "[1,2",
            "{}x",
            "",
            "01",
            "\"a\u{1}\"",
            r#"{" t":[1,2]}"#,
            r#"{" t":1}"#,
            r#"{" u":"nope"}"#,
            r#"{"\u0020t":[1]}"#,
            r#"{"a":{" u":"bad"},"a":1}"#,
            r#"{"$serde_json::private::Number":"12"}"#,
            r#"{"$serde_json::private::Number":"abc"}"#,
            r#"{"$serde_json::private::Number":"1","b":2}"#,
            r#"{"b":1,"$serde_json::private::Number":"x"}"#,
            r#"{"a":{"$serde_json::private::RawValue":"1"}}"#,
        ]
        .into_iter()
        .map(str::to_string)
        .chain([deep(127), deep(128), deep(300)])
        .collect();
        let mut out = Vec::new();
        for j in &json {
            out.push(b64url_nopad(j.as_bytes()));
            out.push(format!(".{}", b64url_nopad(&zlib_compress(j.as_bytes()))));
        }
        // Not UTF-8; not zlib; lenient base64 (a trailing `=` is not a bare value, a changed
        // unused bit is); no payload at all.
        out.push(b64url_nopad(&[b'"', 0xff, b'"']));
        out.push(format!(".{}", b64url_nopad(b"{}")));
        let mut lenient = b64url_nopad(b"{}");
        lenient.pop();
        lenient.push('1');
        out.push(lenient);
        out.push(String::new());
        out
    }

    /// Flask cookies that the quick path must answer exactly as the full one: every payload
    /// above, signed by each key in turn, at timestamps in and out of the max age (and from the
    /// future), with odd timestamps and signatures.
    fn flask_lines(now: i64, keys: &[&[u8]]) -> Vec<String> {
        let now = now as u64;
        let mut lines = Vec::new();
        for (i, payload) in payloads().iter().enumerate() {
            let key = keys[i % keys.len()];
            for t in [
                now - 60,
                now - 31 * 86_400,
                now - 31 * 86_400 - 1,
                now,
                now + 1,
            ] {
                lines.push(forge(payload, &ts(t), key));
            }
        }
        let good = &payloads()[0];
        for key in keys {
            let t = ts(now - 60);
            lines.push(forge(good, &t, key));
            // A non-canonical timestamp (a leading zero byte), an empty one (the epoch), an
            // undecodable one, one too large, none at all.
            let mut zero = vec![0];
            zero.extend(int_to_bytes(now - 60));
            lines.push(forge(good, &b64url_nopad(&zero), key));
            lines.push(forge(good, "", key));
            lines.push(forge(good, "A", key));
            lines.push(forge(good, &b64url_nopad(&[1; 9]), key));
            let signed = forge(good, &t, key);
            let (head, sig) = signed.rsplit_once('.').expect("signed");
            let (payload, _) = head.rsplit_once('.').expect("timestamped");
            lines.push(format!("{payload}.{sig}"));
            // A signature with changed unused bits (lenient), cut short, empty, not base64.
            let mut bits = sig.to_string();
            let last = bits.pop().expect("sig");
            bits.push(if last == 'B' { 'C' } else { 'B' });
            lines.push(format!("{head}.{bits}"));
            lines.push(format!("{head}.{}", &sig[..20]));
            lines.push(format!("{head}."));
            lines.push(format!("{head}.A"));
        }
        lines.push("no-separator-here".into());
        lines.push(".".into());
        lines
    }

    #[test]
    fn the_quick_path_answers_exactly_as_the_full_one() {
        let now = 1_767_225_600;
        type Keys<'a> = &'a [&'a [u8]];
        let sets: [(Keys<'_>, Keys<'_>); 5] = [
            (&[b"k-old", b"k-mid"], &[b"k-new", b"k-old"]),
            (&[b"k-old"], &[b"k-old", b"k-old", b"k-new"]),
            // `k` and `k\0` are one HMAC key: Flask's derivation pads it with zeros.
            (&[b"k", b"k-mid"], &[b"k-new", b"k\0"]),
            (&[], &[b"k-new"]),
            (&[b"k-new", b"k-old", b"k-mid"], &[b"k-mid"]),
        ];
        let secrets = |keys: &[&[u8]]| -> Vec<Secret> {
            keys.iter()
                .map(|k| Secret::from_bytes(k.to_vec()))
                .collect()
        };
        let mut quick = 0;
        let mut compared = 0;
        for (current, proposed) in sets {
            for max_age in [MaxAge::FrameworkDefault, MaxAge::Unlimited, MaxAge::Secs(0)] {
                let opts = VerifyOptions {
                    now,
                    max_age,
                    leeway_secs: 0,
                };
                let r = Rotation::new(
                    "flask",
                    &secrets(current),
                    &secrets(proposed),
                    FormatParams::default(),
                    opts,
                )
                .expect("rotation");
                let keys = [current, proposed, &[b"k-gone".as_slice()]].concat();
                let mut lines = Vec::new();
                for cookie in flask_lines(now, &keys) {
                    for line in [
                        cookie.clone(),
                        format!("session={cookie}"),
                        format!("x={cookie}"),
                    ] {
                        let full = r.classify_full(&line);
                        assert_eq!(r.classify(&line), full, "{line}");
                        quick += usize::from(r.classify_quick(&line).is_some());
                        compared += 1;
                        lines.push(line);
                    }
                }
                // And all of them as one batch, as the job classifies a chunk.
                let one_by_one: Vec<Classified> = lines.iter().map(|l| r.classify(l)).collect();
                assert_eq!(r.classify_many(&lines), one_by_one);
            }
        }
        // Not vacuous: most of those cookies took the quick path.
        assert!(quick * 2 > compared, "{quick} of {compared}");
    }

    #[test]
    fn every_quick_format_and_option_answers_as_the_full_path() {
        let now = 1_767_225_600;
        let payloads = [
            serde_json::json!({"user": "ada", "cart": [1, 2, 3], "admin": false}),
            serde_json::json!("plain"),
            serde_json::json!({"x": "x".repeat(300)}),
        ];
        let keys = ["k-old", "k-new", "k-gone"].map(Secret::from_text);
        let mut quick = 0;
        for format in [
            "flask",
            "itsdangerous-timed",
            "itsdangerous-urlsafe",
            "itsdangerous-signer",
            "itsdangerous-timestamp-signer",
            "itsdangerous-serializer",
            "starlette",
        ] {
            let f = format_by_id(format).expect("format");
            let mut batch = Vec::new();
            for params in [
                FormatParams::default(),
                FormatParams {
                    digest: Some(Digest::Sha256),
                    separator: Some("~".into()),
                    ..Default::default()
                },
                FormatParams {
                    key_derivation: Some("concat".into()),
                    salt: Some("s".into()),
                    cookie_name: Some("sid".into()),
                    ..Default::default()
                },
            ] {
                let r = Rotation::new(
                    format,
                    &keys[..1],
                    &keys[1..2],
                    params.clone(),
                    VerifyOptions::at(now),
                )
                .expect("rotation");
                for (payload, key) in payloads.iter().zip(keys.iter().cycle()) {
                    let payload = match (f.string_payload(), payload) {
                        (true, serde_json::Value::Object(_)) => serde_json::json!("text"),
                        _ => payload.clone(),
                    };
                    for t in [now - 10, now - 20 * 86_400, now + 10] {
                        let line = f.sign(&payload, key, &params, t).expect("signs");
                        assert_eq!(r.classify(&line), r.classify_full(&line), "{format} {line}");
                        quick += usize::from(r.classify_quick(&line).is_some());
                        batch.push(line);
                    }
                }
                let one_by_one: Vec<Classified> = batch.iter().map(|l| r.classify(l)).collect();
                assert_eq!(r.classify_many(&batch), one_by_one, "{format}");
                batch.clear();
            }
        }
        assert!(quick > 50, "{quick}");
    }

    #[test]
    fn keys_that_are_one_hmac_key_verify_in_both_sets() {
        // Without a key derivation the secrets key the HMAC themselves: `k` and `k\0` are one
        // key (padded with zeros), and so are a key longer than a block and its SHA-1.
        let long = vec![7u8; 100];
        let hashed = Digest::Sha1.hash(&[&long]);
        let params = FormatParams {
            key_derivation: Some("none".into()),
            ..Default::default()
        };
        let now = 1_767_225_600;
        for (signer, current, proposed) in [
            (b"k".to_vec(), b"k".to_vec(), b"k\0".to_vec()),
            (long.clone(), long.clone(), hashed.clone()),
            (hashed, b"other".to_vec(), long),
        ] {
            let r = Rotation::new(
                "flask",
                &[Secret::from_bytes(current)],
                &[Secret::from_text("new"), Secret::from_bytes(proposed)],
                params.clone(),
                VerifyOptions::at(now),
            )
            .expect("rotation");
            let cookie = format_by_id("flask")
                .expect("flask")
                .sign(
                    &serde_json::json!({"u": 1}),
                    &Secret::from_bytes(signer),
                    &params,
                    now,
                )
                .expect("signs");
            assert!(r.classify_quick(&cookie).is_some());
            let full = r.classify_full(&cookie);
            assert_eq!(full.outcome, Outcome::ValidFallback(0));
            assert_eq!(r.classify(&cookie), full);
            // Batched (16 side by side with AVX-512), the two spellings of the key are one too.
            assert_eq!(r.classify_many(&vec![cookie; 20]), vec![full; 20]);
        }
    }

    #[test]
    fn a_plain_reading_is_the_one_the_input_parser_gives_first() {
        let cookie = flask("k", 1_700_000_000);
        let named = format!("session={cookie}");
        let other = format!("sid_2={cookie}");
        for (line, first) in [
            (cookie.as_str(), Some((None, cookie.as_str()))),
            ("abc", Some((None, "abc"))),
            ("curl", Some((None, "curl"))),
            ("curl.exe", Some((None, "curl.exe"))),
            ("a.b.c", Some((None, "a.b.c"))),
            ("-_.", Some((None, "-_."))),
            (&named, Some((Some("session"), cookie.as_str()))),
            (&other, Some((Some("sid_2"), cookie.as_str()))),
            ("s=.eJabc.d.e", Some((Some("s"), ".eJabc.d.e"))),
            // `=` as padding, `.` not before zlib, several `=`, no name, no value.
            ("eyJ9=.ts.sig", None),
            ("s=.abc.d.e", None),
            ("a=b=c", None),
            ("=abc", None),
            ("abc=", None),
            ("\"abc\"", None),
            ("a b", None),
            ("Cookie: a=b", None),
            ("a:b", None),
            ("a\tb", None),
            ("a;b", None),
            ("é", None),
            ("", None),
        ] {
            assert_eq!(plain_reading(line), first, "{line:?}");
            let Some((name, value)) = first else { continue };
            let candidate = |name: Option<&str>, value: &str, form| input::Candidate {
                name: name.map(str::to_string),
                value: value.to_string(),
                form,
                source: None,
            };
            let mut want = vec![candidate(name, value, input::InputForm::Bare)];
            if name.is_some() {
                want.insert(0, candidate(name, value, input::InputForm::NameValue));
                want[1] = candidate(None, line, input::InputForm::Bare);
            }
            assert_eq!(input::parse(line), want, "{line:?}");
        }
    }

    fn bare_text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[A-Za-z0-9._-]{0,60}").expect("regex")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text of the bare alphabet, and any cookie with a character changed or cut:
        /// the quick path and the full one agree.
        #[test]
        fn quick_and_full_agree_on_mangled_cookies(
            junk in bare_text(),
            at in 0usize..200,
            with in proptest::sample::select(b"AQgw09-_.= ".to_vec()),
            cut in 0usize..200,
            which in 0usize..3,
        ) {
            let now = 1_767_225_600;
            let r = flask_rotation(&["k-old"], &["k-new", "k-old"], now);
            let key = ["k-old", "k-new", "k-gone"][which];
            let cookie = flask(key, now - 100);
            prop_assert_eq!(r.classify(&junk), r.classify_full(&junk));
            let mut changed = cookie.clone().into_bytes();
            let at = at % changed.len();
            changed[at] = with;
            let changed = String::from_utf8(changed).expect("ASCII");
            prop_assert_eq!(r.classify(&changed), r.classify_full(&changed));
            let short = &cookie[..cut.min(cookie.len())];
            prop_assert_eq!(r.classify(short), r.classify_full(short));
            for joined in [format!("{junk}{cookie}"), format!("{junk}={cookie}")] {
                prop_assert_eq!(r.classify(&joined), r.classify_full(&joined));
            }
            // As one batch, among valid cookies of each key (so that the SHA-1 lanes mix).
            let mut batch = vec![junk.clone(), changed, short.to_string(), format!("{junk}={cookie}")];
            batch.extend(["k-old", "k-new", "k-gone"].iter().cycle().take(14).map(|k| flask(k, now - 100)));
            let one_by_one: Vec<Classified> = batch.iter().map(|l| r.classify(l)).collect();
            prop_assert_eq!(r.classify_many(&batch), one_by_one);
        }
    }
}
