//! The index schema: one struct holding every field.

use tantivy::schema::{Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};

use super::analysis::Language;
use crate::{Error, Result};

/// The fields of the search index. Nothing is stored in the index: titles, summaries
/// and bodies live in the bundle's catalog and bodies sections, found by document id
/// (a document's id is its article's position in the catalog).
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Title, analysed, with positions.
    pub title: Field,
    /// All headings of the body, analysed, with positions.
    pub headings: Field,
    /// One-line summary, analysed, with positions.
    pub summary: Field,
    /// Plain-text body, analysed, with positions.
    pub body: Field,
    /// Tags as words (`body-image` → `bodi`, `imag`), for matching.
    pub tags: Field,
    /// Tags verbatim, one term each, for filtering.
    pub tag: Field,
}

impl Fields {
    /// The text fields searched for words, with their weight in ranking.
    pub fn weighted(&self) -> [(Field, f32); 5] {
        [
            (self.title, 2.0),
            (self.headings, 1.5),
            (self.tags, 1.5),
            (self.summary, 1.2),
            (self.body, 1.0),
        ]
    }
}

/// Builds the schema of an index of `language` and its fields.
pub fn schema(language: Language) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(language.analyzer_name())
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        title: b.add_text_field("title", text(positions)),
        headings: b.add_text_field("headings", text(positions)),
        summary: b.add_text_field("summary", text(positions)),
        body: b.add_text_field("body", text(positions)),
        tags: b.add_text_field("tags", text(IndexRecordOption::WithFreqs)),
        tag: b.add_text_field("tag", STRING),
    };
    (b.build(), fields)
}

/// Checks that an opened index has exactly our schema for `language`, and returns its
/// fields.
pub fn check(found: &Schema, language: Language) -> Result<Fields> {
    let (expected, fields) = schema(language);
    let as_json = |s: &Schema| serde_json::to_string(s).unwrap_or_default();
    if as_json(found) != as_json(&expected) {
        return Err(Error::damaged(
            "index/meta.json",
            "the index schema is not the one this version of Quire reads",
        ));
    }
    Ok(fields)
}
