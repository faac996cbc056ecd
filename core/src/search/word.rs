//! A word of the query, with its alternatives, in every field, as one query node
//! ([`WordQuery`]) that scores as tantivy's own composition does, with less work.
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
//! segment, one field-norm reader per field, and a lazy merge of the few postings lists
//! (`merge.rs`, which also adds up the optional boosts of a query);
//! phrase boosts (a phrase in the best of the positional fields) are [`WordQuery`]s of
//! phrases. Dense words keep tantivy's nodes, which add up long lists faster (ADR 23).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, BoostQuery, EnableScoring, Explanation,
    Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Score, SegmentReader, TERMINATED, Term};

use super::build::best_field;
use super::merge::{Child, Combine, ListScorer, MergeScorer, explained};

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
/// [`FIELD_TIE_BREAKER`](super::build::FIELD_TIE_BREAKER)) of the per-field sums of its
/// alternatives.
#[derive(Clone, Debug)]
pub(super) struct WordQuery {
    /// One entry per field, in the order their scores are combined.
    pub(super) fields: Vec<FieldAlts>,
    /// Merged however dense: the word is required beside a rarer one, which leads the
    /// intersection, so this word is only sought on the few articles that one finds.
    pub(super) follows: bool,
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
        best_field(per_field)
    }

    /// The weight, merged by [`MergeScorer`] or, for a dense word (`merge_dense` false),
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
                    // A term found nowhere matches nothing, and scores nothing.
                    Target::Term(term) => match stats.doc_freq(term)? {
                        0 => continue,
                        n => n,
                    },
                    Target::Phrase(_) => 0,
                };
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
        self.weight_of(scoring, self.follows)
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

/// The weight of a [`WordQuery`] merged by [`MergeScorer`]: per field, the alternatives
/// found in the index.
struct WordWeight {
    fields: Vec<(Field, Vec<(Weighted, Score)>)>,
}

impl WordWeight {
    fn word_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<MergeScorer> {
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
        Ok(MergeScorer::new(
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

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};

    use super::*;
    use crate::search::build::{phrase_boost, word_query};
    use crate::search::merge::SumQuery;
    use crate::search::plan::Alt;

    /// The word merged by [`MergeScorer`] whatever its density.
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
        // Each word three ways: merged by MergeScorer, as `WordQuery` chooses for its
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
