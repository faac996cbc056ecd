//! SQLite plumbing: connection setup, error mapping, time encoding.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::{Error, Result};

/// How long a connection waits for a lock held by another connection (the CLI and an app
/// may share a data directory) before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether an error means the file is damaged or not a database at all.
pub(crate) fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// Maps a SQLite error to the core's error. Messages carry SQLite's wording, never user
/// data: every value reaches SQLite as a bound parameter.
pub(crate) fn map(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            Error::StorageReadOnly(e.to_string())
        }
        Some(ErrorCode::DiskFull) => Error::StorageFull(e.to_string()),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::Storage(format!(
            "the database is damaged ({e}); it is repaired the next time the store is opened"
        )),
        _ => Error::Storage(e.to_string()),
    }
}

/// `.db()?` turns a rusqlite result into the core's.
pub(crate) trait SqlResultExt<T> {
    /// Maps the error with [`map`].
    fn db(self) -> Result<T>;
}

impl<T> SqlResultExt<T> for rusqlite::Result<T> {
    fn db(self) -> Result<T> {
        self.map_err(map)
    }
}

/// Settings every connection gets: no temporary files outside the data directory (sorts
/// and temporary tables stay in memory) and a busy timeout.
pub(crate) fn configure_common(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Settings of the one writer connection, applied after the schema check.
pub(crate) fn configure_writer(conn: &Connection) -> rusqlite::Result<()> {
    // Deleted rows are overwritten with zeros in the page, and freed pages are zeroed.
    conn.pragma_update(None, "secure_delete", "ON")?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(format!("the database cannot use WAL (journal mode {mode})")),
        ));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    // On Apple platforms `fsync` does not flush the drive's cache; F_FULLFSYNC does. These
    // are no-ops elsewhere.
    conn.pragma_update(None, "fullfsync", "ON")?;
    conn.pragma_update(None, "checkpoint_fullfsync", "ON")?;
    Ok(())
}

/// Opens a reader connection on an existing database.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .db()?;
    configure_common(&conn).db()?;
    Ok(conn)
}

/// `PRAGMA wal_checkpoint(TRUNCATE)`: copies the WAL into the database and truncates the
/// WAL to zero bytes, so no old page version (with deleted text) stays in it. Returns
/// whether the checkpoint completed (a reader in the middle of a read can hold it back;
/// the next checkpoint then finishes the job).
pub(crate) fn checkpoint_truncate(conn: &Connection) -> rusqlite::Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    Ok(busy == 0)
}

/// Current time, truncated to the microsecond precision the database keeps.
pub(crate) fn now() -> DateTime<Utc> {
    from_micros(Utc::now().timestamp_micros()).unwrap_or_else(Utc::now)
}

/// A time as stored: microseconds since the Unix epoch, UTC.
pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// The inverse of [`micros`].
pub(crate) fn from_micros(v: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(v)
}

/// Reads a stored time column, as a rusqlite conversion error if it is out of range.
pub(crate) fn time_column(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let v: i64 = row.get(idx)?;
    from_micros(v).ok_or(rusqlite::Error::IntegralValueOutOfRange(idx, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_typed_variants() {
        let e = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        assert!(matches!(
            map(e(rusqlite::ffi::SQLITE_FULL)),
            Error::StorageFull(_)
        ));
        assert!(matches!(
            map(e(rusqlite::ffi::SQLITE_READONLY)),
            Error::StorageReadOnly(_)
        ));
        assert!(matches!(
            map(e(rusqlite::ffi::SQLITE_PERM)),
            Error::StorageReadOnly(_)
        ));
        assert!(matches!(
            map(e(rusqlite::ffi::SQLITE_BUSY)),
            Error::Storage(_)
        ));
        assert!(is_corruption(&e(rusqlite::ffi::SQLITE_NOTADB)));
        assert!(is_corruption(&e(rusqlite::ffi::SQLITE_CORRUPT)));
        assert!(!is_corruption(&e(rusqlite::ffi::SQLITE_IOERR)));
    }

    #[test]
    fn times_round_trip_at_microsecond_precision() {
        let t = now();
        assert_eq!(from_micros(micros(t)), Some(t));
    }
}
