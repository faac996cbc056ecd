//! Text analysis: the same steps at build time and at query time.
//!
//! 1. Split into words: runs of letters and digits. An apostrophe (`'`, `’`, `ʼ`) between
//!    two letters is dropped and the word goes on, so "don’t" and "don't" are both `dont`
//!    and "partner’s" is `partners`. Everything else (spaces, punctuation, dashes, quotes,
//!    emoji) separates words.
//! 2. Drop words longer than [`MAX_WORD_LEN`] bytes.
//! 3. Lowercase, then fold accents and typographic variants to ASCII (`é` → `e`).
//! 4. Stem with the Snowball stemmer of the bundle's [`Language`]: in English
//!    "withdrawing" and "withdrawal" are both `withdraw`, "stopped" is `stop`; in Spanish
//!    "retirar" and "retiramos" are both `retir`.
//!
//! Steps 1–3 without 4 give the *surface* form used for the vocabulary, suggestions and
//! highlighting. The name and version of the analysis are written in every bundle's
//! manifest; a reader refuses a bundle whose analysis it does not implement.

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer, TokenizerManager,
};

/// Name under which the English analyzer is registered in the index.
pub const ANALYZER_NAME: &str = "quire_en";
/// Version of the analysis; bumped whenever any step's output can change.
pub const ANALYZER_VERSION: u32 = 1;

/// The language of a bundle: its analysis (stemmer, optional words, negations) follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    /// English (`en`), the default.
    #[default]
    #[serde(rename = "en")]
    English,
    /// Spanish (`es`).
    #[serde(rename = "es")]
    Spanish,
}

impl Language {
    /// Every language a bundle can be in.
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// Its ISO 639-1 code, as the manifest records it (`en`, `es`).
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }

    /// Its name in English.
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Spanish => "Spanish",
        }
    }

    /// The language of an ISO 639-1 code or an English or native name, any case
    /// (`es`, `Spanish`, `español`).
    pub fn from_code(code: &str) -> Option<Language> {
        match code.trim().to_lowercase().as_str() {
            "en" | "eng" | "english" => Some(Language::English),
            "es" | "spa" | "spanish" | "español" | "espanol" => Some(Language::Spanish),
            _ => None,
        }
    }

    /// Name under which its analyzer is registered in the index.
    pub fn analyzer_name(self) -> &'static str {
        match self {
            Language::English => ANALYZER_NAME,
            Language::Spanish => "quire_es",
        }
    }

    fn algorithm(self) -> frostem::Algorithm {
        match self {
            Language::English => frostem::Algorithm::English,
            Language::Spanish => frostem::Algorithm::Spanish,
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
/// Longest word indexed, in bytes.
pub const MAX_WORD_LEN: usize = 40;

/// The text analysis an index was built with, as a bundle's manifest records it. A reader
/// only opens bundles whose analysis it implements, so queries are analysed exactly as
/// the documents were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// Name of the analyzer registered in tantivy (`quire_en`).
    pub name: String,
    /// Version of that analyzer; bumped whenever its output can change.
    pub version: u32,
    /// Human-readable description of its steps, for people reading the manifest.
    pub steps: Vec<String>,
}

/// The description of the analysis of `language`, written to the manifest.
pub fn manifest_analysis(language: Language) -> Analysis {
    Analysis {
        name: language.analyzer_name().to_string(),
        version: ANALYZER_VERSION,
        steps: vec![
            "words: letters and digits; inner apostrophes dropped".into(),
            format!("drop words longer than {MAX_WORD_LEN} bytes"),
            "lowercase".into(),
            "ascii folding (accents, ligatures, typographic variants)".into(),
            format!("snowball {} stemmer", language.name().to_lowercase()),
        ],
    }
}

/// The full analyzer of `language`: words, lowercased, folded and stemmed.
pub fn analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_LEN + 1))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer(language))
        .build()
}

/// A tokenizer manager with the analyzer of every [`Language`] registered under its
/// [`Language::analyzer_name`].
pub fn tokenizer_manager() -> TokenizerManager {
    let manager = TokenizerManager::default();
    for language in Language::ALL {
        manager.register(language.analyzer_name(), analyzer(language));
    }
    manager
}

/// The analyzer without stemming: the surface form of words.
pub fn surface_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_LEN + 1))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Reusable analysers of one language for one thread: turning text into terms without
/// allocating an analyzer per call. The default is English.
#[derive(Clone)]
pub struct Analyzers {
    language: Language,
    full: TextAnalyzer,
    surface: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers::new(Language::English)
    }
}

impl Analyzers {
    /// The analysers of `language`.
    pub fn new(language: Language) -> Analyzers {
        Analyzers {
            language,
            full: analyzer(language),
            surface: surface_analyzer(),
        }
    }

    /// Their language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Stems of every word of `text`, in order.
    pub fn stems(&mut self, text: &str) -> Vec<String> {
        collect(&mut self.full, text)
    }

    /// Surface forms of every word of `text`, in order.
    pub fn surfaces(&mut self, text: &str) -> Vec<String> {
        collect(&mut self.surface, text)
    }

    /// Stem of one surface word (already lowercased and folded).
    pub fn stem_surface(&mut self, surface: &str) -> String {
        let mut stream = self.full.token_stream(surface);
        match stream.next() {
            Some(t) => t.text.clone(),
            None => surface.to_string(),
        }
    }
}

fn collect(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The Snowball stemmer of a language (Porter2 for English; through frostem, as
/// tantivy's own filter uses it) as a token filter. Tokens are expected lowercased.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stemmer(pub Language);

impl TokenFilter for Stemmer {
    type Tokenizer<T: Tokenizer> = StemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemmerFilter<T> {
        StemmerFilter(tokenizer, self.0)
    }
}

/// A tokenizer followed by [`Stemmer`].
#[derive(Clone)]
pub struct StemmerFilter<T>(T, Language);

impl<T: Tokenizer> Tokenizer for StemmerFilter<T> {
    type TokenStream<'a> = StemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmerStream {
            tail: self.0.token_stream(text),
            stemmer: frostem::Stemmer::new(self.1.algorithm()),
        }
    }
}

/// Token stream of [`StemmerFilter`].
pub struct StemmerStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for StemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let std::borrow::Cow::Owned(stem) = self.stemmer.stem(&token.text) {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// True for the apostrophes that may sit inside a word.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}' | '\u{2018}')
}

/// The next word of `text` at or after byte `from` (step 1 of the analysis): its byte
/// range, with its letters and digits (inner apostrophes dropped) written to `word`.
pub fn next_word(text: &str, from: usize, word: &mut String) -> Option<std::ops::Range<usize>> {
    word.clear();
    let bytes = text.as_bytes();
    // The character at byte `at` (an ASCII fast path: nearly all text is ASCII).
    let char_at = |at: usize| -> char {
        match bytes[at] {
            b if b < 0x80 => b as char,
            _ => text[at..].chars().next().unwrap_or(' '),
        }
    };
    let is_word_char = |c: char| c.is_alphanumeric() && !is_apostrophe(c);
    let mut at = from;
    while at < bytes.len() && !is_word_char(char_at(at)) {
        at += char_at(at).len_utf8();
    }
    if at >= bytes.len() {
        return None;
    }
    let start = at;
    let mut end = start;
    while at < bytes.len() {
        let c = char_at(at);
        let next = at + c.len_utf8();
        if is_word_char(c) {
            word.push(c);
            end = next;
        } else if !(is_apostrophe(c) && next < bytes.len() && is_word_char(char_at(next))) {
            break;
        }
        at = next;
    }
    Some(start..end)
}

/// Splits text into words of letters and digits, dropping apostrophes inside words.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// Token stream of [`WordTokenizer`].
pub struct WordStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            pos: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        match next_word(self.text, self.pos, &mut self.token.text) {
            Some(range) => {
                self.pos = range.end;
                self.token.offset_from = range.start;
                self.token.offset_to = range.end;
                self.token.position = self.token.position.wrapping_add(1);
                true
            }
            None => {
                self.pos = self.text.len();
                false
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_meet() {
        let mut a = Analyzers::default();
        assert_eq!(a.stems("withdrawing"), a.stems("withdrawal"));
        assert_eq!(a.stems("stopped"), a.stems("stop"));
        assert_eq!(a.stems("Consent"), a.stems("consenting"));
    }

    #[test]
    fn quotes_dashes_and_accents_fold() {
        let mut a = Analyzers::default();
        assert_eq!(
            a.surfaces("don’t DON'T donʼt"),
            vec!["dont", "dont", "dont"]
        );
        assert_eq!(
            a.surfaces("self-betrayal — “no”"),
            vec!["self", "betrayal", "no"]
        );
        assert_eq!(a.surfaces("Café naïve"), vec!["cafe", "naive"]);
        assert_eq!(a.surfaces("'quoted' it's"), vec!["quoted", "its"]);
        assert!(a.surfaces("🙂 ... ‘’ --").is_empty());
        assert_eq!(a.surfaces("セックス 性"), vec!["セックス", "性"]);
    }

    #[test]
    fn words_carry_byte_ranges() {
        let text = "Why “Stop” don’t stop";
        let mut word = String::new();
        let mut pos = 0;
        let mut found = Vec::new();
        while let Some(r) = next_word(text, pos, &mut word) {
            pos = r.end;
            found.push((text[r].to_string(), word.clone()));
        }
        let expected = [
            ("Why", "Why"),
            ("Stop", "Stop"),
            ("don’t", "dont"),
            ("stop", "stop"),
        ];
        assert_eq!(found, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn spanish_forms_meet() {
        let mut a = Analyzers::new(Language::Spanish);
        assert_eq!(a.stems("retirar"), a.stems("retiramos"));
        assert_eq!(a.stems("consentimiento"), a.stems("Consentimientos"));
        assert_eq!(a.surfaces("¿Qué pasa?"), vec!["que", "pasa"]);
        // English stemming does not join Spanish verb forms: the language matters.
        let mut en = Analyzers::default();
        assert_ne!(en.stems("retiramos"), en.stems("retirar"));
        assert_eq!(a.stems("presiones"), a.stems("presión"));
    }

    #[test]
    fn languages_have_codes() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
            assert_eq!(Language::from_code(l.name()), Some(l));
        }
        assert_eq!(Language::from_code(" Español "), Some(Language::Spanish));
        assert_eq!(Language::from_code("fr"), None);
        assert_eq!(serde_json::to_string(&Language::Spanish).unwrap(), "\"es\"");
    }

    #[test]
    fn long_words_are_dropped() {
        let mut a = Analyzers::default();
        let long = "a".repeat(MAX_WORD_LEN + 1);
        assert_eq!(a.surfaces(&format!("x {long} y")), vec!["x", "y"]);
        assert_eq!(a.surfaces(&"b".repeat(MAX_WORD_LEN)).len(), 1);
    }
}
