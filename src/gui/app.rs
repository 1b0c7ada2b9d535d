//! The window's state and logic, apart from drawing: panels emit [`Action`]s, [`SignetApp::apply`]
//! carries them out against the core and the key store, and caches what the panels show. Decoding
//! and verification run once per change, never once per frame.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::{
    self, Digest, FormatParams, InspectRequest, Inspection, KeyEntry, Secret, VerifyOptions,
};
use crate::keys::{KeyMeta, KeySet, KeyStore, LoadedKey, Style, generate, import};

/// The tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Tab {
    /// Paste, inspect, edit and re-sign.
    #[default]
    Inspect,
    /// Rotation preview.
    Rotate,
    /// The key store.
    Keys,
    /// Guessable keys: the built-in list and wordlists against a cookie.
    Audit,
}

/// What is remembered between runs: preferences only, never cookies, payloads or secrets.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The tab that was open.
    pub tab: Tab,
}

/// What a file chosen in the native dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileUse {
    /// A cookie, header, HAR or request to inspect.
    Inspect,
    /// A key file, `.env` or settings file to import a key from.
    ImportKey,
    /// Cookies for the rotation preview (streamed).
    RotateCookies,
    /// A wordlist for the audit.
    AuditWordlist,
}

impl FileUse {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            FileUse::Inspect => "Open a cookie, header or HAR file",
            FileUse::ImportKey => "Import a key from a file (.env, settings, key file)",
            FileUse::RotateCookies => "Cookies to check (text, HAR, cookies.txt or CSV)",
            FileUse::AuditWordlist => "Add a wordlist",
        }
    }
}

/// Asks the user for a file. Runs on a worker thread (a native dialog blocks until answered);
/// `None` is "cancelled" or "no dialog available".
pub type FilePicker = Arc<dyn Fn(FileUse) -> Option<PathBuf> + Send + Sync>;

/// Largest file opened in the inspector or dropped on the window (a HAR of a long session is a
/// few MB).
pub const MAX_OPEN: u64 = 64 * 1024 * 1024;
/// Largest key / .env / settings file imported.
pub const MAX_KEY_FILE: u64 = 1024 * 1024;

/// Reads at most `limit` bytes of a file as text (invalid UTF-8 replaced).
pub fn read_text_file(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut buf = Vec::new();
    file.take(limit).read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Which timestamp a re-signed cookie gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeChoice {
    /// The original cookie's.
    Keep,
    /// The current time.
    Now,
    /// A Unix time typed by the user.
    Custom(String),
}

/// A short message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The text (never a secret).
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
}

/// Intent from the panels.
#[derive(Debug, Clone)]
pub enum Action {
    /// The pasted text changed.
    InputChanged,
    /// Use this format instead of the detected one (`None`: detect again).
    ForceFormat(Option<&'static str>),
    /// The re-sign inputs changed.
    ResignChanged,
    /// Put a text on the clipboard; `secret` ones are cleared again after 30 s.
    Copy {
        text: String,
        secret: bool,
        what: String,
    },
    /// Switch tabs.
    SetTab(Tab),
    /// Generate a key.
    Generate { name: String, style: Style },
    /// Import the text in the import box.
    Import { name: String },
    /// Import the clipboard's text (asks the window for a paste; never shown).
    ImportFromClipboard,
    /// Open the native file dialog for this use.
    PickFile(FileUse),
    /// A file was chosen (by the dialog, or dropped) for this use.
    FileChosen(FileUse, PathBuf),
    /// Move a key one place up in a key set (towards primary).
    MoveInSet { set: String, index: usize },
    /// Take a key out of a key set (the key itself stays).
    RemoveFromSet { set: String, index: usize },
    /// Show a key's secret for a while.
    Reveal(String),
    /// Hide it again.
    Hide,
    /// Ask before removing a key.
    AskRemove(String),
    /// Remove the key the user confirmed.
    ConfirmRemove,
    /// Cancel the removal.
    CancelRemove,
    /// Show the config snippet of a key or key set.
    ShowSnippet { name: String, style: Style },
    /// Close the snippet.
    CloseSnippet,
    /// Rename a key to the name typed in the rename box.
    Rename(String),
    /// Append a key to a key set (creating the set).
    AddToSet { key: String, set: String },
    /// Dismiss the notice at this index.
    Dismiss(usize),
    /// Fill the inspector with a sample cookie.
    TrySample,
    /// Something in the Rotate tab.
    Rotate(super::rotate::RotateAction),
    /// Something in the Audit tab.
    Audit(super::audit::AuditAction),
}

/// Pastes larger than this are inspected off the UI thread, and shown in the input field only as
/// a summary (laying out megabytes of text every frame would freeze the window by itself).
pub const BACKGROUND_OVER: usize = 64 * 1024;

/// The inspector: the paste and what the core made of it.
#[derive(Default)]
pub struct InspectState {
    /// The pasted text (a credential: never persisted).
    pub input: String,
    /// A format the user picked over the detected one.
    pub forced: Option<&'static str>,
    /// The result for `input`.
    pub result: Option<Inspection>,
    /// A large paste being inspected in the background, and since when.
    pub pending: Option<(mpsc::Receiver<Option<Inspection>>, Instant)>,
}

/// The re-sign editor.
pub struct ResignState {
    /// The payload being edited, as JSON text.
    pub payload_text: String,
    /// The same payload parsed, for the tree editor (`None` while the text is not JSON).
    pub tree: Option<Value>,
    /// Index into the loaded keys of the key to sign with.
    pub key: Option<usize>,
    /// Which timestamp to use.
    pub time: TimeChoice,
    /// The new cookie, or why there is none.
    pub output: Result<String, String>,
    /// What verifying the new cookie said: whether it verifies, and the sentence.
    pub check: Option<(bool, String)>,
}

impl Default for ResignState {
    fn default() -> Self {
        Self {
            payload_text: String::new(),
            tree: None,
            key: None,
            time: TimeChoice::Keep,
            output: Err(String::new()),
            check: None,
        }
    }
}

/// The keys tab's forms.
pub struct KeysState {
    /// Name for a new key.
    pub new_name: String,
    /// Style for a new key.
    pub new_style: Style,
    /// Name for an imported key.
    pub import_name: String,
    /// Pasted key material or a .env / settings file's text (masked in the UI).
    pub import_text: String,
    /// A revealed secret and when it hides again.
    pub revealed: Option<(String, Secret, Instant)>,
    /// The key waiting for removal confirmation.
    pub confirm_remove: Option<String>,
    /// An open snippet: title and text (holds secrets; never persisted).
    pub snippet: Option<(String, String)>,
    /// The new name typed for a key.
    pub rename_to: String,
    /// A key set name typed to add a key to.
    pub set_name: String,
    /// The next paste is a key to import (the user asked to import from the clipboard).
    pub awaiting_paste: bool,
}

impl Default for KeysState {
    fn default() -> Self {
        Self {
            new_name: String::new(),
            new_style: Style::Flask,
            import_name: String::new(),
            import_text: String::new(),
            revealed: None,
            confirm_remove: None,
            snippet: None,
            rename_to: String::new(),
            set_name: String::new(),
            awaiting_paste: false,
        }
    }
}

/// How long a revealed secret stays visible.
pub const REVEAL_FOR: Duration = Duration::from_secs(20);
/// How long a copied secret stays on the clipboard.
pub const CLIPBOARD_FOR: Duration = Duration::from_secs(30);

/// The whole app.
pub struct SignetApp {
    /// Remembered preferences.
    pub prefs: Prefs,
    /// The key store.
    pub store: KeyStore,
    /// Whether the store is the OS keyring (false: memory, e.g. no keyring or demo).
    pub store_is_os: bool,
    /// Key metadata, for the panels.
    pub keys: Vec<KeyMeta>,
    /// Key sets, for the panels.
    pub sets: Vec<KeySet>,
    /// Every stored key with its secret, tried on every paste.
    pub loaded: Vec<LoadedKey>,
    /// How strong each stored key is (by name; never a secret).
    pub ratings: Vec<(String, core::audit::Rating)>,
    /// The inspector.
    pub inspect: InspectState,
    /// The re-sign editor.
    pub resign: ResignState,
    /// The keys tab.
    pub keys_state: KeysState,
    /// The Rotate tab.
    pub rotate: super::rotate::RotateState,
    /// The Audit tab.
    pub audit: super::audit::AuditState,
    /// Status-line messages.
    pub notices: Vec<Notice>,
    /// A copied secret to clear from the clipboard, and when.
    pub clipboard_clear: Option<(Instant, String)>,
    /// Text the window must put on the clipboard this frame.
    pub pending_copy: Option<String>,
    /// A copied secret whose time is up: cleared if the clipboard still holds it.
    pub pending_clear: Option<String>,
    /// The clock (Unix seconds); replaced in tests.
    pub clock: fn() -> i64,
    /// The file dialog; replaced in tests.
    pub picker: FilePicker,
    /// Verifiers prepared for the stored keys (dropped when the keys change; shared with
    /// background inspections).
    pub verifiers: Arc<core::VerifierCache>,
    /// An open file dialog's answer, when it comes.
    pub file_dialog: Option<mpsc::Receiver<(FileUse, Option<PathBuf>)>>,
    /// The window must ask the system for the clipboard's text (a paste event follows).
    pub pending_paste: bool,
}

/// The native dialog (XDG desktop portal). Without a portal it returns `None` at once.
pub fn native_picker() -> FilePicker {
    Arc::new(|purpose: FileUse| {
        rfd::FileDialog::new()
            .set_title(purpose.title())
            .pick_file()
    })
}

fn system_clock() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Sample cookies for the empty state and the demo, with the keys that sign them.
pub fn samples() -> Vec<(&'static str, Style, &'static str, String)> {
    let now = system_clock();
    let sign = |format: &str, payload: Value, key: &str, params: FormatParams, ts: i64| {
        core::format_by_id(format)
            .and_then(|f| f.sign(&payload, &Secret::from_text(key), &params, ts).ok())
            .unwrap_or_default()
    };
    vec![
        (
            "shop-2026",
            Style::Flask,
            "demo-flask-primary-5f1c2e9a7b3d4c60",
            format!(
                "session={}",
                sign(
                    "flask",
                    serde_json::json!({"_fresh": true, "_user_id": "42", "cart": [{" t": ["sku-1", 2]}], "csrf_token": "8c1f2d", "role": "customer"}),
                    "demo-flask-primary-5f1c2e9a7b3d4c60",
                    FormatParams::default(),
                    now - 3 * 3600,
                )
            ),
        ),
        (
            "shop-2025",
            Style::Flask,
            "demo-flask-fallback-2025-a1b2c3d4e5",
            format!(
                "session={}",
                sign(
                    "flask",
                    serde_json::json!({"_user_id": "7", "role": "admin"}),
                    "demo-flask-fallback-2025-a1b2c3d4e5",
                    FormatParams::default(),
                    now - 9 * 86_400,
                )
            ),
        ),
        (
            "blog-django",
            Style::Django,
            "demo-django-k3y-9x!m@q#z$w%e^r&t*y(u)",
            format!(
                "sessionid={}",
                sign(
                    "django-session",
                    serde_json::json!({"_auth_user_id": "3", "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"}),
                    "demo-django-k3y-9x!m@q#z$w%e^r&t*y(u)",
                    FormatParams::default(),
                    now - 600,
                )
            ),
        ),
        (
            "api-jwt",
            Style::Jwt,
            "demo-jwt-secret-that-is-32-bytes-long!!",
            sign(
                "jwt",
                serde_json::json!({"sub": "ada", "iat": now - 60, "exp": now + 3600, "scope": "orders:read"}),
                "demo-jwt-secret-that-is-32-bytes-long!!",
                FormatParams::default(),
                now,
            ),
        ),
    ]
}

impl SignetApp {
    /// An app over `store` (`store_is_os`: the OS keyring), with preferences.
    pub fn new(prefs: Prefs, store: KeyStore, store_is_os: bool) -> Self {
        let mut app = Self {
            prefs,
            store,
            store_is_os,
            keys: Vec::new(),
            sets: Vec::new(),
            loaded: Vec::new(),
            ratings: Vec::new(),
            inspect: InspectState::default(),
            resign: ResignState::default(),
            keys_state: KeysState::default(),
            rotate: super::rotate::RotateState::default(),
            audit: super::audit::AuditState::default(),
            notices: Vec::new(),
            clipboard_clear: None,
            pending_copy: None,
            pending_clear: None,
            clock: system_clock,
            picker: native_picker(),
            verifiers: Arc::default(),
            file_dialog: None,
            pending_paste: false,
        };
        app.reload_keys();
        app
    }

    /// The demo: an in-memory store with sample keys and a Flask cookie pasted.
    pub fn demo() -> Self {
        let mut app = Self::new(Prefs::default(), KeyStore::memory(), false);
        let now = (app.clock)();
        for (name, style, secret, _) in samples() {
            let _ = app.store.add(
                name,
                &Secret::from_text(secret),
                style,
                "demo key",
                now - 40 * 86_400,
            );
        }
        let _ = app
            .store
            .define_set("shop-prod", &["shop-2026".into(), "shop-2025".into()]);
        let _ = app.store.add(
            "shop-2027",
            &Secret::from_text("demo-flask-next-2027-c0ffee"),
            Style::Flask,
            "demo key",
            now - 86_400,
        );
        app.reload_keys();
        app.inspect.input = samples().first().map(|s| s.3.clone()).unwrap_or_default();
        app.apply(Action::InputChanged);
        // A rotation to preview: shop-2027 becomes primary, shop-2026 a fallback, shop-2025 goes.
        app.apply(Action::Rotate(super::rotate::RotateAction::PickCurrent(
            "shop-prod".into(),
        )));
        app.rotate.proposed = vec!["shop-2027".into(), "shop-2026".into()];
        let keys = [
            "demo-flask-primary-5f1c2e9a7b3d4c60",
            "demo-flask-primary-5f1c2e9a7b3d4c60",
            "demo-flask-fallback-2025-a1b2c3d4e5",
            "a-key-nobody-has",
        ];
        let mut batch = String::new();
        if let Some(flask) = core::format_by_id("flask") {
            for i in 0..240_i64 {
                let key = keys[(i as usize * 7) % keys.len()];
                let age = (i * 9_973) % (40 * 86_400);
                let payload = serde_json::json!({"_user_id": i.to_string()});
                if let Ok(cookie) = flask.sign(
                    &payload,
                    &Secret::from_text(key),
                    &FormatParams::default(),
                    now - age,
                ) {
                    batch.push_str(&format!("session={cookie}\n"));
                }
            }
        }
        app.rotate.batch = batch;
        app.apply(Action::Rotate(super::rotate::RotateAction::Run));
        // Audit: a Flask cookie signed with a tutorial key, found on the built-in list.
        if let Some(Ok(cookie)) = core::format_by_id("flask").map(|f| {
            f.sign(
                &serde_json::json!({"_user_id": "1", "is_admin": false}),
                &Secret::from_text("change-me"),
                &FormatParams::default(),
                now - 3_600,
            )
        }) {
            app.audit.cookie = format!("session={cookie}");
            app.apply(Action::Audit(super::audit::AuditAction::Run));
        }
        app
    }

    /// Re-reads the key list and secrets from the store.
    pub fn reload_keys(&mut self) {
        // Derived keys of the old list go with it.
        self.verifiers.clear();
        match self.store.index() {
            Ok(index) => {
                self.keys = index.keys;
                self.sets = index.sets;
            }
            Err(e) => self.error(e.to_string()),
        }
        match self.store.load_all() {
            Ok((loaded, problems)) => {
                self.loaded = loaded;
                for p in problems {
                    self.error(p.to_string());
                }
            }
            Err(e) => {
                self.loaded.clear();
                self.error(e.to_string());
            }
        }
        // The Keys tab's strength badges (the built-in list only; wordlists: `signet audit --stored`).
        let listed = crate::keys::rating::on_builtin_list(&self.loaded);
        let ratings =
            crate::keys::rating::rate_stored(&self.loaded, &self.sets, &listed, (self.clock)());
        self.ratings = self
            .loaded
            .iter()
            .map(|k| k.meta.name.clone())
            .zip(ratings)
            .collect();
    }

    /// The strength rating of a stored key, by name.
    pub fn rating(&self, name: &str) -> Option<&core::audit::Rating> {
        self.ratings.iter().find(|(n, _)| n == name).map(|(_, r)| r)
    }

    fn info(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            text: text.into(),
            is_error: false,
        });
        if self.notices.len() > 5 {
            self.notices.remove(0);
        }
    }

    fn error(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            text: text.into(),
            is_error: true,
        });
        if self.notices.len() > 5 {
            self.notices.remove(0);
        }
    }

    /// The name of the loaded key at `index`.
    pub fn key_name(&self, index: usize) -> Option<&str> {
        self.loaded.get(index).map(|k| k.meta.name.as_str())
    }

    /// The key sets a key belongs to, with its role ("primary of shop-prod").
    pub fn roles(&self, key_name: &str) -> Vec<String> {
        let Some(meta) = self.keys.iter().find(|k| k.name == key_name) else {
            return Vec::new();
        };
        self.sets
            .iter()
            .filter_map(|s| {
                let pos = s.keys.iter().position(|id| *id == meta.id)?;
                Some(if pos == 0 {
                    format!("primary of {}", s.name)
                } else {
                    format!("fallback of {}", s.name)
                })
            })
            .collect()
    }

    /// Carries out an action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::InputChanged => {
                self.inspect.forced = None;
                self.reinspect();
            }
            Action::ForceFormat(format) => {
                self.inspect.forced = format;
                self.reinspect();
            }
            Action::ResignChanged => self.resign_now(),
            Action::Copy { text, secret, what } => {
                if secret {
                    self.clipboard_clear = Some((Instant::now() + CLIPBOARD_FOR, text.clone()));
                    self.info(format!("Copied {what}. The clipboard is cleared in 30 s."));
                } else {
                    self.info(format!("Copied {what}."));
                }
                self.pending_copy = Some(text);
            }
            Action::SetTab(tab) => self.prefs.tab = tab,
            Action::Generate { name, style } => {
                let name = name.trim().to_string();
                match generate::generate(style, None)
                    .and_then(|secret| self.store.add(&name, &secret, style, "", (self.clock)()))
                {
                    Ok(meta) => {
                        self.info(format!(
                            "Generated {} ({} style, {}).",
                            meta.name, meta.style, meta.fingerprint
                        ));
                        self.keys_state.new_name.clear();
                        self.after_keys_changed();
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            Action::Import { name } => {
                let text =
                    zeroize::Zeroizing::new(std::mem::take(&mut self.keys_state.import_text));
                self.import_key(&name, &text, "the pasted text");
            }
            Action::ImportFromClipboard => {
                self.keys_state.awaiting_paste = true;
                self.pending_paste = true;
            }
            Action::PickFile(purpose) => self.pick_file(purpose),
            Action::FileChosen(purpose, path) => self.open_file(purpose, &path),
            Action::MoveInSet { set, index } => {
                let mut members = self.set_members(&set);
                if index > 0 && index < members.len() {
                    members.swap(index - 1, index);
                    self.redefine_set(&set, &members);
                }
            }
            Action::RemoveFromSet { set, index } => {
                let mut members = self.set_members(&set);
                if index < members.len() {
                    let key = members.remove(index);
                    if members.is_empty() {
                        match self.store.remove_set(&set) {
                            Ok(()) => {
                                self.info(format!("Removed {key} from {set}; the set is gone."));
                                self.after_keys_changed();
                            }
                            Err(e) => self.error(e.to_string()),
                        }
                    } else {
                        self.redefine_set(&set, &members);
                    }
                }
            }
            Action::Reveal(name) => match self.store.load(&name) {
                Ok(k) => {
                    self.keys_state.revealed = Some((name, k.secret, Instant::now() + REVEAL_FOR))
                }
                Err(e) => self.error(e.to_string()),
            },
            Action::Hide => self.keys_state.revealed = None,
            Action::AskRemove(name) => self.keys_state.confirm_remove = Some(name),
            Action::CancelRemove => self.keys_state.confirm_remove = None,
            Action::ConfirmRemove => {
                if let Some(name) = self.keys_state.confirm_remove.take() {
                    match self.store.remove(&name) {
                        Ok(meta) => {
                            self.info(format!("Removed {} ({}).", meta.name, meta.fingerprint));
                            self.after_keys_changed();
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
            Action::ShowSnippet { name, style } => {
                let keys = if self.sets.iter().any(|s| s.name == name) {
                    self.store.load_set(&name)
                } else {
                    self.store.load(&name).map(|k| vec![k])
                };
                match keys.and_then(|keys| match keys.split_first() {
                    Some((p, rest)) => {
                        let fallbacks: Vec<Secret> =
                            rest.iter().map(|k| k.secret.clone()).collect();
                        generate::snippet(style, &p.secret, &fallbacks)
                    }
                    None => Ok(String::new()),
                }) {
                    Ok(text) => self.keys_state.snippet = Some((format!("{name} · {style}"), text)),
                    Err(e) => self.error(e.to_string()),
                }
            }
            Action::CloseSnippet => self.keys_state.snippet = None,
            Action::Rename(name) => {
                let new_name = self.keys_state.rename_to.trim().to_string();
                match self.store.rename(&name, &new_name) {
                    Ok(meta) => {
                        self.info(format!("Renamed {name} to {}.", meta.name));
                        self.keys_state.rename_to.clear();
                        self.after_keys_changed();
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            Action::AddToSet { key, set } => {
                let set = set.trim().to_string();
                let mut members = self.set_members(&set);
                if !members.contains(&key) {
                    members.push(key);
                }
                match self.store.define_set(&set, &members) {
                    Ok(_) => {
                        self.info(format!("{set}: {}", members.join(", then ")));
                        self.keys_state.set_name.clear();
                        self.after_keys_changed();
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            Action::Dismiss(i) => {
                if i < self.notices.len() {
                    self.notices.remove(i);
                }
            }
            Action::Rotate(a) => self.apply_rotate(a),
            Action::Audit(a) => self.apply_audit(a),
            Action::TrySample => {
                self.inspect.input = samples().first().map(|s| s.3.clone()).unwrap_or_default();
                self.reinspect();
            }
        }
    }

    /// Stores a key from pasted text, a file's or the clipboard's (key material or a `.env` /
    /// settings text); `from` names where it came from in the notice.
    pub fn import_key(&mut self, name: &str, text: &str, from: &str) {
        let name = name.trim().to_string();
        if name.is_empty() {
            self.error("Type a name for the imported key first.");
            return;
        }
        match import::parse(text, None) {
            import::Parsed::One(secret, style, found) => {
                match self.store.add(
                    &name,
                    &secret,
                    style.unwrap_or(Style::Imported),
                    "",
                    (self.clock)(),
                ) {
                    Ok(meta) => {
                        self.info(format!(
                            "Imported {} from {from} ({found}, {}).",
                            meta.name, meta.fingerprint
                        ));
                        self.keys_state.import_name.clear();
                        self.after_keys_changed();
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            import::Parsed::Several(vars) => self.error(format!(
                "{from} assigns several keys ({}): import just one.",
                vars.join(", ")
            )),
            import::Parsed::Nothing(why) => self.error(format!("Nothing to import: {why}.")),
        }
    }

    /// Opens the file dialog on a worker thread (it blocks until the user answers).
    fn pick_file(&mut self, purpose: FileUse) {
        if self.file_dialog.is_some() {
            return;
        }
        let (tx, rx) = mpsc::channel();
        let picker = self.picker.clone();
        let spawned = std::thread::Builder::new()
            .name("signet-file-dialog".into())
            .spawn(move || {
                let _ = tx.send((purpose, picker(purpose)));
            });
        match spawned {
            Ok(_) => self.file_dialog = Some(rx),
            Err(e) => self.error(format!("could not open the file dialog: {e}")),
        }
    }

    /// Collects the file dialog's answer. Returns whether it is still open.
    pub fn poll_file_dialog(&mut self) -> bool {
        let Some(rx) = &self.file_dialog else {
            return false;
        };
        match rx.try_recv() {
            Ok((purpose, path)) => {
                self.file_dialog = None;
                if let Some(path) = path {
                    self.open_file(purpose, &path);
                }
                false
            }
            Err(mpsc::TryRecvError::Empty) => true,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.file_dialog = None;
                false
            }
        }
    }

    /// Uses a chosen file.
    pub fn open_file(&mut self, purpose: FileUse, path: &Path) {
        let shown = path.display().to_string();
        match purpose {
            FileUse::Inspect => match read_text_file(path, MAX_OPEN) {
                Ok(text) => {
                    self.prefs.tab = Tab::Inspect;
                    self.inspect.input = text;
                    self.apply(Action::InputChanged);
                }
                Err(e) => self.error(format!("cannot read {shown}: {e}")),
            },
            FileUse::ImportKey => {
                use std::io::Read as _;
                let read = std::fs::File::open(path).and_then(|f| {
                    let mut buf = zeroize::Zeroizing::new(Vec::new());
                    f.take(MAX_KEY_FILE + 1).read_to_end(&mut buf)?;
                    Ok(buf)
                });
                match read {
                    Ok(bytes) if bytes.len() as u64 > MAX_KEY_FILE => {
                        self.error(format!("{shown} is over 1 MiB: not a key file."));
                    }
                    Ok(bytes) => match std::str::from_utf8(&bytes) {
                        Ok(text) => {
                            if self.keys_state.import_name.trim().is_empty() {
                                self.keys_state.import_name = path
                                    .file_stem()
                                    .map(|s| s.to_string_lossy().trim_start_matches('.').to_string())
                                    .filter(|s| !s.is_empty())
                                    .unwrap_or_else(|| "imported".into());
                            }
                            let name = self.keys_state.import_name.clone();
                            self.import_key(&name, text, &shown);
                        }
                        Err(_) => self.error(format!(
                            "{shown} is not text: import a binary key with `signet keys import --hex` or as base64."
                        )),
                    },
                    Err(e) => self.error(format!("cannot read {shown}: {e}")),
                }
            }
            FileUse::RotateCookies => match std::fs::metadata(path) {
                Ok(m) if m.is_file() => {
                    self.prefs.tab = Tab::Rotate;
                    self.rotate.file = Some(path.to_path_buf());
                    self.rotate.file_size = m.len();
                }
                Ok(_) => self.error(format!("{shown} is not a file.")),
                Err(e) => self.error(format!("cannot read {shown}: {e}")),
            },
            FileUse::AuditWordlist => {
                let list = &mut self.audit.wordlists;
                if !list.is_empty() && !list.ends_with('\n') {
                    list.push('\n');
                }
                list.push_str(&shown);
                list.push('\n');
            }
        }
    }

    fn redefine_set(&mut self, set: &str, members: &[String]) {
        match self.store.define_set(set, members) {
            Ok(_) => {
                self.info(format!(
                    "{set}: primary {}",
                    members.join(", then fallback ")
                ));
                self.after_keys_changed();
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// The stored keys of a set, by name, primary first.
    pub fn set_members(&self, set: &str) -> Vec<String> {
        self.sets
            .iter()
            .find(|s| s.name == set)
            .map(|s| {
                s.keys
                    .iter()
                    .filter_map(|id| {
                        self.keys
                            .iter()
                            .find(|k| k.id == *id)
                            .map(|k| k.name.clone())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn secrets_of(&self, names: &[String]) -> Vec<Secret> {
        names
            .iter()
            .filter_map(|n| {
                self.loaded
                    .iter()
                    .find(|k| k.meta.name == *n)
                    .map(|k| k.secret.clone())
            })
            .collect()
    }

    fn apply_audit(&mut self, action: super::audit::AuditAction) {
        use super::audit::AuditAction as A;
        match action {
            A::UseInspected => self.audit.cookie = self.inspect.input.clone(),
            A::AddWordlist => self.pick_file(FileUse::AuditWordlist),
            A::Run => {
                if let Err(e) = self.audit.start((self.clock)()) {
                    self.error(e);
                }
            }
            A::Cancel => {
                if let Some(job) = &self.audit.job {
                    job.progress.cancel();
                }
            }
            A::ToggleReveal => self.audit.reveal = !self.audit.reveal,
            A::CopyFound => {
                let text = self
                    .audit
                    .result
                    .as_ref()
                    .and_then(|r| r.found.as_deref())
                    .map(|k| super::audit::found_text(k));
                if let Some(text) = text {
                    self.apply(Action::Copy {
                        text,
                        secret: true,
                        what: "the found key".into(),
                    });
                }
            }
        }
    }

    /// Collects a finished audit; true while one runs.
    pub fn poll_audit(&mut self) -> bool {
        match self.audit.poll() {
            Ok(running) => running,
            Err(e) => {
                self.error(e);
                false
            }
        }
    }

    fn apply_rotate(&mut self, action: super::rotate::RotateAction) {
        use super::rotate::RotateAction as R;
        match action {
            R::PickCurrent(set) => {
                self.rotate.proposed = self.set_members(&set);
                // The primary's style suggests the format (a Django key: its session cookies).
                let style = self
                    .set_members(&set)
                    .first()
                    .and_then(|n| self.keys.iter().find(|k| k.name == *n))
                    .map(|k| k.style.clone());
                let format = match style.as_deref() {
                    Some("django") => Some("django-session"),
                    Some("jwt" | "jwt-hs384" | "jwt-hs512") => Some("jwt"),
                    Some(s) => core::format_by_id(s).map(|f| f.id()),
                    None => None,
                };
                if let Some(format) = format {
                    self.rotate.format = format;
                }
                self.rotate.current_set = Some(set);
            }
            R::NewPrimary => {
                let base = self
                    .rotate
                    .current_set
                    .clone()
                    .unwrap_or_else(|| "key".into());
                let style = self
                    .rotate
                    .proposed
                    .first()
                    .and_then(|n| self.keys.iter().find(|k| k.name == *n))
                    .and_then(|k| k.style.parse::<Style>().ok())
                    .unwrap_or(Style::Flask);
                let today = core::time::format_utc((self.clock)());
                let mut name = format!("{base}-{}", today.get(..10).unwrap_or("new"));
                while self.keys.iter().any(|k| k.name == name) {
                    name.push('+');
                }
                match generate::generate(style, None).and_then(|s| {
                    self.store
                        .add(&name, &s, style, "generated for a rotation", (self.clock)())
                }) {
                    Ok(meta) => {
                        self.info(format!("Generated {} as the proposed primary.", meta.name));
                        self.reload_keys();
                        self.rotate.proposed.insert(0, meta.name);
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            R::AddProposed(name) => {
                if !self.rotate.proposed.contains(&name) {
                    self.rotate.proposed.push(name);
                }
            }
            R::RemoveProposed(i) => {
                if i < self.rotate.proposed.len() {
                    let name = self.rotate.proposed.remove(i);
                    // A key added again starts without the choices it had.
                    self.rotate.proposed_key_gen.remove(&name);
                    self.rotate.proposed_digest.remove(&name);
                }
            }
            R::MoveUp(i) => {
                if i > 0 && i < self.rotate.proposed.len() {
                    self.rotate.proposed.swap(i - 1, i);
                }
            }
            R::Run => {
                let Some(set) = self.rotate.current_set.clone() else {
                    return;
                };
                let current_names = self.set_members(&set);
                // Rails keys carry their key generator and digest; other formats ignore them. The
                // set in force has one digest, secret_key_base's (its rotations take it too).
                let rails = self.rotate.format.starts_with("rails");
                let entry = |secret: Secret, kg: Option<&str>, digest: Option<Digest>| KeyEntry {
                    secret,
                    key_derivation: kg.filter(|_| rails).map(str::to_string),
                    digest: digest.filter(|_| rails),
                };
                let current = self
                    .secrets_of(&current_names)
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let digest = self.rotate.current_digest.filter(|_| i == 0);
                        entry(s, self.rotate.current_key_gen, digest)
                    })
                    .collect();
                let proposed = self
                    .rotate
                    .proposed
                    .iter()
                    .enumerate()
                    .flat_map(|(i, name)| {
                        let kg = self.rotate.proposed_key_gen.get(name).copied();
                        // The encrypted jar: secret_key_base's digest alone (the tab shows no
                        // other).
                        let digest = self
                            .rotate
                            .proposed_digest
                            .get(name)
                            .copied()
                            .filter(|_| i == 0 || self.rotate.format == "rails-signed");
                        self.secrets_of(std::slice::from_ref(name))
                            .into_iter()
                            .map(move |s| entry(s, kg, digest))
                    })
                    .collect();
                let source = match &self.rotate.file {
                    Some(path) => super::rotate::Source::File(path.clone()),
                    None => super::rotate::Source::Text(self.rotate.batch.as_str().into()),
                };
                match super::rotate::start(
                    self.rotate.format,
                    current,
                    proposed,
                    source,
                    &self.rotate.csv_column,
                    (self.clock)(),
                    (current_names, self.rotate.proposed.clone()),
                ) {
                    Ok(job) => {
                        self.rotate.job = Some(job);
                        self.rotate.result = None;
                        self.rotate.selected = None;
                        self.rotate.selected_inspection = None;
                    }
                    Err(e) => self.error(e),
                }
            }
            R::Cancel => {
                if let Some(job) = &self.rotate.job {
                    job.progress
                        .cancel
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            R::PickFile => self.pick_file(FileUse::RotateCookies),
            R::ClearFile => self.rotate.file = None,
            R::Select(i) => {
                let Some(result) = &self.rotate.result else {
                    return;
                };
                let Some(row) = result.rows.get(i) else {
                    return;
                };
                let text = super::rotate::row_text(result, row);
                let mut names = self
                    .rotate
                    .current_set
                    .as_deref()
                    .map(|s| self.set_members(s))
                    .unwrap_or_default();
                names.extend(self.rotate.proposed.iter().cloned());
                let keys = self.secrets_of(&names);
                match text {
                    Ok(text) => {
                        let req = InspectRequest {
                            format: Some(self.rotate.format),
                            keys: &keys,
                            params: FormatParams::default(),
                        };
                        self.rotate.selected_inspection =
                            core::inspect(&text, &req, &VerifyOptions::at((self.clock)())).ok();
                        self.rotate.selected = Some(i);
                    }
                    Err(e) => self.error(e),
                }
            }
            R::Export { json } => {
                if let Some(result) = &self.rotate.result {
                    let text = super::rotate::export(result, json);
                    let what = format!(
                        "the report of {} cookies as {}",
                        result.rows.len(),
                        if json { "JSON lines" } else { "CSV" }
                    );
                    self.apply(Action::Copy {
                        text,
                        secret: false,
                        what,
                    });
                }
            }
            R::Apply => {
                let Some(set) = self.rotate.current_set.clone() else {
                    return;
                };
                match self.store.define_set(&set, &self.rotate.proposed) {
                    Ok(_) => {
                        self.info(format!(
                            "{set} is now: {}. Deploy the config from its snippet (Keys tab).",
                            self.rotate.proposed.join(", then ")
                        ));
                        self.after_keys_changed();
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
        }
    }

    /// Collects a finished rotation job. Returns whether one is still running.
    pub fn poll_rotation(&mut self) -> bool {
        let Some(job) = &self.rotate.job else {
            return false;
        };
        match job.rx.try_recv() {
            Ok(Ok(result)) => {
                self.rotate.result = Some(result);
                self.rotate.view = None;
                self.rotate.job = None;
                false
            }
            Ok(Err(e)) => {
                self.rotate.job = None;
                self.error(e);
                false
            }
            Err(mpsc::TryRecvError::Empty) => true,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.rotate.job = None;
                self.error("the rotation job stopped unexpectedly");
                false
            }
        }
    }

    fn after_keys_changed(&mut self) {
        self.reload_keys();
        self.reinspect();
    }

    /// Decodes and verifies the input against every stored key, once.
    pub fn reinspect(&mut self) {
        // A newer paste makes any inspection still running in the background moot.
        self.inspect.pending = None;
        let text = self.inspect.input.trim();
        if text.is_empty() {
            self.inspect.result = None;
            self.resign = ResignState::default();
            return;
        }
        let secrets: Vec<Secret> = self.loaded.iter().map(|k| k.secret.clone()).collect();
        let forced = self.inspect.forced;
        let opts = VerifyOptions::at((self.clock)());
        if text.len() > BACKGROUND_OVER {
            // A large paste is inspected off the UI thread; the window keeps drawing meanwhile.
            let text = text.to_string();
            let cache = self.verifiers.clone();
            let (tx, rx) = mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("signet-inspect".into())
                .spawn(move || {
                    let req = InspectRequest {
                        format: forced,
                        keys: &secrets,
                        params: FormatParams::default(),
                    };
                    let _ = tx.send(core::inspect_cached(&text, &req, &opts, &cache).ok());
                });
            match spawned {
                Ok(_) => {
                    self.inspect.result = None;
                    self.resign = ResignState::default();
                    self.inspect.pending = Some((rx, Instant::now()));
                }
                Err(e) => self.error(format!("could not start inspecting: {e}")),
            }
            return;
        }
        let req = InspectRequest {
            format: forced,
            keys: &secrets,
            params: FormatParams::default(),
        };
        let result = core::inspect_cached(text, &req, &opts, &self.verifiers).ok();
        self.inspected(result);
    }

    /// Collects a background inspection. Returns whether one is still running.
    pub fn poll_inspect(&mut self) -> bool {
        let Some((rx, _)) = &self.inspect.pending else {
            return false;
        };
        match rx.try_recv() {
            Ok(result) => {
                self.inspect.pending = None;
                self.inspected(result);
                false
            }
            Err(mpsc::TryRecvError::Empty) => true,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.inspect.pending = None;
                self.error("the inspection stopped unexpectedly");
                false
            }
        }
    }

    /// Shows an inspection's result and starts the editor from it.
    fn inspected(&mut self, result: Option<Inspection>) {
        self.inspect.result = result;
        // The editor starts from the decoded payload and the key that verified it.
        let decoded = self
            .inspect
            .result
            .as_ref()
            .and_then(|r| r.decoded.as_ref());
        self.resign.payload_text = decoded
            .and_then(|d| d.payload.as_ref().ok())
            .and_then(|p| serde_json::to_string_pretty(p).ok())
            .unwrap_or_default();
        self.resign.key = self
            .inspect
            .result
            .as_ref()
            .and_then(|r| r.verification.key_index)
            .or(if self.loaded.is_empty() {
                None
            } else {
                Some(0)
            });
        self.resign.time = TimeChoice::Keep;
        self.resign_now();
    }

    /// Re-signs the edited payload, and verifies the result with the core before showing it.
    pub fn resign_now(&mut self) {
        self.resign.check = None;
        let Some(result) = &self.inspect.result else {
            self.resign.output = Err(String::new());
            return;
        };
        let (Some(format_id), Some(decoded)) = (result.format, result.decoded.as_ref()) else {
            self.resign.output = Err("nothing to re-sign: the cookie did not decode".into());
            return;
        };
        let Some(format) = core::format_by_id(format_id) else {
            return;
        };
        let payload = match core::pyjson::parse(&self.resign.payload_text) {
            Ok(p) => p,
            Err(e) => {
                self.resign.tree = None;
                self.resign.output = Err(format!("not JSON: {e}"));
                return;
            }
        };
        self.resign.tree = Some(payload.clone());
        let Some(key) = self.resign.key.and_then(|i| self.loaded.get(i)) else {
            self.resign.output = Err("add or generate a key to sign with".into());
            return;
        };
        let now = (self.clock)();
        let timestamp = match &self.resign.time {
            TimeChoice::Keep => decoded.signed_at.unwrap_or(now),
            TimeChoice::Now => now,
            TimeChoice::Custom(text) => match text.trim().parse::<i64>() {
                Ok(t) => t,
                Err(_) => {
                    self.resign.output = Err("the custom time is not a Unix timestamp".into());
                    return;
                }
            },
        };
        let mut params = FormatParams {
            cookie_name: decoded.cookie_name.clone(),
            header: decoded.header.clone(),
            compress: decoded.compressed.then_some(true),
            ..FormatParams::default()
        };
        if format_id == "keygrip" {
            params.digest = decoded.digest;
        }
        let signed = format.sign(&payload, &key.secret, &params, timestamp);
        self.resign.output = signed.map_err(|e| e.to_string());
        if let Ok(cookie) = &self.resign.output {
            let check = format
                .decode(cookie, &params)
                .map_err(|e| e.0)
                .and_then(|d| {
                    let v = format
                        .verifier(std::slice::from_ref(&key.secret), &params)
                        .map_err(|e| e.0)?
                        .verify(
                            &d,
                            &VerifyOptions {
                                max_age: core::MaxAge::Unlimited,
                                ..VerifyOptions::at(now)
                            },
                        );
                    Ok(v.verdict)
                });
            self.resign.check = Some(match check {
                Ok(core::Verdict::Valid) => (
                    true,
                    format!("Verified: the new cookie is valid with {}", key.meta.name),
                ),
                Ok(v) => (
                    false,
                    format!("The new cookie does not verify: {}", v.status()),
                ),
                Err(e) => (false, format!("The new cookie does not decode: {e}")),
            });
        }
    }

    /// Time-based housekeeping: hide revealed secrets, clear the clipboard. Returns how long until
    /// the next thing is due (the window repaints then, and not before).
    pub fn tick(&mut self) -> Option<Duration> {
        let now = Instant::now();
        let mut next: Option<Duration> = None;
        let mut due = |at: Instant| {
            let d = at.saturating_duration_since(now);
            next = Some(next.map_or(d, |n| n.min(d)));
        };
        if let Some((_, _, until)) = &self.keys_state.revealed {
            if *until <= now {
                self.keys_state.revealed = None;
            } else {
                due(*until);
            }
        }
        if let Some((at, _)) = &self.clipboard_clear {
            if *at <= now {
                if let Some((_, copied)) = self.clipboard_clear.take() {
                    self.pending_clear = Some(copied);
                }
            } else {
                due(*at);
            }
        }
        next
    }
}
