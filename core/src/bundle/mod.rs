//! The single-file corpus bundle (`.quire`): writer, reader and format.
//!
//! A bundle holds everything a reader needs: the catalog of articles, their compressed
//! bodies, the vocabulary and the search index. Opening one is cheap (map the file,
//! check the header, manifest and checksum table, open the index in place); every
//! byte is checked against its block checksum the first time it is read, and each
//! article body against its own checksum when it is decompressed. [`Bundle::verify`]
//! checks everything at once, for bundles that did not ship with the app.
//!
//! ```
//! use quire_core::bundle::{self, Bundle, BuildOptions};
//! use quire_core::corpus::Article;
//!
//! let article = Article {
//!     id: "hello".into(),
//!     title: "Hello".into(),
//!     source: None,
//!     published: None,
//!     tags: vec!["greeting".into()],
//!     summary: "A greeting.".into(),
//!     body: "Hello, *world*.".into(),
//! };
//! let bytes = bundle::build_bytes(vec![article], &BuildOptions::default())?;
//! let bundle = Bundle::from_bytes(bytes)?;
//! bundle.verify()?;
//! assert_eq!(bundle.article("hello")?.plain_text, "Hello, world.");
//! # Ok::<(), quire_core::Error>(())
//! ```
//!
//! * [`Bundle`] (`open.rs`): opening a bundle and the parts the layers above use (the
//!   index, its reader and fields, the vocabulary); `articles.rs` reads its articles,
//!   `verify.rs` checks all of it.
//! * [`format`](mod@format): the byte layout (header, manifest, sections); [`catalog`]: the catalog
//!   records; [`signature`]: the publisher's signature trailer and keys.
//! * `writer.rs`: building a bundle from articles ([`build_bytes`], [`build_file`]).
//! * `storage.rs` and `directory.rs`: the mapped bytes with their lazy block checks, and
//!   the index files served from them to tantivy; `docstore.rs` checks the one index
//!   file tantivy would read unsafely at open.
//!
//! The text analysis and index schema come from [`crate::index`]. Searching a bundle is
//! the job of the search module, which sits above this one: nothing here depends on it.

mod articles;
pub mod catalog;
mod directory;
mod docstore;
pub mod format;
mod open;
pub mod signature;
mod storage;
#[cfg(test)]
mod tests;
mod verify;
mod writer;

pub use articles::{ArticleMeta, ArticleText, PlainTextReader};
pub(crate) use docstore::read_vint;
pub(crate) use open::Positions;
pub use open::{Bundle, SignatureCheck};
pub use writer::{
    BuildOptions, BuildStats, MAX_BODY_LEN, build_bytes, build_file, encode_body, write_bundle,
};
