//! The Audit tab: can a cookie's key be guessed? The built-in list of well-known secrets and the
//! user's wordlists run through [`crate::jobs::audit`] on a worker thread (every core) with a
//! progress bar, rate, ETA and cancel; the UI thread only polls. A found key is masked until
//! revealed and never persisted.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use egui::{Color32, RichText, Ui};
use zeroize::Zeroizing;

use crate::core::FormatParams;
use crate::core::audit::{BUILTIN, Target};
use crate::jobs::audit::{self as job, Progress};

/// A running audit.
pub struct Job {
    /// Counters and the cancel switch.
    pub progress: Arc<Progress>,
    /// When it started.
    pub started: Instant,
    /// The format being attacked.
    pub format: &'static str,
    /// Whether the allocation-free inner loop serves it.
    pub fast: bool,
    /// The answer, once finished.
    pub rx: mpsc::Receiver<Result<job::Outcome, String>>,
}

/// A finished audit.
pub struct AuditResult {
    /// The key, if found (wiped on drop).
    pub found: Option<Zeroizing<Vec<u8>>>,
    /// Candidates tried.
    pub tried: u64,
    /// Wall time.
    pub seconds: f64,
    /// Stopped by the user.
    pub cancelled: bool,
    /// The format attacked.
    pub format: &'static str,
}

/// The tab's state (none of it persisted: the cookie and a found key are credentials).
#[derive(Default)]
pub struct AuditState {
    /// The cookie to attack (any paste form).
    pub cookie: String,
    /// Wordlist paths, one per line.
    pub wordlists: String,
    /// Also try case variants and common suffixes.
    pub mutate: bool,
    /// The running job.
    pub job: Option<Job>,
    /// The last result.
    pub result: Option<AuditResult>,
    /// Show the found key.
    pub reveal: bool,
}

/// What the tab asks the app to do.
#[derive(Debug, Clone)]
pub enum AuditAction {
    /// Take the cookie from the inspector.
    UseInspected,
    /// Start.
    Run,
    /// Stop the running audit.
    Cancel,
    /// Show or hide the found key.
    ToggleReveal,
    /// Copy the found key (cleared from the clipboard again after 30 s).
    CopyFound,
    /// Add a wordlist through the native file dialog.
    AddWordlist,
}

impl AuditState {
    /// Starts an audit of `self.cookie` (the format detected), or says why it cannot.
    pub fn start(&mut self, now: i64) -> Result<(), String> {
        if self.job.is_some() {
            return Err("an audit is already running".into());
        }
        let target = Target::new(&self.cookie, None, FormatParams::default(), now)
            .map_err(|e| format!("cannot audit this cookie: {e}"))?;
        let wordlists: Vec<PathBuf> = self
            .wordlists
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
        for path in &wordlists {
            std::fs::File::open(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        }
        let opts = job::Options {
            wordlists,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            mutate: self.mutate,
        };
        let progress = Arc::new(Progress::default());
        let (tx, rx) = mpsc::channel();
        let format = target.format().id();
        let fast = target.is_fast();
        let p = Arc::clone(&progress);
        std::thread::Builder::new()
            .name("signet-audit".into())
            .spawn(move || {
                let outcome = job::run(&target, &opts, &p, |_| {}).map_err(|e| e.to_string());
                let _ = tx.send(outcome);
            })
            .map_err(|e| format!("could not start the worker: {e}"))?;
        self.result = None;
        self.reveal = false;
        self.job = Some(Job {
            progress,
            started: Instant::now(),
            format,
            fast,
            rx,
        });
        Ok(())
    }

    /// Collects a finished job. `Ok(true)` while one is still running.
    pub fn poll(&mut self) -> Result<bool, String> {
        let Some(job) = &self.job else {
            return Ok(false);
        };
        match job.rx.try_recv() {
            Ok(Ok(outcome)) => {
                self.result = Some(AuditResult {
                    found: outcome.found,
                    tried: outcome.tried,
                    seconds: outcome.seconds,
                    cancelled: outcome.cancelled,
                    format: job.format,
                });
                self.job = None;
                Ok(false)
            }
            Ok(Err(e)) => {
                self.job = None;
                Err(e)
            }
            Err(mpsc::TryRecvError::Empty) => Ok(true),
            Err(mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                Err("the audit stopped unexpectedly".into())
            }
        }
    }
}

/// The found key as text (lossy for bytes that are not UTF-8).
pub fn found_text(found: &[u8]) -> String {
    match std::str::from_utf8(found) {
        Ok(t) => t.to_string(),
        Err(_) => found.iter().map(|b| format!("\\x{b:02x}")).collect(),
    }
}

/// Draws the tab.
pub fn audit_ui(ui: &mut Ui, st: &mut AuditState, has_inspected: bool, out: &mut Vec<AuditAction>) {
    ui.heading("Audit a cookie's key");
    ui.label(format!(
        "Tries the {} well-known secrets Signet ships (documentation examples, tutorial keys, \
         defaults) and then your wordlists, on every core, and stops at the first key that signed \
         the cookie.",
        BUILTIN.len()
    ));
    ui.add_space(6.0);
    let cookie_label = ui.horizontal(|ui| {
        let label = ui.label("Cookie to audit");
        if ui
            .add_enabled(has_inspected, egui::Button::new("Use the inspected cookie"))
            .clicked()
        {
            out.push(AuditAction::UseInspected);
        }
        label.id
    });
    ui.add(
        egui::TextEdit::multiline(&mut st.cookie)
            .id_salt("audit-cookie")
            .hint_text("session=eyJ1c2VyIjoiYWRhIn0.ZxY1aQ.…")
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .font(egui::TextStyle::Monospace),
    )
    .labelled_by(cookie_label.inner);
    let lists_label = ui
        .horizontal(|ui| {
            let label = ui.label(
                "Wordlists: one path per line (each line of a list is a candidate, any bytes)",
            );
            if ui.small_button("Add a wordlist…").clicked() {
                out.push(AuditAction::AddWordlist);
            }
            label
        })
        .inner;
    ui.add(
        egui::TextEdit::multiline(&mut st.wordlists)
            .id_salt("audit-wordlists")
            .hint_text("/usr/share/wordlists/flask-unsign.txt")
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .font(egui::TextStyle::Monospace),
    )
    .labelled_by(lists_label.id);
    ui.checkbox(
        &mut st.mutate,
        "Also try variants (lower/upper/capitalised, suffixes 1, 123, !, 2024-2026)",
    );
    ui.add_space(4.0);
    let running = st.job.is_some();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !running && !st.cookie.trim().is_empty(),
                egui::Button::new("Run audit"),
            )
            .clicked()
        {
            out.push(AuditAction::Run);
        }
        if ui
            .add_enabled(running, egui::Button::new("Cancel"))
            .clicked()
        {
            out.push(AuditAction::Cancel);
        }
    });
    if let Some(job) = &st.job {
        let tried = job.progress.tried();
        let secs = job.started.elapsed().as_secs_f64().max(1e-3);
        let rate = tried as f64 / secs;
        let (text, fraction) = match job.progress.fraction() {
            Some(f) if f > 0.0 => (
                format!(
                    "{tried} tried · {rate:.0}/s · {:.0}% of the wordlists · about {:.0} s left",
                    f * 100.0,
                    secs * (1.0 - f) / f
                ),
                f as f32,
            ),
            _ => (format!("{tried} tried · {rate:.0}/s"), 0.0),
        };
        ui.add(egui::ProgressBar::new(fraction).text(text));
        if !job.fast {
            ui.label(
                RichText::new(format!(
                    "{}: each candidate goes through the full verifier (key derivation per \
                     candidate), slower than the itsdangerous family's prepared check.",
                    job.format
                ))
                .weak(),
            );
        }
    }
    if let Some(r) = &st.result {
        ui.add_space(8.0);
        let rate = r.tried as f64 / r.seconds.max(1e-9);
        match &r.found {
            Some(key) => {
                ui.label(
                    RichText::new(format!(
                        "Key found: anyone can forge {} cookies with it. Rotate it.",
                        r.format
                    ))
                    .strong()
                    .color(Color32::from_rgb(0xd9, 0x48, 0x3b)),
                );
                ui.horizontal(|ui| {
                    let shown = if st.reveal {
                        found_text(key)
                    } else {
                        "•".repeat(found_text(key).chars().count().clamp(8, 32))
                    };
                    ui.label(RichText::new(shown).monospace());
                    if ui
                        .button(if st.reveal { "Hide" } else { "Reveal" })
                        .clicked()
                    {
                        out.push(AuditAction::ToggleReveal);
                    }
                    if ui.button("Copy").clicked() {
                        out.push(AuditAction::CopyFound);
                    }
                });
                ui.label(
                    RichText::new(format!(
                        "after {} candidates in {:.2} s",
                        r.tried, r.seconds
                    ))
                    .weak(),
                );
            }
            None if r.cancelled => {
                ui.label(format!(
                    "Cancelled after {} candidates ({:.2} s, {rate:.0}/s): no key found so far.",
                    r.tried, r.seconds
                ));
            }
            None => {
                ui.label(
                    RichText::new(format!(
                        "Not found in {} candidates ({:.2} s, {rate:.0}/s).",
                        r.tried, r.seconds
                    ))
                    .color(Color32::from_rgb(0x2e, 0x9e, 0x5b)),
                );
                ui.label(
                    RichText::new(
                        "Not on these lists; that is not proof of strength: a key should be \
                         random and at least as long as the digest.",
                    )
                    .weak(),
                );
            }
        }
    }
}
