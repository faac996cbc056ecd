//! The [`Reader`]: one object an app opens on its bundle and its data directory.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use super::blocks::Block;
use super::lock::LockSession;
use super::types::ReaderSettings;
use crate::bundle::Bundle;
use crate::pack::{self, Library};
use crate::store::{RecoveryReport, Settings, Store};
use crate::{Error, Result};

/// Setting keys of the reader's own options, in the store's reserved namespace.
pub(super) const KEY_DISCREET: &str = "quire.reader.discreet_display";
pub(super) const KEY_CLEAR_ON_EXIT: &str = "quire.reader.clear_recent_on_quick_exit";

/// What the reader is doing in this run of the app, forgotten by
/// [`Reader::quick_exit`].
#[derive(Debug, Default)]
pub(super) struct Session {
    /// The last text searched.
    pub(super) last_query: Option<String>,
    /// The article open on screen, with its blocks (to place reading positions).
    pub(super) open: Option<(String, Arc<Vec<Block>>)>,
}

/// Everything an app's screens need, in one object: search as you type, articles as
/// native blocks, bookmarks, history, recent searches, settings, discreet display, the
/// app lock and quick exit, and the content packs installed beside the built-in bundle,
/// over the built-in bundle and one data directory.
///
/// Articles are named by article references ([`crate::pack::ArticleRef`]): the id alone
/// for a built-in article, `pack-id/article-id` for a pack's. Every id a call returns is
/// one; hand it back as it is.
///
/// `Send + Sync`; every call is blocking, and all but [`Reader::lock_status`] and the
/// lifecycle calls belong off the UI thread. While the lock screen must show, every
/// call that returns the reader's content or data fails with [`Error::Locked`].
pub struct Reader {
    pub(super) bundle: Arc<Bundle>,
    /// The built-in bundle and the installed packs; replaced after an install or removal.
    library: RwLock<Arc<Library>>,
    /// Held while a pack is installed or removed: one at a time.
    pub(super) installing: Mutex<()>,
    pub(super) dir: PathBuf,
    /// Replaced by a fresh store after an erase.
    store: RwLock<Arc<Store>>,
    pub(super) session: Mutex<Session>,
    pub(super) lock: Mutex<LockSession>,
    recovery: Option<RecoveryReport>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("bundle", &self.bundle)
            .finish_non_exhaustive()
    }
}

pub(super) fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Reader {
    /// Opens the reader on the built-in `bundle`, the packs installed in `dir` and the
    /// user data in `dir` (created if missing). Old history and recent searches past
    /// their retention are forgotten now. A damaged database is repaired as
    /// [`Store::open`] does; [`Reader::recovery`] says what was kept. A pack file that
    /// does not open is left out and listed by [`Reader::damaged_packs`]. With a PIN
    /// set, the reader starts locked.
    pub fn open(bundle: Arc<Bundle>, dir: &Path) -> Result<Reader> {
        let opened = Store::open(dir)?;
        let library = Library::open(bundle.clone(), dir)?;
        let store = Arc::new(opened.store);
        // Auto-forget: reading either list applies the retention.
        store.history()?;
        store.recent_searches()?;
        let record = store.lock_record()?;
        Ok(Reader {
            bundle,
            library: RwLock::new(Arc::new(library)),
            installing: Mutex::default(),
            dir: dir.to_path_buf(),
            store: RwLock::new(store),
            session: Mutex::default(),
            lock: Mutex::new(LockSession::start(&record)),
            recovery: opened.recovery,
        })
    }

    /// The built-in bundle.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// The library as it stands: the built-in bundle and the installed packs.
    pub fn library(&self) -> Arc<Library> {
        self.library
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Opens the library again after an install or removal; the open article is
    /// forgotten (its text may have changed).
    pub(super) fn reload_library(&self) -> Result<()> {
        let fresh = self.library().reload()?;
        *self.library.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(fresh);
        locked(&self.session).open = None;
        Ok(())
    }

    /// What a repair of a damaged database at open kept and lost, if there was one.
    pub fn recovery(&self) -> Option<&RecoveryReport> {
        self.recovery.as_ref()
    }

    /// The store, whatever the lock says (for the lock itself and the lifecycle).
    pub(super) fn store_unchecked(&self) -> Arc<Store> {
        self.store
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The store, for a call that returns the reader's content or data: refused while
    /// the lock screen must show.
    pub(super) fn store(&self) -> Result<Arc<Store>> {
        self.check_unlocked()?;
        Ok(self.store_unchecked())
    }

    /// Fails with [`Error::Locked`] while the lock screen must show.
    pub(super) fn check_unlocked(&self) -> Result<()> {
        if locked(&self.lock).locked {
            return Err(Error::Locked);
        }
        Ok(())
    }

    /// Whether lists show neutral labels.
    pub(super) fn discreet(&self, store: &Store) -> Result<bool> {
        Ok(store.internal_setting(KEY_DISCREET)?.as_deref() == Some("1"))
    }

    /// The reader's settings.
    pub fn settings(&self) -> Result<ReaderSettings> {
        let store = self.store()?;
        let s = store.settings()?;
        Ok(ReaderSettings {
            history_enabled: s.history_enabled,
            history_retention_days: s.history_retention_days,
            recent_searches_enabled: s.recent_searches_enabled,
            recent_searches_retention_days: s.recent_searches_retention_days,
            discreet_display: self.discreet(&store)?,
            clear_recent_searches_on_quick_exit: store
                .internal_setting(KEY_CLEAR_ON_EXIT)?
                .as_deref()
                == Some("1"),
        })
    }

    /// Changes the reader's settings. Turning history or recent searches off deletes
    /// what they had recorded.
    pub fn set_settings(&self, settings: &ReaderSettings) -> Result<()> {
        let store = self.store()?;
        store.set_settings(&Settings {
            history_enabled: settings.history_enabled,
            history_retention_days: settings.history_retention_days,
            recent_searches_enabled: settings.recent_searches_enabled,
            recent_searches_retention_days: settings.recent_searches_retention_days,
        })?;
        let flag = |on: bool| if on { "1" } else { "0" };
        store.set_internal_setting(KEY_DISCREET, flag(settings.discreet_display))?;
        store.set_internal_setting(
            KEY_CLEAR_ON_EXIT,
            flag(settings.clear_recent_searches_on_quick_exit),
        )?;
        Ok(())
    }

    /// Quick exit: forgets the session (last search, open article), clears the recent
    /// searches when the reader chose so, and locks when a PIN is set, so the app shows
    /// the lock when it comes back. Returns at once; the app then leaves the screen.
    /// Works while locked, and never fails for want of storage: the session is forgotten
    /// first, whatever happens after.
    pub fn quick_exit(&self) -> Result<()> {
        *locked(&self.session) = Session::default();
        let store = self.store_unchecked();
        let pin_set = store
            .lock_record()
            .map(|r| r.pin_hash.is_some())
            .unwrap_or(true);
        {
            let mut lock = locked(&self.lock);
            lock.locked = pin_set;
            lock.background_since = None;
        }
        if store.internal_setting(KEY_CLEAR_ON_EXIT)?.as_deref() == Some("1") {
            store.clear_recent_searches()?;
        }
        Ok(())
    }

    /// The last text searched in this session, to put back in the search field when the
    /// screen is rebuilt; `None` after [`Reader::quick_exit`].
    pub fn last_query(&self) -> Option<String> {
        if self.check_unlocked().is_err() {
            return None;
        }
        locked(&self.session).last_query.clone()
    }

    /// The article open in this session, if any; `None` after [`Reader::quick_exit`].
    pub fn open_article_id(&self) -> Option<String> {
        if self.check_unlocked().is_err() {
            return None;
        }
        locked(&self.session)
            .open
            .as_ref()
            .map(|(id, _)| id.clone())
    }

    /// Erases every piece of the reader's data (as [`Store::wipe`]: rows, WAL, files,
    /// the lock with them, and the installed packs and accepted publishers, which say
    /// what was read) and starts afresh on an empty store and the built-in articles.
    /// Allowed on the lock screen ("forgot my PIN"): it destroys, it reveals nothing.
    pub fn erase_all(&self) -> Result<()> {
        *locked(&self.session) = Session::default();
        let mut slot = self.store.write().unwrap_or_else(PoisonError::into_inner);
        {
            let _one = locked(&self.installing);
            pack::wipe(&self.dir)?;
            self.reload_library()?;
        }
        slot.wipe()?;
        let fresh = Store::open(&self.dir)?;
        *slot = Arc::new(fresh.store);
        *locked(&self.lock) = LockSession::default();
        Ok(())
    }

    /// All the reader's data as versioned JSON (the lock is never part of it).
    pub fn export_json(&self) -> Result<String> {
        self.store()?.export_json()
    }

    /// Merges an export into the reader's data; returns what was added.
    pub fn import_json(&self, json: &str) -> Result<crate::store::ImportSummary> {
        self.store()?.import_json(json)
    }
}
