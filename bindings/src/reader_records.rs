//! The records of [`Reader`](crate::Reader), converted from the core's in one place.

use std::time::SystemTime;

use quire_core::reader as core_reader;

use crate::records::{Bookmark, ImportSummary, TextRange, text_ranges};

// ---- search ----------------------------------------------------------------------------

/// A search as the search screen asks for it, in one record (one argument across the
/// FFI). Every field has a default: `SearchRequest(text = "…")` in Kotlin.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SearchRequest {
    /// The text as typed.
    pub text: String,
    /// Hits to return, at most 100. Default 10.
    #[uniffi(default = 10)]
    pub limit: u32,
    /// Hits to skip. Default 0.
    #[uniffi(default = 0)]
    pub offset: u32,
    /// Only articles carrying every one of these tags. Default: none.
    #[uniffi(default)]
    pub tags: Vec<String>,
    /// Title suggestions to add for what has been typed. Default 0.
    #[uniffi(default = 0)]
    pub suggestions: u32,
    /// Only these packs (ids; `quire-builtin` for the built-in articles). Default: all.
    #[uniffi(default)]
    pub packs: Vec<String>,
    /// True when the reader submitted the search (pressed search): it is then recorded
    /// among recent searches, if those are on. Default false (searching as they type).
    #[uniffi(default = false)]
    pub submitted: bool,
}

impl From<SearchRequest> for core_reader::SearchRequest {
    fn from(r: SearchRequest) -> Self {
        core_reader::SearchRequest {
            text: r.text,
            limit: r.limit as usize,
            offset: r.offset as usize,
            tags: r.tags,
            suggestions: r.suggestions as usize,
            packs: r.packs,
            submitted: r.submitted,
        }
    }
}

/// One item of a list: a result, a title suggestion, a bookmark, a history entry or a
/// related article. Under discreet display `title` is a neutral label, `snippet` is
/// empty and there are no highlights.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ListItem {
    /// The article's id (open it with `openArticle`): its id for a built-in article,
    /// `pack-id/article-id` for a pack's. Keep it as it is.
    pub article_id: String,
    /// The pack it is in (`quire-builtin` for the built-in articles).
    pub pack_id: String,
    /// The pack's name, to show beside results when packs are installed; empty under
    /// discreet display and for a pack no longer installed.
    pub pack_name: String,
    /// What to show as the title: the article's title or its neutral label.
    pub title: String,
    /// The best passage, for results; empty otherwise.
    pub snippet: String,
    /// The matched words: in `snippet` for results, in `title` for title suggestions.
    pub highlights: Vec<TextRange>,
    /// True when `title` is a neutral label.
    pub discreet: bool,
    /// False when the article is in no open bundle: show it as unavailable (it is
    /// kept).
    pub available: bool,
}

impl From<core_reader::ListItem> for ListItem {
    fn from(i: core_reader::ListItem) -> Self {
        // Results mark their snippet; title suggestions their title.
        let marked = if i.snippet.is_empty() {
            &i.title
        } else {
            &i.snippet
        };
        ListItem {
            highlights: text_ranges(marked, &i.highlights),
            article_id: i.article_id,
            pack_id: i.pack_id,
            pack_name: i.pack_name,
            title: i.title,
            snippet: i.snippet,
            discreet: i.discreet,
            available: i.available,
        }
    }
}

/// The answer to a `SearchRequest`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
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
    /// Words of the query the hits do without, as typed: show "results without: …".
    /// Empty when the hits have every word.
    pub without: Vec<String>,
    /// Titles completing what was typed.
    pub titles: Vec<ListItem>,
}

impl From<core_reader::SearchPage> for SearchPage {
    fn from(p: core_reader::SearchPage) -> Self {
        SearchPage {
            query: p.query,
            total: p.total,
            hits: p.hits.into_iter().map(Into::into).collect(),
            suggestion: p.suggestion,
            corrected: p.corrected,
            without: p.without,
            titles: p.titles.into_iter().map(Into::into).collect(),
        }
    }
}

// ---- the article -----------------------------------------------------------------------

/// What a block is, and how it is laid out.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum BlockKind {
    /// A heading, level 1 (largest) to 6.
    Heading {
        /// 1 to 6.
        level: u8,
    },
    /// A paragraph.
    Paragraph,
    /// A paragraph of a list item.
    ListItem {
        /// Its number in an ordered list; none for a bullet.
        ordinal: Option<u64>,
        /// Nesting: 0 for a top-level list.
        depth: u32,
        /// A later paragraph of the same item: indent, no bullet.
        continued: bool,
    },
    /// A paragraph of a quote.
    Quote {
        /// 1 for a quote, 2 for a quote in a quote…
        depth: u32,
    },
    /// Preformatted code: monospace, lines kept.
    Code {
        /// The language named on the fence, if any.
        language: Option<String>,
    },
    /// A horizontal rule (empty text).
    Rule,
    /// A table row; cells separated by tabs in the text.
    TableRow {
        /// The header row.
        header: bool,
        /// Number of cells.
        cells: u32,
    },
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum LinkTarget {
    /// Another article of the bundle: open it in the app.
    Article {
        /// Its id.
        id: String,
    },
    /// An address outside the app: opening it leaves the app (ask first).
    External {
        /// The address.
        url: String,
    },
}

/// The style of a span.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SpanStyle {
    /// Italics.
    Emphasis,
    /// Bold.
    Strong,
    /// Monospace.
    Code,
    /// Struck through.
    Strikethrough,
    /// A link.
    Link {
        /// Where it goes.
        target: LinkTarget,
    },
}

/// A styled range of a block's text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TextSpan {
    /// The range, in scalars and UTF-16 units.
    pub range: TextRange,
    /// Its style.
    pub style: SpanStyle,
}

/// One block of an article.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ArticleBlock {
    /// What it is.
    pub kind: BlockKind,
    /// Its text, without markup (hard line breaks as `\n`).
    pub text: String,
    /// Styled ranges, ordered by start; they may nest.
    pub spans: Vec<TextSpan>,
}

/// An occurrence of a searched word.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TextMatch {
    /// Index of the block.
    pub block: u32,
    /// The range in that block's text.
    pub range: TextRange,
}

/// An article ready to draw natively.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ArticleView {
    /// Its id.
    pub id: String,
    /// Its title (the real one, also under discreet display).
    pub title: String,
    /// Attribution.
    pub source: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// One-line summary.
    pub summary: String,
    /// Minutes to read.
    pub reading_minutes: u32,
    /// The body.
    pub blocks: Vec<ArticleBlock>,
    /// The query whose words are marked.
    pub highlight_query: Option<String>,
    /// Every occurrence of its words, in reading order.
    pub matches: Vec<TextMatch>,
    /// The first of them, to scroll to.
    pub first_match: Option<TextMatch>,
}

fn convert_block(b: core_reader::Block) -> ArticleBlock {
    use core_reader::BlockKind as K;
    let kind = match b.kind {
        K::Heading { level } => BlockKind::Heading { level },
        K::Paragraph => BlockKind::Paragraph,
        K::ListItem {
            ordinal,
            depth,
            continued,
        } => BlockKind::ListItem {
            ordinal,
            depth,
            continued,
        },
        K::Quote { depth } => BlockKind::Quote { depth },
        K::Code { language } => BlockKind::Code { language },
        K::Rule => BlockKind::Rule,
        K::TableRow { header, cells } => BlockKind::TableRow { header, cells },
    };
    let ranges: Vec<(u32, u32)> = b.spans.iter().map(|s| (s.start, s.end)).collect();
    let spans = text_ranges(&b.text, &ranges)
        .into_iter()
        .zip(b.spans)
        .map(|(range, s)| TextSpan {
            range,
            style: match s.style {
                core_reader::SpanStyle::Emphasis => SpanStyle::Emphasis,
                core_reader::SpanStyle::Strong => SpanStyle::Strong,
                core_reader::SpanStyle::Code => SpanStyle::Code,
                core_reader::SpanStyle::Strikethrough => SpanStyle::Strikethrough,
                core_reader::SpanStyle::Link { target } => SpanStyle::Link {
                    target: match target {
                        core_reader::LinkTarget::Article { id } => LinkTarget::Article { id },
                        core_reader::LinkTarget::External { url } => LinkTarget::External { url },
                    },
                },
            },
        })
        .collect();
    ArticleBlock {
        kind,
        text: b.text,
        spans,
    }
}

impl From<core_reader::ArticleView> for ArticleView {
    fn from(v: core_reader::ArticleView) -> Self {
        let matches: Vec<TextMatch> = v
            .matches
            .iter()
            .map(|m| {
                let text = v
                    .blocks
                    .get(m.block as usize)
                    .map_or("", |b| b.text.as_str());
                TextMatch {
                    block: m.block,
                    range: text_ranges(text, &[(m.start, m.end)])
                        .pop()
                        .expect("one range in, one out"),
                }
            })
            .collect();
        ArticleView {
            first_match: matches.first().cloned(),
            matches,
            id: v.id,
            title: v.title,
            source: v.source,
            published: v.published.map(|d| d.to_string()),
            tags: v.tags,
            summary: v.summary,
            reading_minutes: v.reading_minutes,
            blocks: v.blocks.into_iter().map(convert_block).collect(),
            highlight_query: v.highlight_query,
        }
    }
}

/// A place in an article: the block at the top of the screen, the offset into it in
/// Unicode scalar values (`String.offsetByCodePoints` in Kotlin, `unicodeScalars` in
/// Swift), and the share of the article before it.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct ReadingPosition {
    /// Index of the block.
    pub block: u32,
    /// Scalars into the block.
    #[uniffi(default = 0)]
    pub offset: u32,
    /// Share of the article before this point, 0 to 1 (recomputed by the core from the
    /// block and offset when it saves).
    #[uniffi(default = 0.0)]
    pub fraction: f64,
}

impl From<ReadingPosition> for core_reader::ReadingPosition {
    fn from(p: ReadingPosition) -> Self {
        core_reader::ReadingPosition {
            block: p.block,
            offset: p.offset,
            fraction: p.fraction,
        }
    }
}

impl From<core_reader::ReadingPosition> for ReadingPosition {
    fn from(p: core_reader::ReadingPosition) -> Self {
        ReadingPosition {
            block: p.block,
            offset: p.offset,
            fraction: p.fraction,
        }
    }
}

/// How a saved position was found again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Restored {
    /// The article is unchanged: the exact place.
    Exact,
    /// The article changed; the same paragraph was found again.
    SameBlock,
    /// The paragraph is gone: the same share of the article.
    Fraction,
}

/// Where a reopened article resumes.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ResumePoint {
    /// The place.
    pub position: ReadingPosition,
    /// How it was found.
    pub restored: Restored,
    /// When the reader was last there.
    pub last_read: SystemTime,
}

/// Everything the article screen needs.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OpenedArticle {
    /// The article.
    pub view: ArticleView,
    /// Where to resume, if the reader was here before.
    pub resume: Option<ResumePoint>,
    /// The bookmark, if any.
    pub bookmark: Option<Bookmark>,
    /// Articles about the same things (labelled under discreet display).
    pub related: Vec<ListItem>,
}

impl From<core_reader::OpenedArticle> for OpenedArticle {
    fn from(o: core_reader::OpenedArticle) -> Self {
        OpenedArticle {
            view: o.view.into(),
            resume: o.resume.map(|r| ResumePoint {
                position: r.position.into(),
                restored: match r.restored {
                    core_reader::Restored::Exact => Restored::Exact,
                    core_reader::Restored::SameBlock => Restored::SameBlock,
                    core_reader::Restored::Fraction => Restored::Fraction,
                },
                last_read: r.last_read.into(),
            }),
            bookmark: o.bookmark.map(Into::into),
            related: o.related.into_iter().map(Into::into).collect(),
        }
    }
}

// ---- lists -----------------------------------------------------------------------------

/// A bookmark as the bookmarks screen shows it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BookmarkItem {
    /// The article, titled or labelled, flagged when unavailable.
    pub item: ListItem,
    /// The note; none under discreet display.
    pub note: Option<String>,
    /// Whether there is a note (also under discreet display).
    pub has_note: bool,
    /// When it was bookmarked.
    pub created_at: SystemTime,
}

impl From<core_reader::BookmarkItem> for BookmarkItem {
    fn from(b: core_reader::BookmarkItem) -> Self {
        BookmarkItem {
            item: b.item.into(),
            note: b.note,
            has_note: b.has_note,
            created_at: b.created_at.into(),
        }
    }
}

/// A reading-history entry.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HistoryItem {
    /// The article.
    pub item: ListItem,
    /// When it was opened.
    pub opened_at: SystemTime,
}

impl From<core_reader::HistoryItem> for HistoryItem {
    fn from(h: core_reader::HistoryItem) -> Self {
        HistoryItem {
            item: h.item.into(),
            opened_at: h.opened_at.into(),
        }
    }
}

/// A recent search.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecentItem {
    /// The query, to run again.
    pub query: String,
    /// What to show (a neutral label under discreet display).
    pub label: String,
    /// When it was last searched.
    pub searched_at: SystemTime,
}

impl From<core_reader::RecentItem> for RecentItem {
    fn from(r: core_reader::RecentItem) -> Self {
        RecentItem {
            query: r.query,
            label: r.label,
            searched_at: r.searched_at.into(),
        }
    }
}

// ---- settings and the lock -------------------------------------------------------------

/// The reader's settings. Everything is off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ReaderSettings {
    /// Record which articles are opened.
    #[uniffi(default = false)]
    pub history_enabled: bool,
    /// Forget history after this many days (at least 1).
    #[uniffi(default)]
    pub history_retention_days: Option<u32>,
    /// Record submitted searches.
    #[uniffi(default = false)]
    pub recent_searches_enabled: bool,
    /// Forget recent searches after this many days (at least 1).
    #[uniffi(default)]
    pub recent_searches_retention_days: Option<u32>,
    /// Neutral labels instead of titles, and no snippets, in every list.
    #[uniffi(default = false)]
    pub discreet_display: bool,
    /// Quick exit also clears the recent searches.
    #[uniffi(default = false)]
    pub clear_recent_searches_on_quick_exit: bool,
}

impl From<core_reader::ReaderSettings> for ReaderSettings {
    fn from(s: core_reader::ReaderSettings) -> Self {
        ReaderSettings {
            history_enabled: s.history_enabled,
            history_retention_days: s.history_retention_days,
            recent_searches_enabled: s.recent_searches_enabled,
            recent_searches_retention_days: s.recent_searches_retention_days,
            discreet_display: s.discreet_display,
            clear_recent_searches_on_quick_exit: s.clear_recent_searches_on_quick_exit,
        }
    }
}

impl From<ReaderSettings> for core_reader::ReaderSettings {
    fn from(s: ReaderSettings) -> Self {
        core_reader::ReaderSettings {
            history_enabled: s.history_enabled,
            history_retention_days: s.history_retention_days,
            recent_searches_enabled: s.recent_searches_enabled,
            recent_searches_retention_days: s.recent_searches_retention_days,
            discreet_display: s.discreet_display,
            clear_recent_searches_on_quick_exit: s.clear_recent_searches_on_quick_exit,
        }
    }
}

/// The app lock as the lock and settings screens show it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LockStatus {
    /// A PIN or passphrase is set.
    pub pin_set: bool,
    /// The lock screen must show now.
    pub locked: bool,
    /// Milliseconds before the next attempt may be made (0: now).
    pub retry_after_ms: u64,
    /// Wrong attempts since the last right one.
    pub failed_attempts: u32,
    /// Everything is erased at this many wrong attempts in a row.
    pub erase_after: Option<u32>,
    /// Seconds in the background before the lock shows again.
    pub relock_after_secs: u32,
    /// The device's own authentication may unlock.
    pub device_auth: bool,
}

impl From<core_reader::LockStatus> for LockStatus {
    fn from(s: core_reader::LockStatus) -> Self {
        LockStatus {
            pin_set: s.pin_set,
            locked: s.locked,
            retry_after_ms: s.retry_after_ms,
            failed_attempts: s.failed_attempts,
            erase_after: s.erase_after,
            relock_after_secs: s.relock_after_secs,
            device_auth: s.device_auth,
        }
    }
}

/// Options of the lock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct LockOptions {
    /// Erase everything at this many wrong attempts in a row (3 to 100); none: never.
    #[uniffi(default)]
    pub erase_after: Option<u32>,
    /// Seconds in the background before the lock shows again (0: at once).
    #[uniffi(default = 0)]
    pub relock_after_secs: u32,
    /// Allow unlocking with biometrics or the device credential.
    #[uniffi(default = false)]
    pub device_auth: bool,
}

impl From<LockOptions> for core_reader::LockOptions {
    fn from(o: LockOptions) -> Self {
        core_reader::LockOptions {
            erase_after: o.erase_after,
            relock_after_secs: o.relock_after_secs,
            device_auth: o.device_auth,
        }
    }
}

/// The answer to an unlock attempt.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PinCheck {
    /// Right: unlocked.
    Unlocked,
    /// Wrong.
    Wrong {
        /// Milliseconds to wait before the next attempt (0: none).
        retry_after_ms: u64,
        /// Attempts left before everything is erased, when that is set.
        attempts_before_erase: Option<u32>,
    },
    /// Too soon after a wrong attempt: not checked, not counted.
    TooSoon {
        /// Milliseconds still to wait.
        retry_after_ms: u64,
    },
    /// That was the last allowed attempt: all the reader's data has been erased.
    Erased,
    /// No PIN is set.
    NoPin,
}

impl From<core_reader::PinCheck> for PinCheck {
    fn from(c: core_reader::PinCheck) -> Self {
        use core_reader::PinCheck as C;
        match c {
            C::Unlocked => PinCheck::Unlocked,
            C::Wrong {
                retry_after_ms,
                attempts_before_erase,
            } => PinCheck::Wrong {
                retry_after_ms,
                attempts_before_erase,
            },
            C::TooSoon { retry_after_ms } => PinCheck::TooSoon { retry_after_ms },
            C::Erased => PinCheck::Erased,
            C::NoPin => PinCheck::NoPin,
        }
    }
}

/// Converts an import's summary (re-exported for the reader's import).
pub(crate) fn import_summary(s: quire_core::store::ImportSummary) -> ImportSummary {
    s.into()
}
