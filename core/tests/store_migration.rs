//! Upgrading every older schema, and refusing a newer one.
//!
//! Each released schema is frozen here as SQL text, exactly as that version of the app
//! created it. The test builds it, fills it, opens it with the current code, and checks
//! every row.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use quire_core::Error;
use quire_core::store::{DB_FILE_NAME, HistoryEntry, SCHEMA_VERSION, Settings, Store};
use rusqlite::{Connection, params};

/// Schema v1, frozen: bookmarks without folders, times as RFC 3339 text, no recent
/// searches, settings as key/value text.
const V1_SCHEMA: &str = "
CREATE TABLE bookmarks (
    article_id TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT
);
CREATE TABLE progress (
    article_id TEXT PRIMARY KEY NOT NULL,
    position REAL NOT NULL,
    last_opened TEXT NOT NULL
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    opened_at TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
PRAGMA user_version = 1;
";

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A v1 bookmark row: id, created_at as v1 wrote it, note; and the time v2 must hold.
struct V1Bookmark {
    id: String,
    created_text: String,
    note: Option<String>,
    expected: Option<DateTime<Utc>>,
}

fn v1_bookmarks() -> Vec<V1Bookmark> {
    let mut rows = vec![
        V1Bookmark {
            id: "withdrawing-consent".into(),
            created_text: "2023-05-01T10:00:00Z".into(),
            note: Some("read with Sam".into()),
            expected: Some(utc("2023-05-01T10:00:00Z")),
        },
        V1Bookmark {
            id: "painful-sex".into(),
            created_text: "2023-06-02T11:30:00.123456+02:00".into(),
            note: None,
            expected: Some(utc("2023-06-02T09:30:00.123456Z")),
        },
        V1Bookmark {
            id: "changed-my-mind".into(),
            // SQLite's own datetime() spelling, also accepted by v1.
            created_text: "2023-07-03 12:00:00".into(),
            note: Some("ünïcödé ✓ and a \"quote\"".into()),
            expected: Some(utc("2023-07-03T12:00:00Z")),
        },
        V1Bookmark {
            id: "garbled-time".into(),
            // Unreadable: the bookmark is kept, dated at the migration.
            created_text: "not a time".into(),
            note: Some("keep me anyway".into()),
            expected: None,
        },
    ];
    for i in 0..200 {
        rows.push(V1Bookmark {
            id: format!("generated-{i:03}"),
            created_text: format!("2024-01-01T00:{:02}:{:02}Z", i / 60, i % 60),
            note: (i % 3 == 0).then(|| format!("note {i} {}", "x".repeat(i))),
            expected: Some(utc(&format!("2024-01-01T00:{:02}:{:02}Z", i / 60, i % 60))),
        });
    }
    rows
}

/// v1 progress rows: id, position as stored, last_opened text; and the v2 position.
const V1_PROGRESS: [(&str, f64, &str, f64); 4] = [
    ("withdrawing-consent", 0.5, "2023-05-02T10:00:00Z", 0.5),
    ("painful-sex", 1.0, "2023-06-03T08:00:00Z", 1.0),
    ("changed-my-mind", 0.0, "2023-07-04T09:15:30.5Z", 0.0),
    // v1 did not check the range; v2 clamps.
    ("overshot", 1.25, "2023-08-01T00:00:00Z", 1.0),
];

const V1_HISTORY: [(&str, &str); 3] = [
    ("withdrawing-consent", "2023-05-02T10:00:00Z"),
    ("painful-sex", "2023-06-03T08:00:00Z"),
    ("withdrawing-consent", "2023-06-04T08:00:00Z"),
];

fn build_v1(dir: &Path) {
    let conn = Connection::open(dir.join(DB_FILE_NAME)).unwrap();
    conn.execute_batch(V1_SCHEMA).unwrap();
    for b in v1_bookmarks() {
        conn.execute(
            "INSERT INTO bookmarks (article_id, created_at, note) VALUES (?1, ?2, ?3)",
            params![b.id, b.created_text, b.note],
        )
        .unwrap();
    }
    for (id, position, opened, _) in V1_PROGRESS {
        conn.execute(
            "INSERT INTO progress (article_id, position, last_opened) VALUES (?1, ?2, ?3)",
            params![id, position, opened],
        )
        .unwrap();
    }
    for (id, opened) in V1_HISTORY {
        conn.execute(
            "INSERT INTO history (article_id, opened_at) VALUES (?1, ?2)",
            params![id, opened],
        )
        .unwrap();
    }
    conn.execute_batch(
        "INSERT INTO settings (key, value) VALUES
             ('quire.history_enabled', '1'), ('theme', 'dark'), ('cover_titles', 'on');",
    )
    .unwrap();
}

#[test]
fn store_migrates_a_filled_v1_database_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    build_v1(dir.path());
    let before_open = Utc::now();
    let opened = Store::open(dir.path()).unwrap();
    assert!(opened.recovery.is_none());
    let store = opened.store;

    // Bookmarks: every row, times converted, no folder, notes unchanged.
    let expected = v1_bookmarks();
    let got: BTreeMap<String, _> = store
        .bookmarks()
        .unwrap()
        .into_iter()
        .map(|b| (b.article_id.clone(), b))
        .collect();
    assert_eq!(got.len(), expected.len());
    for e in &expected {
        let b = &got[&e.id];
        assert_eq!(b.note, e.note, "{}", e.id);
        assert_eq!(b.folder, None, "{}", e.id);
        match e.expected {
            Some(t) => assert_eq!(b.created_at, t, "{}", e.id),
            None => assert!(
                b.created_at >= before_open - chrono::Duration::seconds(1)
                    && b.created_at <= Utc::now(),
                "{}: {}",
                e.id,
                b.created_at
            ),
        }
    }

    // Progress.
    let progress = store.all_progress().unwrap();
    assert_eq!(progress.len(), V1_PROGRESS.len());
    for (id, _, opened, position) in V1_PROGRESS {
        let p = store.progress(id).unwrap().unwrap();
        assert_eq!(p.position, position, "{id}");
        assert_eq!(p.last_opened, utc(opened), "{id}");
    }

    // History (it was on in v1), newest first.
    let history = store.history().unwrap();
    let mut expected_history: Vec<HistoryEntry> = V1_HISTORY
        .iter()
        .map(|(id, at)| HistoryEntry {
            article_id: (*id).into(),
            opened_at: utc(at),
        })
        .collect();
    expected_history.reverse();
    assert_eq!(history, expected_history);

    // Settings: the typed one read from its v1 key, shell settings unchanged.
    assert_eq!(
        store.settings().unwrap(),
        Settings {
            history_enabled: true,
            ..Settings::default()
        }
    );
    let custom = store.custom_settings().unwrap();
    assert_eq!(custom.len(), 2);
    assert_eq!(custom["theme"], "dark");
    assert_eq!(custom["cover_titles"], "on");

    // New in v2: folders and recent searches work on the upgraded database.
    assert!(store.recent_searches().unwrap().is_empty());
    let b = store
        .add_bookmark("withdrawing-consent", Some("read with Sam"), Some("later"))
        .unwrap();
    assert_eq!(b.created_at, utc("2023-05-01T10:00:00Z"));
    assert_eq!(b.folder.as_deref(), Some("later"));
    drop(store);

    let conn = Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    // Row counts, kept for salvage, start right.
    let counted: i64 = conn
        .query_row(
            "SELECT n FROM row_counts WHERE name = 'bookmarks'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(counted as usize, expected.len());
}

#[test]
fn store_migrates_an_empty_v1_database() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
    conn.execute_batch(V1_SCHEMA).unwrap();
    drop(conn);
    let store = Store::open(dir.path()).unwrap().store;
    assert!(store.bookmarks().unwrap().is_empty());
    assert_eq!(store.settings().unwrap(), Settings::default());
}

fn dir_listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn store_refuses_a_newer_schema_and_leaves_it_byte_for_byte() {
    // A database written by this code, then "upgraded" by a future app.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap().store;
    store
        .add_bookmark("withdrawing-consent", Some("mine"), None)
        .unwrap();
    drop(store);
    let conn = Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE from_the_future (x); PRAGMA user_version = {};",
        SCHEMA_VERSION + 1
    ))
    .unwrap();
    drop(conn);
    let before = dir_listing(dir.path());
    assert_eq!(before.len(), 1, "only the database file");

    for _ in 0..2 {
        match Store::open(dir.path()) {
            Err(Error::NewerSchema { found, supported }) => {
                assert_eq!(found, SCHEMA_VERSION + 1);
                assert_eq!(supported, SCHEMA_VERSION);
            }
            other => panic!("expected NewerSchema, got {other:?}"),
        }
        assert_eq!(dir_listing(dir.path()), before, "left untouched");
    }
}

#[test]
fn store_refuses_a_newer_rollback_journal_database_too() {
    // A future app might not use WAL: opening must not switch the file to WAL.
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE;
         CREATE TABLE bookmarks (id TEXT);
         INSERT INTO bookmarks VALUES ('a');
         PRAGMA user_version = 99;",
    )
    .unwrap();
    drop(conn);
    let before = dir_listing(dir.path());
    assert!(matches!(
        Store::open(dir.path()),
        Err(Error::NewerSchema { found: 99, .. })
    ));
    assert_eq!(dir_listing(dir.path()), before);
}
