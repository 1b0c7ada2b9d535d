//! Flask's tagged JSON (`flask/json/tag.py`): the typed view of a session payload.
//!
//! On the wire Flask writes tuples, bytes, Markup, UUIDs and datetimes as one-member objects
//! (`{" t": [..]}`, `{" b": "base64"}`, ...). The contract keeps that wire form as the payload;
//! this module converts it the way `TaggedJSONSerializer.loads` does, for display and to refuse
//! payloads Flask itself could not load.

use serde_json::{Map, Value};

use crate::core::encoding::py_a2b_base64;

/// A Flask session value after untagging.
#[derive(Debug, Clone, PartialEq)]
pub enum FlaskValue {
    /// A JSON value with no tag (null, bool, number, string).
    Plain(Value),
    /// A list.
    List(Vec<FlaskValue>),
    /// A dict (insertion order kept).
    Dict(Vec<(String, FlaskValue)>),
    /// `" t"`: a tuple.
    Tuple(Vec<FlaskValue>),
    /// `" b"`: bytes.
    Bytes(Vec<u8>),
    /// `" m"`: `markupsafe.Markup`.
    Markup(String),
    /// `" u"`: a UUID as 32 lower-case hex digits.
    Uuid(String),
    /// `" d"`: a datetime as Flask wrote it (an HTTP date), and its Unix seconds when it parses.
    DateTime(String, Option<i64>),
}

const TAGS: [&str; 6] = [" di", " t", " b", " m", " u", " d"];

/// What an untagged value is, as far as the tags' own checks care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A dict with this many members.
    Dict(usize),
    /// A list.
    List,
    /// A plain string.
    Str,
    /// Anything else (numbers, tuples, bytes, ...).
    Other,
}

/// Whether Flask could load `value` (every tag converts), without building the typed tree:
/// the bulk-verification path calls this for every cookie.
pub fn check(value: &Value) -> Result<(), String> {
    shape(value, 0).map(|_| ())
}

fn shape(value: &Value, depth: usize) -> Result<Shape, String> {
    if depth > 256 {
        return Err("nested too deeply".into());
    }
    match value {
        Value::Array(items) => {
            for item in items {
                shape(item, depth + 1)?;
            }
            Ok(Shape::List)
        }
        Value::Object(map) => {
            let mut only = None;
            for (k, v) in map {
                only = Some((k, v, shape(v, depth + 1)?));
            }
            match only {
                Some((tag, inner, inner_shape))
                    if map.len() == 1 && TAGS.contains(&tag.as_str()) =>
                {
                    tag_shape(tag, inner, inner_shape)
                }
                _ => Ok(Shape::Dict(map.len())),
            }
        }
        Value::String(_) => Ok(Shape::Str),
        _ => Ok(Shape::Other),
    }
}

/// The same rules as [`to_python`], on shapes.
fn tag_shape(tag: &str, inner: &Value, inner_shape: Shape) -> Result<Shape, String> {
    let text = || inner.as_str().filter(|_| inner_shape == Shape::Str);
    match tag {
        " di" => match inner_shape {
            Shape::Dict(n) if n > 0 => Ok(Shape::Dict(1)),
            _ => Err("\" di\" must hold a non-empty object".into()),
        },
        " t" => match inner_shape {
            Shape::List | Shape::Str | Shape::Dict(_) => Ok(Shape::Other),
            Shape::Other => Err("\" t\" must hold a list".into()),
        },
        " b" => match text().filter(|s| s.is_ascii()) {
            Some(s) => py_a2b_base64(s.as_bytes())
                .map(|_| Shape::Other)
                .map_err(|e| format!("\" b\" is not base64: {e}")),
            None => Err("\" b\" must hold an ASCII base64 string".into()),
        },
        " m" => Ok(Shape::Other),
        " d" => match text() {
            Some(_) => Ok(Shape::Other),
            None => Err("\" d\" must hold a string".into()),
        },
        " u" => match text() {
            Some(s) if parse_uuid(s).is_some() => Ok(Shape::Other),
            Some(s) => Err(format!("\" u\" is not a UUID: {s:?}")),
            None => Err("\" u\" must hold a string".into()),
        },
        _ => Err(format!("unknown tag {tag:?}")),
    }
}

/// `TaggedJSONSerializer._untag_scan`: children first, then the object itself.
pub fn untag(value: &Value) -> Result<FlaskValue, String> {
    untag_depth(value, 0)
}

fn untag_depth(value: &Value, depth: usize) -> Result<FlaskValue, String> {
    if depth > 256 {
        return Err("nested too deeply".into());
    }
    match value {
        Value::Array(items) => Ok(FlaskValue::List(
            items
                .iter()
                .map(|v| untag_depth(v, depth + 1))
                .collect::<Result<_, _>>()?,
        )),
        Value::Object(map) => {
            let mut fields = Vec::with_capacity(map.len());
            for (k, v) in map {
                fields.push((k.clone(), untag_depth(v, depth + 1)?));
            }
            if fields.len() == 1 && TAGS.contains(&fields[0].0.as_str()) {
                let Some((tag, inner)) = fields.pop() else {
                    unreachable!("one field");
                };
                to_python(&tag, inner)
            } else {
                Ok(FlaskValue::Dict(fields))
            }
        }
        other => Ok(FlaskValue::Plain(other.clone())),
    }
}

fn to_python(tag: &str, inner: FlaskValue) -> Result<FlaskValue, String> {
    match tag {
        " di" => match inner {
            FlaskValue::Dict(mut fields) if !fields.is_empty() => {
                let (key, value) = fields.swap_remove(0);
                // `key[:-2]`: Flask strips the two-character suffix `__` it added.
                let cut = key.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
                Ok(FlaskValue::Dict(vec![(key[..cut].to_string(), value)]))
            }
            _ => Err("\" di\" must hold a non-empty object".into()),
        },
        // tuple(value): a list, or the characters of a string, or the keys of a dict.
        " t" => match inner {
            FlaskValue::List(items) => Ok(FlaskValue::Tuple(items)),
            FlaskValue::Plain(Value::String(s)) => Ok(FlaskValue::Tuple(
                s.chars()
                    .map(|c| FlaskValue::Plain(Value::String(c.to_string())))
                    .collect(),
            )),
            FlaskValue::Dict(fields) => Ok(FlaskValue::Tuple(
                fields
                    .into_iter()
                    .map(|(k, _)| FlaskValue::Plain(Value::String(k)))
                    .collect(),
            )),
            _ => Err("\" t\" must hold a list".into()),
        },
        // b64decode wants an ASCII string.
        " b" => match inner {
            FlaskValue::Plain(Value::String(s)) if s.is_ascii() => py_a2b_base64(s.as_bytes())
                .map(FlaskValue::Bytes)
                .map_err(|e| format!("\" b\" is not base64: {e}")),
            _ => Err("\" b\" must hold an ASCII base64 string".into()),
        },
        // Markup(value) takes anything and keeps str(value).
        " m" => match inner {
            FlaskValue::Plain(Value::String(s)) | FlaskValue::Markup(s) => {
                Ok(FlaskValue::Markup(s))
            }
            other => Ok(FlaskValue::Markup(other.python_repr())),
        },
        " u" => match inner {
            FlaskValue::Plain(Value::String(s)) => parse_uuid(&s)
                .map(FlaskValue::Uuid)
                .ok_or_else(|| format!("\" u\" is not a UUID: {s:?}")),
            _ => Err("\" u\" must hold a string".into()),
        },
        " d" => match inner {
            FlaskValue::Plain(Value::String(s)) => {
                let secs = crate::core::time::parse_http_date(&s);
                Ok(FlaskValue::DateTime(s, secs))
            }
            _ => Err("\" d\" must hold a string".into()),
        },
        _ => Err(format!("unknown tag {tag:?}")),
    }
}

/// `uuid.UUID(hex)`: braces, `urn:uuid:` and dashes are allowed around 32 hex digits.
fn parse_uuid(s: &str) -> Option<String> {
    let s = s.replace("urn:", "").replace("uuid:", "");
    let hex: String = s.trim_matches(['{', '}']).replace('-', "");
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

impl FlaskValue {
    /// The type name shown beside a value.
    pub fn type_name(&self) -> &'static str {
        match self {
            FlaskValue::Plain(Value::Null) => "null",
            FlaskValue::Plain(Value::Bool(_)) => "bool",
            FlaskValue::Plain(Value::Number(n)) if n.is_f64() => "float",
            FlaskValue::Plain(Value::Number(_)) => "int",
            FlaskValue::Plain(Value::String(_)) => "str",
            FlaskValue::Plain(_) => "json",
            FlaskValue::List(_) => "list",
            FlaskValue::Dict(_) => "dict",
            FlaskValue::Tuple(_) => "tuple",
            FlaskValue::Bytes(_) => "bytes",
            FlaskValue::Markup(_) => "Markup",
            FlaskValue::Uuid(_) => "UUID",
            FlaskValue::DateTime(..) => "datetime",
        }
    }

    /// A Python-like rendering (`(1, 2)`, `b'\x00'`, `UUID('...')`, ...).
    pub fn python_repr(&self) -> String {
        match self {
            FlaskValue::Plain(Value::Null) => "None".into(),
            FlaskValue::Plain(Value::Bool(true)) => "True".into(),
            FlaskValue::Plain(Value::Bool(false)) => "False".into(),
            FlaskValue::Plain(v) => v.to_string(),
            FlaskValue::List(items) => {
                format!(
                    "[{}]",
                    items
                        .iter()
                        .map(Self::python_repr)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            FlaskValue::Tuple(items) if items.len() == 1 => {
                format!("({},)", items[0].python_repr())
            }
            FlaskValue::Tuple(items) => {
                format!(
                    "({})",
                    items
                        .iter()
                        .map(Self::python_repr)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            FlaskValue::Dict(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), v.python_repr()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            FlaskValue::Bytes(b) => {
                let mut s = String::from("b'");
                for &byte in b {
                    match byte {
                        b'\\' => s.push_str("\\\\"),
                        b'\'' => s.push_str("\\'"),
                        b'\n' => s.push_str("\\n"),
                        b'\r' => s.push_str("\\r"),
                        b'\t' => s.push_str("\\t"),
                        0x20..=0x7e => s.push(byte as char),
                        _ => s.push_str(&format!("\\x{byte:02x}")),
                    }
                }
                s.push('\'');
                s
            }
            FlaskValue::Markup(m) => format!("Markup({})", Value::String(m.clone())),
            FlaskValue::Uuid(u) => format!(
                "UUID('{}-{}-{}-{}-{}')",
                &u[0..8],
                &u[8..12],
                &u[12..16],
                &u[16..20],
                &u[20..32]
            ),
            FlaskValue::DateTime(s, _) => format!("datetime({s:?})"),
        }
    }

    /// Back to Flask's wire form (the inverse of [`untag`]).
    pub fn to_tagged(&self) -> Value {
        fn one(tag: &str, v: Value) -> Value {
            let mut m = Map::new();
            m.insert(tag.into(), v);
            Value::Object(m)
        }
        match self {
            FlaskValue::Plain(v) => v.clone(),
            FlaskValue::List(items) => Value::Array(items.iter().map(Self::to_tagged).collect()),
            FlaskValue::Dict(fields) => {
                if fields.len() == 1 && TAGS.contains(&fields[0].0.as_str()) {
                    let (k, v) = &fields[0];
                    let mut inner = Map::new();
                    inner.insert(format!("{k}__"), v.to_tagged());
                    return one(" di", Value::Object(inner));
                }
                Value::Object(
                    fields
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_tagged()))
                        .collect(),
                )
            }
            FlaskValue::Tuple(items) => one(
                " t",
                Value::Array(items.iter().map(Self::to_tagged).collect()),
            ),
            FlaskValue::Bytes(b) => one(" b", Value::String(crate::core::encoding::b64std(b))),
            FlaskValue::Markup(m) => one(" m", Value::String(m.clone())),
            FlaskValue::Uuid(u) => one(" u", Value::String(u.clone())),
            FlaskValue::DateTime(s, _) => one(" d", Value::String(s.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_tag_untags() {
        let wire = json!({
            "t": {" t": [1, {" b": "AAE="}]},
            "m": {" m": "<b>x</b>"},
            "u": {" u": "12345678123456781234567812345678"},
            "d": {" d": "Sun, 01 Jun 2025 12:30:45 GMT"},
            "di": {" di": {" t__": 5}}
        });
        let FlaskValue::Dict(fields) = untag(&wire).expect("valid") else {
            panic!("a dict");
        };
        let reprs: Vec<String> = fields.iter().map(|(_, v)| v.python_repr()).collect();
        assert_eq!(reprs[0], "(1, b'\\x00\\x01')");
        assert_eq!(reprs[1], "Markup(\"<b>x</b>\")");
        assert_eq!(reprs[2], "UUID('12345678-1234-5678-1234-567812345678')");
        assert_eq!(
            fields[3].1,
            FlaskValue::DateTime("Sun, 01 Jun 2025 12:30:45 GMT".into(), Some(1_748_781_045))
        );
        assert_eq!(reprs[4], "{\" t\": 5}");
        assert_eq!(untag(&wire).map(|v| v.to_tagged()), Ok(wire));
    }

    #[test]
    fn bad_tags_are_errors() {
        for bad in [
            json!({" b": "A"}),
            json!({" u": "nope"}),
            json!({" t": 1}),
            json!({" di": 1}),
            json!({" di": {" t": [1]}}),
            json!({" di": {}}),
            json!({" d": 5}),
            json!({" b": "é"}),
            json!([{"a": {" b": 5}}]),
        ] {
            assert!(untag(&bad).is_err(), "{bad}");
            assert!(check(&bad).is_err(), "check agrees with untag: {bad}");
        }
        // Checked against Flask 3.1's TaggedJSONSerializer.loads.
        for good in [
            json!({" di": {" t__": 5}}),
            json!({" t": [{" b": "AA=="}]}),
            json!({"x": {" u": "12345678123456781234567812345678"}}),
            json!({" m": {" m": "x"}}),
            json!({" m": 5}),
            json!({" t": "ab"}),
            json!({" t": {"a": 1}}),
            json!({" d": "nope"}),
        ] {
            assert!(untag(&good).is_ok() && check(&good).is_ok(), "{good}");
        }
        // Two members: not a tag, a plain dict.
        assert!(matches!(
            untag(&json!({" t": 1, "x": 2})),
            Ok(FlaskValue::Dict(_))
        ));
    }
}
