//! [`UserStore`]: the reader's own data.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use quire_core::store::Store;

use crate::bundle::ArticleBundle;
use crate::error::{QuireError, guard};
use crate::records::{
    Bookmark, FlaggedBookmark, HistoryEntry, ImportSummary, PrivacySettings, ReadingProgress,
    RecentSearch, RecoveryReport, custom_settings,
};

/// The reader's own data: bookmarks, reading progress, opt-in reading history and recent
/// searches, and settings, in one SQLite database in a directory the app chooses (use
/// app-private storage, excluded from backups).
///
/// Open one per data directory for the life of the app and share it: every call is
/// thread-safe; reads never wait for writes. Kotlin: `AutoCloseable` (closing it closes
/// the database); a call after `close()` throws `IllegalStateException`. Swift: closed
/// when the last reference goes away.
///
/// Every call touches the disk and is *blocking*: writes that the reader would miss
/// (bookmarks, settings, deletions, imports) are flushed to disk before they return
/// (about one `fsync`). Make them from a background thread, never from the UI thread.
///
/// Nothing here logs or prints what the reader does.
#[derive(Debug, uniffi::Object)]
pub struct UserStore {
    inner: Store,
    recovery: Option<RecoveryReport>,
}

#[uniffi::export]
impl UserStore {
    /// Opens the store in directory `dir`, creating the directory (owner-only) and the
    /// database if needed, and upgrading data from an older app version. Blocking: checks
    /// the database (about 2 ms for thousands of bookmarks).
    ///
    /// A damaged database never stops the app: what can be read is salvaged into a fresh
    /// one, the damaged copy is erased, and `recovery()` says what was kept
    /// and lost.
    ///
    /// Throws `NewerUserData` for data from a newer app (left untouched),
    /// `StorageReadOnly` or `StorageFull` when the directory cannot be written (nothing is
    /// deleted), `Storage` or `Io` otherwise.
    #[uniffi::constructor]
    pub fn open(dir: String) -> Result<Arc<Self>, QuireError> {
        let opened = guard("opening the store", || Store::open(Path::new(&dir)))?;
        Ok(Arc::new(UserStore {
            inner: opened.store,
            recovery: opened.recovery.map(Into::into),
        }))
    }

    /// Present when the database was damaged and has been repaired by the open that
    /// created this object: what was kept and what was lost. Show it to the reader once.
    /// Cheap: safe on the UI thread.
    pub fn recovery(&self) -> Option<RecoveryReport> {
        self.recovery.clone()
    }

    // ---- bookmarks ---------------------------------------------------------------

    /// Bookmarks an article, durably (on disk when this returns). Re-adding a bookmarked
    /// article replaces its note and folder with the ones given (`null`/`nil` or empty
    /// clears them) and keeps its original date. Returns the bookmark as stored.
    ///
    /// The store does not know the bundle: pass ids from it. Throws `InvalidArgument` for
    /// an empty or overlong (over 512 bytes) id.
    pub fn add_bookmark(
        &self,
        article_id: String,
        note: Option<String>,
        folder: Option<String>,
    ) -> Result<Bookmark, QuireError> {
        guard("adding a bookmark", || {
            self.inner
                .add_bookmark(&article_id, note.as_deref(), folder.as_deref())
        })
        .map(Into::into)
    }

    /// Removes a bookmark, durably and leaving no trace of its note on disk. Returns
    /// whether there was one.
    pub fn remove_bookmark(&self, article_id: String) -> Result<bool, QuireError> {
        guard("removing a bookmark", || {
            self.inner.remove_bookmark(&article_id)
        })
    }

    /// The bookmark of one article, if it is bookmarked.
    pub fn bookmark(&self, article_id: String) -> Result<Option<Bookmark>, QuireError> {
        guard("reading a bookmark", || self.inner.bookmark(&article_id)).map(|b| b.map(Into::into))
    }

    /// Every bookmark, newest first.
    pub fn bookmarks(&self) -> Result<Vec<Bookmark>, QuireError> {
        guard("reading bookmarks", || self.inner.bookmarks())
            .map(|list| list.into_iter().map(Into::into).collect())
    }

    /// Every bookmark, newest first, each flagged `missing` when `bundle` has no such
    /// article (an update removed it). Never drops a bookmark: show missing ones as
    /// unavailable.
    ///
    /// Throws `DamagedBundle` if the bundle's catalog cannot be read.
    pub fn bookmarks_flagged(
        &self,
        bundle: Arc<ArticleBundle>,
    ) -> Result<Vec<FlaggedBookmark>, QuireError> {
        guard("reading bookmarks", || {
            let failure = RefCell::new(None);
            let flagged = self.inner.bookmarks_flagged(|id| {
                bundle.core().contains(id).unwrap_or_else(|e| {
                    failure.borrow_mut().get_or_insert(e);
                    true
                })
            })?;
            match failure.into_inner() {
                Some(e) => Err(e),
                None => Ok(flagged),
            }
        })
        .map(|list| list.into_iter().map(Into::into).collect())
    }

    // ---- reading progress --------------------------------------------------------

    /// Records where the reader is in an article (`position` from 0.0 to 1.0, kept to
    /// nine decimal places), with now as the time. Cheap to call often (on every scroll
    /// pause): it survives the app being killed, though the last few may be lost if the
    /// device loses power. Returns the row as stored.
    ///
    /// Throws `InvalidArgument` for NaN, a position outside 0.0…1.0, or a bad id.
    pub fn set_progress(
        &self,
        article_id: String,
        position: f64,
    ) -> Result<ReadingProgress, QuireError> {
        guard("saving reading progress", || {
            self.inner.set_progress(&article_id, position)
        })
        .map(Into::into)
    }

    /// Where the reader stopped in an article, if recorded.
    pub fn progress(&self, article_id: String) -> Result<Option<ReadingProgress>, QuireError> {
        guard("reading progress", || self.inner.progress(&article_id)).map(|p| p.map(Into::into))
    }

    /// Every progress row, most recently read first (a "continue reading" list).
    pub fn all_progress(&self) -> Result<Vec<ReadingProgress>, QuireError> {
        guard("reading progress", || self.inner.all_progress())
            .map(|list| list.into_iter().map(Into::into).collect())
    }

    /// Forgets the progress of one article. Returns whether there was any.
    pub fn remove_progress(&self, article_id: String) -> Result<bool, QuireError> {
        guard("removing reading progress", || {
            self.inner.remove_progress(&article_id)
        })
    }

    // ---- reading history (opt-in) ------------------------------------------------

    /// Records that an article was opened, if the reader turned history on
    /// (`PrivacySettings.historyEnabled`); otherwise records nothing. Returns
    /// whether it was recorded. Throws `InvalidArgument` for a bad id.
    pub fn record_article_opened(&self, article_id: String) -> Result<bool, QuireError> {
        guard("recording history", || {
            self.inner.record_article_opened(&article_id)
        })
    }

    /// The reading history, newest first, after forgetting entries past the retention.
    /// Empty while history is off.
    pub fn history(&self) -> Result<Vec<HistoryEntry>, QuireError> {
        guard("reading history", || self.inner.history())
            .map(|list| list.into_iter().map(Into::into).collect())
    }

    /// Deletes the whole reading history, leaving no trace on disk.
    pub fn clear_history(&self) -> Result<(), QuireError> {
        guard("clearing history", || self.inner.clear_history())
    }

    // ---- recent searches (opt-in) ------------------------------------------------

    /// Records a search, if the reader turned recent searches on
    /// (`PrivacySettings.recentSearchesEnabled`); otherwise records nothing. The
    /// query is trimmed and cut to 500 characters; an empty one is not recorded. Keeps
    /// the 100 most recent. Returns whether it was recorded.
    ///
    /// Record what the reader settled on (submitted, or opened a result from), not every
    /// keystroke.
    pub fn record_search(&self, query: String) -> Result<bool, QuireError> {
        guard("recording a search", || self.inner.record_search(&query))
    }

    /// Recent searches, newest first, after forgetting those past the retention. Empty
    /// while recent searches are off.
    pub fn recent_searches(&self) -> Result<Vec<RecentSearch>, QuireError> {
        guard("reading recent searches", || self.inner.recent_searches())
            .map(|list| list.into_iter().map(Into::into).collect())
    }

    /// Deletes every recent search, leaving no trace on disk.
    pub fn clear_recent_searches(&self) -> Result<(), QuireError> {
        guard("clearing recent searches", || {
            self.inner.clear_recent_searches()
        })
    }

    // ---- settings ----------------------------------------------------------------

    /// The privacy settings the core acts on (all off by default).
    pub fn privacy_settings(&self) -> Result<PrivacySettings, QuireError> {
        guard("reading settings", || self.inner.settings()).map(Into::into)
    }

    /// Replaces the privacy settings, durably. Turning history or recent searches off
    /// deletes what was recorded, leaving no trace; a shorter retention applies at once.
    ///
    /// Throws `InvalidArgument` for a retention of 0 days (turn the feature off instead).
    pub fn set_privacy_settings(&self, settings: PrivacySettings) -> Result<(), QuireError> {
        guard("saving settings", || {
            self.inner.set_settings(&settings.into())
        })
    }

    /// The app's own setting `key` (theme, cover titles…), if set.
    ///
    /// Throws `InvalidArgument` for an empty, overlong (over 256 bytes) or reserved
    /// (`quire.`…) key.
    pub fn setting(&self, key: String) -> Result<Option<String>, QuireError> {
        guard("reading a setting", || self.inner.setting(&key))
    }

    /// Sets the app's own setting `key`, durably. Keys starting with `quire.` are
    /// reserved. Throws `InvalidArgument` like `setting()`.
    pub fn set_setting(&self, key: String, value: String) -> Result<(), QuireError> {
        guard("saving a setting", || self.inner.set_setting(&key, &value))
    }

    /// Removes the app's own setting `key`. Returns whether it was set. Throws
    /// `InvalidArgument` like `setting()`.
    pub fn remove_setting(&self, key: String) -> Result<bool, QuireError> {
        guard("removing a setting", || self.inner.remove_setting(&key))
    }

    /// Every setting of the app's own, by key (the privacy settings excluded).
    pub fn custom_settings(&self) -> Result<HashMap<String, String>, QuireError> {
        guard("reading settings", || self.inner.custom_settings()).map(custom_settings)
    }

    // ---- export, import, wipe ----------------------------------------------------

    /// All the reader's data as versioned JSON, read in one consistent snapshot. The text
    /// holds the reader's private notes and reading: hand it only to where the reader
    /// chose to save it.
    pub fn export_json(&self) -> Result<String, QuireError> {
        guard("exporting", || self.inner.export_json())
    }

    /// Merges an export written by `exportJson()` (of this or an older app
    /// version) into the store, in one durable transaction: all or nothing. Importing the
    /// same export again changes nothing. Bookmarks already here keep their note and
    /// folder; the export's privacy settings replace the current ones.
    ///
    /// Throws `NewerExport` for an export from a newer app and `InvalidExport` for
    /// anything that is not a valid export; nothing is changed then.
    pub fn import_json(&self, json: String) -> Result<ImportSummary, QuireError> {
        guard("importing", || self.inner.import_json(&json)).map(Into::into)
    }

    /// Deletes all of the reader's data: every file of the store is overwritten with
    /// zeros and removed (the directory itself stays). Afterwards every call on this
    /// object throws `Storage`; close it and open a new `UserStore` on the same directory
    /// to start afresh.
    pub fn wipe(&self) -> Result<(), QuireError> {
        guard("wiping", || self.inner.wipe())
    }
}

#[cfg(feature = "test-panic")]
#[uniffi::export]
impl UserStore {
    /// TEST ONLY (cargo feature `test-panic`, never in an app): panics inside the core,
    /// in the middle of listing bookmarks (from the callback the core calls for each
    /// bookmark, so the unwind passes through the core's frames; with no bookmark, the
    /// panic happens after the core returns). Throws `Internal`; the store keeps working.
    pub fn panic_for_tests(&self) -> Result<(), QuireError> {
        guard("a test call", || {
            self.inner
                .bookmarks_flagged(|_| panic!("quire-ffi: test panic inside the core"))?;
            panic!("quire-ffi: test panic after the core returned")
        })
    }
}
