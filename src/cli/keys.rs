//! `signet keys ...`: a thin layer over [`crate::keys::KeyStore`].

use std::io::{self, BufRead as _, IsTerminal as _, Read as _, Write as _};

use anyhow::bail;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::{Outcome, UsageError, now_unix};
use crate::cli::args::{KeysCommand, SetCommand};
use crate::core::{Secret, time};
use crate::keys::{KeyMeta, KeyStore, Style, generate, import};

/// Runs a `keys` command against `store`.
pub fn run(cmd: KeysCommand, store: &KeyStore) -> anyhow::Result<Outcome> {
    let mut out = io::stdout().lock();
    match cmd {
        KeysCommand::List(args) => {
            let index = store.index()?;
            if args.json {
                let keys: Vec<Value> = index
                    .keys
                    .iter()
                    .map(|k| meta_json(k, &index.sets_of(&k.id)))
                    .collect();
                writeln!(out, "{}", Value::Array(keys))?;
            } else if index.keys.is_empty() {
                writeln!(
                    out,
                    "No keys yet. Generate one: signet keys generate NAME --style flask"
                )?;
            } else {
                writeln!(
                    out,
                    "{:<24} {:<10} {:<19} {:<20} sets",
                    "NAME", "STYLE", "FINGERPRINT", "CREATED"
                )?;
                for k in &index.keys {
                    writeln!(
                        out,
                        "{:<24} {:<10} {:<19} {:<20} {}",
                        k.name,
                        k.style,
                        k.fingerprint,
                        time::format_utc(k.created).trim_end_matches(" UTC"),
                        index.sets_of(&k.id).join(", ")
                    )?;
                }
                for set in &index.sets {
                    let names: Vec<&str> = set
                        .keys
                        .iter()
                        .map(|id| index.key_by_id(id).map_or("?", |k| k.name.as_str()))
                        .collect();
                    writeln!(
                        out,
                        "set {}: {} (primary), then {}",
                        set.name,
                        names.first().copied().unwrap_or("-"),
                        if names.len() > 1 {
                            names[1..].join(", ")
                        } else {
                            "no fallbacks".into()
                        }
                    )?;
                }
            }
        }
        KeysCommand::Generate(args) => {
            let style: Style = args.style.parse().map_err(UsageError)?;
            if matches!(style, Style::Imported) {
                bail!(UsageError("`imported` is not a style to generate".into()));
            }
            if args.bytes.is_some_and(|n| !(16..=1024).contains(&n)) {
                bail!(UsageError("--bytes must be between 16 and 1024".into()));
            }
            let secret = generate::generate(style, args.bytes)?;
            let meta = store.add(&args.name, &secret, style, &args.notes, now_unix())?;
            added(&mut out, &meta, store, args.json, "Generated")?;
        }
        KeysCommand::Import(args) => {
            let text = read_source(args.file.as_deref())?;
            let (secret, hint, from) = match import::parse(&text, args.var.as_deref()) {
                import::Parsed::One(secret, hint, from) => (secret, hint, from),
                import::Parsed::Several(vars) => bail!(UsageError(format!(
                    "the input assigns several keys ({}): choose one with --var NAME",
                    vars.join(", ")
                ))),
                import::Parsed::Nothing(why) => {
                    bail!(UsageError(format!("nothing to import: {why}")))
                }
            };
            let style = match args.style {
                Some(s) => s.parse().map_err(UsageError)?,
                None => hint.unwrap_or(Style::Imported),
            };
            let meta = store.add(&args.name, &secret, style, &args.notes, now_unix())?;
            eprintln!("read from {from}");
            added(&mut out, &meta, store, args.json, "Imported")?;
        }
        KeysCommand::Show(args) => {
            let index = store.index()?;
            let meta = index
                .key(&args.name)
                .cloned()
                .ok_or_else(|| crate::keys::StoreError::NotFound(args.name.clone()))?;
            let sets = index.sets_of(&meta.id);
            let secret = if args.reveal {
                Some(store.load(&args.name)?.secret)
            } else {
                None
            };
            if args.json {
                let mut v = meta_json(&meta, &sets);
                if let Some(s) = &secret {
                    match s.expose_text() {
                        Some(t) => v["secret"] = Value::String(t.to_string()),
                        None => {
                            v["secret_hex"] = Value::String(
                                s.expose().iter().map(|b| format!("{b:02x}")).collect(),
                            )
                        }
                    }
                }
                writeln!(out, "{v}")?;
            } else {
                writeln!(out, "Name        {}", meta.name)?;
                writeln!(out, "Style       {}", meta.style)?;
                writeln!(out, "Fingerprint {}", meta.fingerprint)?;
                writeln!(
                    out,
                    "Created     {} ({})",
                    time::format_utc(meta.created),
                    time::relative(now_unix(), meta.created)
                )?;
                writeln!(
                    out,
                    "Key sets    {}",
                    if sets.is_empty() {
                        "none".into()
                    } else {
                        sets.join(", ")
                    }
                )?;
                if !meta.notes.is_empty() {
                    writeln!(out, "Notes       {}", meta.notes)?;
                }
                match &secret {
                    Some(s) => match s.expose_text() {
                        Some(t) => writeln!(out, "Secret      {t}")?,
                        None => writeln!(
                            out,
                            "Secret (hex) {}",
                            s.expose()
                                .iter()
                                .map(|b| format!("{b:02x}"))
                                .collect::<String>()
                        )?,
                    },
                    None => writeln!(out, "Secret      ******** (use --reveal to print it)")?,
                }
            }
        }
        KeysCommand::Remove(args) => {
            let index = store.index()?;
            let meta = index
                .key(&args.name)
                .cloned()
                .ok_or_else(|| crate::keys::StoreError::NotFound(args.name.clone()))?;
            if !args.yes {
                if !io::stdin().is_terminal() {
                    bail!(UsageError(format!(
                        "refusing to remove {:?} without confirmation: add --yes",
                        args.name
                    )));
                }
                let sets = index.sets_of(&meta.id);
                eprint!(
                    "Remove key {:?} ({}){} from the keyring? This cannot be undone. [y/N] ",
                    meta.name,
                    meta.fingerprint,
                    if sets.is_empty() {
                        String::new()
                    } else {
                        format!(", used by key set(s) {}", sets.join(", "))
                    }
                );
                let mut answer = String::new();
                io::stdin().lock().read_line(&mut answer)?;
                if !matches!(answer.trim(), "y" | "Y" | "yes") {
                    eprintln!("Not removed.");
                    return Ok(Outcome::NotValid);
                }
            }
            let meta = store.remove(&args.name)?;
            writeln!(out, "Removed key {} ({})", meta.name, meta.fingerprint)?;
        }
        KeysCommand::Rename { name, new_name } => {
            let meta = store.rename(&name, &new_name)?;
            writeln!(
                out,
                "Renamed {name} to {} ({})",
                meta.name, meta.fingerprint
            )?;
        }
        KeysCommand::Snippet(args) => {
            let style: Style = args.style.parse().map_err(UsageError)?;
            let index = store.index()?;
            let keys = if index.key(&args.name).is_some() {
                vec![store.load(&args.name)?]
            } else if index.set(&args.name).is_some() {
                store.load_set(&args.name)?
            } else {
                bail!(crate::keys::StoreError::NotFound(args.name));
            };
            let Some((primary, fallbacks)) = keys.split_first() else {
                bail!(UsageError(format!("key set {:?} is empty", args.name)));
            };
            let fallbacks: Vec<Secret> = fallbacks.iter().map(|k| k.secret.clone()).collect();
            write!(
                out,
                "{}",
                generate::snippet(style, &primary.secret, &fallbacks)?
            )?;
        }
        KeysCommand::Doctor(args) => {
            let d = store.diagnose()?;
            let adopted = if args.fix && !d.is_healthy() {
                store.repair(&d, now_unix())?
            } else {
                Vec::new()
            };
            if args.json {
                writeln!(
                    out,
                    "{}",
                    json!({
                        "healthy": d.is_healthy(),
                        "missing_secrets": d.missing_secrets.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
                        "orphan_secrets": d.orphan_secrets,
                        "dangling_set_members": d.dangling_set_members.iter().map(|(s, id)| json!({"set": s, "key_id": id})).collect::<Vec<_>>(),
                        "fixed": args.fix && !d.is_healthy(),
                        "adopted": adopted,
                    })
                )?;
            } else {
                writeln!(out, "Store: {}", store.describe())?;
                if d.is_healthy() {
                    writeln!(
                        out,
                        "Healthy: every indexed key has its secret, and no secret is unindexed."
                    )?;
                }
                for m in &d.missing_secrets {
                    writeln!(
                        out,
                        "Missing secret: key {:?} ({}) is in the index but its secret is gone from the keyring{}",
                        m.name,
                        m.fingerprint,
                        if args.fix {
                            " — dropped from the index"
                        } else {
                            ""
                        }
                    )?;
                }
                for id in &d.orphan_secrets {
                    writeln!(
                        out,
                        "Orphan secret: keyring entry {id} has no index entry{}",
                        if args.fix { " — adopted" } else { "" }
                    )?;
                }
                for (set, id) in &d.dangling_set_members {
                    writeln!(
                        out,
                        "Key set {set:?} lists a key that does not exist ({id})"
                    )?;
                }
                for name in &adopted {
                    writeln!(
                        out,
                        "Adopted as {name:?}: rename it by generating a snippet and re-importing, or keep it."
                    )?;
                }
                if !d.is_healthy() && !args.fix {
                    writeln!(
                        out,
                        "Run `signet keys doctor --fix` to repair (no secret is deleted)."
                    )?;
                }
            }
            return Ok(if d.is_healthy() || args.fix {
                Outcome::Success
            } else {
                Outcome::NotValid
            });
        }
        KeysCommand::Set(cmd) => match cmd {
            SetCommand::Create { name, keys } => {
                let set = store.define_set(&name, &keys)?;
                writeln!(
                    out,
                    "Key set {}: {} (primary){}",
                    set.name,
                    keys[0],
                    if keys.len() > 1 {
                        format!(", then {}", keys[1..].join(", "))
                    } else {
                        String::new()
                    }
                )?;
            }
            SetCommand::List(args) => {
                let index = store.index()?;
                let sets: Vec<Value> = index
                    .sets
                    .iter()
                    .map(|s| json!({"name": s.name, "keys": s.keys.iter().map(|id| index.key_by_id(id).map(|k| k.name.clone())).collect::<Vec<_>>()}))
                    .collect();
                if args.json {
                    writeln!(out, "{}", Value::Array(sets))?;
                } else {
                    for s in &sets {
                        writeln!(
                            out,
                            "{}: {}",
                            s["name"].as_str().unwrap_or_default(),
                            s["keys"]
                        )?;
                    }
                }
            }
            SetCommand::Remove { name } => {
                store.remove_set(&name)?;
                writeln!(out, "Removed key set {name}")?;
            }
        },
    }
    Ok(Outcome::Success)
}

fn meta_json(k: &KeyMeta, sets: &[String]) -> Value {
    json!({
        "name": k.name,
        "style": k.style,
        "created": time::rfc3339(k.created),
        "fingerprint": k.fingerprint,
        "sets": sets,
        "notes": k.notes,
    })
}

fn added(
    out: &mut impl io::Write,
    meta: &KeyMeta,
    store: &KeyStore,
    as_json: bool,
    verb: &str,
) -> io::Result<()> {
    if as_json {
        writeln!(out, "{}", meta_json(meta, &[]))
    } else {
        writeln!(
            out,
            "{verb} key {} (style {}, fingerprint {}) in the {}.\nThe secret is not shown: `signet keys show {} --reveal` or `signet keys snippet {} --style {}` print it.",
            meta.name,
            meta.style,
            meta.fingerprint,
            store.describe(),
            meta.name,
            meta.name,
            meta.style
        )
    }
}

/// The bytes of FILE, or of standard input for `-` / nothing.
fn read_source(file: Option<&str>) -> anyhow::Result<Zeroizing<String>> {
    const LIMIT: u64 = 1024 * 1024;
    let mut buf = Zeroizing::new(Vec::new());
    match file {
        Some(path) if path != "-" => {
            let f = std::fs::File::open(path)
                .map_err(|e| UsageError(format!("cannot read {path}: {e}")))?;
            f.take(LIMIT + 1).read_to_end(&mut buf)?;
        }
        _ => {
            io::stdin().lock().take(LIMIT + 1).read_to_end(&mut buf)?;
        }
    }
    if buf.len() as u64 > LIMIT {
        bail!(UsageError("the key file is larger than 1 MiB".into()));
    }
    let Ok(text) = std::str::from_utf8(&buf) else {
        bail!(UsageError(
            "the key file is not UTF-8 text (write binary keys as hex and import that)".into()
        ));
    };
    Ok(Zeroizing::new(text.to_string()))
}
