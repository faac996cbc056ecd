//! What both apps share, so each app only draws: the [`Reader`] entry point over a
//! bundle and the reader's data, articles as native blocks, reading positions that
//! survive layout and text changes, discreet display, the app lock and quick exit.
//!
//! * [`Reader`] (`open.rs`, `screens.rs`, `locking.rs`): one call per screen.
//! * [`blocks`]: Markdown to blocks with styled spans and resolved links.
//! * [`position`]: a block and offset plus a fraction, restored in steps after an
//!   article changes.
//! * [`discreet`]: the neutral labels shown in lists under discreet display.
//! * [`lock`]: the PIN's hash, the back-off, the erase and the lock policy.
//! * [`types`]: the values the screens draw.

pub mod blocks;
pub mod discreet;
pub mod lock;
mod locking;
mod open;
mod packs;
pub mod position;
mod screens;
#[cfg(test)]
mod tests;
pub mod types;

pub use blocks::{Block, BlockKind, LinkTarget, Span, SpanStyle};
pub use lock::{LockRecord, PinCheck};
pub use open::Reader;
pub use position::{ReadingPosition, Restored, SavedPosition};
pub use screens::{article_view, library_article_view};
pub use types::{
    ArticleView, BookmarkItem, HistoryItem, ListItem, LockOptions, LockStatus, OpenedArticle,
    ReaderSettings, RecentItem, ResumePoint, SearchPage, SearchRequest, TextMatch,
};
