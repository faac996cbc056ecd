//! The word lists of each language (`lexicon/*.txt`, from Debian's word lists; see
//! `lexicon/make.sh`), built into `quire` so that `quire build` puts the right one in a
//! bundle without being told where it is.

use quire_core::index::Language;

/// The built-in word list of `language`, one word per line.
pub fn builtin(language: Language) -> &'static str {
    match language {
        Language::English => include_str!("../../lexicon/en.txt"),
        Language::Spanish => include_str!("../../lexicon/es.txt"),
    }
}
