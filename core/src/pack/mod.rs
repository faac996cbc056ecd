//! Content packs: bundles a publisher signed, installed beside the reader's data, and
//! searched with the built-in articles as one library.
//!
//! * [`identity`]: the publisher's `pack.toml` (id, name, version, language) and what a
//!   pack id may be.
//! * [`Library`] (`library.rs`): the built-in bundle and the installed packs, opened
//!   together and searched as one list.
//! * `install.rs`: checking a pack file, installing it atomically with the reader's
//!   consent to its publisher, updating it (never downgrading unless forced), removing
//!   it.
//!
//! Signatures themselves are part of the bundle format
//! ([`crate::bundle::signature`]). Articles are named across packs by an
//! [`ArticleRef`]: the reader's data keeps it, so bookmarks, progress and history
//! survive updates and removals of a pack.

pub mod identity;
mod install;
mod library;

pub use identity::{BUILTIN_PACK_ID, PackIdentity, check_pack_id};
pub use install::{
    BUILTIN_PUBLISHER_KEYS, InstallOptions, Installed, MAX_PACK_BYTES, PackOffer, TRUST_FILE, wipe,
};
pub use library::{ArticleRef, DamagedPack, Library, PACKS_DIR, PackSummary};
