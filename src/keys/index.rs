//! The non-secret index: key names, styles, fingerprints, notes and key sets. Kept as JSON in the
//! platform config dir and written atomically (temp file, fsync, rename), so a crash leaves either
//! the old or the new index, never a torn one. It never holds secret bytes.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::keys::StoreError;

/// The index file's current version.
pub const VERSION: u32 = 1;

/// Index files larger than this are refused (thousands of keys fit in a few hundred KiB).
const MAX_INDEX_BYTES: u64 = 16 * 1024 * 1024;

/// Metadata of one key. Safe to show and to write to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMeta {
    /// Random id; the keyring entry's user name.
    pub id: String,
    /// The user's name for it (unique).
    pub name: String,
    /// The framework/style it was made for (`flask`, `django`, ...).
    pub style: String,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// [`crate::core::Fingerprint`] of the secret.
    pub fingerprint: String,
    /// Free-form notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// An app's ordered key list: the primary first, then the fallbacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySet {
    /// The set's name (`shop-prod`).
    pub name: String,
    /// Key ids, primary first.
    pub keys: Vec<String>,
}

/// The whole index.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Index {
    /// Format version.
    pub version: u32,
    /// Every key, in creation order.
    #[serde(default)]
    pub keys: Vec<KeyMeta>,
    /// Every key set.
    #[serde(default)]
    pub sets: Vec<KeySet>,
}

impl Index {
    /// Parses index text; rejects unknown future versions and inconsistent content.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let index: Index = serde_json::from_str(text)
            .map_err(|e| StoreError::Index(format!("the key index is not valid: {e}")))?;
        if index.version > VERSION {
            return Err(StoreError::Index(format!(
                "the key index has version {} (this Signet reads up to {VERSION}): update Signet",
                index.version
            )));
        }
        Ok(index)
    }

    /// The key with this name.
    pub fn key(&self, name: &str) -> Option<&KeyMeta> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// The key with this id.
    pub fn key_by_id(&self, id: &str) -> Option<&KeyMeta> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// The set with this name.
    pub fn set(&self, name: &str) -> Option<&KeySet> {
        self.sets.iter().find(|s| s.name == name)
    }

    /// Names of the sets a key belongs to.
    pub fn sets_of(&self, key_id: &str) -> Vec<String> {
        self.sets
            .iter()
            .filter(|s| s.keys.iter().any(|k| k == key_id))
            .map(|s| s.name.clone())
            .collect()
    }
}

/// Where the index is kept.
#[derive(Debug)]
pub enum IndexLocation {
    /// A JSON file.
    File(PathBuf),
    /// Process memory (tests, `--keyring memory`).
    Memory(std::sync::Mutex<Index>),
}

impl IndexLocation {
    /// Reads the index (an absent file is an empty index).
    pub fn load(&self) -> Result<Index, StoreError> {
        match self {
            IndexLocation::Memory(m) => Ok(m.lock().unwrap_or_else(|e| e.into_inner()).clone()),
            IndexLocation::File(path) => {
                let meta = match std::fs::metadata(path) {
                    Ok(m) => m,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Ok(Index {
                            version: VERSION,
                            ..Index::default()
                        });
                    }
                    Err(e) => return Err(io_error("reading", path, &e)),
                };
                if meta.len() > MAX_INDEX_BYTES {
                    return Err(StoreError::Index(format!(
                        "{} is larger than {} MiB: not a Signet key index",
                        path.display(),
                        MAX_INDEX_BYTES / (1024 * 1024)
                    )));
                }
                let text =
                    std::fs::read_to_string(path).map_err(|e| io_error("reading", path, &e))?;
                Index::parse(&text).map_err(|e| match e {
                    StoreError::Index(msg) => {
                        StoreError::Index(format!("{}: {msg}", path.display()))
                    }
                    other => other,
                })
            }
        }
    }

    /// Replaces the index atomically.
    pub fn save(&self, index: &Index) -> Result<(), StoreError> {
        match self {
            IndexLocation::Memory(m) => {
                *m.lock().unwrap_or_else(|e| e.into_inner()) = index.clone();
                Ok(())
            }
            IndexLocation::File(path) => write_atomically(path, index),
        }
    }
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Index(format!("{what} {}: {e}", path.display()))
}

fn write_atomically(path: &Path, index: &Index) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io_error("creating", dir, &e))?;
    let mut text = serde_json::to_string_pretty(index)
        .map_err(|e| StoreError::Index(format!("serialising the index: {e}")))?;
    text.push('\n');
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("keys.json"),
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e: std::io::Error| {
        let _ = std::fs::remove_file(&tmp);
        io_error("writing", path, &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_atomic_replace() {
        let dir = tempfile::tempdir().expect("temp dir");
        let loc = IndexLocation::File(dir.path().join("sub/keys.json"));
        assert_eq!(loc.load().expect("empty").keys.len(), 0);
        let mut index = Index {
            version: VERSION,
            ..Index::default()
        };
        index.keys.push(KeyMeta {
            id: "0123".into(),
            name: "a".into(),
            style: "flask".into(),
            created: 1,
            fingerprint: "ff".into(),
            notes: String::new(),
        });
        loc.save(&index).expect("saved");
        assert_eq!(loc.load().expect("loaded"), index);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no temp file left behind: {leftovers:?}"
        );
    }

    #[test]
    fn garbage_and_future_versions_are_clear_errors() {
        for text in ["", "{", "[]", "{\"version\": 1, \"keys\": 5}", "\u{0}\u{1}"] {
            assert!(
                matches!(Index::parse(text), Err(StoreError::Index(_))),
                "{text:?}"
            );
        }
        let err = Index::parse("{\"version\": 99}").expect_err("future");
        assert!(err.to_string().contains("update Signet"));
    }
}
