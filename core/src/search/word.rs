//! Query nodes that score as tantivy's own compositions do, with less work: a word of
//! the query in every field ([`WordQuery`]), and optional clauses added up
//! ([`SumQuery`]).
//!
//! The ranking of a word is: per field, the sum of its alternatives' BM25 scores (each
//! boosted by the field's weight times the alternative's); over the fields, the best
//! field's score plus [`FIELD_TIE_BREAKER`](super::build::FIELD_TIE_BREAKER) of the
//! others'. Built from tantivy's nodes (a disjunction-max of per-field boolean unions of
//! boosted term queries), that costs, for every word, a weight per term with three
//! lookups of the term and an explanation allocated for each, two layers of boxed
//! weights and scorers, and two levels of buffered unions, each building a window of
//! 4,096 score slots and filling it ahead of what the query above asks: most of the
//! work of a query whose words are in a few hundred articles. [`WordQuery`] scores the
//! same sums in the same order with one lookup of each term per weight and one per
//! segment, one field-norm reader per field, and a lazy merge of the few postings lists;
//! phrase boosts (a phrase in the best of the positional fields) are [`WordQuery`]s of
//! phrases. Dense words keep tantivy's nodes, which add up long lists faster (ADR 23).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, BoostQuery, DisjunctionMaxQuery,
    EnableScoring, Explanation, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

use super::build::FIELD_TIE_BREAKER;

/// What an alternative of a word is in one field: a term, or a phrase (from the
/// thesaurus: "morning after pill" for "emergency contraception").
#[derive(Clone, Debug)]
pub(super) enum Target {
    /// One stem.
    Term(Term),
    /// Several stems in order, next to each other.
    Phrase(PhraseQuery),
}

/// A word's alternatives in one field, each with its boost.
#[derive(Clone, Debug)]
pub(super) struct FieldAlts {
    /// The field searched.
    pub(super) field: Field,
    /// The alternatives, in the order their scores are added up.
    pub(super) alts: Vec<(Target, Score)>,
}

/// A word in every field: scores as a disjunction-max (tie-breaker
/// [`FIELD_TIE_BREAKER`]) of the per-field sums of its alternatives.
#[derive(Clone, Debug)]
pub(super) struct WordQuery {
    /// One entry per field, in the order their scores are combined.
    pub(super) fields: Vec<FieldAlts>,
}

/// A word whose postings lists hold more than one entry per this many articles is left
/// to tantivy's own nodes: merging lists document by document costs a scan of every
/// list per document, where tantivy's buffered unions add each list up in a window of
/// 4,096 documents at a time (measured under callgrind: common words and prefixes of
/// two letters took 1.5-2 times the instructions merged).
const DENSE_SHARE: u64 = 8;

/// An alternative found in the index: its target, boost and document frequency (0 for
/// a phrase, which has none of its own).
type Found<'a> = (&'a Target, Score, u64);

impl WordQuery {
    /// The same word as tantivy's own nodes: a disjunction-max of per-field unions of
    /// boosted terms and phrases.
    fn nested(fields: &[FieldAlts]) -> Box<dyn Query> {
        let per_field = fields
            .iter()
            .map(|part| {
                let should = part
                    .alts
                    .iter()
                    .map(|(target, boost)| {
                        let q: Box<dyn Query> = match target {
                            Target::Term(t) => {
                                Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs))
                            }
                            Target::Phrase(p) => Box::new(p.clone()),
                        };
                        (
                            Occur::Should,
                            Box::new(BoostQuery::new(q, *boost)) as Box<dyn Query>,
                        )
                    })
                    .collect();
                Box::new(BooleanQuery::new(should)) as Box<dyn Query>
            })
            .collect();
        Box::new(DisjunctionMaxQuery::with_tie_breaker(
            per_field,
            FIELD_TIE_BREAKER,
        ))
    }

    /// The weight, merged by [`WordScorer`] or, for a dense word (`merge_dense` false),
    /// by tantivy's nodes.
    fn weight_of(
        &self,
        scoring: EnableScoring<'_>,
        merge_dense: bool,
    ) -> tantivy::Result<Box<dyn Weight>> {
        let (searcher, stats) = match scoring {
            EnableScoring::Enabled {
                searcher,
                statistics_provider,
            } => (searcher, statistics_provider),
            // Counting only: rare, and tantivy's nodes skip the scores.
            EnableScoring::Disabled { .. } => return Self::nested(&self.fields).weight(scoring),
        };
        // Statistics shared by several packs sum every pack's lookups: a term this pack
        // lacks is left out before they are asked (with a pack's own statistics, the
        // one lookup does both).
        let shared = !std::ptr::addr_eq(stats, searcher);
        // The alternatives found in the index, with their document frequencies.
        let mut found: Vec<(&FieldAlts, Vec<Found>)> = Vec::new();
        let mut postings = 0u64;
        for part in &self.fields {
            let mut alts = Vec::with_capacity(part.alts.len());
            for (target, boost) in &part.alts {
                let doc_freq = match target {
                    Target::Term(term) if shared && searcher.doc_freq(term)? == 0 => continue,
                    Target::Term(term) => stats.doc_freq(term)?,
                    Target::Phrase(_) => 0,
                };
                if doc_freq == 0 && matches!(target, Target::Term(_)) {
                    // Matches nothing anywhere, and scores nothing.
                    continue;
                }
                postings += doc_freq;
                alts.push((target, *boost, doc_freq));
            }
            if !alts.is_empty() {
                found.push((part, alts));
            }
        }
        let docs = stats.total_num_docs()?;
        if !merge_dense && postings.saturating_mul(DENSE_SHARE) > docs {
            let kept: Vec<FieldAlts> = found
                .iter()
                .map(|(part, alts)| FieldAlts {
                    field: part.field,
                    alts: alts.iter().map(|(t, b, _)| ((*t).clone(), *b)).collect(),
                })
                .collect();
            // Tantivy's weights ask again for what was just looked up: with the
            // statistics of several packs, each answer sums a lookup in every pack.
            let known = Known {
                stats,
                docs,
                tokens: found
                    .iter()
                    .map(|(part, _)| Ok((part.field, stats.total_num_tokens(part.field)?)))
                    .collect::<tantivy::Result<_>>()?,
                doc_freqs: found
                    .iter()
                    .flat_map(|(_, alts)| alts.iter())
                    .filter_map(|(t, _, n)| match t {
                        Target::Term(term) => Some((term, *n)),
                        Target::Phrase(_) => None,
                    })
                    .collect(),
            };
            return Self::nested(&kept).weight(EnableScoring::Enabled {
                searcher,
                statistics_provider: &known,
            });
        }
        let mut fields = Vec::with_capacity(found.len());
        for (part, alts) in found {
            let average = stats.total_num_tokens(part.field)? as Score / docs as Score;
            let mut weighted = Vec::with_capacity(alts.len());
            for (target, boost, doc_freq) in alts {
                weighted.push(match target {
                    Target::Term(term) => (
                        Weighted::Term(
                            term.clone(),
                            Bm25Weight::for_one_term_without_explain(doc_freq, docs, average),
                        ),
                        boost,
                    ),
                    Target::Phrase(phrase) => (Weighted::Other(phrase.weight(scoring)?), boost),
                });
            }
            fields.push((part.field, weighted));
        }
        Ok(Box::new(WordWeight { fields }))
    }
}

/// Statistics already looked up, answered again without asking the provider.
struct Known<'a> {
    stats: &'a dyn Bm25StatisticsProvider,
    docs: u64,
    tokens: Vec<(Field, u64)>,
    doc_freqs: Vec<(&'a Term, u64)>,
}

impl Bm25StatisticsProvider for Known<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.tokens.iter().find(|(f, _)| *f == field) {
            Some((_, n)) => Ok(*n),
            None => self.stats.total_num_tokens(field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match self.doc_freqs.iter().find(|(t, _)| *t == term) {
            Some((_, n)) => Ok(*n),
            None => self.stats.doc_freq(term),
        }
    }
}

impl Query for WordQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        self.weight_of(scoring, false)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for part in &self.fields {
            for (target, _) in &part.alts {
                match target {
                    Target::Term(term) => visitor(term, false),
                    Target::Phrase(phrase) => phrase.query_terms(visitor),
                }
            }
        }
    }
}

/// An alternative ready to score: a term with its BM25 weight, or a phrase's own weight.
enum Weighted {
    Term(Term, Bm25Weight),
    Other(Box<dyn Weight>),
}

/// The weight of a [`WordQuery`] merged by [`WordScorer`]: per field, the alternatives
/// found in the index.
struct WordWeight {
    fields: Vec<(Field, Vec<(Weighted, Score)>)>,
}

impl WordWeight {
    fn word_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<WordScorer> {
        let mut children = Vec::new();
        for (slot, (field, alts)) in self.fields.iter().enumerate() {
            let index = reader.inverted_index(*field)?;
            let mut norms: Option<FieldNormReader> = None;
            for (weighted, alt_boost) in alts {
                let boost = boost * alt_boost;
                let scorer = match weighted {
                    Weighted::Term(term, bm25) => {
                        let Some(info) = index.get_term_info(term)? else {
                            continue;
                        };
                        let postings = index
                            .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                        let norms = match &norms {
                            Some(n) => n.clone(),
                            None => norms.insert(field_norms(reader, *field)?).clone(),
                        };
                        ListScorer::Term {
                            postings,
                            norms,
                            bm25: bm25.boost_by(boost),
                        }
                    }
                    Weighted::Other(weight) => ListScorer::Other(weight.scorer(reader, boost)?),
                };
                if scorer.doc() != TERMINATED {
                    children.push(Child {
                        field: slot,
                        scorer,
                    });
                }
            }
        }
        Ok(WordScorer::new(
            children,
            reader.max_doc(),
            Combine::BestField,
        ))
    }
}

/// The field's norms (a constant when the field keeps none, as tantivy's term weight
/// does).
fn field_norms(reader: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(reader
        .fieldnorms_readers()
        .get_field(field)?
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)))
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.word_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.word_scorer(reader, 1.0)?;
        explained(
            &mut scorer,
            doc,
            "a word in its best field, plus a share of the others",
        )
    }
}

/// One postings list of a word, with the field (its rank in the word's fields) it
/// counts for.
struct Child {
    field: usize,
    scorer: ListScorer,
}

/// A term's postings, scored by BM25 as tantivy's term scorer does, or a phrase's
/// scorer.
// A term's postings hold their decoded block inline (about 2 kB): the children live in
// one vector, and a box would put a pointer between the merge and every posting.
#[allow(clippy::large_enum_variant)]
enum ListScorer {
    Term {
        postings: SegmentPostings,
        norms: FieldNormReader,
        bm25: Bm25Weight,
    },
    Other(Box<dyn Scorer>),
}

impl ListScorer {
    #[inline]
    fn doc(&self) -> DocId {
        match self {
            ListScorer::Term { postings, .. } => postings.doc(),
            ListScorer::Other(s) => s.doc(),
        }
    }

    #[inline]
    fn advance(&mut self) -> DocId {
        match self {
            ListScorer::Term { postings, .. } => postings.advance(),
            ListScorer::Other(s) => s.advance(),
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        match self {
            ListScorer::Term { postings, .. } => postings.seek(target),
            ListScorer::Other(s) => s.seek(target),
        }
    }

    #[inline]
    fn score(&mut self) -> Score {
        match self {
            ListScorer::Term {
                postings,
                norms,
                bm25,
            } => bm25.score(norms.fieldnorm_id(postings.doc()), postings.term_freq()),
            ListScorer::Other(s) => s.score(),
        }
    }

    fn size_hint(&self) -> u32 {
        match self {
            ListScorer::Term { postings, .. } => postings.size_hint(),
            ListScorer::Other(s) => s.size_hint(),
        }
    }

    fn cost(&self) -> u64 {
        match self {
            ListScorer::Term { postings, .. } => postings.cost(),
            ListScorer::Other(s) => s.cost(),
        }
    }
}

/// The union of a word's postings lists, positioned on the smallest of their documents.
/// How a [`WordScorer`] adds up its slots' scores.
#[derive(Clone, Copy)]
enum Combine {
    /// The best slot, plus [`FIELD_TIE_BREAKER`] of the others (the slots are fields).
    BestField,
    /// All of them (the slots are the clauses of a [`SumQuery`]).
    Sum,
}

struct WordScorer {
    children: Vec<Child>,
    combine: Combine,
    /// Each child's current document (kept apart for a quick scan).
    docs: Vec<DocId>,
    doc: DocId,
    cost: u64,
    size_hint: u32,
}

impl WordScorer {
    fn new(children: Vec<Child>, max_doc: u32, combine: Combine) -> WordScorer {
        let docs: Vec<DocId> = children.iter().map(|c| c.scorer.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        let cost = children.iter().map(|c| c.scorer.cost()).sum();
        let size_hint = union_size(children.iter().map(|c| c.scorer.size_hint()), max_doc);
        WordScorer {
            children,
            combine,
            docs,
            doc,
            cost,
            size_hint,
        }
    }

    fn settle(&mut self) -> DocId {
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

/// How many documents a union of lists of these sizes holds, assuming they are spread
/// independently (tantivy's own estimate: a list's chance, times 0.8 for words found
/// together more often than chance).
fn union_size(sizes: impl Iterator<Item = u32>, max_doc: u32) -> u32 {
    if max_doc == 0 {
        return 0;
    }
    let missed: f64 = sizes
        .map(|size| 1.0 - 0.8 * f64::from(size) / f64::from(max_doc))
        .product();
    (f64::from(max_doc) * (1.0 - missed))
        .round()
        .min(f64::from(max_doc)) as u32
}

impl DocSet for WordScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        for (child, doc) in self.children.iter_mut().zip(self.docs.iter_mut()) {
            if *doc == current {
                *doc = child.scorer.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (child, doc) in self.children.iter_mut().zip(self.docs.iter_mut()) {
            if *doc < target {
                *doc = child.scorer.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.size_hint
    }

    fn cost(&self) -> u64 {
        self.cost
    }
}

impl Scorer for WordScorer {
    /// Added up in the order tantivy's nodes add them: the alternatives of each field,
    /// then the fields into the best and the sum of all.
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let (mut best, mut sum): (Score, Score) = (0.0, 0.0);
        let mut field = usize::MAX;
        let mut partial: Score = 0.0;
        for (child, &at) in self.children.iter_mut().zip(self.docs.iter()) {
            if at != doc {
                continue;
            }
            if child.field != field {
                if field != usize::MAX {
                    best = best.max(partial);
                    sum += partial;
                }
                field = child.field;
                partial = 0.0;
            }
            partial += child.scorer.score();
        }
        if field != usize::MAX {
            best = best.max(partial);
            sum += partial;
        }
        match self.combine {
            Combine::BestField => best + (sum - best) * FIELD_TIE_BREAKER,
            Combine::Sum => sum,
        }
    }
}

/// Optional clauses added up, as a boolean query of `Should` clauses scores them, but
/// evaluated only where the query above asks: a boolean union fills a window of 4,096
/// documents ahead, matching every phrase boost in it, though the required words keep
/// only a few of those documents.
#[derive(Debug)]
pub(super) struct SumQuery(pub(super) Vec<Box<dyn Query>>);

impl Clone for SumQuery {
    fn clone(&self) -> Self {
        SumQuery(self.0.iter().map(|q| q.box_clone()).collect())
    }
}

impl Query for SumQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .0
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(SumWeight(weights)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.0 {
            q.query_terms(visitor);
        }
    }
}

struct SumWeight(Vec<Box<dyn Weight>>);

impl SumWeight {
    fn sum_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<WordScorer> {
        let mut children = Vec::with_capacity(self.0.len());
        for (slot, weight) in self.0.iter().enumerate() {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                children.push(Child {
                    field: slot,
                    scorer: ListScorer::Other(scorer),
                });
            }
        }
        Ok(WordScorer::new(children, reader.max_doc(), Combine::Sum))
    }
}

impl Weight for SumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.sum_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.sum_scorer(reader, 1.0)?;
        explained(&mut scorer, doc, "the optional clauses found, added up")
    }
}

/// `scorer`'s score of `doc` as an explanation, or the error for a document it misses.
fn explained(
    scorer: &mut WordScorer,
    doc: DocId,
    what: &'static str,
) -> tantivy::Result<Explanation> {
    if scorer.doc() > doc || scorer.seek(doc) != doc {
        return Err(TantivyError::InvalidArgument(format!(
            "document #{doc} does not match"
        )));
    }
    Ok(Explanation::new(what, scorer.score()))
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};

    use super::*;
    use crate::search::build::{phrase_boost, word_query};
    use crate::search::plan::Alt;

    /// The word merged by [`WordScorer`] whatever its density.
    #[derive(Clone, Debug)]
    struct Merged(WordQuery);

    impl Query for Merged {
        fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
            self.0.weight_of(scoring, true)
        }
    }

    fn word(alts: &[(&str, f32)], analyzers: &mut crate::index::Analyzers) -> Vec<Alt> {
        alts.iter()
            .map(|(text, weight)| Alt {
                stems: analyzers.stems(text),
                weight: *weight,
            })
            .collect()
    }

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

    #[test]
    fn a_word_scores_exactly_as_tantivys_own_nodes_score_it() {
        let bundle = crate::search::mixed_bundle(600, 11);
        let searcher = bundle.reader().searcher();
        let fields = bundle.fields().weighted();
        let positional: Vec<(Field, f32)> = fields
            .iter()
            .copied()
            .filter(|(f, _)| *f != bundle.fields().tags)
            .collect();
        let mut analyzers = bundle.analyzers();
        // Words as the planner makes them: exact, completions, corrections, a thesaurus
        // phrase, a stem found nowhere.
        let words = [
            word(&[("consent", 1.0)], &mut analyzers),
            word(
                &[("consent", 1.0), ("consensus", 0.5), ("zzqxv", 0.4)],
                &mut analyzers,
            ),
            word(
                &[
                    ("contraception", 1.0),
                    ("emergency contraception", 0.7),
                    ("pill", 0.35),
                ],
                &mut analyzers,
            ),
            word(&[("boundaries", 1.0), ("boundary", 0.9)], &mut analyzers),
            word(&[("the", 1.0)], &mut analyzers),
            word(&[("zzqxv", 1.0)], &mut analyzers),
        ];
        let phrase = &words[2][1];
        assert_eq!(phrase.stems.len(), 2);
        let phrase_hits = searcher
            .search(
                &word_query(std::slice::from_ref(phrase), &fields, &positional),
                &Count,
            )
            .unwrap();
        assert!(phrase_hits > 0, "the phrase alternative matches somewhere");
        // Each word three ways: merged by WordScorer, as `WordQuery` chooses for its
        // density, and as tantivy's own nodes (the reference).
        let three = |alts: &[Alt]| -> [Box<dyn Query>; 3] {
            let q = word_query(alts, &fields, &positional);
            let word = q.downcast_ref::<WordQuery>().expect("a WordQuery").clone();
            [
                Box::new(Merged(word.clone())),
                q,
                WordQuery::nested(&word.fields),
            ]
        };
        // A phrase boost: the words of a query close together, in the best field.
        let near = phrase_boost(&["consent", "withdraw"], 3, &positional, 3.0);
        let near = near.downcast_ref::<WordQuery>().unwrap().clone();
        let near_nodes = WordQuery::nested(&near.fields);
        assert!(
            searcher.search(&near, &Count).unwrap() > 0,
            "the boost matches"
        );
        assert_eq!(
            all_scored(&searcher, &near),
            all_scored(&searcher, near_nodes.as_ref())
        );
        // Phrase boosts added to a word's matches: one lazy sum, or tantivy's union.
        let whole = phrase_boost(&["withdraw", "consent"], 0, &positional, 6.0);
        let whole_nodes = WordQuery::nested(&whole.downcast_ref::<WordQuery>().unwrap().fields);
        let [_, consent, _] = three(&words[0]);
        let summed = BooleanQuery::new(vec![
            (Occur::Must, consent.box_clone()),
            (
                Occur::Should,
                Box::new(SumQuery(vec![Box::new(near.clone()), whole])),
            ),
        ]);
        let unioned = BooleanQuery::new(vec![
            (Occur::Must, consent),
            (Occur::Should, near_nodes),
            (Occur::Should, whole_nodes),
        ]);
        let boosted = all_scored(&searcher, &summed);
        assert_eq!(boosted, all_scored(&searcher, &unioned));
        let plain = all_scored(&searcher, three(&words[0])[2].as_ref());
        assert_ne!(boosted, plain, "the boosts change some scores");
        let mut compared = 0;
        for alts in &words {
            let [merged, chosen, nodes] = three(alts);
            let expected = all_scored(&searcher, nodes.as_ref());
            assert_eq!(all_scored(&searcher, merged.as_ref()), expected, "{alts:?}");
            assert_eq!(all_scored(&searcher, chosen.as_ref()), expected, "{alts:?}");
            assert_eq!(
                searcher.search(chosen.as_ref(), &Count).unwrap(),
                expected.len(),
                "{alts:?}: counted without scores"
            );
            compared += expected.len();
            // Boosted from above (an optional word), and beside another word.
            let boosted = |q: &dyn Query| Box::new(BoostQuery::new(q.box_clone(), 0.3));
            assert_eq!(
                all_scored(&searcher, boosted(merged.as_ref()).as_ref()),
                all_scored(&searcher, boosted(nodes.as_ref()).as_ref()),
                "{alts:?}, boosted"
            );
            for other in &words[..2] {
                let [other_merged, _, other_nodes] = three(other);
                let both = |a: &dyn Query, b: Box<dyn Query>| {
                    BooleanQuery::new(vec![(Occur::Must, a.box_clone()), (Occur::Must, b)])
                };
                assert_eq!(
                    all_scored(&searcher, &both(merged.as_ref(), other_merged)),
                    all_scored(&searcher, &both(nodes.as_ref(), other_nodes)),
                    "{alts:?} with another word"
                );
            }
        }
        assert!(compared > 500, "the words match: {compared} scored matches");
    }
}
