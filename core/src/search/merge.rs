//! The lazy union under [`WordQuery`](super::word::WordQuery) and [`SumQuery`]: postings
//! lists and scorers merged document by document, each child scored only on the
//! documents the query above asks for, and the scores added up in tantivy's order.
//!
//! A buffered union in tantivy fills a window of 4,096 documents ahead (matching every
//! phrase, scoring every posting in it) and builds 4,096 score slots to do so; this
//! merge looks at every child for every document instead, which is cheaper for the
//! few, short lists of a rare word and dearer for long ones (ADR 23).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

use super::build::FIELD_TIE_BREAKER;

/// One postings list of a word, with the field (its rank in the word's fields) it
/// counts for.
pub(super) struct Child {
    pub(super) field: usize,
    pub(super) scorer: ListScorer,
}

/// A term's postings, scored by BM25 as tantivy's term scorer does, or a phrase's
/// scorer.
// A term's postings hold their decoded block inline (about 2 kB): the children live in
// one vector, and a box would put a pointer between the merge and every posting.
#[allow(clippy::large_enum_variant)]
pub(super) enum ListScorer {
    Term {
        postings: SegmentPostings,
        norms: FieldNormReader,
        bm25: Bm25Weight,
    },
    Other(Box<dyn Scorer>),
}

impl ListScorer {
    #[inline]
    pub(super) fn doc(&self) -> DocId {
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
/// How a [`MergeScorer`] adds up its slots' scores.
#[derive(Clone, Copy)]
pub(super) enum Combine {
    /// The best slot, plus [`FIELD_TIE_BREAKER`] of the others (the slots are fields).
    BestField,
    /// All of them (the slots are the clauses of a [`SumQuery`]).
    Sum,
}

pub(super) struct MergeScorer {
    children: Vec<Child>,
    combine: Combine,
    /// Each child's current document (kept apart for a quick scan).
    docs: Vec<DocId>,
    doc: DocId,
    cost: u64,
    size_hint: u32,
}

impl MergeScorer {
    pub(super) fn new(children: Vec<Child>, max_doc: u32, combine: Combine) -> MergeScorer {
        let docs: Vec<DocId> = children.iter().map(|c| c.scorer.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        let cost = children.iter().map(|c| c.scorer.cost()).sum();
        let size_hint = union_size(children.iter().map(|c| c.scorer.size_hint()), max_doc);
        MergeScorer {
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

impl DocSet for MergeScorer {
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

impl Scorer for MergeScorer {
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
    fn sum_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<MergeScorer> {
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
        Ok(MergeScorer::new(children, reader.max_doc(), Combine::Sum))
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
pub(super) fn explained(
    scorer: &mut MergeScorer,
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
