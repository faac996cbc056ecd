//! Related articles: the ones that share an article's most telling words.

use std::collections::HashMap;

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::words;
use super::{MAX_LIMIT, Related, Searcher};
use crate::error::guard;
use crate::{Error, Result};

impl Searcher<'_> {
    /// Articles about the same things as article `id`, closest first.
    pub fn related(&self, id: &str, limit: usize) -> Result<Vec<Related>> {
        guard("related articles", || {
            let ord = self
                .bundle
                .ord_of(id)?
                .ok_or_else(|| Error::ArticleNotFound(id.to_string()))?;
            let article = self.bundle.article_at(ord)?;
            let searcher = &self.index;
            let mut analyzers = self.bundle.analyzers();
            let n = searcher.num_docs().max(1) as f32;
            // Term weights: frequency in the article (title, tags and summary count
            // more) times rarity in the corpus.
            let mut tf: HashMap<String, f32> = HashMap::new();
            let weighted_texts: [(&str, f32); 4] = [
                (&article.meta.title, 4.0),
                (&article.meta.summary, 2.0),
                (&article.plain_text, 1.0),
                (&article.meta.tags.join(" "), 3.0),
            ];
            for (text, w) in weighted_texts {
                for stem in analyzers.stems(text) {
                    if stem.len() > 2 && !words::is_optional(self.bundle.language(), &stem) {
                        *tf.entry(stem).or_insert(0.0) += w;
                    }
                }
            }
            let body = self.bundle.fields().body;
            let mut scored: Vec<(String, f32)> = tf
                .into_iter()
                .filter_map(|(stem, f)| {
                    let df = searcher
                        .doc_freq(&Term::from_field_text(body, &stem))
                        .unwrap_or(0) as f32;
                    let common = n >= 20.0 && df > n * 0.5;
                    (df >= 2.0 && !common).then(|| (stem, f.sqrt() * (1.0 + n / df).ln()))
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            scored.truncate(24);
            if scored.is_empty() {
                return Ok(Vec::new());
            }
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (stem, w) in &scored {
                for (field, fw) in self.bundle.fields().weighted() {
                    let tq = TermQuery::new(
                        Term::from_field_text(field, stem),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(tq), fw * w)),
                    ));
                }
            }
            let q = BooleanQuery::new(clauses);
            let (top, _) = self.run(&q, limit.min(MAX_LIMIT) + 1, 0)?;
            top.into_iter()
                .filter(|(_, d)| d.doc_id as usize != ord)
                .take(limit)
                .map(|(score, d)| {
                    Ok(Related {
                        meta: self.bundle.meta_at(d.doc_id as usize)?,
                        score,
                    })
                })
                .collect()
        })
    }
}
