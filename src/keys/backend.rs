//! Where the secret bytes live: one trait, the OS keyring ([`super::os`]) and memory.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::core::Secret;
use crate::keys::StoreError;

/// A place for secret bytes, addressed by key id. Holds nothing else.
pub trait SecretBackend: Send + Sync {
    /// A short description for messages ("OS keyring (Secret Service)").
    fn describe(&self) -> String;

    /// Stores (or replaces) the secret of `key_id`.
    fn put(&self, key_id: &str, secret: &Secret) -> Result<(), StoreError>;

    /// Reads the secret of `key_id`; [`StoreError::SecretMissing`] when there is none.
    fn get(&self, key_id: &str) -> Result<Secret, StoreError>;

    /// Deletes the secret of `key_id`; succeeds when it is already gone.
    fn delete(&self, key_id: &str) -> Result<(), StoreError>;

    /// The ids of every secret this backend holds for Signet (to find orphans).
    fn ids(&self) -> Result<Vec<String>, StoreError>;
}

/// Secrets in process memory only: tests and `--keyring memory`.
#[derive(Default)]
pub struct MemoryBackend {
    secrets: Mutex<BTreeMap<String, Secret>>,
}

impl MemoryBackend {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Secret>> {
        self.secrets.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SecretBackend for MemoryBackend {
    fn describe(&self) -> String {
        "in-memory store (gone when Signet exits)".into()
    }

    fn put(&self, key_id: &str, secret: &Secret) -> Result<(), StoreError> {
        self.lock().insert(key_id.to_string(), secret.clone());
        Ok(())
    }

    fn get(&self, key_id: &str) -> Result<Secret, StoreError> {
        self.lock()
            .get(key_id)
            .cloned()
            .ok_or_else(|| StoreError::SecretMissing(key_id.to_string()))
    }

    fn delete(&self, key_id: &str) -> Result<(), StoreError> {
        self.lock().remove(key_id);
        Ok(())
    }

    fn ids(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.lock().keys().cloned().collect())
    }
}
