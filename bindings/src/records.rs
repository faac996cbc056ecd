//! Records: plain data passed by value, converted from the core's types in one place.

use std::collections::HashMap;
use std::time::SystemTime;

use quire_core::bundle as core_bundle;
use quire_core::search as core_search;
use quire_core::store as core_store;

// ---- articles ------------------------------------------------------------------------

/// An article's catalog entry: everything but the body.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ArticleMeta {
    /// Stable id (a slug). Bookmarks and progress refer to it; it is never reused.
    pub id: String,
    /// Title.
    pub title: String,
    /// Attribution (where the article first appeared), if known.
    pub source: Option<String>,
    /// Publication date as `YYYY-MM-DD`, if known.
    pub published: Option<String>,
    /// Tags, lowercase.
    pub tags: Vec<String>,
    /// One-line summary.
    pub summary: String,
}

impl From<core_bundle::ArticleMeta> for ArticleMeta {
    fn from(m: core_bundle::ArticleMeta) -> Self {
        ArticleMeta {
            id: m.id,
            title: m.title,
            source: m.source,
            published: m.published.map(|d| d.format("%Y-%m-%d").to_string()),
            tags: m.tags,
            summary: m.summary,
        }
    }
}

/// A whole article, its body checked against its checksum.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Article {
    /// Its catalog entry.
    pub meta: ArticleMeta,
    /// The body in Markdown (CommonMark), without front matter and without the title.
    pub markdown: String,
    /// The body as plain text: paragraphs separated by blank lines, no markup.
    pub plain_text: String,
}

impl From<core_bundle::ArticleText> for Article {
    fn from(a: core_bundle::ArticleText) -> Self {
        Article {
            meta: a.meta.into(),
            markdown: a.markdown,
            plain_text: a.plain_text,
        }
    }
}

/// What a bundle holds and who built it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BundleInfo {
    /// Stable corpus identifier (`quire-builtin` for the articles that ship with the app).
    pub corpus_id: String,
    /// Corpus version chosen by whoever built it.
    pub corpus_version: String,
    /// Build time, RFC 3339 UTC.
    pub built_at: String,
    /// Name and version of the program that wrote it.
    pub generator: String,
    /// Bundle file format as `major.minor`.
    pub format_version: String,
    /// Number of articles.
    pub article_count: u64,
    /// Size of the bundle in bytes.
    pub size_bytes: u64,
    /// Language of its articles, as an ISO 639-1 code (`en`, `es`).
    pub language: String,
}

impl From<&core_bundle::Bundle> for BundleInfo {
    fn from(b: &core_bundle::Bundle) -> Self {
        let m = b.manifest();
        let (major, minor) = b.format_version();
        BundleInfo {
            corpus_id: m.corpus.id.clone(),
            corpus_version: m.corpus.version.clone(),
            built_at: m.built_at.clone(),
            generator: m.generator.clone(),
            format_version: format!("{major}.{minor}"),
            article_count: b.len() as u64,
            size_bytes: b.size(),
            language: b.language().code().to_string(),
        }
    }
}

// ---- search --------------------------------------------------------------------------

/// A stretch of text to highlight, in two units, `[start, end)`.
///
/// * `start`/`end` count Unicode scalar values (Rust `char`s, Swift `unicodeScalars`),
///   as the core and `quire search --json` report them.
/// * `utf16_start`/`utf16_end` count UTF-16 code units: pass them straight to Kotlin and
///   Java (`String.substring`, `SpannableString.setSpan`, Compose
///   `AnnotatedString.Builder.addStyle`) and to Foundation (`NSRange`,
///   `String.Index(utf16Offset:in:)`). They differ from the first pair after any
///   character outside the Basic Multilingual Plane (most emoji).
///
/// Ranges always start and end on whole words, never inside a grapheme cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Record)]
pub struct TextRange {
    /// Start, in Unicode scalar values.
    pub start: u32,
    /// End (exclusive), in Unicode scalar values.
    pub end: u32,
    /// Start, in UTF-16 code units.
    pub utf16_start: u32,
    /// End (exclusive), in UTF-16 code units.
    pub utf16_end: u32,
}

/// Converts character ranges of `text` into [`TextRange`]s. Ranges past the end of the
/// text are clamped to it.
pub(crate) fn text_ranges(text: &str, ranges: &[(u32, u32)]) -> Vec<TextRange> {
    // UTF-16 offset of each character boundary: utf16[i] is where character i starts.
    let mut utf16 = Vec::with_capacity(text.len() + 1);
    let mut at = 0u32;
    for c in text.chars() {
        utf16.push(at);
        at += c.len_utf16() as u32;
    }
    utf16.push(at);
    let chars = (utf16.len() - 1) as u32;
    ranges
        .iter()
        .map(|&(start, end)| {
            let start = start.min(chars);
            let end = end.clamp(start, chars);
            TextRange {
                start,
                end,
                utf16_start: utf16[start as usize],
                utf16_end: utf16[end as usize],
            }
        })
        .collect()
}

/// Paging and filters of a search. Every field has a default: `SearchOptions()` in
/// Kotlin, `SearchOptions()` in Swift give the first ten hits.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SearchOptions {
    /// Hits to return; at most 100 (larger values are treated as 100); 0 returns the
    /// total alone. Default 10.
    #[uniffi(default = 10)]
    pub limit: u32,
    /// Hits to skip, for the next page; pages beyond 10,000 hits are empty. Default 0.
    #[uniffi(default = 0)]
    pub offset: u32,
    /// Only articles carrying every one of these tags (any case). Default: none.
    #[uniffi(default)]
    pub tags: Vec<String>,
}

impl From<SearchOptions> for core_search::SearchOptions {
    fn from(o: SearchOptions) -> Self {
        core_search::SearchOptions {
            limit: o.limit as usize,
            offset: o.offset as usize,
            tags: o.tags,
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SearchHit {
    /// Article id.
    pub id: String,
    /// Article title.
    pub title: String,
    /// Relevance (higher is better; comparable within one result list only).
    pub score: f32,
    /// The best passage of the article, on one line.
    pub snippet: String,
    /// The matched words in `snippet`, in order; draw them in bold.
    pub highlights: Vec<TextRange>,
}

impl From<core_search::SearchHit> for SearchHit {
    fn from(h: core_search::SearchHit) -> Self {
        SearchHit {
            highlights: text_ranges(&h.snippet, &h.highlights),
            id: h.id,
            title: h.title,
            score: h.score,
            snippet: h.snippet,
        }
    }
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Number of matching articles (all pages).
    pub total: u64,
    /// The requested page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// "Did you mean": the query with misspelled words (unknown to the articles and to
    /// the language) replaced by the closest words of the articles.
    pub suggestion: Option<String>,
    /// True when the hits come from the typo-tolerant fallback (nothing matched the words
    /// as typed); show the `suggestion` as "showing results for".
    pub corrected: bool,
    /// Words of the query the hits do without, as typed: when no article has every
    /// word, the hits have most of them; show "results without: …". Empty otherwise.
    pub without: Vec<String>,
}

impl From<core_search::SearchResults> for SearchResults {
    fn from(r: core_search::SearchResults) -> Self {
        SearchResults {
            query: r.query,
            total: r.total,
            hits: r.hits.into_iter().map(Into::into).collect(),
            suggestion: r.suggestion,
            corrected: r.corrected,
            without: r.without,
        }
    }
}

/// A title offered while the reader types.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TitleSuggestion {
    /// Article id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The matched words in `title`.
    pub highlights: Vec<TextRange>,
}

impl From<core_search::TitleSuggestion> for TitleSuggestion {
    fn from(s: core_search::TitleSuggestion) -> Self {
        TitleSuggestion {
            highlights: text_ranges(&s.title, &s.highlights),
            id: s.id,
            title: s.title,
        }
    }
}

/// An article related to another.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RelatedArticle {
    /// The related article's catalog entry.
    pub meta: ArticleMeta,
    /// Similarity (higher is closer; comparable within one list only).
    pub score: f32,
}

impl From<core_search::Related> for RelatedArticle {
    fn from(r: core_search::Related) -> Self {
        RelatedArticle {
            meta: r.meta.into(),
            score: r.score,
        }
    }
}

// ---- the reader's data ---------------------------------------------------------------

/// A bookmarked article.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Bookmark {
    /// The article's stable id.
    pub article_id: String,
    /// When the article was first bookmarked (microsecond precision).
    pub created_at: SystemTime,
    /// The reader's note, if any.
    pub note: Option<String>,
    /// The folder (or tag) the reader filed it under, if any.
    pub folder: Option<String>,
}

impl TryFrom<Bookmark> for core_store::Bookmark {
    type Error = quire_core::Error;

    /// A bookmark handed back by a shell ("undo"): its time must be one the core can
    /// keep (after 1970, microseconds).
    fn try_from(b: Bookmark) -> Result<Self, Self::Error> {
        let micros = b
            .created_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_micros()).ok())
            .ok_or_else(|| {
                quire_core::Error::InvalidArgument("bookmark time before 1970".into())
            })?;
        let created_at = chrono::DateTime::from_timestamp_micros(micros).ok_or_else(|| {
            quire_core::Error::InvalidArgument("bookmark time out of range".into())
        })?;
        Ok(core_store::Bookmark {
            article_id: b.article_id,
            created_at,
            note: b.note,
            folder: b.folder,
        })
    }
}

impl From<core_store::Bookmark> for Bookmark {
    fn from(b: core_store::Bookmark) -> Self {
        Bookmark {
            article_id: b.article_id,
            created_at: b.created_at.into(),
            note: b.note,
            folder: b.folder,
        }
    }
}

/// A bookmark, with whether its article is missing from the open bundle.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FlaggedBookmark {
    /// The bookmark, as stored.
    pub bookmark: Bookmark,
    /// True when the bundle has no article with this id (an update removed it). The
    /// bookmark is kept; show it as unavailable.
    pub missing: bool,
}

impl From<core_store::FlaggedBookmark> for FlaggedBookmark {
    fn from(f: core_store::FlaggedBookmark) -> Self {
        FlaggedBookmark {
            bookmark: f.bookmark.into(),
            missing: f.missing,
        }
    }
}

/// Where the reader stopped in an article.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReadingProgress {
    /// The article's stable id.
    pub article_id: String,
    /// Position as a fraction of the article, `0.0..=1.0`, kept to nine decimal places.
    pub position: f64,
    /// When the position was last set.
    pub last_opened: SystemTime,
}

impl From<core_store::Progress> for ReadingProgress {
    fn from(p: core_store::Progress) -> Self {
        ReadingProgress {
            article_id: p.article_id,
            position: p.position,
            last_opened: p.last_opened.into(),
        }
    }
}

/// One recorded opening of an article (recorded only while history is on).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HistoryEntry {
    /// The article's stable id.
    pub article_id: String,
    /// When it was opened.
    pub opened_at: SystemTime,
}

impl From<core_store::HistoryEntry> for HistoryEntry {
    fn from(h: core_store::HistoryEntry) -> Self {
        HistoryEntry {
            article_id: h.article_id,
            opened_at: h.opened_at.into(),
        }
    }
}

/// One recorded search (recorded only while recent searches are on).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecentSearch {
    /// The query as typed, trimmed.
    pub query: String,
    /// When it was last searched.
    pub searched_at: SystemTime,
}

impl From<core_store::RecentSearch> for RecentSearch {
    fn from(r: core_store::RecentSearch) -> Self {
        RecentSearch {
            query: r.query,
            searched_at: r.searched_at.into(),
        }
    }
}

/// The privacy settings the core itself acts on. Everything is off by default.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PrivacySettings {
    /// Record which articles are opened. Turning it off deletes the history.
    #[uniffi(default = false)]
    pub history_enabled: bool,
    /// Forget history entries older than this many days (at least 1); `null`/`nil` keeps
    /// them until cleared.
    #[uniffi(default = None)]
    pub history_retention_days: Option<u32>,
    /// Record searches. Turning it off deletes the recent searches.
    #[uniffi(default = false)]
    pub recent_searches_enabled: bool,
    /// Forget recent searches older than this many days (at least 1); `null`/`nil` keeps
    /// them until cleared.
    #[uniffi(default = None)]
    pub recent_searches_retention_days: Option<u32>,
}

impl From<core_store::Settings> for PrivacySettings {
    fn from(s: core_store::Settings) -> Self {
        PrivacySettings {
            history_enabled: s.history_enabled,
            history_retention_days: s.history_retention_days,
            recent_searches_enabled: s.recent_searches_enabled,
            recent_searches_retention_days: s.recent_searches_retention_days,
        }
    }
}

impl From<PrivacySettings> for core_store::Settings {
    fn from(s: PrivacySettings) -> Self {
        core_store::Settings {
            history_enabled: s.history_enabled,
            history_retention_days: s.history_retention_days,
            recent_searches_enabled: s.recent_searches_enabled,
            recent_searches_retention_days: s.recent_searches_retention_days,
        }
    }
}

/// What an import changed: rows added or updated, per kind. All zero when the same export
/// is imported again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ImportSummary {
    /// Bookmarks added, or completed with a note, folder or earlier date.
    pub bookmarks: u64,
    /// Progress rows added or moved to a more recent position.
    pub progress: u64,
    /// History entries added.
    pub history: u64,
    /// Recent searches added or moved to a more recent time.
    pub recent_searches: u64,
    /// Settings (privacy and the app's own) whose value changed.
    pub settings: u64,
}

impl From<core_store::ImportSummary> for ImportSummary {
    fn from(s: core_store::ImportSummary) -> Self {
        ImportSummary {
            bookmarks: s.bookmarks,
            progress: s.progress,
            history: s.history,
            recent_searches: s.recent_searches,
            settings: s.settings,
        }
    }
}

/// Salvage figures for one kind of row after a repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Salvaged {
    /// Rows read from the damaged file and kept.
    pub kept: u64,
    /// Of `kept`, rows rebuilt with some fields lost (a bookmark's note and folder).
    pub kept_partially: u64,
    /// Rows lost: 0 when everything was read, `null`/`nil` when the number is unknown
    /// (the file was unreadable as a whole).
    pub lost: Option<u64>,
}

impl From<core_store::Salvaged> for Salvaged {
    fn from(s: core_store::Salvaged) -> Self {
        Salvaged {
            kept: s.kept,
            kept_partially: s.kept_partially,
            lost: s.lost,
        }
    }
}

/// What a repair of a damaged user-data database kept and lost. Show it to the reader
/// once, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecoveryReport {
    /// What was wrong (for example "file is not a database"). For developers.
    pub cause: String,
    /// Whether anything was, or may have been, lost.
    pub lost_anything: bool,
    /// Bookmarks.
    pub bookmarks: Salvaged,
    /// Reading progress.
    pub progress: Salvaged,
    /// Reading history.
    pub history: Salvaged,
    /// Recent searches.
    pub recent_searches: Salvaged,
    /// Settings, the core's and the app's.
    pub settings: Salvaged,
    /// Damaged copies that could not be removed yet (normally empty; the next open tries
    /// again). They hold the reader's data.
    pub damaged_files_left: Vec<String>,
}

impl From<core_store::RecoveryReport> for RecoveryReport {
    fn from(r: core_store::RecoveryReport) -> Self {
        RecoveryReport {
            lost_anything: r.lost_anything(),
            cause: r.cause,
            bookmarks: r.bookmarks.into(),
            progress: r.progress.into(),
            history: r.history.into(),
            recent_searches: r.recent_searches.into(),
            settings: r.settings.into(),
            damaged_files_left: r
                .damaged_files_left
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
        }
    }
}

/// The app's own settings, by key.
pub(crate) fn custom_settings(
    map: std::collections::BTreeMap<String, String>,
) -> HashMap<String, String> {
    map.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_ranges_count_scalars_and_utf16_units() {
        // "🙂" is one scalar and two UTF-16 units; "é" one of each.
        let text = "🙂 café 🙂 stop";
        let r = text_ranges(text, &[(2, 6), (9, 13)]);
        assert_eq!(
            r,
            vec![
                TextRange {
                    start: 2,
                    end: 6,
                    utf16_start: 3,
                    utf16_end: 7
                },
                TextRange {
                    start: 9,
                    end: 13,
                    utf16_start: 11,
                    utf16_end: 15
                }
            ]
        );
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&utf16[11..15]).unwrap(), "stop");
    }

    #[test]
    fn text_ranges_clamp_to_the_text() {
        let r = text_ranges("ab", &[(1, 9), (5, 3)]);
        assert_eq!((r[0].start, r[0].end, r[0].utf16_end), (1, 2, 2));
        assert_eq!((r[1].start, r[1].end), (2, 2));
    }
}
