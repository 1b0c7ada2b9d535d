//! The Rotate tab: state, the background classification job, and its drawing. Classification runs
//! on a worker thread (every core, in chunks) with progress and cancel; the UI thread only polls.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use egui::{Color32, RichText, Ui};

use crate::core::rotate::{Classified, Outcome, Report, Rotation};
use crate::core::{FORMATS, FormatParams, Secret, VerifyOptions, input, time};

/// A running classification.
pub struct Job {
    /// Cookies classified so far.
    pub done: Arc<AtomicUsize>,
    /// Cookies in the batch.
    pub total: usize,
    /// Set to stop early.
    pub cancel: Arc<AtomicBool>,
    /// When it started.
    pub started: Instant,
    /// The answer, once finished.
    pub rx: mpsc::Receiver<Result<RotateResult, String>>,
}

/// A finished classification.
pub struct RotateResult {
    /// (line, input text, classification), in input order.
    pub rows: Vec<(usize, String, Classified)>,
    /// The answers.
    pub report: Report,
    /// Whether it was cancelled before the end.
    pub cancelled: bool,
}

/// The tab's state.
pub struct RotateState {
    /// The cookies' format.
    pub format: &'static str,
    /// The stored key set in force now.
    pub current_set: Option<String>,
    /// The proposed set: stored key names, primary first.
    pub proposed: Vec<String>,
    /// Pasted cookies, one per line (or a HAR file's text).
    pub batch: String,
    /// The running job.
    pub job: Option<Job>,
    /// The last result.
    pub result: Option<RotateResult>,
    /// Show only rows with this outcome label.
    pub filter: Option<String>,
    /// The selected row (index into `result.rows`).
    pub selected: Option<usize>,
}

impl Default for RotateState {
    fn default() -> Self {
        Self {
            format: "flask",
            current_set: None,
            proposed: Vec::new(),
            batch: String::new(),
            job: None,
            result: None,
            filter: None,
            selected: None,
        }
    }
}

/// What the tab asks the app to do.
#[derive(Debug, Clone)]
pub enum RotateAction {
    /// Use this stored set as the current one (and start the proposal from it).
    PickCurrent(String),
    /// Generate a new key, make it the proposed primary and demote the current primary.
    NewPrimary,
    /// Add a stored key to the end of the proposal.
    AddProposed(String),
    /// Remove a key from the proposal.
    RemoveProposed(usize),
    /// Move a proposed key up one place.
    MoveUp(usize),
    /// Classify the batch.
    Run,
    /// Stop the running job.
    Cancel,
    /// Store the proposal as the current set.
    Apply,
    /// Copy the report (one row per cookie) as CSV or JSON lines.
    Export {
        /// JSON lines rather than CSV.
        json: bool,
    },
}

/// The report as CSV (`line,outcome,now,signed_at,key_now,key_next`) or as JSON lines in the
/// shape `signet rotate --json` prints.
pub fn export(result: &RotateResult, json: bool) -> String {
    let mut out = String::new();
    if !json {
        out.push_str("line,outcome,now,signed_at,key_now,key_next\n");
    }
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let idx = |v: Option<usize>| v.map(|n| n.to_string()).unwrap_or_default();
    for (line, _, c) in &result.rows {
        if json {
            let v = serde_json::json!({
                "line": line, "outcome": c.outcome.label(), "now": c.now,
                "signed_at": c.signed_at, "key_now": c.key_now, "key_next": c.key_next,
            });
            out.push_str(&v.to_string());
            out.push('\n');
        } else {
            out.push_str(&format!(
                "{line},{},{},{},{},{}\n",
                c.outcome.label(),
                c.now,
                opt(c.signed_at),
                idx(c.key_now),
                idx(c.key_next)
            ));
        }
    }
    out
}

/// Starts classifying `batch` on a worker thread.
pub fn start(
    format: &'static str,
    current: Vec<Secret>,
    proposed: Vec<Secret>,
    batch: &str,
    now: i64,
    names: (Vec<String>, Vec<String>),
) -> Result<Job, String> {
    let rotation = Rotation::new(
        format,
        &current,
        &proposed,
        FormatParams::default(),
        VerifyOptions::at(now),
    )
    .map_err(|e| e.0)?;
    // A HAR file or a header with several cookies: one row per cookie; otherwise one per line.
    let trimmed = batch.trim_start();
    let lines: Vec<(usize, String)> = if trimmed.starts_with('{') {
        input::parse(trimmed)
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    i + 1,
                    match c.name {
                        Some(n) => format!("{n}={}", c.value),
                        None => c.value,
                    },
                )
            })
            .collect()
    } else {
        batch
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim().to_string()))
            .filter(|(_, l)| !l.is_empty() && (!l.starts_with('#') || l.starts_with("#HttpOnly_")))
            .collect()
    };
    let done = Arc::new(AtomicUsize::new(0));
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let total = lines.len();
    let (d, c) = (done.clone(), cancel.clone());
    std::thread::Builder::new()
        .name("signet-rotate".into())
        .spawn(move || {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let mut rows = Vec::with_capacity(lines.len());
            let mut cancelled = false;
            for chunk in lines.chunks(4096) {
                if c.load(Ordering::Relaxed) {
                    cancelled = true;
                    break;
                }
                let per = chunk.len().div_ceil(threads).max(1);
                let classified: Vec<Classified> = std::thread::scope(|scope| {
                    let parts: Vec<_> = chunk
                        .chunks(per)
                        .map(|part| {
                            scope.spawn(|| {
                                part.iter()
                                    .map(|(_, l)| rotation.classify(l))
                                    .collect::<Vec<_>>()
                            })
                        })
                        .collect();
                    parts
                        .into_iter()
                        .flat_map(|p| p.join().unwrap_or_default())
                        .collect()
                });
                for ((n, line), cl) in chunk.iter().zip(classified) {
                    rows.push((*n, line.clone(), cl));
                }
                d.fetch_add(chunk.len(), Ordering::Relaxed);
            }
            let mut report = Report::new();
            for (_, _, cl) in &rows {
                report.add(cl, rotation.max_age_secs());
            }
            report.conclude(&rotation, &names.0, &names.1);
            let _ = tx.send(Ok(RotateResult {
                rows,
                report,
                cancelled,
            }));
        })
        .map_err(|e| format!("could not start the worker: {e}"))?;
    Ok(Job {
        done,
        total,
        cancel,
        started: Instant::now(),
        rx,
    })
}

fn outcome_color(o: Outcome) -> Color32 {
    match o {
        Outcome::ValidPrimary => Color32::from_rgb(40, 150, 70),
        Outcome::ValidFallback(_) => Color32::from_rgb(120, 170, 60),
        Outcome::Expired => Color32::from_rgb(200, 130, 20),
        Outcome::Invalidated => Color32::from_rgb(210, 60, 60),
        Outcome::AlreadyInvalid => Color32::from_gray(130),
        Outcome::Malformed => Color32::from_rgb(150, 70, 150),
    }
}

/// Draws the tab.
pub fn rotate_ui(
    ui: &mut Ui,
    st: &mut RotateState,
    key_names: &[String],
    set_names: &[String],
    set_members: &dyn Fn(&str) -> Vec<String>,
    actions: &mut Vec<RotateAction>,
) {
    ui.horizontal(|ui| {
        egui::ComboBox::new("rotate-format", "Format")
            .selected_text(st.format)
            .show_ui(ui, |ui| {
                for f in FORMATS {
                    ui.selectable_value(&mut st.format, f.id(), f.id());
                }
            });
        let current = st
            .current_set
            .clone()
            .unwrap_or_else(|| "choose a key set".into());
        egui::ComboBox::new("rotate-current", "Key set in force now")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for s in set_names {
                    if ui
                        .selectable_label(st.current_set.as_deref() == Some(s), s)
                        .clicked()
                    {
                        actions.push(RotateAction::PickCurrent(s.clone()));
                    }
                }
            });
    });
    if let Some(set) = &st.current_set {
        ui.weak(format!("Now: {}", set_members(set).join(", then ")));
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Proposed:");
        for (i, name) in st.proposed.clone().iter().enumerate() {
            ui.label(
                RichText::new(format!("{}{name}", if i == 0 { "primary " } else { "" })).strong(),
            );
            if i > 0 && ui.small_button("Move up").clicked() {
                actions.push(RotateAction::MoveUp(i));
            }
            if ui.small_button("Remove").clicked() {
                actions.push(RotateAction::RemoveProposed(i));
            }
        }
        egui::ComboBox::new("rotate-add", "Add key")
            .selected_text("")
            .show_ui(ui, |ui| {
                for k in key_names {
                    if ui.selectable_label(false, k).clicked() {
                        actions.push(RotateAction::AddProposed(k.clone()));
                    }
                }
            });
        if ui
            .button("Generate a new primary and demote the current one")
            .clicked()
        {
            actions.push(RotateAction::NewPrimary);
        }
    });
    let label = ui
        .label("Cookies to check: one per line (any form the inspector takes), or drop a HAR file");
    egui::ScrollArea::vertical()
        .id_salt("rotate-batch")
        .max_height(110.0)
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut st.batch)
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        });
    ui.horizontal(|ui| match &st.job {
        Some(job) => {
            let done = job.done.load(Ordering::Relaxed);
            let frac = if job.total == 0 {
                1.0
            } else {
                done as f32 / job.total as f32
            };
            let secs = job.started.elapsed().as_secs_f32().max(0.001);
            let rate = done as f32 / secs;
            let eta = if rate > 0.0 {
                (job.total - done.min(job.total)) as f32 / rate
            } else {
                0.0
            };
            ui.add(
                egui::ProgressBar::new(frac)
                    .desired_width(260.0)
                    .text(format!(
                        "{done} / {} · {rate:.0}/s · {eta:.0} s left",
                        job.total
                    )),
            );
            if ui.button("Cancel").clicked() {
                actions.push(RotateAction::Cancel);
            }
        }
        None => {
            let ready =
                !st.proposed.is_empty() && st.current_set.is_some() && !st.batch.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Preview rotation"))
                .clicked()
            {
                actions.push(RotateAction::Run);
            }
            if st.result.is_some()
                && ui
                    .add_enabled(
                        !st.proposed.is_empty() && st.current_set.is_some(),
                        egui::Button::new("Apply to the key store"),
                    )
                    .clicked()
            {
                actions.push(RotateAction::Apply);
            }
            if st.result.is_some() {
                if ui.button("Copy report as CSV").clicked() {
                    actions.push(RotateAction::Export { json: false });
                }
                if ui.button("Copy report as JSON").clicked() {
                    actions.push(RotateAction::Export { json: true });
                }
            }
        }
    });
    let Some(result) = &st.result else {
        return;
    };
    ui.separator();
    if result.cancelled {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Cancelled: the figures cover the cookies classified before that.",
        );
    }
    // The summary: one bar per outcome, click to filter.
    let total = result.report.total.max(1) as f32;
    for (outcome, n) in &result.report.counts {
        ui.horizontal(|ui| {
            let label = outcome.label();
            let selected = st.filter.as_deref() == Some(label.as_str());
            let button =
                egui::Button::selectable(selected, label.as_str()).min_size(egui::vec2(130.0, 0.0));
            if ui.add(button).on_hover_text("Show only these").clicked() {
                st.filter = if selected { None } else { Some(label.clone()) };
                st.selected = None;
            }
            let width = 300.0 * *n as f32 / total;
            let (rect, _) =
                ui.allocate_exact_size(egui::vec2(width.max(2.0), 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, outcome_color(*outcome));
            ui.label(format!("{n}"));
        });
    }
    timeline_ui(ui, &result.rows);
    for f in &result.report.findings {
        let warn = f.starts_with("Warning");
        if warn {
            ui.colored_label(ui.visuals().warn_fg_color, f);
        } else {
            ui.label(f);
        }
    }
    ui.separator();
    let rows: Vec<usize> = result
        .rows
        .iter()
        .enumerate()
        .filter(|(_, (_, _, c))| st.filter.as_ref().is_none_or(|f| c.outcome.label() == *f))
        .map(|(i, _)| i)
        .collect();
    ui.label(format!(
        "{} cookie{} shown",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    // Virtualised: only visible rows are laid out, however large the batch.
    egui::ScrollArea::vertical()
        .id_salt("rotate-rows")
        .max_height(260.0)
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for &i in &rows[range] {
                let (line, text, c) = &result.rows[i];
                let when = c
                    .signed_at
                    .map(time::format_utc)
                    .unwrap_or_else(|| "-".into());
                let label = format!(
                    "{line:>6}  {:<18} now {:<14} {when}  {}",
                    c.outcome.label(),
                    c.now,
                    text.chars().take(60).collect::<String>()
                );
                if ui
                    .selectable_label(
                        st.selected == Some(i),
                        RichText::new(label)
                            .monospace()
                            .color(outcome_color(c.outcome)),
                    )
                    .clicked()
                {
                    st.selected = Some(i);
                }
            }
        });
}

/// Signed-at of the batch by day, stacked by outcome.
fn timeline_ui(ui: &mut Ui, rows: &[(usize, String, Classified)]) {
    let stamps: Vec<(i64, Outcome)> = rows
        .iter()
        .filter_map(|(_, _, c)| c.signed_at.map(|t| (t, c.outcome)))
        .collect();
    let (Some(min), Some(max)) = (
        stamps.iter().map(|s| s.0).min(),
        stamps.iter().map(|s| s.0).max(),
    ) else {
        return;
    };
    let days = ((max - min) / 86_400 + 1).clamp(1, 120) as usize;
    let span = ((max - min) as f64 / days as f64).max(1.0);
    let mut buckets = vec![Vec::<Outcome>::new(); days];
    for (t, o) in &stamps {
        let b = (((t - min) as f64 / span) as usize).min(days - 1);
        buckets[b].push(*o);
    }
    let tallest = buckets.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32;
    ui.label(format!(
        "Signed between {} and {}",
        time::format_utc(min),
        time::format_utc(max)
    ));
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width().min(600.0), 60.0),
        egui::Sense::hover(),
    );
    let w = rect.width() / days as f32;
    for (i, b) in buckets.iter_mut().enumerate() {
        b.sort();
        let mut y = rect.bottom();
        for o in b.iter() {
            let h = rect.height() / tallest;
            let r = egui::Rect::from_min_max(
                egui::pos2(rect.left() + i as f32 * w, y - h),
                egui::pos2(rect.left() + (i + 1) as f32 * w - 1.0, y),
            );
            ui.painter().rect_filled(r, 0.0, outcome_color(*o));
            y -= h;
        }
    }
}
