//! [`ArticleBundle`]: an open `.quire` bundle.

use std::path::Path;
use std::sync::Arc;

use quire_core::bundle::Bundle;
use quire_core::search::Searcher;

use crate::error::{QuireError, guard};
use crate::records::{
    Article, ArticleMeta, BundleInfo, RelatedArticle, SearchOptions, SearchResults, TitleSuggestion,
};

/// An open bundle of articles: the catalog, the bodies and the search index, read in
/// place from one immutable `.quire` file.
///
/// Open it once (the app's own bundle at start-up, off the main thread) and share it:
/// every call is thread-safe, and any number of searches may run at once. Kotlin:
/// `AutoCloseable` (close it when the app no longer needs it, or let the cleaner free
/// it); a call after `close()` throws `IllegalStateException`. Swift: freed when the
/// last reference goes away.
///
/// Calls marked *blocking* read the file (possibly from flash, on a cold start); make
/// them from a background thread (Kotlin `Dispatchers.IO`/`Dispatchers.Default`, Swift
/// a detached task or your own actor), never from the UI thread.
#[derive(Debug, uniffi::Object)]
pub struct ArticleBundle {
    inner: Bundle,
}

#[uniffi::export]
impl ArticleBundle {
    /// Opens the bundle file at `path`. Blocking: maps the file and checks its header,
    /// manifest and index (about a millisecond; not the whole file — see
    /// `verify()`).
    ///
    /// Throws `Io` when the file cannot be opened, `NotABundle`,
    /// `UnsupportedBundleVersion` or `DamagedBundle` when its content is wrong.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, QuireError> {
        guard("opening the bundle", || Bundle::open(Path::new(&path))).map(Self::wrap)
    }

    /// Opens a bundle stored at `offset..offset + length` of an open file descriptor,
    /// such as an uncompressed asset inside an Android APK
    /// (`AssetFileDescriptor.parcelFileDescriptor.fd`, `startOffset`, `length`).
    /// `fd` must stay open until this returns; it is duplicated, so the caller keeps
    /// ownership of it and may close it as soon as this returns. Blocking, like `open()`.
    ///
    /// Throws `InvalidArgument` for a negative descriptor or a range outside the file,
    /// `Io` when the descriptor cannot be duplicated or read, and the content errors of
    /// `open()`.
    #[uniffi::constructor]
    pub fn open_fd(fd: i32, offset: u64, length: u64) -> Result<Arc<Self>, QuireError> {
        guard("opening the bundle", || bundle_from_fd(fd, offset, length)).map(Self::wrap)
    }

    /// Opens a bundle held in memory (for instance a pack received from another app).
    /// The bytes are copied across the FFI boundary: prefer `open()` for
    /// files. Blocking. Throws the content errors of `open()`.
    #[uniffi::constructor]
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Arc<Self>, QuireError> {
        guard("opening the bundle", || Bundle::from_bytes(bytes)).map(Self::wrap)
    }

    /// What the bundle holds and who built it. Cheap: safe on the UI thread.
    pub fn info(&self) -> BundleInfo {
        BundleInfo::from(&self.inner)
    }

    /// Number of articles. Cheap: safe on the UI thread.
    pub fn article_count(&self) -> u64 {
        self.inner.len() as u64
    }

    /// Checks every checksum of the bundle: each block of every section, each article
    /// body and each index file. Blocking and slow (reads the whole file: tens of
    /// milliseconds per megabyte on a phone). Call it once on any bundle that did not
    /// ship inside the app (a content update, a pack from another phone) before using
    /// it; the bundle shipped with the app does not need it.
    ///
    /// Throws `DamagedBundle` naming the first damaged section.
    pub fn verify(&self) -> Result<(), QuireError> {
        guard("verifying the bundle", || self.inner.verify())
    }

    /// Every article's catalog entry, in id order. Blocking (reads the catalog).
    pub fn list(&self) -> Result<Vec<ArticleMeta>, QuireError> {
        guard("listing articles", || self.inner.list())
            .map(|list| list.into_iter().map(Into::into).collect())
    }

    /// Whether the bundle has an article with this id. Blocking (a binary search of the
    /// catalog: microseconds, but it may touch the file).
    pub fn contains(&self, id: String) -> Result<bool, QuireError> {
        guard("looking up an article", || self.inner.contains(&id))
    }

    /// The catalog entry of article `id`. Blocking. Throws `ArticleNotFound`.
    pub fn meta(&self, id: String) -> Result<ArticleMeta, QuireError> {
        guard("reading an article", || self.inner.meta(&id)).map(Into::into)
    }

    /// The whole article `id` (Markdown and plain text), its body checked against its
    /// checksum. Blocking (decompresses the body). Throws `ArticleNotFound`, or
    /// `DamagedBundle` when the body does not match its checksum.
    pub fn article(&self, id: String) -> Result<Article, QuireError> {
        guard("reading an article", || self.inner.article(&id)).map(Into::into)
    }

    /// Searches the articles. Any text is a valid query (typos, unbalanced quotes,
    /// emoji, very long text): plain words match in any form, `"quoted words"` must stand
    /// together, `-word` leaves out articles with that word, and the last word may be
    /// unfinished. Blocking: about a millisecond; call it from a background thread,
    /// debounced while the reader types.
    ///
    /// Throws only when the bundle is damaged.
    pub fn search(
        &self,
        query: String,
        options: SearchOptions,
    ) -> Result<SearchResults, QuireError> {
        guard("searching", || {
            Searcher::new(&self.inner).search(&query, &options.into())
        })
        .map(Into::into)
    }

    /// Titles matching what has been typed so far (the last word as a prefix), best
    /// first, at most `limit` (at most 100). Blocking, like `search()`.
    pub fn suggest_titles(
        &self,
        text: String,
        limit: u32,
    ) -> Result<Vec<TitleSuggestion>, QuireError> {
        guard("suggesting titles", || {
            Searcher::new(&self.inner).suggest_titles(&text, limit as usize)
        })
        .map(|list| list.into_iter().map(TitleSuggestion::from).collect())
    }

    /// Articles about the same things as article `id`, closest first, at most `limit`.
    /// Blocking (reads the article and runs a search). Throws `ArticleNotFound`.
    pub fn related(&self, id: String, limit: u32) -> Result<Vec<RelatedArticle>, QuireError> {
        guard("finding related articles", || {
            Searcher::new(&self.inner).related(&id, limit as usize)
        })
        .map(|list| list.into_iter().map(Into::into).collect())
    }
}

impl ArticleBundle {
    fn wrap(inner: Bundle) -> Arc<Self> {
        Arc::new(ArticleBundle { inner })
    }

    /// The core's bundle, for calls that combine a bundle and a store.
    pub(crate) fn core(&self) -> &Bundle {
        &self.inner
    }
}

#[cfg(feature = "test-panic")]
#[uniffi::export]
impl ArticleBundle {
    /// TEST ONLY (cargo feature `test-panic`, never in an app): panics in the middle of a
    /// call on this bundle. Throws `Internal`; the bundle keeps working.
    pub fn panic_for_tests(&self) -> Result<(), QuireError> {
        guard("a test call", || {
            let _ = self.inner.len();
            panic!("quire-ffi: test panic on a bundle")
        })
    }
}

/// Opens the bundle at `offset..offset + length` of the descriptor `fd` that Kotlin or
/// Swift passed in (for `ArticleBundle.openFd` and `Reader.openFd`).
pub(crate) fn bundle_from_fd(fd: i32, offset: u64, length: u64) -> quire_core::Result<Bundle> {
    if fd < 0 {
        return Err(quire_core::Error::InvalidArgument(format!(
            "invalid file descriptor {fd}"
        )));
    }
    // SAFETY: `fd` is not negative (checked above), and the caller owns it and keeps it
    // open until the exported call returns: that is the documented contract of both
    // `openFd` constructors with Kotlin and Swift. The borrow ends with this call:
    // `Bundle::open_fd` only duplicates the descriptor and keeps the duplicate.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    Bundle::open_fd(fd, offset, length)
}
