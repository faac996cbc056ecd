//! Title suggestions while typing.

use super::build::Mode;
use super::query;
use super::snippet::Marker;
use super::{MAX_LIMIT, Searcher, TitleSuggestion};
use crate::Result;
use crate::error::guard;

impl Searcher<'_> {
    /// Titles matching what has been typed so far (the last word as a prefix), best first.
    pub fn suggest_titles(&self, text: &str, limit: usize) -> Result<Vec<TitleSuggestion>> {
        Ok(self
            .suggest_scored(text, limit)?
            .into_iter()
            .map(|(_, t)| t)
            .collect())
    }

    /// The title suggestions with their scores, best first.
    pub(super) fn suggest_scored(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<(f32, TitleSuggestion)>> {
        guard("title suggestions", || {
            let mut analyzers = self.bundle.analyzers();
            let parsed = query::parse(text, &mut analyzers);
            let plan = self.plan(&parsed, None, &mut analyzers);
            if plan.is_empty() || limit == 0 {
                return Ok(Vec::new());
            }
            let title = self.bundle.fields().title;
            let built = self.build_on(&plan, Mode::All, &[], &[(title, 1.0)]);
            let (top, _) = self.run_ranked(&built, limit.min(MAX_LIMIT), 0)?;
            let marker = Marker::new(plan.stems());
            let mut out = Vec::with_capacity(top.len());
            for (score, doc) in top {
                let meta = self.bundle.meta_at(doc.doc_id as usize)?;
                let found = marker.find(&meta.title, &mut analyzers);
                let highlights = found
                    .iter()
                    .map(|(r, _)| char_range(&meta.title, r.clone()))
                    .collect();
                out.push((
                    score,
                    TitleSuggestion {
                        pack: self.bundle.pack_id().to_string(),
                        id: meta.id,
                        title: meta.title,
                        highlights,
                    },
                ));
            }
            Ok(out)
        })
    }
}

/// Converts a byte range of `text` into a character range.
fn char_range(text: &str, r: std::ops::Range<usize>) -> (u32, u32) {
    let start = text[..r.start].chars().count() as u32;
    (start, start + text[r].chars().count() as u32)
}
