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
//!   mutex; reads (bookmarks, progress, history, recent searches, settings, export) use
//!   their own read-only connections, which in WAL mode see every write committed before
//!   they start and read the last committed state while a write is in progress. The one
//!   exception: a list of history or recent searches that finds entries past their
//!   retention deletes them through the writer before it returns. [`Store`] is
//!   `Send + Sync`.
//! * **Never refuses to start over damage.** A file that SQLite reports as not a database
//!   or malformed when it is opened is salvaged (every bookmark, progress row, history
//!   entry, recent search and setting that can still be read), replaced by a fresh
//!   database holding what was salvaged, and the damaged copy is overwritten and removed;
//!   [`OpenedStore::recovery`] says what was kept and what was lost. Other failures at open
//!   (read-only storage, a full disk, a schema from a newer app) delete nothing and give
//!   [`Error::StorageReadOnly`](crate::Error::StorageReadOnly),
//!   [`Error::StorageFull`](crate::Error::StorageFull) or
//!   [`Error::NewerSchema`](crate::Error::NewerSchema).
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

// `Store` is declared below; each module adds the calls of one job to it.
mod app_lock; // the app lock's record: the PIN's hash, wrong attempts, options
mod bookmarks; // bookmarks and their notes and folders
mod checks; // argument validation shared by the calls, an import and salvage
mod conn; // the one writer and the pool of readers every call goes through
mod db; // SQLite plumbing: connection setup, error mapping, time encoding
mod export; // export and import as versioned JSON
mod files; // the store's files on disk: paths, setting aside, secure removal
mod history; // reading history
mod lifecycle; // opening (creating, upgrading, repairing), locating and wiping a store
mod merge; // merging rows, for an import and salvage
mod privacy; // the rules of history and recent searches: opt-in, retention
mod progress; // reading progress
mod recover; // salvage of a damaged database
mod schema; // tables and migrations
mod searches; // recent searches
mod settings; // the core's settings and the shells' own
#[cfg(test)]
mod testing; // helpers for the unit tests

use std::path::PathBuf;
use std::sync::RwLock;

pub use app_lock::LockRecord;
pub use bookmarks::{Bookmark, FlaggedBookmark};
pub use checks::{MAX_ARTICLE_ID_LEN, MAX_SETTING_KEY_LEN};
pub use export::{EXPORT_FORMAT_VERSION, Export, ImportSummary};
pub use files::DB_FILE_NAME;
pub use history::HistoryEntry;
pub use progress::{PositionAnchor, Progress};
pub use recover::{RecoveryReport, Salvaged};
pub use schema::SCHEMA_VERSION;
pub use searches::{MAX_RECENT_SEARCHES, MAX_RECORDED_QUERY_CHARS, RecentSearch};
pub use settings::Settings;

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
    inner: RwLock<Option<conn::Inner>>,
}
