//! # quire-core
//!
//! The library behind Quire, a private offline reader: it turns a directory of Markdown
//! articles into one immutable `.quire` bundle with a full-text index, searches it the way
//! people type on a phone, and keeps the reader's bookmarks and reading state in SQLite.
//!
//! The core does no networking and logs nothing about what is read or searched.
//!
//! * [`corpus`]: the article model and the Markdown + front matter loader.
//! * [`bundle`]: the single-file bundle, its writer and its memory-mapped reader.
//! * [`index`]: the index contract shared by bundle and search: text analysis and schema.
//! * [`search`]: the lenient query parser, ranking, snippets and suggestions over a bundle,
//!   or over several as one.
//! * [`pack`]: content packs: their identity, and the [`pack::Library`] of the built-in
//!   articles and every installed pack (install, update, remove, search them all).
//! * [`store`]: the reader's own data (bookmarks, progress, history, settings, the lock).
//! * [`reader`]: what both apps share: the [`reader::Reader`] entry point, articles as
//!   native blocks, reading positions, discreet display, the app lock and quick exit.
//!
//! The modules depend one way: `corpus` ← `index` ← `bundle` ← `search` ← `pack` (each
//! uses only those before it, and all use the crate's [`Error`]); `store` stands apart;
//! `reader` sits on top of all of them and nothing below imports it.
#![deny(missing_docs)]

pub mod bundle;
pub mod corpus;
mod error;
pub mod index;
pub mod pack;
pub mod reader;
pub mod search;
pub mod store;

pub use error::{Error, Result};
