//! The window's panels driven through their accessible labels (egui_kittest, no GPU): paste,
//! verdict, payload, edit and re-sign, wrong keys, key generation and deletion.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use serde_json::json;
use signet::core::{FormatParams, Secret, format_by_id};
use signet::gui::app::{Prefs, SignetApp, Tab};
use signet::keys::{KeyStore, Style};

const NOW: i64 = 1_767_225_600;
const INPUT: &str =
    "Paste a cookie, a Cookie: or Set-Cookie: header, a devtools row or a curl command";

fn flask_cookie(secret: &str) -> String {
    format_by_id("flask")
        .expect("flask")
        .sign(
            &json!({"user": "ada", "role": "admin"}),
            &Secret::from_text(secret),
            &FormatParams::default(),
            NOW - 600,
        )
        .expect("signs")
}

fn app_with_keys(keys: &[(&str, &str)]) -> SignetApp {
    let store = KeyStore::memory();
    for (name, secret) in keys {
        store
            .add(
                name,
                &Secret::from_text(secret),
                Style::Flask,
                "",
                NOW - 86_400,
            )
            .expect("added");
    }
    store
        .define_set(
            "shop-prod",
            &keys.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>(),
        )
        .expect("set");
    let mut app = SignetApp::new(Prefs::default(), store, false);
    app.clock = || NOW;
    app
}

fn harness(app: SignetApp) -> Harness<'static, SignetApp> {
    Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        // Tables and plots lay themselves out over a few frames before they settle.
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut SignetApp| app.show(ui), app)
}

fn paste(h: &mut Harness<'_, SignetApp>, text: &str) {
    h.get_by_label(INPUT).click();
    h.run();
    h.get_by_label(INPUT).type_text(text);
    h.run();
}

#[test]
fn pasting_a_flask_cookie_shows_the_verdict_and_the_payload() {
    let mut h = harness(app_with_keys(&[
        ("shop-2026", "k-2026"),
        ("shop-2025", "k-2025"),
    ]));
    paste(&mut h, &format!("session={}", flask_cookie("k-2026")));
    h.get_by_label_contains("Valid — signed by shop-2026 (primary of shop-prod)");
    h.get_by_label("\"ada\"");
    h.get_by_label("\"admin\"");
    assert_eq!(
        h.state().inspect.result.as_ref().and_then(|r| r.format),
        Some("flask")
    );
    // A cookie signed by the fallback says so.
    let mut h = harness(app_with_keys(&[
        ("shop-2026", "k-2026"),
        ("shop-2025", "k-2025"),
    ]));
    paste(&mut h, &flask_cookie("k-2025"));
    h.get_by_label_contains("Valid via fallback shop-2025");
}

#[test]
fn a_cookie_no_stored_key_signed_is_a_bad_signature() {
    let mut h = harness(app_with_keys(&[("other", "not-the-key")]));
    paste(&mut h, &flask_cookie("k-2026"));
    h.get_by_label_contains("Bad signature");
    // The payload is still shown.
    h.get_by_label("\"ada\"");
}

#[test]
fn editing_the_payload_re_signs_with_the_same_key() {
    let mut h = harness(app_with_keys(&[("shop-2026", "k-2026")]));
    paste(&mut h, &flask_cookie("k-2026"));
    let editor = h.get_by_label("Payload as JSON");
    editor.click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Payload as JSON")
        .type_text(r#"{"user": "bob", "role": "admin"}"#);
    h.run();
    h.get_by_label_contains("Verified: the new cookie is valid with shop-2026");
    let cookie = h.state().resign.output.clone().expect("a re-signed cookie");
    let flask = format_by_id("flask").expect("flask");
    let decoded = flask
        .decode(&cookie, &FormatParams::default())
        .expect("decodes");
    assert_eq!(decoded.payload, Ok(json!({"role": "admin", "user": "bob"})));
    assert_eq!(
        decoded.signed_at,
        Some(NOW - 600),
        "the timestamp is kept by default"
    );
    // Invalid JSON is reported inline, not signed.
    h.get_by_label("Payload as JSON").type_text("{");
    h.run();
    assert!(
        h.state()
            .resign
            .output
            .as_ref()
            .is_err_and(|e| e.contains("not JSON"))
    );
}

#[test]
fn a_generated_key_appears_and_verifies_a_pasted_cookie() {
    let mut h = harness(app_with_keys(&[]));
    h.get_by_role_and_label(Role::Button, "Keys").click();
    h.run();
    assert_eq!(h.state().prefs.tab, Tab::Keys);
    h.get_by_label("New key name").click();
    h.run();
    h.get_by_label("New key name").type_text("fresh-key");
    h.run();
    h.get_by_label("Generate key").click();
    h.run();
    h.get_by_label("fresh-key");
    let secret = h.state().store.load("fresh-key").expect("stored").secret;
    assert_eq!(secret.len(), 64, "Flask style: 64 hex digits");
    let cookie = format_by_id("flask")
        .expect("flask")
        .sign(&json!({"n": 1}), &secret, &FormatParams::default(), NOW)
        .expect("signs");
    h.get_by_role_and_label(Role::Button, "Inspect").click();
    h.run();
    paste(&mut h, &cookie);
    h.get_by_label_contains("Valid — signed by fresh-key");
}

#[test]
fn deleting_a_key_asks_first() {
    let mut h = harness(app_with_keys(&[("doomed", "d-key"), ("kept", "k-key")]));
    h.state_mut().prefs.tab = Tab::Keys;
    h.run();
    h.get_all_by_label("Delete")
        .next()
        .expect("a delete button")
        .click();
    h.run();
    h.get_by_label_contains("Delete doomed?");
    // The confirmation names the key sets the key belongs to.
    h.get_by_label_contains("It is the primary of shop-prod");
    assert!(
        h.state().store.load("doomed").is_ok(),
        "nothing removed before confirming"
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().store.load("doomed").is_ok());
    h.get_all_by_label("Delete")
        .next()
        .expect("a delete button")
        .click();
    h.run();
    h.get_by_label("Delete key").click();
    h.run();
    assert!(
        h.state().store.load("doomed").is_err(),
        "removed after confirming"
    );
    assert_eq!(h.state().keys.len(), 1);
}

#[test]
fn the_empty_state_offers_a_sample() {
    let mut h = harness(app_with_keys(&[]));
    h.get_by_label("Try a sample").click();
    h.run();
    assert!(h.state().inspect.result.is_some());
}

#[test]
fn every_screen_of_the_demo_draws_with_labels_and_glyphs() {
    // kittest fails on unlabelled widgets and on characters the fonts cannot draw.
    let mut h = harness(SignetApp::demo());
    h.run();
    h.get_by_label_contains("Valid — signed by shop-2026");
    h.get_by_role_and_label(Role::Button, "Keys").click();
    h.run();
    h.get_all_by_label("Reveal").next().expect("reveal").click();
    h.run();
    assert!(h.state().keys_state.revealed.is_some());
    h.get_by_label("Hide").click();
    h.run();
    assert!(h.state().keys_state.revealed.is_none());
    h.get_all_by_label("Snippet")
        .next()
        .expect("snippet")
        .click();
    h.run();
    h.get_by_label_contains("Config for");
    h.get_by_label("Close").click();
    h.run();
    assert!(
        h.state().keys_state.snippet.is_none(),
        "the snippet (it holds secrets) is gone once closed"
    );
}

#[test]
fn the_rotate_tab_classifies_a_batch_off_the_ui_thread_and_filters_it() {
    use signet::gui::app::Action;
    use signet::gui::rotate::RotateAction;
    let mut app = app_with_keys(&[("shop-2026", "k-2026"), ("shop-2025", "k-2025")]);
    app.store
        .add(
            "shop-2027",
            &Secret::from_text("k-2027"),
            Style::Flask,
            "",
            NOW,
        )
        .expect("added");
    app.reload_keys();
    let mut h = harness(app);
    h.get_by_role_and_label(Role::Button, "Rotate").click();
    h.run();
    h.state_mut()
        .apply(Action::Rotate(RotateAction::PickCurrent(
            "shop-prod".into(),
        )));
    h.run();
    assert_eq!(h.state().rotate.proposed, ["shop-2026", "shop-2025"]);
    // Proposal: shop-2027 as primary, shop-2026 demoted, shop-2025 dropped.
    h.state_mut()
        .apply(Action::Rotate(RotateAction::AddProposed(
            "shop-2027".into(),
        )));
    h.state_mut()
        .apply(Action::Rotate(RotateAction::RemoveProposed(1)));
    h.state_mut().apply(Action::Rotate(RotateAction::MoveUp(1)));
    assert_eq!(h.state().rotate.proposed, ["shop-2027", "shop-2026"]);
    let batch = [
        flask_cookie("k-2026"),
        flask_cookie("k-2025"),
        flask_cookie("k-2025"),
        "junk".to_string(),
    ]
    .join("\n");
    let label = "Cookies to check: one per line (any form the inspector takes), or drop a HAR file";
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(&batch);
    h.run();
    h.get_by_label("Preview rotation").click();
    finish_rotation(&mut h);
    let result = h.state().rotate.result.as_ref().expect("a result");
    use signet::core::rotate::Outcome;
    assert_eq!(result.report.count(Outcome::ValidFallback(0)), 1);
    assert_eq!(result.report.count(Outcome::Invalidated), 2);
    assert_eq!(result.report.count(Outcome::Malformed), 1);
    h.get_by_label_contains("4 cookies shown");
    h.get_by_role_and_label(Role::Button, "invalidated 2")
        .click();
    h.run();
    h.get_by_label_contains("2 cookies shown");
    // Selecting a row shows its payload, decoded with the key that signed it.
    assert!(h.query_by_label_contains("Line 2: invalidated").is_none());
    h.get_by_role_and_label(Role::Button, "2").click();
    h.run();
    h.get_by_label_contains("Line 2: invalidated");
    h.get_by_label_contains("\"ada\"");
    h.get_by_label_contains("Warning: the proposed set drops a key");
    // Export: CSV, one row per cookie in input order.
    let csv = signet::gui::rotate::export(h.state().rotate.result.as_ref().expect("result"), false);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "line,outcome,now,signed_at,key_now,key_next");
    assert_eq!(lines.len(), 5);
    assert!(
        lines[1].starts_with("1,valid-fallback:0,valid,1767225000,0,1"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("2,invalidated,valid,"), "{}", lines[2]);
    assert!(
        lines[4].starts_with("4,malformed,malformed,"),
        "{}",
        lines[4]
    );
    h.get_by_label("Copy report as CSV").click();
    h.run();
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text == "Copied the report of 4 cookies as CSV.")
    );
    // Apply: the key set becomes the proposal.
    h.get_by_label("Apply to the key store").click();
    h.run();
    assert_eq!(
        h.state().set_members("shop-prod"),
        ["shop-2027", "shop-2026"]
    );
}

/// Runs frames until `done` holds for the app (a worker thread answered), then one more frame
/// so the window shows it; fails after 5 s.
fn wait_for(h: &mut Harness<'_, SignetApp>, what: &str, done: impl Fn(&SignetApp) -> bool) {
    for _ in 0..500 {
        h.run();
        if done(h.state()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
    assert!(done(h.state()), "{what} did not happen");
}

/// Waits for the Rotate tab's job to finish.
fn finish_rotation(h: &mut Harness<'_, SignetApp>) {
    wait_for(h, "the rotation job finishing", |a| a.rotate.job.is_none());
}

#[test]
fn the_rotate_tab_streams_a_chosen_csv_file_and_sorts_it() {
    use signet::core::rotate::Outcome;
    use signet::gui::app::{Action, FileUse};
    use signet::gui::rotate::RotateAction;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sessions.csv");
    let mut csv = String::from("user,session\n");
    for i in 0..600 {
        let key = if i % 3 == 0 { "k-2025" } else { "k-2026" };
        csv.push_str(&format!("u{i},\"{}\"\n", flask_cookie(key)));
    }
    std::fs::write(&path, csv).expect("written");
    let mut app = app_with_keys(&[("shop-2026", "k-2026"), ("shop-2025", "k-2025")]);
    // The native dialog answers with the file (a real one would block for the user).
    let chosen = path.clone();
    app.picker = std::sync::Arc::new(move |purpose| {
        assert_eq!(purpose, FileUse::RotateCookies);
        Some(chosen.clone())
    });
    let mut h = harness(app);
    h.get_by_role_and_label(Role::Button, "Rotate").click();
    h.run();
    h.state_mut()
        .apply(Action::Rotate(RotateAction::PickCurrent(
            "shop-prod".into(),
        )));
    // Drop shop-2025: its cookies are logged out.
    h.state_mut()
        .apply(Action::Rotate(RotateAction::RemoveProposed(1)));
    h.run();
    h.get_by_label("Load cookies from a file…").click();
    wait_for(&mut h, "the file dialog answering", |a| {
        a.rotate.file.is_some()
    });
    h.get_by_label_contains("Cookies from");
    h.get_by_role_and_label(Role::TextInput, "CSV column")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "CSV column")
        .type_text("session");
    h.run();
    h.get_by_label("Preview rotation").click();
    finish_rotation(&mut h);
    let result = h.state().rotate.result.as_ref().expect("a result");
    assert_eq!(result.rows.len(), 600);
    assert_eq!(result.report.count(Outcome::ValidPrimary), 400);
    assert_eq!(result.report.count(Outcome::Invalidated), 200);
    // CSV records are numbered from the header (record 1).
    assert_eq!(result.rows[0].line, 2);
    h.get_by_label_contains("600 cookies shown");
    // Sorting by outcome puts the primary's cookies first, then the invalidated ones.
    h.get_by_label("Outcome").click();
    h.run();
    h.get_by_label("Outcome (asc)").click();
    h.run();
    h.get_by_label("Outcome (desc)");
    assert!(h.state().rotate.sort.1, "descending");
}

/// A Rails signed cookie under `secret_key_base` `skb`, as the given Rails version writes it.
fn rails_cookie(skb: &str, variant: &str) -> String {
    rails_cookie_with(skb, variant, None)
}

/// [`rails_cookie`] signed with `digest` (the app's `signed_cookie_digest`).
fn rails_cookie_with(skb: &str, variant: &str, digest: Option<signet::core::Digest>) -> String {
    let params = FormatParams {
        cookie_name: Some("_app_session".into()),
        variant: Some(variant.into()),
        digest,
        ..FormatParams::default()
    };
    let value = format_by_id("rails-signed")
        .expect("rails-signed")
        .sign(
            &json!({"user_id": 7}),
            &Secret::from_text(skb),
            &params,
            NOW - 600,
        )
        .expect("signs");
    format!("_app_session={value}")
}

/// The Rotate tab on `rails-signed`: `skb-2025` (secret `a`) in force now (set `shop-prod`),
/// proposed `skb-2026` (secret `b`) as the primary with `skb-2025` kept as its fallback.
fn rails_rotation_harness(a: &str, b: &str) -> Harness<'static, SignetApp> {
    use signet::gui::app::Action;
    use signet::gui::rotate::RotateAction;
    let mut app = app_with_keys(&[("skb-2025", a)]);
    app.store
        .add("skb-2026", &Secret::from_text(b), Style::Flask, "", NOW)
        .expect("added");
    app.reload_keys();
    let mut h = harness(app);
    h.get_by_role_and_label(Role::Button, "Rotate").click();
    h.run();
    h.state_mut()
        .apply(Action::Rotate(RotateAction::PickCurrent(
            "shop-prod".into(),
        )));
    h.state_mut().rotate.format = "rails-signed";
    h.state_mut()
        .apply(Action::Rotate(RotateAction::AddProposed("skb-2026".into())));
    h.state_mut().apply(Action::Rotate(RotateAction::MoveUp(1)));
    h
}

#[test]
fn the_rotate_tab_previews_the_rails_7_key_generator_upgrade_key_by_key() {
    use signet::core::rotate::Outcome;
    let (a, b) = ("a".repeat(128), "b".repeat(128));
    let mut h = rails_rotation_harness(&a, &b);
    // Today: A with SHA1 (Rails 6.1). Proposed: B with SHA256, A kept as a SHA1 rotation.
    h.state_mut().rotate.current_key_gen = Some("pbkdf2-sha1");
    h.state_mut()
        .rotate
        .proposed_key_gen
        .insert("skb-2026".into(), "pbkdf2-sha256");
    h.state_mut()
        .rotate
        .proposed_key_gen
        .insert("skb-2025".into(), "pbkdf2-sha1");
    h.state_mut().rotate.batch = [
        rails_cookie(&a, "rails-6.1"),
        rails_cookie(&a, "rails-6.1"),
        rails_cookie(&b, "rails-7.0"),
    ]
    .join("\n");
    h.run();
    // Each key shows its key generator: the set in force now and both proposed keys.
    {
        use egui_kittest::kittest::NodeT as _;
        let mut shown: Vec<String> = h
            .query_all_by_label("key generator")
            .filter_map(|n| n.accesskit_node().value())
            .collect();
        shown.sort();
        assert_eq!(
            shown,
            [
                "SHA1 (Rails 6.1 and older)",
                "SHA1 (Rails 6.1 and older)",
                "SHA256 (Rails 7.0+)"
            ]
        );
    }
    h.get_by_label("Preview rotation").click();
    finish_rotation(&mut h);
    let report = &h.state().rotate.result.as_ref().expect("a result").report;
    assert_eq!(report.count(Outcome::ValidFallback(0)), 2);
    assert_eq!(report.count(Outcome::ValidPrimary), 1);
    assert!(h.query_by_label_contains("Rails 7.0 changed").is_none());
    // The same proposal with A derived by SHA256: Rails no longer reads A's cookies.
    h.state_mut()
        .rotate
        .proposed_key_gen
        .insert("skb-2025".into(), "pbkdf2-sha256");
    h.run();
    h.get_by_label("Preview rotation").click();
    finish_rotation(&mut h);
    let report = &h.state().rotate.result.as_ref().expect("a result").report;
    assert_eq!(report.count(Outcome::Invalidated), 2);
    assert_eq!(report.count(Outcome::ValidPrimary), 1);
    h.get_by_label_contains("Rails 7.0 changed key_generator_hash_digest_class");
}

#[test]
fn the_rotate_tab_gives_each_rails_signed_key_its_digest() {
    use signet::core::Digest;
    use signet::core::rotate::Outcome;
    use signet::gui::app::Action;
    use signet::gui::rotate::RotateAction;
    let (a, b) = ("a".repeat(128), "b".repeat(128));
    let mut h = rails_rotation_harness(&a, &b);
    // Today A signs with SHA1 (signed_cookie_digest's default); proposed: B on SHA256, A kept
    // as a SHA1 rotation. Two of A's SHA1 cookies and one A signed with SHA256, which the app
    // does not accept today.
    let proposed = [("skb-2026", Digest::Sha256), ("skb-2025", Digest::Sha1)];
    for (name, d) in proposed {
        h.state_mut().rotate.proposed_digest.insert(name.into(), d);
    }
    h.state_mut().rotate.batch = [
        rails_cookie_with(&a, "rails-7.1", Some(Digest::Sha1)),
        rails_cookie_with(&a, "rails-7.1", Some(Digest::Sha1)),
        rails_cookie_with(&a, "rails-7.1", Some(Digest::Sha256)),
    ]
    .join("\n");
    h.run();
    // The set in force: chosen in its combobox (the first "digest" on the tab).
    h.query_all_by_label("digest")
        .next()
        .expect("the current set's digest")
        .click();
    h.run();
    h.get_by_label("SHA1").click();
    h.run();
    assert_eq!(h.state().rotate.current_digest, Some(Digest::Sha1));
    {
        use egui_kittest::kittest::NodeT as _;
        let mut shown: Vec<String> = h
            .query_all_by_label("digest")
            .filter_map(|n| n.accesskit_node().value())
            .collect();
        shown.sort();
        assert_eq!(shown, ["SHA1", "SHA1", "SHA256"]);
    }
    h.get_by_label("Preview rotation").click();
    finish_rotation(&mut h);
    let report = &h.state().rotate.result.as_ref().expect("a result").report;
    assert_eq!(report.count(Outcome::ValidFallback(0)), 2);
    assert_eq!(report.count(Outcome::AlreadyInvalid), 1);
    // A's rotation moved to SHA256: its SHA1 cookies are logged out, the SHA256 one now reads.
    h.state_mut()
        .rotate
        .proposed_digest
        .insert("skb-2025".into(), Digest::Sha256);
    h.run();
    h.get_by_label("Preview rotation").click();
    finish_rotation(&mut h);
    let report = &h.state().rotate.result.as_ref().expect("a result").report;
    assert_eq!(report.count(Outcome::Invalidated), 2);
    assert_eq!(report.count(Outcome::ValidFallback(0)), 1);
    // Removed and added again, a key starts without the digest it had.
    h.state_mut()
        .apply(Action::Rotate(RotateAction::RemoveProposed(1)));
    h.state_mut()
        .apply(Action::Rotate(RotateAction::AddProposed("skb-2025".into())));
    assert!(!h.state().rotate.proposed_digest.contains_key("skb-2025"));
}

#[test]
fn keys_import_from_the_clipboard_and_a_file_and_reorder_in_a_set() {
    use signet::gui::app::{Action, FileUse};
    let dir = tempfile::tempdir().expect("tempdir");
    let env = dir.path().join("prod.env");
    std::fs::write(&env, "DEBUG=0\nSECRET_KEY=from-the-env-file\n").expect("written");
    let mut app = app_with_keys(&[("shop-2026", "k-2026"), ("shop-2025", "k-2025")]);
    let chosen = env.clone();
    app.picker = std::sync::Arc::new(move |_| Some(chosen.clone()));
    let mut h = harness(app);
    h.get_by_role_and_label(Role::Button, "Keys").click();
    h.run();
    // Clipboard: needs a name first; then the next paste goes to the keyring, not the screen.
    {
        use egui_kittest::kittest::NodeT as _;
        let button = h.get_by_label("Import from clipboard");
        assert!(button.accesskit_node().is_disabled());
    }
    h.get_by_role_and_label(Role::TextInput, "Imported key name")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Imported key name")
        .type_text("clip-key");
    h.run();
    h.get_by_label("Import from clipboard").click();
    h.run();
    assert!(h.state().keys_state.awaiting_paste);
    h.event(egui::Event::Paste("clipboard-secret".into()));
    h.run();
    assert!(!h.state().keys_state.awaiting_paste);
    let key = h.state().store.load("clip-key").expect("stored");
    assert_eq!(key.secret.expose(), b"clipboard-secret");
    assert!(h.query_by_label_contains("clipboard-secret").is_none());
    assert!(
        h.state().inspect.input.is_empty(),
        "the paste went to the inspector"
    );
    // A file: named after it, the SECRET_KEY line taken.
    h.get_by_label("Import from a file…").click();
    wait_for(&mut h, "the import from the file", |a| {
        a.file_dialog.is_none() && a.keys.iter().any(|k| k.name == "prod")
    });
    let key = h
        .state()
        .store
        .load("prod")
        .expect("imported from the file");
    assert_eq!(key.secret.expose(), b"from-the-env-file");
    // Reorder: shop-2025 becomes the primary of shop-prod, then is taken out.
    assert_eq!(
        h.state().set_members("shop-prod"),
        ["shop-2026", "shop-2025"]
    );
    h.get_by_label("Move up").click();
    h.run();
    assert_eq!(
        h.state().set_members("shop-prod"),
        ["shop-2025", "shop-2026"]
    );
    h.get_by_label_contains("primary: shop-2025");
    h.state_mut().apply(Action::RemoveFromSet {
        set: "shop-prod".into(),
        index: 0,
    });
    assert_eq!(h.state().set_members("shop-prod"), ["shop-2026"]);
    assert!(
        h.state().store.load("shop-2025").is_ok(),
        "the key itself stays"
    );
    // Strength badges: the clipboard key is short and guessable, a generated one is strong.
    h.get_by_role_and_label(Role::TextInput, "New key name")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "New key name")
        .type_text("fresh");
    h.run();
    h.get_by_label("Generate key").click();
    h.run();
    let rating = |name: &str| h.state().rating(name).map(|r| r.grade);
    assert_eq!(rating("fresh"), Some("strong"));
    assert_eq!(rating("clip-key"), Some("weak"));
    h.get_by_label("strong");
    assert!(h.query_all_by_label_contains("weak (").next().is_some());
    // A dropped wordlist path and an opened file reach their tabs.
    h.state_mut()
        .apply(Action::FileChosen(FileUse::AuditWordlist, env.clone()));
    assert_eq!(h.state().audit.wordlists, format!("{}\n", env.display()));
}

#[test]
fn the_payload_tree_edits_values_types_and_fields() {
    let mut h = harness(app_with_keys(&[("shop-2026", "k-2026")]));
    paste(&mut h, &flask_cookie("k-2026"));
    h.get_by_label_contains("Edit as a tree").click();
    h.run();
    // Change a value.
    let user = h.get_by_role_and_label(Role::TextInput, "user");
    user.click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "user")
        .type_text("eve");
    h.run();
    // Add a field, then remove "role".
    h.get_by_label("New field").click();
    h.run();
    h.get_by_label("New field").type_text("admin");
    h.run();
    h.get_by_label("Add field").click();
    h.run();
    h.get_by_label("Remove role").click();
    h.run();
    let cookie = h.state().resign.output.clone().expect("re-signed");
    let decoded = format_by_id("flask")
        .expect("flask")
        .decode(&cookie, &FormatParams::default())
        .expect("decodes");
    assert_eq!(decoded.payload, Ok(json!({"admin": "", "user": "eve"})));
    h.get_by_label_contains("Verified: the new cookie is valid with shop-2026");
}

#[test]
fn keys_can_be_renamed_and_added_to_a_set() {
    let mut h = harness(app_with_keys(&[("a", "k-a")]));
    h.state_mut()
        .store
        .add("b", &Secret::from_text("k-b"), Style::Flask, "", NOW)
        .expect("added");
    h.state_mut().reload_keys();
    h.state_mut().prefs.tab = Tab::Keys;
    h.run();
    h.get_by_label("Key set").click();
    h.run();
    h.get_by_label("Key set").type_text("shop-prod");
    h.run();
    // b is the second row: Add to set appends it as a fallback.
    h.get_all_by_label("Add to set")
        .nth(1)
        .expect("b's button")
        .click();
    h.run();
    assert_eq!(h.state().set_members("shop-prod"), ["a", "b"]);
    h.get_by_label("New name").click();
    h.run();
    h.get_by_label("New name").type_text("b-2025");
    h.run();
    h.get_all_by_label("Rename")
        .nth(1)
        .expect("b's button")
        .click();
    h.run();
    assert_eq!(h.state().set_members("shop-prod"), ["a", "b-2025"]);
    assert!(h.state().store.load("b-2025").is_ok());
}

#[test]
fn the_audit_tab_finds_a_planted_key_off_the_ui_thread_and_masks_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let list = dir.path().join("words.txt");
    let mut words: String = (0..20_000).map(|i| format!("word-{i}\n")).collect();
    words.push_str("planted-key-5b1e\n");
    std::fs::write(&list, words).expect("write");
    let mut h = harness(app_with_keys(&[]));
    h.get_by_role_and_label(Role::Button, "Audit").click();
    h.run();
    h.get_by_label("Cookie to audit").click();
    h.run();
    h.get_by_label("Cookie to audit")
        .type_text(&format!("session={}", flask_cookie("planted-key-5b1e")));
    h.run();
    let lists = "Wordlists: one path per line (each line of a list is a candidate, any bytes)";
    h.get_by_label(lists).click();
    h.run();
    h.get_by_label(lists)
        .type_text(list.to_str().expect("path"));
    h.run();
    h.get_by_label("Run audit").click();
    wait_for(&mut h, "the audit finishing", |a| a.audit.job.is_none());
    let result = h.state().audit.result.as_ref().expect("a result");
    assert_eq!(
        result.found.as_deref().map(|k| k.as_slice()),
        Some(&b"planted-key-5b1e"[..])
    );
    assert_eq!(result.format, "flask");
    h.get_by_label_contains("Key found: anyone can forge flask cookies");
    // Masked until revealed.
    assert!(h.query_by_label("planted-key-5b1e").is_none());
    h.get_by_label("Reveal").click();
    h.run();
    h.get_by_label("planted-key-5b1e");
    // A cookie signed with a key on no list: not found after the whole list.
    h.state_mut().audit.cookie = flask_cookie("on-no-list-at-all-77c2");
    h.get_by_label("Run audit").click();
    wait_for(&mut h, "the audit finishing", |a| a.audit.job.is_none());
    let result = h.state().audit.result.as_ref().expect("a result");
    assert!(result.found.is_none());
    assert_eq!(
        result.tried as usize,
        signet::core::audit::BUILTIN.len() + 20_001
    );
    h.get_by_label_contains("Not found in");
}

/// A Rails 7.1 encrypted cookie (made by ActionPack) pasted with only its `secret_key_base`
/// stored: decrypted without choosing a key-generator hash, edited and re-encrypted, and the new
/// cookie opens with the same key.
#[test]
fn a_rails_encrypted_cookie_is_decrypted_edited_and_re_encrypted() {
    let file: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/rails.json"
        ))
        .expect("vectors"),
    )
    .expect("json");
    let v = file["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .find(|v| v["name"] == "rails-encrypted/sha256/data")
        .expect("the vector");
    assert_eq!(v["now"], NOW);
    let secret_key_base = v["keys"][0]["text"].as_str().expect("key");
    let mut h = harness(app_with_keys(&[("rails-app", secret_key_base)]));
    paste(&mut h, v["input"].as_str().expect("input"));
    h.get_by_label_contains("Valid — signed by rails-app");
    let editor = h.get_by_label("Payload as JSON");
    editor.click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Payload as JSON")
        .type_text(r#"{"user_id": 7, "admin": true}"#);
    h.run();
    h.get_by_label_contains("Verified: the new cookie is valid with rails-app");
    let cookie = h
        .state()
        .resign
        .output
        .clone()
        .expect("a re-encrypted cookie");
    assert_ne!(cookie, v["cookie"].as_str().expect("cookie"));
    let keys = [Secret::from_text(secret_key_base)];
    let req = signet::core::InspectRequest {
        format: Some("rails-encrypted"),
        keys: &keys,
        params: FormatParams {
            cookie_name: Some("session".into()),
            ..FormatParams::default()
        },
    };
    let opts = signet::core::VerifyOptions::at(NOW);
    let got = signet::core::inspect(&cookie, &req, &opts).expect("inspects");
    assert_eq!(got.verification.key_index, Some(0));
    let opened = got.verification.opened.expect("decrypted");
    assert_eq!(opened, json!({"user_id": 7, "admin": true}));
}

#[test]
fn a_large_paste_is_inspected_off_the_ui_thread_and_shown_as_a_summary() {
    let mut h = harness(app_with_keys(&[("shop-2026", "k-2026")]));
    // A cookie with a megabyte of other lines around it, as a saved request dump might be.
    let filler: String = (0..40_000)
        .map(|i| format!("x-trace-{i}: abcdefghij\n"))
        .collect();
    let text = format!("{filler}{}\n{filler}", flask_cookie("k-2026"));
    assert!(text.len() > signet::gui::app::BACKGROUND_OVER);
    let started = std::time::Instant::now();
    h.event(egui::Event::Paste(text));
    h.step();
    let paste_frame = started.elapsed();
    // The frame that took the paste did not inspect it: a worker does.
    assert!(h.state().inspect.pending.is_some());
    assert!(h.state().inspect.result.is_none());
    h.step();
    h.get_by_label_contains("MB pasted: too large to show");
    h.get_by_label_contains("Inspecting a large paste");
    let mut frames = 0;
    while h.state().inspect.pending.is_some() && frames < 3000 {
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
        frames += 1;
    }
    assert!(
        h.state().inspect.pending.is_none(),
        "the inspection never finished"
    );
    h.step();
    assert_eq!(
        h.state()
            .inspect
            .result
            .as_ref()
            .map(|r| r.verification.verdict.status()),
        Some("valid")
    );
    assert!(h.query_all_by_label_contains("shop-2026").next().is_some());
    eprintln!(
        "large paste: the paste frame took {paste_frame:?}; {frames} frames drawn while the worker inspected"
    );
    // Clearing it goes back to the empty state.
    h.get_by_label("Clear the paste").click();
    h.step();
    h.step();
    assert!(h.state().inspect.input.is_empty());
    assert!(h.state().inspect.result.is_none());
}

/// Frame times while a large batch is classified and once its table is up (printed, not
/// asserted: a debug build on a shared machine is no stopwatch).
#[test]
fn the_window_keeps_drawing_while_a_large_batch_is_classified() {
    use signet::gui::app::{Action, FileUse};
    use signet::gui::rotate::RotateAction;
    const N: usize = 100_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cookies.txt");
    let (a, b) = (flask_cookie("k-2026"), flask_cookie("k-2025"));
    let text: String =
        (0..N)
            .map(|i| if i % 4 == 0 { &b } else { &a })
            .fold(String::new(), |mut s, c| {
                s.push_str(c);
                s.push('\n');
                s
            });
    std::fs::write(&path, text).expect("written");
    let mut h = harness(app_with_keys(&[
        ("shop-2026", "k-2026"),
        ("shop-2025", "k-2025"),
    ]));
    h.state_mut().apply(Action::SetTab(Tab::Rotate));
    h.state_mut()
        .apply(Action::Rotate(RotateAction::PickCurrent(
            "shop-prod".into(),
        )));
    h.state_mut()
        .apply(Action::Rotate(RotateAction::RemoveProposed(1)));
    h.state_mut()
        .apply(Action::FileChosen(FileUse::RotateCookies, path));
    h.run();
    h.state_mut().apply(Action::Rotate(RotateAction::Run));
    let mut during = Vec::new();
    while h.state().rotate.job.is_some() && during.len() < 100_000 {
        let t = std::time::Instant::now();
        h.step();
        during.push(t.elapsed());
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let result = h.state().rotate.result.as_ref().expect("finished");
    assert_eq!(result.rows.len(), N);
    assert_eq!(
        result
            .report
            .count(signet::core::rotate::Outcome::Invalidated),
        N / 4
    );
    let mut after = Vec::new();
    for _ in 0..10 {
        let t = std::time::Instant::now();
        h.step();
        after.push(t.elapsed());
    }
    // Filtering and sorting a large table happen once per change, then frames are cheap again.
    h.get_by_label("Signed at").click();
    let t = std::time::Instant::now();
    h.step();
    let sort_frame = t.elapsed();
    h.step();
    let t = std::time::Instant::now();
    h.step();
    let next_frame = t.elapsed();
    let max = |v: &[std::time::Duration]| v.iter().max().copied().unwrap_or_default();
    eprintln!(
        "frames: {} while classifying {N} cookies, slowest {:?}; with the table: slowest {:?}; \
         re-sorting frame {sort_frame:?}, the frame after {next_frame:?}",
        during.len(),
        max(&during),
        max(&after)
    );
}
