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
//! tantivy's phrase scorer counts them (a two-term phrase: `count_adjacent` and
//! `count_within`), so the scores are the same, bit for bit.
//!
//! Where both stems are in most articles, each list is walked article by article
//! ([`Walk`]) and its positions read straight from the positions file, keeping their
//! offset as it goes: tantivy's list finds the offset on every read by adding up the
//! term frequencies before the article in its block, a loop of another length each
//! time, whose exit the processor mispredicts.

use std::sync::Arc;

use tantivy::directory::FileSlice;
use tantivy::error::DataCorruption;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::positions::PositionReader;
use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocId, DocSet, HasLen, Score, SeekDangerResult, SegmentReader, TERMINATED, TantivyError, Term,
};

use super::build::FIELD_TIE_BREAKER;
use crate::bundle::{Positions, read_vint};

/// A field's two lists are walked ([`Walk`]) when both stems are in at least one
/// article in this many: nearly every block of both lists is then read anyway.
const WALK_SHARE: u64 = 4;

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
            let common = u64::from(first.doc_freq.min(second.doc_freq)) * WALK_SHARE
                >= u64::from(reader.max_doc());
            let lists = match positions
                .filter(|_| common)
                .and_then(|p| p.file.open_read(fw.field))
            {
                Some(file) => {
                    let walk = |info: &TermInfo| -> tantivy::Result<Walk> {
                        Ok(Walk {
                            postings: index
                                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?,
                            positions: open_positions(&file, info)?,
                            offset: 0,
                        })
                    };
                    Lists::Walked(Box::new(Close::new(
                        [walk(&first)?, walk(&second)?],
                        widest,
                    )))
                }
                None => {
                    let seek = |info: &TermInfo| {
                        index.read_postings_from_terminfo(
                            info,
                            IndexRecordOption::WithFreqsAndPositions,
                        )
                    };
                    Lists::Sought(Box::new(Close::new(
                        [seek(&first)?, seek(&second)?],
                        widest,
                    )))
                }
            };
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

/// The two lists of a field, of one kind or the other: chosen once per call, so that
/// the loops inside work on one kind of list each. Boxed: each is a few kilobytes of
/// decoded blocks.
enum Lists {
    /// Tantivy's lists: they seek past blocks without a match.
    Sought(Box<Close<SegmentPostings>>),
    /// The lists of two common stems, walked.
    Walked(Box<Close<Walk>>),
}

/// Calls the same method of whichever kind of lists `$lists` holds.
macro_rules! either {
    ($lists:expr, $close:ident => $call:expr) => {
        match $lists {
            Lists::Sought($close) => $call,
            Lists::Walked($close) => $call,
        }
    };
}

impl Lists {
    fn doc(&self) -> DocId {
        either!(self, close => close.lists[0].current())
    }

    fn find(&mut self, target: DocId) -> DocId {
        either!(self, close => close.find(target))
    }

    fn at(&mut self, target: DocId) -> DocId {
        either!(self, close => close.at(target))
    }

    fn size_hint(&self) -> u32 {
        either!(self, close => close.lists[0].estimate().min(close.lists[1].estimate()))
    }

    /// The positions read in the current document: the first stem's one on, and the
    /// second's.
    fn positions(&self) -> (&[u32], &[u32]) {
        either!(self, close => (&close.first[..], &close.second[..]))
    }
}

/// Both stems' lists in one field, moved to documents where the stems stand within
/// `widest` of each other.
struct Close<L> {
    lists: [L; 2],
    widest: u32,
    /// Positions in the current document: the first stem's, one on (where the second
    /// would stand right after it), and the second's.
    first: Vec<u32>,
    second: Vec<u32>,
}

impl<L: Cursor> Close<L> {
    fn new(lists: [L; 2], widest: u32) -> Self {
        Close {
            lists,
            widest,
            first: Vec::new(),
            second: Vec::new(),
        }
    }

    /// Moves to the first document from `target` on where the stems stand within the
    /// widest distance, and returns it.
    fn find(&mut self, target: DocId) -> DocId {
        let mut doc = self.lists[0].seek_to(target);
        loop {
            if doc == TERMINATED {
                return TERMINATED;
            }
            let other = self.lists[1].seek_to(doc);
            if other != doc {
                doc = self.lists[0].seek_to(other);
                continue;
            }
            if self.stand_close() {
                return doc;
            }
            doc = self.lists[0].step();
        }
    }

    /// Whether the stems stand within the widest distance in document `target` itself,
    /// looking at no other document: `target` if so, else a bound below which the pair
    /// is nowhere from `target` on.
    fn at(&mut self, target: DocId) -> DocId {
        let first = self.lists[0].seek_to(target);
        let second = self.lists[1].seek_to(target);
        if first != target || second != target {
            return first.max(second).max(target + 1);
        }
        if self.stand_close() {
            target
        } else {
            target + 1
        }
    }

    /// Whether the stems stand within the widest distance in the document both lists
    /// are on, whose positions it reads.
    fn stand_close(&mut self) -> bool {
        self.lists[0].read_positions(1, &mut self.first);
        self.lists[1].read_positions(0, &mut self.second);
        if self.widest == 0 {
            count_adjacent(&self.first, &self.second) > 0
        } else {
            count_within(&self.first, &self.second, self.widest) > 0
        }
    }
}

/// A stem's postings in one field, with its positions.
trait Cursor {
    /// The current document.
    fn current(&self) -> DocId;
    /// Moves to the next document, and returns it.
    fn step(&mut self) -> DocId;
    /// Moves to the first document from `target` on (never back), and returns it.
    fn seek_to(&mut self, target: DocId) -> DocId;
    /// The list's length.
    fn estimate(&self) -> u32;
    /// The positions in the current document, each plus `shift`, into `out`.
    fn read_positions(&mut self, shift: u32, out: &mut Vec<u32>);
}

impl Cursor for SegmentPostings {
    fn current(&self) -> DocId {
        self.doc()
    }

    fn step(&mut self) -> DocId {
        self.advance()
    }

    fn seek_to(&mut self, target: DocId) -> DocId {
        let doc = self.doc();
        if doc >= target {
            doc
        } else {
            self.seek(target)
        }
    }

    fn estimate(&self) -> u32 {
        self.size_hint()
    }

    fn read_positions(&mut self, shift: u32, out: &mut Vec<u32>) {
        self.positions_with_offset(shift, out);
    }
}

/// A stem's positions in `file` (a field's part of the positions file), where its term
/// info says they are. Damage that would make tantivy's slicing panic (a range outside
/// the file, more blocks than bytes) is an error instead.
fn open_positions(file: &FileSlice, info: &TermInfo) -> tantivy::Result<PositionReader> {
    let range = info.positions_range.clone();
    let damaged = || {
        TantivyError::DataCorruption(DataCorruption::comment_only(
            "a term's positions are cut short or lie outside the positions file",
        ))
    };
    if range.start > range.end || range.end > file.len() {
        return Err(damaged());
    }
    let bytes = file.slice(range).read_bytes()?;
    // The data starts with its number of bit-packed blocks, one width byte each.
    let mut header = bytes.as_slice();
    match read_vint(&mut header) {
        Some(blocks) if blocks <= header.len() as u64 => {}
        _ => return Err(damaged()),
    }
    Ok(PositionReader::open(bytes)?)
}

/// A postings list walked one article at a time, keeping where the article's
/// positions start among the stem's (the term frequencies of the articles before it
/// added up), and reading them from the positions file itself.
struct Walk {
    /// Documents and term frequencies, without positions.
    postings: SegmentPostings,
    positions: PositionReader,
    /// Where the current article's positions start.
    offset: u64,
}

impl Cursor for Walk {
    fn current(&self) -> DocId {
        self.postings.doc()
    }

    fn step(&mut self) -> DocId {
        if self.postings.doc() == TERMINATED {
            return TERMINATED;
        }
        self.offset += u64::from(self.postings.term_freq());
        self.postings.advance()
    }

    fn seek_to(&mut self, target: DocId) -> DocId {
        let mut doc = self.postings.doc();
        while doc < target {
            doc = self.step();
        }
        doc
    }

    fn estimate(&self) -> u32 {
        self.postings.size_hint()
    }

    fn read_positions(&mut self, shift: u32, out: &mut Vec<u32>) {
        out.clear();
        out.resize(self.postings.term_freq() as usize, 0);
        self.positions.read(self.offset, out);
        // Stored as gaps from the previous position.
        let mut at = shift;
        for p in out.iter_mut() {
            at += *p;
            *p = at;
        }
    }
}

/// How many positions the two sorted lists share: the matches of a two-term phrase,
/// the first term's positions taken one on.
fn count_adjacent(first: &[u32], second: &[u32]) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while let (Some(&a), Some(&b)) = (first.get(i), second.get(j)) {
        if a < b {
            i += 1;
        } else if a > b {
            j += 1;
        } else {
            count += 1;
            i += 1;
            j += 1;
        }
    }
    count
}

/// The matches of a two-term phrase with `slop`, counted as tantivy's phrase scorer
/// counts them: walking both lists, a position of the second term within `slop` of the
/// first term's current one is a match, paired with the last position of the first
/// term not after it; both then move on.
fn count_within(first: &[u32], second: &[u32], slop: u32) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while let (Some(&a), Some(&b)) = (first.get(i), second.get(j)) {
        if a.abs_diff(b) <= slop {
            while first.get(i + 1).is_some_and(|&next| next <= b) {
                i += 1;
            }
            count += 1;
            i += 1;
            j += 1;
        } else if a < b {
            i += 1;
        } else {
            j += 1;
        }
    }
    count
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

    use super::*;

    #[test]
    fn matches_are_counted_as_a_two_term_phrase_counts_them() {
        // The first term's positions are taken one on: 4 and 8 stand for 3 and 7.
        assert_eq!(count_adjacent(&[4, 8, 20], &[4, 9, 20]), 2);
        assert_eq!(count_adjacent(&[], &[1]), 0);
        // Within 3 either way; each position of either list pairs once.
        assert_eq!(
            count_within(&[10], &[7, 12, 13], 3),
            1,
            "one first-term position"
        );
        assert_eq!(
            count_within(&[2, 3, 4], &[4], 3),
            1,
            "the last one not after it"
        );
        assert_eq!(count_within(&[2, 20], &[4, 22, 40], 3), 2);
        assert_eq!(count_within(&[2], &[9], 3), 0);
        assert_eq!(count_within(&[2], &[5], 3), 1);
        // 1 pairs with 3 by way of the first term's 3 (the last not after it), which
        // is then spent: 4 finds no partner.
        assert_eq!(count_within(&[1, 3], &[3, 4], 3), 1);
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
        let body = bundle.fields().body;
        let common = |text: &str, analyzers: &mut crate::index::Analyzers| {
            let term = Term::from_field_text(body, &stem(text, analyzers));
            searcher.doc_freq(&term).unwrap() * WALK_SHARE >= searcher.num_docs()
        };
        assert!(
            ["the", "and", "sex"]
                .iter()
                .all(|w| common(w, &mut analyzers)),
            "some pairs are walked in the body"
        );
    }

    /// A walk opens a stem's positions only where its term info and the data agree:
    /// a range past the file, or more bit-packed blocks than bytes, is an error, not a
    /// panic in tantivy's slicing. (Sound data, read and compared with tantivy's own
    /// lists, is the walked half of the tests above.)
    #[test]
    fn damaged_positions_are_an_error_for_a_walk() {
        let info = |positions_range| TermInfo {
            doc_freq: 1,
            postings_range: 0..0,
            positions_range,
        };
        let file = FileSlice::from(vec![0x85u8, 7, 0x82]);
        assert!(open_positions(&file, &info(2..10)).is_err(), "past the end");
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = info(2..1);
        assert!(open_positions(&file, &backwards).is_err(), "backwards");
        // 0x85: five blocks (a number's last byte has its high bit set), two bytes left.
        assert!(
            open_positions(&file, &info(0..3)).is_err(),
            "too many blocks"
        );
        // 0x82: two blocks, no byte left.
        assert!(
            open_positions(&file, &info(2..3)).is_err(),
            "blocks without bytes"
        );
        // No number at all.
        assert!(
            open_positions(&file, &info(1..2)).is_err(),
            "a number cut short"
        );
        // 0x80: no blocks, then the rest.
        assert!(open_positions(&FileSlice::from(vec![0x80u8, 0x82]), &info(0..2)).is_ok());
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
