//! The Rotate tab: state, the background classification job, and its drawing. Classification runs
//! on a worker thread ([`crate::jobs::rotate`]: streamed, every core, in chunks) with progress and
//! cancel; the UI thread only polls. A file is streamed from disk, never loaded as one string.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _, Seek as _};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Instant;

use egui::{Color32, RichText, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};
use egui_plot::{Bar, BarChart, Plot};

use crate::core::rotate::{Classified, Outcome, Report, Rotation};
use crate::core::{Digest, FORMATS, FormatParams, Inspection, KeyEntry, VerifyOptions, time};
use crate::jobs::rotate::{self as job, Column, Progress};

/// Rows whose text is longer than this keep only a preview when read from a file (the full
/// line is read again from the file when the row is selected).
const PREVIEW: usize = 96;

/// Where the cookies come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The pasted text.
    Text(Arc<str>),
    /// A file, streamed.
    File(PathBuf),
}

/// A running classification.
pub struct Job {
    /// Counters and the cancel switch.
    pub progress: Arc<Progress>,
    /// Bytes in the input.
    pub total_bytes: u64,
    /// When it started.
    pub started: Instant,
    /// The answer, once finished.
    pub rx: mpsc::Receiver<Result<RotateResult, String>>,
}

/// One classified cookie, as the table shows it.
pub struct Row {
    /// Its line in the input (or its position in a HAR file / record in a CSV file).
    pub line: usize,
    /// Byte offset of its line in the input.
    pub offset: u64,
    /// Its text (a preview when `truncated`).
    pub text: String,
    /// Whether `text` is only the start of the line.
    pub truncated: bool,
    /// The classification.
    pub class: Classified,
}

/// A finished classification.
pub struct RotateResult {
    /// The rows, in input order.
    pub rows: Vec<Row>,
    /// The answers.
    pub report: Report,
    /// Whether it was cancelled before the end.
    pub cancelled: bool,
    /// Where the cookies came from.
    pub source: Source,
    /// Signed-at by day, per outcome (computed once, on the worker).
    pub timeline: Option<Timeline>,
}

/// The batch's signing times, bucketed (at most 120 buckets: by day, or an even share of a
/// longer span), counted per outcome.
pub struct Timeline {
    /// Oldest and newest signed-at.
    pub min: i64,
    /// Newest signed-at.
    pub max: i64,
    /// Days per bucket.
    pub days: f64,
    /// Cookies per bucket, per outcome.
    pub counts: BTreeMap<Outcome, Vec<f64>>,
}

impl Timeline {
    fn of(rows: &[Row]) -> Option<Self> {
        let stamps = || {
            rows.iter()
                .filter_map(|r| r.class.signed_at.map(|t| (t, r.class.outcome)))
        };
        let min = stamps().map(|s| s.0).min()?;
        let max = stamps().map(|s| s.0).max()?;
        let buckets = ((max - min) / 86_400 + 1).clamp(1, 120) as usize;
        let span = ((max - min) as f64 / buckets as f64).max(1.0);
        let mut counts: BTreeMap<Outcome, Vec<f64>> = Default::default();
        for (t, o) in stamps() {
            let b = (((t - min) as f64 / span) as usize).min(buckets - 1);
            counts.entry(o).or_insert_with(|| vec![0.0; buckets])[b] += 1.0;
        }
        Some(Self {
            min,
            max,
            days: span / 86_400.0,
            counts,
        })
    }
}

/// How the table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Input order.
    #[default]
    Line,
    /// By outcome, then input order.
    Outcome,
    /// By signed-at (unknown last), then input order.
    SignedAt,
}

/// The tab's state.
pub struct RotateState {
    /// The cookies' format.
    pub format: &'static str,
    /// The stored key set in force now.
    pub current_set: Option<String>,
    /// The proposed set: stored key names, primary first.
    pub proposed: Vec<String>,
    /// Rails: the key generator of the set in force now (`pbkdf2-sha1`, `pbkdf2-sha256`; `None`:
    /// both are tried).
    pub current_key_gen: Option<&'static str>,
    /// Rails: each proposed key's key generator, by key name (absent: both are tried), as
    /// `secret_key_base` and each `cookies_rotations` entry have their own.
    pub proposed_key_gen: BTreeMap<String, &'static str>,
    /// Rails signed cookies: the digest the set in force now signs with (the app's
    /// `signed_cookie_digest`; `None`: the one each signature's length says).
    pub current_digest: Option<Digest>,
    /// Rails signed cookies: each proposed key's digest, by key name (absent: the signature's
    /// length says), as a `cookies.rotate :signed, key, digest:` entry has its own.
    pub proposed_digest: BTreeMap<String, Digest>,
    /// Pasted cookies, one per line (or a HAR file's text).
    pub batch: String,
    /// A file to stream instead of the pasted text.
    pub file: Option<PathBuf>,
    /// Its size when it was chosen (drawing does no I/O).
    pub file_size: u64,
    /// Read the input as CSV and take this column (empty: not CSV).
    pub csv_column: String,
    /// The running job.
    pub job: Option<Job>,
    /// The last result.
    pub result: Option<RotateResult>,
    /// Show only rows with this outcome label.
    pub filter: Option<String>,
    /// The table's order, and whether it is descending.
    pub sort: (SortBy, bool),
    /// The selected row (index into `result.rows`).
    pub selected: Option<usize>,
    /// The selected row inspected (payload shown under the table).
    pub selected_inspection: Option<Inspection>,
    /// The table's rows for the current filter and order (filter, order, row indices), kept
    /// between frames: a million rows are filtered and sorted once per change, not per frame.
    pub view: Option<TableView>,
}

/// The table's filter (an outcome label), its order, and the row indices they give.
pub type TableView = (Option<String>, (SortBy, bool), Vec<usize>);

impl Default for RotateState {
    fn default() -> Self {
        Self {
            format: "flask",
            current_set: None,
            proposed: Vec::new(),
            current_key_gen: None,
            proposed_key_gen: BTreeMap::new(),
            current_digest: None,
            proposed_digest: BTreeMap::new(),
            batch: String::new(),
            file: None,
            file_size: 0,
            csv_column: String::new(),
            job: None,
            result: None,
            filter: None,
            sort: (SortBy::Line, false),
            selected: None,
            selected_inspection: None,
            view: None,
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
    /// Choose a file of cookies in the native dialog.
    PickFile,
    /// Go back to the pasted text.
    ClearFile,
    /// Classify the batch.
    Run,
    /// Stop the running job.
    Cancel,
    /// Select a row (index into the result's rows) and show its payload.
    Select(usize),
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
    for Row { line, class: c, .. } in &result.rows {
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

/// Starts classifying `source` on a worker thread.
pub fn start(
    format: &'static str,
    current: Vec<KeyEntry>,
    proposed: Vec<KeyEntry>,
    source: Source,
    csv_column: &str,
    now: i64,
    names: (Vec<String>, Vec<String>),
) -> Result<Job, String> {
    let rotation = Rotation::with_entries(
        format,
        &current,
        &proposed,
        FormatParams::default(),
        VerifyOptions::at(now),
    )
    .map_err(|e| e.0)?;
    let opts = job::Options {
        csv_column: match csv_column.trim() {
            "" => None,
            c => Some(Column::parse(c)?),
        },
        ..job::Options::default()
    };
    let (reader, total_bytes): (Box<dyn std::io::BufRead + Send>, u64) = match &source {
        Source::Text(text) => (
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            text.len() as u64,
        ),
        Source::File(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            (Box::new(BufReader::with_capacity(1 << 20, file)), size)
        }
    };
    // Pasted text is in memory anyway; a file's long lines keep a preview (read again on select).
    let keep_full = matches!(source, Source::Text(_));
    let progress = Arc::new(Progress::default());
    let (tx, rx) = mpsc::channel();
    let p = progress.clone();
    std::thread::Builder::new()
        .name("signet-rotate".into())
        .spawn(move || {
            let mut rows = Vec::new();
            let mut report = Report::new();
            let max_age = rotation.max_age_secs();
            let run = job::run(&rotation, reader, &opts, &p, |lines, classified| {
                for (l, class) in lines.into_iter().zip(classified) {
                    report.add(&class, max_age);
                    // A HAR or CSV cookie has no line of its own to read again: kept whole.
                    let truncated = !keep_full && l.offset.is_some() && l.text.len() > PREVIEW;
                    let text = if truncated {
                        l.text.chars().take(PREVIEW).collect()
                    } else {
                        l.text
                    };
                    rows.push(Row {
                        line: l.number,
                        offset: l.offset.unwrap_or(0),
                        text,
                        truncated,
                        class,
                    });
                }
                Ok(())
            });
            let answer = run.map_err(|e| e.to_string()).map(|cancelled| {
                report.conclude(&rotation, &names.0, &names.1);
                let timeline = Timeline::of(&rows);
                RotateResult {
                    rows,
                    report,
                    cancelled,
                    source,
                    timeline,
                }
            });
            let _ = tx.send(answer);
        })
        .map_err(|e| format!("could not start the worker: {e}"))?;
    Ok(Job {
        progress,
        total_bytes,
        started: Instant::now(),
        rx,
    })
}

/// The whole text of a row: kept, or read again from its file.
pub fn row_text(result: &RotateResult, row: &Row) -> Result<String, String> {
    if !row.truncated {
        return Ok(row.text.clone());
    }
    let Source::File(path) = &result.source else {
        return Ok(row.text.clone());
    };
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    file.seek(std::io::SeekFrom::Start(row.offset))
        .map_err(|e| e.to_string())?;
    let mut line = Vec::new();
    BufReader::new(file)
        .take(crate::core::input::MAX_INPUT as u64)
        .read_until(b'\n', &mut line)
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&line).trim().to_string())
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

/// The Rails key generators a key can be derived with (`None`: try both).
const KEY_GENS: [(Option<&str>, &str); 3] = [
    (None, "SHA1 or SHA256"),
    (Some("pbkdf2-sha1"), "SHA1 (Rails 6.1 and older)"),
    (Some("pbkdf2-sha256"), "SHA256 (Rails 7.0+)"),
];

/// A Rails key's key generator.
fn key_gen_choice(ui: &mut Ui, id: egui::IdSalt, choice: &mut Option<&'static str>) {
    let shown = KEY_GENS
        .iter()
        .find(|(kg, _)| kg == choice)
        .map_or("SHA1 or SHA256", |(_, label)| label);
    egui::ComboBox::new(id, "key generator")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (kg, label) in KEY_GENS {
                ui.selectable_value(choice, kg, label);
            }
        })
        .response
        .on_hover_text(
            "The hash of the PBKDF2 key generator this key is derived with \
             (config.active_support.key_generator_hash_digest_class; a cookies_rotations entry \
             has its own). Either: both are tried.",
        );
}

/// A Rails signed key's HMAC digest.
fn digest_choice(ui: &mut Ui, id: egui::IdSalt, choice: &mut Option<Digest>) {
    let label = |d: Digest| d.name().to_uppercase();
    egui::ComboBox::new(id, "digest")
        .selected_text(choice.map_or("by length".to_string(), label))
        .show_ui(ui, |ui| {
            ui.selectable_value(choice, None, "by length");
            for d in Digest::ALL {
                ui.selectable_value(choice, Some(d), label(d));
            }
        })
        .response
        .on_hover_text(
            "The HMAC digest this key signs with: config.action_dispatch.signed_cookie_digest \
             (SHA1 unless set) for the set in force and the proposed secret_key_base, a \
             cookies_rotations entry's digest: option (without one: secret_key_base's). \
             Encrypted cookies: the HMAC of legacy AES-256-CBC cookies. By length: the one each \
             signature's length says.",
        );
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
    // Rails derives each key with one PBKDF2 hash, per entry (Rails 7.0 changed the default).
    let rails = st.format.starts_with("rails");
    // And the signed jar signs with one digest per entry (the encrypted jar: secret_key_base's
    // alone, for the HMAC of its legacy CBC cookies).
    let signed = st.format == "rails-signed";
    if let Some(set) = &st.current_set {
        ui.horizontal(|ui| {
            ui.weak(format!("Now: {}", set_members(set).join(", then ")));
            if rails {
                key_gen_choice(
                    ui,
                    egui::IdSalt::new("rotate-kg-now"),
                    &mut st.current_key_gen,
                );
            }
            if rails {
                digest_choice(
                    ui,
                    egui::IdSalt::new("rotate-digest-now"),
                    &mut st.current_digest,
                );
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Proposed:");
        for (i, name) in st.proposed.clone().iter().enumerate() {
            ui.label(
                RichText::new(format!("{}{name}", if i == 0 { "primary " } else { "" })).strong(),
            );
            if rails {
                let mut choice = st.proposed_key_gen.get(name).copied();
                key_gen_choice(ui, egui::IdSalt::new(("rotate-kg", i)), &mut choice);
                match choice {
                    Some(kg) => st.proposed_key_gen.insert(name.clone(), kg),
                    None => st.proposed_key_gen.remove(name),
                };
            }
            // The encrypted jar: only secret_key_base's digest counts (legacy CBC cookies' HMAC).
            if signed || (rails && i == 0) {
                let mut choice = st.proposed_digest.get(name).copied();
                digest_choice(ui, egui::IdSalt::new(("rotate-digest", i)), &mut choice);
                match choice {
                    Some(d) => st.proposed_digest.insert(name.clone(), d),
                    None => st.proposed_digest.remove(name),
                };
            }
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
    ui.horizontal(|ui| {
        if ui
            .button("Load cookies from a file…")
            .on_hover_text("A text file, HAR, cookies.txt or CSV; streamed, never loaded whole")
            .clicked()
        {
            actions.push(RotateAction::PickFile);
        }
        let csv_label = ui.label("CSV column");
        ui.add(
            egui::TextEdit::singleline(&mut st.csv_column)
                .desired_width(90.0)
                .hint_text("name or number"),
        )
        .labelled_by(csv_label.id)
        .on_hover_text("Leave empty unless the input is CSV");
    });
    if let Some(path) = &st.file {
        ui.horizontal(|ui| {
            ui.label(format!(
                "Cookies from {} ({})",
                path.display(),
                human_bytes(st.file_size)
            ));
            if ui.small_button("Use pasted text instead").clicked() {
                actions.push(RotateAction::ClearFile);
            }
        });
    } else {
        let label = ui.label(
            "Cookies to check: one per line (any form the inspector takes), or drop a HAR file",
        );
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
    }
    ui.horizontal(|ui| match &st.job {
        Some(job) => {
            let done = job.progress.done.load(Ordering::Relaxed);
            let read = job.progress.bytes.load(Ordering::Relaxed);
            let frac = if job.total_bytes == 0 {
                0.0
            } else {
                (read as f64 / job.total_bytes as f64).min(1.0)
            };
            let secs = job.started.elapsed().as_secs_f64().max(0.001);
            let rate = done as f64 / secs;
            let eta = if frac > 0.0 {
                secs * (1.0 - frac) / frac
            } else {
                0.0
            };
            ui.add(
                egui::ProgressBar::new(frac as f32)
                    .desired_width(320.0)
                    .text(format!("{done} cookies · {rate:.0}/s · {eta:.0} s left")),
            );
            if ui.button("Cancel").clicked() {
                actions.push(RotateAction::Cancel);
            }
        }
        None => {
            let has_input = st.file.is_some() || !st.batch.trim().is_empty();
            let ready = !st.proposed.is_empty() && st.current_set.is_some() && has_input;
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
    // The summary: a bar per outcome (egui_plot), and a button per outcome to filter the table.
    ui.horizontal_wrapped(|ui| {
        ui.label("Show:");
        if ui
            .add(egui::Button::selectable(st.filter.is_none(), "all"))
            .clicked()
        {
            st.filter = None;
            st.selected = None;
        }
        for (outcome, n) in &result.report.counts {
            let label = outcome.label();
            let selected = st.filter.as_deref() == Some(label.as_str());
            let text = RichText::new(format!("{label} {n}")).color(outcome_color(*outcome));
            if ui
                .add(egui::Button::selectable(selected, text))
                .on_hover_text("Show only these")
                .clicked()
            {
                st.filter = if selected { None } else { Some(label.clone()) };
                st.selected = None;
            }
        }
    });
    summary_plot(ui, &result.report);
    if let Some(t) = &result.timeline {
        timeline_ui(ui, t);
    }
    for f in &result.report.findings {
        let warn = f.starts_with("Warning");
        if warn {
            ui.colored_label(ui.visuals().warn_fg_color, f);
        } else {
            ui.label(f);
        }
    }
    ui.separator();
    let fresh = st
        .view
        .as_ref()
        .is_some_and(|(f, sort, _)| *f == st.filter && *sort == st.sort);
    if !fresh {
        let mut rows: Vec<usize> = result
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                st.filter
                    .as_ref()
                    .is_none_or(|f| r.class.outcome.label() == *f)
            })
            .map(|(i, _)| i)
            .collect();
        let (by, descending) = st.sort;
        match by {
            SortBy::Line => {}
            SortBy::Outcome => rows.sort_by_key(|&i| result.rows[i].class.outcome),
            SortBy::SignedAt => {
                rows.sort_by_key(|&i| result.rows[i].class.signed_at.unwrap_or(i64::MAX))
            }
        }
        if descending {
            rows.reverse();
        }
        st.view = Some((st.filter.clone(), st.sort, rows));
    }
    let rows: &[usize] = st.view.as_ref().map(|v| v.2.as_slice()).unwrap_or(&[]);
    ui.label(format!(
        "{} cookie{} shown",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let mut clicked = None;
    // Virtualised: only the visible rows are laid out, however large the batch.
    TableBuilder::new(ui)
        .id_salt("rotate-rows")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(280.0)
        .column(TableColumn::exact(70.0))
        .column(TableColumn::exact(150.0))
        .column(TableColumn::exact(120.0))
        .column(TableColumn::exact(170.0))
        .column(TableColumn::remainder().clip(true))
        .header(row_height + 2.0, |mut header| {
            for (title, key) in [
                ("Line", Some(SortBy::Line)),
                ("Outcome", Some(SortBy::Outcome)),
                ("Now", None),
                ("Signed at", Some(SortBy::SignedAt)),
                ("Cookie", None),
            ] {
                header.col(|ui| match key {
                    Some(key) => {
                        let arrow = match st.sort {
                            (k, false) if k == key => " (asc)",
                            (k, true) if k == key => " (desc)",
                            _ => "",
                        };
                        if ui
                            .add(
                                egui::Button::new(
                                    RichText::new(format!("{title}{arrow}")).strong(),
                                )
                                .frame(false),
                            )
                            .on_hover_text(format!("Sort by {}", title.to_lowercase()))
                            .clicked()
                        {
                            st.sort = (key, st.sort.0 == key && !st.sort.1);
                        }
                    }
                    None => {
                        ui.strong(title);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let i = rows[row.index()];
                let r = &result.rows[i];
                row.set_selected(st.selected == Some(i));
                let color = outcome_color(r.class.outcome);
                row.col(|ui| {
                    // A button, so keyboards and screen readers can select the row too.
                    let line = RichText::new(r.line.to_string()).monospace();
                    if ui
                        .add(egui::Button::selectable(st.selected == Some(i), line))
                        .on_hover_text("Show this cookie's payload")
                        .clicked()
                    {
                        clicked = Some(i);
                    }
                });
                row.col(|ui| {
                    ui.label(RichText::new(r.class.outcome.label()).color(color));
                });
                row.col(|ui| {
                    ui.label(r.class.now);
                });
                row.col(|ui| {
                    ui.label(
                        r.class
                            .signed_at
                            .map(time::format_utc)
                            .unwrap_or_else(|| "-".into()),
                    );
                });
                row.col(|ui| {
                    let text = if r.truncated {
                        format!("{}…", r.text)
                    } else {
                        r.text.clone()
                    };
                    ui.add(egui::Label::new(RichText::new(text).monospace()).truncate());
                });
                if row.response().clicked() {
                    clicked = Some(i);
                }
            });
        });
    if let Some(i) = clicked {
        actions.push(RotateAction::Select(i));
    }
    if let (Some(i), Some(inspection)) = (st.selected, &st.selected_inspection) {
        ui.separator();
        let r = &result.rows[i];
        ui.strong(format!("Line {}: {}", r.line, r.class.outcome.label()));
        if let Some(e) = &r.class.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        super::view::payload_ui(ui, inspection);
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / f64::from(1u32 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

/// Cookies per outcome, as a bar chart.
fn summary_plot(ui: &mut Ui, report: &Report) {
    let bars: Vec<Bar> = report
        .counts
        .iter()
        .enumerate()
        .map(|(i, (outcome, n))| {
            Bar::new(i as f64, *n as f64)
                .name(outcome.label())
                .fill(outcome_color(*outcome))
                .width(0.7)
        })
        .collect();
    let labels: Vec<String> = report.counts.keys().map(|o| o.label()).collect();
    Plot::new("rotate-summary")
        .height(110.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([false, true])
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| plot.bar_chart(BarChart::new("cookies", bars)));
}

/// Signed-at of the batch by day (or by an even share of the span), stacked by outcome.
fn timeline_ui(ui: &mut Ui, t: &Timeline) {
    let (min, max, days) = (t.min, t.max, t.days);
    ui.label(format!(
        "Signed between {} and {}",
        time::format_utc(min),
        time::format_utc(max)
    ));
    let mut charts: Vec<BarChart> = Vec::new();
    for (outcome, per) in &t.counts {
        let outcome = *outcome;
        let bars: Vec<Bar> = per
            .iter()
            .enumerate()
            .map(|(i, n)| {
                Bar::new(i as f64 * days, *n)
                    .width(days * 0.9)
                    .fill(outcome_color(outcome))
            })
            .collect();
        let refs: Vec<&BarChart> = charts.iter().collect();
        let chart = BarChart::new(outcome.label(), bars)
            .color(outcome_color(outcome))
            .stack_on(&refs);
        charts.push(chart);
    }
    Plot::new("rotate-timeline")
        .height(110.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .x_axis_label("days since the oldest cookie")
        .legend(egui_plot::Legend::default())
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}
