//! Helpers for the store's unit tests.

use chrono::Duration;

use super::{Store, db};

/// A fresh store in a new temporary directory (kept alive by the returned guard).
pub(super) fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let opened = Store::open(dir.path()).unwrap();
    assert!(opened.recovery.is_none());
    (dir, opened.store)
}

/// A stored time `days` days before now.
pub(super) fn days_ago(days: i64) -> i64 {
    db::micros(db::now() - Duration::days(days))
}

/// How many rows `table` holds, counted on the writer.
pub(super) fn count_rows(store: &Store, table: &str) -> i64 {
    store.with_writer(|c| {
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    })
}
