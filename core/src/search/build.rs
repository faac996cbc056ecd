//! Query building: a plan turned into tantivy queries. Each word or phrase is searched
//! in every field, the best field counting most; the words as typed and close together
//! earn phrase and proximity boosts, the costly ones kept apart for rescoring.

use std::sync::Arc;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::Searcher;
use super::exclusion;
use super::merge::SumQuery;
use super::pair::PairQuery;
use super::plan::{Alt, Need, Plan};
use super::word::{FieldAlts, Target, WordQuery};
use crate::bundle::Positions;

/// Share of a word's score in its other fields added to its best field's.
pub(super) const FIELD_TIE_BREAKER: f32 = 0.2;
/// Weight of all the words of the query found as typed, next to each other.
const WHOLE_PHRASE_BOOST: f32 = 6.0;
/// Weight of all the words of the query in order with a few words between them.
const NEAR_PHRASE_BOOST: f32 = 3.0;
const NEAR_SLOP: u32 = 3;
/// A phrase boost scores every match when its rarest word is in at most one article in
/// this many (or in at most [`CHEAP_PHRASE_MIN_DOCS`]); otherwise only the rescored best.
const CHEAP_PHRASE_SHARE: u64 = 10;
const CHEAP_PHRASE_MIN_DOCS: u64 = 500;
/// Longest query whose words are also searched as one phrase.
const MAX_PHRASE_BOOST_WORDS: usize = 8;
/// Weight of two required neighbours found close together, and how close.
const PROXIMITY_BOOST: f32 = 1.0;
const PROXIMITY_SLOP: u32 = 2;
/// A required word leads the others when it is in at most one article in this many
/// (callgrind, 10k articles: from 8 to 3, two-word queries of generated text went from
/// 2% to 4% fewer instructions than with no leader, real text from 2% to 6%).
const LEADER_SHARE: u64 = 3;
/// Weight of optional words ("the", "how", "through"…) relative to the others.
const OPTIONAL_WEIGHT: f32 = 0.3;

/// How the clauses of a plan combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Every required clause must match.
    All,
    /// Any clause may match (the fallback when no article has them all).
    Any,
}

/// A query in two parts: `base` decides what matches and scores the words (and the
/// phrase boosts that are cheap to evaluate everywhere); `boosts` are the costly phrase
/// and proximity boosts, each a set of per-field queries combined by disjunction-max
/// (or, for the boosts of a pair of stems, one [`PairQuery`] for all the fields), that
/// only add to the score of the best matches.
pub(super) struct Built {
    pub(super) base: Box<dyn Query>,
    pub(super) boosts: Vec<Vec<Box<dyn Query>>>,
}

impl Built {
    /// Base and boosts as one query, scoring every match as the ranking does the best.
    pub(super) fn combined(&self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.base.box_clone())];
        for parts in &self.boosts {
            clauses.push((
                Occur::Should,
                best_field(parts.iter().map(|q| q.box_clone()).collect()),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

impl Searcher<'_> {
    /// Builds the tantivy query for `plan` over every searched field.
    pub(super) fn build(&self, plan: &Plan, mode: Mode, tags: &[String]) -> Built {
        self.build_on(plan, mode, tags, &self.bundle.fields().weighted())
    }

    /// Builds the tantivy query for `plan` over `fields` (with their weights).
    pub(super) fn build_on(
        &self,
        plan: &Plan,
        mode: Mode,
        tags: &[String],
        fields: &[(Field, f32)],
    ) -> Built {
        let positional: Vec<(Field, f32)> = fields
            .iter()
            .copied()
            .filter(|(f, _)| *f != self.bundle.fields().tags && *f != self.bundle.fields().tag)
            .collect();
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut outer: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let leader = self.leader(plan, mode);
        for (i, c) in plan.clauses.iter().enumerate() {
            let q = match &c.need {
                Need::Word(alts) if leader.is_some_and(|l| l != i) => {
                    let mut q = word_query(alts, fields, &positional);
                    if let Some(w) = q.downcast_mut::<WordQuery>() {
                        w.follows = true;
                    }
                    q
                }
                Need::Word(alts) => word_query(alts, fields, &positional),
                Need::Phrase(stems) => phrase_query(stems, &positional, self.bundle.positions()),
                Need::Run { words, expansions } => {
                    let all: Vec<(Occur, Box<dyn Query>)> = words
                        .iter()
                        .map(|w| (Occur::Must, word_query(w, fields, &positional)))
                        .collect();
                    Box::new(BooleanQuery::new(vec![
                        (
                            Occur::Should,
                            Box::new(BooleanQuery::new(all)) as Box<dyn Query>,
                        ),
                        (Occur::Should, word_query(expansions, fields, &positional)),
                    ]))
                }
            };
            if c.negated {
                outer.push((Occur::MustNot, Box::new(exclusion::SafeExclusion(q))));
                continue;
            }
            let occur = match mode {
                Mode::All if c.required() => Occur::Must,
                _ => Occur::Should,
            };
            let q = if c.optional {
                Box::new(BoostQuery::new(q, OPTIONAL_WEIGHT))
            } else {
                q
            };
            words.push((occur, q));
        }
        if words.is_empty() {
            return Built {
                base: Box::new(EmptyQuery),
                boosts: Vec::new(),
            };
        }
        // Phrase and proximity boosts. Matching positions is the costly part of a search,
        // so a boost scores every match only when its rarest word is in few articles;
        // otherwise it rescores the best matches (see `run_ranked`).
        let searcher = &self.index;
        let cheap_limit = (searcher.num_docs() / CHEAP_PHRASE_SHARE).max(CHEAP_PHRASE_MIN_DOCS);
        let body = self.bundle.fields().body;
        let mut boosts: Vec<Vec<Box<dyn Query>>> = Vec::new();
        let mut cheap: Vec<Box<dyn Query>> = Vec::new();
        // Each boost is a distance and a weight; the boosts of one pair of stems are
        // one node.
        let mut add = |stems: &[&str], each: &[(u32, f32)]| {
            let rarest = stems
                .iter()
                .map(|s| {
                    searcher
                        .doc_freq(&Term::from_field_text(body, s))
                        .unwrap_or(u64::MAX)
                })
                .min()
                .unwrap_or(u64::MAX);
            match stems {
                &[a, b] => {
                    // Not walked: a boost is mostly asked about the few candidates
                    // being rescored, which seeking reaches without reading the rest.
                    let pair = Box::new(PairQuery::new([a, b], each, &positional, None));
                    if rarest <= cheap_limit {
                        cheap.push(pair);
                    } else {
                        boosts.push(vec![pair]);
                    }
                }
                _ if rarest <= cheap_limit => cheap.extend(
                    each.iter()
                        .map(|&(slop, weight)| phrase_boost(stems, slop, &positional, weight)),
                ),
                _ => boosts.extend(
                    each.iter()
                        .map(|&(slop, weight)| phrase_parts(stems, slop, &positional, weight)),
                ),
            }
        };
        // The words as typed, standing together, rank highest...
        let run: Vec<&str> = plan.sequence.iter().map(|(s, _)| s.as_str()).collect();
        let required: Vec<&str> = plan
            .sequence
            .iter()
            .filter(|(_, opt)| !opt)
            .map(|(s, _)| s.as_str())
            .collect();
        // Two words typed alone are their own only pair: "close together" would nearly
        // repeat "nearly together" at the cost of one more phrase match per field, so
        // the near boost carries both weights.
        let run_is_the_pair = run.len() == 2 && required == run;
        if (2..=MAX_PHRASE_BOOST_WORDS).contains(&run.len()) {
            let near = if run_is_the_pair {
                NEAR_PHRASE_BOOST + PROXIMITY_BOOST
            } else {
                NEAR_PHRASE_BOOST
            };
            add(&run, &[(0, WHOLE_PHRASE_BOOST), (NEAR_SLOP, near)]);
        }
        // ...then required words typed next to each other found close together.
        if !run_is_the_pair {
            let mut pairs: Vec<[&str; 2]> = required.windows(2).map(|p| [p[0], p[1]]).collect();
            pairs.retain(|[a, b]| a != b);
            pairs.dedup();
            for pair in pairs {
                add(&pair, &[(PROXIMITY_SLOP, PROXIMITY_BOOST)]);
            }
        }
        if !cheap.is_empty() {
            outer.push((Occur::Should, Box::new(SumQuery(cheap))));
        }
        outer.push((Occur::Must, Box::new(BooleanQuery::new(words))));
        outer.extend(self.tag_filters(tags));
        Built {
            base: Box::new(BooleanQuery::new(outer)),
            boosts,
        }
    }

    /// The required word that leads the intersection of an all-words query, when it is
    /// rare enough (one article in [`LEADER_SHARE`] or fewer) that the other required
    /// words are best sought only on its articles: the word with the fewest postings in
    /// the body, counting its alternatives.
    fn leader(&self, plan: &Plan, mode: Mode) -> Option<usize> {
        if mode != Mode::All {
            return None;
        }
        let body = self.bundle.fields().body;
        let words: Vec<(usize, &Vec<Alt>)> = plan
            .clauses
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match &c.need {
                Need::Word(alts) if c.required() => Some((i, alts)),
                _ => None,
            })
            .collect();
        if words.len() < 2 {
            return None;
        }
        let mut sizes: Vec<(u64, usize)> = Vec::with_capacity(words.len());
        for (i, alts) in words {
            let postings: u64 = alts
                .iter()
                .filter_map(|a| match a.stems.as_slice() {
                    [stem] => self.index.doc_freq(&Term::from_field_text(body, stem)).ok(),
                    _ => None,
                })
                .sum();
            sizes.push((postings, i));
        }
        let (fewest, leader) = sizes.iter().copied().min()?;
        (fewest.saturating_mul(LEADER_SHARE) <= self.index.num_docs()).then_some(leader)
    }

    fn tag_filters(&self, tags: &[String]) -> Vec<(Occur, Box<dyn Query>)> {
        tags.iter()
            .map(|t| {
                let tq = TermQuery::new(
                    Term::from_field_text(self.bundle.fields().tag, t),
                    IndexRecordOption::Basic,
                );
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(tq), 0.0)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// Every article carrying all of `tags`, unscored.
    pub(super) fn filter_only(&self, tags: &[String]) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(self.tag_filters(tags)))
    }
}

/// A word (with its alternatives) in any of `fields`: the best field counts fully, the
/// others a little ([`FIELD_TIE_BREAKER`]), so a word found everywhere does not drown a
/// word found once in the right place. Alternatives that are phrases (from the
/// thesaurus) are searched in the `positional` fields.
pub(super) fn word_query(
    alts: &[Alt],
    fields: &[(Field, f32)],
    positional: &[(Field, f32)],
) -> Box<dyn Query> {
    let fields = fields
        .iter()
        .map(|&(field, w)| FieldAlts {
            field,
            alts: alts
                .iter()
                .filter_map(|alt| {
                    let target = match alt.stems.as_slice() {
                        [stem] => Target::Term(Term::from_field_text(field, stem)),
                        stems if positional.iter().any(|(f, _)| *f == field) => {
                            let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
                            Target::Phrase(phrase_in(&stems, 0, field))
                        }
                        _ => return None,
                    };
                    Some((target, w * alt.weight))
                })
                .collect(),
        })
        .collect();
    Box::new(WordQuery {
        fields,
        follows: false,
    })
}

/// Per-field queries of one thing combined: the best field counts fully, the others
/// by [`FIELD_TIE_BREAKER`]. `run_ranked` adds rescored boosts up the same way.
pub(super) fn best_field(per_field: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(DisjunctionMaxQuery::with_tie_breaker(
        per_field,
        FIELD_TIE_BREAKER,
    ))
}

/// A quoted phrase in any of the positional `fields` (of the bundle with `positions`).
/// A "phrase" of one stem is a word.
fn phrase_query(
    stems: &[String],
    fields: &[(Field, f32)],
    positions: &Arc<Positions>,
) -> Box<dyn Query> {
    if stems.len() < 2 {
        let alts: Vec<Alt> = stems
            .iter()
            .map(|s| Alt {
                stems: vec![s.clone()],
                weight: 1.0,
            })
            .collect();
        return word_query(&alts, fields, fields);
    }
    match stems {
        [a, b] => Box::new(PairQuery::new([a, b], &[(0, 1.0)], fields, Some(positions))),
        _ => {
            let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
            phrase_boost(&stems, 0, fields, 1.0)
        }
    }
}

/// `stems` in order, at most `slop` positions apart, in the best of `fields`: scored as
/// [`best_field`] of [`phrase_parts`] would, by one node that evaluates a phrase only
/// where the query above asks for it.
pub(super) fn phrase_boost(
    stems: &[&str],
    slop: u32,
    fields: &[(Field, f32)],
    boost: f32,
) -> Box<dyn Query> {
    let fields = fields
        .iter()
        .map(|&(field, w)| FieldAlts {
            field,
            alts: vec![(Target::Phrase(phrase_in(stems, slop, field)), w * boost)],
        })
        .collect();
    Box::new(WordQuery {
        fields,
        follows: false,
    })
}

/// `stems` in order in `field`, at most `slop` positions apart.
fn phrase_in(stems: &[&str], slop: u32, field: Field) -> PhraseQuery {
    let terms = stems
        .iter()
        .enumerate()
        .map(|(i, s)| (i, Term::from_field_text(field, s)))
        .collect();
    PhraseQuery::new_with_offset_and_slop(terms, slop)
}

/// The per-field queries of [`phrase_boost`].
fn phrase_parts(
    stems: &[&str],
    slop: u32,
    fields: &[(Field, f32)],
    boost: f32,
) -> Vec<Box<dyn Query>> {
    fields
        .iter()
        .map(|&(field, w)| {
            let pq = phrase_in(stems, slop, field);
            Box::new(BoostQuery::new(Box::new(pq), w * boost)) as Box<dyn Query>
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query;

    /// The word in fewest articles leads an all-words query, when it is rare enough;
    /// a lone word, any-word queries and all-common words have no leader.
    #[test]
    fn the_rarest_required_word_leads() {
        let bundle = crate::search::mixed_bundle(2_000, 7);
        let b = Searcher::new(&bundle);
        let mut analyzers = bundle.analyzers();
        let body = bundle.fields().body;
        let docs = b.index.num_docs();
        let mut plan_of =
            |text: &str| b.plan(&query::parse(text, &mut analyzers), None, &mut analyzers);
        let in_body = |plan: &Plan, i: usize| match &plan.clauses[i].need {
            Need::Word(alts) => b
                .index
                .doc_freq(&Term::from_field_text(body, &alts[0].stems[0]))
                .unwrap(),
            _ => unreachable!(),
        };
        let plan = plan_of("sexual lubricant");
        let leader = b.leader(&plan, Mode::All).expect("a leader");
        let other = 1 - leader;
        assert!(in_body(&plan, leader) * LEADER_SHARE <= docs);
        assert!(
            in_body(&plan, leader) < in_body(&plan, other),
            "the rarer one leads"
        );
        assert_eq!(b.leader(&plan, Mode::Any), None, "no intersection to lead");
        assert_eq!(b.leader(&plan_of("lubricant"), Mode::All), None, "one word");
        let common = plan_of("sexual partner");
        assert!(
            (0..2).all(|i| in_body(&common, i) * LEADER_SHARE > docs),
            "both common"
        );
        assert_eq!(b.leader(&common, Mode::All), None);
    }
}
