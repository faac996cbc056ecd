//! The corpus vocabulary: completing prefixes and correcting typos from the words the
//! articles really use.

use std::sync::OnceLock;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy::directory::OwnedBytes;
use tantivy_fst::{Automaton, IntoStreamer, Map, Streamer};

/// Keys looked at when completing a prefix; a one-letter prefix stops there.
const MAX_PREFIX_SCAN: usize = 4096;

/// The vocabulary of a bundle: surface word → number of articles using it.
pub type Vocabulary = Map<OwnedBytes>;

/// Number of articles using `word` (0 when unknown).
pub fn doc_freq(vocab: &Vocabulary, word: &str) -> u64 {
    vocab.get(word).unwrap_or(0)
}

/// The most used words starting with `prefix`, most used first, at most `limit`.
///
/// A short prefix begins thousands of words: they are streamed past a list of the best
/// `limit` so far, and only a word that enters it is copied.
pub fn complete(vocab: &Vocabulary, prefix: &str, limit: usize) -> Vec<(String, u64)> {
    if prefix.is_empty() || limit == 0 {
        return Vec::new();
    }
    // Better first: more used, then shorter, then in order.
    let better = |df: u64, key: &[u8], than: &(String, u64)| {
        df.cmp(&than.1)
            .then_with(|| than.0.len().cmp(&key.len()))
            .then_with(|| than.0.as_bytes().cmp(key))
            .is_gt()
    };
    let mut stream = vocab.range().ge(prefix).into_stream();
    let mut best: Vec<(String, u64)> = Vec::with_capacity(limit + 1);
    let mut scanned = 0;
    while let Some((key, df)) = stream.next() {
        if !key.starts_with(prefix.as_bytes()) || scanned == MAX_PREFIX_SCAN {
            break;
        }
        scanned += 1;
        if best.len() == limit && !better(df, key, &best[limit - 1]) {
            continue;
        }
        let Ok(word) = std::str::from_utf8(key) else {
            continue;
        };
        let at = best.partition_point(|b| !better(df, key, b));
        best.insert(at, (word.to_string(), df));
        best.truncate(limit);
    }
    best
}

/// True when some word of the vocabulary starts with `prefix` (and is longer than it,
/// or is it).
pub fn has_completion(vocab: &Vocabulary, prefix: &str) -> bool {
    !prefix.is_empty()
        && vocab
            .range()
            .ge(prefix)
            .into_stream()
            .next()
            .is_some_and(|(key, _)| key.starts_with(prefix.as_bytes()))
}

/// The typo budget for a word: none under 4 characters, 1 up to 7, 2 from 8.
pub fn max_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// A word of the vocabulary close to what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The word.
    pub word: String,
    /// Edit distance from what was typed (a swap of two letters counts as one).
    pub distance: u8,
    /// Number of articles using it.
    pub doc_freq: u64,
}

/// Words within the typo budget of `word`, closest then most used first, at most
/// `limit`, excluding `word` itself.
pub fn corrections(vocab: &Vocabulary, word: &str, limit: usize) -> Vec<Candidate> {
    let max = max_distance(word);
    if max == 0 || limit == 0 {
        return Vec::new();
    }
    let dfa = builder(max).build_dfa(word);
    let mut stream = vocab.search(DfaAutomaton(&dfa)).into_stream();
    let mut found = Vec::new();
    while let Some((key, df)) = stream.next() {
        let Ok(candidate) = std::str::from_utf8(key) else {
            continue;
        };
        if candidate == word {
            continue;
        }
        if let Distance::Exact(d) = dfa.eval(key) {
            found.push(Candidate {
                word: candidate.to_string(),
                distance: d,
                doc_freq: df,
            });
        }
    }
    found.sort_by(|a, b| {
        a.distance
            .cmp(&b.distance)
            .then(b.doc_freq.cmp(&a.doc_freq))
            .then_with(|| a.word.cmp(&b.word))
    });
    found.truncate(limit);
    found
}

/// Splits a run-together word ("selfbetrayal") into two known words ("self",
/// "betrayal"), each at least two characters, choosing the split whose rarer half is
/// most used.
pub fn split_compound(vocab: &Vocabulary, word: &str) -> Option<(String, String)> {
    let chars = word.chars().count();
    if chars < 5 {
        return None;
    }
    word.char_indices()
        .skip(2)
        .take(chars.saturating_sub(3))
        .filter_map(|(i, _)| {
            let (left, right) = word.split_at(i);
            let score = doc_freq(vocab, left).min(doc_freq(vocab, right));
            (score > 0).then_some((score, left, right))
        })
        .max_by_key(|&(score, left, _)| (score, left.len()))
        .map(|(_, l, r)| (l.to_string(), r.to_string()))
}

/// Building a Levenshtein automaton builder is costly: one per distance, kept for the
/// life of the process.
fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    match distance {
        1 => ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true)),
        _ => TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true)),
    }
}

/// A Levenshtein DFA driving an FST search.
struct DfaAutomaton<'a>(&'a DFA);

impl Automaton for DfaAutomaton<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        let mut b = tantivy_fst::MapBuilder::memory();
        for (w, df) in [
            ("consensual", 3u64),
            ("consent", 40),
            ("consenting", 5),
            ("content", 9),
            ("stop", 30),
            ("withdrawal", 4),
        ] {
            b.insert(w, df).unwrap();
        }
        let bytes = b.into_inner().unwrap();
        Map::from(tantivy_fst::raw::Fst::new(OwnedBytes::new(bytes)).unwrap())
    }

    #[test]
    fn completes_prefixes_by_frequency() {
        let v = vocab();
        let words: Vec<String> = complete(&v, "cons", 10)
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        assert_eq!(words, ["consent", "consenting", "consensual"]);
        assert!(complete(&v, "zz", 10).is_empty());
        assert_eq!(complete(&v, "c", 2).len(), 2);
    }

    proptest::proptest! {
        /// The streamed top list is what sorting every completion gives, ties included.
        #[test]
        fn completion_keeps_the_best_of_every_completion(
            words in proptest::collection::btree_map("[ab]{1,5}", 1u64..6, 1..60),
            prefix in "[ab]{1,2}",
            limit in 1usize..8,
        ) {
            let mut b = tantivy_fst::MapBuilder::memory();
            for (w, df) in &words {
                b.insert(w, *df).unwrap();
            }
            let bytes = b.into_inner().unwrap();
            let v = Map::from(tantivy_fst::raw::Fst::new(OwnedBytes::new(bytes)).unwrap());
            let mut all: Vec<(String, u64)> = words
                .iter()
                .filter(|(w, _)| w.starts_with(&prefix))
                .map(|(w, df)| (w.clone(), *df))
                .collect();
            all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.len().cmp(&b.0.len())).then(a.0.cmp(&b.0)));
            proptest::prop_assert_eq!(has_completion(&v, &prefix), !all.is_empty());
            all.truncate(limit);
            proptest::prop_assert_eq!(complete(&v, &prefix, limit), all);
        }
    }

    #[test]
    fn corrects_typos_within_budget() {
        let v = vocab();
        let best = &corrections(&v, "consnet", 3)[0];
        assert_eq!((best.word.as_str(), best.distance), ("consent", 1));
        assert_eq!(corrections(&v, "withdrawl", 3)[0].word, "withdrawal");
        assert!(
            corrections(&v, "stp", 3).is_empty(),
            "three letters: no budget"
        );
        assert!(
            corrections(&v, "consent", 3)
                .iter()
                .all(|c| c.word != "consent")
        );
        assert_eq!(doc_freq(&v, "stop"), 30);
        assert_eq!(
            split_compound(&v, "stopconsent"),
            Some(("stop".into(), "consent".into()))
        );
        assert_eq!(split_compound(&v, "consentzz"), None);
        assert_eq!(split_compound(&v, "stop"), None);
        assert_eq!(doc_freq(&v, "nope"), 0);
    }
}
