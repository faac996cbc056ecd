//! Unit tests of the store on real database files in temporary directories.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;

use super::*;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let opened = Store::open(dir.path()).unwrap();
    assert!(opened.recovery.is_none());
    (dir, opened.store)
}

fn days_ago(days: i64) -> i64 {
    db::micros(db::now() - Duration::days(days))
}

#[test]
fn store_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Store>();
}

#[test]
fn re_adding_a_bookmark_updates_note_and_folder_and_keeps_created_at() {
    let (_dir, store) = open();
    let first = store
        .add_bookmark("a", Some("first"), Some("later"))
        .unwrap();
    std::thread::sleep(StdDuration::from_millis(2));
    let again = store.add_bookmark("a", Some("second"), None).unwrap();
    assert_eq!(again.created_at, first.created_at);
    assert_eq!(again.note.as_deref(), Some("second"));
    assert_eq!(again.folder, None);
    assert_eq!(store.bookmark("a").unwrap(), Some(again));
    // Empty strings are no note.
    assert_eq!(
        store.add_bookmark("a", Some(""), Some("")).unwrap().note,
        None
    );
}

#[test]
fn bookmarks_are_listed_newest_first_and_removed_once() {
    let (_dir, store) = open();
    for id in ["a", "b", "c"] {
        store.add_bookmark(id, None, None).unwrap();
        std::thread::sleep(StdDuration::from_millis(2));
    }
    let ids: Vec<_> = store
        .bookmarks()
        .unwrap()
        .into_iter()
        .map(|b| b.article_id)
        .collect();
    assert_eq!(ids, ["c", "b", "a"]);
    assert!(store.remove_bookmark("b").unwrap());
    assert!(!store.remove_bookmark("b").unwrap());
    assert_eq!(store.bookmark("b").unwrap(), None);
    assert_eq!(store.bookmarks().unwrap().len(), 2);
}

#[test]
fn bad_ids_and_positions_are_invalid_arguments() {
    let (_dir, store) = open();
    assert!(matches!(
        store.add_bookmark("", None, None),
        Err(Error::InvalidArgument(_))
    ));
    let long = "x".repeat(MAX_ARTICLE_ID_LEN + 1);
    assert!(matches!(
        store.add_bookmark(&long, None, None),
        Err(Error::InvalidArgument(_))
    ));
    for bad in [f64::NAN, -0.01, 1.01, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(
            matches!(store.set_progress("a", bad), Err(Error::InvalidArgument(_))),
            "{bad}"
        );
    }
    assert_eq!(store.progress("a").unwrap(), None);
}

#[test]
fn progress_is_set_read_listed_and_removed() {
    let (_dir, store) = open();
    store.set_progress("a", 0.0).unwrap();
    std::thread::sleep(StdDuration::from_millis(2));
    let b = store.set_progress("b", 1.0).unwrap();
    std::thread::sleep(StdDuration::from_millis(2));
    let a = store.set_progress("a", 0.25).unwrap();
    assert_eq!(store.progress("a").unwrap(), Some(a.clone()));
    assert_eq!(store.all_progress().unwrap(), vec![a, b]);
    assert!(store.remove_progress("a").unwrap());
    assert_eq!(store.progress("a").unwrap(), None);
}

#[test]
fn flagged_bookmarks_keep_missing_articles() {
    let (_dir, store) = open();
    store.add_bookmark("kept", None, None).unwrap();
    store.add_bookmark("gone", Some("note"), None).unwrap();
    let flagged = store.bookmarks_flagged(|id| id == "kept").unwrap();
    assert_eq!(flagged.len(), 2);
    for f in &flagged {
        assert_eq!(f.missing, f.bookmark.article_id == "gone");
    }
}

#[test]
fn history_and_searches_are_off_by_default_and_deleted_when_turned_off() {
    let (_dir, store) = open();
    assert_eq!(store.settings().unwrap(), Settings::default());
    assert!(!store.record_article_opened("a").unwrap());
    assert!(!store.record_search("consent").unwrap());
    assert!(store.history().unwrap().is_empty());
    assert!(store.recent_searches().unwrap().is_empty());

    let on = Settings {
        history_enabled: true,
        recent_searches_enabled: true,
        ..Settings::default()
    };
    store.set_settings(&on).unwrap();
    assert_eq!(store.settings().unwrap(), on);
    assert!(store.record_article_opened("a").unwrap());
    assert!(store.record_search("  consent  ").unwrap());
    assert!(!store.record_search("   ").unwrap());
    assert_eq!(store.history().unwrap()[0].article_id, "a");
    assert_eq!(store.recent_searches().unwrap()[0].query, "consent");

    store
        .set_settings(&Settings {
            history_enabled: false,
            ..on.clone()
        })
        .unwrap();
    assert!(store.history().unwrap().is_empty());
    assert_eq!(store.recent_searches().unwrap().len(), 1);
    store.set_settings(&Settings::default()).unwrap();
    assert!(store.recent_searches().unwrap().is_empty());
    // Turning history back on does not bring anything back.
    store.set_settings(&on).unwrap();
    assert!(store.history().unwrap().is_empty());
}

#[test]
fn clear_functions_empty_history_and_searches() {
    let (_dir, store) = open();
    store
        .set_settings(&Settings {
            history_enabled: true,
            recent_searches_enabled: true,
            ..Settings::default()
        })
        .unwrap();
    store.record_article_opened("a").unwrap();
    store.record_search("q").unwrap();
    store.clear_history().unwrap();
    store.clear_recent_searches().unwrap();
    assert!(store.history().unwrap().is_empty());
    assert!(store.recent_searches().unwrap().is_empty());
}

#[test]
fn recent_searches_move_to_the_top_and_are_capped() {
    let (_dir, store) = open();
    store
        .set_settings(&Settings {
            recent_searches_enabled: true,
            ..Settings::default()
        })
        .unwrap();
    for i in 0..MAX_RECENT_SEARCHES + 5 {
        store.record_search(&format!("q{i}")).unwrap();
    }
    store.record_search("q10").unwrap();
    let searches = store.recent_searches().unwrap();
    assert_eq!(searches.len(), MAX_RECENT_SEARCHES);
    assert_eq!(searches[0].query, "q10");
    assert!(!searches.iter().any(|s| s.query == "q0"));
    let long = "é".repeat(MAX_RECORDED_QUERY_CHARS * 2);
    store.record_search(&long).unwrap();
    assert_eq!(
        store.recent_searches().unwrap()[0].query.chars().count(),
        MAX_RECORDED_QUERY_CHARS
    );
}

#[test]
fn retention_forgets_old_rows_on_record_list_and_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap().store;
    store
        .set_settings(&Settings {
            history_enabled: true,
            history_retention_days: Some(7),
            recent_searches_enabled: true,
            recent_searches_retention_days: Some(30),
        })
        .unwrap();
    let backdate = |store: &Store| {
        store.with_writer(|c| {
            c.execute(
                "INSERT INTO history (article_id, opened_at) VALUES ('old', ?1), ('new', ?2)",
                [days_ago(8), days_ago(6)],
            )
            .unwrap();
            c.execute(
                "INSERT INTO recent_searches (query, searched_at) VALUES ('old', ?1), ('new', ?2)",
                [days_ago(31), days_ago(29)],
            )
            .unwrap();
        })
    };
    backdate(&store);
    let ids: Vec<_> = store
        .history()
        .unwrap()
        .into_iter()
        .map(|h| h.article_id)
        .collect();
    assert_eq!(ids, ["new"]);
    let queries: Vec<_> = store
        .recent_searches()
        .unwrap()
        .into_iter()
        .map(|s| s.query)
        .collect();
    assert_eq!(queries, ["new"]);

    store.clear_history().unwrap();
    store.clear_recent_searches().unwrap();
    backdate(&store);
    drop(store);
    let store = Store::open(dir.path()).unwrap().store;
    let count = |table: &str| -> i64 {
        store.with_writer(|c| {
            c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        })
    };
    assert_eq!(count("history"), 1, "applied on open");
    assert_eq!(count("recent_searches"), 1, "applied on open");

    store.with_writer(|c| {
        c.execute(
            "INSERT INTO history (article_id, opened_at) VALUES ('older', ?1)",
            [days_ago(100)],
        )
        .unwrap();
    });
    store.record_article_opened("x").unwrap();
    assert_eq!(count("history"), 2, "applied on record");
}

#[test]
fn retention_of_zero_days_is_refused() {
    let (_dir, store) = open();
    let bad = Settings {
        history_enabled: true,
        history_retention_days: Some(0),
        ..Settings::default()
    };
    assert!(matches!(
        store.set_settings(&bad),
        Err(Error::InvalidArgument(_))
    ));
    // A huge retention is fine (no overflow).
    store
        .set_settings(&Settings {
            history_enabled: true,
            history_retention_days: Some(u32::MAX),
            ..Settings::default()
        })
        .unwrap();
    assert!(store.record_article_opened("a").unwrap());
    assert_eq!(store.history().unwrap().len(), 1);
}

#[test]
fn shell_settings_round_trip_and_reserved_keys_are_refused() {
    let (_dir, store) = open();
    assert_eq!(store.setting("theme").unwrap(), None);
    store.set_setting("theme", "dark").unwrap();
    store.set_setting("cover_titles", "on").unwrap();
    store.set_setting("theme", "light").unwrap();
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("light"));
    store
        .set_settings(&Settings {
            history_enabled: true,
            ..Settings::default()
        })
        .unwrap();
    let all = store.custom_settings().unwrap();
    assert_eq!(all.len(), 2, "typed settings are not listed: {all:?}");
    assert!(store.remove_setting("theme").unwrap());
    assert!(!store.remove_setting("theme").unwrap());
    for bad in ["", "quire.history_enabled", "quire.anything"] {
        assert!(matches!(
            store.set_setting(bad, "1"),
            Err(Error::InvalidArgument(_))
        ));
    }
}

#[test]
fn readers_do_not_wait_for_the_writer() {
    let (_dir, store) = open();
    store.add_bookmark("before", None, None).unwrap();
    let store = Arc::new(store);
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let writer = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            store
                .write(Durability::Full, |tx, _| {
                    tx.execute(
                        "INSERT INTO bookmarks (article_id, created_at) VALUES ('during', 0)",
                        [],
                    )
                    .db()?;
                    started_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    Ok(())
                })
                .unwrap();
        })
    };
    started_rx.recv().unwrap();
    // The writer holds its lock and an open write transaction; reads still answer, with
    // the last committed state.
    let ids: Vec<_> = store
        .bookmarks()
        .unwrap()
        .into_iter()
        .map(|b| b.article_id)
        .collect();
    assert_eq!(ids, ["before"]);
    release_tx.send(()).unwrap();
    writer.join().unwrap();
    assert_eq!(store.bookmarks().unwrap().len(), 2);
}

#[test]
fn calls_after_wipe_fail_and_reopening_starts_afresh() {
    let (dir, store) = open();
    store.add_bookmark("a", Some("n"), None).unwrap();
    store.wipe().unwrap();
    assert!(matches!(store.bookmarks(), Err(Error::Storage(_))));
    assert!(matches!(
        store.add_bookmark("b", None, None),
        Err(Error::Storage(_))
    ));
    assert!(Store::files(dir.path()).unwrap().is_empty());
    store.wipe().unwrap();
    let store = Store::open(dir.path()).unwrap().store;
    assert!(store.bookmarks().unwrap().is_empty());
}

#[test]
fn import_merges_by_the_documented_rules() {
    let (_dir, store) = open();
    let here = store.add_bookmark("both", Some("mine"), None).unwrap();
    let earlier = here.created_at - Duration::days(1);
    let json = serde_json::json!({
        "format_version": 1,
        "exported_at": "2024-01-01T00:00:00Z",
        "bookmarks": [
            {"article_id": "both", "created_at": earlier, "note": "theirs", "folder": "f"},
            {"article_id": "new", "created_at": earlier}
        ],
        "progress": [{"article_id": "p", "position": 0.5, "last_opened": earlier}],
        "history": [{"article_id": "h", "opened_at": earlier}],
        "custom_settings": {"theme": "dark"}
    })
    .to_string();
    let summary = store.import_json(&json).unwrap();
    assert_eq!(summary.bookmarks, 2);
    assert_eq!(summary.progress, 1);
    assert_eq!(summary.history, 0, "history is off");
    let both = store.bookmark("both").unwrap().unwrap();
    assert_eq!(both.created_at, earlier);
    assert_eq!(both.note.as_deref(), Some("mine"), "local note wins");
    assert_eq!(
        both.folder.as_deref(),
        Some("f"),
        "missing folder filled in"
    );
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
    // A newer local progress is not overwritten by an older imported one.
    let now = store.set_progress("p", 0.9).unwrap();
    let again = store.import_json(&json).unwrap();
    assert_eq!(again, ImportSummary::default());
    assert_eq!(store.progress("p").unwrap(), Some(now));
}

#[test]
fn a_failed_import_changes_nothing() {
    let (_dir, store) = open();
    store.add_bookmark("a", None, None).unwrap();
    let before = store.export().unwrap();
    let mut export = before.clone();
    export.bookmarks.push(Bookmark {
        article_id: "b".into(),
        created_at: db::now(),
        note: None,
        folder: None,
    });
    export.settings.history_enabled = true;
    export.progress.push(Progress {
        article_id: "p".into(),
        position: 2.0,
        last_opened: db::now(),
    });
    assert!(matches!(store.import(&export), Err(Error::Import(_))));
    let after = store.export().unwrap();
    assert_eq!(after.bookmarks, before.bookmarks);
    assert_eq!(after.settings, before.settings);
    assert!(after.progress.is_empty());
}

#[cfg(unix)]
#[test]
fn store_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let store = Store::open(dir.path()).unwrap().store;
    store.add_bookmark("a", Some("private note"), None).unwrap();
    let files = Store::files(dir.path()).unwrap();
    assert!(!files.is_empty());
    for f in files {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is {mode:o}", f.display());
    }
    // A file left readable by an earlier version is tightened at the next open.
    drop(store);
    let db = dir.path().join(DB_FILE_NAME);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _store = Store::open(dir.path()).unwrap().store;
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
        0o600
    );
}
