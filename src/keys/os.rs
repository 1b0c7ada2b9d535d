//! The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
//! The only file that talks to the `keyring` crate.
//!
//! One entry per key: service [`SERVICE`], user = the key's random id. Entries hold the secret
//! bytes and nothing else. Errors are translated into messages that never carry the bytes
//! (`keyring_core::Error::BadEncoding` and `BadDataFormat` do carry data: they are never
//! formatted).

use std::collections::HashMap;

use crate::core::Secret;
use crate::keys::StoreError;
use crate::keys::backend::SecretBackend;

/// The keyring service name of every Signet entry.
pub const SERVICE: &str = "signet";

/// The platform keyring.
pub struct OsBackend {
    service: String,
}

impl OsBackend {
    /// Connects to the platform keyring; fails fast (no prompt, no hang) when there is none.
    pub fn connect() -> Result<Self, StoreError> {
        Self::with_service(SERVICE)
    }

    /// Entries under another service name (tests use their own).
    pub fn with_service(service: &str) -> Result<Self, StoreError> {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(StoreError::Unavailable(describe_platform(e)));
        }
        Ok(Self {
            service: service.to_string(),
        })
    }

    fn entry(&self, key_id: &str) -> Result<keyring::Entry, StoreError> {
        keyring::Entry::new(&self.service, key_id).map_err(|e| translate(&e, key_id))
    }
}

fn describe_platform(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::PlatformFailure(inner)
        | keyring_core::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.contains("bus") || text.contains("DBUS") || text.contains("No such file") {
                format!("no Secret Service on the session D-Bus ({text})")
            } else {
                text
            }
        }
        keyring_core::Error::NoDefaultStore => "no credential store could be initialised".into(),
        keyring_core::Error::Invalid(what, why) => format!("{what}: {why}"),
        _ => "the credential store failed to start".into(),
    }
}

/// Maps a keyring error to a message without any secret data.
fn translate(e: &keyring_core::Error, key_id: &str) -> StoreError {
    match e {
        keyring_core::Error::NoEntry => StoreError::SecretMissing(key_id.to_string()),
        keyring_core::Error::NoStorageAccess(inner)
        | keyring_core::Error::PlatformFailure(inner) => {
            let text = inner.to_string();
            let lower = text.to_ascii_lowercase();
            if lower.contains("locked") || lower.contains("prompt") {
                StoreError::Locked(text)
            } else {
                StoreError::Unavailable(format!("the Secret Service did not answer ({text})"))
            }
        }
        keyring_core::Error::NoDefaultStore => {
            StoreError::Unavailable("no credential store could be initialised".into())
        }
        keyring_core::Error::BadEncoding(_) | keyring_core::Error::BadDataFormat(..) => {
            StoreError::Backend("the keyring returned data in an unexpected format".into())
        }
        keyring_core::Error::BadStoreFormat(what) => StoreError::Backend(what.clone()),
        keyring_core::Error::TooLong(what, max) => {
            StoreError::Backend(format!("{what} is longer than the keyring allows ({max})"))
        }
        keyring_core::Error::Invalid(what, why) => StoreError::Backend(format!("{what}: {why}")),
        keyring_core::Error::Ambiguous(entries) => StoreError::Backend(format!(
            "{} keyring entries match key id {key_id:?}; remove the duplicates with your keyring's own tool",
            entries.len()
        )),
        keyring_core::Error::NotSupportedByStore(what) => {
            StoreError::Backend(format!("not supported by this keyring: {what}"))
        }
        _ => StoreError::Backend("the keyring failed".into()),
    }
}

impl SecretBackend for OsBackend {
    fn describe(&self) -> String {
        if cfg!(target_os = "macos") {
            "macOS Keychain".into()
        } else if cfg!(windows) {
            "Windows Credential Manager".into()
        } else {
            "OS keyring (Secret Service)".into()
        }
    }

    fn put(&self, key_id: &str, secret: &Secret) -> Result<(), StoreError> {
        self.entry(key_id)?
            .set_secret(secret.expose())
            .map_err(|e| translate(&e, key_id))
    }

    fn get(&self, key_id: &str) -> Result<Secret, StoreError> {
        let bytes = self
            .entry(key_id)?
            .get_secret()
            .map_err(|e| translate(&e, key_id))?;
        Ok(Secret::from_bytes(bytes))
    }

    fn delete(&self, key_id: &str) -> Result<(), StoreError> {
        match self.entry(key_id)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(translate(&e, key_id)),
        }
    }

    fn ids(&self) -> Result<Vec<String>, StoreError> {
        let spec = HashMap::from([("service", self.service.as_str())]);
        let entries = keyring_core::Entry::search(&spec).map_err(|e| translate(&e, ""))?;
        let mut ids: Vec<String> = entries
            .iter()
            .filter_map(|e| e.get_specifiers())
            .filter(|(service, _)| *service == self.service)
            .map(|(_, user)| user)
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}
