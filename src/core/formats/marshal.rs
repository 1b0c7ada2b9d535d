//! A read-only reader of Ruby's Marshal format 4.8 (old Rails cookies, `cookies_serializer
//! :marshal` / `:hybrid`) that builds a JSON tree for display and never instantiates anything.
//!
//! Bounded: nesting depth, node count and every length are checked against the input before
//! anything is allocated. Object links (`@`) and symbol links (`;`) are shown as references
//! (`{"@ref": n}`) or resolved symbol names, never followed, so cyclic structures cost nothing.
//!
//! The tree: `nil`/`true`/`false`/integers/floats/strings/arrays as JSON; symbols as their name;
//! hashes as objects (non-string keys as their JSON text); anything else as an object naming its
//! Ruby class: `{"@class": "User", "@ivars": {...}}`, `{"@struct": ..}`, `{"@user_dump": ..}`.

use serde_json::{Map, Number, Value};

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;
/// Most values accepted in one document.
pub const MAX_NODES: usize = 100_000;
/// A hash key that is not a string or symbol is shown as its JSON text, cut to this many bytes
/// (and marked `…`). Uncut, nested keys cost exponential time and memory: each level's text
/// escapes the quotes and backslashes of the level below again, so it doubles per level (an
/// 8 KiB input ran for over 10 s and 250 MB before this limit; found by `fuzz/` target `marshal`).
pub const MAX_KEY_TEXT: usize = 256;

/// Whether `bytes` starts with Marshal's version 4.8 header.
pub fn is_marshal(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x04\x08")
}

/// Reads a Marshal document into a display tree.
pub fn load(bytes: &[u8]) -> Result<Value, String> {
    if !is_marshal(bytes) {
        return Err("not Marshal data (no 4.8 version header)".into());
    }
    let mut r = Reader {
        bytes,
        pos: 2,
        symbols: Vec::new(),
        objects: 0,
        nodes: 0,
    };
    let v = r.value(0)?;
    if r.pos != bytes.len() {
        return Err(format!(
            "Marshal data: {} bytes left over after the value",
            bytes.len() - r.pos
        ));
    }
    Ok(v)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    symbols: Vec<String>,
    objects: usize,
    nodes: usize,
}

impl Reader<'_> {
    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("Marshal data at byte {}: {what}", self.pos))
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| format!("Marshal data ends early at byte {}", self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| {
                format!(
                    "Marshal data at byte {}: a length of {n} runs past the end",
                    self.pos
                )
            })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// Marshal's packed integer (`w_long`).
    fn long(&mut self) -> Result<i64, String> {
        let c = self.byte()? as i8;
        Ok(match c {
            0 => 0,
            5..=127 => i64::from(c) - 5,
            -128..=-5 => i64::from(c) + 5,
            1..=4 => {
                let mut n: i64 = 0;
                for i in 0..c {
                    n |= i64::from(self.byte()?) << (8 * i);
                }
                n
            }
            _ => {
                // -4..=-1: that many bytes of a negative number.
                let len = -c;
                let mut n: i64 = -1;
                for i in 0..len {
                    n &= !(0xff << (8 * i));
                    n |= i64::from(self.byte()?) << (8 * i);
                }
                n
            }
        })
    }

    fn len(&mut self) -> Result<usize, String> {
        let n = self.long()?;
        let n = usize::try_from(n).or_else(|_| self.err(&format!("negative length {n}")))?;
        // Every element takes at least one byte: a count beyond the input is a lie.
        if n > self.bytes.len() - self.pos.min(self.bytes.len()) {
            return self.err(&format!("a count of {n} is more than the bytes left"));
        }
        Ok(n)
    }

    fn symbol(&mut self) -> Result<String, String> {
        match self.byte()? {
            b':' => self.new_symbol(),
            b';' => {
                let i = self.long()?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.symbols.get(i).cloned())
                    .map_or_else(|| self.err(&format!("symbol link {i} to nothing")), Ok)
            }
            // A symbol with an encoding (`I:`).
            b'I' => {
                let s = self.symbol_after_ivar()?;
                Ok(s)
            }
            other => self.err(&format!("expected a symbol, found type byte {other:#04x}")),
        }
    }

    fn symbol_after_ivar(&mut self) -> Result<String, String> {
        if self.byte()? != b':' {
            return self.err("an encoded symbol must be a symbol");
        }
        let s = self.new_symbol()?;
        let n = self.len()?;
        for _ in 0..n {
            self.symbol()?;
            self.value(MAX_DEPTH - 1)?;
        }
        Ok(s)
    }

    fn new_symbol(&mut self) -> Result<String, String> {
        let n = self.len()?;
        let s = String::from_utf8_lossy(self.take(n)?).into_owned();
        self.symbols.push(s.clone());
        Ok(s)
    }

    fn count(&mut self) -> Result<(), String> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return self.err(&format!("more than {MAX_NODES} values"));
        }
        Ok(())
    }

    /// Registers an object in the link table and returns its index.
    fn object(&mut self) -> usize {
        self.objects += 1;
        self.objects - 1
    }

    fn bytes_value(bytes: &[u8]) -> Value {
        match std::str::from_utf8(bytes) {
            Ok(s) => Value::String(s.to_string()),
            Err(_) => {
                let mut m = Map::new();
                m.insert(
                    "@binary_base64".into(),
                    Value::String(crate::core::encoding::b64std(bytes)),
                );
                Value::Object(m)
            }
        }
    }

    fn tagged(tag: &str, class: String, rest: Vec<(&str, Value)>) -> Value {
        let mut m = Map::new();
        m.insert(tag.into(), Value::String(class));
        for (k, v) in rest {
            m.insert(k.into(), v);
        }
        Value::Object(m)
    }

    fn ivars(&mut self, depth: usize) -> Result<Map<String, Value>, String> {
        let n = self.len()?;
        let mut m = Map::new();
        for _ in 0..n {
            let k = self.symbol()?;
            let v = self.value(depth + 1)?;
            m.insert(k, v);
        }
        Ok(m)
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth >= MAX_DEPTH {
            return self.err(&format!("nested deeper than {MAX_DEPTH} levels"));
        }
        self.count()?;
        let t = self.byte()?;
        Ok(match t {
            b'0' => Value::Null,
            b'T' => Value::Bool(true),
            b'F' => Value::Bool(false),
            b'i' => Value::from(self.long()?),
            b':' => Value::String(self.new_symbol()?),
            b';' => {
                self.pos -= 1;
                Value::String(self.symbol()?)
            }
            b'@' => {
                let i = self.long()?;
                let mut m = Map::new();
                m.insert("@ref".into(), Value::from(i));
                Value::Object(m)
            }
            b'I' => {
                // A value followed by instance variables (a String's encoding, mostly).
                let inner = self.value(depth + 1)?;
                let ivars = self.ivars(depth)?;
                let only_encoding = ivars.keys().all(|k| k == "E" || k == "encoding");
                if only_encoding {
                    inner
                } else {
                    let mut m = Map::new();
                    m.insert("@value".into(), inner);
                    m.insert("@ivars".into(), Value::Object(ivars));
                    Value::Object(m)
                }
            }
            b'"' => {
                self.object();
                let n = self.len()?;
                Self::bytes_value(self.take(n)?)
            }
            b'f' => {
                self.object();
                let n = self.len()?;
                let text = String::from_utf8_lossy(self.take(n)?).into_owned();
                match text.as_str() {
                    "nan" | "inf" | "-inf" => Value::String(text),
                    _ => text
                        .parse::<f64>()
                        .ok()
                        .and_then(Number::from_f64)
                        .map_or(Value::String(text), Value::Number),
                }
            }
            b'l' => {
                self.object();
                let sign = self.byte()?;
                let words = self.len()?;
                let n = words
                    .checked_mul(2)
                    .ok_or_else(|| "Marshal data: bignum too long".to_string())?;
                let digits = self.take(n)?;
                let text = bignum_text(sign == b'-', digits);
                serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text))
            }
            b'[' => {
                self.object();
                let n = self.len()?;
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::Array(items)
            }
            b'{' | b'}' => {
                self.object();
                let n = self.len()?;
                let mut m = Map::new();
                for _ in 0..n {
                    let k = self.value(depth + 1)?;
                    let v = self.value(depth + 1)?;
                    let key = match k {
                        Value::String(s) => s,
                        other => key_text(&other),
                    };
                    m.insert(key, v);
                }
                if t == b'}' {
                    let default = self.value(depth + 1)?;
                    m.insert("@default".into(), default);
                }
                Value::Object(m)
            }
            b'o' => {
                self.object();
                let class = self.symbol()?;
                let ivars = self.ivars(depth)?;
                Self::tagged("@class", class, vec![("@ivars", Value::Object(ivars))])
            }
            b'S' => {
                self.object();
                let class = self.symbol()?;
                let members = self.ivars(depth)?;
                Self::tagged("@struct", class, vec![("@members", Value::Object(members))])
            }
            b'u' => {
                self.object();
                let class = self.symbol()?;
                let n = self.len()?;
                let data = Self::bytes_value(self.take(n)?);
                Self::tagged("@class", class, vec![("@user_dump", data)])
            }
            b'U' | b'd' => {
                self.object();
                let class = self.symbol()?;
                let data = self.value(depth + 1)?;
                Self::tagged("@class", class, vec![("@marshal_dump", data)])
            }
            b'C' => {
                let class = self.symbol()?;
                let inner = self.value(depth + 1)?;
                Self::tagged("@class", class, vec![("@value", inner)])
            }
            b'e' => {
                let module = self.symbol()?;
                let inner = self.value(depth + 1)?;
                Self::tagged("@extended", module, vec![("@value", inner)])
            }
            b'c' | b'm' | b'M' => {
                self.object();
                let n = self.len()?;
                let name = String::from_utf8_lossy(self.take(n)?).into_owned();
                Self::tagged("@class_ref", name, Vec::new())
            }
            b'/' => {
                self.object();
                let n = self.len()?;
                let source = String::from_utf8_lossy(self.take(n)?).into_owned();
                let flags = self.byte()?;
                Self::tagged(
                    "@regexp",
                    source,
                    vec![("@options", Value::from(u64::from(flags)))],
                )
            }
            other => return self.err(&format!("unknown type byte {other:#04x}")),
        })
    }
}

/// A non-string hash key's JSON text, at most [`MAX_KEY_TEXT`] bytes: serialisation stops once
/// that much is written, so a huge key costs no more than a small one.
fn key_text(key: &Value) -> String {
    struct Cut(Vec<u8>);
    impl std::io::Write for Cut {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            // A few bytes over the limit, so a cut is seen even on a character boundary.
            let room = (MAX_KEY_TEXT + 4).saturating_sub(self.0.len());
            if room == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            let n = bytes.len().min(room);
            self.0.extend_from_slice(&bytes[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut cut = Cut(Vec::new());
    let whole = serde_json::to_writer(&mut cut, key).is_ok() && cut.0.len() <= MAX_KEY_TEXT;
    let mut text = String::from_utf8_lossy(&cut.0).into_owned();
    if !whole {
        let mut end = MAX_KEY_TEXT.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// A little-endian base-65536 magnitude as decimal text.
fn bignum_text(negative: bool, le: &[u8]) -> String {
    // Schoolbook conversion: at most a few hundred bytes in any real cookie; bounded by input.
    let mut digits: Vec<u8> = vec![0]; // decimal, least significant first
    for &byte in le.iter().rev() {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            let x = u32::from(*d) * 256 + carry;
            *d = (x % 10) as u8;
            carry = x / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    let mut s: String = digits.iter().rev().map(|d| char::from(b'0' + d)).collect();
    if negative && s != "0" {
        s.insert(0, '-');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Found by the fuzzer (`fuzz/` target `marshal`, a 14 s timeout at 250 MB): hashes keyed by
    /// hashes, 60 deep, around a key holding a quote, doubled their key text at every level.
    #[test]
    fn nested_non_string_hash_keys_are_cut_not_doubled_per_level() {
        let mut bytes = b"\x04\x08".to_vec();
        for _ in 0..60 {
            bytes.extend_from_slice(b"{\x06"); // a hash of one entry, keyed by the next hash
        }
        bytes.extend_from_slice(b"\"\x06\""); // the innermost key: the string `"`
        bytes.extend(std::iter::repeat_n(b'0', 60)); // every entry's value: nil
        let started = std::time::Instant::now();
        let value = load(&bytes).expect("reads");
        let Value::Object(top) = &value else {
            panic!("a hash: {value}")
        };
        let (key, nil) = top.iter().next().expect("one entry");
        assert_eq!(nil, &Value::Null);
        assert!(key.ends_with('…'), "cut: {key}");
        assert!(key.len() <= MAX_KEY_TEXT + '…'.len_utf8());
        // Small keys are whole.
        let small = load(b"\x04\x08{\x06i\x06\"\x06x").expect("reads");
        assert_eq!(small, json!({"1": "x"}));
        let keyed_by_array = load(b"\x04\x08{\x06[\x06i\x060").expect("reads");
        assert_eq!(keyed_by_array, json!({"[1]": null}));
        eprintln!("60 nested keys read in {:?}", started.elapsed());
    }

    #[test]
    fn ruby_values() {
        // Marshal.dump({"a" => [1, -1, 300, -300, nil, true, "é", :s, 1.5]})
        let bytes = b"\x04\x08{\x06I\"\x06a\x06:\x06ET[\x0ei\x06i\xfai\x02,\x01i\xfe\xd4\xfe0TI\"\x07\xc3\xa9\x06;\x00T:\x06sf\x081.5";
        assert_eq!(
            load(bytes),
            Ok(json!({"a": [1, -1, 300, -300, null, true, "é", "s", 1.5]}))
        );
    }

    #[test]
    fn hostile_inputs_are_errors() {
        assert!(load(b"\x04\x08[\x7f").is_err());
        assert!(load(b"\x04\x08\"\x04\xff\xff\xff\x7f").is_err());
        let deep: Vec<u8> = b"\x04\x08"
            .iter()
            .copied()
            .chain(std::iter::repeat_n(b'[', 10_000).flat_map(|b| [b, 6]))
            .collect();
        assert!(load(&deep).is_err_and(|e| e.contains("deeper")));
        assert!(load(b"\x04\x08;\x00").is_err());
        assert!(load(b"\x04\x08i\x03\x01").is_err());
        assert!(load(b"\x04\x08X").is_err());
        // A self-referencing array: [a] where a = that array.
        assert_eq!(load(b"\x04\x08[\x06@\x00"), Ok(json!([{"@ref": 0}])));
        assert_eq!(
            bignum_text(false, &[0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
            "18446744073709551616"
        );
    }
}
