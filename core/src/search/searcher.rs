//! The [`Searcher`]: searching one open bundle, from the text typed to the page of hits.

use std::sync::Arc;

use tantivy::postings::SegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, PhraseQuery, Query, Scorer};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, SeekDangerResult, Term};

use super::build::Mode;
use super::plan::Plan;
use super::query;
use super::rank;
use super::snippet::{self, Marker, Snippet};
use super::{MAX_LIMIT, MAX_OFFSET, SearchHit, SearchOptions, SearchResults};
use crate::bundle::Bundle;
use crate::error::guard;
use crate::index::Analyzers;
use crate::{Error, Result};

/// Searches one open bundle: [`search`](Searcher::search) for what was typed,
/// [`suggest_titles`](Searcher::suggest_titles) while typing, and
/// [`related`](Searcher::related) articles.
///
/// Cheap to make (it borrows the bundle and clones a handle to its index reader's
/// searcher): make one where you search, or keep one beside the bundle. `Send + Sync`.
///
/// ```
/// use quire_core::bundle::{self, BuildOptions, Bundle};
/// use quire_core::corpus::Article;
/// use quire_core::search::{SearchOptions, Searcher};
///
/// let article = Article {
///     id: "hello".into(),
///     title: "Hello".into(),
///     source: None,
///     published: None,
///     tags: vec![],
///     summary: "A greeting.".into(),
///     body: "Hello, *world*.".into(),
/// };
/// let bundle = Bundle::from_bytes(bundle::build_bytes(vec![article], &BuildOptions::default())?)?;
/// let results = Searcher::new(&bundle).search("wor", &SearchOptions::default())?;
/// assert_eq!(results.hits[0].id, "hello");
/// # Ok::<(), quire_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Searcher<'a> {
    /// The bundle searched: its catalog, bodies and vocabulary.
    pub(super) bundle: &'a Bundle,
    /// Its index, as tantivy searches it.
    pub(super) index: tantivy::Searcher,
    /// The statistics scores are computed with, when not this bundle's own: those of
    /// every bundle searched together, so that their scores compare.
    pub(super) stats: Option<Arc<dyn Bm25StatisticsProvider + Send + Sync>>,
}

/// A search ranked but not yet turned into hits: what a search of several bundles
/// merges before it makes the snippets of one page.
pub(super) struct Ranked {
    /// The answer, without its hits.
    pub(super) results: SearchResults,
    /// The page of best matches, with their scores.
    pub(super) top: Vec<(f32, DocAddress)>,
    /// What was searched for, to mark in the snippets.
    pub(super) plan: Plan,
    /// Which attempt answered (0: every word as typed; higher: further from what was
    /// typed); 0 as well when nothing matched.
    pub(super) rung: u8,
}

impl std::fmt::Debug for Searcher<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("bundle", self.bundle)
            .finish_non_exhaustive()
    }
}

impl<'a> Searcher<'a> {
    /// A searcher of `bundle`.
    pub fn new(bundle: &'a Bundle) -> Searcher<'a> {
        Searcher {
            bundle,
            index: bundle.reader().searcher(),
            stats: None,
        }
    }

    /// Scores with `stats` in place of this bundle's own statistics.
    pub(super) fn with_stats(
        mut self,
        stats: Arc<dyn Bm25StatisticsProvider + Send + Sync>,
    ) -> Searcher<'a> {
        self.stats = Some(stats);
        self
    }

    /// How scoring is enabled: with the shared statistics when there are some.
    pub(super) fn scoring(&self) -> EnableScoring<'_> {
        match &self.stats {
            Some(stats) => {
                EnableScoring::enabled_from_statistics_provider(stats.as_ref(), &self.index)
            }
            None => EnableScoring::enabled_from_searcher(&self.index),
        }
    }

    /// The bundle searched.
    pub fn bundle(&self) -> &'a Bundle {
        self.bundle
    }

    /// Searches the bundle. Any text is a valid query; errors only come from a damaged
    /// bundle. Runs in about a millisecond: call it off the UI thread.
    pub fn search(&self, text: &str, options: &SearchOptions) -> Result<SearchResults> {
        guard("search", || self.search_inner(text, options))
    }

    fn search_inner(&self, text: &str, options: &SearchOptions) -> Result<SearchResults> {
        let mut ranked = self.rank(text, options)?;
        ranked.results.hits = self.hits(&ranked.top, &ranked.plan, &mut self.bundle.analyzers())?;
        Ok(ranked.results)
    }

    /// Ranks the articles for `text`: the page `options` asks for, without snippets.
    pub(super) fn rank(&self, text: &str, options: &SearchOptions) -> Result<Ranked> {
        let mut analyzers = self.bundle.analyzers();
        let parsed = query::parse(text, &mut analyzers);
        let tags: Vec<String> = options
            .tags
            .iter()
            .map(|t| crate::corpus::normalize_tag(t))
            .filter(|t| !t.is_empty())
            .collect();
        let limit = options.limit.min(MAX_LIMIT);
        let offset = options.offset.min(MAX_OFFSET);
        let mut results = SearchResults::empty(text);

        let exact = self.plan(&parsed, None, &mut analyzers);
        if exact.is_empty() {
            if tags.is_empty() {
                return Ok(Ranked {
                    results,
                    top: Vec::new(),
                    plan: exact,
                    rung: 0,
                });
            }
            // Tags alone: every article carrying them, in catalog order.
            let q = self.filter_only(&tags);
            let (top, total) = self.run(q.as_ref(), limit, offset)?;
            results.total = total;
            return Ok(Ranked {
                results,
                top,
                plan: exact,
                rung: 0,
            });
        }
        let corrections = self.corrections(&parsed, &mut analyzers);
        results.suggestion = corrections.suggestion.clone();
        let fuzzy = (!corrections.by_word.is_empty() || !corrections.splits.is_empty())
            .then(|| self.plan(&parsed, Some(&corrections), &mut analyzers));

        // Required words that no article uses at all and that are not misspellings to
        // correct: searched without, and named.
        let absent: Vec<String> = exact
            .clauses
            .iter()
            .filter(|c| c.required() && !self.could_match(c))
            .filter(|c| {
                !c.label.split([' ', '-']).any(|w| {
                    let w = analyzers.surfaces(w).concat();
                    corrections.by_word.contains_key(&w) || corrections.splits.contains_key(&w)
                })
            })
            .map(|c| c.label.clone())
            .collect();
        let required = exact.clauses.iter().filter(|c| c.required()).count();
        let reduced = (!absent.is_empty() && absent.len() < required).then(|| {
            (
                exact.without(&absent),
                fuzzy.as_ref().map(|f| f.without(&absent)),
            )
        });

        // Best first: every word as typed; every word found, typos corrected, words no
        // article uses left out; then the articles with most of the words.
        let mut attempts: Vec<(&Plan, Mode, bool, bool)> = vec![(&exact, Mode::All, false, false)];
        if let Some((plan, fuzzy_reduced)) = &reduced {
            attempts.push((plan, Mode::All, false, true));
            if let Some(f) = fuzzy_reduced {
                attempts.push((f, Mode::All, true, true));
            }
        }
        if let Some(f) = &fuzzy {
            attempts.push((f, Mode::All, true, false));
        }
        if exact.positive().count() > 1 {
            attempts.push((&exact, Mode::Any, false, false));
            if let Some(f) = &fuzzy {
                attempts.push((f, Mode::Any, true, false));
            }
        }
        for (rung, (plan, mode, corrected, is_reduced)) in attempts.into_iter().enumerate() {
            let built = self.build(plan, mode, &tags);
            let (top, total) = self.run_ranked(&built, limit, offset)?;
            if total > 0 {
                results.total = total;
                results.corrected = corrected;
                results.without = match (mode, is_reduced) {
                    (Mode::All, true) => absent.clone(),
                    (Mode::All, false) => Vec::new(),
                    (Mode::Any, _) => self.left_out(plan, top.first().map(|t| t.1))?,
                };
                return Ok(Ranked {
                    results,
                    top,
                    plan: plan.clone(),
                    rung: rung as u8,
                });
            }
        }
        Ok(Ranked {
            results,
            top: Vec::new(),
            plan: exact,
            rung: 0,
        })
    }

    /// The required clauses of `plan`, as typed, that article `doc` does not match: the
    /// words the best of "most of the words" does without.
    fn left_out(&self, plan: &Plan, doc: Option<DocAddress>) -> Result<Vec<String>> {
        let Some(doc) = doc else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for c in plan.clauses.iter().filter(|c| c.required()) {
            let single = Plan {
                clauses: vec![c.clone()],
                sequence: Vec::new(),
            };
            let built = self.build(&single, Mode::All, &[]);
            if !self.matches(built.base.as_ref(), doc)? {
                out.push(c.label.clone());
            }
        }
        Ok(out)
    }

    /// The stems whose words a view of an article marks for `text`: what a search for
    /// `text` looks for (the words as typed, completions of an unfinished last word,
    /// corrections of misspelled words), to hand to a [`Marker`]. Any text is valid.
    pub fn highlight_stems(&self, text: &str) -> Result<Vec<String>> {
        guard("highlighting", || {
            let mut analyzers = self.bundle.analyzers();
            let parsed = query::parse(text, &mut analyzers);
            let mut stems = self.plan(&parsed, None, &mut analyzers).stems();
            let corrections = self.corrections(&parsed, &mut analyzers);
            if !corrections.by_word.is_empty() || !corrections.splits.is_empty() {
                stems.extend(
                    self.plan(&parsed, Some(&corrections), &mut analyzers)
                        .stems(),
                );
            }
            stems.sort();
            stems.dedup();
            Ok(stems)
        })
    }

    /// Why article `id` scores what it does for `text` (tantivy's explanation of the
    /// exact, all-words query, as JSON). A tool for tuning ranking, not for the app.
    #[doc(hidden)]
    pub fn explain(&self, text: &str, id: &str) -> Result<String> {
        let mut analyzers = self.bundle.analyzers();
        let parsed = query::parse(text, &mut analyzers);
        let plan = self.plan(&parsed, None, &mut analyzers);
        let q = self.build(&plan, Mode::All, &[]).combined();
        let ord = self
            .bundle
            .ord_of(id)?
            .ok_or_else(|| Error::ArticleNotFound(id.to_string()))?;
        let explanation = q
            .explain(&self.index, DocAddress::new(0, ord as u32))
            .map_err(|e| Error::Index(e.to_string()))?;
        Ok(explanation.to_pretty_json())
    }

    /// The hits of `top`: titles and snippets with `plan`'s words marked.
    ///
    /// A snippet comes from the body when the index says it holds a word searched for,
    /// scanned only as far as the passage shown (see [`snippet::snippet_of`]);
    /// otherwise from the summary when that holds one, else from the body's start.
    pub(super) fn hits(
        &self,
        top: &[(f32, DocAddress)],
        plan: &Plan,
        analyzers: &mut Analyzers,
    ) -> Result<Vec<SearchHit>> {
        let groups = plan.stem_groups();
        let need = self.groups_in_body(top, &groups)?;
        let marker = Marker::with_groups(groups);
        let mut hits = Vec::with_capacity(top.len());
        for (&(score, doc), need) in top.iter().zip(need) {
            let ord = doc.doc_id as usize;
            let meta = self.bundle.meta_at(ord)?;
            let summary = |analyzers: &mut Analyzers| {
                Some(snippet::snippet(&meta.summary, &marker, analyzers))
                    .filter(|s| !s.highlights.is_empty())
            };
            let body = || self.bundle.plain_text_reader(ord);
            let snip = if need == 0 {
                match summary(analyzers) {
                    Some(s) => s,
                    None => snippet::snippet_of(&mut body()?, &marker, 0, analyzers)?,
                }
            } else {
                let s = snippet::snippet_of(&mut body()?, &marker, need, analyzers)?;
                if s.highlights.is_empty() {
                    summary(analyzers).unwrap_or(s)
                } else {
                    s
                }
            };
            let Snippet { text, highlights } = snip;
            hits.push(SearchHit {
                pack: self.bundle.pack_id().to_string(),
                id: meta.id,
                title: meta.title,
                score,
                snippet: text,
                highlights,
            });
        }
        Ok(hits)
    }

    /// For each article of `top`, how many of `groups` (as [`Plan::stem_groups`] gives
    /// them) its body holds, by the index: each word's posting list is read once for
    /// the whole page.
    fn groups_in_body(
        &self,
        top: &[(f32, DocAddress)],
        groups: &[Vec<String>],
    ) -> Result<Vec<usize>> {
        // Phrases (two words or more) are looked for by their positions, the other
        // alternatives by their words.
        fn parts(alt: &str) -> impl Iterator<Item = &str> {
            alt.split(' ').filter(|w| !w.is_empty())
        }
        let is_phrase = |alt: &str| parts(alt).nth(1).is_some();
        let mut words: Vec<&str> = groups
            .iter()
            .flatten()
            .filter(|a| !is_phrase(a))
            .flat_map(|a| parts(a))
            .collect();
        words.sort_unstable();
        words.dedup();
        let body = self.bundle.fields().body;
        let mut order: Vec<usize> = (0..top.len()).collect();
        order.sort_by_key(|&i| top[i].1);
        // has[w][i]: the body of top[i] holds words[w].
        let mut has = vec![vec![false; top.len()]; words.len()];
        for (w, word) in words.iter().enumerate() {
            let term = Term::from_field_text(body, word);
            let mut postings: Option<(u32, Option<SegmentPostings>)> = None;
            for &i in &order {
                let doc = top[i].1;
                if postings
                    .as_ref()
                    .is_none_or(|(seg, _)| *seg != doc.segment_ord)
                {
                    let reader = self.index.segment_reader(doc.segment_ord);
                    let list = reader
                        .inverted_index(body)
                        .map_err(Error::index)?
                        .read_postings(&term, IndexRecordOption::Basic)
                        .map_err(Error::index)?;
                    postings = Some((doc.segment_ord, list));
                }
                if let Some((_, Some(list))) = postings.as_mut() {
                    has[w][i] = list.doc() <= doc.doc_id && list.seek(doc.doc_id) == doc.doc_id;
                }
            }
        }
        // A phrase is in the body where its words stand together, by their positions.
        let mut phrases: Vec<(&str, Vec<bool>)> = Vec::new();
        for alt in groups.iter().flatten().filter(|a| is_phrase(a)) {
            if phrases.iter().any(|(p, _)| p == alt) {
                continue;
            }
            let terms: Vec<Term> = parts(alt).map(|w| Term::from_field_text(body, w)).collect();
            let weight = PhraseQuery::new(terms)
                .weight(EnableScoring::disabled_from_searcher(&self.index))
                .map_err(Error::index)?;
            let mut held = vec![false; top.len()];
            // Looked at in the candidates alone: a phrase scorer made the usual way
            // would first walk to the phrase's first match in the whole segment.
            let mut scorer: Option<(u32, Box<dyn Scorer>)> = None;
            for &i in &order {
                let doc = top[i].1;
                held[i] = match scorer.as_mut() {
                    Some((seg, s)) if *seg == doc.segment_ord => {
                        rank::score_at(s.as_mut(), &mut false, doc.doc_id).is_some()
                    }
                    _ => {
                        let reader = self.index.segment_reader(doc.segment_ord);
                        let (at, s) = weight
                            .scorer_danger(reader, doc.doc_id, 1.0)
                            .map_err(Error::index)?;
                        scorer = Some((doc.segment_ord, s));
                        at == SeekDangerResult::Found
                    }
                };
            }
            phrases.push((alt, held));
        }
        let holds = |alt: &str, i: usize| match phrases.iter().find(|(p, _)| *p == alt) {
            Some((_, held)) => held[i],
            None => parts(alt).all(|w| words.binary_search(&w).is_ok_and(|at| has[at][i])),
        };
        Ok((0..top.len())
            .map(|i| {
                groups
                    .iter()
                    .filter(|g| g.iter().any(|alt| holds(alt, i)))
                    .count()
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// The query words (groups) a snippet shows.
    fn groups_shown(marker: &Marker, text: &str, analyzers: &mut Analyzers) -> usize {
        let found = marker.find(text, analyzers);
        marker
            .groups_of(&found)
            .into_iter()
            .collect::<HashSet<_>>()
            .len()
    }

    /// A snippet read only as far as its passage shows as many query words as one made
    /// from the whole text, and the index's word lists agree with the text's words on
    /// whether the body holds any.
    /// A quoted phrase is marked in snippets where its words stand together, not each
    /// word wherever it is.
    #[test]
    fn a_quoted_phrase_is_marked_where_its_words_stand_together() {
        let bundle = crate::search::mixed_bundle(300, 11);
        let searcher = Searcher::new(&bundle);
        let options = SearchOptions {
            limit: 30,
            ..SearchOptions::default()
        };
        let mut marked = 0;
        for (text, words) in [
            ("\"your partner\"", ["your", "partner"]),
            ("\"painful sex\"", ["painful", "sex"]),
        ] {
            let results = searcher.search(text, &options).unwrap();
            assert!(results.total > 0, "{text}");
            for hit in &results.hits {
                let chars: Vec<char> = hit.snippet.chars().collect();
                let span = |(a, b): (u32, u32)| -> String {
                    chars[a as usize..b as usize]
                        .iter()
                        .collect::<String>()
                        .to_lowercase()
                };
                assert_eq!(hit.highlights.len() % 2, 0, "{text}: {:?}", hit.snippet);
                for pair in hit.highlights.chunks(2) {
                    let (first, second) = (span(pair[0]), span(pair[1]));
                    assert!(
                        first.starts_with(words[0]) && second.starts_with(words[1]),
                        "{text}: {first:?} {second:?} in {:?}",
                        hit.snippet
                    );
                    let gap: String = chars[pair[0].1 as usize..pair[1].0 as usize]
                        .iter()
                        .collect();
                    assert!(!gap.chars().any(char::is_alphanumeric), "{text}: {gap:?}");
                    marked += 1;
                }
            }
        }
        assert!(marked >= 10, "only {marked} phrases marked");
    }

    #[test]
    fn snippets_read_as_far_as_needed_lose_no_query_word() {
        let bundle = crate::search::mixed_bundle(300, 11);
        let searcher = Searcher::new(&bundle);
        let mut analyzers = bundle.analyzers();
        let options = SearchOptions {
            limit: 30,
            ..SearchOptions::default()
        };
        let (mut partial, mut from_body) = (0, 0);
        for text in [
            "consent",
            "withdrawing consent",
            "partner",
            "painful sex",
            "changed my mind",
            "pleasure communication",
            "bound",
            "talk about desire",
            "\"safe word\"",
            "\"sex sexual\"",
            "\"painful sex\"",
            "\"your partner\"",
            "stop means stop",
            "conse",
            "relationship trust boundaries",
        ] {
            let ranked = searcher.rank(text, &options).unwrap();
            let groups = ranked.plan.stem_groups();
            let need = searcher.groups_in_body(&ranked.top, &groups).unwrap();
            let marker = Marker::with_groups(groups);
            for (&(_, doc), need) in ranked.top.iter().zip(need) {
                let ord = doc.doc_id as usize;
                let whole = bundle.plain_text_at(ord).unwrap();
                let full = snippet::snippet(&whole, &marker, &mut analyzers);
                let mut reader = bundle.plain_text_reader(ord).unwrap();
                let part = snippet::snippet_of(&mut reader, &marker, need, &mut analyzers).unwrap();
                assert_eq!(need > 0, !full.highlights.is_empty(), "{text}: #{ord}");
                assert_eq!(
                    groups_shown(&marker, &part.text, &mut analyzers),
                    groups_shown(&marker, &full.text, &mut analyzers),
                    "{text}: #{ord}: {:?} against {:?}",
                    part.text,
                    full.text
                );
                from_body += usize::from(need > 0);
                partial += usize::from(!reader.is_complete());
            }
        }
        assert!(from_body >= 150, "only {from_body} snippets from bodies");
        assert!(
            partial >= from_body / 2,
            "only {partial} of {from_body} read in part"
        );
    }
}
