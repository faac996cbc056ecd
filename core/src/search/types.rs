//! What a search takes and gives: options, hits, results, title suggestions, related
//! articles, and the limits on paging.

use serde::Serialize;

use crate::bundle::ArticleMeta;

/// Most hits returned by one call.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset served; beyond it pages are empty.
pub const MAX_OFFSET: usize = 10_000;

/// Paging and filters of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Hits to return, at most [`MAX_LIMIT`] (larger values are clamped).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Only articles carrying every one of these tags.
    pub tags: Vec<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            tags: Vec::new(),
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The pack the article is in ([`Bundle::pack_id`](crate::bundle::Bundle::pack_id)).
    pub pack: String,
    /// Article id (within its pack; a library's search gives the article reference).
    pub id: String,
    /// Article title.
    pub title: String,
    /// Relevance score (higher is better; comparable within one result list only).
    pub score: f32,
    /// The best passage, on one line.
    pub snippet: String,
    /// Character ranges `[start, end)` of the matched words in `snippet`.
    pub highlights: Vec<(u32, u32)>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Number of matching articles.
    pub total: u64,
    /// The requested page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// "Did you mean": the query with misspelled words (unknown to the articles and to
    /// the language) replaced by the closest words of the articles.
    pub suggestion: Option<String>,
    /// Words of the query, as typed, that the hits do without: when no article has every
    /// word, the hits are the articles with most of them, and these are the words left
    /// out ("results without: keep"). Empty when the hits have every word.
    pub without: Vec<String>,
    /// True when the hits come from the typo-tolerant fallback.
    #[serde(skip)]
    pub corrected: bool,
}

impl SearchResults {
    /// No hits for `query`.
    pub fn empty(query: &str) -> SearchResults {
        SearchResults {
            query: query.to_string(),
            total: 0,
            hits: Vec::new(),
            suggestion: None,
            without: Vec::new(),
            corrected: false,
        }
    }
}

/// A title offered while typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleSuggestion {
    /// The pack the article is in.
    pub pack: String,
    /// Article id (within its pack; a library's suggestions give the article reference).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Character ranges of the matched words in `title`.
    pub highlights: Vec<(u32, u32)>,
}

/// An article related to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    /// The related article.
    pub meta: ArticleMeta,
    /// Similarity score (higher is closer).
    pub score: f32,
}
