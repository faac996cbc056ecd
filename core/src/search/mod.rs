//! Search over an open bundle: the lenient query parser, ranking, snippets, suggestions.
//!
//! [`Searcher::search`] takes text as people type it and always answers: words must all
//! match (common words like "the" are optional), phrases in quotes match in order,
//! `-word` excludes, the last word also matches as a prefix, and when a word is unknown
//! to the corpus the closest known words are searched instead and offered as a
//! suggestion. Title and headings weigh more than the body; words close together in
//! the order typed rank higher.
//!
//! Search sits above [`crate::bundle`] (it reads the bundle's index, vocabulary, catalog
//! and bodies) and analyses queries with [`crate::index`], as the bundle's writer
//! analysed the articles. A search runs through these steps, one file each:
//!
//! 1. [`query`]: the text parsed into clauses (words, phrases, exclusions).
//! 2. `plan.rs`: clauses turned into stems, with completions of the last word and
//!    corrections of unknown words from the corpus vocabulary ([`vocab`]).
//! 3. `build.rs`: stems turned into tantivy queries over the weighted fields, with phrase
//!    and proximity boosts (`word.rs` scores a word in every field as one query node,
//!    merged lazily by `merge.rs`; `pair.rs` the boosts of two words, and a quoted
//!    phrase of two, as one node; `exclusion.rs` keeps excluded phrases safe in
//!    tantivy).
//! 4. `rank.rs`: the query run for a page of hits, the costly boosts rescoring only
//!    the best matches.
//! 5. `searcher.rs`: [`Searcher`], which runs those steps (falling back to corrected,
//!    then any-word queries) and gives each hit its [`snippet`].
//!
//! `suggest.rs` (titles while typing) and `related.rs` (articles about the same things)
//! are the other two entry points of [`Searcher`]; `types.rs` holds what they all take
//! and give.

mod build;
mod close;
mod exclusion;
mod many;
mod merge;
mod pair;
mod plan;
pub mod query;
mod rank;
mod related;
mod searcher;
pub mod snippet;
mod suggest;
mod types;
pub mod vocab;
mod word;
mod words;

pub use many::{search_all, suggest_all};
pub use searcher::Searcher;
pub use types::{
    MAX_LIMIT, MAX_OFFSET, Related, SearchHit, SearchOptions, SearchResults, TitleSuggestion,
};

/// The built-in articles and `count` generated ones (generator seed `seed`), as one
/// bundle: the corpus the search tests rank.
#[cfg(test)]
fn mixed_bundle(count: usize, seed: u64) -> crate::bundle::Bundle {
    use std::path::Path;
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"));
    let mut articles = crate::corpus::load_dir(dir).unwrap();
    for g in quire_gen::generate(&quire_gen::GenOptions { count, seed }) {
        articles.push(crate::corpus::parse_article(Path::new(&g.file_name), &g.markdown).unwrap());
    }
    let bytes = crate::bundle::build_bytes(articles, &crate::bundle::BuildOptions::default());
    crate::bundle::Bundle::from_bytes(bytes.unwrap()).unwrap()
}
