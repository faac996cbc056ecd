//! Deleting leaves no trace: after a bookmark whose note holds a unique marker is deleted
//! (or its note replaced, or a recorded search cleared), the marker is in no file under
//! the data directory, checked byte for byte while the store is still open and after it
//! is closed. After `wipe`, no file is left at all.

use std::path::Path;

use quire_core::store::{Settings, Store};

fn marker(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("QUIRE-MARKER-{tag}-{nanos:x}-{}", std::process::id())
}

/// Every file under `dir`, recursively, with its bytes.
fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

fn files_holding(dir: &Path, marker: &str) -> Vec<std::path::PathBuf> {
    all_files(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(marker.len()).any(|w| w == marker.as_bytes()))
        .map(|(path, _)| path)
        .collect()
}

/// Some unrelated rows around the ones deleted, so pages are shared, not freed whole.
fn neighbours(store: &Store) {
    for i in 0..50 {
        store
            .add_bookmark(&format!("neighbour-{i}"), Some(&"n".repeat(100)), None)
            .unwrap();
    }
}

#[test]
fn store_deleted_bookmark_note_is_in_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let secret = marker("deleted");
    let store = Store::open(dir.path()).unwrap().store;
    neighbours(&store);
    store
        .add_bookmark("changed-my-mind", Some(&format!("note {secret} end")), None)
        .unwrap();
    neighbours(&store);
    // The scan finds the marker while it is meant to be there (in the WAL at least).
    assert!(!files_holding(dir.path(), &secret).is_empty());

    assert!(store.remove_bookmark("changed-my-mind").unwrap());
    assert_eq!(
        files_holding(dir.path(), &secret),
        Vec::<std::path::PathBuf>::new()
    );
    // Closing (which checkpoints and removes the WAL) does not bring it back either.
    drop(store);
    assert_eq!(
        files_holding(dir.path(), &secret),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn store_replaced_note_is_in_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let secret = marker("replaced");
    let store = Store::open(dir.path()).unwrap().store;
    neighbours(&store);
    store
        .add_bookmark("a", Some(&secret), Some(&format!("folder-{secret}")))
        .unwrap();
    assert!(!files_holding(dir.path(), &secret).is_empty());
    store.add_bookmark("a", Some("harmless"), None).unwrap();
    assert_eq!(
        files_holding(dir.path(), &secret),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn store_cleared_searches_and_history_are_in_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let query = marker("query");
    let article = marker("article");
    let store = Store::open(dir.path()).unwrap().store;
    store
        .set_settings(&Settings {
            history_enabled: true,
            recent_searches_enabled: true,
            ..Settings::default()
        })
        .unwrap();
    store.record_search(&query).unwrap();
    store.record_article_opened(&article).unwrap();
    store.record_search("other").unwrap();
    assert!(!files_holding(dir.path(), &query).is_empty());
    assert!(!files_holding(dir.path(), &article).is_empty());
    store.clear_recent_searches().unwrap();
    // Turning history off deletes it.
    store
        .set_settings(&Settings {
            recent_searches_enabled: true,
            ..Settings::default()
        })
        .unwrap();
    assert_eq!(
        files_holding(dir.path(), &query),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        files_holding(dir.path(), &article),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn store_wipe_leaves_no_file_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let secret = marker("wiped");
    let store = Store::open(dir.path()).unwrap().store;
    neighbours(&store);
    store.add_bookmark("a", Some(&secret), None).unwrap();
    store.set_progress("a", 0.5).unwrap();
    store.set_setting("theme", "dark").unwrap();
    // A reader connection is open too (pooled) when the wipe happens.
    assert_eq!(store.bookmarks().unwrap().len(), 51);
    assert!(!Store::files(dir.path()).unwrap().is_empty());

    store.wipe().unwrap();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(left, Vec::<std::path::PathBuf>::new(), "no file left");
    drop(store);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        left,
        Vec::<std::path::PathBuf>::new(),
        "none after drop either"
    );
}

#[test]
fn store_wipe_dir_removes_a_store_that_cannot_be_opened() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap().store;
    store.add_bookmark("a", Some("x"), None).unwrap();
    drop(store);
    // Pretend a newer app wrote it: it cannot be opened, but it can be wiped.
    let conn =
        rusqlite::Connection::open(dir.path().join(quire_core::store::DB_FILE_NAME)).unwrap();
    conn.execute_batch("PRAGMA user_version = 1000").unwrap();
    drop(conn);
    assert!(Store::open(dir.path()).is_err());
    Store::wipe_dir(dir.path()).unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
