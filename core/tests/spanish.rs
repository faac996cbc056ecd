//! A bundle in Spanish: the analysis, the word list and the thesaurus follow the
//! bundle's language (core/tests/fixtures/es, short articles of our own).

use std::path::Path;

use quire_core::bundle::{self, BuildOptions, Bundle};
use quire_core::corpus;
use quire_core::index::{Analyzers, Language, Thesaurus};
use quire_core::search::{SearchOptions, Searcher};

const WITHDRAW: &str = "retirar-el-consentimiento";
const PRESSURE: &str = "presion-y-culpa";
const PAIN: &str = "dolor-durante-el-sexo";

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/es"))
}

fn build(language: Language) -> Bundle {
    Bundle::from_bytes(build_bytes(language)).unwrap()
}

fn build_bytes(language: Language) -> Vec<u8> {
    let options = BuildOptions {
        language,
        lexicon: Some(include_str!("../../lexicon/es.txt").to_string()),
        thesaurus: Thesaurus::load_dir(fixtures(), &mut Analyzers::new(language)).unwrap(),
        index_memory_bytes: 32 << 20,
        ..BuildOptions::default()
    };
    let articles = corpus::load_dir(fixtures()).unwrap();
    bundle::build_bytes(articles, &options).unwrap()
}

fn first(s: &Searcher, q: &str) -> Option<String> {
    s.search(q, &SearchOptions::default())
        .unwrap()
        .hits
        .first()
        .map(|h| h.id.clone())
}

#[test]
fn the_bundle_records_its_language_and_reopens_in_it() {
    let b = build(Language::Spanish);
    assert_eq!(b.language(), Language::Spanish);
    assert_eq!(b.manifest().language, Language::Spanish);
    assert_eq!(b.manifest().analysis.name, "quire_es");
    assert!(b.lexicon().is_some_and(|l| l.len() > 50_000));
    assert!(b.thesaurus().is_some_and(|t| !t.is_empty()));
    // An English bundle says so, and so does one that predates languages (no field).
    assert_eq!(
        build(Language::English).manifest().language,
        Language::English
    );
}

#[test]
fn spanish_word_forms_typos_and_the_thesaurus() {
    let b = build(Language::Spanish);
    let s = Searcher::new(&b);
    // Word forms meet through the Spanish stemmer.
    assert_eq!(
        first(&s, "retirando el consentimiento").as_deref(),
        Some(WITHDRAW)
    );
    assert_eq!(first(&s, "límites").as_deref(), Some(PRESSURE));
    // A misspelling is corrected, with a "did you mean".
    let r = s
        .search("consentimeinto", &SearchOptions::default())
        .unwrap();
    assert_eq!(r.suggestion.as_deref(), Some("consentimiento"));
    assert_eq!(r.hits[0].id, WITHDRAW);
    // A Spanish word is never "corrected", nor across a negation.
    for q in ["indeseado", "hago", "obligaron"] {
        assert_eq!(
            s.search(q, &SearchOptions::default()).unwrap().suggestion,
            None,
            "{q}"
        );
    }
    // The thesaurus: "me obligaron" finds the article about pressure.
    assert_eq!(first(&s, "me obligaron").as_deref(), Some(PRESSURE));
    assert_eq!(first(&s, "me duele").as_deref(), Some(PAIN));
    // Spanish optional words ("qué", "si", "me") need not be found; a word no article
    // uses is named.
    let r = s
        .search("qué hago si me duele", &SearchOptions::default())
        .unwrap();
    assert_eq!(r.hits[0].id, PAIN);
    assert_eq!(r.without, ["hago"]);
}

#[test]
fn the_analysis_follows_the_language() {
    // The same articles analysed as English: Spanish verb forms no longer meet.
    let en = build(Language::English);
    let es = build(Language::Spanish);
    let q = "retiramos";
    let total = |b: &Bundle| {
        Searcher::new(b)
            .search(q, &SearchOptions::default())
            .unwrap()
            .total
    };
    assert_eq!(total(&es), 1);
    assert_eq!(total(&en), 0);
}
