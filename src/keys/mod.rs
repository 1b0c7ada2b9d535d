//! The key store: secret bytes in the OS keyring (or memory), everything else — names, styles,
//! fingerprints, notes, key sets — in a non-secret index file.
//!
//! Crash safety: adding a key writes the secret, reads it back and compares before the index
//! records it (a crash in between leaves an orphan secret that `doctor` adopts, never a name
//! without a key); removing asks the keyring first and only then drops the index entry.

pub mod backend;
pub mod generate;
pub mod import;
pub mod index;
pub mod os;
pub mod rating;

use std::path::PathBuf;

use crate::core::Secret;
pub use backend::{MemoryBackend, SecretBackend};
pub use generate::Style;
pub use index::{Index, IndexLocation, KeyMeta, KeySet};

/// What went wrong in the key store. Messages say what to do and never contain secret bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No keyring could be reached.
    #[error(
        "no keyring available: {0}. Start a Secret Service in your session (GNOME Keyring, KeePassXC, KWallet) or use --keyring memory for a throwaway store"
    )]
    Unavailable(String),
    /// The keyring is locked.
    #[error(
        "the keyring is locked ({0}): unlock it (log in again, or open your keyring manager such as Seahorse) and retry"
    )]
    Locked(String),
    /// The index names a key whose secret is not in the keyring.
    #[error(
        "the secret of key {0:?} is missing from the keyring (removed outside Signet?): run `signet keys doctor` to see and repair the index"
    )]
    SecretMissing(String),
    /// No key or key set of that name.
    #[error("no key named {0:?} (see `signet keys list`)")]
    NotFound(String),
    /// No key set of that name.
    #[error("no key set named {0:?}")]
    SetNotFound(String),
    /// The name is taken.
    #[error("a key named {0:?} already exists: choose another name or remove it first")]
    Exists(String),
    /// A name that cannot be used.
    #[error("invalid name {0:?}: use 1 to 100 characters without control characters")]
    InvalidName(String),
    /// The keyring gave back something else than what was written.
    #[error("the keyring did not return the secret just written for {0:?}; nothing was recorded")]
    ReadBack(String),
    /// The index file could not be read or written.
    #[error("{0}")]
    Index(String),
    /// Any other keyring failure.
    #[error("keyring error: {0}")]
    Backend(String),
}

/// Where the index lives unless told otherwise: `$SIGNET_CONFIG_DIR` or the platform config dir.
pub fn default_config_dir() -> Option<PathBuf> {
    match std::env::var_os("SIGNET_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::config_dir().map(|d| d.join("signet")),
    }
}

/// A key with its secret, loaded for use.
pub struct LoadedKey {
    /// Its metadata.
    pub meta: KeyMeta,
    /// Its secret.
    pub secret: Secret,
}

/// What `doctor` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnosis {
    /// Index entries whose secret is gone from the keyring.
    pub missing_secrets: Vec<KeyMeta>,
    /// Keyring entries of Signet with no index entry (by key id).
    pub orphan_secrets: Vec<String>,
    /// Key sets naming keys that do not exist: (set, key id).
    pub dangling_set_members: Vec<(String, String)>,
}

impl Diagnosis {
    /// Whether everything is consistent.
    pub fn is_healthy(&self) -> bool {
        self.missing_secrets.is_empty()
            && self.orphan_secrets.is_empty()
            && self.dangling_set_members.is_empty()
    }
}

/// The key store.
pub struct KeyStore {
    backend: Box<dyn SecretBackend>,
    index: IndexLocation,
}

impl KeyStore {
    /// A store over any backend and index location.
    pub fn new(backend: Box<dyn SecretBackend>, index: IndexLocation) -> Self {
        Self { backend, index }
    }

    /// A throwaway store in memory.
    pub fn memory() -> Self {
        Self::new(
            Box::new(MemoryBackend::default()),
            IndexLocation::Memory(std::sync::Mutex::new(Index {
                version: index::VERSION,
                ..Index::default()
            })),
        )
    }

    /// The OS keyring with the index in `config_dir` (or the default one).
    pub fn open_os(config_dir: Option<PathBuf>) -> Result<Self, StoreError> {
        let dir = config_dir.or_else(default_config_dir).ok_or_else(|| {
            StoreError::Index("no config directory: set SIGNET_CONFIG_DIR or HOME".into())
        })?;
        let backend = os::OsBackend::connect()?;
        Ok(Self::new(
            Box::new(backend),
            IndexLocation::File(dir.join("keys.json")),
        ))
    }

    /// Where secrets and the index are kept, for messages.
    pub fn describe(&self) -> String {
        match &self.index {
            IndexLocation::File(path) => {
                format!("{}; index {}", self.backend.describe(), path.display())
            }
            IndexLocation::Memory(_) => self.backend.describe(),
        }
    }

    /// The current index.
    pub fn index(&self) -> Result<Index, StoreError> {
        self.index.load()
    }

    /// Every key's metadata, never a secret.
    pub fn list(&self) -> Result<Vec<KeyMeta>, StoreError> {
        Ok(self.index()?.keys)
    }

    /// Adds a key: the secret goes to the keyring, is read back and compared, and only then is
    /// the key recorded in the index.
    pub fn add(
        &self,
        name: &str,
        secret: &Secret,
        style: Style,
        notes: &str,
        created: i64,
    ) -> Result<KeyMeta, StoreError> {
        check_name(name)?;
        let before = self.index()?;
        if before.key(name).is_some() {
            return Err(StoreError::Exists(name.to_string()));
        }
        let id = new_id(&before)?;
        self.backend.put(&id, secret)?;
        match self.backend.get(&id) {
            Ok(read) if read == *secret => {}
            Ok(_) | Err(StoreError::SecretMissing(_)) => {
                let _ = self.backend.delete(&id);
                return Err(StoreError::ReadBack(name.to_string()));
            }
            Err(e) => {
                let _ = self.backend.delete(&id);
                return Err(e);
            }
        }
        let meta = KeyMeta {
            id: id.clone(),
            name: name.to_string(),
            style: style.name().to_string(),
            created,
            fingerprint: secret.fingerprint().to_string(),
            notes: notes.to_string(),
        };
        // Re-read: another Signet may have written since.
        let mut index = self.index()?;
        if index.key(name).is_some() {
            let _ = self.backend.delete(&id);
            return Err(StoreError::Exists(name.to_string()));
        }
        index.keys.push(meta.clone());
        if let Err(e) = self.index.save(&index) {
            let _ = self.backend.delete(&id);
            return Err(e);
        }
        Ok(meta)
    }

    /// A key and its secret.
    pub fn load(&self, name: &str) -> Result<LoadedKey, StoreError> {
        let index = self.index()?;
        let meta = index
            .key(name)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(name.to_string()))?;
        self.load_meta(meta)
    }

    fn load_meta(&self, meta: KeyMeta) -> Result<LoadedKey, StoreError> {
        match self.backend.get(&meta.id) {
            Ok(secret) => Ok(LoadedKey { meta, secret }),
            Err(StoreError::SecretMissing(_)) => Err(StoreError::SecretMissing(meta.name)),
            Err(e) => Err(e),
        }
    }

    /// Every key with its secret, for "try every stored key". Keys whose secret cannot be read
    /// are returned as errors beside the loaded ones.
    pub fn load_all(&self) -> Result<(Vec<LoadedKey>, Vec<StoreError>), StoreError> {
        let mut loaded = Vec::new();
        let mut problems = Vec::new();
        for meta in self.index()?.keys {
            match self.load_meta(meta) {
                Ok(k) => loaded.push(k),
                Err(e @ StoreError::SecretMissing(_)) => problems.push(e),
                Err(e) => return Err(e),
            }
        }
        Ok((loaded, problems))
    }

    /// The keys of a set, primary first.
    pub fn load_set(&self, set_name: &str) -> Result<Vec<LoadedKey>, StoreError> {
        let index = self.index()?;
        let set = index
            .set(set_name)
            .ok_or_else(|| StoreError::SetNotFound(set_name.to_string()))?;
        set.keys
            .iter()
            .map(|id| {
                let meta = index.key_by_id(id).cloned().ok_or_else(|| {
                    StoreError::Index(format!(
                        "key set {set_name:?} names a key that no longer exists: run `signet keys doctor`"
                    ))
                })?;
                self.load_meta(meta)
            })
            .collect()
    }

    /// Removes a key: the keyring first, then the index (and every set that lists it).
    pub fn remove(&self, name: &str) -> Result<KeyMeta, StoreError> {
        let index = self.index()?;
        let meta = index
            .key(name)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(name.to_string()))?;
        self.backend.delete(&meta.id)?;
        let mut index = self.index()?;
        index.keys.retain(|k| k.id != meta.id);
        for set in &mut index.sets {
            set.keys.retain(|k| *k != meta.id);
        }
        self.index.save(&index)?;
        Ok(meta)
    }

    /// Renames a key. Only the index changes: the keyring entry is addressed by the key's id.
    pub fn rename(&self, name: &str, new_name: &str) -> Result<KeyMeta, StoreError> {
        check_name(new_name)?;
        let mut index = self.index()?;
        if index.key(new_name).is_some() {
            return Err(StoreError::Exists(new_name.to_string()));
        }
        let meta = index
            .keys
            .iter_mut()
            .find(|k| k.name == name)
            .ok_or_else(|| StoreError::NotFound(name.to_string()))?;
        meta.name = new_name.to_string();
        let renamed = meta.clone();
        self.index.save(&index)?;
        Ok(renamed)
    }

    /// Defines (or replaces) a key set: `key_names` primary first.
    pub fn define_set(&self, set_name: &str, key_names: &[String]) -> Result<KeySet, StoreError> {
        check_name(set_name)?;
        let mut index = self.index()?;
        let mut ids = Vec::with_capacity(key_names.len());
        for name in key_names {
            let meta = index
                .key(name)
                .ok_or_else(|| StoreError::NotFound(name.clone()))?;
            if ids.contains(&meta.id) {
                return Err(StoreError::Index(format!("{name:?} is listed twice")));
            }
            ids.push(meta.id.clone());
        }
        let set = KeySet {
            name: set_name.to_string(),
            keys: ids,
        };
        match index.sets.iter_mut().find(|s| s.name == set_name) {
            Some(existing) => *existing = set.clone(),
            None => index.sets.push(set.clone()),
        }
        self.index.save(&index)?;
        Ok(set)
    }

    /// Deletes a key set (its keys stay).
    pub fn remove_set(&self, set_name: &str) -> Result<(), StoreError> {
        let mut index = self.index()?;
        let before = index.sets.len();
        index.sets.retain(|s| s.name != set_name);
        if index.sets.len() == before {
            return Err(StoreError::SetNotFound(set_name.to_string()));
        }
        self.index.save(&index)
    }

    /// Compares the index with the keyring.
    pub fn diagnose(&self) -> Result<Diagnosis, StoreError> {
        let index = self.index()?;
        let ids = self.backend.ids()?;
        let mut d = Diagnosis::default();
        for meta in &index.keys {
            match self.backend.get(&meta.id) {
                Ok(_) => {}
                Err(StoreError::SecretMissing(_)) => d.missing_secrets.push(meta.clone()),
                Err(e) => return Err(e),
            }
        }
        d.orphan_secrets = ids
            .into_iter()
            .filter(|id| index.key_by_id(id).is_none())
            .collect();
        for set in &index.sets {
            for id in &set.keys {
                if index.key_by_id(id).is_none() {
                    d.dangling_set_members.push((set.name.clone(), id.clone()));
                }
            }
        }
        Ok(d)
    }

    /// Repairs what [`Self::diagnose`] found without losing a secret: index entries whose secret
    /// is gone are dropped, orphan secrets are adopted under the name `recovered-<id>`, dangling
    /// set members are removed. Returns the names adopted.
    pub fn repair(&self, d: &Diagnosis, now: i64) -> Result<Vec<String>, StoreError> {
        let mut index = self.index()?;
        let missing: Vec<&str> = d.missing_secrets.iter().map(|m| m.id.as_str()).collect();
        index.keys.retain(|k| !missing.contains(&k.id.as_str()));
        let mut adopted = Vec::new();
        for id in &d.orphan_secrets {
            if index.key_by_id(id).is_some() {
                continue;
            }
            let secret = self.backend.get(id)?;
            let mut name = format!("recovered-{id}");
            while index.key(&name).is_some() {
                name.push('_');
            }
            index.keys.push(KeyMeta {
                id: id.clone(),
                name: name.clone(),
                style: Style::Imported.name().into(),
                created: now,
                fingerprint: secret.fingerprint().to_string(),
                notes: "adopted by `signet keys doctor --fix`: found in the keyring without an index entry".into(),
            });
            adopted.push(name);
        }
        let known: Vec<String> = index.keys.iter().map(|k| k.id.clone()).collect();
        for set in &mut index.sets {
            set.keys.retain(|id| known.contains(id));
        }
        self.index.save(&index)?;
        Ok(adopted)
    }
}

fn check_name(name: &str) -> Result<(), StoreError> {
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(StoreError::InvalidName(name.to_string()));
    }
    Ok(())
}

fn new_id(index: &Index) -> Result<String, StoreError> {
    loop {
        let bytes = generate::random_bytes(8)?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        if index.key_by_id(&id).is_none() {
            return Ok(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn rename_keeps_the_secret_and_the_sets() {
        let store = KeyStore::memory();
        store
            .add("old", &Secret::from_text("s"), Style::Flask, "", 1)
            .expect("added");
        store
            .add("other", &Secret::from_text("t"), Style::Flask, "", 1)
            .expect("added");
        store.define_set("app", &["old".into()]).expect("set");
        assert_eq!(
            store.rename("old", "other"),
            Err(StoreError::Exists("other".into()))
        );
        store.rename("old", "new").expect("renamed");
        assert_eq!(
            store.load("new").expect("loads").secret,
            Secret::from_text("s")
        );
        assert!(matches!(store.load("old"), Err(StoreError::NotFound(_))));
        let set: Vec<String> = store
            .load_set("app")
            .expect("set")
            .into_iter()
            .map(|k| k.meta.name)
            .collect();
        assert_eq!(set, ["new"]);
    }

    #[test]
    fn add_load_sets_remove() {
        let store = KeyStore::memory();
        let a = Secret::from_text("alpha");
        let meta = store.add("a", &a, Style::Flask, "", 10).expect("added");
        assert_eq!(meta.fingerprint, a.fingerprint().to_string());
        store
            .add("b", &Secret::from_text("beta"), Style::Flask, "note", 11)
            .expect("added");
        assert_eq!(
            store.add("a", &a, Style::Flask, "", 12),
            Err(StoreError::Exists("a".into()))
        );
        assert_eq!(store.load("a").expect("loads").secret, a);
        store
            .define_set("shop", &["b".into(), "a".into()])
            .expect("set");
        let set: Vec<String> = store
            .load_set("shop")
            .expect("set")
            .into_iter()
            .map(|k| k.meta.name)
            .collect();
        assert_eq!(set, ["b", "a"]);
        store.remove("b").expect("removed");
        assert_eq!(
            store
                .index()
                .expect("index")
                .set("shop")
                .map(|s| s.keys.len()),
            Some(1)
        );
        assert!(matches!(store.load("b"), Err(StoreError::NotFound(_))));
        assert!(store.diagnose().expect("diagnose").is_healthy());
    }

    /// A backend that fails in the ways a real keyring does.
    struct Faulty {
        inner: MemoryBackend,
        fail_put: AtomicBool,
        lie_on_get: AtomicBool,
        fail_delete: AtomicBool,
    }

    impl SecretBackend for Arc<Faulty> {
        fn describe(&self) -> String {
            "faulty".into()
        }
        fn put(&self, id: &str, s: &Secret) -> Result<(), StoreError> {
            if self.fail_put.load(Ordering::SeqCst) {
                return Err(StoreError::Locked("collection is locked".into()));
            }
            self.inner.put(id, s)
        }
        fn get(&self, id: &str) -> Result<Secret, StoreError> {
            if self.lie_on_get.load(Ordering::SeqCst) {
                return Ok(Secret::from_text("something else"));
            }
            self.inner.get(id)
        }
        fn delete(&self, id: &str) -> Result<(), StoreError> {
            if self.fail_delete.load(Ordering::SeqCst) {
                return Err(StoreError::Unavailable("the daemon went away".into()));
            }
            self.inner.delete(id)
        }
        fn ids(&self) -> Result<Vec<String>, StoreError> {
            self.inner.ids()
        }
    }

    fn faulty() -> (Arc<Faulty>, KeyStore) {
        let f = Arc::new(Faulty {
            inner: MemoryBackend::default(),
            fail_put: AtomicBool::new(false),
            lie_on_get: AtomicBool::new(false),
            fail_delete: AtomicBool::new(false),
        });
        let store = KeyStore::new(
            Box::new(f.clone()),
            IndexLocation::Memory(Default::default()),
        );
        (f, store)
    }

    #[test]
    fn nothing_is_half_done() {
        let (f, store) = faulty();
        // A locked keyring: nothing recorded.
        f.fail_put.store(true, Ordering::SeqCst);
        assert!(matches!(
            store.add("k", &Secret::from_text("x"), Style::Hex, "", 1),
            Err(StoreError::Locked(_))
        ));
        assert!(store.list().expect("index").is_empty());
        f.fail_put.store(false, Ordering::SeqCst);
        // The keyring returns something else: the entry is rolled back, nothing recorded.
        f.lie_on_get.store(true, Ordering::SeqCst);
        assert_eq!(
            store.add("k", &Secret::from_text("x"), Style::Hex, "", 1),
            Err(StoreError::ReadBack("k".into()))
        );
        f.lie_on_get.store(false, Ordering::SeqCst);
        assert!(store.list().expect("index").is_empty());
        assert!(f.inner.ids().expect("ids").is_empty(), "rolled back");
        // Removal when the keyring fails: the key stays listed (and usable later).
        store
            .add("k", &Secret::from_text("x"), Style::Hex, "", 1)
            .expect("added");
        f.fail_delete.store(true, Ordering::SeqCst);
        assert!(matches!(store.remove("k"), Err(StoreError::Unavailable(_))));
        assert_eq!(store.list().expect("index").len(), 1);
    }

    #[test]
    fn doctor_finds_and_repairs_both_kinds_of_orphan() {
        let (f, store) = faulty();
        store
            .add("gone", &Secret::from_text("g"), Style::Flask, "", 1)
            .expect("added");
        store
            .add("kept", &Secret::from_text("k"), Style::Flask, "", 1)
            .expect("added");
        store
            .define_set("s", &["gone".into(), "kept".into()])
            .expect("set");
        let gone_id = store
            .index()
            .expect("index")
            .key("gone")
            .expect("gone")
            .id
            .clone();
        f.inner
            .delete(&gone_id)
            .expect("deleted behind Signet's back");
        f.inner
            .put("feedfacecafebeef", &Secret::from_text("orphan"))
            .expect("orphan");
        assert!(matches!(store.load("gone"), Err(StoreError::SecretMissing(n)) if n == "gone"));
        let d = store.diagnose().expect("diagnose");
        assert_eq!(d.missing_secrets.len(), 1);
        assert_eq!(d.orphan_secrets, ["feedfacecafebeef"]);
        let adopted = store.repair(&d, 5).expect("repaired");
        assert_eq!(adopted, ["recovered-feedfacecafebeef"]);
        assert_eq!(
            store
                .load("recovered-feedfacecafebeef")
                .expect("adopted")
                .secret,
            Secret::from_text("orphan")
        );
        assert!(store.diagnose().expect("diagnose").is_healthy());
        assert_eq!(
            store.index().expect("index").set("s").map(|s| s.keys.len()),
            Some(1)
        );
    }
}
