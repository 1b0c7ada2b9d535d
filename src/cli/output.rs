//! Text and JSON printers for the CLI.

use std::io::{self, Write as _};

use serde_json::{Value, json};

use super::KeyList;
use crate::core::{self, FORMATS, Inspection, Verdict, flask_tag, time};

pub(super) fn formats(as_json: bool) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if as_json {
        let list: Vec<Value> = FORMATS
            .iter()
            .map(|f| json!({"id": f.id(), "label": f.label()}))
            .collect();
        writeln!(out, "{}", Value::Array(list))
    } else {
        let width = FORMATS.iter().map(|f| f.id().len()).max().unwrap_or(0);
        for f in FORMATS {
            writeln!(out, "{:width$}  {}", f.id(), f.label())?;
        }
        Ok(())
    }
}

/// The contract's JSON object (plus a few extra members).
pub fn inspection_value(i: &Inspection, keys: &KeyList) -> Value {
    let v = &i.verification;
    let decoded = i.decoded.as_ref();
    let error = match &v.verdict {
        Verdict::Malformed(e) => Value::String(e.clone()),
        _ => Value::Null,
    };
    let detail = match &v.verdict {
        Verdict::Expired(d) | Verdict::NotYetValid(d) => Value::String(d.clone()),
        _ => Value::Null,
    };
    let payload = decoded
        .and_then(|d| d.payload.as_ref().ok())
        .cloned()
        .unwrap_or(Value::Null);
    let mut notes: Vec<String> = decoded.map(|d| d.notes.clone()).unwrap_or_default();
    notes.extend(v.notes.iter().cloned());
    json!({
        "format": i.format,
        "status": v.verdict.status(),
        "payload": payload,
        "signed_at": decoded.and_then(|d| d.signed_at),
        "key_index": v.key_index,
        "key_name": v.key_index.and_then(|k| keys.names.get(k).cloned().flatten()),
        "error": error,
        "detail": detail,
        "cookie_name": i.candidate.as_ref().and_then(|c| c.name.clone()),
        "digest": decoded.and_then(|d| d.digest).map(|d| d.name()),
        "compressed": decoded.map(|d| d.compressed),
        "max_age": v.max_age_secs,
        "header": decoded.and_then(|d| d.header.clone()),
        "alternatives": i.alternatives,
        "ties": i.ties,
        "reason": i.reason,
        "notes": notes,
    })
}

pub(super) fn inspection_json(i: &Inspection, keys: &KeyList) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{}", inspection_value(i, keys))
}

pub(super) fn inspection_text(i: &Inspection, keys: &KeyList, now: i64) -> io::Result<()> {
    let key_count = keys.secrets.len();
    let mut out = io::stdout().lock();
    let v = &i.verification;
    match i.format {
        Some(id) => {
            let label = core::format_by_id(id)
                .map(|f| f.label())
                .unwrap_or_default();
            write!(out, "Format    {id} — {label}")?;
            if !i.alternatives.is_empty() {
                write!(out, " (also fits: {})", i.alternatives.join(", "))?;
            }
            writeln!(out)?;
            if let Some(reason) = &i.reason {
                writeln!(out, "          {reason}")?;
            }
            if !i.ties.is_empty() {
                writeln!(
                    out,
                    "Tie       the same key also verifies it as {}: the shapes are identical, so the key cannot tell them apart (the cookie's name may)",
                    i.ties.join(", ")
                )?;
            }
        }
        None => writeln!(out, "Format    not recognised")?,
    }
    if let Some(c) = &i.candidate
        && let Some(name) = &c.name
    {
        writeln!(out, "Cookie    {name}")?;
    }
    let verdict = match &v.verdict {
        Verdict::Valid => format!("✔ valid — signed by {}", key_phrase(v.key_index, keys)),
        Verdict::Expired(d) => format!("⌛ expired — {d} (signed by {})", key_phrase(v.key_index, keys)),
        Verdict::NotYetValid(d) => format!("⌛ not yet valid — {d}"),
        Verdict::BadSignature => {
            format!("✘ bad signature — none of the {key_count} key(s) given verifies it")
        }
        Verdict::Malformed(e) => format!("✘ malformed — {e}"),
        Verdict::Unverified => {
            "? unverified — no key to check it with (give --secret, or store one: signet keys import NAME)".into()
        }
    };
    writeln!(out, "Verdict   {verdict}")?;
    let Some(d) = &i.decoded else {
        return Ok(());
    };
    if let Some(ts) = d.signed_at {
        write!(
            out,
            "Signed    {} ({})",
            time::format_utc(ts),
            time::relative(now, ts)
        )?;
        match v.max_age_secs {
            Some(max) => writeln!(
                out,
                " · max age {}, expires {}",
                time::human_duration(i128::from(max)),
                time::format_utc(ts.saturating_add_unsigned(max))
            )?,
            None => writeln!(out, " · no max age")?,
        }
    }
    let mut facts = Vec::new();
    if let Some(digest) = d.digest {
        facts.push(format!("digest {digest}"));
    }
    if d.compressed {
        facts.push("zlib-compressed".into());
    }
    if !facts.is_empty() {
        writeln!(out, "Details   {}", facts.join(" · "))?;
    }
    for note in d.notes.iter().chain(&v.notes) {
        writeln!(out, "Note      {note}")?;
    }
    if let Some(header) = &d.header {
        writeln!(out, "Header    {header}")?;
    }
    match &d.payload {
        Ok(payload) => {
            writeln!(out, "Payload")?;
            let pretty = serde_json::to_string_pretty(payload).unwrap_or_default();
            for line in pretty.lines() {
                writeln!(out, "  {line}")?;
            }
            if d.format == "flask"
                && let Ok(typed) = flask_tag::untag(payload)
                && typed.to_tagged() == *payload
                && pretty.contains("\" ")
            {
                writeln!(out, "As Python {}", typed.python_repr())?;
            }
        }
        Err(e) => writeln!(out, "Payload   cannot be decoded: {e}")?,
    }
    Ok(())
}

fn key_phrase(index: Option<usize>, keys: &KeyList) -> String {
    let Some(n) = index else {
        return "no key".into();
    };
    let name = keys.names.get(n).cloned().flatten();
    match (name, keys.all_stored, n) {
        (Some(name), true, _) => format!("stored key {name:?}"),
        (Some(name), false, 0) => format!("key {name:?} (#0, primary)"),
        (Some(name), false, n) => format!("key {name:?} (#{n}, fallback)"),
        (None, _, 0) => "key #0 (primary)".into(),
        (None, _, n) => format!("key #{n} (fallback)"),
    }
}
