//! Drawing: free functions that take the `Ui`, read the app and return [`Action`]s. No crypto and
//! no keyring calls happen here.

use egui::text::LayoutJob;
use egui::{Color32, FontId, RichText, TextFormat, Ui};
use serde_json::Value;

use super::app::{Action, BACKGROUND_OVER, FileUse, Notice, SignetApp, Tab, TimeChoice};
use crate::core::flask_tag::{self, FlaskValue};
use crate::core::{PartKind, Verdict, time};
use crate::keys::Style;

/// Fixed part colours (ui.md): payload blue, timestamp amber, signature violet, IV teal, tag pink.
pub fn part_color(kind: PartKind, dark: bool) -> Color32 {
    let (d, l) = match kind {
        PartKind::Payload => (
            Color32::from_rgb(110, 170, 255),
            Color32::from_rgb(25, 90, 200),
        ),
        PartKind::Timestamp => (
            Color32::from_rgb(245, 185, 70),
            Color32::from_rgb(170, 105, 0),
        ),
        PartKind::Signature => (
            Color32::from_rgb(190, 140, 255),
            Color32::from_rgb(120, 60, 200),
        ),
        PartKind::Iv => (
            Color32::from_rgb(80, 210, 200),
            Color32::from_rgb(0, 130, 120),
        ),
        PartKind::AuthTag => (
            Color32::from_rgb(250, 130, 190),
            Color32::from_rgb(190, 40, 120),
        ),
        PartKind::Header => (
            Color32::from_rgb(120, 210, 120),
            Color32::from_rgb(30, 130, 40),
        ),
        PartKind::Separator | PartKind::Marker => {
            (Color32::from_gray(130), Color32::from_gray(140))
        }
    };
    if dark { d } else { l }
}

/// The badge colour of a verdict: valid green, expired amber, bad red, unverified grey.
fn verdict_color(verdict: &Verdict) -> Color32 {
    match verdict {
        Verdict::Valid => Color32::from_rgb(40, 150, 70),
        Verdict::Expired(_) | Verdict::NotYetValid(_) => Color32::from_rgb(200, 130, 20),
        Verdict::BadSignature | Verdict::Malformed(_) => Color32::from_rgb(200, 50, 50),
        Verdict::Unverified => Color32::from_gray(120),
    }
}

/// The top bar: tabs and the store's status.
pub fn top_bar_ui(ui: &mut Ui, app: &SignetApp, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading("Signet");
        ui.add_space(12.0);
        for (tab, label) in [
            (Tab::Inspect, "Inspect"),
            (Tab::Rotate, "Rotate"),
            (Tab::Keys, "Keys"),
            (Tab::Audit, "Audit"),
        ] {
            if ui.selectable_label(app.prefs.tab == tab, label).clicked() {
                actions.push(Action::SetTab(tab));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let n = app.keys.len();
            let (dot, text) = if app.store_is_os {
                (
                    Color32::from_rgb(40, 150, 70),
                    format!("OS keyring · {n} key{}", if n == 1 { "" } else { "s" }),
                )
            } else {
                (
                    Color32::from_rgb(200, 130, 20),
                    format!(
                        "In-memory store (nothing is saved) · {n} key{}",
                        if n == 1 { "" } else { "s" }
                    ),
                )
            };
            ui.label(text);
            let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().circle_filled(rect.center(), 4.5, dot);
        });
    });
}

/// The status line: notices, dismissible.
pub fn notices_ui(ui: &mut Ui, notices: &[Notice], actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        if notices.is_empty() {
            ui.weak("Ready. Paste a cookie anywhere with Ctrl+V.");
        }
        for (i, n) in notices.iter().enumerate().rev().take(2) {
            let color = if n.is_error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(color, &n.text);
            if ui.small_button("Dismiss").clicked() {
                actions.push(Action::Dismiss(i));
            }
        }
    });
}

/// The inspector: input, format, verdict, payload tree, re-sign editor.
pub fn inspect_ui(ui: &mut Ui, app: &mut SignetApp, actions: &mut Vec<Action>) {
    let label = ui
        .horizontal(|ui| {
            let label = ui.label(
                "Paste a cookie, a Cookie: or Set-Cookie: header, a devtools row or a curl command",
            );
            if ui
                .small_button("Open a file…")
                .on_hover_text("A saved request, HAR file or cookies.txt")
                .clicked()
            {
                actions.push(Action::PickFile(FileUse::Inspect));
            }
            label
        })
        .inner;
    if app.inspect.input.len() > BACKGROUND_OVER {
        // Too large to lay out every frame: a summary instead of the text itself.
        ui.horizontal(|ui| {
            ui.monospace(format!(
                "{}… ({:.1} MB pasted: too large to show)",
                app.inspect.input.chars().take(60).collect::<String>(),
                app.inspect.input.len() as f64 / 1e6
            ))
            .labelled_by(label.id);
            if ui.button("Clear the paste").clicked() {
                app.inspect.input.clear();
                actions.push(Action::InputChanged);
            }
        });
    } else {
        let input = ui.add(
            egui::TextEdit::multiline(&mut app.inspect.input)
                .hint_text("session=eyJ1c2VyIjoiYWRhIn0.aVWq8A.…")
                .font(egui::TextStyle::Monospace)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        );
        let input = input.labelled_by(label.id);
        if input.changed() {
            actions.push(Action::InputChanged);
        }
    }
    if let Some((_, since)) = &app.inspect.pending {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!(
                "Inspecting a large paste… {:.1} s",
                since.elapsed().as_secs_f32()
            ));
        });
        return;
    }
    // Taken out while drawing (the editor below needs `app` mutably), put back at the end.
    let Some(result) = app.inspect.result.take() else {
        ui.add_space(16.0);
        ui.label("Signet decodes Flask, Django, Starlette, Express, cookie-session and JWT cookies, tells you whether they are genuine and which stored key signed them, and re-signs them.");
        if ui.button("Try a sample").clicked() {
            actions.push(Action::TrySample);
        }
        return;
    };
    let dark = ui.visuals().dark_mode;
    ui.add_space(6.0);
    // The raw cookie with its parts coloured.
    if let Some(d) = &result.decoded {
        let mut job = LayoutJob::default();
        let font = FontId::monospace(13.0);
        for p in &d.parts {
            job.append(
                d.part_text(p),
                0.0,
                TextFormat::simple(font.clone(), part_color(p.kind, dark)),
            );
        }
        job.wrap.max_width = ui.available_width();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(job);
        });
    }
    // Format and alternatives.
    ui.horizontal_wrapped(|ui| {
        let format = result.format.unwrap_or("unknown format");
        let label = result
            .format
            .and_then(crate::core::format_by_id)
            .map(|f| f.label())
            .unwrap_or("");
        ui.strong(format).on_hover_text(label);
        if let Some(d) = &result.decoded
            && let Some(digest) = d.digest
        {
            ui.weak(format!("· {digest}"));
        }
        if let Some(name) = result.candidate.as_ref().and_then(|c| c.name.as_deref()) {
            ui.weak(format!("· cookie {name}"));
        }
        if !result.alternatives.is_empty() {
            ui.weak("· also fits:");
            for alt in &result.alternatives {
                if ui
                    .small_button(*alt)
                    .on_hover_text("Read it as this format instead")
                    .clicked()
                {
                    actions.push(Action::ForceFormat(Some(alt)));
                }
            }
        }
        if app.inspect.forced.is_some() && ui.small_button("detect again").clicked() {
            actions.push(Action::ForceFormat(None));
        }
    });
    if let Some(reason) = &result.reason {
        ui.weak(reason);
    }
    // The verdict badge.
    let v = &result.verification;
    let color = verdict_color(&v.verdict);
    let key = v
        .key_index
        .and_then(|i| app.key_name(i))
        .map(str::to_string);
    let role = key.as_deref().map(|k| app.roles(k)).unwrap_or_default();
    let role_text = if role.is_empty() {
        String::new()
    } else {
        format!(" ({})", role.join(", "))
    };
    let sentence = match &v.verdict {
        Verdict::Valid if role.iter().any(|r| r.starts_with("fallback")) => {
            format!(
                "Valid via fallback {}{role_text}: rotate soon",
                key.unwrap_or_default()
            )
        }
        Verdict::Valid => format!("Valid — signed by {}{role_text}", key.unwrap_or_default()),
        Verdict::Expired(d) => format!("Expired — {d}"),
        Verdict::NotYetValid(d) => format!("Not yet valid — {d}"),
        Verdict::BadSignature if app.loaded.is_empty() => "Bad signature: no stored key".into(),
        Verdict::BadSignature => format!(
            "Bad signature: none of the {} stored keys matches",
            app.loaded.len()
        ),
        Verdict::Malformed(e) => format!("Malformed: {e}"),
        Verdict::Unverified => {
            "Unverified: no key to check it with — add one in the Keys tab".into()
        }
    };
    ui.add_space(4.0);
    egui::Frame::new()
        .fill(color.gamma_multiply(0.18))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.label(RichText::new(sentence).color(color).strong());
        });
    for note in result
        .decoded
        .iter()
        .flat_map(|d| d.notes.iter())
        .chain(v.notes.iter())
    {
        ui.weak(note);
    }
    if !result.ties.is_empty() {
        ui.weak(format!(
            "The key also verifies it as {}: the shapes are identical.",
            result.ties.join(", ")
        ));
    }
    if let Some(d) = &result.decoded
        && let Some(ts) = d.signed_at
    {
        let now = (app.clock)();
        let local = jiff::Timestamp::from_second(ts)
            .ok()
            .map(|t| {
                t.to_zoned_datetime(jiff::tz::TimeZone::system())
                    .strftime("%Y-%m-%d %H:%M %Z")
                    .to_string()
            })
            .unwrap_or_else(|| ts.to_string());
        let mut line = format!("Signed {local} ({})", time::relative(now, ts));
        if let Some(max) = v.max_age_secs {
            line.push_str(&format!(
                " · max age {}, until {}",
                time::human_duration(i128::from(max)),
                time::format_utc(ts.saturating_add_unsigned(max))
            ));
        }
        ui.label(line).on_hover_text(time::format_utc(ts));
    }
    ui.add_space(8.0);
    let cookie_name = result
        .candidate
        .as_ref()
        .and_then(|c| c.name.clone())
        .or_else(|| {
            result
                .format
                .and_then(crate::core::format_by_id)
                .and_then(|f| f.default_cookie_name())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "session".into());
    ui.columns(2, |cols| {
        payload_ui(&mut cols[0], &result);
        resign_ui(&mut cols[1], app, &cookie_name, actions);
    });
    app.inspect.result = Some(result);
}

pub(crate) fn payload_ui(ui: &mut Ui, result: &crate::core::Inspection) {
    ui.strong("Payload");
    let Some(d) = &result.decoded else {
        ui.weak("Nothing decoded.");
        return;
    };
    match &d.payload {
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        Ok(payload) => {
            egui::ScrollArea::vertical()
                .id_salt("payload")
                .max_height(360.0)
                .show(ui, |ui| {
                    if let Some(header) = &d.header {
                        json_tree_ui(ui, "header", header, "hdr");
                    }
                    if d.format == "flask"
                        && let Ok(typed) = flask_tag::untag(payload)
                    {
                        flask_tree_ui(ui, "session", &typed, "p");
                    } else {
                        json_tree_ui(ui, "payload", payload, "p");
                    }
                });
        }
    }
}

fn leaf_row(ui: &mut Ui, key: &str, value: String, kind: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.monospace(key);
        ui.label(RichText::new(value).monospace().strong());
        ui.weak(kind);
    });
}

fn json_tree_ui(ui: &mut Ui, key: &str, value: &Value, id: &str) {
    match value {
        Value::Object(map) => {
            egui::CollapsingHeader::new(format!("{key}  ·  object, {} fields", map.len()))
                .id_salt(id)
                .default_open(true)
                .show(ui, |ui| {
                    for (i, (k, v)) in map.iter().enumerate() {
                        json_tree_ui(ui, k, v, &format!("{id}.{i}"));
                    }
                });
        }
        Value::Array(items) => {
            egui::CollapsingHeader::new(format!(
                "{key}  ·  list, {} item{}",
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            ))
            .id_salt(id)
            .default_open(items.len() <= 20)
            .show(ui, |ui| {
                for (i, v) in items.iter().enumerate() {
                    json_tree_ui(ui, &format!("[{i}]"), v, &format!("{id}.{i}"));
                }
            });
        }
        Value::String(s) => leaf_row(ui, key, format!("{s:?}"), "string"),
        Value::Number(n) => {
            let kind = if n.is_f64() { "float" } else { "integer" };
            let mut text = n.to_string();
            // Unix times in the usual claims are shown as dates too.
            if ["exp", "iat", "nbf", "auth_time"].contains(&key)
                && let Some(t) = n.as_i64()
            {
                text.push_str(&format!("  ({})", time::format_utc(t)));
            }
            leaf_row(ui, key, text, kind);
        }
        Value::Bool(b) => leaf_row(ui, key, b.to_string(), "bool"),
        Value::Null => leaf_row(ui, key, "null".into(), "null"),
    }
}

fn flask_tree_ui(ui: &mut Ui, key: &str, value: &FlaskValue, id: &str) {
    match value {
        FlaskValue::Dict(fields) => {
            egui::CollapsingHeader::new(format!("{key}  ·  dict, {} fields", fields.len()))
                .id_salt(id)
                .default_open(true)
                .show(ui, |ui| {
                    for (i, (k, v)) in fields.iter().enumerate() {
                        flask_tree_ui(ui, k, v, &format!("{id}.{i}"));
                    }
                });
        }
        FlaskValue::List(items) | FlaskValue::Tuple(items) => {
            let kind = value.type_name();
            egui::CollapsingHeader::new(format!(
                "{key}  ·  {kind}, {} item{}",
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            ))
            .id_salt(id)
            .default_open(items.len() <= 20)
            .show(ui, |ui| {
                for (i, v) in items.iter().enumerate() {
                    flask_tree_ui(ui, &format!("[{i}]"), v, &format!("{id}.{i}"));
                }
            });
        }
        FlaskValue::Plain(v) => json_tree_ui(ui, key, v, id),
        FlaskValue::Bytes(b) => {
            let hex: String = b.iter().take(32).map(|x| format!("{x:02x}")).collect();
            leaf_row(
                ui,
                key,
                format!(
                    "{} ({hex}{})",
                    value.python_repr(),
                    if b.len() > 32 { "…" } else { "" }
                ),
                "bytes",
            );
        }
        FlaskValue::DateTime(s, secs) => {
            let shown = secs.map(time::format_utc).unwrap_or_else(|| s.clone());
            leaf_row(ui, key, shown, "datetime");
        }
        other => leaf_row(ui, key, other.python_repr(), other.type_name()),
    }
}

fn resign_ui(ui: &mut Ui, app: &mut SignetApp, name: &str, actions: &mut Vec<Action>) {
    ui.strong("Edit and re-sign");
    // The tree edits the same JSON the text box shows; either one re-signs as you type.
    if let Some(tree) = &mut app.resign.tree {
        let mut edited = false;
        egui::CollapsingHeader::new("Edit as a tree")
            .id_salt("resign-tree")
            .default_open(false)
            .show(ui, |ui| {
                edited = super::tree_edit::edit_tree_ui(ui, tree, "t")
            });
        if edited {
            app.resign.payload_text = serde_json::to_string_pretty(tree).unwrap_or_default();
            actions.push(Action::ResignChanged);
        }
    }
    let label = ui.weak("Payload as JSON");
    let editor = ui.add(
        egui::TextEdit::multiline(&mut app.resign.payload_text)
            .code_editor()
            .desired_rows(8)
            .desired_width(f32::INFINITY),
    );
    let editor = editor.labelled_by(label.id);
    if editor.changed() {
        actions.push(Action::ResignChanged);
    }
    ui.horizontal(|ui| {
        let current = app
            .resign
            .key
            .and_then(|i| app.key_name(i))
            .unwrap_or("none")
            .to_string();
        egui::ComboBox::new("resign-key", "Signing key")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for i in 0..app.loaded.len() {
                    let name = app.loaded[i].meta.name.clone();
                    if ui
                        .selectable_label(app.resign.key == Some(i), name)
                        .clicked()
                    {
                        app.resign.key = Some(i);
                        actions.push(Action::ResignChanged);
                    }
                }
            });
    });
    ui.horizontal(|ui| {
        ui.label("Time");
        let mut changed = false;
        changed |= ui
            .radio_value(&mut app.resign.time, TimeChoice::Keep, "keep")
            .changed();
        changed |= ui
            .radio_value(&mut app.resign.time, TimeChoice::Now, "now")
            .changed();
        let is_custom = matches!(app.resign.time, TimeChoice::Custom(_));
        if ui.radio(is_custom, "set").clicked() && !is_custom {
            app.resign.time = TimeChoice::Custom((app.clock)().to_string());
            changed = true;
        }
        if let TimeChoice::Custom(text) = &mut app.resign.time {
            changed |= ui
                .add(egui::TextEdit::singleline(text).desired_width(110.0))
                .changed();
        }
        if changed {
            actions.push(Action::ResignChanged);
        }
    });
    match &app.resign.output {
        Ok(cookie) => {
            let out_label = ui.weak("Re-signed cookie");
            ui.add(
                egui::TextEdit::multiline(&mut cookie.as_str())
                    .font(egui::TextStyle::Monospace)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(out_label.id);
            if let Some((ok, check)) = &app.resign.check {
                let color = if *ok {
                    Color32::from_rgb(40, 150, 70)
                } else {
                    ui.visuals().error_fg_color
                };
                ui.colored_label(color, check);
            }
            ui.horizontal_wrapped(|ui| {
                ui.label("Copy as");
                let forms = [
                    ("value", cookie.clone()),
                    ("name=value", format!("{name}={cookie}")),
                    (
                        "Set-Cookie",
                        format!("Set-Cookie: {name}={cookie}; Path=/; HttpOnly"),
                    ),
                    ("curl -b", format!("-b '{name}={cookie}'")),
                ];
                for (what, text) in forms {
                    if ui.button(what).clicked() {
                        actions.push(Action::Copy {
                            text,
                            secret: false,
                            what: format!("the re-signed cookie ({what})"),
                        });
                    }
                }
            });
        }
        Err(e) if !e.is_empty() => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        Err(_) => {}
    }
}

/// The keys tab.
pub fn keys_ui(ui: &mut Ui, app: &mut SignetApp, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.strong("Generate");
        let name_label = ui.label("New key name");
        ui.add(
            egui::TextEdit::singleline(&mut app.keys_state.new_name)
                .desired_width(140.0)
                .hint_text("shop-2026"),
        )
        .labelled_by(name_label.id);
        egui::ComboBox::new("new-style", "Style")
            .selected_text(app.keys_state.new_style.name())
            .show_ui(ui, |ui| {
                for st in Style::ALL.into_iter().filter(|s| *s != Style::Imported) {
                    ui.selectable_value(&mut app.keys_state.new_style, st, st.name());
                }
            });
        let can = !app.keys_state.new_name.trim().is_empty();
        if ui
            .add_enabled(can, egui::Button::new("Generate key"))
            .clicked()
        {
            actions.push(Action::Generate {
                name: app.keys_state.new_name.clone(),
                style: app.keys_state.new_style,
            });
        }
    });
    ui.horizontal(|ui| {
        ui.strong("Import");
        let name_label = ui.label("Imported key name");
        ui.add(egui::TextEdit::singleline(&mut app.keys_state.import_name).desired_width(140.0))
            .labelled_by(name_label.id);
        let text_label = ui.label("Key or .env / settings text");
        // The field's undo history holds copies of what was typed: dropped once it is empty
        // (after an import), so no copy of a key outlives the import (freed memory is wiped).
        if app.keys_state.import_text.is_empty() {
            forget_text_edit(ui.ctx(), IMPORT_FIELD);
        }
        ui.add(
            egui::TextEdit::singleline(&mut app.keys_state.import_text)
                .id(egui::Id::unique(IMPORT_FIELD))
                .password(true)
                .desired_width(220.0),
        )
        .labelled_by(text_label.id);
        let named = !app.keys_state.import_name.trim().is_empty();
        let can = named && !app.keys_state.import_text.is_empty();
        if ui
            .add_enabled(can, egui::Button::new("Import key"))
            .clicked()
        {
            actions.push(Action::Import {
                name: app.keys_state.import_name.clone(),
            });
        }
        if ui
            .add_enabled(named, egui::Button::new("Import from clipboard"))
            .on_hover_text("Reads the clipboard straight into the keyring; nothing is shown")
            .on_disabled_hover_text("Type a name for the key first")
            .clicked()
        {
            actions.push(Action::ImportFromClipboard);
        }
        if ui
            .button("Import from a file…")
            .on_hover_text(
                "A key file, .env or settings file (named after the file unless a name is typed)",
            )
            .clicked()
        {
            actions.push(Action::PickFile(FileUse::ImportKey));
        }
    });
    ui.separator();
    if app.keys.is_empty() {
        ui.label("No keys yet. Generate your first key above, or import the one your app uses.");
        return;
    }
    ui.horizontal(|ui| {
        ui.strong("Organise");
        let rename_label = ui.label("New name");
        ui.add(egui::TextEdit::singleline(&mut app.keys_state.rename_to).desired_width(120.0))
            .labelled_by(rename_label.id);
        let set_label = ui.label("Key set");
        ui.add(
            egui::TextEdit::singleline(&mut app.keys_state.set_name)
                .desired_width(120.0)
                .hint_text("shop-prod"),
        )
        .labelled_by(set_label.id);
        ui.weak("then use Rename or Add to set on a key");
    });
    let now = (app.clock)();
    egui::ScrollArea::vertical().id_salt("keys").show(ui, |ui| {
        egui::Grid::new("keys-grid")
            .striped(true)
            .num_columns(7)
            .show(ui, |ui| {
                for h in [
                    "Name",
                    "Style",
                    "Strength",
                    "Fingerprint",
                    "Age",
                    "Key sets",
                    "",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for k in &app.keys {
                    ui.label(&k.name);
                    ui.label(&k.style);
                    strength_badge(ui, app.rating(&k.name));
                    ui.monospace(&k.fingerprint);
                    ui.label(time::human_duration(
                        i128::from(now) - i128::from(k.created),
                    ));
                    ui.label(app.roles(&k.name).join(", "));
                    ui.horizontal(|ui| {
                        let revealed = app
                            .keys_state
                            .revealed
                            .as_ref()
                            .filter(|(n, _, _)| *n == k.name);
                        match revealed {
                            Some((_, secret, _)) => {
                                let text =
                                    secret.expose_text().map(str::to_string).unwrap_or_else(|| {
                                        secret.expose().iter().map(|b| format!("{b:02x}")).collect()
                                    });
                                ui.monospace(&text);
                                if ui.button("Hide").clicked() {
                                    actions.push(Action::Hide);
                                }
                                if ui.button("Copy").clicked() {
                                    actions.push(Action::Copy {
                                        text,
                                        secret: true,
                                        what: format!("the secret of {}", k.name),
                                    });
                                }
                            }
                            None => {
                                ui.monospace("••••••••");
                                if ui
                                    .button("Reveal")
                                    .on_hover_text("Shows the secret for 20 s")
                                    .clicked()
                                {
                                    actions.push(Action::Reveal(k.name.clone()));
                                }
                            }
                        }
                        let style = k.style.parse::<Style>().unwrap_or(Style::Hex);
                        if ui.button("Snippet").clicked() {
                            actions.push(Action::ShowSnippet {
                                name: k.name.clone(),
                                style,
                            });
                        }
                        let can_rename = !app.keys_state.rename_to.trim().is_empty();
                        if ui
                            .add_enabled(can_rename, egui::Button::new("Rename"))
                            .clicked()
                        {
                            actions.push(Action::Rename(k.name.clone()));
                        }
                        let can_add = !app.keys_state.set_name.trim().is_empty();
                        if ui
                            .add_enabled(can_add, egui::Button::new("Add to set"))
                            .clicked()
                        {
                            actions.push(Action::AddToSet {
                                key: k.name.clone(),
                                set: app.keys_state.set_name.clone(),
                            });
                        }
                        if ui.button("Delete").clicked() {
                            actions.push(Action::AskRemove(k.name.clone()));
                        }
                    });
                    ui.end_row();
                }
            });
        if !app.sets.is_empty() {
            ui.add_space(10.0);
            ui.strong("Key sets");
            for set in &app.sets {
                let names: Vec<String> = set
                    .keys
                    .iter()
                    .map(|id| {
                        app.keys
                            .iter()
                            .find(|k| k.id == *id)
                            .map(|k| k.name.clone())
                            .unwrap_or_else(|| "?".into())
                    })
                    .collect();
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&set.name).strong());
                    for (i, name) in names.iter().enumerate() {
                        let role = if i == 0 {
                            "primary".to_string()
                        } else {
                            format!("fallback {i}")
                        };
                        ui.label(format!("{role}: {name}"));
                        if i > 0
                            && ui
                                .small_button("Move up")
                                .on_hover_text(format!("Move {name} up in {}", set.name))
                                .clicked()
                        {
                            actions.push(Action::MoveInSet {
                                set: set.name.clone(),
                                index: i,
                            });
                        }
                        if ui
                            .small_button("Take out")
                            .on_hover_text(format!(
                                "Take {name} out of {} (the key stays)",
                                set.name
                            ))
                            .clicked()
                        {
                            actions.push(Action::RemoveFromSet {
                                set: set.name.clone(),
                                index: i,
                            });
                        }
                    }
                    let style = names
                        .first()
                        .and_then(|n| app.keys.iter().find(|k| k.name == *n))
                        .and_then(|k| k.style.parse::<Style>().ok())
                        .unwrap_or(Style::Flask);
                    if ui.small_button("Snippet").clicked() {
                        actions.push(Action::ShowSnippet {
                            name: set.name.clone(),
                            style,
                        });
                    }
                });
            }
        }
    });
}

/// A key's strength: a coloured word, the findings on hover (never the secret).
fn strength_badge(ui: &mut Ui, rating: Option<&crate::core::audit::Rating>) {
    let Some(r) = rating else {
        ui.weak("-");
        return;
    };
    let color = match r.grade {
        "strong" => Color32::from_rgb(40, 150, 70),
        "weak" => Color32::from_rgb(200, 130, 20),
        _ => Color32::from_rgb(210, 60, 60),
    };
    let text = if r.findings.is_empty() {
        r.grade.to_string()
    } else {
        format!("{} ({})", r.grade, r.findings.len())
    };
    let hover = if r.findings.is_empty() {
        format!("about {} bits of entropy", r.entropy_bits)
    } else {
        format!(
            "about {} bits of entropy\n{}",
            r.entropy_bits,
            r.findings
                .iter()
                .map(|f| format!("• {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    ui.label(RichText::new(text).color(color).strong())
        .on_hover_text(hover);
}

/// The key import field's widget id.
const IMPORT_FIELD: &str = "signet-import-secret";
/// The snippet modal's text widget id.
const SNIPPET_FIELD: &str = "signet-snippet-text";

/// Drops a text field's remembered state (its undo history holds copies of the text).
fn forget_text_edit(ctx: &egui::Context, id: &str) {
    ctx.data_mut(|d| d.remove::<egui::text_edit::TextEditState>(egui::Id::unique(id)));
}

/// Modal dialogs: remove confirmation and the snippet.
pub fn dialogs_ui(ctx: &egui::Context, app: &SignetApp, actions: &mut Vec<Action>) {
    if app.keys_state.snippet.is_none() {
        forget_text_edit(ctx, SNIPPET_FIELD);
    }
    if let Some(name) = &app.keys_state.confirm_remove {
        let sets = app.roles(name);
        let modal = egui::Modal::new(egui::Id::unique("signet-confirm-remove")).show(ctx, |ui| {
            ui.heading(format!("Delete {name}?"));
            if sets.is_empty() {
                ui.label("The secret is removed from the keyring. This cannot be undone.");
            } else {
                ui.label(format!("It is the {}. The secret is removed from the keyring and the key from its sets. This cannot be undone.", sets.join(" and the ")));
            }
            ui.horizontal(|ui| {
                if ui.button("Delete key").clicked() {
                    actions.push(Action::ConfirmRemove);
                }
                if ui.button("Cancel").clicked() {
                    actions.push(Action::CancelRemove);
                }
            });
        });
        if modal.should_close() {
            actions.push(Action::CancelRemove);
        }
    }
    if let Some((title, text)) = &app.keys_state.snippet {
        let modal = egui::Modal::new(egui::Id::unique("signet-snippet")).show(ctx, |ui| {
            ui.heading(format!("Config for {title}"));
            ui.weak("This contains the secret: paste it into your app's config, not into a chat.");
            ui.add(
                egui::TextEdit::multiline(&mut text.as_str())
                    .id(egui::Id::unique(SNIPPET_FIELD))
                    .font(egui::TextStyle::Monospace)
                    .desired_width(560.0),
            );
            ui.horizontal(|ui| {
                if ui.button("Copy").clicked() {
                    actions.push(Action::Copy {
                        text: text.clone(),
                        secret: true,
                        what: "the snippet".into(),
                    });
                }
                if ui.button("Close").clicked() {
                    actions.push(Action::CloseSnippet);
                }
            });
        });
        if modal.should_close() {
            actions.push(Action::CloseSnippet);
        }
    }
}
