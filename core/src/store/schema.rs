//! The database schema and its migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`. `MIGRATIONS[i]` brings a
//! database from version `i` to `i + 1`; a new database runs every step from 0, so the
//! upgrade path is the one path. Each step is frozen once released: a change to the
//! schema is a new step, never an edit of an old one.
//!
//! * **v1** (first shape): bookmarks without folders, times as RFC 3339 text, no recent
//!   searches.
//! * **v2**: times as integer microseconds since the Unix epoch (UTC), a folder on
//!   bookmarks, recent searches, covering indexes that serve the lists and double as a
//!   second copy for salvage, and `row_counts`, kept by triggers, so a repair can say how
//!   many rows it lost.
//! * **v3** (current): reading positions anchored to a block of the article (index,
//!   offset, checksums of the block and of the article), and `app_lock`, the one row of
//!   the app lock (the PIN's hash, wrong attempts, options).

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::db;

/// The schema version this code writes. A database with a higher `user_version` comes
/// from a newer app and is refused with [`Error::NewerSchema`](crate::Error::NewerSchema).
pub const SCHEMA_VERSION: i64 = 3;

type Migration = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// `MIGRATIONS[i]` upgrades version `i` to `i + 1`.
const MIGRATIONS: [Migration; SCHEMA_VERSION as usize] = [to_v1, to_v2, to_v3];

/// Keys of the typed settings in the `settings` table. Shells' own keys may not use the
/// `quire.` prefix.
pub(crate) const KEY_HISTORY_ENABLED: &str = "quire.history_enabled";
pub(crate) const KEY_HISTORY_RETENTION: &str = "quire.history_retention_days";
pub(crate) const KEY_SEARCHES_ENABLED: &str = "quire.recent_searches_enabled";
pub(crate) const KEY_SEARCHES_RETENTION: &str = "quire.recent_searches_retention_days";
/// Prefix reserved for the typed settings.
pub(crate) const RESERVED_PREFIX: &str = "quire.";

/// The tables whose rows `row_counts` counts, in salvage order.
pub(crate) const COUNTED_TABLES: [&str; 5] = [
    "bookmarks",
    "progress",
    "history",
    "recent_searches",
    "settings",
];

/// Upgrades the database to [`SCHEMA_VERSION`] in one immediate transaction. Returns the
/// version found; when it is newer than [`SCHEMA_VERSION`] nothing is changed.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<i64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if !(0..SCHEMA_VERSION).contains(&found) {
        // Up to date, or newer (refused by the caller); a negative version is no version
        // this code ever wrote and is treated the same way as a newer one.
        return Ok(found);
    }
    for step in &MIGRATIONS[found as usize..] {
        step(&tx)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(found)
}

/// v0 → v1: the first schema.
fn to_v1(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE bookmarks (
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
         );",
    )
}

/// v1 → v2: integer times, bookmark folders, recent searches, covering indexes, row counts.
fn to_v2(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE bookmarks_v2 (
             id INTEGER PRIMARY KEY,
             article_id TEXT NOT NULL UNIQUE,
             created_at INTEGER NOT NULL,
             note TEXT,
             folder TEXT
         );
         CREATE TABLE progress_v2 (
             id INTEGER PRIMARY KEY,
             article_id TEXT NOT NULL UNIQUE,
             position REAL NOT NULL CHECK (position >= 0.0 AND position <= 1.0),
             last_opened INTEGER NOT NULL
         );
         CREATE TABLE history_v2 (
             id INTEGER PRIMARY KEY,
             article_id TEXT NOT NULL,
             opened_at INTEGER NOT NULL,
             UNIQUE (opened_at, article_id)
         );",
    )?;
    let now = db::now();
    {
        let mut read =
            tx.prepare("SELECT article_id, created_at, note FROM bookmarks ORDER BY rowid")?;
        let mut write = tx.prepare(
            "INSERT OR IGNORE INTO bookmarks_v2 (article_id, created_at, note) VALUES (?1, ?2, ?3)",
        )?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let created = parse_v1_time(&row.get::<_, String>(1)?).unwrap_or(now);
            let note: Option<String> = row.get(2)?;
            write.execute(params![id, db::micros(created), note])?;
        }
    }
    {
        let mut read =
            tx.prepare("SELECT article_id, position, last_opened FROM progress ORDER BY rowid")?;
        let mut write = tx.prepare(
            "INSERT OR IGNORE INTO progress_v2 (article_id, position, last_opened) VALUES (?1, ?2, ?3)",
        )?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let position: f64 = row.get(1)?;
            // v1 did not check the range; clamp rather than drop a reader's place.
            let position = if position.is_nan() {
                0.0
            } else {
                super::progress::quantize_position(position.clamp(0.0, 1.0))
            };
            let opened = parse_v1_time(&row.get::<_, String>(2)?).unwrap_or(now);
            write.execute(params![id, position, db::micros(opened)])?;
        }
    }
    {
        let mut read = tx.prepare("SELECT article_id, opened_at FROM history ORDER BY id")?;
        let mut write =
            tx.prepare("INSERT OR IGNORE INTO history_v2 (article_id, opened_at) VALUES (?1, ?2)")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let opened = parse_v1_time(&row.get::<_, String>(1)?).unwrap_or(now);
            write.execute(params![id, db::micros(opened)])?;
        }
    }
    tx.execute_batch(
        "DROP TABLE bookmarks;
         ALTER TABLE bookmarks_v2 RENAME TO bookmarks;
         CREATE INDEX bookmarks_by_created ON bookmarks (created_at, article_id);
         DROP TABLE progress;
         ALTER TABLE progress_v2 RENAME TO progress;
         CREATE INDEX progress_by_opened ON progress (last_opened, article_id, position);
         DROP TABLE history;
         ALTER TABLE history_v2 RENAME TO history;
         CREATE TABLE recent_searches (
             id INTEGER PRIMARY KEY,
             query TEXT NOT NULL UNIQUE,
             searched_at INTEGER NOT NULL
         );
         CREATE INDEX recent_searches_by_time ON recent_searches (searched_at, query);
         CREATE TABLE row_counts (
             name TEXT PRIMARY KEY NOT NULL,
             n INTEGER NOT NULL
         );",
    )?;
    for table in COUNTED_TABLES {
        tx.execute_batch(&format!(
            "INSERT INTO row_counts (name, n) SELECT '{table}', count(*) FROM {table};
             CREATE TRIGGER {table}_count_insert AFTER INSERT ON {table}
             BEGIN UPDATE row_counts SET n = n + 1 WHERE name = '{table}'; END;
             CREATE TRIGGER {table}_count_delete AFTER DELETE ON {table}
             BEGIN UPDATE row_counts SET n = n - 1 WHERE name = '{table}'; END;"
        ))?;
    }
    Ok(())
}

/// v2 → v3: position anchors, and the app lock's row.
fn to_v3(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE progress ADD COLUMN anchor_block INTEGER;
         ALTER TABLE progress ADD COLUMN anchor_offset INTEGER;
         ALTER TABLE progress ADD COLUMN anchor_block_crc INTEGER;
         ALTER TABLE progress ADD COLUMN anchor_article_crc INTEGER;
         CREATE TABLE app_lock (
             id INTEGER PRIMARY KEY CHECK (id = 1),
             pin_hash TEXT,
             failed_attempts INTEGER NOT NULL DEFAULT 0,
             last_failure INTEGER,
             erase_after INTEGER,
             relock_after_secs INTEGER NOT NULL DEFAULT 0,
             device_auth INTEGER NOT NULL DEFAULT 0
         );",
    )
}

/// Parses a v1 time: RFC 3339, or SQLite's own `YYYY-MM-DD HH:MM:SS[.fff]` taken as UTC.
/// Truncated to microseconds, the precision of v2.
pub(crate) fn parse_v1_time(text: &str) -> Option<DateTime<Utc>> {
    let t = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").map(|n| n.and_utc())
        })
        .ok()?;
    db::from_micros(t.timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_times_parse_in_both_spellings() {
        let a = parse_v1_time("2024-03-01T10:00:00.5+01:00").unwrap();
        assert_eq!(a.to_rfc3339(), "2024-03-01T09:00:00.500+00:00");
        let b = parse_v1_time("2024-03-01 09:00:00").unwrap();
        assert_eq!(b.timestamp(), a.timestamp());
        assert!(parse_v1_time("yesterday").is_none());
    }

    #[test]
    fn a_fresh_database_reaches_the_current_version_with_counts() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        conn.execute(
            "INSERT INTO bookmarks (article_id, created_at) VALUES ('a', 1), ('b', 2)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO bookmarks (article_id, created_at) VALUES ('a', 3) \
             ON CONFLICT (article_id) DO UPDATE SET note = 'x'",
            [],
        )
        .unwrap();
        conn.execute("DELETE FROM bookmarks WHERE article_id = 'b'", [])
            .unwrap();
        let n: i64 = conn
            .query_row(
                "SELECT n FROM row_counts WHERE name = 'bookmarks'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
        // Running again is a no-op.
        assert_eq!(migrate(&mut conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_v2_database_gains_anchors_and_the_lock_and_keeps_its_positions() {
        let mut conn = Connection::open_in_memory().unwrap();
        {
            let tx = conn.transaction().unwrap();
            to_v1(&tx).unwrap();
            to_v2(&tx).unwrap();
            tx.pragma_update(None, "user_version", 2).unwrap();
            tx.execute(
                "INSERT INTO progress (article_id, position, last_opened) VALUES ('a', 0.25, 7)",
                [],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(migrate(&mut conn).unwrap(), 2);
        let (position, anchor): (f64, Option<i64>) = conn
            .query_row(
                "SELECT position, anchor_block FROM progress WHERE article_id = 'a'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((position, anchor), (0.25, None));
        let locks: i64 = conn
            .query_row("SELECT count(*) FROM app_lock", [], |r| r.get(0))
            .unwrap();
        assert_eq!(locks, 0);
    }
}
