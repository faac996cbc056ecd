//! Finding the words to mark: a query's stems, in groups, against an article's text, as
//! the analysis splits and stems it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

use crate::index::analysis::{self, Analyzers};

/// A stem a [`Marker`] found, shared by every match of it (a match is cheap to copy).
pub type Stem = Rc<str>;

/// The stems to mark, and a cheap way to skip words that cannot be one of them.
pub struct Marker {
    stems: HashSet<String>,
    /// Phrases to mark (given as stems joined by spaces), each two or more stems.
    phrases: Vec<Vec<String>>,
    /// Stems that are marked only inside one of the `phrases`.
    phrase_only: HashSet<String>,
    /// For each stem, a prefix every word with that stem starts with (the stem minus its
    /// last letter: stemming only rewrites endings).
    keys: Vec<String>,
    /// The first two bytes of the keys, lowercased, as a set of 65,536 bits (a key of one
    /// byte sets every second byte): most words are passed over on this test alone.
    starts: Vec<u64>,
    /// Each stem's group: the query word (with its completions, corrections and
    /// thesaurus alternatives) it stands for. A snippet shows as many groups as it can.
    group_of: HashMap<String, usize>,
    /// Surface words already stemmed for this query → the stem they matched, if any
    /// (the same words come back in every article of a page of hits).
    seen: RefCell<HashMap<String, Option<Stem>>>,
}

/// Words remembered by a [`Marker`], at most.
const SEEN_MAX: usize = 4096;

/// The scan's classes of bytes: ASCII that is neither a letter nor a digit…
const SEPARATOR: u8 = 0;
/// …the apostrophe (inside a word, it joins two parts)…
const APOSTROPHE: u8 = 1;
/// …ASCII letters and digits…
const ALNUM: u8 = 2;
/// …and the bytes of other characters.
const NON_ASCII: u8 = 3;
/// The end of the run of ASCII letters and digits starting at `at`: eight bytes at a
/// time while eight are left (a word is usually inside the first eight), then one at a
/// time.
fn alnum_run_end(bytes: &[u8], mut at: usize) -> usize {
    const fn every(b: u8) -> u64 {
        0x0101_0101_0101_0101 * b as u64
    }
    const HIGH: u64 = every(0x80);
    while let Some(chunk) = bytes.get(at..at + 8) {
        let v = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Per byte, with its high bit cleared (no sum below carries into the next
        // byte): the high bit of `x + (0x80 - lo)` says x >= lo, of `x + (0x7f - hi)`
        // says x > hi.
        let x = v & !HIGH;
        let at_least = |x: u64, lo: u8| x.wrapping_add(every(0x80 - lo)) & HIGH;
        let above = |x: u64, hi: u8| x.wrapping_add(every(0x7f - hi)) & HIGH;
        let digit = at_least(x, b'0') & !above(x, b'9');
        let folded = x | every(0x20);
        let letter = at_least(folded, b'a') & !above(folded, b'z');
        // Not a letter or digit, or not ASCII at all.
        let stop = (!(digit | letter) & HIGH) | (v & HIGH);
        if stop != 0 {
            return at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| CLASS[usize::from(b)] != ALNUM)
        .map_or(bytes.len(), |n| at + n)
}

/// The class of each byte, looked up once per byte of text scanned.
static CLASS: [u8; 256] = {
    let mut class = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        class[b] = if c.is_ascii_alphanumeric() {
            ALNUM
        } else if c == b'\'' {
            APOSTROPHE
        } else if c.is_ascii() {
            SEPARATOR
        } else {
            NON_ASCII
        };
        b += 1;
    }
    class
};

impl Marker {
    /// Marks words whose stem is one of `stems`. A "stem" holding spaces is a phrase
    /// (stems in order, as `Searcher::highlight_stems` gives a thesaurus phrase): its
    /// words are marked where they stand together, in that order, and only there.
    pub fn new(stems: impl IntoIterator<Item = String>) -> Marker {
        Marker::with_groups(stems.into_iter().map(|s| vec![s]))
    }

    /// Marks the stems of `groups` (as [`new`](Marker::new) reads them), each group the
    /// alternatives of one query word: the passage shown is the one with the most
    /// groups, so that the completions of one word do not outweigh another word.
    pub fn with_groups(groups: impl IntoIterator<Item = Vec<String>>) -> Marker {
        let mut phrases: Vec<Vec<String>> = Vec::new();
        let mut singles: HashSet<String> = HashSet::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for (g, group) in groups.into_iter().enumerate() {
            for s in group.iter().filter(|s| !s.trim().is_empty()) {
                let words: Vec<String> = s
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(String::from)
                    .collect();
                for w in &words {
                    group_of.entry(w.clone()).or_insert(g);
                }
                if words.len() > 1 {
                    if !phrases.contains(&words) {
                        phrases.push(words);
                    }
                } else {
                    singles.extend(words);
                }
            }
        }
        let phrase_only: HashSet<String> = phrases
            .iter()
            .flatten()
            .filter(|w| !singles.contains(*w))
            .cloned()
            .collect();
        let mut stems = singles;
        stems.extend(phrase_only.iter().cloned());
        let mut keys: Vec<String> = stems
            .iter()
            .map(|s| {
                let cut = s.char_indices().last().map(|(i, _)| i).unwrap_or(0);
                if cut == 0 {
                    s.clone()
                } else {
                    s[..cut].to_string()
                }
            })
            .collect();
        keys.sort();
        keys.dedup();
        let mut starts = vec![0u64; 1024];
        for k in &keys {
            let Some((&first, rest)) = k.as_bytes().split_first() else {
                continue;
            };
            let first = usize::from(first.to_ascii_lowercase()) << 8;
            match rest.first() {
                Some(&second) => {
                    let at = first | usize::from(second.to_ascii_lowercase());
                    starts[at / 64] |= 1 << (at % 64);
                }
                None => starts[first / 64..first / 64 + 4].fill(u64::MAX),
            }
        }
        Marker {
            stems,
            phrases,
            phrase_only,
            keys,
            starts,
            group_of,
            seen: RefCell::default(),
        }
    }

    /// The group of each match, as small numbers.
    pub(in crate::search) fn groups_of(&self, matches: &[(Range<usize>, Stem)]) -> Vec<usize> {
        matches
            .iter()
            .map(|(_, s)| self.group_of.get(&**s).copied().unwrap_or(usize::MAX))
            .collect()
    }

    /// True when there is nothing to mark.
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }

    fn could_match(&self, surface: &str) -> bool {
        self.keys.iter().any(|k| surface.starts_with(k.as_str()))
    }

    /// True when the ASCII word `word` (any case) starts with one of the keys.
    fn could_match_ascii(&self, word: &[u8]) -> bool {
        let at = (usize::from(word[0].to_ascii_lowercase()) << 8)
            | usize::from(word.get(1).map_or(0, u8::to_ascii_lowercase));
        if self.starts[at / 64] & (1 << (at % 64)) == 0 {
            return false;
        }
        self.keys
            .iter()
            .any(|k| word.len() >= k.len() && word[..k.len()].eq_ignore_ascii_case(k.as_bytes()))
    }

    /// Byte ranges of the words of `text` to mark, with the stem each one matched.
    ///
    /// Words are found as the analysis finds them. A word of ASCII letters and digits
    /// alone (nearly all of them) is looked at in place, and copied, lowercased and
    /// stemmed only when it could match a stem; any other word (accents, inner
    /// apostrophes) goes through the analysis's own word splitting and folding.
    pub fn find(&self, text: &str, analyzers: &mut Analyzers) -> Vec<(Range<usize>, Stem)> {
        let mut found = Vec::new();
        self.scan(text, 0..text.len(), analyzers, &mut found);
        self.keep_phrases(text, found)
    }

    /// Adds to `found` the words of `text` starting in `range` to mark (before phrases
    /// are checked). `range.end` must be the text's end or a space or line break, so
    /// that no word goes on past it.
    pub(super) fn scan(
        &self,
        text: &str,
        range: Range<usize>,
        analyzers: &mut Analyzers,
        found: &mut Vec<(Range<usize>, Stem)>,
    ) {
        if self.is_empty() {
            return;
        }
        let bytes = &text.as_bytes()[..range.end];
        let text = &text[..range.end];
        let mut word = String::new();
        let mut at = range.start;
        while at < bytes.len() {
            // Past spaces and punctuation to the next word.
            match bytes[at..]
                .iter()
                .position(|&b| CLASS[usize::from(b)] > APOSTROPHE)
            {
                Some(n) => at += n,
                None => break,
            }
            if CLASS[usize::from(bytes[at])] == ALNUM {
                let end = alnum_run_end(bytes, at);
                // A plain ASCII word unless it goes on past an apostrophe or into a
                // non-ASCII character.
                if bytes
                    .get(end)
                    .is_none_or(|&b| CLASS[usize::from(b)] == SEPARATOR)
                {
                    let w = &bytes[at..end];
                    if w.len() <= analysis::MAX_WORD_LEN && self.could_match_ascii(w) {
                        word.clear();
                        word.push_str(&text[at..end]);
                        word.make_ascii_lowercase();
                        if let Some(stem) = self.stem_if_marked(&word, analyzers) {
                            found.push((at..end, stem));
                        }
                    }
                    at = end;
                    continue;
                }
            }
            let Some(range) = analysis::next_word(text, at, &mut word) else {
                break;
            };
            at = range.end;
            if word.len() > analysis::MAX_WORD_LEN {
                continue;
            }
            let folded;
            let surface = if word.is_ascii() {
                word.make_ascii_lowercase();
                word.as_str()
            } else {
                folded = analyzers.surfaces(&word).concat();
                folded.as_str()
            };
            if !self.could_match(surface) {
                continue;
            }
            if let Some(stem) = self.stem_if_marked(surface, analyzers) {
                found.push((range, stem));
            }
        }
    }

    /// `found` without the words marked only as part of a phrase that do not stand in
    /// one (see [`keep_phrases`](Marker::keep_phrases)).
    pub(super) fn kept<'f>(
        &self,
        text: &str,
        found: &'f [(Range<usize>, Stem)],
    ) -> Cow<'f, [(Range<usize>, Stem)]> {
        if self.phrase_only.is_empty() {
            Cow::Borrowed(found)
        } else {
            Cow::Owned(self.keep_phrases(text, found.to_vec()))
        }
    }

    /// Drops the words marked only as part of a phrase that do not stand in one: each
    /// phrase must match consecutive marked words with nothing but spaces and
    /// punctuation between them.
    pub(super) fn keep_phrases(
        &self,
        text: &str,
        found: Vec<(Range<usize>, Stem)>,
    ) -> Vec<(Range<usize>, Stem)> {
        if self.phrase_only.is_empty() {
            return found;
        }
        let adjacent = |a: &Range<usize>, b: &Range<usize>| {
            text.get(a.end..b.start)
                .is_some_and(|gap| !gap.chars().any(char::is_alphanumeric))
        };
        let mut keep = vec![false; found.len()];
        for (i, (_, stem)) in found.iter().enumerate() {
            if !self.phrase_only.contains(&**stem) {
                keep[i] = true;
            }
        }
        for phrase in &self.phrases {
            let n = phrase.len();
            for start in 0..found.len().saturating_sub(n - 1) {
                let run = &found[start..start + n];
                let same = run.iter().zip(phrase).all(|((_, s), p)| **s == **p);
                if same && run.windows(2).all(|w| adjacent(&w[0].0, &w[1].0)) {
                    keep[start..start + n].iter_mut().for_each(|k| *k = true);
                }
            }
        }
        found
            .into_iter()
            .zip(keep)
            .filter_map(|(f, k)| k.then_some(f))
            .collect()
    }

    /// The stem of `surface` (lowercased and folded) if it is one to mark.
    fn stem_if_marked(&self, surface: &str, analyzers: &mut Analyzers) -> Option<Stem> {
        let mut seen = self.seen.borrow_mut();
        if let Some(known) = seen.get(surface) {
            return known.clone();
        }
        let stem = Some(analyzers.stem_surface(surface))
            .filter(|s| self.stems.contains(s))
            .map(Stem::from);
        if seen.len() < SEEN_MAX {
            seen.insert(surface.to_string(), stem.clone());
        }
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::super::{SNIPPET_LEN, best_window};
    use super::*;

    /// Every word through the analysis's word splitting: what `Marker::find` must find.
    fn find_word_by_word(marker: &Marker, text: &str) -> Vec<(Range<usize>, Stem)> {
        let mut analyzers = Analyzers::default();
        let mut found = Vec::new();
        let mut word = String::new();
        let mut pos = 0;
        while let Some(range) = analysis::next_word(text, pos, &mut word) {
            pos = range.end;
            if word.len() > analysis::MAX_WORD_LEN {
                continue;
            }
            let surface = analyzers.surfaces(&word).concat();
            let stem = analyzers.stem_surface(&surface);
            if marker.stems.contains(&stem) {
                found.push((range, Stem::from(stem)));
            }
        }
        found
    }

    /// The first `best_window`: every window's stems counted afresh.
    fn best_window_by_counting(matches: &[(Range<usize>, Stem)]) -> (usize, usize) {
        let mut best = (0usize, 0usize);
        let mut best_score = (0usize, 0usize);
        let mut hi = 0;
        for lo in 0..matches.len() {
            hi = hi.max(lo);
            while hi + 1 < matches.len()
                && matches[hi + 1].0.end - matches[lo].0.start <= SNIPPET_LEN - 40
            {
                hi += 1;
            }
            let distinct: HashSet<&str> = matches[lo..=hi].iter().map(|(_, s)| &**s).collect();
            let score = (distinct.len(), hi - lo + 1);
            if score > best_score {
                best_score = score;
                best = (lo, hi);
            }
        }
        best
    }

    #[test]
    fn an_alnum_run_ends_where_the_table_says() {
        let table_end = |bytes: &[u8], at: usize| {
            bytes[at..]
                .iter()
                .position(|&b| CLASS[usize::from(b)] != ALNUM)
                .map_or(bytes.len(), |n| at + n)
        };
        // Every byte value after seven letters, and runs cut at every length.
        for b in 0..=255u8 {
            let mut bytes = b"abcdefg".to_vec();
            bytes.push(b);
            bytes.extend_from_slice(b"xyz0123456789");
            for at in 0..bytes.len() {
                assert_eq!(
                    alnum_run_end(&bytes, at),
                    table_end(&bytes, at),
                    "{b:#x} at {at}"
                );
            }
        }
        let all: Vec<u8> = (0..=255u8).chain(0..=255).collect();
        for at in 0..all.len() {
            assert_eq!(alnum_run_end(&all, at), table_end(&all, at), "at {at}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn fast_word_scan_finds_what_the_analysis_finds(
            text in "([a-zA-Z0-9]{1,12}|Stop|stopped|STOPPING|Consent|consents|'|’|é|É|ß|🙂|“|—|\\.| |\n){0,120}",
            extra in "[a-z]{1,5}",
        ) {
            let mut analyzers = Analyzers::default();
            let stems: Vec<String> = ["stop", "consent", extra.as_str()]
                .iter()
                .map(|w| analyzers.stem_surface(w))
                .collect();
            let marker = Marker::new(stems);
            let fast = marker.find(&text, &mut analyzers);
            proptest::prop_assert_eq!(&fast, &find_word_by_word(&marker, &text));
            let (lo, hi, _) = best_window(&marker.groups_of(&fast), &fast);
            proptest::prop_assert_eq!((lo, hi), best_window_by_counting(&fast));
        }
    }
}
