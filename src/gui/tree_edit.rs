//! Editing a JSON payload as a tree: change a value, change its type, add and remove fields and
//! items. Works on the value as the format carries it (Flask: the tagged form).

use egui::Ui;
use serde_json::{Map, Number, Value};

/// The types a value can be switched to.
const TYPES: [&str; 6] = ["string", "number", "bool", "null", "object", "list"];

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::Object(_) => "object",
        Value::Array(_) => "list",
    }
}

/// The value a type switch starts from, keeping what can be kept.
fn convert(v: &Value, to: &str) -> Value {
    match to {
        "string" => Value::String(match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        }),
        "number" => match v {
            Value::String(s) => s
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or(Value::from(0)),
            Value::Bool(b) => Value::from(i64::from(*b)),
            Value::Number(n) => Value::Number(n.clone()),
            _ => Value::from(0),
        },
        "bool" => Value::Bool(matches!(v, Value::Bool(true)) || v.as_str() == Some("true")),
        "object" => Value::Object(Map::new()),
        "list" => Value::Array(Vec::new()),
        _ => Value::Null,
    }
}

/// Draws an editable tree for `value`; returns whether anything changed.
pub fn edit_tree_ui(ui: &mut Ui, value: &mut Value, id: &str) -> bool {
    let mut changed = false;
    match value {
        Value::Object(map) => {
            let mut remove = None;
            let keys: Vec<String> = map.keys().cloned().collect();
            for (i, k) in keys.iter().enumerate() {
                let Some(child) = map.get_mut(k) else {
                    continue;
                };
                let child_id = format!("{id}.{i}");
                if child.is_object() || child.is_array() {
                    egui::CollapsingHeader::new(format!("{k}  ·  {}", type_of(child)))
                        .id_salt(&child_id)
                        .default_open(true)
                        .show(ui, |ui| {
                            changed |= type_row_ui(ui, child, &child_id, &mut || {});
                            changed |= edit_tree_ui(ui, child, &child_id);
                            if ui.small_button(format!("Remove {k}")).clicked() {
                                remove = Some(k.clone());
                            }
                        });
                } else {
                    ui.horizontal(|ui| {
                        let label = ui.monospace(k);
                        changed |= leaf_ui(ui, child, &child_id, label.id);
                        if ui.small_button(format!("Remove {k}")).clicked() {
                            remove = Some(k.clone());
                        }
                    });
                }
            }
            if let Some(k) = remove {
                map.shift_remove(&k);
                changed = true;
            }
            changed |= add_field_ui(ui, map, id);
        }
        Value::Array(items) => {
            let mut remove = None;
            for (i, item) in items.iter_mut().enumerate() {
                let child_id = format!("{id}.{i}");
                ui.horizontal(|ui| {
                    let label = ui.monospace(format!("[{i}]"));
                    if item.is_object() || item.is_array() {
                        ui.weak(type_of(item));
                    } else {
                        changed |= leaf_ui(ui, item, &child_id, label.id);
                    }
                    if ui.small_button(format!("Remove item {i}")).clicked() {
                        remove = Some(i);
                    }
                });
                if item.is_object() || item.is_array() {
                    ui.indent(&child_id, |ui| changed |= edit_tree_ui(ui, item, &child_id));
                }
            }
            if let Some(i) = remove {
                items.remove(i);
                changed = true;
            }
            if ui.small_button("Add item").clicked() {
                items.push(Value::String(String::new()));
                changed = true;
            }
        }
        leaf => {
            let label = ui.weak("value");
            changed |= leaf_ui(ui, leaf, id, label.id);
        }
    }
    changed
}

/// The type switch of a value.
fn type_row_ui(ui: &mut Ui, v: &mut Value, id: &str, _on_change: &mut dyn FnMut()) -> bool {
    let mut changed = false;
    let current = type_of(v);
    egui::ComboBox::new(format!("{id}-type"), "type")
        .selected_text(current)
        .width(70.0)
        .show_ui(ui, |ui| {
            for t in TYPES {
                if ui.selectable_label(current == t, t).clicked() && current != t {
                    *v = convert(v, t);
                    changed = true;
                }
            }
        });
    changed
}

/// A scalar: its editor (labelled by the field's name) and its type switch.
fn leaf_ui(ui: &mut Ui, v: &mut Value, id: &str, label: egui::Id) -> bool {
    let mut changed = false;
    match v {
        Value::String(s) => {
            changed |= ui
                .add(egui::TextEdit::singleline(s).desired_width(180.0))
                .labelled_by(label)
                .changed();
        }
        Value::Number(n) => {
            let mut text = n.to_string();
            let response = ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(120.0))
                .labelled_by(label);
            if response.changed()
                && let Ok(Value::Number(parsed)) = serde_json::from_str::<Value>(text.trim())
            {
                *n = parsed;
                changed = true;
            } else if response.changed() && text.trim().is_empty() {
                *n = Number::from(0);
                changed = true;
            }
        }
        Value::Bool(b) => changed |= ui.checkbox(b, "").labelled_by(label).changed(),
        Value::Null => {
            ui.weak("null");
        }
        _ => {}
    }
    changed |= type_row_ui(ui, v, id, &mut || {});
    changed
}

/// The "add a field" row of an object.
fn add_field_ui(ui: &mut Ui, map: &mut Map<String, Value>, id: &str) -> bool {
    let key_id = ui.make_persistent_id(("signet-new-field", id));
    let mut name: String = ui.data_mut(|d| d.get_temp::<String>(key_id).unwrap_or_default());
    let mut added = false;
    ui.horizontal(|ui| {
        let label = ui.weak("New field");
        ui.add(egui::TextEdit::singleline(&mut name).desired_width(120.0))
            .labelled_by(label.id);
        let ok = !name.trim().is_empty() && !map.contains_key(name.trim());
        if ui.add_enabled(ok, egui::Button::new("Add field")).clicked() {
            map.insert(name.trim().to_string(), Value::String(String::new()));
            name.clear();
            added = true;
        }
    });
    ui.data_mut(|d| d.insert_temp(key_id, name));
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_switches_keep_what_they_can() {
        assert_eq!(convert(&json!("42"), "number"), json!(42));
        assert_eq!(convert(&json!("x"), "number"), json!(0));
        assert_eq!(convert(&json!(7), "string"), json!("7"));
        assert_eq!(convert(&json!(true), "number"), json!(1));
        assert_eq!(convert(&json!("true"), "bool"), json!(true));
        assert_eq!(convert(&json!(1), "object"), json!({}));
        assert_eq!(convert(&json!({"a": 1}), "list"), json!([]));
        assert_eq!(convert(&json!("a"), "null"), Value::Null);
        for t in TYPES {
            assert_eq!(type_of(&convert(&json!("1"), t)), t);
        }
    }
}
