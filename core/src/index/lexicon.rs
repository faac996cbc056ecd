//! The lexicon: the words a bundle's language knows, beyond the words its articles use.
//!
//! Search corrects a word only when neither the articles nor the language know it, so
//! "keep" is never "corrected" to "deep" because the articles happen not to use it. The
//! lexicon is an FST of surface forms (lowercased, accents folded, as the analysis
//! gives them); for a language whose word list holds only lemmas (Spanish: "obligar",
//! not "obligaron"), also of their stems, so that regular forms are known too. English
//! lists every form, and stems there would make misspellings known ("differentation"
//! stems to "different"). It is built from a
//! word list (`lexicon/en.txt`, `lexicon/es.txt`, from
//! Debian's word lists) into the bundle's optional `lexicon` section.

use tantivy::directory::OwnedBytes;
use tantivy_fst::{Map, MapBuilder};

use super::{Analyzers, Language};
use crate::{Error, Result};

/// Longest word list accepted, in words: a list of a language is about 100,000.
pub const MAX_LEXICON_WORDS: usize = 1_000_000;

/// The words of a language, as a bundle ships them.
pub struct Lexicon {
    set: Map<OwnedBytes>,
    bytes: OwnedBytes,
    /// The keys include stems (see [`lists_lemmas`]).
    stems: bool,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("words", &self.set.len())
            .finish()
    }
}

impl Lexicon {
    /// Builds a lexicon from a word list: one word per line, `#` comments and
    /// blank lines skipped; each line goes through the surface analysis (lowercase,
    /// accents folded, inner apostrophes dropped), and a line that is not one word is
    /// left out. Fails only beyond [`MAX_LEXICON_WORDS`].
    pub fn build(list: &str, analyzers: &mut Analyzers) -> Result<Lexicon> {
        let mut words: Vec<String> = Vec::new();
        for line in list.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut surfaces = analyzers.surfaces(line);
            if surfaces.len() == 1 {
                let surface = surfaces.pop().expect("one word");
                if lists_lemmas(analyzers.language()) {
                    let stem = analyzers.stem_surface(&surface);
                    if stem != surface {
                        words.push(stem);
                    }
                }
                words.push(surface);
            }
            if words.len() > MAX_LEXICON_WORDS {
                return Err(Error::InvalidArgument(format!(
                    "the word list has more than {MAX_LEXICON_WORDS} words"
                )));
            }
        }
        words.sort_unstable();
        words.dedup();
        let err = |e: tantivy_fst::Error| Error::Index(format!("building the lexicon: {e}"));
        let mut builder = MapBuilder::memory();
        for w in &words {
            builder.insert(w, 0).map_err(err)?;
        }
        Lexicon::open(
            OwnedBytes::new(builder.into_inner().map_err(err)?),
            analyzers.language(),
        )
    }

    /// Its bytes, as the bundle's `lexicon` section holds them.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// Opens the bytes of the lexicon section of a bundle in `language`; damaged bytes
    /// are a typed error.
    pub fn open(bytes: OwnedBytes, language: Language) -> Result<Lexicon> {
        tantivy_fst::raw::Fst::new(bytes.clone())
            .map(|fst| Lexicon {
                set: Map::from(fst),
                bytes,
                stems: lists_lemmas(language),
            })
            .map_err(|e| Error::damaged("lexicon", format!("not a valid word list: {e}")))
    }

    /// True when the language knows the surface word `word` (lowercased, folded): the
    /// word itself is in the lexicon, or (in a language whose list holds lemmas) its stem
    /// `stem`.
    pub fn knows(&self, word: &str, stem: &str) -> bool {
        self.set.get(word).is_some() || (self.stems && self.set.get(stem).is_some())
    }

    /// True when the surface form or stem `key` is in the lexicon.
    pub fn contains(&self, key: &str) -> bool {
        self.set.get(key).is_some()
    }

    /// Number of keys: words and their stems.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// True when it has no word.
    pub fn is_empty(&self) -> bool {
        self.set.len() == 0
    }
}

/// True for the languages whose word lists hold lemmas only, so that the lexicon also
/// records stems.
fn lists_lemmas(language: Language) -> bool {
    language == Language::Spanish
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_folded_words_and_skips_the_rest() {
        let mut a = Analyzers::new(Language::Spanish);
        let built = Lexicon::build(
            "# comment\nConsentimiento\npresión\n\ndon't\ntwo words\n🙂\npresión\n",
            &mut a,
        )
        .unwrap();
        let lexicon = Lexicon::open(
            OwnedBytes::new(built.as_bytes().to_vec()),
            Language::Spanish,
        )
        .unwrap();
        assert!(lexicon.contains("consentimiento"));
        assert!(lexicon.knows("consentimientos", &a.stem_surface("consentimientos")));
        assert!(lexicon.contains("presion"));
        assert!(lexicon.contains("dont"));
        assert!(!lexicon.contains("two"));
        assert!(!lexicon.contains("presión"), "lookups take surface forms");
    }

    #[test]
    fn damaged_bytes_are_a_typed_error() {
        let err =
            Lexicon::open(OwnedBytes::new(vec![1, 2, 3, 4, 5]), Language::English).unwrap_err();
        assert!(matches!(err, Error::DamagedBundle { .. }), "{err:?}");
    }

    #[test]
    fn the_shipped_lists_know_everyday_words() {
        let mut a = Analyzers::default();
        let list = include_str!("../../../lexicon/en.txt");
        let en = Lexicon::build(list, &mut a).unwrap();
        eprintln!(
            "en lexicon: {} words, {} bytes",
            en.len(),
            en.as_bytes().len()
        );
        for word in ["unwanted", "keep", "coercion", "revoke", "dont", "sexting"] {
            assert!(en.contains(word), "{word}");
        }
        assert!(!en.contains("consnet"));
        // A misspelling whose stem is a word stays unknown in English.
        assert!(!en.knows("differentation", "different"));
        assert!(en.len() > 50_000);
    }
}
