//! Ranking: running a built query for a page of the best matches, the costly phrase
//! and proximity boosts rescoring only the best of them.

use tantivy::DocAddress;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;

use super::Searcher;
use super::build::{Built, FIELD_TIE_BREAKER};
use crate::{Error, Result};

/// Matches rescored with the costly phrase and proximity boosts (at least; more for
/// deep pages).
const RESCORE_WINDOW: usize = 300;

impl Searcher<'_> {
    /// Runs a built query: the base query picks the matches and counts them; the best
    /// [`RESCORE_WINDOW`] (or more, for a deep page) are then rescored with the phrase and
    /// proximity boosts, which would otherwise be evaluated on every match. Scores of
    /// the rescored articles are exactly what the combined query gives them.
    pub(super) fn run_ranked(
        &self,
        built: &Built,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, u64)> {
        if built.boosts.is_empty() || limit == 0 {
            return self.run(built.base.as_ref(), limit, offset);
        }
        let window = (offset + limit).max(RESCORE_WINDOW);
        let (mut top, total) = self.run(built.base.as_ref(), window, 0)?;
        let scoring = self.scoring();
        // Candidates in document order, segment by segment.
        let mut order: Vec<usize> = (0..top.len()).collect();
        order.sort_by_key(|&i| top[i].1);
        for parts in &built.boosts {
            // Per candidate, the disjunction-max of the per-field phrase scores.
            let mut best = vec![0f32; top.len()];
            let mut sum = vec![0f32; top.len()];
            for part in parts {
                let weight = part.weight(scoring).map_err(Error::index)?;
                let mut scorer: Option<(u32, Box<dyn tantivy::query::Scorer>, bool)> = None;
                for &i in &order {
                    let doc = top[i].1;
                    if scorer
                        .as_ref()
                        .is_none_or(|(seg, _, _)| *seg != doc.segment_ord)
                    {
                        let reader = self.index.segment_reader(doc.segment_ord);
                        scorer = Some((
                            doc.segment_ord,
                            weight.scorer(reader, 1.0).map_err(Error::index)?,
                            true,
                        ));
                    }
                    let (_, s, fresh) = scorer.as_mut().expect("set above");
                    if let Some(score) = score_at(s.as_mut(), fresh, doc.doc_id) {
                        best[i] = best[i].max(score);
                        sum[i] += score;
                    }
                }
            }
            for i in 0..top.len() {
                top[i].0 += best[i] + FIELD_TIE_BREAKER * (sum[i] - best[i]);
            }
        }
        top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok((top.into_iter().skip(offset).take(limit).collect(), total))
    }

    /// Runs `q` for the page `offset..offset + limit` of its best matches, and counts
    /// all of them.
    pub(super) fn run(
        &self,
        q: &dyn Query,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, u64)> {
        if limit == 0 {
            return Ok((
                Vec::new(),
                self.index.search(q, &Count).map_err(Error::index)? as u64,
            ));
        }
        let collector = (
            TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score(),
            Count,
        );
        let (top, total) = match &self.stats {
            Some(stats) => {
                self.index
                    .search_with_statistics_provider(q, &collector, stats.as_ref())
            }
            None => self.index.search(q, &collector),
        }
        .map_err(Error::index)?;
        Ok((top, total as u64))
    }

    /// True when article `doc` matches `q`.
    pub(super) fn matches(&self, q: &dyn Query, doc: DocAddress) -> Result<bool> {
        let scoring = tantivy::query::EnableScoring::disabled_from_searcher(&self.index);
        let weight = q.weight(scoring).map_err(Error::index)?;
        let reader = self.index.segment_reader(doc.segment_ord);
        let mut scorer = weight.scorer(reader, 1.0).map_err(Error::index)?;
        Ok(score_at(scorer.as_mut(), &mut true, doc.doc_id).is_some())
    }
}

/// The score of `scorer` at `doc`, if it matches there. Candidates come in increasing
/// order, so `seek_danger` looks at that document alone instead of scanning to the next
/// match (which, for a phrase of common words, is most of the corpus).
///
/// `fresh` is true until the first `seek_danger`: only then is `scorer.doc()` a match.
/// Afterwards it is only where the scorer's first posting list stands, so being at `doc`
/// proves nothing, while being past `doc` proves `doc` has no match.
pub(super) fn score_at(
    scorer: &mut dyn tantivy::query::Scorer,
    fresh: &mut bool,
    doc: tantivy::DocId,
) -> Option<f32> {
    let at = scorer.doc();
    if at > doc {
        return None;
    }
    if at == doc && *fresh {
        return Some(scorer.score());
    }
    *fresh = false;
    match scorer.seek_danger(doc) {
        tantivy::SeekDangerResult::Found => Some(scorer.score()),
        tantivy::SeekDangerResult::SeekLowerBound(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Bundle;
    use crate::index::Analyzers;
    use crate::search::build::Mode;
    use crate::search::query;
    use std::collections::HashMap;

    /// The seeds and 2,000 generated articles.
    fn bundle() -> Bundle {
        crate::search::mixed_bundle(2_000, 7)
    }

    /// The rescored ranking gives every article it returns exactly the score the
    /// combined query (every boost evaluated on every match) gives it, and agrees with the
    /// combined query's order whenever the latter's best lie within the rescored window.
    #[test]
    fn rescoring_matches_the_combined_query() {
        let bundle = bundle();
        let b = Searcher::new(&bundle);
        let mut analyzers = Analyzers::default();
        let mut rescored_queries = 0;
        for text in [
            "partner needed",
            "stop means stop",
            "painful sex",
            "pushing through pain",
            "changed my mind",
            "sexual moment",
            "common questions",
            "feeling decided",
            "consent partner body",
            "talk about desire",
        ] {
            let plan = b.plan(&query::parse(text, &mut analyzers), None, &mut analyzers);
            let built = b.build(&plan, Mode::All, &[]);
            if !built.boosts.is_empty() {
                rescored_queries += 1;
            }
            let (fast, total) = b.run_ranked(&built, 20, 0).unwrap();
            let (exact, exact_total) = b.run(built.combined().as_ref(), RESCORE_WINDOW, 0).unwrap();
            assert_eq!(total, exact_total, "{text}");
            let exact_scores: HashMap<DocAddress, f32> =
                exact.iter().map(|&(s, d)| (d, s)).collect();
            for (score, doc) in &fast {
                if let Some(e) = exact_scores.get(doc) {
                    assert!(
                        (score - e).abs() <= 1e-3 * e.abs().max(1.0),
                        "{text}: {doc:?} {score} vs {e}"
                    );
                }
            }
            // At least 4 of the combined query's top 5 are in the rescored top 20: the
            // same documents come first.
            let fast_docs: Vec<DocAddress> = fast.iter().map(|&(_, d)| d).collect();
            let in_fast = exact
                .iter()
                .take(5)
                .filter(|(_, d)| fast_docs.contains(d))
                .count();
            assert!(
                in_fast >= 4,
                "{text}: only {in_fast} of the exact top 5 in the rescored top 20"
            );
        }
        assert!(
            rescored_queries >= 5,
            "the test corpus no longer exercises rescoring"
        );
    }
}
