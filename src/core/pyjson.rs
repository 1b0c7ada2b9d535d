//! JSON text exactly as the frameworks write it.
//!
//! Python's `json.dumps` has several flavours (separators, `ensure_ascii`, `sort_keys`) and its own
//! float layout; Node's `JSON.stringify` is plain compact JSON. Byte-identical re-signing depends
//! on reproducing them exactly (../shared/stack.md, 7.2). Numbers keep their text through
//! `serde_json`'s `arbitrary_precision`, so Python integers of any size survive; floats are
//! re-spelled the way CPython's `float.__repr__` does.

use std::io::{self, Write};

use serde::Serialize as _;
use serde_json::Value;

/// One of the JSON dialects used by the frameworks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonStyle {
    /// `\uXXXX` for every character outside printable ASCII (Python `ensure_ascii=True`).
    pub ensure_ascii: bool,
    /// `,` and `:` separators; otherwise Python's defaults `, ` and `: `.
    pub compact: bool,
    /// Object keys sorted by code point (Python `sort_keys=True`).
    pub sort_keys: bool,
    /// Numbers as JavaScript writes them (`JSON.stringify`), not as Python does.
    pub js_numbers: bool,
}

impl JsonStyle {
    /// Flask's session serializer inside an app context.
    pub const FLASK: Self = Self {
        ensure_ascii: true,
        compact: true,
        sort_keys: true,
        js_numbers: false,
    };
    /// itsdangerous's `_CompactJSON` (URL-safe serializers).
    pub const ITSDANGEROUS_COMPACT: Self = Self {
        ensure_ascii: false,
        compact: true,
        sort_keys: false,
        js_numbers: false,
    };
    /// Python's plain `json.dumps(obj)` (itsdangerous `Serializer`, Starlette).
    pub const PYTHON_DEFAULT: Self = Self {
        ensure_ascii: true,
        compact: false,
        sort_keys: false,
        js_numbers: false,
    };
    /// `JSON.stringify` (Node: cookie-session, jsonwebtoken).
    pub const JAVASCRIPT: Self = Self {
        ensure_ascii: false,
        compact: true,
        sort_keys: false,
        js_numbers: true,
    };
    /// PyJWT's claims (`json.dumps(separators=(",", ":"))`, ASCII-escaped, insertion order).
    pub const PYJWT: Self = Self {
        ensure_ascii: true,
        compact: true,
        sort_keys: false,
        js_numbers: false,
    };
    /// Django's `JSONSerializer`.
    pub const DJANGO: Self = Self {
        ensure_ascii: true,
        compact: true,
        sort_keys: false,
        js_numbers: false,
    };
}

/// Why a value cannot be written as the framework would.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonWriteError {
    /// A number Python would write as `Infinity` or `NaN`, which is not JSON.
    #[error("the number {0} is out of range for a JSON float")]
    NonFinite(String),
}

/// Writes `value` in the given style.
pub fn to_string(value: &Value, style: JsonStyle) -> Result<String, JsonWriteError> {
    let sorted;
    let value = if style.sort_keys {
        let mut v = value.clone();
        v.sort_all_objects();
        sorted = v;
        &sorted
    } else {
        value
    };
    let mut out = Vec::with_capacity(64);
    let mut fmt = PyFormatter { style, bad: None };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, &mut fmt);
    // Serializing a `Value` into a `Vec` only fails through our formatter, which records why.
    let result = value.serialize(&mut ser);
    if let Some(bad) = fmt.bad {
        return Err(JsonWriteError::NonFinite(bad));
    }
    if result.is_err() {
        return Err(JsonWriteError::NonFinite(String::new()));
    }
    Ok(String::from_utf8(out).unwrap_or_default())
}

struct PyFormatter {
    style: JsonStyle,
    bad: Option<String>,
}

impl serde_json::ser::Formatter for &mut PyFormatter {
    fn write_number_str<W: ?Sized + Write>(&mut self, w: &mut W, text: &str) -> io::Result<()> {
        let spelled = if self.style.js_numbers {
            js_number(text)
        } else {
            python_number(text)
        };
        match spelled {
            Ok(s) => w.write_all(s.as_bytes()),
            Err(()) => {
                self.bad = Some(text.to_string());
                Err(io::Error::other("non-finite number"))
            }
        }
    }

    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, v: f64) -> io::Result<()> {
        if self.style.js_numbers {
            w.write_all(js_number_repr(v).as_bytes())
        } else {
            w.write_all(py_float_repr(v).as_bytes())
        }
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !self.style.ensure_ascii {
            return w.write_all(fragment.as_bytes());
        }
        // serde_json has already escaped `"`, `\` and control characters; the rest of the
        // non-printable-ASCII range is Python's `ensure_ascii` escaping (UTF-16, lower-case hex).
        let mut buf = [0u16; 2];
        for c in fragment.chars() {
            if (c as u32) < 0x7f {
                let mut b = [0u8; 4];
                w.write_all(c.encode_utf8(&mut b).as_bytes())?;
            } else {
                for unit in c.encode_utf16(&mut buf) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else if self.style.compact {
            w.write_all(b",")
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.begin_array_value(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.style.compact { b":" } else { b": " })
    }
}

/// A JSON number's text as Python re-writes it after `json.loads`: integers keep every digit,
/// floats take `float.__repr__`'s layout.
fn python_number(text: &str) -> Result<String, ()> {
    let is_float = text.contains(['.', 'e', 'E']);
    if !is_float {
        let digits = text.trim_start_matches('-');
        if digits.bytes().all(|b| b == b'0') {
            return Ok("0".into());
        }
        return Ok(text.to_string());
    }
    let v: f64 = text.parse().map_err(|_| ())?;
    if !v.is_finite() {
        return Err(());
    }
    Ok(py_float_repr(v))
}

/// A JSON number's text as `JSON.stringify(JSON.parse(text))` writes it: every number is an
/// IEEE double, written the ECMAScript way.
fn js_number(text: &str) -> Result<String, ()> {
    let v: f64 = text.parse().map_err(|_| ())?;
    if !v.is_finite() {
        return Err(());
    }
    Ok(js_number_repr(v))
}

/// The shortest digits of `|x|` and the decimal point position: `|x| = 0.DIGITS × 10^point`.
fn shortest_digits(x: f64) -> (String, i32) {
    let mut buf = zmij::Buffer::new();
    let s = buf.format_finite(x.abs());
    let (mantissa, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int_part}{frac_part}");
    let leading_zeros = all.len() - all.trim_start_matches('0').len();
    let digits = all
        .trim_start_matches('0')
        .trim_end_matches('0')
        .to_string();
    let point = exp + int_part.len() as i32 - leading_zeros as i32;
    (digits, point)
}

/// ECMAScript `Number::toString` for finite values (`-0` is `0`).
pub fn js_number_repr(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { "0".into() } else { "null".into() };
    }
    let (digits, n) = shortest_digits(x);
    let k = digits.len() as i32;
    let sign = if x < 0.0 { "-" } else { "" };
    if k <= n && n <= 21 {
        format!("{sign}{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (a, b) = digits.split_at(n as usize);
        format!("{sign}{a}.{b}")
    } else if -6 < n && n <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let exp = format!("e{}{}", if e < 0 { '-' } else { '+' }, e.abs());
        if k == 1 {
            format!("{sign}{digits}{exp}")
        } else {
            format!("{sign}{}.{}{exp}", &digits[..1], &digits[1..])
        }
    }
}

/// CPython's `repr(float)` for finite values: shortest round-trip digits, exponent form when the
/// decimal exponent is < -4 or >= 16, `.0` on integral values.
pub fn py_float_repr(x: f64) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let (digits, point) = shortest_digits(x);
    let digits = digits.as_str();
    let sign = if x < 0.0 { "-" } else { "" };
    let n = digits.len() as i32;
    if point > -4 && point <= 16 {
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else if point >= n {
            format!("{sign}{digits}{}.0", "0".repeat((point - n) as usize))
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let mant = if n > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.to_string()
        };
        let e = point - 1;
        format!(
            "{sign}{mant}e{}{:02}",
            if e < 0 { '-' } else { '+' },
            e.abs()
        )
    }
}

/// Parses JSON text as Python's `json.loads` would accept it (a recursion limit keeps hostile
/// nesting bounded). Python also accepts `NaN`, `Infinity`, `-Infinity` and lone surrogate
/// escapes (`"\ud800"`), which no JSON value here can hold: they are read as the strings
/// `"NaN"`, `"Infinity"`, `"-Infinity"` and as U+FFFD (see [`parse_python`] for whether that
/// happened).
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    parse_python(text).map(|(v, _)| v)
}

/// The note for a payload [`parse_python`] had to map.
pub const PYTHON_ONLY_NOTE: &str = "the payload uses JSON only Python reads (NaN, Infinity or a \
     lone surrogate escape): shown as the strings \"NaN\"/\"Infinity\" and as U+FFFD; re-signing \
     writes them as shown";

/// [`parse`], and whether Python-only constructs were mapped (the payload is then shown, not
/// reproduced byte for byte).
pub fn parse_python(text: &str) -> Result<(Value, bool), serde_json::Error> {
    match serde_json::from_str(text) {
        Ok(v) => Ok((v, false)),
        Err(e) => match map_python_only(text) {
            Some(mapped) => serde_json::from_str(&mapped)
                .map(|v| (v, true))
                .map_err(|_| e),
            None => Err(e),
        },
    }
}

/// Whether [`parse_python`] certainly reads `text` with nothing to map, answered without building
/// the value (the rotation preview checks a million payloads this way): `true` only when
/// serde_json itself reads the text as a [`Value`] and no object has a key `refuse` picks.
/// `false` is "not certain": the text may still load (Python-only JSON, a refused key), so the
/// caller must then take the full [`parse_python`].
///
/// The text goes through the same serde_json parser as [`parse_python`] (same grammar, escapes,
/// number syntax and nesting limit), with a visitor that keeps nothing. The one place where
/// reading into a [`Value`] is stricter than the grammar is mirrored: under `arbitrary_precision`
/// an object whose first key is serde_json's private number token is read as a number, so its
/// value must be a string that parses as one (the raw-value token is refused outright).
pub fn loads_plainly(text: &str, refuse: &dyn Fn(&str) -> bool) -> bool {
    use serde::de::DeserializeSeed as _;
    let mut de = serde_json::Deserializer::from_str(text);
    Plain { refuse }.deserialize(&mut de).is_ok() && de.end().is_ok()
}

/// The private key serde_json's `arbitrary_precision` numbers travel under.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";
/// The private key of serde_json's `raw_value` feature.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// [`loads_plainly`]'s visitor: any JSON value, kept nowhere.
#[derive(Clone, Copy)]
struct Plain<'a> {
    refuse: &'a dyn Fn(&str) -> bool,
}

/// Why [`Plain`] stopped early (any error means "not certain").
fn refused<E: serde::de::Error>() -> E {
    E::custom("refused")
}

impl<'de> serde::de::DeserializeSeed<'de> for Plain<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Plain<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut first = true;
        while let Some(key) = map.next_key_seed(KeyText)? {
            if first && key.as_str() == NUMBER_TOKEN {
                // `Value` reads the rest of this object as a number and stops there.
                return map.next_value_seed(NumberText);
            }
            if first && key.as_str() == RAW_VALUE_TOKEN || (self.refuse)(key.as_str()) {
                return Err(refused());
            }
            first = false;
            map.next_value_seed(self)?;
        }
        Ok(())
    }
}

/// An object key, borrowed from the text when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

/// Reads an object key as `Value`'s own key reader does (`deserialize_str`).
struct KeyText;

impl<'de> serde::de::DeserializeSeed<'de> for KeyText {
    type Value = Key<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyText {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(s.to_string()))
    }
}

/// The value under [`NUMBER_TOKEN`], read as `Value` reads it: a string that parses as a number.
struct NumberText;

impl<'de> serde::de::DeserializeSeed<'de> for NumberText {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for NumberText {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON number")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<(), E> {
        s.parse::<serde_json::Number>()
            .map(|_| ())
            .map_err(E::custom)
    }
}

/// Rewrites `NaN` / `Infinity` / `-Infinity` outside strings as strings, and lone surrogate
/// escapes inside strings as `\ufffd`; `None` when there is nothing of the kind.
fn map_python_only(text: &str) -> Option<String> {
    fn hex4(b: &[u8]) -> Option<u16> {
        let s = std::str::from_utf8(b.get(..4)?).ok()?;
        u16::from_str_radix(s, 16).ok()
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut i = 0;
    let mut in_string = false;
    let mut copied = 0;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                b'\\' if b.get(i + 1) == Some(&b'u') => {
                    let Some(u) = hex4(&b[i + 2..]) else {
                        i += 2;
                        continue;
                    };
                    let paired_low = |at: usize| {
                        b.get(at) == Some(&b'\\')
                            && b.get(at + 1) == Some(&b'u')
                            && hex4(&b[(at + 2).min(b.len())..])
                                .is_some_and(|l| (0xDC00..0xE000).contains(&l))
                    };
                    if (0xD800..0xDC00).contains(&u) && paired_low(i + 6) {
                        i += 12;
                    } else if (0xD800..0xE000).contains(&u) {
                        out.push_str(&text[copied..i]);
                        out.push_str("\\ufffd");
                        i += 6;
                        copied = i;
                        changed = true;
                    } else {
                        i += 6;
                    }
                }
                b'\\' => i += 2,
                _ => i += 1,
            }
            continue;
        }
        let word = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|w| b[i..].starts_with(w.as_bytes()));
        match (c, word) {
            (b'"', _) => {
                in_string = true;
                i += 1;
            }
            (_, Some(w)) => {
                out.push_str(&text[copied..i]);
                out.push('"');
                out.push_str(w);
                out.push('"');
                i += w.len();
                copied = i;
                changed = true;
            }
            _ => i += 1,
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&text[copied.min(text.len())..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by tests/hostile.rs: Python's json.loads reads these, serde_json does not.
    #[test]
    fn python_only_json_nan_infinity_and_lone_surrogates_are_read() {
        let (v, mapped) =
            parse_python(r#"{"n": NaN, "i": -Infinity, "j": [Infinity], "s": "NaN"}"#)
                .expect("Python reads it");
        assert!(mapped);
        assert_eq!(v["n"], "NaN");
        assert_eq!(v["i"], "-Infinity");
        assert_eq!(v["j"][0], "Infinity");
        assert_eq!(v["s"], "NaN");
        let (v, mapped) = parse_python(r#"{"a": "\ud800x", "b": "\udfff", "ok": "\ud83d\ude00"}"#)
            .expect("Python reads lone surrogates");
        assert!(mapped);
        assert_eq!(v["a"], "\u{fffd}x");
        assert_eq!(v["b"], "\u{fffd}");
        assert_eq!(v["ok"], "\u{1f600}");
        // Ordinary JSON is untouched; broken JSON stays an error.
        assert!(!parse_python(r#"{"a": "NaN"}"#).expect("json").1);
        assert!(parse_python(r#"{"a": NaNa}"#).is_err());
        assert!(parse_python(r#"{"a": "\ud800"#).is_err());
        assert!(parse_python("\"\\u").is_err());
        // Multi-byte text outside strings (invalid JSON) is an error, not a panic.
        assert!(parse_python("é NaN ü").is_err());
    }

    #[test]
    fn loads_plainly_is_sure_only_of_what_parses_as_it_is() {
        let none = |_: &str| false;
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        for text in [
            r#"{"a": [1, 2.5, -3e2, 1e400, 12345678901234567890123], "b": {"c": null}}"#,
            r#"  "x\u00e9\ud83d\ude00\n"  "#,
            "true",
            r#"{"$serde_json::private::Number": "12"}"#,
            r#"{"b": 1, "$serde_json::private::Number": "x"}"#,
            &deep(127),
        ] {
            assert!(loads_plainly(text, &none), "{text}");
            assert!(matches!(parse_python(text), Ok((_, false))), "{text}");
        }
        // The private number token reads as a number, as `Value` reads it.
        assert_eq!(
            parse(r#"{"$serde_json::private::Number": "12"}"#).expect("a number"),
            serde_json::json!(12)
        );
        for text in [
            r#"{"a": NaN}"#,
            r#"["\ud800"]"#,
            "{NaN: 1}",
            "[1,]",
            "",
            "{}x",
            "01",
            r#"{"$serde_json::private::Number": "x"}"#,
            r#"{"$serde_json::private::Number": "1", "b": 2}"#,
            r#"{"$serde_json::private::RawValue": "1"}"#,
            &deep(128),
        ] {
            assert!(!loads_plainly(text, &none), "{text}");
        }
        // A refused key, at any depth and however escaped, makes it unsure.
        let space = |k: &str| k.starts_with(' ');
        assert!(loads_plainly(r#"{"a": [{"t ": 1}]}"#, &space));
        assert!(!loads_plainly(r#"{"a": [{" t": 1}]}"#, &space));
        assert!(!loads_plainly(r#"{"a": [{"\u0020t": 1}]}"#, &space));
    }

    fn v(s: &str) -> Value {
        parse(s).expect("test JSON")
    }

    #[test]
    fn float_layout_matches_cpython() {
        let cases = [
            (1.0, "1.0"),
            (100.0, "100.0"),
            (-0.0, "-0.0"),
            (1e-7, "1e-07"),
            (2.5e-8, "2.5e-08"),
            (1e-5, "1e-05"),
            (1.5e-5, "1.5e-05"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (0.1 + 0.2, "0.30000000000000004"),
            (0.0001, "0.0001"),
            (123.456, "123.456"),
            (1.5e300, "1.5e+300"),
        ];
        for (x, want) in cases {
            assert_eq!(py_float_repr(x), want, "{x:e}");
        }
    }

    #[test]
    fn styles_match_python() {
        let value = v(r#"{"b":[1,2.50,"café😀"],"a":{"z":null,"y":true},"10":"\u2028</x>\u007f"}"#);
        assert_eq!(
            to_string(&value, JsonStyle::FLASK).as_deref(),
            Ok(
                r#"{"10":"\u2028</x>\u007f","a":{"y":true,"z":null},"b":[1,2.5,"caf\u00e9\ud83d\ude00"]}"#
            )
        );
        assert_eq!(
            to_string(&value, JsonStyle::PYTHON_DEFAULT).as_deref(),
            Ok(
                r#"{"b": [1, 2.5, "caf\u00e9\ud83d\ude00"], "a": {"z": null, "y": true}, "10": "\u2028</x>\u007f"}"#
            )
        );
        assert_eq!(
            to_string(&value, JsonStyle::ITSDANGEROUS_COMPACT).as_deref(),
            Ok(
                "{\"b\":[1,2.5,\"café😀\"],\"a\":{\"z\":null,\"y\":true},\"10\":\"\u{2028}</x>\u{7f}\"}"
            )
        );
    }

    #[test]
    fn integers_keep_every_digit_and_odd_spellings_normalise() {
        let value = v("[12345678901234567890123, -0, 1E5, 1.0e+2, -18446744073709551617]");
        assert_eq!(
            to_string(&value, JsonStyle::DJANGO).as_deref(),
            Ok("[12345678901234567890123,0,100000.0,100.0,-18446744073709551617]")
        );
    }

    #[test]
    fn javascript_numbers_match_node() {
        // JSON.stringify(JSON.parse(...)) in Node 20.
        let value = v(
            "[1.0, 100, -0.0, 1e-7, 2.5e-8, 1e-5, 1e15, 1e16, 1e21, 1.2345678901234568e17, 0.1, 12345678901234567890, 123e-20, 5e-324]",
        );
        let style = JsonStyle::JAVASCRIPT;
        assert_eq!(
            to_string(&value, style).as_deref(),
            Ok(
                "[1,100,0,1e-7,2.5e-8,0.00001,1000000000000000,10000000000000000,1e+21,123456789012345680,0.1,12345678901234567000,1.23e-18,5e-324]"
            )
        );
    }

    #[test]
    fn infinity_is_refused() {
        let value = v("[1e400]");
        assert!(matches!(
            to_string(&value, JsonStyle::FLASK),
            Err(JsonWriteError::NonFinite(_))
        ));
    }

    #[test]
    fn control_characters_are_escaped_like_python() {
        let value = Value::String("\u{0}\u{1}\u{8}\t\n\u{c}\r\u{1f}\"\\".into());
        assert_eq!(
            to_string(&value, JsonStyle::FLASK).as_deref(),
            Ok(r#""\u0000\u0001\b\t\n\f\r\u001f\"\\""#)
        );
    }
}
