//! The search index's contract: how text becomes terms, and which fields hold them.
//!
//! The bundle writer analyses articles into these fields, the bundle reader checks that
//! an index it opens has exactly this schema and analysis, and search analyses queries
//! the same way, so a query's terms are the documents' terms. This module depends on
//! nothing else of the crate but its error type.
//!
//! * [`analysis`]: the analyzer (words, folding, stemming), its description in the
//!   manifest ([`Analysis`]) and reusable per-thread [`Analyzers`].
//! * [`schema`]: the index fields ([`Fields`]) and the check of an opened index.
//! * [`lexicon`]: the words a bundle's language knows ([`Lexicon`]), so that search
//!   corrects only what is misspelled.
//! * [`thesaurus`]: the reader's plain words mapped to the articles' ([`Thesaurus`]).

pub mod analysis;
pub mod lexicon;
pub mod schema;
pub mod thesaurus;

pub use analysis::{Analysis, Analyzers, Language};
pub use lexicon::Lexicon;
pub use schema::Fields;
pub use thesaurus::Thesaurus;
