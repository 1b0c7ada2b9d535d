//! The decoded-cookie model, verification results and the options both take.

use std::ops::Range;

use serde_json::Value;

use crate::core::mac::Digest;
use crate::core::secret::Secret;

/// What a span of the cookie text is. The GUI colours each kind the same way everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartKind {
    /// The (possibly encoded) payload.
    Payload,
    /// A timestamp.
    Timestamp,
    /// The signature or MAC.
    Signature,
    /// A separator between parts.
    Separator,
    /// A marker such as the `.` of a compressed itsdangerous payload or Express's `s:`.
    Marker,
    /// A header (JWT).
    Header,
    /// An IV or nonce.
    Iv,
    /// An authentication tag.
    AuthTag,
}

impl PartKind {
    /// A lower-case name for output.
    pub fn name(self) -> &'static str {
        match self {
            PartKind::Payload => "payload",
            PartKind::Timestamp => "timestamp",
            PartKind::Signature => "signature",
            PartKind::Separator => "separator",
            PartKind::Marker => "marker",
            PartKind::Header => "header",
            PartKind::Iv => "iv",
            PartKind::AuthTag => "tag",
        }
    }
}

/// One span of [`Decoded::value`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// What it is.
    pub kind: PartKind,
    /// Byte range in [`Decoded::value`] (always on `char` boundaries).
    pub span: Range<usize>,
}

/// How old a cookie may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaxAge {
    /// The framework's own default (Flask 31 days, Starlette and Django sessions 14 days, none
    /// for bare signers).
    #[default]
    FrameworkDefault,
    /// No age check: the signature only.
    Unlimited,
    /// At most this many seconds.
    Secs(u64),
}

impl MaxAge {
    /// The limit in seconds given the framework's default.
    pub fn resolve(self, default: Option<u64>) -> Option<u64> {
        match self {
            MaxAge::FrameworkDefault => default,
            MaxAge::Unlimited => None,
            MaxAge::Secs(s) => Some(s),
        }
    }
}

/// When and how strictly to verify. Core code never reads the clock: `now` is always given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Unix seconds to verify at.
    pub now: i64,
    /// The age limit.
    pub max_age: MaxAge,
    /// Clock leeway in seconds (JWT).
    pub leeway_secs: u64,
}

impl VerifyOptions {
    /// Verify at `now` with the framework's defaults.
    pub fn at(now: i64) -> Self {
        Self {
            now,
            max_age: MaxAge::FrameworkDefault,
            leeway_secs: 0,
        }
    }
}

/// Format parameters a user may override; `None` means the format's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatParams {
    /// The salt (itsdangerous family, Django).
    pub salt: Option<String>,
    /// The separator (itsdangerous family, Django signers).
    pub separator: Option<String>,
    /// The digest; inferred from the signature length when `None`.
    pub digest: Option<Digest>,
    /// The key derivation (itsdangerous) or key generator (Rails).
    pub key_derivation: Option<String>,
    /// The cookie's name, where the format binds it.
    pub cookie_name: Option<String>,
    /// Compress when signing, where the format makes it optional (Django `dumps(compress=True)`).
    pub compress: Option<bool>,
    /// The JWT header to sign with (member order kept); default `{"alg": .., "typ": "JWT"}`.
    pub header: Option<Value>,
    /// Whose JSON spelling to reproduce where a format has several producers (JWT: PyJWT or
    /// jsonwebtoken).
    pub dialect: Option<JsonDialect>,
    /// A format's sub-variant: Express `bare` (a cookie-signature value without `s:`, not
    /// URL-encoded); keygrip `cookies` (a plain string value, not cookie-session's JSON body).
    pub variant: Option<String>,
}

/// One key of a key set as an app's configuration lists it: the secret, and what that
/// configuration says about this key alone. A Rails app derives `secret_key_base` with its
/// `key_generator_hash_digest_class` and each `cookies_rotations` entry with the hash that entry
/// was made with, so a Rails key set can mix SHA1 and SHA256 key generators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// The key material.
    pub secret: Secret,
    /// This key's key derivation (for Rails, `pbkdf2-sha1` or `pbkdf2-sha256`); `None`: the
    /// set's [`FormatParams::key_derivation`].
    pub key_derivation: Option<String>,
    /// This key's signing digest (for Rails, a `cookies.rotate :signed, key, digest: "SHA256"`
    /// entry, or `secret_key_base` under `signed_cookie_digest`); `None`: the set's
    /// [`FormatParams::digest`].
    pub digest: Option<Digest>,
}

impl KeyEntry {
    /// Entries with the set's key derivation, one per secret, in order.
    pub fn list(secrets: &[Secret]) -> Vec<KeyEntry> {
        secrets
            .iter()
            .map(|s| KeyEntry {
                secret: s.clone(),
                key_derivation: None,
                digest: None,
            })
            .collect()
    }

    /// This key's digest: its own, else the set's.
    pub fn digest_in(&self, params: &FormatParams) -> Option<Digest> {
        self.digest.or(params.digest)
    }

    /// This key's key derivation: its own, else the set's.
    pub fn derivation<'a>(&'a self, params: &'a FormatParams) -> Option<&'a str> {
        self.key_derivation
            .as_deref()
            .or(params.key_derivation.as_deref())
    }
}

/// Whose `json.dumps` / `JSON.stringify` to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonDialect {
    /// Python (`ensure_ascii`, Python float spelling): PyJWT.
    Python,
    /// JavaScript (`JSON.stringify`): jsonwebtoken, jose, most other libraries.
    JavaScript,
}

/// A cookie split into its parts and decoded without any key: nothing in it is trusted until a
/// [`Verification`] says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The format id.
    pub format: &'static str,
    /// The cookie value that was decoded (unquoted and URL-decoded).
    pub value: String,
    /// The cookie's name, when known.
    pub cookie_name: Option<String>,
    /// The spans of `value`, in order.
    pub parts: Vec<Part>,
    /// The payload as the framework's loader returns it, or why it cannot be decoded.
    pub payload: Result<Value, String>,
    /// Unix seconds when the format carries a timestamp that decodes.
    pub signed_at: Option<i64>,
    /// Whether the payload was compressed.
    pub compressed: bool,
    /// The digest, given or inferred from the signature length.
    pub digest: Option<Digest>,
    /// Remarks worth showing (non-canonical encodings and the like).
    pub notes: Vec<String>,
    /// A structural defect found while decoding (a missing or undecodable timestamp, an empty
    /// signature): the verdict is malformed whatever the signature says.
    pub problem: Option<String>,
    /// Parts whose text only decodes through a lenient decoder (itsdangerous's base64).
    pub lenient_parts: Vec<PartKind>,
    /// A decoded header (JWT), member order kept.
    pub header: Option<Value>,
    /// The signed bytes: a range of `value`.
    pub(crate) signed: Range<usize>,
    /// The decoded signature bytes.
    pub(crate) signature: Vec<u8>,
}

impl Decoded {
    /// The text of one part.
    pub fn part_text(&self, part: &Part) -> &str {
        self.value.get(part.span.clone()).unwrap_or_default()
    }
}

/// The parts of a `[.]payload SEP timestamp SEP signature` value (itsdangerous and Django
/// layouts): an optional compression marker, the payload up to `payload_end`, the timestamp span
/// when there is one, and the signature after the separator at `sig_at`.
pub(crate) fn signed_value_parts(
    compressed: bool,
    payload_end: usize,
    ts_span: Option<Range<usize>>,
    sig_at: usize,
    sep_len: usize,
    len: usize,
) -> Vec<Part> {
    let mut parts = Vec::with_capacity(6);
    let marker = usize::from(compressed);
    if compressed {
        parts.push(Part {
            kind: PartKind::Marker,
            span: 0..1,
        });
    }
    parts.push(Part {
        kind: PartKind::Payload,
        span: marker..payload_end,
    });
    if let Some(span) = ts_span {
        parts.push(Part {
            kind: PartKind::Separator,
            span: payload_end..span.start,
        });
        parts.push(Part {
            kind: PartKind::Timestamp,
            span,
        });
    }
    parts.push(Part {
        kind: PartKind::Separator,
        span: sig_at..sig_at + sep_len,
    });
    parts.push(Part {
        kind: PartKind::Signature,
        span: sig_at + sep_len..len,
    });
    parts
}

/// A verification verdict (the contract's `status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A key verifies it and it is within its age limit.
    Valid,
    /// A key verifies it, but it is too old (or from the future where the framework rejects that).
    Expired(String),
    /// A key verifies it, but it is not valid yet (JWT `nbf`).
    NotYetValid(String),
    /// No given key verifies it.
    BadSignature,
    /// Not a well-formed cookie of this format; says which part is wrong.
    Malformed(String),
    /// Decoded, but no key was available.
    Unverified,
}

impl Verdict {
    /// `Expired` when `now - signed_at > max_age` (the frameworks' rule: an age equal to the
    /// max age is still valid).
    pub fn too_old(signed_at: i64, max_age: u64, now: i64) -> Option<Self> {
        let age = i128::from(now) - i128::from(signed_at);
        (age > i128::from(max_age)).then(|| {
            Verdict::Expired(format!(
                "signed {} ago, older than the max age of {}",
                crate::core::time::human_duration(age),
                crate::core::time::human_duration(i128::from(max_age))
            ))
        })
    }

    /// The verdict once a key verified the signature and the age is fine: valid if the payload
    /// loads, malformed (the library's own `BadPayload`) if not.
    pub fn after_signature(payload: &Result<Value, String>) -> Self {
        match payload {
            Ok(_) => Verdict::Valid,
            Err(e) => Verdict::Malformed(format!("the signature is valid but {e}")),
        }
    }

    /// The contract's status string.
    pub fn status(&self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Expired(_) => "expired",
            Verdict::NotYetValid(_) => "not-yet-valid",
            Verdict::BadSignature => "bad-signature",
            Verdict::Malformed(_) => "malformed",
            Verdict::Unverified => "unverified",
        }
    }
}

/// The outcome of verifying a [`Decoded`] cookie against an ordered key list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The verdict.
    pub verdict: Verdict,
    /// Index in the given key list (0 = primary) of the key whose signature matched.
    pub key_index: Option<usize>,
    /// The age limit that was applied, in seconds.
    pub max_age_secs: Option<u64>,
    /// Remarks (a lenient encoding that the framework accepts, ...).
    pub notes: Vec<String>,
    /// The payload as the app reads it, when only a key could reveal it (encrypted formats).
    pub opened: Option<Value>,
}

impl Verification {
    /// A verification with no key match.
    pub fn new(verdict: Verdict) -> Self {
        Self {
            verdict,
            key_index: None,
            max_age_secs: None,
            notes: Vec::new(),
            opened: None,
        }
    }
}

/// A cookie that is not well formed, with the failing part named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

/// Why a cookie could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The payload does not fit the format.
    #[error("payload: {0}")]
    Payload(String),
    /// A parameter is invalid for this format.
    #[error("{0}")]
    Param(String),
    /// This format cannot be signed here.
    #[error("{0}")]
    Unsupported(String),
}

/// An invalid format parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);
