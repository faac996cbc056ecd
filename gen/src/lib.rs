//! Deterministic generator of realistic test articles for Quire.
//!
//! `quire-gen` writes corpora of made-up articles about health, sex, consent and
//! relationships, in the same Markdown-with-front-matter format as the real corpus,
//! for search tests, benchmarks (1k, 10k, 100k articles) and reliability tests.
//!
//! - **Deterministic forever.** The same seed and article number give byte-identical
//!   text on every machine: the crate has no dependencies, carries its own PRNG
//!   (xoshiro256** seeded by SplitMix64) and uses only integer arithmetic and
//!   correctly rounded IEEE operations.
//! - **Independent articles.** Article `n` depends only on `(seed, n)`, so any one
//!   article can be made alone with [`generate_one`], and [`generate`] streams
//!   100,000 articles without holding them.
//! - **Realistic for a search engine.** Titles from templates over a topic vocabulary;
//!   bodies of 3 to 8 `##` sections with paragraphs, lists, occasional emphasis and
//!   links; sentences from a phrase grammar with subject-verb agreement over a few
//!   thousand content words sampled with Zipf-like frequencies, inflected forms
//!   included (talk, talks, talking, talked); per-article topic words that repeat;
//!   a heavy-tailed length distribution averaging about 700 words.
//!
//! # Example
//!
//! ```
//! use quire_gen::{GenOptions, generate, generate_one};
//!
//! let opts = GenOptions { count: 3, seed: 42 };
//! let articles: Vec<_> = generate(&opts).collect();
//! assert_eq!(articles[0].id, "gen-42-000001");
//! assert_eq!(articles[0].file_name, "gen-42-000001.md");
//! assert!(articles[0].markdown.starts_with("---\nid: gen-42-000001\ntitle: \""));
//! // Any article can be regenerated on its own.
//! assert_eq!(generate_one(42, 2), articles[1]);
//! ```
//!
//! # File format
//!
//! ```text
//! ---
//! id: gen-42-000001
//! title: "Desire Discrepancy in Long-Term Relationships"
//! source: "Generated test article (quire-gen, seed 42)"
//! published: 2021-03-04
//! tags: [desire, relationships]
//! summary: "One sentence summary here."
//! ---
//!
//! First paragraph of the body...
//!
//! ## A Heading
//! ```
//!
//! `published` is present for about 80% of articles. `title`, `source` and `summary`
//! are always double-quoted, with `"` escaped as `\"` and `\` as `\\` (a few titles do
//! contain quotes). The body never repeats the title as a heading.

#![deny(missing_docs)]

mod model;
mod rng;
mod text;
mod words;

use std::io;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GenOptions {
    /// How many articles: numbers `1..=count`.
    pub count: usize,
    /// The corpus seed; part of every id.
    pub seed: u64,
}

impl Default for GenOptions {
    /// 1,000 articles with seed 42.
    fn default() -> Self {
        GenOptions {
            count: 1000,
            seed: 42,
        }
    }
}

/// One generated article.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GeneratedArticle {
    /// `gen-<seed>-<n>`, `n` zero-padded to at least six digits: `gen-42-000001`.
    pub id: String,
    /// `<id>.md`.
    pub file_name: String,
    /// The whole file: front matter, a blank line, then the Markdown body.
    pub markdown: String,
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GenStats {
    /// Number of article files written.
    pub articles: usize,
    /// Total size of those files in bytes.
    pub bytes: u64,
}

/// The id of article `n` of corpus `seed`: `gen-<seed>-<n>` with `n` zero-padded to
/// six digits (more when `n` needs them).
///
/// The `gen-` prefix keeps generated ids apart from the slugs of real articles.
pub fn article_id(seed: u64, n: usize) -> String {
    format!("gen-{seed}-{n:06}")
}

/// Generates article number `n` (1-based, like its id) of corpus `seed`.
///
/// The result depends only on `seed` and `n`: it equals the `n`-th item of
/// [`generate`] for any `count >= n`, and it never changes between runs, machines or
/// versions of this crate's dependencies (it has none).
pub fn generate_one(seed: u64, n: usize) -> GeneratedArticle {
    let id = article_id(seed, n);
    let mut w = text::Writer::new(seed, n as u64);
    let title = w.title();
    let tags = w.tags();
    let date = w.date();
    let summary = w.summary();

    let mut md = String::with_capacity(8 * 1024);
    md.push_str("---\nid: ");
    md.push_str(&id);
    md.push_str("\ntitle: ");
    push_quoted(&mut md, &title);
    md.push_str("\nsource: ");
    push_quoted(
        &mut md,
        &format!("Generated test article (quire-gen, seed {seed})"),
    );
    if let Some(date) = date {
        md.push_str("\npublished: ");
        md.push_str(&date);
    }
    md.push_str("\ntags: [");
    md.push_str(&tags.join(", "));
    md.push_str("]\nsummary: ");
    push_quoted(&mut md, &summary);
    md.push_str("\n---\n\n");

    w.out = md;
    w.body(&title);
    let mut markdown = std::mem::take(&mut w.out);
    markdown.push('\n');

    let file_name = format!("{id}.md");
    GeneratedArticle {
        id,
        file_name,
        markdown,
    }
}

/// Lazily generates articles `1..=opts.count` of corpus `opts.seed`, one at a time.
///
/// Nothing is kept between items, so 100,000 articles stream in constant memory.
pub fn generate(opts: &GenOptions) -> impl ExactSizeIterator<Item = GeneratedArticle> + use<> {
    let seed = opts.seed;
    (0..opts.count).map(move |i| generate_one(seed, i + 1))
}

/// Writes the corpus described by `opts` into `dir` (created if needed), one
/// `<id>.md` file per article.
///
/// Files with the same names are overwritten; other files in `dir` are left alone.
pub fn write_corpus(dir: &Path, opts: &GenOptions) -> io::Result<GenStats> {
    std::fs::create_dir_all(dir)?;
    let mut stats = GenStats::default();
    for article in generate(opts) {
        std::fs::write(dir.join(&article.file_name), article.markdown.as_bytes())?;
        stats.articles += 1;
        stats.bytes += article.markdown.len() as u64;
    }
    Ok(stats)
}

/// The content words the generator draws on (nouns, verbs in all their forms,
/// adjectives, adverbs), without duplicates, roughly most frequent first.
///
/// Useful to pick benchmark queries: words near the front are common across the
/// corpus, words near the end are rare. Function words (the, and, about ...) are not
/// included.
pub fn vocabulary() -> &'static [&'static str] {
    &model::model().vocabulary
}

/// Appends `s` as a double-quoted front matter string.
fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// A parsed generated file, by a deliberately independent little parser.
    struct Parsed {
        keys: Vec<String>,
        fields: HashMap<String, String>,
        body: String,
    }

    fn unquote(v: &str) -> String {
        assert!(
            v.starts_with('"') && v.ends_with('"') && v.len() >= 2,
            "not quoted: {v}"
        );
        let inner = &v[1..v.len() - 1];
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                out.push(chars.next().expect("escape at end"));
            } else {
                assert_ne!(c, '"', "unescaped quote in {v}");
                out.push(c);
            }
        }
        out
    }

    fn parse(md: &str) -> Parsed {
        let rest = md.strip_prefix("---\n").expect("starts with ---");
        let (front, body) = rest.split_once("\n---\n").expect("closing ---");
        let body = body
            .strip_prefix('\n')
            .expect("blank line after front matter");
        let mut keys = Vec::new();
        let mut fields = HashMap::new();
        for line in front.lines() {
            let (k, v) = line.split_once(": ").expect("key: value");
            keys.push(k.to_string());
            fields.insert(k.to_string(), v.to_string());
        }
        Parsed {
            keys,
            fields,
            body: body.to_string(),
        }
    }

    fn body_words(md: &str) -> usize {
        parse(md).body.split_whitespace().count()
    }

    #[test]
    fn deterministic_per_seed() {
        let a: Vec<_> = generate(&GenOptions {
            count: 50,
            seed: 42,
        })
        .collect();
        let b: Vec<_> = generate(&GenOptions {
            count: 50,
            seed: 42,
        })
        .collect();
        assert_eq!(a, b);
        let c: Vec<_> = generate(&GenOptions {
            count: 50,
            seed: 43,
        })
        .collect();
        for (x, y) in a.iter().zip(&c) {
            assert_ne!(x.markdown, y.markdown);
        }
        // Neighbouring articles of one corpus differ too.
        assert!(
            a.windows(2)
                .all(|w| parse(&w[0].markdown).body != parse(&w[1].markdown).body)
        );
    }

    #[test]
    fn pinned_output() {
        // If this fails, generated corpora changed: benchmarks and tests that rely on
        // them are no longer comparable with earlier runs. Change it only on purpose.
        fn fnv1a(bytes: &[u8]) -> u64 {
            bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        }
        let all: String = generate(&GenOptions {
            count: 20,
            seed: 42,
        })
        .map(|a| a.markdown)
        .collect();
        assert_eq!(fnv1a(all.as_bytes()), PINNED_HASH, "generated text changed");
    }

    const PINNED_HASH: u64 = 2497220426517079592;

    #[test]
    fn generate_one_matches_the_stream() {
        let opts = GenOptions { count: 30, seed: 7 };
        for (i, a) in generate(&opts).enumerate() {
            assert_eq!(generate_one(7, i + 1), a);
        }
        assert_eq!(generate_one(7, 12345).id, "gen-7-012345");
        assert_eq!(generate_one(7, 1_234_567).id, "gen-7-1234567");
        assert_eq!(generate(&opts).len(), 30);
    }

    #[test]
    fn front_matter_shape() {
        let mut with_date = 0;
        let mut quoted_titles = 0;
        for a in generate(&GenOptions {
            count: 400,
            seed: 42,
        }) {
            let md = &a.markdown;
            assert!(md.starts_with("---\n"));
            assert!(md.ends_with('\n') && !md.ends_with("\n\n"));
            let p = parse(md);
            let expected: Vec<&str> = if p.fields.contains_key("published") {
                with_date += 1;
                vec!["id", "title", "source", "published", "tags", "summary"]
            } else {
                vec!["id", "title", "source", "tags", "summary"]
            };
            assert_eq!(p.keys, expected);
            assert_eq!(p.fields["id"], a.id);
            assert_eq!(a.file_name, format!("{}.md", a.id));
            assert_eq!(
                unquote(&p.fields["source"]),
                "Generated test article (quire-gen, seed 42)"
            );

            let title = unquote(&p.fields["title"]);
            if title.contains('"') {
                quoted_titles += 1;
            }
            let n = title.split_whitespace().count();
            assert!((3..=12).contains(&n), "title of {n} words: {title}");
            assert!(
                title.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()),
                "{title}"
            );

            let summary = unquote(&p.fields["summary"]);
            let n = summary.split_whitespace().count();
            assert!((8..=25).contains(&n), "summary of {n} words: {summary}");
            assert!(summary.ends_with('.'));
            assert!(!summary.contains('*') && !summary.contains('['));

            if let Some(date) = p.fields.get("published") {
                assert_eq!(date.len(), 10);
                assert!(
                    date.as_str() >= "2015-01-01" && date.as_str() <= "2026-06-30",
                    "{date}"
                );
                let (y, rest) = date.split_once('-').expect("date");
                let (m, d) = rest.split_once('-').expect("date");
                let (y, m, d): (i64, i64, i64) =
                    (y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
                let (y2, m2, d2) = text::civil_from_days(text::days_from_civil(y, m, d));
                assert_eq!(
                    (y2, i64::from(m2), i64::from(d2)),
                    (y, m, d),
                    "invalid date {date}"
                );
            }

            let tags = &p.fields["tags"];
            let inner = tags
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .expect("inline list");
            let tags: Vec<&str> = inner.split(", ").collect();
            assert!((1..=4).contains(&tags.len()), "{tags:?}");
            assert_eq!(
                tags.iter().collect::<HashSet<_>>().len(),
                tags.len(),
                "duplicate tags"
            );
            for t in &tags {
                assert!(words::TAGS.contains(t), "unknown tag {t}");
                assert!(t.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            }

            let body = &p.body;
            assert!(!body.trim().is_empty());
            assert!(
                !body.starts_with('\n') && !body.starts_with("##"),
                "body starts with a paragraph"
            );
            let headings = body.lines().filter(|l| l.starts_with("## ")).count();
            assert!((3..=8).contains(&headings), "{headings} headings");
            for line in body.lines() {
                assert!(!line.starts_with("# "), "level-1 heading in body: {line}");
                assert_ne!(
                    line.trim_start_matches('#').trim(),
                    title,
                    "title repeated in body"
                );
                let is_list = line.starts_with("- ")
                    || line.as_bytes().first().is_some_and(u8::is_ascii_digit);
                if !line.is_empty() && !line.starts_with("## ") && !is_list {
                    assert!(
                        line.ends_with(['.', '?', '!']),
                        "paragraph does not end a sentence: {line}"
                    );
                    assert!(
                        line.starts_with(|c: char| c.is_uppercase() || c == '*' || c == '['),
                        "{line}"
                    );
                }
            }
        }
        assert!(
            (260..=380).contains(&with_date),
            "{with_date} of 400 have a date"
        );
        assert!(quoted_titles > 0, "no title exercises quote escaping");
    }

    #[test]
    fn length_distribution() {
        let counts: Vec<usize> = generate(&GenOptions {
            count: 500,
            seed: 42,
        })
        .map(|a| body_words(&a.markdown))
        .collect();
        let mean = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
        let min = *counts.iter().min().unwrap();
        let max = *counts.iter().max().unwrap();
        assert!((500.0..=900.0).contains(&mean), "mean {mean}");
        assert!(min >= 150, "min {min}");
        assert!(max <= 2500, "max {max}");
        // Heavy tail: some articles well above twice the median.
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2];
        assert!(
            sorted.iter().filter(|&&c| c > 2 * median).count() >= 3,
            "no tail"
        );
    }

    #[test]
    fn ids_unique() {
        let ids: Vec<String> = generate(&GenOptions {
            count: 2000,
            seed: 42,
        })
        .map(|a| a.id)
        .collect();
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        assert_eq!(ids[0], "gen-42-000001");
        assert_eq!(ids[1999], "gen-42-002000");
    }

    fn word_counts(articles: usize) -> (HashMap<String, usize>, usize) {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut total = 0;
        for a in generate(&GenOptions {
            count: articles,
            seed: 42,
        }) {
            for w in parse(&a.markdown)
                .body
                .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            {
                if !w.is_empty() {
                    total += 1;
                    *counts.entry(w.to_lowercase()).or_default() += 1;
                }
            }
        }
        (counts, total)
    }

    #[test]
    fn inflected_forms_and_frequencies() {
        let (counts, total) = word_counts(300);
        for w in [
            "talk",
            "talks",
            "talking",
            "talked",
            "feel",
            "feels",
            "feeling",
            "felt",
            "stop",
            "stopped",
            "stopping",
            "boundary",
            "boundaries",
        ] {
            assert!(counts.get(w).copied().unwrap_or(0) > 0, "{w} never appears");
        }
        let share = |w: &str| counts.get(w).copied().unwrap_or(0) as f64 / total as f64;
        // Consent appears, but does not dominate.
        assert!(
            share("consent") > 0.0005 && share("consent") < 0.01,
            "consent share {}",
            share("consent")
        );
        // Function words lead, as in English.
        assert!(share("the") > share("partner") && share("partner") > share("consent"));
        // Zipf-like: a long tail of words seen only once or twice.
        let rare = counts.values().filter(|&&c| c <= 2).count();
        assert!(rare > 300, "only {rare} rare words");
        assert!(counts.len() > 2000, "only {} distinct words", counts.len());
    }

    #[test]
    fn markdown_features_appear() {
        let all: String = generate(&GenOptions {
            count: 200,
            seed: 42,
        })
        .map(|a| a.markdown)
        .collect();
        assert!(all.contains("**"), "no bold");
        assert!(all.contains(" *"), "no italics");
        assert!(all.contains("](https://example.org/"), "no links");
        assert!(all.contains("\n- "), "no bullet lists");
        assert!(all.contains("\n1. "), "no numbered lists");
        assert!(all.contains('?') && all.contains('!'));
        assert!(all.contains('\u{2019}'), "no curly apostrophes");
    }

    #[test]
    fn writes_a_corpus() {
        let dir = std::env::temp_dir().join(format!("quire-gen-test-{}", std::process::id()));
        let stats = write_corpus(&dir, &GenOptions { count: 25, seed: 9 }).unwrap();
        assert_eq!(stats.articles, 25);
        let mut bytes = 0;
        for a in generate(&GenOptions { count: 25, seed: 9 }) {
            let on_disk = std::fs::read_to_string(dir.join(&a.file_name)).unwrap();
            assert_eq!(on_disk, a.markdown);
            bytes += on_disk.len() as u64;
        }
        assert_eq!(stats.bytes, bytes);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn quoting_escapes() {
        let mut s = String::new();
        push_quoted(&mut s, r#"say "no" \ now"#);
        assert_eq!(s, r#""say \"no\" \\ now""#);
        assert_eq!(unquote(&s), r#"say "no" \ now"#);
    }

    #[test]
    fn vocabulary_is_exposed() {
        let v = vocabulary();
        assert!(v.len() > 2500);
        assert!(v.contains(&"consent") && v.contains(&"talking"));
    }
}
