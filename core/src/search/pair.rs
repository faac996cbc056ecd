//! Two words typed together, found together: every phrase boost of one pair of stems
//! (next to each other, within a few positions) as one query node, [`PairQuery`]; a
//! quoted phrase of two words is the same node with one boost, of distance 0.
//!
//! Built from tantivy's phrase queries, each boost of a pair costs, in each positional
//! field, a weight that looks both terms up again and allocates an explanation, and a
//! phrase scorer that opens both postings lists with their positions, moves them (about
//! 2 kB each) through several structures, and walks to its first match: for a pair
//! found in one article, twice as much work as finding the article. [`PairQuery`] opens
//! the two lists once per field for all the boosts of the pair, reads each matching
//! article's positions once, and counts the matches at each boost's distance as
//! tantivy's phrase scorer counts them (a two-term phrase: [`count_adjacent`] and
//! [`count_within`]), so the scores are the same, bit for bit.
//!
//! Moving the two lists to where the stems stand close, tantivy's or walked ones, is
//! [`super::close`]'s.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{
    DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED, TantivyError, Term,
};

use super::build::FIELD_TIE_BREAKER;
use super::close::{self, Lists, count_adjacent, count_within};
use crate::bundle::Positions;

/// The boosts of one pair of stems: each a distance (0: next to each other, in order)
/// and a weight, in every positional field. Scores as the sum, in order, of each
/// boost's best field plus [`FIELD_TIE_BREAKER`] of its other fields, a field scoring
/// as tantivy's two-term phrase query with that slop, boosted by the field's weight
/// times the boost's.
#[derive(Clone, Debug)]
pub(super) struct PairQuery {
    /// Per positional field, in the order their scores are combined: the two terms, and
    /// each boost's weight in that field (the field's weight times the boost's).
    fields: Vec<(Field, [Term; 2], Vec<Score>)>,
    /// Each boost's distance, in the order the boosts' scores are added up.
    slops: Vec<u32>,
    /// The bundle's positions file, for walking the lists of common stems (none: always
    /// tantivy's lists).
    positions: Option<Arc<Positions>>,
}

impl PairQuery {
    /// `stems` next to each other or apart by at most each boost's slop, in any of the
    /// `fields` (with their weights); `boosts` are (slop, weight) pairs. With the
    /// bundle's `positions`, the lists of stems common in a field are walked.
    pub(super) fn new(
        stems: [&str; 2],
        boosts: &[(u32, Score)],
        fields: &[(Field, Score)],
        positions: Option<&Arc<Positions>>,
    ) -> Self {
        PairQuery {
            fields: fields
                .iter()
                .map(|&(field, w)| {
                    (
                        field,
                        stems.map(|s| Term::from_field_text(field, s)),
                        boosts.iter().map(|&(_, b)| w * b).collect(),
                    )
                })
                .collect(),
            slops: boosts.iter().map(|&(slop, _)| slop).collect(),
            positions: positions.cloned(),
        }
    }
}

impl Query for PairQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut fields = Vec::with_capacity(self.fields.len());
        for (field, terms, boosts) in &self.fields {
            let bm25 = match scoring {
                // Tantivy's weight of a phrase: its terms' inverse document frequencies
                // added up, the field's average length.
                EnableScoring::Enabled {
                    statistics_provider,
                    ..
                } => Some(Bm25Weight::for_terms(statistics_provider, terms)?),
                EnableScoring::Disabled { .. } => None,
            };
            fields.push(FieldWeight {
                field: *field,
                terms: terms.clone(),
                boosts: boosts.clone(),
                bm25,
            });
        }
        Ok(Box::new(PairWeight {
            fields,
            slops: self.slops.clone(),
            positions: self.positions.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, terms, _) in &self.fields {
            for term in terms {
                visitor(term, true);
            }
        }
    }
}

struct FieldWeight {
    field: Field,
    terms: [Term; 2],
    boosts: Vec<Score>,
    bm25: Option<Bm25Weight>,
}

struct PairWeight {
    fields: Vec<FieldWeight>,
    slops: Vec<u32>,
    positions: Option<Arc<Positions>>,
}

impl PairWeight {
    fn pair_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<PairScorer> {
        let widest = self.slops.iter().copied().max().unwrap_or(0);
        // Only the segment the positions file belongs to may be walked with it.
        let positions = self
            .positions
            .as_ref()
            .filter(|p| p.segment == reader.segment_id());
        let mut fields = Vec::with_capacity(self.fields.len());
        for fw in &self.fields {
            let index = reader.inverted_index(fw.field)?;
            let (Some(first), Some(second)) = (
                index.get_term_info(&fw.terms[0])?,
                index.get_term_info(&fw.terms[1])?,
            ) else {
                continue;
            };
            let file = positions
                .filter(|_| close::walks(&[&first, &second], reader.max_doc()))
                .and_then(|p| p.file.open_read(fw.field));
            let lists = Lists::open(&index, [&first, &second], file.as_ref(), widest)?;
            let norms = match reader.fieldnorms_readers().get_field(fw.field)? {
                Some(norms) if fw.bm25.is_some() => norms,
                _ => FieldNormReader::constant(reader.max_doc(), 1),
            };
            let bm25 = fw
                .bm25
                .as_ref()
                .map(|bm25| fw.boosts.iter().map(|b| bm25.boost_by(boost * b)).collect());
            let mut pair = FieldPair {
                lists,
                norms,
                bm25,
                counts: vec![0; self.slops.len()],
                counted: TERMINATED,
            };
            let start = pair.lists.doc();
            if pair.lists.find(start) != TERMINATED {
                fields.push(pair);
            }
        }
        let docs: Vec<DocId> = fields.iter().map(|f| f.lists.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        Ok(PairScorer {
            pending: vec![false; fields.len()],
            fields,
            docs,
            doc,
            slops: self.slops.clone(),
        })
    }
}

impl Weight for PairWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.pair_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.pair_scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "two words close together, in their best field, plus a share of the others",
            scorer.score(),
        ))
    }
}

/// The pair in one field: both postings lists with positions, positioned on a document
/// where the two stems stand within the widest boost's distance.
struct FieldPair {
    lists: Lists,
    norms: FieldNormReader,
    /// Per boost, the field's phrase weight with the boost applied (none when scoring
    /// is off).
    bm25: Option<Vec<Bm25Weight>>,
    /// Matches in the current document at each boost's distance, counted for
    /// `counted`.
    counts: Vec<u32>,
    counted: DocId,
}

impl FieldPair {
    /// Counts the current document's matches at each of `slops`.
    fn count(&mut self, slops: &[u32]) {
        let doc = self.lists.doc();
        if self.counted == doc {
            return;
        }
        let (first, second) = self.lists.positions();
        for (count, &slop) in self.counts.iter_mut().zip(slops) {
            *count = if slop == 0 {
                count_adjacent(first, second)
            } else {
                count_within(first, second, slop)
            };
        }
        self.counted = doc;
    }
}

/// The union of the pair's fields, scoring each boost in its best field.
///
/// Rescoring asks for the score of given documents alone ([`DocSet::seek_danger`]),
/// which looks at each field in that document only and leaves the fields that miss it
/// on a bound rather than on their next match (`pending`), found when the scorer next
/// moves as a docset.
struct PairScorer {
    fields: Vec<FieldPair>,
    /// Each field's current document (or, pending, a bound below its next one).
    docs: Vec<DocId>,
    pending: Vec<bool>,
    doc: DocId,
    slops: Vec<u32>,
}

impl PairScorer {
    /// Every field on its first match from `target` on; the scorer on the first of them.
    fn move_to(&mut self, target: DocId) -> DocId {
        for ((field, doc), pending) in self
            .fields
            .iter_mut()
            .zip(&mut self.docs)
            .zip(&mut self.pending)
        {
            if *pending || *doc < target {
                *doc = field.lists.find((*doc).max(target));
                *pending = false;
            }
        }
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.move_to(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target && !self.pending.contains(&true) {
            return self.doc;
        }
        self.move_to(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target == TERMINATED {
            // Asked when an intersection runs out: no positions to read there.
            self.docs.fill(TERMINATED);
            self.pending.fill(false);
            self.doc = TERMINATED;
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        let mut bound = TERMINATED;
        for ((field, doc), pending) in self
            .fields
            .iter_mut()
            .zip(&mut self.docs)
            .zip(&mut self.pending)
        {
            if *doc < target || (*pending && *doc == target) {
                *doc = field.lists.at(target);
                *pending = *doc != target;
            }
            bound = bound.min(*doc);
        }
        if bound == target {
            self.doc = target;
            SeekDangerResult::Found
        } else {
            SeekDangerResult::SeekLowerBound(bound)
        }
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        // As tantivy estimates a phrase: a tenth of a term's list per term.
        self.fields
            .iter()
            .map(|f| f.lists.size_hint() / 20)
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for PairScorer {
    /// Added up in the order tantivy's nodes add them: each boost's fields into the best
    /// and the sum of all, then the boosts.
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut total: Score = 0.0;
        for b in 0..self.slops.len() {
            let (mut best, mut sum): (Score, Score) = (0.0, 0.0);
            for (field, &at) in self.fields.iter_mut().zip(self.docs.iter()) {
                if at != doc {
                    continue;
                }
                field.count(&self.slops);
                let count = field.counts[b];
                if count == 0 {
                    continue;
                }
                let score = match &field.bm25 {
                    Some(bm25) => bm25[b].score(field.norms.fieldnorm_id(doc), count),
                    None => 1.0,
                };
                best = best.max(score);
                sum += score;
            }
            total += best + (sum - best) * FIELD_TIE_BREAKER;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery};

    use tantivy::postings::TermInfo;
    use tantivy::schema::IndexRecordOption;

    use super::*;

    /// Every match with its score, best first (ties in document order).
    fn all_scored(searcher: &tantivy::Searcher, q: &dyn Query) -> Vec<(Score, u32)> {
        let n = searcher.num_docs() as usize;
        searcher
            .search(q, &TopDocs::with_limit(n.max(1)).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(s, d)| (s, d.doc_id))
            .collect()
    }

    /// The same boosts from tantivy's nodes: per boost, a disjunction-max over the
    /// fields of boosted phrase queries; the boosts a boolean union.
    fn tantivy_nodes(
        stems: [&str; 2],
        boosts: &[(u32, Score)],
        fields: &[(Field, Score)],
    ) -> BooleanQuery {
        let per_boost = boosts
            .iter()
            .map(|&(slop, weight)| {
                let per_field: Vec<Box<dyn Query>> = fields
                    .iter()
                    .map(|&(field, w)| {
                        let terms: Vec<Term> = stems
                            .iter()
                            .map(|s| Term::from_field_text(field, s))
                            .collect();
                        let phrase = PhraseQuery::new_with_offset_and_slop(
                            stems
                                .iter()
                                .enumerate()
                                .map(|(i, _)| i)
                                .zip(terms)
                                .collect(),
                            slop,
                        );
                        Box::new(BoostQuery::new(Box::new(phrase), w * weight)) as Box<dyn Query>
                    })
                    .collect();
                (
                    Occur::Should,
                    Box::new(DisjunctionMaxQuery::with_tie_breaker(
                        per_field,
                        FIELD_TIE_BREAKER,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        BooleanQuery::new(per_boost)
    }

    #[test]
    fn a_pair_scores_exactly_as_tantivys_phrase_queries_score_it() {
        let bundle = crate::search::mixed_bundle(600, 11);
        let searcher = bundle.reader().searcher();
        let positional: Vec<(Field, Score)> = bundle
            .fields()
            .weighted()
            .into_iter()
            .filter(|(f, _)| *f != bundle.fields().tags)
            .collect();
        let mut analyzers = bundle.analyzers();
        let stem = |text: &str, analyzers: &mut crate::index::Analyzers| {
            analyzers.stems(text).pop().expect("one stem")
        };
        let word = |text: &str| {
            let stems = bundle.analyzers().stems(text);
            let terms: Vec<(Occur, Box<dyn Query>)> = positional
                .iter()
                .map(|&(field, _)| {
                    let term = Term::from_field_text(field, &stems[0]);
                    let q = tantivy::query::TermQuery::new(term, IndexRecordOption::WithFreqs);
                    (Occur::Should, Box::new(q) as Box<dyn Query>)
                })
                .collect();
            Box::new(BooleanQuery::new(terms)) as Box<dyn Query>
        };
        let mut compared = 0;
        for (a, b) in [
            ("withdraw", "consent"),
            ("consent", "withdraw"),
            ("sex", "sex"),
            ("the", "and"),
            ("safer", "sex"),
            ("consent", "zzqxv"),
        ] {
            let stems = [stem(a, &mut analyzers), stem(b, &mut analyzers)];
            let stems = [stems[0].as_str(), stems[1].as_str()];
            for (boosts, walk) in [&[(0, 6.0), (3, 4.0)][..], &[(2, 1.0)], &[(0, 1.0)]]
                .into_iter()
                .flat_map(|b| [(b, false), (b, true)])
            {
                let positions = walk.then(|| bundle.positions());
                let ours = PairQuery::new(stems, boosts, &positional, positions);
                let theirs = tantivy_nodes(stems, boosts, &positional);
                let expected = all_scored(&searcher, &theirs);
                assert_eq!(
                    all_scored(&searcher, &ours),
                    expected,
                    "{stems:?} {boosts:?} walked: {walk}"
                );
                compared += expected.len();
                // As the ranking uses it: an optional clause beside a required word, and
                // boosted from above.
                for (q, t) in [
                    (
                        Box::new(ours.clone()) as Box<dyn Query>,
                        Box::new(theirs.clone()) as Box<dyn Query>,
                    ),
                    (
                        Box::new(BoostQuery::new(Box::new(ours.clone()), 0.3)),
                        Box::new(BoostQuery::new(Box::new(theirs.clone()), 0.3)),
                    ),
                ] {
                    let beside = |boost: Box<dyn Query>| {
                        BooleanQuery::new(vec![(Occur::Must, word(a)), (Occur::Should, boost)])
                    };
                    assert_eq!(
                        all_scored(&searcher, &beside(q)),
                        all_scored(&searcher, &beside(t)),
                        "{stems:?} {boosts:?} beside a word, walked: {walk}"
                    );
                }
            }
        }
        assert!(compared > 300, "the pairs match: {compared} scored matches");
        // Some of the pairs above were walked in the body, by the rule the scorer uses.
        let reader = searcher.segment_reader(0);
        let body = reader.inverted_index(bundle.fields().body).unwrap();
        let infos: Vec<TermInfo> = ["the", "and", "sex"]
            .iter()
            .map(|w| {
                let term = Term::from_field_text(bundle.fields().body, &stem(w, &mut analyzers));
                body.get_term_info(&term).unwrap().unwrap()
            })
            .collect();
        assert!(
            close::walks(&infos.iter().collect::<Vec<_>>(), reader.max_doc()),
            "some pairs are walked in the body"
        );
    }

    /// Rescoring evaluates the pair at given documents alone: each answer agrees with
    /// the pair's full list of matches, and the scorer still moves as a docset after.
    #[test]
    fn a_pair_evaluated_at_one_document_agrees_with_its_matches() {
        let bundle = crate::search::mixed_bundle(600, 11);
        let searcher = bundle.reader().searcher();
        let positional: Vec<(Field, Score)> = bundle
            .fields()
            .weighted()
            .into_iter()
            .filter(|(f, _)| *f != bundle.fields().tags)
            .collect();
        let mut analyzers = bundle.analyzers();
        let reader = searcher.segment_reader(0);
        let mut checked = (0, 0);
        for ((a, b), walk) in [
            ("consent", "partner"),
            ("the", "and"),
            ("withdraw", "consent"),
        ]
        .into_iter()
        .flat_map(|p| [(p, false), (p, true)])
        {
            let stems = [analyzers.stems(a).remove(0), analyzers.stems(b).remove(0)];
            let pair = PairQuery::new(
                [&stems[0], &stems[1]],
                &[(0, 6.0), (3, 4.0)],
                &positional,
                walk.then(|| bundle.positions()),
            );
            let matches: std::collections::BTreeMap<DocId, Score> = all_scored(&searcher, &pair)
                .into_iter()
                .map(|(s, d)| (d, s))
                .collect();
            assert!(!matches.is_empty(), "{a} {b} match");
            let weight = pair
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .unwrap();
            let mut scorer = weight.scorer(reader, 1.0).unwrap();
            let mut doc = 1; // the scorer starts on its first match, at 0 or later
            while doc < reader.max_doc() {
                if doc % 9 == 0 {
                    // Moved as a docset: onto the next match, whatever came before.
                    let next = scorer.seek(doc);
                    let expected = matches.range(doc..).next();
                    assert_eq!(next, expected.map_or(TERMINATED, |(d, _)| *d), "{a} {b}");
                    if let Some((_, score)) = expected {
                        assert_eq!(scorer.score(), *score, "{a} {b} #{next}");
                    }
                    doc = next.saturating_add(1);
                    checked.1 += 1;
                    continue;
                }
                match scorer.seek_danger(doc) {
                    SeekDangerResult::Found => {
                        assert_eq!(Some(&scorer.score()), matches.get(&doc), "{a} {b} #{doc}");
                        checked.0 += 1;
                    }
                    SeekDangerResult::SeekLowerBound(bound) => {
                        assert!(bound > doc, "{a} {b} #{doc}: bound {bound}");
                        assert_eq!(matches.range(doc..bound).next(), None, "{a} {b} #{doc}");
                    }
                }
                doc += 1;
            }
            // An intersection that runs out asks for the end itself.
            assert_eq!(
                scorer.seek_danger(TERMINATED),
                SeekDangerResult::SeekLowerBound(TERMINATED)
            );
            assert_eq!(scorer.doc(), TERMINATED);
        }
        assert!(checked.0 > 10 && checked.1 > 10, "{checked:?}");
    }
}
