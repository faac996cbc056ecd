//! Export → wipe → import gives the same data back; importing twice duplicates nothing;
//! an export from a newer app, or a malformed one, is refused and changes nothing.

use proptest::prelude::*;
use quire_core::Error;
use quire_core::store::{EXPORT_FORMAT_VERSION, ImportSummary, Settings, Store};

fn filled(dir: &std::path::Path) -> Store {
    let store = Store::open(dir).unwrap().store;
    store
        .set_settings(&Settings {
            history_enabled: true,
            history_retention_days: Some(90),
            recent_searches_enabled: true,
            recent_searches_retention_days: None,
        })
        .unwrap();
    store.set_setting("theme", "dark").unwrap();
    store.set_setting("cover_titles", "on").unwrap();
    for i in 0..25 {
        let id = format!("article-{i:02}");
        let note = (i % 2 == 0).then(|| format!("note {i}: ünïcode ✓ \"quoted\"\nline 2"));
        let folder = (i % 3 == 0).then_some("later");
        store.add_bookmark(&id, note.as_deref(), folder).unwrap();
        store.set_progress(&id, i as f64 / 24.0).unwrap();
        store.record_article_opened(&id).unwrap();
    }
    store.record_search("withdrawing consent").unwrap();
    store.record_search("painful sex").unwrap();
    store
}

#[test]
fn store_export_wipe_import_gives_everything_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(dir.path());
    let bookmarks = store.bookmarks().unwrap();
    let progress = store.all_progress().unwrap();
    let history = store.history().unwrap();
    let searches = store.recent_searches().unwrap();
    let settings = store.settings().unwrap();
    let custom = store.custom_settings().unwrap();
    let json = store.export_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format_version"], EXPORT_FORMAT_VERSION);

    store.wipe().unwrap();
    drop(store);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let store = Store::open(dir.path()).unwrap().store;
    assert!(store.bookmarks().unwrap().is_empty());
    let summary = store.import_json(&json).unwrap();
    assert_eq!(summary.bookmarks, bookmarks.len() as u64);
    assert_eq!(summary.progress, progress.len() as u64);
    assert_eq!(store.bookmarks().unwrap(), bookmarks);
    assert_eq!(store.all_progress().unwrap(), progress);
    assert_eq!(store.history().unwrap(), history);
    assert_eq!(store.recent_searches().unwrap(), searches);
    assert_eq!(store.settings().unwrap(), settings);
    assert_eq!(store.custom_settings().unwrap(), custom);

    // Again: nothing changes, nothing doubles.
    assert_eq!(store.import_json(&json).unwrap(), ImportSummary::default());
    assert_eq!(store.bookmarks().unwrap(), bookmarks);
    assert_eq!(store.all_progress().unwrap(), progress);
    assert_eq!(store.history().unwrap(), history);
    assert_eq!(store.recent_searches().unwrap(), searches);
}

#[test]
fn store_import_refuses_newer_and_malformed_exports_without_changing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(dir.path());
    let json = store.export_json().unwrap();
    let before = store.bookmarks().unwrap();

    let other = tempfile::tempdir().unwrap();
    let target = Store::open(other.path()).unwrap().store;
    target.add_bookmark("mine", None, None).unwrap();
    let target_before = target.export().unwrap();

    let mut newer: serde_json::Value = serde_json::from_str(&json).unwrap();
    newer["format_version"] = (EXPORT_FORMAT_VERSION + 1).into();
    match target.import_json(&newer.to_string()) {
        Err(Error::NewerExport { found, supported }) => {
            assert_eq!(found, EXPORT_FORMAT_VERSION + 1);
            assert_eq!(supported, EXPORT_FORMAT_VERSION);
        }
        other => panic!("expected NewerExport, got {other:?}"),
    }

    for (bad, expect) in [
        ("", "invalid JSON"),
        ("{\"format_version\": 1, \"bookmarks\": [", "invalid JSON"),
        ("[1, 2, 3]", "invalid JSON"),
        ("{\"bookmarks\": []}", "format_version"),
        (
            "{\"format_version\": 1, \"exported_at\": \"2024-01-01T00:00:00Z\", \
              \"bookmarks\": [{\"article_id\": \"x\", \"created_at\": \"yesterday\"}]}",
            "malformed export",
        ),
    ] {
        match target.import_json(bad) {
            Err(Error::Import(message)) => {
                assert!(message.contains(expect), "{bad:?}: {message}")
            }
            other => panic!("{bad:?}: expected Import, got {other:?}"),
        }
    }

    // A valid-looking export with one bad row is refused whole (atomic).
    let mut one_bad: serde_json::Value = serde_json::from_str(&json).unwrap();
    one_bad["progress"][3]["position"] = 7.5.into();
    match target.import_json(&one_bad.to_string()) {
        Err(Error::Import(message)) => assert!(message.contains("progress[3]"), "{message}"),
        other => panic!("expected Import, got {other:?}"),
    }

    let mut after = target.export().unwrap();
    after.exported_at = target_before.exported_at;
    assert_eq!(after, target_before, "nothing changed");
    assert_eq!(store.bookmarks().unwrap(), before);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any notes, folders and positions survive export → import into an empty store.
    #[test]
    fn store_export_import_round_trips_any_text(
        rows in proptest::collection::vec(
            ("[a-z0-9-]{1,40}", proptest::option::of(".{0,200}"),
             proptest::option::of("\\PC{0,30}"), 0.0f64..=1.0),
            0..12,
        )
    ) {
        let from = tempfile::tempdir().unwrap();
        let store = Store::open(from.path()).unwrap().store;
        for (id, note, folder, position) in &rows {
            store.add_bookmark(id, note.as_deref(), folder.as_deref()).unwrap();
            store.set_progress(id, *position).unwrap();
        }
        let json = store.export_json().unwrap();
        let to = tempfile::tempdir().unwrap();
        let copy = Store::open(to.path()).unwrap().store;
        copy.import_json(&json).unwrap();
        prop_assert_eq!(copy.bookmarks().unwrap(), store.bookmarks().unwrap());
        prop_assert_eq!(copy.all_progress().unwrap(), store.all_progress().unwrap());
        prop_assert_eq!(copy.import_json(&json).unwrap(), ImportSummary::default());
    }
}
