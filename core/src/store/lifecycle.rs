//! A store's life: opening it (creating, upgrading or repairing its database), where its
//! files are, and wiping it.

use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::conn::Inner;
use super::db::{self, SqlResultExt};
use super::privacy::enforce_privacy;
use super::schema::{self, SCHEMA_VERSION};
use super::{OpenedStore, Store, files, recover};
use crate::{Error, Result};

/// Why opening the writer failed.
enum Opening {
    /// SQLite says the file is damaged or not a database: salvage and start afresh.
    Damaged(String),
    /// Anything else: report it, touch nothing.
    Failed(Error),
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, creating `dir` too (owner-only on
    /// Unix).
    ///
    /// Upgrades an older schema in one transaction. A damaged database is salvaged and
    /// replaced (see [`OpenedStore::recovery`]); a repair interrupted by a crash is
    /// finished here. Applies the history and recent-search retention.
    ///
    /// # Errors
    ///
    /// [`Error::NewerSchema`] for data from a newer app (left byte for byte untouched),
    /// [`Error::StorageReadOnly`] and [`Error::StorageFull`] when the directory or disk
    /// cannot be written (nothing is deleted), [`Error::Storage`] or [`Error::Io`] for
    /// other failures.
    pub fn open(dir: &Path) -> Result<OpenedStore> {
        files::ensure_dir(dir)?;
        files::finish_wipe(dir)?;
        files::finish_set_aside(dir)?;
        let path = files::db_path(dir);
        let mut causes = Vec::new();
        let mut conn = match open_writer(dir, &path) {
            Ok(conn) => conn,
            Err(Opening::Failed(e)) => return Err(e),
            Err(Opening::Damaged(cause)) => {
                files::set_aside(dir)?;
                causes.push(cause);
                match open_writer(dir, &path) {
                    Ok(conn) => conn,
                    Err(Opening::Failed(e)) => return Err(e),
                    Err(Opening::Damaged(cause)) => {
                        return Err(Error::Storage(format!(
                            "a fresh database could not be created: {cause}"
                        )));
                    }
                }
            }
        };
        let recovery = recover::salvage_pending(&mut conn, dir, causes)?;
        {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .db()?;
            let forgotten = enforce_privacy(&tx, db::now())?;
            tx.commit().db()?;
            if forgotten > 0 {
                let _ = db::checkpoint_truncate(&conn);
            }
        }
        Ok(OpenedStore {
            store: Store {
                dir: dir.to_path_buf(),
                path,
                inner: RwLock::new(Some(Inner::new(conn))),
            },
            recovery,
        })
    }

    /// The files of the store that exist in `dir` now: the database and its `-wal`,
    /// `-shm` and `-journal` files, and damaged copies still waiting to be salvaged. The
    /// data directory itself and files the store did not create are not listed.
    pub fn files(dir: &Path) -> Result<Vec<PathBuf>> {
        files::store_files(dir)
    }

    /// Removes every file of the store in `dir` without opening it (each overwritten with
    /// zeros, then unlinked), for when [`Store::open`] fails, e.g. with
    /// [`Error::NewerSchema`]. No store may be open on `dir`; prefer [`Store::wipe`] on an
    /// open store.
    pub fn wipe_dir(dir: &Path) -> Result<()> {
        files::wipe_dir(dir)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Deletes every file of the store: the database, its WAL and shared-memory files,
    /// and anything else the store created (each overwritten with zeros, then unlinked).
    /// The store is closed afterwards: every later call fails, and [`Store::open`] starts
    /// a fresh one. The data directory itself is left in place.
    pub fn wipe(&self) -> Result<()> {
        let mut guard = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(inner) = guard.take() {
            inner.close();
        }
        files::wipe_dir(&self.dir)
    }
}

/// Opens the writer on `path`: schema version check, read-only check, integrity check,
/// WAL and durability settings, migration. Writes nothing before the version check passed.
fn open_writer(dir: &Path, path: &Path) -> std::result::Result<Connection, Opening> {
    let fail = |e: rusqlite::Error| classify(dir, e);
    files::make_private(path);
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    db::configure_common(&conn).map_err(fail)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(fail)?;
    let newer = |found| {
        Opening::Failed(Error::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        })
    };
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Err(newer(version));
    }
    // SQLite falls back to read-only when the file cannot be opened for writing.
    if conn.is_readonly("main").map_err(fail)? {
        return Err(Opening::Failed(Error::StorageReadOnly(
            "the database file cannot be written".into(),
        )));
    }
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(fail)?;
    if check != "ok" {
        return Err(Opening::Damaged(format!("integrity check failed: {check}")));
    }
    db::configure_writer(&conn).map_err(fail)?;
    let found = schema::migrate(&mut conn).map_err(fail)?;
    if !(0..=SCHEMA_VERSION).contains(&found) {
        return Err(newer(found));
    }
    Ok(conn)
}

/// Tells damage (salvage and start afresh) from every other failure to open.
fn classify(dir: &Path, e: rusqlite::Error) -> Opening {
    if db::is_corruption(&e) {
        return Opening::Damaged(e.to_string());
    }
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) {
        // SQLite cannot say why; a probe file tells a read-only or full directory apart.
        if let Err(typed @ (Error::StorageReadOnly(_) | Error::StorageFull(_))) =
            files::probe_writable(dir)
        {
            return Opening::Failed(typed);
        }
    }
    Opening::Failed(db::map(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DB_FILE_NAME;
    use crate::store::testing::open;

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
}
