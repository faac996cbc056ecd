//! Searching several bundles as one: the built-in articles and every installed pack.
//!
//! Each bundle is searched by its own [`Searcher`] (its own language, vocabulary,
//! corrections and thesaurus), but every score is computed with the statistics of all
//! of them together (document count, document frequency of each term, field lengths),
//! so that a score means the same in every bundle and the lists merge by score, as if
//! the articles were one index. Merging takes the closest attempt any bundle answered
//! (every word as typed before corrections, corrections before "most of the words"):
//! a bundle that only matched by dropping words does not mix with exact matches.
//! Snippets are made only for the page returned.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{DocAddress, Term};

use super::searcher::Ranked;
use super::{
    MAX_LIMIT, MAX_OFFSET, SearchHit, SearchOptions, SearchResults, Searcher, TitleSuggestion,
};
use crate::Result;
use crate::bundle::Bundle;
use crate::error::guard;

/// The statistics of several indexes summed, each figure computed once per search.
struct Combined {
    searchers: Vec<tantivy::Searcher>,
    docs: u64,
    tokens: Mutex<HashMap<Field, u64>>,
    freqs: Mutex<HashMap<Term, u64>>,
}

impl Combined {
    fn new(bundles: &[(&str, &Bundle)]) -> Combined {
        let searchers: Vec<tantivy::Searcher> =
            bundles.iter().map(|(_, b)| b.reader().searcher()).collect();
        let docs = searchers.iter().map(|s| s.num_docs()).sum();
        Combined {
            searchers,
            docs,
            tokens: Mutex::default(),
            freqs: Mutex::default(),
        }
    }
}

impl Bm25StatisticsProvider for Combined {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut cache = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&n) = cache.get(&field) {
            return Ok(n);
        }
        let mut n = 0;
        for s in &self.searchers {
            n += s.total_num_tokens(field)?;
        }
        cache.insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut cache = self.freqs.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&n) = cache.get(term) {
            return Ok(n);
        }
        let mut n = 0;
        for s in &self.searchers {
            n += s.doc_freq(term)?;
        }
        cache.insert(term.clone(), n);
        Ok(n)
    }
}

/// Searchers of `bundles` that score with their combined statistics.
fn searchers<'a>(bundles: &[(&str, &'a Bundle)]) -> Vec<Searcher<'a>> {
    if let [(_, only)] = bundles {
        return vec![Searcher::new(only)];
    }
    let stats: Arc<dyn Bm25StatisticsProvider + Send + Sync> = Arc::new(Combined::new(bundles));
    bundles
        .iter()
        .map(|(_, b)| Searcher::new(b).with_stats(stats.clone()))
        .collect()
}

/// Searches `bundles`, each named by its pack id, as one (see the module's
/// description): one ranked page, each hit's [`pack`](super::SearchHit::pack) the name
/// of its bundle. `total` counts the matches of the attempt merged; `suggestion` and
/// `without` are those of the bundle of the best hit (or, with no hit, the first bundle
/// that has a suggestion). Any text is valid.
pub fn search_all(
    bundles: &[(&str, &Bundle)],
    text: &str,
    options: &SearchOptions,
) -> Result<SearchResults> {
    guard("search", || search_all_inner(bundles, text, options))
}

fn search_all_inner(
    bundles: &[(&str, &Bundle)],
    text: &str,
    options: &SearchOptions,
) -> Result<SearchResults> {
    let limit = options.limit.min(MAX_LIMIT);
    let offset = options.offset.min(MAX_OFFSET);
    let searchers = searchers(bundles);
    if let [only] = searchers.as_slice() {
        let mut results = only.search(text, options)?;
        for hit in &mut results.hits {
            hit.pack = bundles[0].0.to_string();
        }
        return Ok(results);
    }
    // Each bundle's best `offset + limit`: the merged page lies within them.
    let wide = SearchOptions {
        limit: offset + limit,
        offset: 0,
        tags: options.tags.clone(),
    };
    let ranked: Vec<Ranked> = searchers
        .iter()
        .map(|s| s.rank(text, &wide))
        .collect::<Result<_>>()?;
    let answered = |r: &Ranked| r.results.total > 0;
    let rung = ranked.iter().filter(|r| answered(r)).map(|r| r.rung).min();
    let taken = |r: &Ranked| answered(r) && Some(r.rung) == rung;

    let mut merged: Vec<(f32, usize, DocAddress)> = ranked
        .iter()
        .enumerate()
        .filter(|(_, r)| taken(r))
        .flat_map(|(i, r)| r.top.iter().map(move |&(score, doc)| (score, i, doc)))
        .collect();
    // Best score first; ties in bundle order, then document order.
    merged.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let page: Vec<(f32, usize, DocAddress)> =
        merged.iter().copied().skip(offset).take(limit).collect();

    let lead = merged
        .first()
        .map(|&(_, i, _)| i)
        .or_else(|| ranked.iter().position(|r| r.results.suggestion.is_some()));
    let mut results = SearchResults {
        query: text.to_string(),
        total: ranked
            .iter()
            .filter(|r| taken(r))
            .map(|r| r.results.total)
            .sum(),
        hits: Vec::with_capacity(page.len()),
        suggestion: lead.and_then(|i| ranked[i].results.suggestion.clone()),
        without: lead
            .map(|i| ranked[i].results.without.clone())
            .unwrap_or_default(),
        corrected: lead.is_some_and(|i| ranked[i].results.corrected),
    };
    // The page's snippets, each bundle's hits made together (one marker, which remembers
    // the words it stemmed from one article to the next, and one set of analysers),
    // then put back in the merged order.
    let mut hits: Vec<Option<SearchHit>> = vec![None; page.len()];
    for (i, (name, bundle)) in bundles.iter().enumerate() {
        let slots: Vec<usize> = (0..page.len()).filter(|&k| page[k].1 == i).collect();
        if slots.is_empty() {
            continue;
        }
        let docs: Vec<(f32, DocAddress)> = slots.iter().map(|&k| (page[k].0, page[k].2)).collect();
        let made = searchers[i].hits(&docs, &ranked[i].plan, &mut bundle.analyzers())?;
        for (k, mut hit) in slots.into_iter().zip(made) {
            hit.pack = name.to_string();
            hits[k] = Some(hit);
        }
    }
    results.hits = hits.into_iter().flatten().collect();
    Ok(results)
}

/// Title suggestions from all of `bundles`, each named by its pack id, best first
/// (scores compare as in [`search_all`]); each names its bundle in `pack`.
pub fn suggest_all(
    bundles: &[(&str, &Bundle)],
    text: &str,
    limit: usize,
) -> Result<Vec<TitleSuggestion>> {
    let searchers = searchers(bundles);
    let mut all: Vec<(f32, usize, TitleSuggestion)> = Vec::new();
    for (i, s) in searchers.iter().enumerate() {
        all.extend(
            s.suggest_scored(text, limit)?
                .into_iter()
                .map(|(score, mut t)| {
                    t.pack = bundles[i].0.to_string();
                    (score, i, t)
                }),
        );
    }
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(all.into_iter().take(limit).map(|(_, _, t)| t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{BuildOptions, build_bytes};
    use crate::corpus::Article;

    fn bundle(corpus: &str, articles: Vec<Article>) -> Bundle {
        let options = BuildOptions {
            corpus_id: corpus.into(),
            ..BuildOptions::default()
        };
        Bundle::from_bytes(build_bytes(articles, &options).unwrap()).unwrap()
    }

    fn filler(prefix: &str, n: usize) -> Vec<Article> {
        (0..n)
            .map(|i| {
                Article::new(
                    format!("{prefix}-{i}"),
                    format!("Notes {i}"),
                    "Talking with a partner about plans, days and evenings together.",
                )
            })
            .collect()
    }

    #[test]
    fn one_bundle_searched_alone_or_with_others_finds_the_same_order_for_its_own_words() {
        let mut a_articles = filler("a", 30);
        a_articles.push(Article::new(
            "a-boundaries",
            "Boundaries",
            "Boundaries with a partner: saying what you want and do not want.",
        ));
        let a = bundle("pack-a", a_articles);
        let b = bundle("pack-b", filler("b", 5));
        let alone = search_all(
            &[("pack-a", &a)],
            "boundaries partner",
            &SearchOptions::default(),
        )
        .unwrap();
        let together = search_all(
            &[("pack-b", &b), ("pack-a", &a)],
            "boundaries partner",
            &SearchOptions::default(),
        )
        .unwrap();
        assert_eq!(alone.hits[0].id, "a-boundaries");
        assert_eq!(together.hits[0].id, "a-boundaries");
        assert_eq!(together.hits[0].pack, "pack-a");
        // Pack b's articles have only "partner": a weaker attempt, left out.
        assert_eq!(together.total, alone.total);
        // A word both packs use: one ranked list over both, pages that do not overlap.
        let page = |offset| {
            search_all(
                &[("pack-b", &b), ("pack-a", &a)],
                "partner",
                &SearchOptions {
                    offset,
                    ..SearchOptions::default()
                },
            )
            .unwrap()
        };
        let (first, next) = (page(0), page(10));
        assert_eq!(first.total, 36);
        let seen: Vec<_> = first.hits.iter().map(|h| (&h.pack, &h.id)).collect();
        assert!(next.hits.iter().all(|h| !seen.contains(&(&h.pack, &h.id))));
        let all: Vec<_> = (0..4).flat_map(|p| page(p * 10).hits).collect();
        assert_eq!(all.len(), 36);
        assert_eq!(all.iter().filter(|h| h.pack == "pack-b").count(), 5);
    }

    #[test]
    fn exact_matches_in_one_bundle_keep_the_others_fuzzy_matches_out() {
        let a = bundle(
            "pack-a",
            vec![Article::new(
                "consent",
                "Consent",
                "Consent can be withdrawn at any time.",
            )],
        );
        let b = bundle(
            "pack-b",
            vec![Article::new(
                "other",
                "Other",
                "Nothing about that word here, only plans.",
            )],
        );
        let r = search_all(
            &[("pack-b", &b), ("pack-a", &a)],
            "consent withdrawn",
            &SearchOptions::default(),
        )
        .unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(
            (r.hits[0].pack.as_str(), r.hits[0].id.as_str()),
            ("pack-a", "consent")
        );
        assert!(r.without.is_empty());
        let t = suggest_all(&[("pack-b", &b), ("pack-a", &a)], "cons", 5).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].pack, "pack-a");
    }
}
