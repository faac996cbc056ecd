//! The query mix: the same queries, as people type them, for both engines.
//!
//! Every query is drawn deterministically from the generator's vocabulary and from the
//! text of articles 1 to 1,000, which every corpus of the benchmark contains (article
//! `n` depends only on the seed and `n`), so the words and phrases exist at every size.
//!
//! Quire takes the text as typed. FTS5 is given what an app developer would write for
//! it: each word double-quoted (so no user text is FTS5 syntax), words joined by spaces
//! (all must match), quoted phrases kept as phrases, and the last word made a prefix
//! query (`"wor"*`) when the text ends inside it, as Quire does for search as you type.
//! FTS5 has no typo tolerance: a misspelt word simply matches nothing.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use quire_core::corpus::{markdown, parse_article};
use serde::{Deserialize, Serialize};

/// What a query exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One whole word.
    Single,
    /// Two or three words, not quoted.
    TwoWord,
    /// A quoted phrase.
    Phrase,
    /// Each keystroke of a query being typed, ending inside a word.
    Prefix,
    /// A word with one typo.
    Typo,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 5] = [
        Kind::Single,
        Kind::TwoWord,
        Kind::Phrase,
        Kind::Prefix,
        Kind::Typo,
    ];
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Single => "single word",
            Kind::TwoWord => "two words",
            Kind::Phrase => "phrase",
            Kind::Prefix => "prefix as typed",
            Kind::Typo => "typo",
        })
    }
}

/// One query of the mix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// What it exercises.
    pub kind: Kind,
    /// The text as typed, given to Quire.
    pub text: String,
    /// The FTS5 `MATCH` expression for the same text, the last word expanded to the
    /// completions Quire takes for it (see [`Query::expand`]); before that, the same
    /// as `fts_star`.
    pub fts: String,
    /// The FTS5 expression with the last word as an FTS5 prefix query (`"wor"*`, every
    /// completion, through the prefix index).
    pub fts_star: String,
    /// Words and quoted phrases, lowercased: what the other engines are given.
    pub parts: Vec<Part>,
    /// Whether the last part is a word that Quire also matches as a prefix.
    pub prefix: bool,
    /// How many completions Quire takes for that prefix (4 for one or two letters, 12).
    pub expansions: usize,
    /// The completions of the last word that Quire's vocabulary gives (most used first),
    /// filled by [`Query::expand`] for one corpus.
    pub completions: Vec<String>,
}

/// A word, or a quoted phrase, of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// Its words, lowercased.
    pub words: Vec<String>,
    /// Quoted (a phrase, even of one word).
    pub quoted: bool,
}

impl Query {
    /// A query of `kind` for `text` as typed.
    pub fn new(kind: Kind, text: impl Into<String>) -> Query {
        let text = text.into();
        let fts = fts_match(&text);
        let (parts, prefix) = parts(&text);
        let expansions = match parts.last() {
            Some(p) if prefix && p.words[0].chars().count() <= 2 => 4,
            _ => 12,
        };
        Query {
            kind,
            fts_star: fts.clone(),
            fts,
            text,
            parts,
            prefix,
            expansions,
            completions: Vec::new(),
        }
    }

    /// Fills `completions` from a bundle's vocabulary (the words Quire itself expands the
    /// last word to) and rewrites `fts` to match the typed word or any of them, as whole
    /// words: the same capped expansion as Quire, through FTS5's own stemmer.
    pub fn expand(&mut self, vocab: &quire_core::search::vocab::Vocabulary) {
        if !self.prefix {
            return;
        }
        let Some(last) = self.parts.last() else {
            return;
        };
        let word = last.words[0].clone();
        self.completions = quire_core::search::vocab::complete(vocab, &word, self.expansions)
            .into_iter()
            .map(|(w, _)| w)
            .filter(|w| *w != word)
            .collect();
        let mut alts = vec![format!("\"{word}\"")];
        alts.extend(self.completions.iter().map(|w| format!("\"{w}\"")));
        let mut out: Vec<String> = self.parts[..self.parts.len() - 1]
            .iter()
            .map(|p| format!("\"{}\"", p.words.join(" ")))
            .collect();
        out.push(if alts.len() == 1 {
            alts.pop().expect("one")
        } else {
            format!("({})", alts.join(" OR "))
        });
        // FTS5 reads `"a" ("b" OR "c")` as a syntax error: AND spelt out.
        self.fts = out.join(" AND ");
    }

    /// The text for Xapian's `QueryParser`: words, and phrases in double quotes.
    pub fn xapian(&self) -> String {
        self.parts
            .iter()
            .map(|p| {
                if p.quoted {
                    format!("\"{}\"", p.words.join(" "))
                } else {
                    p.words.join(" ")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Words (runs of letters and digits, lowercased) and quoted phrases of `text`, and
/// whether the last is a word the text ends inside (a prefix, as Quire reads it).
pub fn parts(text: &str) -> (Vec<Part>, bool) {
    let mut parts = Vec::new();
    let mut last_is_word = false;
    let pieces: Vec<&str> = text.split('"').collect();
    for (i, segment) in pieces.iter().enumerate() {
        let words: Vec<String> = segment
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            continue;
        }
        if i % 2 == 1 && pieces.len() > i + 1 {
            parts.push(Part {
                words,
                quoted: true,
            });
            last_is_word = false;
        } else {
            parts.extend(words.into_iter().map(|w| Part {
                words: vec![w],
                quoted: false,
            }));
            last_is_word = true;
        }
    }
    let prefix = last_is_word && text.chars().last().is_some_and(char::is_alphanumeric);
    (parts, prefix)
}

/// The query mix for generated corpora of generator seed `seed` (about 90 queries).
pub fn mix(seed: u64) -> Vec<Query> {
    let vocab: Vec<&str> = quire_gen::vocabulary().to_vec();
    // Articles 1, 31, 61, …: spread over the first thousand.
    let texts: Vec<String> = (1..=1000)
        .step_by(30)
        .filter_map(|n| {
            let article = quire_gen::generate_one(seed, n);
            let parsed = parse_article(article.file_name.as_ref(), &article.markdown).ok()?;
            Some(markdown::to_plain(&parsed.body).text)
        })
        .collect();
    mix_from(&vocab, &texts, true)
}

/// The query mix for any corpus: `vocab` its words from the most used to the least,
/// `texts` plain-text bodies of articles every size of the corpus contains (pairs,
/// triples and phrases are drawn from them), and with `examples` the design's own
/// queries (`withdrawing consent`, `painful sex`…) too.
pub fn mix_from(vocab: &[&str], texts: &[String], examples: bool) -> Vec<Query> {
    let known: HashSet<&str> = vocab.iter().copied().collect();
    let (bigrams, trigrams) = text_ngrams(texts, &known);
    let mut out = Vec::new();

    // Single words from the most common to the rarest, roughly evenly on a log scale,
    // and the words of the design's examples.
    let mut singles: BTreeSet<usize> = BTreeSet::new();
    let mut rank = 0usize;
    while rank < vocab.len() && singles.len() < 14 {
        singles.insert(rank);
        rank = (rank * 2).max(rank + 1) + rank / 3;
    }
    singles.insert(vocab.len() - 1);
    for r in singles {
        out.push(Query::new(Kind::Single, vocab[r]));
    }
    if examples {
        for w in ["consent", "withdrawing"] {
            out.push(Query::new(Kind::Single, w));
        }
    }

    // Two or three words: pairs that stand together in the text, pairs of a common and a
    // rarer vocabulary word, and the design's examples.
    for b in bigrams.iter().take(8) {
        out.push(Query::new(Kind::TwoWord, b.clone()));
    }
    for i in 0..5 {
        let a = vocab[i * 3];
        let b = vocab[(40 + i * 97).min(vocab.len() - 1)];
        out.push(Query::new(Kind::TwoWord, format!("{a} {b}")));
    }
    if examples {
        for q in ["withdrawing consent", "painful sex", "changed my mind"] {
            out.push(Query::new(Kind::TwoWord, q));
        }
    } else {
        for b in bigrams.iter().skip(20).take(3) {
            out.push(Query::new(Kind::TwoWord, b.clone()));
        }
    }

    // Quoted phrases from the text.
    for b in bigrams.iter().skip(8).take(8) {
        out.push(Query::new(Kind::Phrase, format!("\"{b}\"")));
    }
    for t in trigrams.iter().take(4) {
        out.push(Query::new(Kind::Phrase, format!("\"{t}\"")));
    }

    // Search as you type: every keystroke of two queries from the second character on,
    // except those that end in a space (the same query as the keystroke before) and the
    // last (the whole query, already in the mix).
    let first = bigrams
        .get(16)
        .or(bigrams.last())
        .map_or("responsive desire", String::as_str);
    let second = if examples {
        "painful sex"
    } else {
        bigrams.get(18).map_or("open text", String::as_str)
    };
    for typed in [first, second] {
        let mut prefix = String::new();
        for c in typed.chars() {
            prefix.push(c);
            if prefix.len() >= 2 && c.is_alphanumeric() && prefix != typed {
                out.push(Query::new(Kind::Prefix, prefix.clone()));
            }
        }
    }

    // One typo in a word of six letters or more, cycling through the usual kinds of typo
    // (swapped, missing, wrong and doubled letter); the result must not be a real word.
    let mut n = 0;
    let step = (vocab.len() / 80).clamp(1, 37);
    for (i, w) in vocab.iter().enumerate().skip(5).step_by(step) {
        if n == 14 {
            break;
        }
        if w.len() < 6 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        let typo = typo(w, i);
        if !known.contains(typo.as_str()) && !out.iter().any(|q| q.text == typo) {
            out.push(Query::new(Kind::Typo, typo));
            n += 1;
        }
    }
    out
}

/// One typo in `word` (ASCII, 6+ letters); `i` picks which kind.
fn typo(word: &str, i: usize) -> String {
    let mut b: Vec<u8> = word.bytes().collect();
    let at = b.len() / 2;
    match i % 4 {
        0 => b.swap(at - 1, at),
        1 => {
            b.remove(at);
        }
        2 => b[at] = if b[at] == b'e' { b'a' } else { b'e' },
        _ => b.insert(at, b[at]),
    }
    String::from_utf8(b).expect("ASCII")
}

/// Pairs and triples of adjacent words from the bodies of early articles: pairs of two
/// vocabulary words, triples starting and ending with one. Distinct, in article order.
fn text_ngrams(texts: &[String], known: &HashSet<&str>) -> (Vec<String>, Vec<String>) {
    let mut bigrams = Vec::new();
    let mut trigrams = Vec::new();
    let mut seen = HashSet::new();
    for plain in texts {
        let mut took = (false, false);
        // Runs of plain lowercase words; any other character ends the run.
        for run in plain.split(|c: char| !(c.is_ascii_alphabetic() || c == ' ')) {
            let words: Vec<String> = run.split(' ').map(str::to_lowercase).collect();
            if words.iter().any(String::is_empty) {
                // A run broken by an apostrophe or the like: skip its edges.
                continue;
            }
            for w in words.windows(2) {
                let pair = format!("{} {}", w[0], w[1]);
                if !took.0
                    && w[0] != w[1]
                    && known.contains(w[0].as_str())
                    && known.contains(w[1].as_str())
                    && seen.insert(pair.clone())
                {
                    bigrams.push(pair);
                    took.0 = true;
                }
            }
            for w in words.windows(3) {
                let triple = format!("{} {} {}", w[0], w[1], w[2]);
                if !took.1
                    && known.contains(w[0].as_str())
                    && known.contains(w[2].as_str())
                    && seen.insert(triple.clone())
                {
                    trigrams.push(triple);
                    took.1 = true;
                }
            }
        }
    }
    (bigrams, trigrams)
}

/// The FTS5 `MATCH` expression an app would build from `text`: words (runs of letters and
/// digits) double-quoted and all required, `"quoted phrases"` kept, the last word a
/// prefix when the text ends inside it. Text with no words gives `""`, which matches
/// nothing.
pub fn fts_match(text: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut last_is_word = false;
    for (i, segment) in text.split('"').enumerate() {
        let words: Vec<&str> = segment
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        // Odd segments lie between quotes (an unclosed quote makes plain words).
        let quoted = i % 2 == 1 && text.split('"').count() > i + 1;
        if quoted {
            parts.push(format!("\"{}\"", words.join(" ")));
            last_is_word = false;
        } else {
            parts.extend(words.iter().map(|w| format!("\"{w}\"")));
            last_is_word = true;
        }
    }
    if parts.is_empty() {
        return "\"\"".into();
    }
    if last_is_word && text.chars().last().is_some_and(char::is_alphanumeric) {
        parts.last_mut().expect("not empty").push('*');
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_expressions() {
        assert_eq!(fts_match("consent"), "\"consent\"*");
        assert_eq!(fts_match("consent "), "\"consent\"");
        assert_eq!(fts_match("painful sex"), "\"painful\" \"sex\"*");
        assert_eq!(fts_match("\"responsive desire\""), "\"responsive desire\"");
        assert_eq!(fts_match("\"open quote"), "\"open\" \"quote\"*");
        assert_eq!(fts_match("a - *"), "\"a\"");
        assert_eq!(fts_match("  "), "\"\"");
    }

    #[test]
    fn parts_and_what_the_other_engines_get() {
        let q = Query::new(Kind::Prefix, "Painful \"sex life\" wi");
        assert_eq!(q.parts.len(), 3);
        assert!(q.parts[1].quoted && q.parts[1].words == ["sex", "life"]);
        assert!(q.prefix);
        assert_eq!(q.expansions, 4);
        assert_eq!(q.xapian(), "painful \"sex life\" wi");
        let done = Query::new(Kind::Phrase, "\"sex life\"");
        assert!(!done.prefix);
        assert_eq!(Query::new(Kind::Single, "consent").expansions, 12);
        assert!(!Query::new(Kind::Single, "consent ").prefix);
    }

    #[test]
    fn the_mix_is_deterministic_and_covers_every_kind() {
        let a = mix(42);
        assert_eq!(a, mix(42));
        for kind in Kind::ALL {
            let n = a.iter().filter(|q| q.kind == kind).count();
            assert!(n >= 4, "{kind}: {n} queries");
        }
        assert!(a.len() > 60 && a.len() < 120, "{} queries", a.len());
        let texts: HashSet<&str> = a.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts.len(), a.len(), "queries repeat");
    }
}
