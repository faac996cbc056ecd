//! Content packs: bundles a publisher signed, installed beside the reader's data, and
//! searched with the built-in articles as one library.
//!
//! * [`identity`]: the publisher's `pack.toml` (id, name, version, language) and what a
//!   pack id may be.
//! * [`Library`] (`library.rs`): the built-in bundle and the installed packs; checking a
//!   pack file, installing it atomically with the reader's consent to its publisher,
//!   updating it (never downgrading unless forced), removing it, and searching all of
//!   them as one list.
//!
//! Signatures themselves are part of the bundle format
//! ([`crate::bundle::signature`]). Articles are named across packs by an
//! [`ArticleRef`]: the reader's data keeps it, so bookmarks, progress and history
//! survive updates and removals of a pack.

pub mod identity;
mod library;

pub use identity::{BUILTIN_PACK_ID, PackIdentity, check_pack_id};
pub use library::{
    ArticleRef, BUILTIN_PUBLISHER_KEYS, DamagedPack, InstallOptions, Installed, Library,
    MAX_PACK_BYTES, PACKS_DIR, PackOffer, PackSummary, TRUST_FILE, wipe,
};
