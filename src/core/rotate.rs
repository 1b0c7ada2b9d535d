//! Rotation preview: what a proposed key set would do to live cookies.
//!
//! Every cookie is verified twice, under the key set in force now and under the proposed one,
//! with the framework's own key order and rules (the format's [`Verifier`]), and classified as
//! `../shared/contract.md` defines for `signet rotate`. A [`Report`] then answers the questions
//! behind the rows: how many cookies each outcome has, until when a fallback key is still needed,
//! and which known traps the proposal walks into.

use std::collections::BTreeMap;

use crate::core::{
    CookieFormat, Decoded, FormatParams, ParamError, Secret, Verdict, Verifier, VerifyOptions,
    format_by_id, input, time,
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
            Outcome::ValidPrimary => "valid-primary".into(),
            Outcome::ValidFallback(n) => format!("valid-fallback:{n}"),
            Outcome::Expired => "expired".into(),
            Outcome::Invalidated => "invalidated".into(),
            Outcome::AlreadyInvalid => "already-invalid".into(),
            Outcome::Malformed => "malformed".into(),
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
    current_len: usize,
    proposed_len: usize,
    opts: VerifyOptions,
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
        let format = format_by_id(format_id)
            .ok_or_else(|| ParamError(format!("unknown format {format_id:?}")))?;
        if proposed.is_empty() {
            return Err(ParamError("the proposed key set is empty".into()));
        }
        format.check_params(&params)?;
        Ok(Self {
            format,
            current: format.verifier(current, &params)?,
            proposed: format.verifier(proposed, &params)?,
            current_len: current.len(),
            proposed_len: proposed.len(),
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
        order.sort_by_key(|c| c.name.as_deref() != self.format.default_cookie_name());
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

    #[test]
    fn contract_example() {
        let now = 1_767_225_600;
        let r = Rotation::new(
            "flask",
            &[Secret::from_text("k-old")],
            &[Secret::from_text("k-new"), Secret::from_text("k-old")],
            FormatParams::default(),
            VerifyOptions::at(now),
        )
        .expect("rotation");
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
        let r = Rotation::new(
            "flask",
            &[Secret::from_text("a")],
            &[Secret::from_text("b"), Secret::from_text("a")],
            FormatParams::default(),
            VerifyOptions::at(now),
        )
        .expect("rotation");
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

        let drop_it = Rotation::new(
            "flask",
            &[Secret::from_text("a")],
            &[Secret::from_text("b")],
            FormatParams::default(),
            VerifyOptions::at(now),
        )
        .expect("rotation");
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
}
