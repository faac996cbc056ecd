//! The reader's own data: bookmarks, reading progress, opt-in reading history and recent
//! searches, and settings, in one SQLite file in a directory the caller chooses.
//!
//! ```no_run
//! use quire_core::store::Store;
//! # fn main() -> quire_core::Result<()> {
//! let opened = Store::open(std::path::Path::new("/data/app/quire"))?;
//! if let Some(report) = &opened.recovery {
//!     // The database was damaged and has been repaired: tell the reader what was kept.
//!     let _ = report.bookmarks.kept;
//! }
//! let store = opened.store;
//! store.add_bookmark("withdrawing-consent", Some("read again"), None)?;
//! assert!(store.bookmark("withdrawing-consent")?.is_some());
//! # Ok(()) }
//! ```
//!
//! # Promises
//!
//! * **Durable.** The database runs in WAL mode. A bookmark, setting, deletion or import
//!   that returned `Ok` is on disk (`synchronous = FULL`: the WAL is flushed before the
//!   call returns), and survives the app being killed or the device losing power. Reading
//!   progress, history and recent searches, written often and cheap to lose, commit with
//!   `synchronous = NORMAL`: they survive the app being killed, and the last few may be
//!   lost if the device loses power. See `docs/adr/0010-user-data-durability-and-repair.md`.
//! * **One writer, readers never wait for it.** Writes go through one connection behind a
//!   mutex; reads use their own read-only connections, which in WAL mode read the last
//!   committed state while a write is in progress. [`Store`] is `Send + Sync`.
//! * **Never refuses to start over damage.** A file that SQLite reports as not a database
//!   or malformed when it is opened is salvaged (every bookmark, progress row, history
//!   entry, recent search and setting that can still be read), replaced by a fresh
//!   database holding what was salvaged, and the damaged copy is overwritten and removed;
//!   [`OpenedStore::recovery`] says what was kept and what was lost. Other failures at open
//!   (read-only storage, a full disk, a schema from a newer app) delete nothing and give
//!   [`Error::StorageReadOnly`], [`Error::StorageFull`] or [`Error::NewerSchema`].
//! * **Deleting leaves no trace.** `secure_delete` is on, so deleted rows are zeroed in
//!   the database file, and every call that deletes or overwrites the reader's text
//!   checkpoints the WAL and truncates it to zero bytes, so no old page version holding it
//!   remains. [`Store::wipe`] removes every file of the store. SQLite keeps temporary data
//!   in memory, never in temporary files elsewhere.
//! * **Private by default.** Reading history and recent searches are recorded only once
//!   the reader turns them on ([`Settings`]), can forget entries after N days, and turning
//!   them off deletes what was recorded.
//! * **Nothing is logged.** No call prints or logs; errors carry SQLite's wording and
//!   never the reader's text.
//!
//! Calls touch the disk and may take milliseconds (opening a store checks the database):
//! call them off the UI thread.

mod db;
mod export;
mod files;
mod recover;
mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};
use db::SqlResultExt;

pub use export::{EXPORT_FORMAT_VERSION, Export, ImportSummary};
pub use files::DB_FILE_NAME;
pub use recover::{RecoveryReport, Salvaged};
pub use schema::SCHEMA_VERSION;

/// Longest article id accepted, in bytes. Corpus ids are short slugs.
pub const MAX_ARTICLE_ID_LEN: usize = 512;

/// Longest recorded search, in characters; longer queries are recorded truncated.
pub const MAX_RECORDED_QUERY_CHARS: usize = 500;

/// How many recent searches are kept; recording one more forgets the oldest.
pub const MAX_RECENT_SEARCHES: usize = 100;

/// Longest key of a shell setting, in bytes.
pub const MAX_SETTING_KEY_LEN: usize = 256;

/// Idle reader connections kept open for reuse.
const MAX_IDLE_READERS: usize = 4;

/// A bookmarked article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// The corpus' stable article id (slug).
    pub article_id: String,
    /// When the article was first bookmarked (UTC, microsecond precision).
    pub created_at: DateTime<Utc>,
    /// The reader's note, if any.
    #[serde(default)]
    pub note: Option<String>,
    /// The folder (or tag) the reader filed it under, if any.
    #[serde(default)]
    pub folder: Option<String>,
}

/// A bookmark, with whether its article is missing from the open corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedBookmark {
    /// The bookmark, as stored.
    pub bookmark: Bookmark,
    /// `true` when the article id is not in the corpus (an update removed it). The
    /// bookmark is kept; the shell shows it as unavailable.
    pub missing: bool,
}

/// Where the reader stopped in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The corpus' stable article id.
    pub article_id: String,
    /// Position as a fraction of the article, `0.0..=1.0`, kept to nine decimal places.
    pub position: f64,
    /// When the position was last set (UTC).
    pub last_opened: DateTime<Utc>,
}

/// One recorded opening of an article (only while history is on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The corpus' stable article id.
    pub article_id: String,
    /// When it was opened (UTC).
    pub opened_at: DateTime<Utc>,
}

/// One recorded search (only while recent searches are on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentSearch {
    /// The query as typed, trimmed.
    pub query: String,
    /// When it was last searched (UTC).
    pub searched_at: DateTime<Utc>,
}

/// The settings the core itself acts on. Everything is off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Record which articles are opened. Off by default; turning it off deletes the
    /// history.
    pub history_enabled: bool,
    /// Forget history entries older than this many days (at least 1); `None` keeps them
    /// until cleared.
    pub history_retention_days: Option<u32>,
    /// Record searches. Off by default; turning it off deletes the recent searches.
    pub recent_searches_enabled: bool,
    /// Forget recent searches older than this many days (at least 1); `None` keeps them
    /// until cleared.
    pub recent_searches_retention_days: Option<u32>,
}

/// The result of [`Store::open`].
#[derive(Debug)]
pub struct OpenedStore {
    /// The open store.
    pub store: Store,
    /// Present when the database was damaged and has been repaired at this open: what was
    /// salvaged and what was lost. Show it to the reader once.
    pub recovery: Option<RecoveryReport>,
}

/// The reader's data in one SQLite database. `Send + Sync`: share it behind an `Arc`.
///
/// See the [module documentation](self) for what it promises.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    path: PathBuf,
    /// `None` once the store has been wiped.
    inner: RwLock<Option<Inner>>,
}

struct Inner {
    // Declared before the writer so they close first: the last connection to close
    // checkpoints the WAL and removes it, which only the writer can do.
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Writer>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner").finish_non_exhaustive()
    }
}

struct Writer {
    conn: Connection,
    durability: Durability,
}

/// How a write is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// `synchronous = FULL`: on disk when the call returns.
    Full,
    /// `synchronous = NORMAL`: survives the process dying; may be lost with power.
    Normal,
}

impl Writer {
    fn set_durability(&mut self, d: Durability) -> Result<()> {
        if self.durability != d {
            let value = match d {
                Durability::Full => "FULL",
                Durability::Normal => "NORMAL",
            };
            self.conn.pragma_update(None, "synchronous", value).db()?;
            self.durability = d;
        }
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock rolled its transaction back (rusqlite's Transaction
    // rolls back on drop), so the connection is still consistent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn wiped() -> Error {
    Error::Storage("the store has been wiped; open it again to start afresh".into())
}

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
        let mut writer = Writer {
            conn,
            durability: Durability::Full,
        };
        {
            let tx = writer
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .db()?;
            let forgotten = export::enforce_privacy(&tx, db::now())?;
            tx.commit().db()?;
            if forgotten > 0 {
                let _ = db::checkpoint_truncate(&writer.conn);
            }
        }
        Ok(OpenedStore {
            store: Store {
                dir: dir.to_path_buf(),
                path,
                inner: RwLock::new(Some(Inner {
                    readers: Mutex::new(Vec::new()),
                    writer: Mutex::new(writer),
                })),
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

    // ---- bookmarks ---------------------------------------------------------------

    /// Bookmarks an article, durably. Re-adding a bookmarked article replaces its note and
    /// folder with the ones given (`None` clears them) and keeps its original
    /// `created_at`. Empty notes and folders are stored as `None`. Returns the bookmark as
    /// stored.
    ///
    /// The store does not know the corpus: check that the id exists before calling.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for an empty or overlong id; storage errors.
    pub fn add_bookmark(
        &self,
        article_id: &str,
        note: Option<&str>,
        folder: Option<&str>,
    ) -> Result<Bookmark> {
        check_article_id(article_id)?;
        let note = non_empty(note);
        let folder = non_empty(folder);
        let now = db::now();
        self.write(Durability::Full, |tx, scrub| {
            let old: Option<(Option<String>, Option<String>)> = tx
                .prepare_cached("SELECT note, folder FROM bookmarks WHERE article_id = ?1")
                .and_then(|mut s| {
                    s.query_row([article_id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                })
                .db()?;
            if let Some((old_note, old_folder)) = old {
                // Overwritten text must not linger in the WAL either.
                *scrub = (old_note.is_some() && old_note != note)
                    || (old_folder.is_some() && old_folder != folder);
            }
            let created_at = tx
                .prepare_cached(
                    "INSERT INTO bookmarks (article_id, created_at, note, folder)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (article_id) DO UPDATE
                     SET note = excluded.note, folder = excluded.folder
                     RETURNING created_at",
                )
                .and_then(|mut s| {
                    s.query_row(params![article_id, db::micros(now), note, folder], |r| {
                        db::time_column(r, 0)
                    })
                })
                .db()?;
            Ok(Bookmark {
                article_id: article_id.to_owned(),
                created_at,
                note,
                folder,
            })
        })
    }

    /// Removes a bookmark, durably and without a trace. Returns whether it existed.
    pub fn remove_bookmark(&self, article_id: &str) -> Result<bool> {
        self.write(Durability::Full, |tx, scrub| {
            let n = tx
                .execute("DELETE FROM bookmarks WHERE article_id = ?1", [article_id])
                .db()?;
            *scrub = n > 0;
            Ok(n > 0)
        })
    }

    /// One bookmark, if the article is bookmarked.
    pub fn bookmark(&self, article_id: &str) -> Result<Option<Bookmark>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT article_id, created_at, note, folder FROM bookmarks WHERE article_id = ?1",
            )
            .and_then(|mut s| s.query_row([article_id], bookmark_row).optional())
            .db()
        })
    }

    /// Every bookmark, newest first (ties by article id).
    pub fn bookmarks(&self) -> Result<Vec<Bookmark>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT article_id, created_at, note, folder FROM bookmarks
                 ORDER BY created_at DESC, article_id",
            )
            .and_then(|mut s| s.query_map([], bookmark_row)?.collect())
            .db()
        })
    }

    /// Every bookmark, newest first, each flagged `missing` when `exists` says its article
    /// is not in the corpus. Never drops a bookmark.
    pub fn bookmarks_flagged(&self, exists: impl Fn(&str) -> bool) -> Result<Vec<FlaggedBookmark>> {
        Ok(self
            .bookmarks()?
            .into_iter()
            .map(|bookmark| FlaggedBookmark {
                missing: !exists(&bookmark.article_id),
                bookmark,
            })
            .collect())
    }

    // ---- reading progress --------------------------------------------------------

    /// Records where the reader is in an article (`position` in `0.0..=1.0`, kept to nine
    /// decimal places), with now as `last_opened`. Committed with `synchronous = NORMAL`
    /// (see the module docs).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for NaN or a position outside `0.0..=1.0`, or a bad id.
    pub fn set_progress(&self, article_id: &str, position: f64) -> Result<Progress> {
        check_article_id(article_id)?;
        check_position(position)?;
        let position = quantize_position(position);
        let now = db::now();
        self.write(Durability::Normal, |tx, _| {
            tx.prepare_cached(
                "INSERT INTO progress (article_id, position, last_opened) VALUES (?1, ?2, ?3)
                 ON CONFLICT (article_id) DO UPDATE
                 SET position = excluded.position, last_opened = excluded.last_opened",
            )
            .and_then(|mut s| s.execute(params![article_id, position, db::micros(now)]))
            .db()?;
            Ok(Progress {
                article_id: article_id.to_owned(),
                position,
                last_opened: now,
            })
        })
    }

    /// Where the reader stopped in an article, if recorded.
    pub fn progress(&self, article_id: &str) -> Result<Option<Progress>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT article_id, position, last_opened FROM progress WHERE article_id = ?1",
            )
            .and_then(|mut s| s.query_row([article_id], progress_row).optional())
            .db()
        })
    }

    /// Every progress row, most recently opened first.
    pub fn all_progress(&self) -> Result<Vec<Progress>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT article_id, position, last_opened FROM progress
                 ORDER BY last_opened DESC, article_id",
            )
            .and_then(|mut s| s.query_map([], progress_row)?.collect())
            .db()
        })
    }

    /// Forgets the progress of one article. Returns whether there was any.
    pub fn remove_progress(&self, article_id: &str) -> Result<bool> {
        self.write(Durability::Full, |tx, scrub| {
            let n = tx
                .execute("DELETE FROM progress WHERE article_id = ?1", [article_id])
                .db()?;
            *scrub = n > 0;
            Ok(n > 0)
        })
    }

    // ---- history -----------------------------------------------------------------

    /// Records that an article was opened, if history is on. Returns whether it was
    /// recorded. Applies the history retention.
    pub fn record_article_opened(&self, article_id: &str) -> Result<bool> {
        check_article_id(article_id)?;
        let now = db::now();
        self.write(Durability::Normal, |tx, scrub| {
            *scrub = export::enforce_privacy(tx, now)? > 0;
            if !export::read_settings(tx)?.history_enabled {
                return Ok(false);
            }
            tx.prepare_cached(
                "INSERT OR IGNORE INTO history (article_id, opened_at) VALUES (?1, ?2)",
            )
            .and_then(|mut s| s.execute(params![article_id, db::micros(now)]))
            .db()?;
            Ok(true)
        })
    }

    /// The reading history, newest first, after applying the retention. Empty while
    /// history is off.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        self.write(Durability::Normal, |tx, scrub| {
            *scrub = export::enforce_privacy(tx, db::now())? > 0;
            export::read_history(tx)
        })
    }

    /// Deletes the whole reading history, without a trace.
    pub fn clear_history(&self) -> Result<()> {
        self.write(Durability::Full, |tx, scrub| {
            *scrub = tx.execute("DELETE FROM history", []).db()? > 0;
            Ok(())
        })
    }

    // ---- recent searches ---------------------------------------------------------

    /// Records a search, if recent searches are on. The query is trimmed and cut to
    /// [`MAX_RECORDED_QUERY_CHARS`]; an empty query is not recorded. Searching the same
    /// text again moves it to the top. Keeps at most [`MAX_RECENT_SEARCHES`]. Returns
    /// whether it was recorded. Applies the retention.
    pub fn record_search(&self, query: &str) -> Result<bool> {
        let query = query.trim();
        let query = match query.char_indices().nth(MAX_RECORDED_QUERY_CHARS) {
            Some((cut, _)) => query[..cut].trim_end(),
            None => query,
        };
        if query.is_empty() {
            return Ok(false);
        }
        let now = db::now();
        self.write(Durability::Normal, |tx, scrub| {
            *scrub = export::enforce_privacy(tx, now)? > 0;
            if !export::read_settings(tx)?.recent_searches_enabled {
                return Ok(false);
            }
            tx.prepare_cached(
                "INSERT INTO recent_searches (query, searched_at) VALUES (?1, ?2)
                 ON CONFLICT (query) DO UPDATE SET searched_at = excluded.searched_at",
            )
            .and_then(|mut s| s.execute(params![query, db::micros(now)]))
            .db()?;
            let trimmed = tx
                .execute(
                    "DELETE FROM recent_searches WHERE id NOT IN
                     (SELECT id FROM recent_searches ORDER BY searched_at DESC, id DESC LIMIT ?1)",
                    [MAX_RECENT_SEARCHES as i64],
                )
                .db()?;
            *scrub |= trimmed > 0;
            Ok(true)
        })
    }

    /// Recent searches, newest first, after applying the retention. Empty while recent
    /// searches are off.
    pub fn recent_searches(&self) -> Result<Vec<RecentSearch>> {
        self.write(Durability::Normal, |tx, scrub| {
            *scrub = export::enforce_privacy(tx, db::now())? > 0;
            export::read_recent_searches(tx)
        })
    }

    /// Deletes every recent search, without a trace.
    pub fn clear_recent_searches(&self) -> Result<()> {
        self.write(Durability::Full, |tx, scrub| {
            *scrub = tx.execute("DELETE FROM recent_searches", []).db()? > 0;
            Ok(())
        })
    }

    // ---- settings ----------------------------------------------------------------

    /// The core's settings.
    pub fn settings(&self) -> Result<Settings> {
        self.read(export::read_settings)
    }

    /// Replaces the core's settings, durably. Turning history or recent searches off
    /// deletes what was recorded, without a trace; a shorter retention applies at once.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a retention of 0 days (turn the feature off
    /// instead).
    pub fn set_settings(&self, settings: &Settings) -> Result<()> {
        check_settings(settings)?;
        self.write(Durability::Full, |tx, scrub| {
            export::write_settings(tx, settings)?;
            *scrub = export::enforce_privacy(tx, db::now())? > 0;
            Ok(())
        })
    }

    /// A shell's own setting (theme, cover titles…), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        check_setting_key(key)?;
        self.read(|conn| {
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .db()
        })
    }

    /// Sets a shell's own setting, durably. Keys starting with `quire.` are reserved.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for an empty, overlong or reserved key.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        check_setting_key(key)?;
        self.write(Durability::Full, |tx, scrub| {
            let old: Option<String> = tx
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()
                .db()?;
            *scrub = old.is_some_and(|old| old != value);
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .db()?;
            Ok(())
        })
    }

    /// Removes a shell's own setting. Returns whether it was set.
    pub fn remove_setting(&self, key: &str) -> Result<bool> {
        check_setting_key(key)?;
        self.write(Durability::Full, |tx, scrub| {
            let n = tx
                .execute("DELETE FROM settings WHERE key = ?1", [key])
                .db()?;
            *scrub = n > 0;
            Ok(n > 0)
        })
    }

    /// Every shell setting (the `quire.` keys of [`Settings`] excluded), by key.
    pub fn custom_settings(&self) -> Result<BTreeMap<String, String>> {
        self.read(export::read_custom_settings)
    }

    // ---- export, import, wipe ----------------------------------------------------

    /// All the reader's data, read in one consistent snapshot.
    pub fn export(&self) -> Result<Export> {
        self.read(|conn| {
            let tx = conn.unchecked_transaction().db()?;
            let export = export::export(&tx)?;
            tx.finish().db()?;
            Ok(export)
        })
    }

    /// [`Store::export`] as pretty-printed JSON.
    pub fn export_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.export()?)
            .map_err(|e| Error::Storage(format!("cannot encode the export: {e}")))
    }

    /// Merges an export into the store, in one durable transaction (all or nothing).
    ///
    /// Idempotent: importing the same export again changes nothing. Merge rules:
    /// bookmarks are matched by article id (the earlier `created_at` is kept; a note or
    /// folder already here is kept, a missing one is filled in from the export); progress
    /// keeps the most recently opened position; history entries and recent searches are
    /// added without duplicates, and only while their setting (after the import) is on;
    /// the export's [`Settings`] replace the current ones; its custom settings are set,
    /// others here are kept.
    ///
    /// # Errors
    ///
    /// [`Error::NewerExport`] for an export from a newer app, [`Error::Import`] for an
    /// invalid one (a position out of range, an empty id…); nothing is changed then.
    pub fn import(&self, export: &Export) -> Result<ImportSummary> {
        export::validate(export)?;
        self.write(Durability::Full, |tx, scrub| {
            let summary = export::import(tx, export)?;
            // Settings may have turned a feature off or shortened a retention.
            *scrub = true;
            Ok(summary)
        })
    }

    /// Parses an export written by [`Store::export_json`] and imports it.
    ///
    /// # Errors
    ///
    /// [`Error::Import`] for malformed JSON, with where and why; see [`Store::import`].
    pub fn import_json(&self, json: &str) -> Result<ImportSummary> {
        self.import(&export::parse(json)?)
    }

    /// Deletes every file of the store: the database, its WAL and shared-memory files,
    /// and anything else the store created (each overwritten with zeros, then unlinked).
    /// The store is closed afterwards: every later call fails, and [`Store::open`] starts
    /// a fresh one. The data directory itself is left in place.
    pub fn wipe(&self) -> Result<()> {
        let mut guard = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(inner) = guard.take() {
            let Inner { readers, writer } = inner;
            drop(readers);
            let writer = writer.into_inner().unwrap_or_else(PoisonError::into_inner);
            // Move everything into the main file and empty the WAL, then close.
            let _ = db::checkpoint_truncate(&writer.conn);
            drop(writer);
        }
        files::wipe_dir(&self.dir)
    }

    // ---- plumbing ----------------------------------------------------------------

    /// Runs `f` in an immediate transaction on the writer and commits it with the given
    /// durability. `f` sets its `bool` when it deleted or overwrote the reader's data; the
    /// WAL is then checkpointed and truncated after the commit.
    fn write<T>(
        &self,
        durability: Durability,
        f: impl FnOnce(&Transaction<'_>, &mut bool) -> Result<T>,
    ) -> Result<T> {
        let guard = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let inner = guard.as_ref().ok_or_else(wiped)?;
        let mut writer = lock(&inner.writer);
        writer.set_durability(durability)?;
        let mut scrub = false;
        let tx = writer
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let out = f(&tx, &mut scrub)?;
        tx.commit().db()?;
        if scrub {
            // The deletion is committed; if a reader holds the checkpoint back, the next
            // scrub or closing the store finishes it.
            let _ = db::checkpoint_truncate(&writer.conn);
        }
        Ok(out)
    }

    /// Runs `f` on a reader connection (pooled; opened on demand).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let guard = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let inner = guard.as_ref().ok_or_else(wiped)?;
        let pooled = lock(&inner.readers).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => db::open_reader(&self.path)?,
        };
        let out = f(&conn);
        let mut pool = lock(&inner.readers);
        if pool.len() < MAX_IDLE_READERS {
            pool.push(conn);
        }
        out
    }

    /// Test hook: runs `f` on the writer connection.
    #[cfg(test)]
    fn with_writer<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        let guard = self.inner.read().unwrap();
        let inner = guard.as_ref().unwrap();
        let writer = lock(&inner.writer);
        f(&writer.conn)
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

fn bookmark_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Bookmark> {
    Ok(Bookmark {
        article_id: r.get(0)?,
        created_at: db::time_column(r, 1)?,
        note: r.get(2)?,
        folder: r.get(3)?,
    })
}

fn progress_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Progress> {
    Ok(Progress {
        article_id: r.get(0)?,
        position: r.get(1)?,
        last_opened: db::time_column(r, 2)?,
    })
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_owned)
}

pub(crate) fn check_article_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::InvalidArgument("the article id is empty".into()));
    }
    if id.len() > MAX_ARTICLE_ID_LEN {
        return Err(Error::InvalidArgument(format!(
            "the article id is longer than {MAX_ARTICLE_ID_LEN} bytes"
        )));
    }
    Ok(())
}

pub(crate) fn check_position(position: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&position) {
        // NaN fails `contains` too.
        return Err(Error::InvalidArgument(format!(
            "position {position} is not a fraction in 0.0..=1.0"
        )));
    }
    Ok(())
}

/// Positions are kept to nine decimal places (far finer than a character of any article).
/// A number with at most nine decimals is parsed back exactly by every JSON parser,
/// including serde_json's fast default one, so positions survive export and import bit
/// for bit.
pub(crate) fn quantize_position(position: f64) -> f64 {
    (position * 1e9).round() / 1e9
}

pub(crate) fn check_settings(s: &Settings) -> Result<()> {
    if s.history_retention_days == Some(0) || s.recent_searches_retention_days == Some(0) {
        return Err(Error::InvalidArgument(
            "a retention must be at least 1 day; turn the feature off instead".into(),
        ));
    }
    Ok(())
}

fn check_setting_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_SETTING_KEY_LEN {
        return Err(Error::InvalidArgument(format!(
            "a setting key must be 1 to {MAX_SETTING_KEY_LEN} bytes long"
        )));
    }
    if key.starts_with(schema::RESERVED_PREFIX) {
        return Err(Error::InvalidArgument(format!(
            "setting keys starting with `{}` are reserved",
            schema::RESERVED_PREFIX
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
