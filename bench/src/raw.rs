//! Raw tantivy: the same index inside the same Quire bundle, queried the plainest way
//! tantivy offers, as the floor under Quire's own search layer.
//!
//! The query is built in code from the same words (analysed with Quire's analyzer): each
//! word a `Should` over the five weighted fields (Quire's weights), all words required;
//! the last word, when Quire treats it as a prefix, also matches the completions Quire's
//! vocabulary gives it (the same cap, weight 0.8 as in Quire); a word the vocabulary does
//! not know becomes tantivy's `FuzzyTermQuery` (distance 1, transpositions), tantivy's
//! own typo tolerance; a quoted phrase is a `PhraseQuery` per positional field. Top 10
//! by `TopDocs` without counting, one `SnippetGenerator` per query over the body, whose
//! text comes from the bundle as Quire's does (the article's plain text, inflated).
//! None of Quire's corrections, any-word fallback, phrase and proximity boosts, counts
//! or "did you mean".

use quire_core::bundle::Bundle;
use quire_core::index::Analyzers;
use quire_core::search::vocab;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;

use crate::queries::Query as MixQuery;

/// One hit, shaped like Quire's.
#[derive(Debug, Clone)]
#[allow(
    dead_code,
    reason = "made as an app would need them; the benchmark only counts them"
)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The snippet.
    pub snippet: String,
    /// Character ranges of the matched words in `snippet`.
    pub highlights: Vec<(u32, u32)>,
}

/// Builds the tantivy query for `q` on `bundle`; `None` when it has no words.
pub fn query(bundle: &Bundle, q: &MixQuery, analyzers: &mut Analyzers) -> Option<Box<dyn Query>> {
    let fields = bundle.fields();
    let weighted = fields.weighted();
    let positional = [
        (fields.title, 2.0f32),
        (fields.headings, 1.5),
        (fields.summary, 1.2),
        (fields.body, 1.0),
    ];
    let vocabulary = bundle.vocabulary();
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let last = q.parts.len().saturating_sub(1);
    for (i, part) in q.parts.iter().enumerate() {
        if part.quoted && part.words.len() > 1 {
            let stems: Vec<String> = part
                .words
                .iter()
                .map(|w| analyzers.stem_surface(w))
                .collect();
            let per_field: Vec<(Occur, Box<dyn Query>)> = positional
                .iter()
                .map(|&(field, weight)| {
                    let terms = stems
                        .iter()
                        .map(|s| Term::from_field_text(field, s))
                        .collect();
                    let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(terms));
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(phrase, weight)) as Box<dyn Query>,
                    )
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(per_field))));
            continue;
        }
        let word = &part.words[0];
        let mut alts: Vec<(String, f32)> = vec![(analyzers.stem_surface(word), 1.0)];
        if i == last && q.prefix {
            for (completion, _) in vocab::complete(vocabulary, word, q.expansions) {
                let stem = analyzers.stem_surface(&completion);
                if !alts.iter().any(|(s, _)| *s == stem) {
                    alts.push((stem, 0.8));
                }
            }
        }
        let fuzzy = alts.len() == 1 && vocab::doc_freq(vocabulary, word) == 0;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, weight) in &weighted {
            for (stem, alt_weight) in &alts {
                let term = Term::from_field_text(field, stem);
                let inner: Box<dyn Query> = if fuzzy {
                    Box::new(FuzzyTermQuery::new(term, 1, true))
                } else {
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                };
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(inner, weight * alt_weight)),
                ));
            }
        }
        must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
    }
    if must.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(must)))
}

/// The top `limit` articles for `q`, with tantivy's snippets of the body.
pub fn search(
    bundle: &Bundle,
    q: &MixQuery,
    limit: usize,
    analyzers: &mut Analyzers,
) -> Result<Vec<Hit>, String> {
    search_with(bundle, q, limit, analyzers, true)
}

/// [`search`], or without snippets (ids and titles only) when `snippets` is false: the
/// floor of a search alone.
pub fn search_with(
    bundle: &Bundle,
    q: &MixQuery,
    limit: usize,
    analyzers: &mut Analyzers,
    snippets: bool,
) -> Result<Vec<Hit>, String> {
    let Some(query) = query(bundle, q, analyzers) else {
        return Ok(Vec::new());
    };
    let err = |e: tantivy::TantivyError| e.to_string();
    let searcher = bundle.reader().searcher();
    let top = searcher
        .search(&*query, &TopDocs::with_limit(limit.max(1)).order_by_score())
        .map_err(err)?;
    if top.is_empty() {
        return Ok(Vec::new());
    }
    if !snippets {
        return top
            .into_iter()
            .map(|(_, address)| {
                let meta = bundle
                    .meta_at(address.doc_id as usize)
                    .map_err(|e| e.to_string())?;
                Ok(Hit {
                    id: meta.id,
                    title: meta.title,
                    snippet: String::new(),
                    highlights: Vec::new(),
                })
            })
            .collect();
    }
    let mut generator =
        SnippetGenerator::create(&searcher, &*query, bundle.fields().body).map_err(err)?;
    generator.set_max_num_chars(200);
    let mut hits = Vec::with_capacity(top.len());
    for (_, address) in top {
        let ord = address.doc_id as usize;
        let meta = bundle.meta_at(ord).map_err(|e| e.to_string())?;
        let text = bundle.plain_text_at(ord).map_err(|e| e.to_string())?;
        let snippet = generator.snippet(&text);
        let fragment = snippet.fragment();
        let highlights = snippet
            .highlighted()
            .iter()
            .map(|r| {
                let start = fragment[..r.start].chars().count() as u32;
                (start, start + fragment[r.clone()].chars().count() as u32)
            })
            .collect();
        hits.push(Hit {
            id: meta.id,
            title: meta.title,
            snippet: fragment.to_string(),
            highlights,
        });
    }
    Ok(hits)
}
