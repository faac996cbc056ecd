//! Search: analysis, schema, the lenient query parser, ranking, snippets, suggestions.

pub mod analysis;
pub mod schema;
