//! The desktop window (egui/eframe): a thin layer over the core and the key store. State and
//! logic live in [`app`], drawing in [`view`]; `signet` with no command opens it.

pub mod app;
pub mod audit;
pub mod rotate;
pub mod tree_edit;
pub mod view;

use std::time::Duration;

use app::{Action, Prefs, SignetApp, Tab};

/// The application id, matching the desktop file.
pub const APP_ID: &str = "dev.signet.Signet";

/// The window's icon (256 px; the desktop installs every size).
const ICON_PNG: &[u8] =
    include_bytes!("../../assets/icon/hicolor/256x256/apps/dev.signet.Signet.png");

/// How the window is started.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Sample cookies and throwaway in-memory keys.
    pub demo: bool,
    /// Keep keys in memory only (`--keyring memory`).
    pub memory_store: bool,
    /// The tab to open on (screenshots, demos).
    pub tab: Option<Tab>,
}

impl SignetApp {
    /// One frame: input handling, panels, then the actions they asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();
        self.global_input(&ctx, &mut actions);
        egui::Panel::top("top").show(ui, |ui| view::top_bar_ui(ui, self, &mut actions));
        egui::Panel::bottom("status")
            .show(ui, |ui| view::notices_ui(ui, &self.notices, &mut actions));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("main")
                .show(ui, |ui| match self.prefs.tab {
                    Tab::Inspect => view::inspect_ui(ui, self, &mut actions),
                    Tab::Rotate => {
                        let key_names: Vec<String> =
                            self.keys.iter().map(|k| k.name.clone()).collect();
                        let set_names: Vec<String> =
                            self.sets.iter().map(|s| s.name.clone()).collect();
                        let mut st = std::mem::take(&mut self.rotate);
                        let mut rotate_actions = Vec::new();
                        {
                            let members = |set: &str| self.set_members(set);
                            rotate::rotate_ui(
                                ui,
                                &mut st,
                                &key_names,
                                &set_names,
                                &members,
                                &mut rotate_actions,
                            );
                        }
                        self.rotate = st;
                        actions.extend(rotate_actions.into_iter().map(Action::Rotate));
                    }
                    Tab::Keys => view::keys_ui(ui, self, &mut actions),
                    Tab::Audit => {
                        let mut audit_actions = Vec::new();
                        let has_inspected = !self.inspect.input.trim().is_empty();
                        audit::audit_ui(ui, &mut self.audit, has_inspected, &mut audit_actions);
                        actions.extend(audit_actions.into_iter().map(Action::Audit));
                    }
                });
        });
        view::dialogs_ui(&ctx, self, &mut actions);
        for action in actions {
            self.apply(action);
        }
        if let Some(text) = self.pending_copy.take() {
            ctx.copy_text(text);
        }
        if std::mem::take(&mut self.pending_paste) {
            // The system answers with a paste event next frame (see `global_input`).
            ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
        }
        if let Some(copied) = self.pending_clear.take() {
            clear_clipboard_if_still(&copied);
        }
        let auditing = self.poll_audit();
        let choosing = self.poll_file_dialog();
        let inspecting = self.poll_inspect();
        if self.poll_rotation() || auditing || choosing || inspecting {
            // A job is running: refresh its progress bar a few times a second.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        // Idle means no work: repaint only when something time-based is due.
        if let Some(due) = self.tick() {
            ctx.request_repaint_after(due + Duration::from_millis(50));
        }
    }

    /// Ctrl+V anywhere, keyboard shortcuts, dropped files.
    fn global_input(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        // A revealed secret is masked again as soon as the window loses focus.
        if self.keys_state.revealed.is_some() && !ctx.input(|i| i.focused) {
            actions.push(Action::Hide);
        }
        let awaiting = self.keys_state.awaiting_paste;
        let typing = ctx.memory(|m| m.focused().is_some()) && !awaiting;
        let (pasted, dropped, tab1, tab2, tab3, tab4, copy) = ctx.input(|i| {
            let pasted = i.events.iter().find_map(|e| match e {
                egui::Event::Paste(text) if !typing => Some(text.clone()),
                _ => None,
            });
            (
                pasted,
                i.raw.dropped_files.clone(),
                i.modifiers.command && i.key_pressed(egui::Key::Num1),
                i.modifiers.command && i.key_pressed(egui::Key::Num2),
                i.modifiers.command && i.key_pressed(egui::Key::Num3),
                i.modifiers.command && i.key_pressed(egui::Key::Num4),
                i.modifiers.command && i.modifiers.shift && i.key_pressed(egui::Key::C),
            )
        });
        if let Some(text) = pasted {
            if awaiting {
                // "Import from clipboard": the text goes straight to the store, never on screen.
                self.keys_state.awaiting_paste = false;
                let text = zeroize::Zeroizing::new(text);
                let name = self.keys_state.import_name.clone();
                self.import_key(&name, &text, "the clipboard");
                return;
            }
            if self.prefs.tab == Tab::Rotate {
                self.rotate.batch.push_str(&text);
                self.rotate.batch.push('\n');
            } else if self.prefs.tab == Tab::Audit {
                self.audit.cookie = text;
            } else {
                self.prefs.tab = Tab::Inspect;
                self.inspect.input = text;
                actions.push(Action::InputChanged);
            }
        }
        for file in dropped {
            // A file dropped on the Rotate tab is streamed from disk, however large.
            if self.prefs.tab == Tab::Rotate && file.path().is_file() {
                actions.push(Action::FileChosen(
                    app::FileUse::RotateCookies,
                    file.path().to_path_buf(),
                ));
                continue;
            }
            let text = read_dropped(file.path()).or_else(|| {
                file.bytes()
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            });
            if let Some(text) = text {
                if self.prefs.tab == Tab::Rotate {
                    self.rotate.batch = text;
                } else {
                    self.prefs.tab = Tab::Inspect;
                    self.inspect.input = text;
                    actions.push(Action::InputChanged);
                }
            }
        }
        if tab1 {
            actions.push(Action::SetTab(Tab::Inspect));
        }
        if tab2 {
            actions.push(Action::SetTab(Tab::Rotate));
        }
        if tab3 {
            actions.push(Action::SetTab(Tab::Keys));
        }
        if tab4 {
            actions.push(Action::SetTab(Tab::Audit));
        }
        if copy && let Ok(cookie) = &self.resign.output {
            actions.push(Action::Copy {
                text: cookie.clone(),
                secret: false,
                what: "the re-signed cookie".into(),
            });
        }
    }
}

fn read_dropped(path: &std::path::Path) -> Option<String> {
    app::read_text_file(path, app::MAX_OPEN).ok()
}

/// Clears the clipboard if it still holds `copied` (the user may have copied something else since).
fn clear_clipboard_if_still(copied: &str) {
    if let Ok(mut clipboard) = arboard::Clipboard::new()
        && clipboard.get_text().is_ok_and(|now| now == copied)
    {
        let _ = clipboard.clear();
    }
}

/// The eframe wrapper: persistence of preferences only.
struct Window {
    app: SignetApp,
}

impl eframe::App for Window {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // Preferences only: never the pasted cookie, payloads or secrets.
        eframe::set_value(storage, eframe::APP_KEY, &self.app.prefs);
    }
}

/// Opens the window and runs until it is closed.
pub fn run(options: RunOptions) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default();
    // The same icon the desktop file names (assets/icon, rendered by packaging/make-icons.sh).
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(std::sync::Arc::new(icon)),
        Err(e) => eprintln!("signet: the window icon did not load: {e}"),
    }
    let native = eframe::NativeOptions {
        viewport: viewport
            .with_title("Signet")
            .with_app_id(APP_ID)
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Signet",
        native,
        Box::new(move |cc| {
            let mut prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            if let Some(tab) = options.tab {
                prefs.tab = tab;
            }
            let mut app = if options.demo {
                SignetApp::demo()
            } else if options.memory_store {
                SignetApp::new(prefs.clone(), crate::keys::KeyStore::memory(), false)
            } else {
                match crate::keys::KeyStore::open_os(None) {
                    Ok(store) => SignetApp::new(prefs.clone(), store, true),
                    Err(e) => {
                        let mut app =
                            SignetApp::new(prefs.clone(), crate::keys::KeyStore::memory(), false);
                        app.notices.push(app::Notice {
                            text: format!("{e}. Keys you add now are kept in memory only."),
                            is_error: true,
                        });
                        app
                    }
                }
            };
            app.prefs.tab = prefs.tab;
            Ok(Box::new(Window { app }))
        }),
    );
    result.map_err(|e| anyhow::anyhow!("the window could not open: {e}"))
}
