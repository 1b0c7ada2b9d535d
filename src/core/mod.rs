//! The signing core: pure functions over cookie text, keys and a given time. No I/O, no clock,
//! no GUI. Each format family implements [`CookieFormat`]; [`inspect`] runs the whole pipeline
//! (parse the paste, detect, decode, verify) for the CLI and the GUI alike.

pub mod audit;
pub mod encoding;
pub mod flask_tag;
pub mod formats;
pub mod input;
pub mod mac;
pub mod model;
pub mod pyjson;
pub mod rotate;
pub mod secret;
pub mod sha1x2;
pub mod time;

use serde_json::Value;

pub use mac::Digest;
pub use model::{
    Decoded, FormatParams, JsonDialect, KeyEntry, Malformed, MaxAge, ParamError, Part, PartKind,
    SignError, Verdict, Verification, VerifyOptions,
};
pub use secret::{Fingerprint, Secret};

/// One cookie format. Implementations are small `Copy` values in [`FORMATS`].
pub trait CookieFormat: Send + Sync {
    /// The stable id (`flask`, `django-session`, ...) used by the CLI and saved settings.
    fn id(&self) -> &'static str;

    /// A one-line description.
    fn label(&self) -> &'static str;

    /// The cookie name the framework uses by default, if it has one.
    fn default_cookie_name(&self) -> Option<&'static str> {
        None
    }

    /// Whether the payload is a plain string (bare signers, Django cookies) rather than JSON.
    fn string_payload(&self) -> bool {
        false
    }

    /// The framework's default max age in seconds (`None`: no limit).
    fn default_max_age_secs(&self) -> Option<u64> {
        None
    }

    /// The shortest key material the framework accepts, in bytes.
    fn min_key_len(&self) -> usize {
        1
    }

    /// Checks parameter overrides before any cookie is looked at.
    fn check_params(&self, _params: &FormatParams) -> Result<(), ParamError> {
        Ok(())
    }

    /// Whether `value` fits this format's shape (with the given parameter overrides), how well
    /// (1 = barely, 100 = certainly) and why, judged without a key: never a claim that a
    /// signature is valid. `None` when it does not decode at all. Never panics.
    fn detect(&self, value: &str, params: &FormatParams) -> Option<Detection>;

    /// Splits and decodes `value` without a key. The result is untrusted.
    fn decode(&self, value: &str, params: &FormatParams) -> Result<Decoded, Malformed>;

    /// Prepares an ordered key list (primary first, then fallbacks as the app lists them):
    /// every key is derived once here, not once per cookie.
    fn verifier(
        &self,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError>;

    /// For the rotation preview: a key set as the app configures it, primary first, where an
    /// entry may carry its own key derivation and digest. By default the entries must agree on a
    /// key derivation (it is then the set's, and [`CookieFormat::verifier`] prepares them) and
    /// carry no digest of their own; Rails overrides this (per-entry key generators and digests,
    /// legacy CBC cookies read by the primary alone).
    fn key_set_verifier(
        &self,
        entries: &[KeyEntry],
        params: &FormatParams,
    ) -> Result<Box<dyn Verifier>, ParamError> {
        let mut params = params.clone();
        if let Some(first) = entries.first() {
            let kd = first.derivation(&params).map(str::to_string);
            if entries
                .iter()
                .any(|e| e.derivation(&params) != kd.as_deref())
            {
                return Err(ParamError(format!(
                    "{} uses one key derivation for the whole key set; a key derivation per key exists for Rails only (cookies_rotations entries)",
                    self.id()
                )));
            }
            params.key_derivation = kd;
        }
        // The cookie is decoded once for both sets, with the rotation's digest (`--digest`).
        if entries.iter().any(|e| e.digest.is_some()) {
            return Err(ParamError(format!(
                "{} takes one digest for the whole rotation (--digest); a digest per key exists for Rails signed cookies only (cookies_rotations entries)",
                self.id()
            )));
        }
        let secrets: Vec<Secret> = entries.iter().map(|e| e.secret.clone()).collect();
        self.verifier(&secrets, &params)
    }

    /// For the rotation preview: what moving from the `current` key set to the `proposed` one
    /// earns in the report before any cookie is looked at (traps of the configuration, how the
    /// framework uses the list). None by default.
    fn rotation_findings(
        &self,
        _current: &[KeyEntry],
        _proposed: &[KeyEntry],
        _params: &FormatParams,
    ) -> Vec<String> {
        Vec::new()
    }

    /// For audits: a check of candidate keys against `decoded` that prepares once everything not
    /// depending on the key (the signed bytes, the expected tag, the salt), so each candidate costs
    /// only its own hashing and allocates nothing. `None` when the format has no such path (the
    /// audit then goes through [`CookieFormat::verifier`]) or the cookie has no usable signature.
    fn key_check(&self, _decoded: &Decoded, _params: &FormatParams) -> Option<Box<dyn KeyCheck>> {
        None
    }

    /// For the rotation preview: two ordered key lists (the set in force, then the proposed one)
    /// prepared together, so that a cookie is read once, a key both lists hold is tried once and
    /// the payload is checked, not built, and only when a key verifies. `None` when the format has
    /// no such path: the preview then decodes and verifies every cookie in full.
    fn pair_verifier(
        &self,
        _first: &[Secret],
        _second: &[Secret],
        _params: &FormatParams,
    ) -> Option<Box<dyn PairVerifier>> {
        None
    }

    /// Signs `payload` (JSON as `inspect` reports it) with `key` at `timestamp` (Unix seconds),
    /// byte-for-byte as the framework would.
    fn sign(
        &self,
        payload: &Value,
        key: &Secret,
        params: &FormatParams,
        timestamp: i64,
    ) -> Result<String, SignError>;
}

/// Why a value looks like a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// 1 (barely) to 100 (certainly).
    pub score: u8,
    /// A sentence: "3 '.'-separated parts: payload, 6-char timestamp (...), 27-char signature (sha1)".
    pub reason: String,
}

impl Detection {
    /// A detection with `score` clamped into 1..=100 and the shape of `decoded` after `what`.
    pub fn new(score: i32, what: &str, decoded: &Decoded) -> Self {
        Self {
            score: score.clamp(1, 100) as u8,
            reason: format!("{what}: {}", shape(decoded)),
        }
    }
}

/// The shape of a decoded cookie in words: its parts, timestamp and signature length.
pub fn shape(d: &Decoded) -> String {
    let mut parts = Vec::new();
    for p in &d.parts {
        let n = d.part_text(p).chars().count();
        match p.kind {
            PartKind::Separator | PartKind::Marker => {}
            PartKind::Timestamp => match d.signed_at {
                Some(ts) => parts.push(format!("{n}-char timestamp ({})", time::format_utc(ts))),
                None => parts.push(format!("{n}-char timestamp")),
            },
            PartKind::Signature => match d.digest {
                Some(digest) => parts.push(format!("{n}-char signature ({digest})")),
                None => parts.push(format!("{n}-char signature")),
            },
            kind => parts.push(format!("{n}-char {}", kind.name())),
        }
    }
    if d.compressed {
        parts.push("zlib-compressed".into());
    }
    parts.join(", ")
}

/// A key list prepared for one format and parameter set; verifies any number of cookies.
pub trait Verifier: Send + Sync {
    /// Tries the keys in the framework's own order.
    fn verify(&self, decoded: &Decoded, opts: &VerifyOptions) -> Verification;
}

/// Two key lists prepared together (see [`CookieFormat::pair_verifier`]).
pub trait PairVerifier: Send + Sync {
    /// How the cookie value `value` (named `cookie_name`, when known) stands under each list,
    /// exactly as [`Verifier::verify`] of each list would judge [`CookieFormat::decode`]'s
    /// reading of it, when a quick reading settles that; `Some` only for a value that `decode`
    /// reads without an error. `None` when it does not: anything malformed or unusual (a lenient
    /// encoding, a payload that does not load, ...), for which the caller takes the full path,
    /// which also says why.
    fn verify_pair(
        &self,
        value: &str,
        cookie_name: Option<&str>,
        opts: &VerifyOptions,
    ) -> Option<PairVerdict>;

    /// [`PairVerifier::verify_pair`] of many cookies (value and name) at once, `out[i]` for
    /// `cookies[i]`: the same answers, for formats that can hash many cookies side by side.
    fn verify_pairs(
        &self,
        cookies: &[(&str, Option<&str>)],
        opts: &VerifyOptions,
    ) -> Vec<Option<PairVerdict>> {
        cookies
            .iter()
            .map(|(value, name)| self.verify_pair(value, *name, opts))
            .collect()
    }
}

/// A cookie under two key lists, as [`PairVerifier::verify_pair`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairVerdict {
    /// When it was signed, if the format says ([`Decoded::signed_at`]).
    pub signed_at: Option<i64>,
    /// Under the first list.
    pub first: Standing,
    /// Under the second list.
    pub second: Standing,
}

/// A well-formed cookie's verdict under one key list, without the words: what bulk
/// classification needs, at no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The list has no key ([`Verdict::Unverified`]).
    Unverified,
    /// No key of the list verifies it ([`Verdict::BadSignature`]).
    BadSignature,
    /// The key at this index verifies it and it is within its age limit ([`Verdict::Valid`]).
    Valid(usize),
    /// The key at this index verifies it, but it is too old or from the future
    /// ([`Verdict::Expired`]).
    Expired(usize),
}

impl Standing {
    /// The contract's status string, as [`Verdict::status`] spells it.
    pub fn status(self) -> &'static str {
        match self {
            Standing::Unverified => Verdict::Unverified.status(),
            Standing::BadSignature => Verdict::BadSignature.status(),
            Standing::Valid(_) => Verdict::Valid.status(),
            Standing::Expired(_) => Verdict::Expired(String::new()).status(),
        }
    }

    /// Which key verifies it.
    pub fn key_index(self) -> Option<usize> {
        match self {
            Standing::Valid(i) | Standing::Expired(i) => Some(i),
            Standing::Unverified | Standing::BadSignature => None,
        }
    }
}

/// One cookie's signature, ready to test candidate keys (see [`CookieFormat::key_check`]).
pub trait KeyCheck: Send + Sync {
    /// Whether `candidate` signed the cookie (constant-time tag comparison). A `true` is
    /// confirmed through the full verifier by the caller.
    fn check(&self, candidate: &[u8]) -> bool;

    /// [`KeyCheck::check`] of each of `candidates` (at most 64): bit `i` of the result is
    /// `candidates[i]`'s answer. The audit hands over [`audit::Target::BATCH`] candidates at a
    /// time; formats whose hashing can take several keys at once (multi-buffer SHA-1,
    /// [`sha1x2`]) override it, the others answer one by one.
    fn check_batch(&self, candidates: &[&[u8]]) -> u64 {
        candidates
            .iter()
            .take(64)
            .enumerate()
            .fold(0, |hits, (i, c)| hits | (u64::from(self.check(c)) << i))
    }
}

/// Every supported format, in the order detection ranks ties.
pub static FORMATS: &[&dyn CookieFormat] = &[
    &formats::itsdangerous::ItsDangerous::new(formats::itsdangerous::Kind::Flask),
    &formats::itsdangerous::ItsDangerous::new(formats::itsdangerous::Kind::Starlette),
    &formats::itsdangerous::ItsDangerous::new(formats::itsdangerous::Kind::Timed),
    &formats::itsdangerous::ItsDangerous::new(formats::itsdangerous::Kind::UrlSafe),
    &formats::itsdangerous::ItsDangerous::new(formats::itsdangerous::Kind::Serializer),
    &formats::itsdangerous::ItsDangerous::new(formats::itsdangerous::Kind::TimestampSigner),
    &formats::itsdangerous::ItsDangerous::new(formats::itsdangerous::Kind::Signer),
    &formats::django::Django::new(formats::django::Kind::Signer),
    &formats::django::Django::new(formats::django::Kind::TimestampSigner),
    &formats::django::Django::new(formats::django::Kind::Signing),
    &formats::django::Django::new(formats::django::Kind::Session),
    &formats::django::Django::new(formats::django::Kind::Cookie),
    &formats::express::Express,
    &formats::keygrip::Keygrip,
    &formats::jwt::Jwt,
    &formats::rails::Rails::new(formats::rails::Kind::Signed),
    &formats::rails::Rails::new(formats::rails::Kind::Encrypted),
    &formats::cookie_rs::CookieRs::new(formats::cookie_rs::Kind::Signed),
    &formats::cookie_rs::CookieRs::new(formats::cookie_rs::Kind::Private),
    &formats::laravel::Laravel,
];

/// The format with this id.
pub fn format_by_id(id: &str) -> Option<&'static dyn CookieFormat> {
    FORMATS.iter().copied().find(|f| f.id() == id)
}

/// A format that fits a pasted cookie, with how well.
#[derive(Clone)]
pub struct Ranked {
    /// The format.
    pub format: &'static dyn CookieFormat,
    /// Which candidate of the input (index into [`input::parse`]'s result).
    pub candidate: usize,
    /// Detection confidence, name bonus included.
    pub score: u8,
    /// Why.
    pub reason: String,
}

impl std::fmt::Debug for Ranked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Ranked({}, #{}, {})",
            self.format.id(),
            self.candidate,
            self.score
        )
    }
}

/// Ranks every (candidate, format) pair of a paste, best first.
pub fn detect(candidates: &[input::Candidate], params: &FormatParams) -> Vec<Ranked> {
    let mut ranked = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let mut p = params.clone();
        if p.cookie_name.is_none() {
            p.cookie_name.clone_from(&c.name);
        }
        for &format in FORMATS {
            let Some(found) = format.detect(&c.value, &p) else {
                continue;
            };
            let mut score = u16::from(found.score);
            let mut reason = found.reason;
            if c.name.is_some() && c.name.as_deref() == format.default_cookie_name() {
                score += 10;
                reason.push_str(&format!(
                    "; named {:?}",
                    c.name.as_deref().unwrap_or_default()
                ));
            }
            ranked.push(Ranked {
                format,
                candidate: i,
                score: score.min(100) as u8,
                reason,
            });
        }
    }
    // Stable: ties keep input order, then FORMATS order.
    ranked.sort_by_key(|r| std::cmp::Reverse(r.score));
    ranked
}

/// What to inspect with.
#[derive(Debug, Clone, Default)]
pub struct InspectRequest<'a> {
    /// The format, or `None` to detect it.
    pub format: Option<&'a str>,
    /// The ordered key list.
    pub keys: &'a [Secret],
    /// Parameter overrides.
    pub params: FormatParams,
}

/// The answer for one paste.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The format used.
    pub format: Option<&'static str>,
    /// The candidate cookie that was inspected.
    pub candidate: Option<input::Candidate>,
    /// The decoded cookie, when it is well formed.
    pub decoded: Option<Decoded>,
    /// The verdict.
    pub verification: Verification,
    /// Other formats the paste also fits, best first.
    pub alternatives: Vec<&'static str>,
    /// Why the format was chosen (detection's reason), when it was detected.
    pub reason: Option<String>,
    /// Other formats under which a given key verifies this same cookie too: a genuine tie
    /// (Flask and itsdangerous-timed with `key_derivation=none`, a TimestampSigner value read
    /// as a plain Signer, ...). Verification cannot tell them apart; the cookie's name may.
    pub ties: Vec<&'static str>,
}

/// Prepared verifiers kept between inspections, so re-inspecting as the user edits a paste does
/// not derive every key again (Rails: two PBKDF2 runs per stored key). Entries are keyed by the
/// format, its parameters and a digest of the key list, so a changed key list never meets a stale
/// entry; the oldest entries are dropped beyond [`VerifierCache::CAPACITY`].
#[derive(Default)]
pub struct VerifierCache {
    entries: std::sync::Mutex<Vec<CacheEntry>>,
}

type CacheEntry = (
    &'static str,
    FormatParams,
    [u8; 32],
    std::sync::Arc<dyn Verifier>,
);

impl VerifierCache {
    /// Prepared verifiers kept at most.
    pub const CAPACITY: usize = 16;

    /// Drops every prepared verifier (and the derived keys they hold).
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }

    /// Prepared verifiers held now.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn verifier(
        &self,
        format: &'static dyn CookieFormat,
        keys: &[Secret],
        params: &FormatParams,
    ) -> Result<std::sync::Arc<dyn Verifier>, ParamError> {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        for k in keys {
            h.update((k.expose().len() as u64).to_le_bytes());
            h.update(k.expose());
        }
        let digest: [u8; 32] = h.finalize().into();
        let id = format.id();
        if let Ok(entries) = self.entries.lock()
            && let Some(e) = entries
                .iter()
                .find(|e| e.0 == id && e.2 == digest && e.1 == *params)
        {
            return Ok(e.3.clone());
        }
        let built: std::sync::Arc<dyn Verifier> = format.verifier(keys, params)?.into();
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::CAPACITY {
                entries.remove(0);
            }
            entries.push((id, params.clone(), digest, built.clone()));
        }
        Ok(built)
    }
}

fn prepared(
    cache: Option<&VerifierCache>,
    format: &'static dyn CookieFormat,
    keys: &[Secret],
    params: &FormatParams,
) -> Result<std::sync::Arc<dyn Verifier>, ParamError> {
    match cache {
        Some(cache) => cache.verifier(format, keys, params),
        None => format.verifier(keys, params).map(Into::into),
    }
}

/// Parses, detects (unless a format is given), decodes and verifies a paste.
pub fn inspect(
    text: &str,
    req: &InspectRequest<'_>,
    opts: &VerifyOptions,
) -> Result<Inspection, ParamError> {
    inspect_with(text, req, opts, None)
}

/// [`inspect`], reusing the verifiers `cache` prepared for earlier pastes with the same keys.
pub fn inspect_cached(
    text: &str,
    req: &InspectRequest<'_>,
    opts: &VerifyOptions,
    cache: &VerifierCache,
) -> Result<Inspection, ParamError> {
    inspect_with(text, req, opts, Some(cache))
}

fn inspect_with(
    text: &str,
    req: &InspectRequest<'_>,
    opts: &VerifyOptions,
    cache: Option<&VerifierCache>,
) -> Result<Inspection, ParamError> {
    let candidates = input::parse(text);
    let params = req.params.clone();
    if let Some(id) = req.format {
        let format =
            format_by_id(id).ok_or_else(|| ParamError(format!("unknown format {id:?}")))?;
        format.check_params(&params)?;
        let verifier = prepared(cache, format, req.keys, &params)?;
        // Every reading of the paste is tried; the best verdict wins: a key match, then a
        // decodable payload, then the format's cookie name, then input order.
        let mut best: Option<((u8, bool), Inspection)> = None;
        let mut first_error = None;
        for c in &candidates {
            let mut p = params.clone();
            if p.cookie_name.is_none() {
                p.cookie_name.clone_from(&c.name);
            }
            match format.decode(&c.value, &p) {
                Ok(mut decoded) => {
                    let verification = verifier.verify(&decoded, opts);
                    if let Some(p) = &verification.opened {
                        decoded.payload = Ok(p.clone());
                    }
                    let rank = (
                        if verification.key_index.is_some() {
                            3
                        } else if decoded.payload.is_ok() && decoded.problem.is_none() {
                            2
                        } else {
                            1
                        },
                        c.name.is_some() && c.name.as_deref() == format.default_cookie_name(),
                    );
                    if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                        best = Some((
                            rank,
                            Inspection {
                                format: Some(format.id()),
                                candidate: Some(c.clone()),
                                decoded: Some(decoded),
                                verification,
                                alternatives: Vec::new(),
                                reason: None,
                                ties: Vec::new(),
                            },
                        ));
                    }
                }
                Err(e) => {
                    first_error.get_or_insert((c.clone(), e));
                }
            }
        }
        if let Some((_, inspection)) = best {
            return Ok(inspection);
        }
        let (candidate, error) = match first_error {
            Some((c, e)) => (Some(c), e.0),
            None => (
                None,
                "empty input: paste a cookie value or a Cookie: header".into(),
            ),
        };
        return Ok(Inspection {
            format: Some(format.id()),
            candidate,
            decoded: None,
            verification: Verification::new(Verdict::Malformed(error)),
            alternatives: Vec::new(),
            reason: None,
            ties: Vec::new(),
        });
    }

    let ranked = detect(&candidates, &params);
    if ranked.is_empty() {
        let error = if candidates.is_empty() {
            "empty input: paste a cookie value or a Cookie: header".to_string()
        } else {
            "not recognised as any supported cookie format".to_string()
        };
        return Ok(Inspection {
            format: None,
            candidate: candidates.into_iter().next(),
            decoded: None,
            verification: Verification::new(Verdict::Malformed(error)),
            alternatives: Vec::new(),
            reason: None,
            ties: Vec::new(),
        });
    }
    // With keys, the best-ranked reading that a key verifies wins; every other reading of the
    // same cookie that a key also verifies is a tie. Without keys, the best-ranked reading.
    let mut best: Option<(usize, Decoded, Verification)> = None;
    let mut ties = Vec::new();
    for (rank, r) in ranked.iter().enumerate() {
        // Once a key verified a reading, only other readings of the same cookie can tie.
        if let Some((b, _, v)) = &best
            && v.key_index.is_some()
            && ranked[*b].candidate != r.candidate
        {
            continue;
        }
        let c = &candidates[r.candidate];
        let mut p = params.clone();
        if p.cookie_name.is_none() {
            p.cookie_name.clone_from(&c.name);
        }
        let Ok(mut decoded) = r.format.decode(&c.value, &p) else {
            continue;
        };
        let Ok(verifier) = prepared(cache, r.format, req.keys, &p) else {
            continue;
        };
        let verification = verifier.verify(&decoded, opts);
        if let Some(p) = &verification.opened {
            decoded.payload = Ok(p.clone());
        }
        let key_matched = verification.key_index.is_some();
        match &best {
            Some((b, _, v)) if v.key_index.is_some() => {
                let same_cookie = ranked[*b].candidate == r.candidate;
                if key_matched && same_cookie && ranked[*b].format.id() != r.format.id() {
                    // A reading whose payload also loads beats one whose payload does not.
                    let upgrade = matches!(v.verdict, Verdict::Malformed(_))
                        && !matches!(verification.verdict, Verdict::Malformed(_));
                    let loser = if upgrade {
                        ranked[*b].format.id()
                    } else {
                        r.format.id()
                    };
                    if !ties.contains(&loser) {
                        ties.push(loser);
                    }
                    if upgrade {
                        ties.retain(|t| *t != r.format.id());
                        best = Some((rank, decoded, verification));
                    }
                }
            }
            Some((_, _, v)) => {
                let well_formed = !matches!(verification.verdict, Verdict::Malformed(_));
                if key_matched || (well_formed && matches!(v.verdict, Verdict::Malformed(_))) {
                    best = Some((rank, decoded, verification));
                }
            }
            None => best = Some((rank, decoded, verification)),
        }
        if req.keys.is_empty() {
            break;
        }
    }
    let Some((chosen_rank, decoded, verification)) = best else {
        return Ok(Inspection {
            format: None,
            candidate: candidates.into_iter().next(),
            decoded: None,
            verification: Verification::new(Verdict::Malformed(
                "not recognised as any supported cookie format".into(),
            )),
            alternatives: Vec::new(),
            reason: None,
            ties: Vec::new(),
        });
    };
    let chosen = &ranked[chosen_rank];
    // Alternatives: other formats that fit the same cookie nearly as well (70% of the score).
    let mut alternatives = Vec::new();
    for r in &ranked {
        let id = r.format.id();
        if r.candidate == chosen.candidate
            && u16::from(r.score) * 10 >= u16::from(chosen.score) * 7
            && id != chosen.format.id()
            && !alternatives.contains(&id)
        {
            alternatives.push(id);
        }
    }
    for t in &ties {
        if !alternatives.contains(t) {
            alternatives.push(t);
        }
    }
    Ok(Inspection {
        format: Some(chosen.format.id()),
        candidate: Some(candidates[chosen.candidate].clone()),
        decoded: Some(decoded),
        verification,
        alternatives,
        reason: Some(chosen.reason.clone()),
        ties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verifier_cache_gives_the_same_answers_and_reuses_prepared_keys() {
        let keys = [Secret::from_text("k1"), Secret::from_text("k2")];
        let cookie = format_by_id("flask")
            .expect("flask")
            .sign(
                &serde_json::json!({"u": 1}),
                &keys[1],
                &FormatParams::default(),
                1_700_000_000,
            )
            .expect("signs");
        let opts = VerifyOptions::at(1_700_000_100);
        let cache = VerifierCache::default();
        for format in [None, Some("flask")] {
            let req = InspectRequest {
                format,
                keys: &keys,
                params: FormatParams::default(),
            };
            let plain = inspect(&cookie, &req, &opts).expect("inspects");
            let first = inspect_cached(&cookie, &req, &opts, &cache).expect("inspects");
            let held = cache.len();
            assert!(held >= 1);
            let again = inspect_cached(&cookie, &req, &opts, &cache).expect("inspects");
            assert_eq!(
                cache.len(),
                held,
                "the second inspection prepared nothing new"
            );
            for r in [&first, &again] {
                assert_eq!(r.verification.key_index, Some(1));
                assert_eq!(r.verification.verdict, plain.verification.verdict);
                assert_eq!(r.format, plain.format);
            }
        }
        // Another key list never meets the old list's verifiers.
        let other = [Secret::from_text("k9")];
        let req = InspectRequest {
            format: Some("flask"),
            keys: &other,
            params: FormatParams::default(),
        };
        let r = inspect_cached(&cookie, &req, &opts, &cache).expect("inspects");
        assert_eq!(r.verification.key_index, None);
        assert_eq!(r.verification.verdict.status(), "bad-signature");
        for _ in 0..VerifierCache::CAPACITY * 2 {
            let keys = [Secret::from_text(&format!("{}", cache.len()))];
            let req = InspectRequest {
                format: Some("flask"),
                keys: &keys,
                params: FormatParams::default(),
            };
            inspect_cached(&cookie, &req, &opts, &cache).expect("inspects");
        }
        assert!(cache.len() <= VerifierCache::CAPACITY);
        cache.clear();
        assert!(cache.is_empty());
    }
}
