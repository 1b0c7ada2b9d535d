//! How strong each stored key is: [`crate::core::audit::rate`] (length against the digest it keys,
//! estimated entropy, presence on the built-in or a given list, the `django-insecure-` prefix),
//! plus what only the store knows: the same secret stored under several names, and primaries
//! that have signed for over a year. Shared by `signet audit --stored` and the Keys tab's badges.
//! Never holds or returns a secret.

use super::{KeySet, LoadedKey};
use crate::core::audit::{self, BUILTIN, Rating};

/// The digest size a key of this style keys (shorter secrets are weak).
pub fn min_bytes(style: &str) -> usize {
    match style {
        "flask" | "starlette" | "keygrip" => 20,
        "jwt-hs384" => 48,
        "jwt-hs512" | "rails" => 64,
        _ => 32,
    }
}

/// Whether each key's secret is on the built-in list of well-known secrets.
pub fn on_builtin_list(loaded: &[LoadedKey]) -> Vec<bool> {
    loaded
        .iter()
        .map(|k| {
            BUILTIN
                .iter()
                .any(|b| crate::core::mac::ct_eq(b, k.secret.expose()))
        })
        .collect()
}

/// Rates every key; `listed[i]`: key `i` was found on a list. Same order as `loaded`.
pub fn rate_stored(
    loaded: &[LoadedKey],
    sets: &[KeySet],
    listed: &[bool],
    now: i64,
) -> Vec<Rating> {
    loaded
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let on_list = listed.get(i).copied().unwrap_or(false);
            let mut rating = audit::rate(k.secret.expose(), min_bytes(&k.meta.style), on_list);
            let twins: Vec<&str> = loaded
                .iter()
                .filter(|o| o.meta.id != k.meta.id && o.meta.fingerprint == k.meta.fingerprint)
                .map(|o| o.meta.name.as_str())
                .collect();
            if !twins.is_empty() {
                rating
                    .findings
                    .push(format!("the same secret is stored as {}", twins.join(", ")));
            }
            for set in sets {
                if set.keys.first() == Some(&k.meta.id) {
                    let days = (now - k.meta.created) / 86_400;
                    if days > 365 {
                        rating.findings.push(format!(
                            "primary of {} for {days} days: time to rotate",
                            set.name
                        ));
                    }
                }
            }
            rating
        })
        .collect()
}
