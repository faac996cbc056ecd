//! The relevance suite: queries people type, with the article that must come first, on
//! the built-in corpus and on the seed articles mixed into 10,000 generated articles.
//!
//! Generated articles are distractors (see `gen/src/words.rs`): they use the same
//! everyday vocabulary (consent, stop, pain, push, mind, self…) at realistic rates, so
//! "stop means stop" matches about 1,300 of them and "pushing through pain" about 500,
//! and the right article has to win on ranking.

use std::path::Path;
use std::sync::OnceLock;

use quire_core::bundle::{self, BuildOptions, Bundle};
use quire_core::corpus::{self, Article};
use quire_core::search::{SearchOptions, SearchResults, Searcher};

const STOP: &str = "consent-during-sex-stop-means-stop";
const PROCESS: &str = "consent-is-a-process";

/// (query as typed, article that must be first).
const CASES: &[(&str, &str)] = &[
    // Required by the issue.
    ("withdrawing consent", STOP),
    ("withdraw consent", STOP),
    ("withdr", STOP),
    ("consnet", PROCESS),
    ("stop means stop", STOP),
    ("self-betrayal", PROCESS),
    ("differentiation of self", PROCESS),
    ("pushing through pain", PROCESS),
    // From the articles' own content.
    ("what if she says stop", STOP),
    ("changing their mind later", STOP),
    ("no isn't always no", STOP),
    ("No Isn’t Always No", STOP),
    ("is it wrong to stop when my partner says stop", STOP),
    ("soft landing place", PROCESS),
    ("surface-level yes", PROCESS),
    ("consent is co-created", PROCESS),
    ("\"heck no\"", PROCESS),
    ("tune in to yourself", PROCESS),
    ("enthusiastic informed ongoing", STOP),
    ("withdrawl of consent", STOP),
    ("differentation", PROCESS),
    ("selfbetrayal", PROCESS),
    ("doggy style too deep", STOP),
];

fn corpus_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"))
}

fn open(articles: Vec<Article>) -> Bundle {
    let options = BuildOptions {
        index_memory_bytes: 256 << 20,
        ..BuildOptions::default()
    };
    Bundle::from_bytes(bundle::build_bytes(articles, &options).unwrap()).unwrap()
}

fn builtin() -> Searcher<'static> {
    static B: OnceLock<Bundle> = OnceLock::new();
    Searcher::new(B.get_or_init(|| open(corpus::load_dir(corpus_dir()).unwrap())))
}

/// The seed articles plus 10,000 generated ones (seed 42).
fn mixed() -> Searcher<'static> {
    static B: OnceLock<Bundle> = OnceLock::new();
    Searcher::new(B.get_or_init(|| {
        let mut articles = corpus::load_dir(corpus_dir()).unwrap();
        for g in quire_gen::generate(&quire_gen::GenOptions {
            count: 10_000,
            seed: 42,
        }) {
            articles.push(corpus::parse_article(Path::new(&g.file_name), &g.markdown).unwrap());
        }
        open(articles)
    }))
}

fn first(b: &Searcher, query: &str) -> Option<String> {
    b.search(query, &SearchOptions::default())
        .unwrap()
        .hits
        .first()
        .map(|h| h.id.clone())
}

/// Runs every case, prints a table of ranks and fails listing every miss.
fn run_suite(b: &Searcher, name: &str) {
    let mut misses = Vec::new();
    for &(query, expected) in CASES {
        let r = b
            .search(
                query,
                &SearchOptions {
                    limit: 50,
                    ..SearchOptions::default()
                },
            )
            .unwrap();
        let rank = r.hits.iter().position(|h| h.id == expected);
        println!(
            "{name:8} {query:48} total {:5}  expected at {:?}",
            r.total,
            rank.map(|r| r + 1)
        );
        if rank != Some(0) {
            misses.push(format!(
                "{query:?}: expected {expected} first, found at {:?}",
                rank.map(|r| r + 1)
            ));
        }
    }
    assert!(
        misses.is_empty(),
        "{name}: {} of {} queries miss:\n{}",
        misses.len(),
        CASES.len(),
        misses.join("\n")
    );
}

#[test]
fn suite_on_the_built_in_corpus() {
    run_suite(&builtin(), "builtin");
}

#[test]
fn suite_on_ten_thousand_mixed_articles() {
    let b = mixed();
    assert_eq!(b.bundle().len(), 10_002);
    run_suite(&b, "mixed");
    // The proximity cases really compete with generated articles.
    for q in ["stop means stop", "pushing through pain"] {
        let total = b.search(q, &SearchOptions::default()).unwrap().total;
        assert!(
            total > 100,
            "{q}: only {total} matches; the distractors no longer compete"
        );
    }
}

#[test]
fn a_typo_finds_the_article_and_suggests_the_word() {
    for b in [builtin(), mixed()] {
        let r = b.search("consnet", &SearchOptions::default()).unwrap();
        assert_eq!(r.suggestion.as_deref(), Some("consent"));
        assert!(r.corrected);
        assert_eq!(r.hits[0].id, PROCESS);
        let r = b
            .search("withdrawl of consent", &SearchOptions::default())
            .unwrap();
        assert_eq!(r.suggestion.as_deref(), Some("withdrawal of consent"));
        assert_eq!(r.hits[0].id, STOP);
        // The snippet marks the words as written in the article.
        let h = &r.hits[0];
        let marked: Vec<String> = h
            .highlights
            .iter()
            .map(|&(a, b)| {
                h.snippet
                    .chars()
                    .skip(a as usize)
                    .take((b - a) as usize)
                    .collect()
            })
            .collect();
        assert!(
            marked.contains(&"withdrawal".to_string()),
            "{marked:?} in {}",
            h.snippet
        );
        // Known words are not "corrected".
        for q in ["withdraw consent", "changed my mind", "stop"] {
            assert_eq!(
                b.search(q, &SearchOptions::default()).unwrap().suggestion,
                None,
                "{q}"
            );
        }
    }
}

#[test]
fn a_prefix_of_a_title_word_finds_the_article() {
    for b in [builtin(), mixed()] {
        assert_eq!(first(&b, "proce").as_deref(), Some(PROCESS));
        assert_eq!(first(&b, "exceptio").as_deref(), Some(STOP));
        assert_eq!(first(&b, "differentiat").as_deref(), Some(PROCESS));
        let titles = b.suggest_titles("consent is a pro", 5).unwrap();
        assert_eq!(titles[0].id, PROCESS);
        assert!(!titles[0].highlights.is_empty());
    }
}

#[test]
fn snippet_shows_withdrawal_of_consent() {
    let r = builtin()
        .search("withdrawing consent", &SearchOptions::default())
        .unwrap();
    assert_eq!(
        r.hits[0].title,
        "Consent During Sex: Why 'Stop' Always Means Stop, No Exceptions"
    );
    assert!(
        r.hits[0].snippet.contains("withdrawal of consent"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn paging_tags_and_related() {
    let b = mixed();
    let all = b
        .search(
            "stop means stop",
            &SearchOptions {
                limit: 20,
                ..SearchOptions::default()
            },
        )
        .unwrap();
    let p1 = b
        .search(
            "stop means stop",
            &SearchOptions {
                limit: 10,
                ..SearchOptions::default()
            },
        )
        .unwrap();
    let p2 = b
        .search(
            "stop means stop",
            &SearchOptions {
                limit: 10,
                offset: 10,
                ..SearchOptions::default()
            },
        )
        .unwrap();
    let ids = |r: &SearchResults| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!([ids(&p1), ids(&p2)].concat(), ids(&all));
    assert_eq!(p1.total, all.total);
    let beyond = b
        .search(
            "stop",
            &SearchOptions {
                offset: 1_000_000,
                ..SearchOptions::default()
            },
        )
        .unwrap();
    assert!(beyond.hits.is_empty());

    let tagged = b
        .search(
            "consent",
            &SearchOptions {
                tags: vec!["Myths".into()],
                ..SearchOptions::default()
            },
        )
        .unwrap();
    assert_eq!(ids(&tagged), [STOP]);
    let tag_only = builtin().search(
        "",
        &SearchOptions {
            tags: vec!["differentiation".into()],
            ..SearchOptions::default()
        },
    );
    assert_eq!(ids(&tag_only.unwrap()), [PROCESS]);

    let related = builtin().related(STOP, 3).unwrap();
    assert_eq!(related.first().map(|r| r.meta.id.as_str()), Some(PROCESS));
    assert!(related.iter().all(|r| r.meta.id != STOP));
    assert!(builtin().related("no-such-article", 3).is_err());
}
