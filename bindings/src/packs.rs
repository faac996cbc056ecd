//! Content packs through the [`Reader`]: listing them, checking a pack file before asking
//! the reader, installing (from a path or a descriptor the app received), updating and
//! removing.

use std::fs::File;
use std::path::Path;

use quire_core::pack as core_pack;

use crate::error::{QuireError, guard};
use crate::reader::Reader;

/// One pack: the built-in articles or an installed pack.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PackSummary {
    /// Pack id (`quire-builtin` for the built-in articles).
    pub id: String,
    /// Name to show.
    pub name: String,
    /// Version (0 for the built-in articles).
    pub version: u64,
    /// Language of its articles (`en`, `es`).
    pub language: String,
    /// Number of articles.
    pub articles: u64,
    /// Size of the file, in bytes.
    pub bytes: u64,
    /// The publisher key's fingerprint (`3f2a 9c01 …`) for a signed pack.
    pub publisher: Option<String>,
    /// True for the built-in articles, which cannot be removed.
    pub builtin: bool,
}

impl From<core_pack::PackSummary> for PackSummary {
    fn from(p: core_pack::PackSummary) -> Self {
        PackSummary {
            id: p.id,
            name: p.name,
            version: p.version,
            language: p.language.code().to_string(),
            articles: p.articles,
            bytes: p.bytes,
            publisher: p.publisher,
            builtin: p.builtin,
        }
    }
}

/// An installed pack file that no longer opens (left out of search).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DamagedPack {
    /// Its pack id.
    pub id: String,
    /// Why it does not open (for developers).
    pub error: String,
}

/// A pack file, fully checked, and what installing it would do: show it before asking.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PackOffer {
    /// The pack.
    pub pack: PackSummary,
    /// The publisher key (64 hex digits) of a signed pack; none when unsigned.
    pub publisher_key: Option<String>,
    /// True when the publisher is trusted already: install without asking about it.
    /// False for a new publisher (show `pack.publisher`, the fingerprint, and ask) and
    /// for an unsigned pack (warn, and offer "install anyway").
    pub trusted: bool,
    /// The version installed now, if any (an update, or an older file: `version` lower).
    pub installed_version: Option<u64>,
}

/// What the reader agreed to, for `installPack`. Every field defaults to false.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct InstallOptions {
    /// Trust the pack's publisher key (the reader compared its fingerprint).
    #[uniffi(default = false)]
    pub trust_publisher: bool,
    /// Install a pack no publisher signed ("install anyway").
    #[uniffi(default = false)]
    pub allow_unsigned: bool,
    /// Replace the installed version by an older one.
    #[uniffi(default = false)]
    pub allow_downgrade: bool,
}

impl From<InstallOptions> for core_pack::InstallOptions {
    fn from(o: InstallOptions) -> Self {
        core_pack::InstallOptions {
            trust_publisher: o.trust_publisher,
            allow_unsigned: o.allow_unsigned,
            allow_downgrade: o.allow_downgrade,
        }
    }
}

/// What an install did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InstalledPack {
    /// The pack as installed.
    pub pack: PackSummary,
    /// The version it replaced, if any.
    pub previous_version: Option<u64>,
    /// True when this install accepted its publisher.
    pub trusted_now: bool,
}

impl From<core_pack::Installed> for InstalledPack {
    fn from(i: core_pack::Installed) -> Self {
        InstalledPack {
            pack: i.pack.into(),
            previous_version: i.previous_version,
            trusted_now: i.trusted_now,
        }
    }
}

fn offer(o: core_pack::PackOffer) -> PackOffer {
    PackOffer {
        pack: o.pack.into(),
        publisher_key: o.publisher_key,
        trusted: o.trusted,
        installed_version: o.installed_version,
    }
}

fn open_path(path: &str) -> quire_core::Result<File> {
    File::open(Path::new(path)).map_err(|e| quire_core::Error::io(format!("opening {path}"), e))
}

/// A file reading what `fd` reads, from where it stands (a file, or a pipe from a
/// content provider). The caller keeps `fd`.
fn open_fd(fd: i32) -> quire_core::Result<File> {
    if fd < 0 {
        return Err(quire_core::Error::InvalidArgument(format!(
            "invalid file descriptor {fd}"
        )));
    }
    // SAFETY: `fd` is not negative (checked above), and the caller owns it and keeps it
    // open until the exported call returns: the documented contract of the `…Fd` calls.
    // The borrow ends here: the descriptor is duplicated and the duplicate owned.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    let owned = fd
        .try_clone_to_owned()
        .map_err(|e| quire_core::Error::io("duplicating the pack descriptor", e))?;
    Ok(File::from(owned))
}

#[uniffi::export]
impl Reader {
    /// Every pack: the built-in articles first, then the installed packs by id.
    pub fn packs(&self) -> Result<Vec<PackSummary>, QuireError> {
        guard("listing packs", || self.inner.packs())
            .map(|p| p.into_iter().map(Into::into).collect())
    }

    /// Installed pack files that no longer open; remove or reinstall them.
    pub fn damaged_packs(&self) -> Result<Vec<DamagedPack>, QuireError> {
        guard("listing packs", || self.inner.damaged_packs()).map(|d| {
            d.into_iter()
                .map(|d| DamagedPack {
                    id: d.id,
                    error: d.error,
                })
                .collect()
        })
    }

    /// Checks the pack file at `path` completely (every checksum, the signature) and
    /// says what installing it would do; changes nothing. Blocking (reads the whole
    /// file). Throws `BadSignature`, `DamagedBundle`, `NotAPack`, `PackConflict`.
    pub fn inspect_pack(&self, path: String) -> Result<PackOffer, QuireError> {
        guard("checking a pack", || {
            self.inner.inspect_pack(&mut open_path(&path)?)
        })
        .map(offer)
    }

    /// As `inspectPack`, reading the pack from an open descriptor (from where it
    /// stands; the caller keeps it). Android: a `ParcelFileDescriptor` from the file
    /// the reader picked.
    pub fn inspect_pack_fd(&self, fd: i32) -> Result<PackOffer, QuireError> {
        guard("checking a pack", || {
            self.inner.inspect_pack(&mut open_fd(fd)?)
        })
        .map(offer)
    }

    /// Installs or updates the pack file at `path`: copied in, checked whole, then made
    /// visible at once; search sees it when this returns. Throws `UntrustedPublisher`
    /// (ask about the fingerprint, then call again with `trustPublisher`),
    /// `UnsignedPack` (`allowUnsigned`), `PackDowngrade` (`allowDowngrade`),
    /// `BadSignature`, `DamagedBundle`, `NotAPack` or `PackConflict`, with nothing
    /// changed. Blocking.
    pub fn install_pack(
        &self,
        path: String,
        options: InstallOptions,
    ) -> Result<InstalledPack, QuireError> {
        guard("installing a pack", || {
            self.inner
                .install_pack(&mut open_path(&path)?, &options.into())
        })
        .map(Into::into)
    }

    /// As `installPack`, reading the pack from an open descriptor (the caller keeps it).
    pub fn install_pack_fd(
        &self,
        fd: i32,
        options: InstallOptions,
    ) -> Result<InstalledPack, QuireError> {
        guard("installing a pack", || {
            self.inner.install_pack(&mut open_fd(fd)?, &options.into())
        })
        .map(Into::into)
    }

    /// Removes installed pack `id`; its bookmarks, progress and history are kept and
    /// show as unavailable until it comes back. Throws `PackNotFound`, or
    /// `PackConflict` for the built-in articles.
    pub fn remove_pack(&self, id: String) -> Result<(), QuireError> {
        guard("removing a pack", || self.inner.remove_pack(&id))
    }
}
