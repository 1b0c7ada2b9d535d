//! What the benchmarks share: a deterministic generator and realistic Flask session payloads.

use std::fmt::Write as _;

use serde_json::{Value, json};

/// SplitMix64: a tiny deterministic generator (no `rand` dependency).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len + 16);
        while s.len() < len {
            let _ = write!(s, "{:016x}", self.next());
        }
        s.truncate(len);
        s
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A realistic Flask session payload, in Flask's wire form (tags included).
pub fn payload(rng: &mut Rng) -> Value {
    let user_id = 1 + rng.below(250_000);
    match rng.below(20) {
        // Flask-Login + Flask-WTF: compressible hex, usually written compressed by Flask.
        0..=7 => json!({
            "_fresh": rng.below(2) == 0,
            "_id": rng.hex(128),
            "_user_id": user_id.to_string(),
            "csrf_token": rng.hex(40),
        }),
        // A few small fields.
        8..=13 => json!({
            "cart_count": rng.below(6),
            "lang": rng.pick(&["en", "de", "fr", "es", "pt-BR", "ja"]),
            "theme": rng.pick(&["dark", "light", "system"]),
            "user_id": user_id,
        }),
        // Tagged values: flashed messages (tuples), bytes, a UUID, a datetime.
        14..=16 => json!({
            "_flashes": [
                {" t": ["message", rng.pick(&["Profile saved.", "Welcome back!", "Password changed."])]},
                {" t": ["warning", "Your trial ends in 3 days."]},
            ],
            "last_login": {" d": format!("Tue, {:02} Dec 2025 {:02}:{:02}:00 GMT", 1 + rng.below(28), rng.below(24), rng.below(60))},
            "nonce": {" b": signet::core::encoding::b64std(&rng.next().to_be_bytes())},
            "recent": {" t": [rng.below(1000), rng.below(1000), rng.below(1000)]},
            "session_uuid": {" u": rng.hex(32)},
            "user_id": user_id,
        }),
        // A large cart: Flask compresses it.
        _ => {
            let items = 10 + rng.below(21);
            let cart: Vec<Value> = (0..items)
                .map(|_| {
                    let sku = rng.below(5000);
                    let cents = 100 + rng.below(9900);
                    json!({
                        "name": format!("Widget {sku}"),
                        "price": cents as f64 / 100.0,
                        "qty": 1 + rng.below(4),
                        "sku": format!("SKU-{sku:05}"),
                    })
                })
                .collect();
            json!({"cart": cart, "currency": "EUR", "user_id": user_id})
        }
    }
}
