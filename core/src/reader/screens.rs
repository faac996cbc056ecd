//! What each screen asks the [`Reader`]: search, the article, bookmarks, history and
//! recent searches, each answered in one call with discreet display applied.

use std::sync::Arc;

use super::blocks::{self, Block};
use super::discreet;
use super::open::{Reader, locked};
use super::position::{self, ReadingPosition};
use super::types::{
    ArticleView, BookmarkItem, HistoryItem, ListItem, OpenedArticle, RecentItem, ResumePoint,
    SearchPage, SearchRequest, TextMatch,
};
use crate::bundle::Bundle;
use crate::index::Analyzers;
use crate::pack::{ArticleRef, Library};
use crate::search::{SearchOptions, Searcher, snippet::Marker};
use crate::store::Bookmark;
use crate::{Error, Result};

/// Related articles listed at the end of an article.
const RELATED: usize = 5;
/// Most bookmarks a search within bookmarks returns.
const MAX_BOOKMARK_HITS: usize = 200;

impl Reader {
    /// Searches as the reader types (see [`SearchRequest`]): ranked hits with snippets
    /// and marked words, "did you mean", and title suggestions, from the built-in
    /// articles and every installed pack (or the packs asked for) in one list; neutral
    /// labels and no snippets under discreet display. Records the search among recent
    /// searches only when submitted and recent searches are on. Any text is a valid
    /// query.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchPage> {
        let store = self.store()?;
        let discreet = self.discreet(&store)?;
        let library = self.library();
        let results = library.search(
            &request.text,
            &SearchOptions {
                limit: request.limit,
                offset: request.offset,
                tags: request.tags.clone(),
            },
            &request.packs,
        )?;
        let hits = results
            .hits
            .into_iter()
            .map(|h| {
                let mut item = item(&library, &h.pack, h.id, h.title, discreet);
                if !discreet {
                    item.snippet = h.snippet;
                    item.highlights = h.highlights;
                }
                item
            })
            .collect();
        let titles = if request.suggestions == 0 {
            Vec::new()
        } else {
            library
                .suggest_titles(&request.text, request.suggestions, &request.packs)?
                .into_iter()
                .map(|t| {
                    let mut item = item(&library, &t.pack, t.id, t.title, discreet);
                    if !discreet {
                        item.highlights = t.highlights;
                    }
                    item
                })
                .collect()
        };
        if request.submitted {
            store.record_search(&request.text)?;
        }
        locked(&self.session).last_query = Some(request.text.clone());
        Ok(SearchPage {
            query: results.query,
            total: results.total,
            hits,
            suggestion: results.suggestion,
            corrected: results.corrected,
            without: results.without,
            titles,
        })
    }

    /// A list item for an article reference kept in the reader's data, which no
    /// installed pack may hold any more (`available: false`, titled by its label).
    fn stored_item(&self, library: &Library, reference: &str, discreet: bool) -> Result<ListItem> {
        let found = library
            .resolve(reference)
            .and_then(|(bundle, r)| Ok((bundle.meta(r.id)?, r)));
        match found {
            Ok((meta, r)) => Ok(item(
                library,
                r.pack,
                reference.to_string(),
                meta.title,
                discreet,
            )),
            Err(Error::ArticleNotFound(_)) => {
                let pack = ArticleRef::parse(reference).pack;
                let mut item = item(library, pack, reference.to_string(), String::new(), true);
                item.discreet = discreet;
                item.available = false;
                Ok(item)
            }
            Err(e) => Err(e),
        }
    }

    /// Article `id` (an article reference) ready to draw: blocks with styled spans,
    /// links resolved, and with a `highlight` query (the one the reader came from) every
    /// occurrence of its words. Not recorded anywhere (the tools' call; apps use
    /// [`Reader::open_article`]).
    pub fn article_view(&self, id: &str, highlight: Option<&str>) -> Result<ArticleView> {
        self.check_unlocked()?;
        library_article_view(&self.library(), id, highlight)
    }

    /// Opens article `id` for the article screen: the view (with `highlight`'s words
    /// marked), where to resume, the bookmark and related articles. Records the opening
    /// in the history, and `highlight` among recent searches, when those are on.
    pub fn open_article(&self, id: &str, highlight: Option<&str>) -> Result<OpenedArticle> {
        let store = self.store()?;
        let discreet = self.discreet(&store)?;
        let library = self.library();
        let (bundle, r) = library.resolve(id)?;
        let view = view_in(bundle, r, highlight)?;
        let resume = store.anchored_progress(id)?.map(|(progress, anchor)| {
            let saved = position::SavedPosition {
                fraction: progress.position,
                anchor,
            };
            let (position, restored) = position::restore(&view.blocks, &saved);
            ResumePoint {
                position,
                restored,
                last_read: progress.last_opened,
            }
        });
        let bookmark = store.bookmark(id)?;
        let related = Searcher::new(bundle)
            .related(r.id, RELATED)?
            .into_iter()
            .map(|rel| {
                let reference = ArticleRef::format(r.pack, &rel.meta.id);
                item(&library, r.pack, reference, rel.meta.title, discreet)
            })
            .collect();
        store.record_article_opened(id)?;
        if let Some(q) = highlight {
            store.record_search(q)?;
        }
        locked(&self.session).open = Some((id.to_string(), Arc::new(view.blocks.clone())));
        Ok(OpenedArticle {
            view,
            resume,
            bookmark,
            related,
        })
    }

    /// Saves where the reader is in article `id` (call it on leaving the screen and now
    /// and then while reading). Returns the position as kept: clamped into the article,
    /// its fraction recomputed from the block and offset.
    pub fn save_position(&self, id: &str, at: ReadingPosition) -> Result<ReadingPosition> {
        let store = self.store()?;
        let open = locked(&self.session)
            .open
            .as_ref()
            .filter(|(open_id, _)| open_id == id)
            .map(|(_, b)| b.clone());
        let blocks = match open {
            Some(b) => b,
            None => Arc::new(library_article_view(&self.library(), id, None)?.blocks),
        };
        let kept = position::normalize(&blocks, at);
        let saved = position::save(&blocks, kept);
        match saved.anchor {
            Some(anchor) => store.set_anchored_progress(id, saved.fraction, anchor)?,
            None => store.set_progress(id, saved.fraction)?,
        };
        Ok(kept)
    }

    /// The article screen was left: the session forgets the open article.
    pub fn close_article(&self) {
        locked(&self.session).open = None;
    }

    /// Every bookmark, newest first: titled (or labelled), and flagged but kept when
    /// the article is no longer in the bundle.
    pub fn bookmarks(&self) -> Result<Vec<BookmarkItem>> {
        let store = self.store()?;
        let discreet = self.discreet(&store)?;
        let library = self.library();
        store
            .bookmarks()?
            .into_iter()
            .map(|b| self.bookmark_item(&library, b, discreet))
            .collect()
    }

    fn bookmark_item(
        &self,
        library: &Library,
        b: Bookmark,
        discreet: bool,
    ) -> Result<BookmarkItem> {
        Ok(BookmarkItem {
            item: self.stored_item(library, &b.article_id, discreet)?,
            has_note: b.note.is_some(),
            note: if discreet { None } else { b.note },
            created_at: b.created_at,
        })
    }

    /// Bookmarks whose title or note contains every word of `text` (any case, any
    /// accents, a word's start is enough: "withdr" finds "Withdrawing"), newest first.
    /// Titles are matched even under discreet display (the reader typed the words);
    /// an empty `text` returns every bookmark.
    pub fn search_bookmarks(&self, text: &str) -> Result<Vec<BookmarkItem>> {
        let store = self.store()?;
        let discreet = self.discreet(&store)?;
        let mut analyzers = Analyzers::default();
        let wanted = analyzers.surfaces(text);
        let library = self.library();
        let mut out = Vec::new();
        for b in store.bookmarks()? {
            let title = library
                .resolve(&b.article_id)
                .and_then(|(bundle, r)| bundle.meta(r.id))
                .map(|m| m.title)
                .unwrap_or_default();
            let haystack = format!("{title} {}", b.note.as_deref().unwrap_or(""));
            let words = analyzers.surfaces(&haystack);
            let found = wanted
                .iter()
                .all(|w| words.iter().any(|have| have.starts_with(w.as_str())));
            if found {
                out.push(self.bookmark_item(&library, b, discreet)?);
                if out.len() == MAX_BOOKMARK_HITS {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Bookmarks article `id` with an optional note (re-adding replaces the note and
    /// keeps the date), durably. The article must be in the built-in bundle or an
    /// installed pack.
    pub fn add_bookmark(&self, id: &str, note: Option<&str>) -> Result<BookmarkItem> {
        let store = self.store()?;
        let library = self.library();
        library.resolve(id)?;
        let folder = store.bookmark(id)?.and_then(|b| b.folder);
        let b = store.add_bookmark(id, note, folder.as_deref())?;
        self.bookmark_item(&library, b, self.discreet(&store)?)
    }

    /// Changes (or with `None` removes) the note of the bookmark of `id`; works for an
    /// article no longer in the bundle too. Returns `None` when `id` is not bookmarked.
    pub fn set_bookmark_note(&self, id: &str, note: Option<&str>) -> Result<Option<BookmarkItem>> {
        let store = self.store()?;
        let Some(old) = store.bookmark(id)? else {
            return Ok(None);
        };
        let b = store.add_bookmark(id, note, old.folder.as_deref())?;
        Ok(Some(self.bookmark_item(
            &self.library(),
            b,
            self.discreet(&store)?,
        )?))
    }

    /// Removes the bookmark of `id`, durably and without a trace. Returns it, to hand
    /// back to [`Reader::restore_bookmark`] if the reader taps "undo".
    pub fn remove_bookmark(&self, id: &str) -> Result<Option<Bookmark>> {
        let store = self.store()?;
        let old = store.bookmark(id)?;
        if old.is_some() {
            store.remove_bookmark(id)?;
        }
        Ok(old)
    }

    /// Puts back a removed bookmark as it was (its date and note).
    pub fn restore_bookmark(&self, bookmark: &Bookmark) -> Result<BookmarkItem> {
        let store = self.store()?;
        store.restore_bookmark(bookmark)?;
        self.bookmark_item(&self.library(), bookmark.clone(), self.discreet(&store)?)
    }

    /// The reading history, newest first (empty while history is off).
    pub fn history(&self) -> Result<Vec<HistoryItem>> {
        let store = self.store()?;
        let discreet = self.discreet(&store)?;
        let library = self.library();
        store
            .history()?
            .into_iter()
            .map(|h| {
                Ok(HistoryItem {
                    item: self.stored_item(&library, &h.article_id, discreet)?,
                    opened_at: h.opened_at,
                })
            })
            .collect()
    }

    /// Deletes the reading history.
    pub fn clear_history(&self) -> Result<()> {
        self.store()?.clear_history()
    }

    /// Recent searches, newest first (empty while they are off); labelled under
    /// discreet display.
    pub fn recent_searches(&self) -> Result<Vec<RecentItem>> {
        let store = self.store()?;
        let discreet = self.discreet(&store)?;
        Ok(store
            .recent_searches()?
            .into_iter()
            .map(|r| RecentItem {
                label: if discreet {
                    discreet::SEARCH_LABEL.to_string()
                } else {
                    r.query.clone()
                },
                query: r.query,
                searched_at: r.searched_at,
            })
            .collect())
    }

    /// Deletes the recent searches.
    pub fn clear_recent_searches(&self) -> Result<()> {
        self.store()?.clear_recent_searches()
    }
}

/// A list item for article `reference` of pack `pack`: its title, or its neutral label
/// (and no pack name) under discreet display.
fn item(
    library: &Library,
    pack: &str,
    reference: String,
    title: String,
    discreet: bool,
) -> ListItem {
    ListItem {
        title: if discreet {
            discreet::label("", &reference)
        } else {
            title
        },
        article_id: reference,
        pack_id: pack.to_string(),
        pack_name: if discreet {
            String::new()
        } else {
            library.pack_name(pack).unwrap_or_default()
        },
        snippet: String::new(),
        highlights: Vec::new(),
        discreet,
        available: true,
    }
}

/// Article `id` of `bundle` as blocks, with the words of `highlight` found. Ids (of the
/// view and of its links) are the bundle's own.
pub fn article_view(bundle: &Bundle, id: &str, highlight: Option<&str>) -> Result<ArticleView> {
    view_in(
        bundle,
        ArticleRef {
            pack: crate::pack::BUILTIN_PACK_ID,
            id,
        },
        highlight,
    )
}

/// The article `reference` names, in whichever pack of `library` holds it, as blocks with
/// the words of `highlight` found. Its id and the ids of its links are article
/// references.
pub fn library_article_view(
    library: &Library,
    reference: &str,
    highlight: Option<&str>,
) -> Result<ArticleView> {
    let (bundle, r) = library.resolve(reference)?;
    view_in(bundle, r, highlight)
}

/// Article `r.id` of `bundle`, its id and links as references within pack `r.pack`.
fn view_in(bundle: &Bundle, r: ArticleRef<'_>, highlight: Option<&str>) -> Result<ArticleView> {
    let article = bundle.article(r.id)?;
    let resolve = |dest: &str| -> Option<String> {
        let candidate = article_link(dest)?;
        bundle
            .contains(candidate)
            .ok()?
            .then(|| ArticleRef::format(r.pack, candidate))
    };
    let blocks = blocks::to_blocks(&article.markdown, &resolve);
    let words = article.plain_text.split_whitespace().count();
    let highlight = highlight.map(str::trim).filter(|q| !q.is_empty());
    let matches = match highlight {
        Some(q) => find_matches(
            &blocks,
            &Marker::new(Searcher::new(bundle).highlight_stems(q)?),
            &mut bundle.analyzers(),
        ),
        None => Vec::new(),
    };
    Ok(ArticleView {
        id: ArticleRef::format(r.pack, &article.meta.id),
        title: article.meta.title,
        source: article.meta.source,
        published: article.meta.published,
        tags: article.meta.tags,
        summary: article.meta.summary,
        reading_minutes: blocks::reading_minutes(words),
        blocks,
        highlight_query: highlight.map(str::to_string),
        matches,
    })
}

/// The article id a link destination names, if it names one: `quire:ID`, `ID.md`,
/// `./ID.md`, or a bare id (a slug with no scheme, slash or dot-extension).
fn article_link(dest: &str) -> Option<&str> {
    let dest = dest.split('#').next().unwrap_or("");
    if let Some(id) = dest.strip_prefix("quire:") {
        return Some(id);
    }
    let dest = dest.strip_prefix("./").unwrap_or(dest);
    let dest = dest.strip_suffix(".md").unwrap_or(dest);
    let slug = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_');
    (!dest.is_empty() && dest.chars().all(slug)).then_some(dest)
}

/// Every marked word of every block, in reading order, as character ranges.
fn find_matches(blocks: &[Block], marker: &Marker, analyzers: &mut Analyzers) -> Vec<TextMatch> {
    if marker.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let found = marker.find(&block.text, analyzers);
        if found.is_empty() {
            continue;
        }
        // Byte offsets to character offsets, in one pass over the block.
        let mut chars = 0u32;
        let mut at = 0usize;
        let mut to_chars = |byte: usize| {
            chars += block.text[at..byte].chars().count() as u32;
            at = byte;
            chars
        };
        for (range, _) in found {
            let start = to_chars(range.start);
            let end = to_chars(range.end);
            out.push(TextMatch {
                block: i as u32,
                start,
                end,
            });
        }
    }
    out
}
