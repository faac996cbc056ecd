//! A wrapper that makes any query safe to use as an exclusion (`-"a phrase"`).
//!
//! tantivy 0.27 excludes documents by calling `seek_danger` on the excluded query's
//! scorer. A phrase scorer forwards that call to its term intersection and assumes the
//! target is at or after its current document; but an exclusion scorer starts out
//! already positioned on its first match, and the first target can be earlier. Debug
//! builds then fail an assertion (found by `tests/search_props.rs` with queries like
//! `consent -"heck no"`), and release builds depend on what the intersection does with a
//! target behind it. This wrapper gives the excluded scorer tantivy's default
//! `seek_danger`, which only ever seeks forwards and compares documents.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

/// `inner`, matching the same documents, for use under `Occur::MustNot`.
#[derive(Debug)]
pub struct SafeExclusion(pub Box<dyn Query>);

impl Clone for SafeExclusion {
    fn clone(&self) -> Self {
        SafeExclusion(self.0.box_clone())
    }
}

impl Query for SafeExclusion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SafeWeight(self.0.weight(enable_scoring)?)))
    }
}

struct SafeWeight(Box<dyn Weight>);

impl Weight for SafeWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(SafeScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Forwards everything but `seek_danger`, which keeps the trait's forward-only default.
struct SafeScorer(Box<dyn Scorer>);

impl DocSet for SafeScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.0.doc() >= target {
            self.0.doc()
        } else {
            self.0.seek(target)
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for SafeScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
