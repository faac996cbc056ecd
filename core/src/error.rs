//! The one internal error type of quire-core.
//!
//! Every fallible call in the core returns [`Error`]. The variants say what a caller can
//! act on (a damaged bundle, an unknown article, storage that is full or read-only, data
//! from a newer app); the bindings map them to their public error in one place.
//!
//! No variant carries query text, note text or other reading data beyond what the caller
//! passed in and needs to see: errors end up in crash reports and logs.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// Result type of quire-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in quire-core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An article file of a corpus directory is malformed.
    #[error("{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Corpus {
        /// The offending file.
        file: PathBuf,
        /// 1-based line in that file, when the problem has one.
        line: Option<usize>,
        /// What is wrong, in one line.
        message: String,
    },

    /// The file is not a Quire bundle at all (wrong magic, too short for a header).
    #[error("not a Quire bundle: {0}")]
    NotABundle(String),

    /// The bundle was written by a format this code does not read.
    #[error("bundle format {found} is not supported (this build reads format {supported})")]
    UnsupportedBundleVersion {
        /// Major format version found in the header.
        found: u16,
        /// Major format version this code reads.
        supported: u16,
    },

    /// The bundle is damaged: a checksum does not match, a section is out of bounds, or
    /// its content cannot be decoded.
    #[error("damaged bundle: section `{section}`: {detail}")]
    DamagedBundle {
        /// Name of the damaged section (`header`, `manifest`, `catalog`, `index/meta.json`…).
        section: String,
        /// What was found wrong.
        detail: String,
    },

    /// A pack's signature does not hold: the file changed after it was signed, the
    /// signature is not the named publisher's, or it was removed. Refuse the pack.
    #[error("bad pack signature: {0}")]
    BadSignature(String),

    /// The pack is not signed by a publisher. It is installed only when the reader says
    /// "install anyway".
    #[error("pack `{id}` is not signed by its publisher")]
    UnsignedPack {
        /// The pack's id.
        id: String,
    },

    /// The pack is signed by a publisher the reader has not accepted yet: show the key's
    /// fingerprint and ask before installing with trust.
    #[error("pack `{id}` is signed by a publisher not yet trusted (key {fingerprint})")]
    UntrustedPublisher {
        /// The pack's id.
        id: String,
        /// The pack's name, to ask the reader about.
        name: String,
        /// The publisher key's fingerprint, to show.
        fingerprint: String,
    },

    /// A pack of this id is installed at a higher version: updates never go back
    /// unless forced.
    #[error("pack `{id}` version {installed} is installed; version {offered} is older")]
    PackDowngrade {
        /// The pack's id.
        id: String,
        /// Version installed.
        installed: u64,
        /// Version offered.
        offered: u64,
    },

    /// The pack cannot take the place it asks for: its id is reserved, invalid, or
    /// belongs to a pack from another publisher.
    #[error("pack conflict: {0}")]
    PackConflict(String),

    /// No pack with this id is installed.
    #[error("no pack with id `{0}` is installed")]
    PackNotFound(String),

    /// The bundle is not a content pack (it has no pack identity).
    #[error("not a pack: {0}")]
    NotAPack(String),

    /// No article with this id in the open bundle.
    #[error("no article with id `{0}`")]
    ArticleNotFound(String),

    /// An argument is out of its allowed range (a reading position outside 0–1, an empty
    /// or overlong article id…).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// The user-data database or its directory cannot be written (read-only file system,
    /// permissions). Nothing was deleted.
    #[error("storage is read-only: {0}")]
    StorageReadOnly(String),

    /// The device is out of space. Nothing was deleted; the last acknowledged write stands.
    #[error("storage is full: {0}")]
    StorageFull(String),

    /// The user data was written by a newer version of the app; it is left untouched.
    #[error("user data has schema version {found}, newer than this app's {supported}")]
    NewerSchema {
        /// `user_version` found in the database.
        found: i64,
        /// Highest version this code knows.
        supported: i64,
    },

    /// Any other storage failure.
    #[error("storage error: {0}")]
    Storage(String),

    /// An export file cannot be imported.
    #[error("cannot import: {0}")]
    Import(String),

    /// An export was written by a newer app than this one.
    #[error("export format {found} is newer than this app's {supported}")]
    NewerExport {
        /// Format version of the export.
        found: u32,
        /// Highest format version this code reads.
        supported: u32,
    },

    /// The search index failed in a way that is not damage we could name.
    #[error("search index error: {0}")]
    Index(String),

    /// The app lock is engaged: the call would show the reader's content or data. Show
    /// the lock screen and unlock first.
    #[error("the app is locked")]
    Locked,

    /// A PIN given to change or remove the lock is not the right one (the attempt is
    /// counted, as on the lock screen). The PIN itself is never part of the error.
    #[error("wrong PIN (next attempt in {retry_after_ms} ms)")]
    WrongPin {
        /// Milliseconds before the next attempt may be made.
        retry_after_ms: u64,
    },

    /// A call failed in a way that is a bug in Quire or its libraries (a caught panic).
    /// The library keeps working; the call can be retried.
    #[error("internal error: {0}")]
    Internal(String),

    /// An operating-system I/O error, with what we were doing.
    #[error("{context}: {source}")]
    Io {
        /// What was being done (`reading corpus/foo.md`).
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Builds a [`Error::DamagedBundle`].
    pub fn damaged(section: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::DamagedBundle {
            section: section.into(),
            detail: detail.into(),
        }
    }

    /// A damaged index: what tantivy, or reading the index's files, reported.
    pub(crate) fn index(e: impl std::fmt::Display) -> Self {
        Error::damaged("index", e.to_string())
    }

    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// Runs `f` on bundle data, turning a panic (a decoder on inconsistent bytes) into a
/// damaged-bundle error for `section`.
pub(crate) fn guard_damage<T>(section: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::damaged(section, "the data is inconsistent")))
}

/// Runs `f`, turning a panic (tantivy on inconsistent index data, or a bug) into
/// [`Error::Internal`], so that one bad call never takes the app down. The panic's
/// message is not kept: it may quote article text.
pub(crate) fn guard<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(Error::Internal(format!("{what} failed unexpectedly"))),
    }
}
