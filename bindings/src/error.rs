//! The one public error of the bindings, mapped from the core's error in one place.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Everything that can go wrong in a Quire call. Kotlin: `QuireException` (a sealed class,
/// one subclass per variant); Swift: `QuireError` (an enum conforming to `Error`).
///
/// Each variant is something a UI can act on. The `detail` texts are for developers
/// (crash reports, logs); they never hold the reader's notes or queries, only ids and
/// paths the app itself passed in. Show the reader your own wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum QuireError {
    /// No article with this id in the open bundle (an update removed it, or a stale
    /// link). Show "this article is no longer available".
    #[error("no article with id `{id}`")]
    ArticleNotFound {
        /// The id that was asked for.
        id: String,
    },
    /// The file is not a Quire bundle at all. Reject the file.
    #[error("not a Quire bundle: {detail}")]
    NotABundle {
        /// What was found instead.
        detail: String,
    },
    /// The bundle was written in a format this version of the app cannot read. Ask the
    /// reader to update the app.
    #[error("bundle format {found} is not supported (this build reads format {supported})")]
    UnsupportedBundleVersion {
        /// Major format version found in the file.
        found: u16,
        /// Major format version this build reads.
        supported: u16,
    },
    /// The bundle is damaged (truncated, altered, a checksum does not match). Reject a
    /// downloaded or shared bundle; for the bundle inside the app, reinstalling fixes it.
    #[error("damaged bundle: section `{section}`: {detail}")]
    DamagedBundle {
        /// Which part of the file is damaged (`header`, `manifest`, `catalog`, `bodies`,
        /// `index/…`).
        section: String,
        /// What was found wrong.
        detail: String,
    },
    /// A pack's signature does not hold: it changed after it was signed, or was not
    /// signed by the publisher it names. Refuse the file; nothing was installed.
    #[error("bad pack signature: {detail}")]
    BadSignature {
        /// What did not hold.
        detail: String,
    },
    /// The pack is not signed. Warn the reader; install it only with
    /// `allowUnsigned` ("install anyway").
    #[error("pack `{id}` is not signed by its publisher")]
    UnsignedPack {
        /// The pack's id.
        id: String,
    },
    /// The pack's publisher is not trusted yet: show `name` and the key's `fingerprint`,
    /// and if the reader accepts, install again with `trustPublisher`.
    #[error("pack `{id}` is signed by a publisher not yet trusted (key {fingerprint})")]
    UntrustedPublisher {
        /// The pack's id.
        id: String,
        /// The pack's name.
        name: String,
        /// The publisher key's fingerprint, to show.
        fingerprint: String,
    },
    /// A higher version of this pack is installed. Install only with `allowDowngrade`.
    #[error("pack `{id}` version {installed} is installed; version {offered} is older")]
    PackDowngrade {
        /// The pack's id.
        id: String,
        /// Version installed.
        installed: u64,
        /// Version offered.
        offered: u64,
    },
    /// The pack cannot take its place: its id is reserved, or belongs to a pack of
    /// another publisher (remove that one first), or it is the built-in articles.
    #[error("pack conflict: {detail}")]
    PackConflict {
        /// Why.
        detail: String,
    },
    /// No pack with this id is installed.
    #[error("no pack with id `{id}` is installed")]
    PackNotFound {
        /// The id asked for.
        id: String,
    },
    /// The file is a bundle but not a content pack (no pack identity). Refuse it.
    #[error("not a pack: {detail}")]
    NotAPack {
        /// Why.
        detail: String,
    },
    /// An argument is out of range (an empty article id, a reading position outside
    /// 0…1, a retention of 0 days, an empty or reserved setting key, a bad descriptor).
    /// A bug in the calling code.
    #[error("invalid argument: {detail}")]
    InvalidArgument {
        /// Which argument, and why.
        detail: String,
    },
    /// The data directory cannot be written (read-only file system, permissions).
    /// Nothing was deleted.
    #[error("storage is read-only: {detail}")]
    StorageReadOnly {
        /// What the system said.
        detail: String,
    },
    /// The device is out of space. Nothing was deleted; the last acknowledged write
    /// stands. Ask the reader to free some space.
    #[error("storage is full: {detail}")]
    StorageFull {
        /// What the system said.
        detail: String,
    },
    /// The reader's data was written by a newer version of the app (after a downgrade).
    /// It is left untouched; ask the reader to update the app, or offer
    /// `wipeUserStoreDir()` as a last resort.
    #[error("user data has schema version {found}, newer than this app's {supported}")]
    NewerUserData {
        /// Schema version found in the database.
        found: i64,
        /// Highest schema version this build knows.
        supported: i64,
    },
    /// An export file was written by a newer version of the app. Nothing was imported.
    #[error("export format {found} is newer than this app's {supported}")]
    NewerExport {
        /// Format version of the export.
        found: u32,
        /// Highest format version this build reads.
        supported: u32,
    },
    /// An export file cannot be imported (not JSON, not a Quire export, or invalid
    /// values). Nothing was imported.
    #[error("cannot import: {detail}")]
    InvalidExport {
        /// Where and why.
        detail: String,
    },
    /// Any other failure of the reader's data store, including calls on a store after
    /// `UserStore.wipe()`. A damaged database is repaired the
    /// next time the store is opened.
    #[error("storage error: {detail}")]
    Storage {
        /// What failed.
        detail: String,
    },
    /// A file could not be opened or read (a bundle path that does not exist, a
    /// directory that cannot be created).
    #[error("{detail}")]
    Io {
        /// What was being done, and what the system said.
        detail: String,
    },
    /// The app lock is engaged: this call would show the reader's content or data.
    /// Show the lock screen; `Reader.unlock(pin)` first.
    #[error("the app is locked")]
    Locked,
    /// The PIN given to change or remove the lock is wrong (counted as a wrong attempt;
    /// the PIN is never part of the error). Ask again after `retry_after_ms`.
    #[error("wrong PIN (next attempt in {retry_after_ms} ms)")]
    WrongPin {
        /// Milliseconds before the next attempt may be made.
        retry_after_ms: u64,
    },
    /// A bug in Quire or its libraries (for instance a caught panic). The library keeps
    /// working and the call may be retried.
    #[error("internal error: {detail}")]
    Internal {
        /// What failed.
        detail: String,
    },
}

/// The one place where the core's errors become public ones. The public error's text
/// (`Display`) is the core's for every variant the core maps one to one (a test checks
/// it), and each `detail` keeps the core error's chain of causes: a `#[source]` field
/// cannot cross the FFI line, so the causes travel as text.
impl From<quire_core::Error> for QuireError {
    fn from(e: quire_core::Error) -> Self {
        use quire_core::Error as E;
        let causes = unquoted_causes(&e);
        let detail = |text: String| text + &causes;
        match e {
            E::ArticleNotFound(id) => QuireError::ArticleNotFound { id },
            E::BadSignature(d) => QuireError::BadSignature { detail: detail(d) },
            E::UnsignedPack { id } => QuireError::UnsignedPack { id },
            E::UntrustedPublisher {
                id,
                name,
                fingerprint,
            } => QuireError::UntrustedPublisher {
                id,
                name,
                fingerprint,
            },
            E::PackDowngrade {
                id,
                installed,
                offered,
            } => QuireError::PackDowngrade {
                id,
                installed,
                offered,
            },
            E::PackConflict(d) => QuireError::PackConflict { detail: detail(d) },
            E::PackNotFound(id) => QuireError::PackNotFound { id },
            E::NotAPack(d) => QuireError::NotAPack { detail: detail(d) },
            E::NotABundle(d) => QuireError::NotABundle { detail: detail(d) },
            E::UnsupportedBundleVersion { found, supported } => {
                QuireError::UnsupportedBundleVersion { found, supported }
            }
            E::DamagedBundle { section, detail: d } => QuireError::DamagedBundle {
                section,
                detail: detail(d),
            },
            E::InvalidArgument(d) => QuireError::InvalidArgument { detail: detail(d) },
            E::StorageReadOnly(d) => QuireError::StorageReadOnly { detail: detail(d) },
            E::StorageFull(d) => QuireError::StorageFull { detail: detail(d) },
            E::NewerSchema { found, supported } => QuireError::NewerUserData { found, supported },
            E::NewerExport { found, supported } => QuireError::NewerExport { found, supported },
            E::Import(d) => QuireError::InvalidExport { detail: detail(d) },
            E::Storage(d) => QuireError::Storage { detail: detail(d) },
            // The core's text already joins what was being done and what the system said.
            e @ E::Io { .. } => QuireError::Io {
                detail: detail(e.to_string()),
            },
            E::Internal(d) => QuireError::Internal { detail: detail(d) },
            E::Locked => QuireError::Locked,
            E::WrongPin { retry_after_ms } => QuireError::WrongPin { retry_after_ms },
            // Not produced by the calls exported here (corpus loading and index building
            // happen in the CLI), and any variant the core adds later: a bug to report.
            other => QuireError::Internal {
                detail: detail(other.to_string()),
            },
        }
    }
}

/// The texts of `e`'s causes (its `source()` chain) that its own message does not
/// already quote, each after `": "`: what a `detail` must add to keep the whole chain
/// (rusqlite's or the system's words). Empty when the message shows every cause.
fn unquoted_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let shown = e.to_string();
    let mut added = String::new();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !text.is_empty() && !shown.contains(&text) && !added.contains(&text) {
            added.push_str(": ");
            added.push_str(&text);
        }
        next = cause.source();
    }
    added
}

/// Runs one exported call: maps the core's error, and turns a panic into
/// [`QuireError::Internal`] so that the shells catch one exception type and no panic
/// message (which may quote article text) crosses the FFI line. UniFFI would catch the
/// panic too, but hand its message to the caller as a generic internal exception.
pub(crate) fn guard<T>(
    what: &'static str,
    f: impl FnOnce() -> quire_core::Result<T>,
) -> Result<T, QuireError> {
    withhold_panic_messages();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(QuireError::from),
        Err(_) => Err(QuireError::Internal {
            detail: format!("{what} failed unexpectedly"),
        }),
    }
}

/// What the panic hook writes instead of a panic's message.
const WITHHELD: &[u8] =
    b"quire: internal error (message withheld: it may quote what was being read)\n";

/// Replaces the process's panic hook, once, with one that writes a fixed line to stderr.
/// Rust's default hook prints the panic's message before the panic is caught, and a
/// message can quote article text or a query (a failed string slice shows the string);
/// an app's log is no place for either. Installed by the first exported call.
pub(crate) fn withhold_panic_messages() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|_| {
            use std::io::Write;
            let _ = std::io::stderr().write_all(WITHHELD);
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHILD_ENV: &str = "QUIRE_FFI_PANIC_CHILD";

    /// Run by [`a_panic_message_never_reaches_stderr`] in a child process.
    #[test]
    fn panic_child() {
        if std::env::var_os(CHILD_ENV).is_none() {
            return;
        }
        let text = "the words someone was reading";
        let _ = guard::<()>("reading", || {
            let _ = &text[3..200];
            Ok(())
        });
    }

    #[test]
    fn a_panic_message_never_reaches_stderr() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "error::tests::panic_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains("message withheld"), "{stderr:?}");
        assert!(!stderr.contains("someone was reading"), "{stderr:?}");
    }

    #[test]
    fn every_core_error_maps_to_an_actionable_variant() {
        use quire_core::Error as E;
        let versions = |found, supported| E::UnsupportedBundleVersion { found, supported };
        let cases = [
            (
                E::ArticleNotFound("a".into()),
                "ArticleNotFound { id: \"a\" }",
            ),
            (E::NotABundle("x".into()), "NotABundle { detail: \"x\" }"),
            (
                versions(2, 1),
                "UnsupportedBundleVersion { found: 2, supported: 1 }",
            ),
            (
                E::damaged("catalog", "bad"),
                "DamagedBundle { section: \"catalog\", detail: \"bad\" }",
            ),
            (
                E::InvalidArgument("x".into()),
                "InvalidArgument { detail: \"x\" }",
            ),
            (
                E::StorageReadOnly("x".into()),
                "StorageReadOnly { detail: \"x\" }",
            ),
            (E::StorageFull("x".into()), "StorageFull { detail: \"x\" }"),
            (
                E::NewerSchema {
                    found: 9,
                    supported: 2,
                },
                "NewerUserData { found: 9, supported: 2 }",
            ),
            (
                E::NewerExport {
                    found: 9,
                    supported: 1,
                },
                "NewerExport { found: 9, supported: 1 }",
            ),
            (E::Import("x".into()), "InvalidExport { detail: \"x\" }"),
            (E::Storage("x".into()), "Storage { detail: \"x\" }"),
            (
                E::io("opening x", std::io::Error::other("boom")),
                "Io { detail: \"opening x: boom\" }",
            ),
            (
                E::Index("x".into()),
                "Internal { detail: \"search index error: x\" }",
            ),
            (E::Internal("x".into()), "Internal { detail: \"x\" }"),
            (
                E::BadSignature("x".into()),
                "BadSignature { detail: \"x\" }",
            ),
            (
                E::UnsignedPack { id: "p".into() },
                "UnsignedPack { id: \"p\" }",
            ),
            (
                E::UntrustedPublisher {
                    id: "p".into(),
                    name: "N".into(),
                    fingerprint: "ab12".into(),
                },
                "UntrustedPublisher { id: \"p\", name: \"N\", fingerprint: \"ab12\" }",
            ),
            (
                E::PackDowngrade {
                    id: "p".into(),
                    installed: 3,
                    offered: 2,
                },
                "PackDowngrade { id: \"p\", installed: 3, offered: 2 }",
            ),
            (
                E::PackConflict("x".into()),
                "PackConflict { detail: \"x\" }",
            ),
            (E::PackNotFound("p".into()), "PackNotFound { id: \"p\" }"),
            (E::NotAPack("x".into()), "NotAPack { detail: \"x\" }"),
        ];
        for (core, expected) in cases {
            let core_text = core.to_string();
            let public = QuireError::from(core);
            assert_eq!(format!("{public:?}"), expected);
            // One text for both: a variant the bindings fold into `Internal` says so.
            let text = public.to_string();
            if expected.starts_with("Internal") && !core_text.starts_with("internal error") {
                assert_eq!(text, format!("internal error: {core_text}"));
            } else {
                assert_eq!(text, core_text);
            }
        }
    }

    /// An error whose message leaves its cause out, as `thiserror`'s `#[source]` does.
    #[derive(Debug)]
    struct Wrapper(std::io::Error);

    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("writing the bookmark")
        }
    }

    impl std::error::Error for Wrapper {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_detail_keeps_the_causes_its_message_leaves_out() {
        let e = Wrapper(std::io::Error::other("disk I/O error"));
        assert_eq!(unquoted_causes(&e), ": disk I/O error");
        // The core's I/O error already quotes its cause: nothing added twice.
        let io = quire_core::Error::io("opening x", std::io::Error::other("boom"));
        assert_eq!(unquoted_causes(&io), "");
        assert_eq!(
            QuireError::from(io),
            QuireError::Io {
                detail: "opening x: boom".into()
            }
        );
    }

    #[test]
    fn a_panic_becomes_internal_without_its_message() {
        let e = guard::<()>("searching", || panic!("secret words")).unwrap_err();
        assert_eq!(
            e,
            QuireError::Internal {
                detail: "searching failed unexpectedly".into()
            }
        );
    }
}
