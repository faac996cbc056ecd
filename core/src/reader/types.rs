//! The values a [`Reader`](super::Reader) answers with: what each screen of an app draws.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::blocks::Block;
use super::position::{ReadingPosition, Restored};
use crate::store::Bookmark;

/// A search as the search screen asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The text as typed.
    pub text: String,
    /// Hits to return (at most 100).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Only articles with every one of these tags.
    pub tags: Vec<String>,
    /// Title suggestions to add for what has been typed (0 for none).
    pub suggestions: usize,
    /// Only these packs (ids; `quire-builtin` for the built-in articles); empty for all.
    pub packs: Vec<String>,
    /// True when the reader submitted the search (pressed search, or opened a result):
    /// it is then recorded among recent searches, if those are on. Searches made as the
    /// reader types are never recorded.
    pub submitted: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            text: String::new(),
            limit: 10,
            offset: 0,
            tags: Vec::new(),
            suggestions: 0,
            packs: Vec::new(),
            submitted: false,
        }
    }
}

/// One item of a list the apps show: a result, a suggestion, a bookmark, a history
/// entry or a related article. Under discreet display `title` is a neutral label and
/// `snippet` is empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    /// The article's reference ([`crate::pack::ArticleRef`]): its id for a built-in
    /// article, `pack-id/article-id` for a pack's.
    pub article_id: String,
    /// The pack it is in (`quire-builtin` for the built-in articles).
    pub pack_id: String,
    /// The pack's name, to show beside results from several packs; empty under discreet
    /// display and for a pack no longer installed.
    pub pack_name: String,
    /// What to show as the item's title: the article's title, or its neutral label.
    pub title: String,
    /// The best passage (results only; empty otherwise and under discreet display).
    pub snippet: String,
    /// Character ranges of the matched words in `snippet` (or in `title` for title
    /// suggestions); empty under discreet display.
    pub highlights: Vec<(u32, u32)>,
    /// True when `title` is a neutral label.
    pub discreet: bool,
    /// False when the article is in no open bundle (an update removed it): show it as
    /// unavailable; it is kept.
    pub available: bool,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchPage {
    /// The text searched.
    pub query: String,
    /// Matching articles, all pages.
    pub total: u64,
    /// This page, best first.
    pub hits: Vec<ListItem>,
    /// "Did you mean": the query with misspelled words corrected.
    pub suggestion: Option<String>,
    /// True when the hits are for the corrected words.
    pub corrected: bool,
    /// Words of the query the hits do without, as typed ("results without: keep"):
    /// when no article has every word, the hits have most of them. Empty otherwise.
    pub without: Vec<String>,
    /// Titles completing what was typed (as many as asked).
    pub titles: Vec<ListItem>,
}

/// A bookmark as the bookmarks screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookmarkItem {
    /// The article, titled (or labelled) and flagged when unavailable.
    pub item: ListItem,
    /// The reader's note; `None` under discreet display (a note can say as much as a
    /// title), where `has_note` still tells that there is one.
    pub note: Option<String>,
    /// True when the bookmark has a note.
    pub has_note: bool,
    /// When it was bookmarked.
    pub created_at: DateTime<Utc>,
}

/// A recorded search, for the recent-searches list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecentItem {
    /// The query, to run again when tapped.
    pub query: String,
    /// What to show: the query, or a neutral label under discreet display.
    pub label: String,
    /// When it was last searched.
    pub searched_at: DateTime<Utc>,
}

/// A reading-history entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryItem {
    /// The article.
    pub item: ListItem,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
}

/// An occurrence of a searched word in an article view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TextMatch {
    /// Index of the block.
    pub block: u32,
    /// First character in the block's text.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
}

/// An article ready to draw natively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleView {
    /// Its id.
    pub id: String,
    /// Its title (the real one, also under discreet display).
    pub title: String,
    /// Attribution.
    pub source: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Tags.
    pub tags: Vec<String>,
    /// One-line summary.
    pub summary: String,
    /// Minutes to read, at 200 words a minute.
    pub reading_minutes: u32,
    /// The body, block by block.
    pub blocks: Vec<Block>,
    /// The query whose words are marked, if any.
    pub highlight_query: Option<String>,
    /// Every occurrence of the query's words in the blocks, in reading order (same
    /// analysis as search: any form of a word, corrected typos).
    pub matches: Vec<TextMatch>,
}

impl ArticleView {
    /// The first occurrence of the searched words, to scroll to.
    pub fn first_match(&self) -> Option<TextMatch> {
        self.matches.first().copied()
    }
}

/// Where a reopened article resumes, and how that place was found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ResumePoint {
    /// The place.
    pub position: ReadingPosition,
    /// Exact, the same block found again, or the same share of a changed article.
    pub restored: Restored,
    /// When the reader was last there.
    pub last_read: DateTime<Utc>,
}

/// Everything the article screen needs, in one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenedArticle {
    /// The article.
    pub view: ArticleView,
    /// Where to resume, if the reader was here before.
    pub resume: Option<ResumePoint>,
    /// The bookmark, if it is bookmarked (its note is shown: the article is open).
    pub bookmark: Option<Bookmark>,
    /// Articles about the same things.
    pub related: Vec<ListItem>,
}

/// The reader's settings that the core acts on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReaderSettings {
    /// Record which articles are opened (off by default).
    pub history_enabled: bool,
    /// Forget history after this many days.
    pub history_retention_days: Option<u32>,
    /// Record submitted searches (off by default).
    pub recent_searches_enabled: bool,
    /// Forget recent searches after this many days.
    pub recent_searches_retention_days: Option<u32>,
    /// Neutral labels instead of titles, and no snippets, in every list.
    pub discreet_display: bool,
    /// Quick exit also clears the recent searches.
    pub clear_recent_searches_on_quick_exit: bool,
}

/// The app lock as the settings and lock screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockStatus {
    /// A PIN or passphrase is set.
    pub pin_set: bool,
    /// The lock screen must show now.
    pub locked: bool,
    /// Milliseconds before the next attempt may be made (0: now).
    pub retry_after_ms: u64,
    /// Wrong attempts since the last right one.
    pub failed_attempts: u32,
    /// Everything is erased at this many wrong attempts in a row (`None`: never).
    pub erase_after: Option<u32>,
    /// Seconds in the background before the lock shows again.
    pub relock_after_secs: u32,
    /// The device's own authentication may unlock.
    pub device_auth: bool,
}

/// Options of the lock, changed together with the current PIN.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockOptions {
    /// Erase everything at this many wrong attempts in a row (3–100), or never.
    pub erase_after: Option<u32>,
    /// Seconds the app may stay in the background before the lock shows again.
    pub relock_after_secs: u32,
    /// Allow unlocking with the device's own authentication.
    pub device_auth: bool,
}
