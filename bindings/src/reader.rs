//! [`Reader`]: the one object an app opens, on its bundle and its data directory.

use std::path::Path;
use std::sync::Arc;

use quire_core::bundle::Bundle;
use quire_core::reader as core_reader;

use crate::error::{QuireError, guard};
use crate::reader_records::{
    BookmarkItem, HistoryItem, LockOptions, LockStatus, OpenedArticle, PinCheck, ReaderSettings,
    ReadingPosition, RecentItem, SearchPage, SearchRequest, import_summary,
};
use crate::records::{Bookmark, ImportSummary, RecoveryReport};

/// Everything an app's screens need, in one object: search as you type, articles as
/// native blocks with the searched words marked, where to resume, bookmarks with notes,
/// history and recent searches (off by default), settings, discreet display, the app
/// lock and quick exit.
///
/// Open one at start-up, off the main thread, and keep it for the life of the process.
/// Every call is thread-safe and blocking; all but `lockStatus()`, `appBackgrounded()`,
/// `lastQuery()`, `openArticleId()` and `closeArticle()` belong off the UI thread. While
/// the lock screen must show, calls that return the reader's content or data throw
/// `Locked`: show the lock screen and call `unlock(pin)`.
#[derive(Debug, uniffi::Object)]
pub struct Reader {
    pub(crate) inner: core_reader::Reader,
}

fn open_reader(bundle: Bundle, data_dir: &str) -> quire_core::Result<Arc<Reader>> {
    let inner = core_reader::Reader::open(Arc::new(bundle), Path::new(data_dir))?;
    Ok(Arc::new(Reader { inner }))
}

#[uniffi::export]
impl Reader {
    /// Opens the bundle file at `bundle_path` and the reader's data in `data_dir`
    /// (created if missing; app-private, excluded from backups). Forgets history and
    /// recent searches past their retention. Starts locked when a PIN is set. Blocking.
    #[uniffi::constructor]
    pub fn open(bundle_path: String, data_dir: String) -> Result<Arc<Self>, QuireError> {
        guard("opening the reader", || {
            open_reader(Bundle::open(Path::new(&bundle_path))?, &data_dir)
        })
    }

    /// As `open()`, with the bundle at `offset..offset + length` of an open descriptor
    /// (an uncompressed APK asset). The descriptor is duplicated; the caller keeps it.
    #[uniffi::constructor]
    pub fn open_fd(
        fd: i32,
        offset: u64,
        length: u64,
        data_dir: String,
    ) -> Result<Arc<Self>, QuireError> {
        guard("opening the reader", || {
            let bundle = crate::bundle::bundle_from_fd(fd, offset, length)?;
            open_reader(bundle, &data_dir)
        })
    }

    /// What a repair of a damaged database kept and lost, when one happened at open.
    pub fn recovery(&self) -> Option<RecoveryReport> {
        self.inner.recovery().cloned().map(Into::into)
    }

    // ---- search --------------------------------------------------------------------

    /// Searches as the reader types; see `SearchRequest`. Blocking (about a
    /// millisecond): call it off the UI thread and drop answers to older text.
    pub fn search(&self, request: SearchRequest) -> Result<SearchPage, QuireError> {
        guard("searching", || self.inner.search(&request.into())).map(Into::into)
    }

    // ---- the article ---------------------------------------------------------------

    /// Opens an article for the article screen: its blocks with `highlight`'s words
    /// marked, where to resume, its bookmark and related articles. Records history and
    /// `highlight` as a recent search when those are on. Blocking.
    pub fn open_article(
        &self,
        id: String,
        highlight: Option<String>,
    ) -> Result<OpenedArticle, QuireError> {
        guard("opening an article", || {
            self.inner.open_article(&id, highlight.as_deref())
        })
        .map(Into::into)
    }

    /// Saves where the reader is in `id`; returns the position as kept. Blocking.
    pub fn save_position(
        &self,
        id: String,
        position: ReadingPosition,
    ) -> Result<ReadingPosition, QuireError> {
        guard("saving the position", || {
            self.inner.save_position(&id, position.into())
        })
        .map(Into::into)
    }

    /// The article screen was left. Cheap.
    pub fn close_article(&self) {
        self.inner.close_article()
    }

    // ---- bookmarks -----------------------------------------------------------------

    /// Every bookmark, newest first; unavailable articles flagged and kept. Blocking.
    pub fn bookmarks(&self) -> Result<Vec<BookmarkItem>, QuireError> {
        guard("listing bookmarks", || self.inner.bookmarks())
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    /// Bookmarks whose title or note has every word of `text` (word starts, any case
    /// or accents). Blocking.
    pub fn search_bookmarks(&self, text: String) -> Result<Vec<BookmarkItem>, QuireError> {
        guard("searching bookmarks", || self.inner.search_bookmarks(&text))
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    /// Bookmarks `id` with an optional note, durably. Throws `ArticleNotFound` for an
    /// id not in the bundle. Blocking.
    pub fn add_bookmark(
        &self,
        id: String,
        note: Option<String>,
    ) -> Result<BookmarkItem, QuireError> {
        guard("adding a bookmark", || {
            self.inner.add_bookmark(&id, note.as_deref())
        })
        .map(Into::into)
    }

    /// Changes or (with none) removes the note of `id`'s bookmark; none when `id` is
    /// not bookmarked. Blocking.
    pub fn set_bookmark_note(
        &self,
        id: String,
        note: Option<String>,
    ) -> Result<Option<BookmarkItem>, QuireError> {
        guard("changing a note", || {
            self.inner.set_bookmark_note(&id, note.as_deref())
        })
        .map(|b| b.map(Into::into))
    }

    /// Removes `id`'s bookmark without a trace; returns it for "undo". Blocking.
    pub fn remove_bookmark(&self, id: String) -> Result<Option<Bookmark>, QuireError> {
        guard("removing a bookmark", || self.inner.remove_bookmark(&id)).map(|b| b.map(Into::into))
    }

    /// Puts back a removed bookmark as it was ("undo"). Blocking.
    pub fn restore_bookmark(&self, bookmark: Bookmark) -> Result<BookmarkItem, QuireError> {
        guard("restoring a bookmark", || {
            self.inner.restore_bookmark(&bookmark.try_into()?)
        })
        .map(Into::into)
    }

    // ---- history and recent searches -----------------------------------------------

    /// The reading history, newest first (empty while off). Blocking.
    pub fn history(&self) -> Result<Vec<HistoryItem>, QuireError> {
        guard("listing history", || self.inner.history())
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    /// Deletes the reading history. Blocking.
    pub fn clear_history(&self) -> Result<(), QuireError> {
        guard("clearing history", || self.inner.clear_history())
    }

    /// Recent searches, newest first (empty while off). Blocking.
    pub fn recent_searches(&self) -> Result<Vec<RecentItem>, QuireError> {
        guard("listing recent searches", || self.inner.recent_searches())
            .map(|v| v.into_iter().map(Into::into).collect())
    }

    /// Deletes the recent searches. Blocking.
    pub fn clear_recent_searches(&self) -> Result<(), QuireError> {
        guard("clearing recent searches", || {
            self.inner.clear_recent_searches()
        })
    }

    // ---- settings, data ------------------------------------------------------------

    /// The reader's settings. Blocking.
    pub fn settings(&self) -> Result<ReaderSettings, QuireError> {
        guard("reading settings", || self.inner.settings()).map(Into::into)
    }

    /// Changes the settings (turning history or recent searches off deletes them).
    /// Blocking.
    pub fn set_settings(&self, settings: ReaderSettings) -> Result<(), QuireError> {
        guard("changing settings", || {
            self.inner.set_settings(&settings.into())
        })
    }

    /// All the reader's data as versioned JSON (never the lock). Blocking.
    pub fn export_json(&self) -> Result<String, QuireError> {
        guard("exporting", || self.inner.export_json())
    }

    /// Merges an export into the reader's data. Blocking.
    pub fn import_json(&self, json: String) -> Result<ImportSummary, QuireError> {
        guard("importing", || self.inner.import_json(&json)).map(import_summary)
    }

    /// Erases all the reader's data (bookmarks, notes, progress, history, searches,
    /// settings, the lock) and starts afresh. Also allowed on the lock screen.
    /// Blocking.
    pub fn erase_all(&self) -> Result<(), QuireError> {
        guard("erasing", || self.inner.erase_all())
    }

    // ---- session, quick exit -------------------------------------------------------

    /// Quick exit: forgets the session, clears recent searches when the reader chose
    /// so, locks when a PIN is set. Then leave the screen (Android:
    /// `finishAndRemoveTask()`). Fast.
    pub fn quick_exit(&self) -> Result<(), QuireError> {
        guard("quick exit", || self.inner.quick_exit())
    }

    /// The last text searched in this session (none after quick exit or while locked).
    pub fn last_query(&self) -> Option<String> {
        self.inner.last_query()
    }

    /// The article open in this session (none after quick exit or while locked).
    pub fn open_article_id(&self) -> Option<String> {
        self.inner.open_article_id()
    }

    // ---- the lock ------------------------------------------------------------------

    /// The lock's state. Cheap.
    pub fn lock_status(&self) -> Result<LockStatus, QuireError> {
        guard("reading the lock", || self.inner.lock_status()).map(Into::into)
    }

    /// Sets the PIN or passphrase (4 to 128 characters); changing one needs `current`.
    /// A wrong `current` throws `WrongPin` and counts as a wrong attempt. Blocking
    /// (hashing takes tens of milliseconds).
    pub fn set_pin(&self, current: Option<String>, new_pin: String) -> Result<(), QuireError> {
        guard("setting the PIN", || {
            self.inner.set_pin(current.as_deref(), &new_pin)
        })
    }

    /// Removes the PIN; needs the current one. Blocking.
    pub fn remove_pin(&self, current: String) -> Result<(), QuireError> {
        guard("removing the PIN", || self.inner.remove_pin(&current))
    }

    /// Changes the lock's options; needs the current PIN. Blocking.
    pub fn set_lock_options(
        &self,
        current: String,
        options: LockOptions,
    ) -> Result<(), QuireError> {
        guard("changing the lock", || {
            self.inner.set_lock_options(&current, options.into())
        })
    }

    /// An unlock attempt. Blocking (tens of milliseconds).
    pub fn unlock(&self, pin: String) -> Result<PinCheck, QuireError> {
        guard("unlocking", || self.inner.unlock(&pin)).map(Into::into)
    }

    /// Unlocks after the platform's device authentication succeeded; false unless
    /// the reader allowed it.
    pub fn unlock_with_device_auth(&self) -> Result<bool, QuireError> {
        guard("unlocking", || self.inner.unlock_with_device_auth())
    }

    /// Locks now, when a PIN is set.
    pub fn lock_now(&self) -> Result<(), QuireError> {
        guard("locking", || self.inner.lock_now())
    }

    /// The app went to the background. Cheap.
    pub fn app_backgrounded(&self) {
        self.inner.app_backgrounded()
    }

    /// The app is in the foreground again: true when the lock screen must show.
    pub fn app_foregrounded(&self) -> Result<bool, QuireError> {
        guard("resuming", || self.inner.app_foregrounded())
    }

    /// A neutral label for article `id`, as the lists show under discreet display.
    pub fn discreet_label(&self, id: String) -> String {
        core_reader::discreet::label("", &id)
    }
}

#[cfg(feature = "bench-timing")]
#[uniffi::export]
impl Reader {
    /// BENCHMARK ONLY (cargo feature `bench-timing`, never in an app): runs `search()`
    /// and returns the nanoseconds it took inside the library, from the request as a
    /// Rust value to the page as the FFI record, before it is serialized back. What a
    /// search costs from Kotlin beyond this is the cost of crossing.
    pub fn timed_search_for_tests(&self, request: SearchRequest) -> Result<u64, QuireError> {
        let start = std::time::Instant::now();
        let page = self.search(request)?;
        let elapsed = start.elapsed();
        drop(std::hint::black_box(page));
        Ok(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX))
    }
}
