//! Snippets: the passage of an article that best shows why it matched, with the
//! matched words marked.

use std::ops::Range;

use crate::Result;
use crate::bundle::PlainTextReader;
use crate::index::analysis::Analyzers;

mod marker;

pub use marker::{Marker, Stem};

/// Target length of a snippet, in bytes of text (about two lines on a phone).
pub const SNIPPET_LEN: usize = 200;
/// How far before the first match a snippet may start to begin at a sentence.
const LEAD_MAX: usize = 70;

/// A snippet and the ranges, in characters of the snippet, of the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// One line of text; `…` marks a cut at either end.
    pub text: String,
    /// Character ranges (start inclusive, end exclusive) of the matched words.
    pub highlights: Vec<(u32, u32)>,
}

/// Builds the snippet of `text` for the words `marker` marks. With no match, the start of
/// the text (or an empty snippet for empty text).
pub fn snippet(text: &str, marker: &Marker, analyzers: &mut Analyzers) -> Snippet {
    let matches = marker.find(text, analyzers);
    build(text, true, &matches, marker)
}

/// Text read past a snippet's window before it is cut: room to end on a sentence or a
/// word.
const LOOKAHEAD: usize = 100;
/// Text scanned first for a snippet, and the least each further read adds.
const FIRST_READ: usize = 1024;

/// Builds the snippet of an article's text, read only as far as needed: until the best
/// passage shows `need` groups of `marker` (those the index says the text holds: no
/// passage can show more), with room after it, or to the end. `need` 0 reads only the
/// start. Errors come from a damaged body.
pub fn snippet_of(
    text: &mut PlainTextReader,
    marker: &Marker,
    need: usize,
    analyzers: &mut Analyzers,
) -> Result<Snippet> {
    let mut found = Vec::new();
    let mut scanned = 0;
    let mut want = if need == 0 {
        SNIPPET_LEN + LOOKAHEAD
    } else {
        FIRST_READ
    };
    loop {
        text.read_to(want)?;
        let done = text.is_complete();
        let read = text.text();
        let end = if done {
            read.len()
        } else {
            read[scanned..]
                .rfind([' ', '\n'])
                .map_or(scanned, |i| scanned + i)
        };
        if need > 0 {
            marker.scan(read, scanned..end, analyzers, &mut found);
        }
        scanned = end;
        let kept = marker.kept(read, &found);
        let enough = need == 0 || {
            let (first, _, distinct) = best_window(&marker.groups_of(&kept), &kept);
            distinct >= need && read.len() >= kept[first].0.start + SNIPPET_LEN + LOOKAHEAD
        };
        if done || enough {
            return Ok(build(read, done, &kept, marker));
        }
        want = (read.len() * 2).max(read.len() + FIRST_READ);
    }
}

/// The snippet of `text` (the whole text when `complete`, else its start) from its
/// marked words `matches`.
fn build(text: &str, complete: bool, matches: &[(Range<usize>, Stem)], marker: &Marker) -> Snippet {
    if matches.is_empty() {
        let end = cut_forward(text, SNIPPET_LEN.min(text.len()));
        return render(text, 0..end, &[], false, end < text.len() || !complete);
    }
    let ids = marker.groups_of(matches);
    let (first, last, _) = best_window(&ids, matches);
    let window_start = matches[first].0.start;
    let window_end = matches[last].0.end;
    let (start, lead) = match sentence_start(text, window_start) {
        Some(s) => (s, false),
        None => (cut_back(text, window_start.saturating_sub(30)), true),
    };
    let mut end = ceil_boundary(text, (start + SNIPPET_LEN).max(window_end));
    let mut trail = !complete && end == text.len();
    if end < text.len() {
        match sentence_end(text, window_end, end) {
            Some(e) => end = e,
            None => {
                end = cut_forward(text, end);
                trail = end < text.len() || !complete;
            }
        }
    }
    let marks: Vec<Range<usize>> = matches
        .iter()
        .map(|(r, _)| r.clone())
        .filter(|r| r.start >= start && r.end <= end)
        .collect();
    render(text, start..end, &marks, lead, trail)
}

/// The run of matches with the most distinct groups `ids` (then the most matches) that
/// fits in a snippet, earlier runs winning ties: its first and last match, and its
/// number of groups (0 for no match).
fn best_window(ids: &[usize], matches: &[(Range<usize>, Stem)]) -> (usize, usize, usize) {
    // Groups as small numbers, and how many times each is inside the window lo..=hi.
    let mut names: Vec<usize> = Vec::new();
    let ids: Vec<usize> = ids
        .iter()
        .map(|g| {
            names.iter().position(|n| n == g).unwrap_or_else(|| {
                names.push(*g);
                names.len() - 1
            })
        })
        .collect();
    let mut count = vec![0usize; names.len()];
    let mut distinct = 0;
    let mut best = (0usize, 0usize);
    let mut best_score = (0usize, 0usize);
    // The window is lo..hi (hi exclusive) while it grows.
    let mut hi = 0;
    for lo in 0..matches.len() {
        if hi <= lo {
            hi = lo + 1;
            count[ids[lo]] += 1;
            if count[ids[lo]] == 1 {
                distinct += 1;
            }
        }
        while hi < matches.len() && matches[hi].0.end - matches[lo].0.start <= SNIPPET_LEN - 40 {
            count[ids[hi]] += 1;
            if count[ids[hi]] == 1 {
                distinct += 1;
            }
            hi += 1;
        }
        let score = (distinct, hi - lo);
        if score > best_score {
            best_score = score;
            best = (lo, hi - 1);
        }
        count[ids[lo]] -= 1;
        if count[ids[lo]] == 0 {
            distinct -= 1;
        }
    }
    (best.0, best.1, best_score.0)
}

/// Start of the sentence holding byte `at`, if it begins within [`LEAD_MAX`] bytes.
fn sentence_start(text: &str, at: usize) -> Option<usize> {
    let floor = at.saturating_sub(LEAD_MAX);
    let before = &text[..at];
    let mut boundary = None;
    for (i, c) in before.char_indices().rev() {
        if i < floor {
            break;
        }
        if c == '\n' {
            boundary = Some(i + 1);
            break;
        }
        if matches!(c, '.' | '?' | '!' | '…') && before[i + c.len_utf8()..].starts_with(' ') {
            boundary = Some(i + c.len_utf8());
            break;
        }
    }
    if boundary.is_none() && floor == 0 {
        boundary = Some(0);
    }
    boundary.map(|b| b + (text[b..].len() - text[b..].trim_start().len()))
}

/// End of the sentence that ends between `min` and `max`, if one does.
fn sentence_end(text: &str, min: usize, max: usize) -> Option<usize> {
    let slice = &text[min..max];
    slice
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '.' | '?' | '!' | '\n')
                && (i + c.len_utf8() >= slice.len()
                    || slice[i + c.len_utf8()..].starts_with([' ', '\n']))
        })
        .map(|(i, c)| min + i + if c == '\n' { 0 } else { c.len_utf8() })
        .next_back()
        .filter(|&e| e > min)
}

/// The first character boundary at or after byte `at` (at most the text's length).
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The nearest word start at or before byte `at`.
fn cut_back(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    match text[..at].rfind([' ', '\n']) {
        Some(i) if at > 0 && !text[at..].starts_with([' ', '\n']) => i + 1,
        _ => at,
    }
}

/// The nearest word end at or after byte `at`.
fn cut_forward(text: &str, at: usize) -> usize {
    let at = ceil_boundary(text, at);
    match text[at..].find([' ', '\n']) {
        Some(i) => at + i,
        None => text.len(),
    }
}

/// Renders `range` of `text` on one line, with `…` where it was cut mid-sentence
/// (`lead`, `trail`), and converts the byte ranges `marks` into character ranges of the
/// result.
fn render(
    text: &str,
    range: Range<usize>,
    marks: &[Range<usize>],
    lead: bool,
    trail: bool,
) -> Snippet {
    let mut out = Collapsed {
        bytes: Vec::with_capacity(range.len() + 8),
        chars: 0,
        last_space: true,
    };
    if lead {
        out.bytes.extend_from_slice("…".as_bytes());
        out.chars += 1;
    }
    let mut highlights = Vec::with_capacity(marks.len());
    let mut at = range.start;
    for m in marks {
        if m.start < at || m.end > range.end {
            continue;
        }
        out.append(&text[at..m.start]);
        let start = out.chars;
        out.append(&text[m.clone()]);
        highlights.push((start, out.chars));
        at = m.end;
    }
    out.append(&text[at..range.end]);
    let mut bytes = out.bytes;
    if bytes.last() == Some(&b' ') {
        bytes.pop();
    }
    if trail && !bytes.is_empty() {
        bytes.extend_from_slice("…".as_bytes());
    }
    Snippet {
        // Whole characters of `text` and ASCII spaces: always UTF-8.
        text: String::from_utf8(bytes).unwrap_or_default(),
        highlights,
    }
}

/// A snippet's text as it is built: white space collapsed to single spaces, and its
/// length in characters (highlights count characters).
struct Collapsed {
    bytes: Vec<u8>,
    chars: u32,
    /// The last character added is a space (or nothing is added yet): white space
    /// next is dropped.
    last_space: bool,
}

impl Collapsed {
    /// Adds `part`, each run of white space as one space. Runs of ASCII that need no
    /// change (nearly all of a snippet) are copied whole.
    fn append(&mut self, part: &str) {
        let bytes = part.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let run = at;
            while let Some(&b) = bytes.get(at) {
                // Stop at other characters, and at white space but a space after a
                // letter (ASCII white space is tab to carriage return, and space).
                let white = b == b' ' || (b'\t'..=b'\r').contains(&b);
                if !b.is_ascii() || (white && (b != b' ' || self.last_space)) {
                    break;
                }
                self.last_space = b == b' ';
                at += 1;
            }
            self.bytes.extend_from_slice(&bytes[run..at]);
            self.chars += (at - run) as u32;
            let Some(c) = part[at..].chars().next() else {
                break;
            };
            if !c.is_whitespace() {
                self.bytes.extend_from_slice(&bytes[at..at + c.len_utf8()]);
                self.chars += 1;
                self.last_space = false;
            } else if !self.last_space {
                self.bytes.push(b' ');
                self.chars += 1;
                self.last_space = true;
            }
            at += c.len_utf8();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, query_stems: &[&str]) -> Snippet {
        let marker = Marker::new(query_stems.iter().map(|s| s.to_string()));
        snippet(text, &marker, &mut Analyzers::default())
    }

    fn marked(s: &Snippet) -> Vec<String> {
        let chars: Vec<char> = s.text.chars().collect();
        s.highlights
            .iter()
            .map(|&(a, b)| chars[a as usize..b as usize].iter().collect())
            .collect()
    }

    #[test]
    fn phrases_are_marked_only_where_they_stand_together() {
        let text = "I feel fine. Mixed feelings, mixed up, and more mixed — feelings.";
        let s = run(text, &["mix feel", "fine"]);
        assert_eq!(
            marked(&s),
            ["fine", "Mixed", "feelings", "mixed", "feelings"]
        );
        // A word also searched alone is marked everywhere.
        let s = run(text, &["mix feel", "feel"]);
        assert_eq!(
            marked(&s),
            ["feel", "Mixed", "feelings", "mixed", "feelings"]
        );
        let s = run("kept on going, kept going", &["kept go"]);
        assert_eq!(marked(&s), ["kept", "going"]);
    }

    #[test]
    fn marks_word_forms_as_typed() {
        let text = "It was hard. When someone says “stop,” that is a withdrawal of consent. It doesn’t matter why.";
        let s = run(text, &["withdraw", "consent"]);
        assert_eq!(marked(&s), ["withdrawal", "consent"]);
        assert!(s.text.starts_with("When someone says"), "{}", s.text);
    }

    #[test]
    fn picks_the_passage_with_most_query_words() {
        let filler = "Nothing to see in this sentence at all. ".repeat(20);
        let text = format!(
            "Consent is mentioned once. {filler}Here withdrawal and consent meet in one sentence. {filler}"
        );
        let s = run(&text, &["withdraw", "consent"]);
        assert!(
            s.text.contains("Here withdrawal and consent meet"),
            "{}",
            s.text
        );
        assert!(s.text.starts_with("Here"), "{}", s.text);
        assert!(s.text.len() <= SNIPPET_LEN + 80);
    }

    #[test]
    fn no_match_gives_the_start_and_unicode_offsets_are_characters() {
        let s = run("Ünïcödé text about nothing in particular.", &["zzz"]);
        assert_eq!(s.text, "Ünïcödé text about nothing in particular.");
        assert!(s.highlights.is_empty());
        let s = run("Ünïcödé wörds: consent matters.", &["consent"]);
        assert_eq!(marked(&s), ["consent"]);
        assert_eq!(run("", &["a"]).text, "");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn any_text_gives_a_consistent_snippet(text in "(\\PC|\n|•|é|🙂| ){0,600}", stem in "[a-z]{1,6}") {
            let words: Vec<&str> = text.split_whitespace().take(3).collect();
            let mut stems = vec![stem];
            stems.extend(words.iter().map(|w| w.to_lowercase()));
            let s = run(&text, &stems.iter().map(String::as_str).collect::<Vec<_>>());
            let n = s.text.chars().count() as u32;
            let mut prev = 0;
            for &(a, b) in &s.highlights {
                proptest::prop_assert!(a >= prev && a < b && b <= n, "{:?} in {:?}", (a, b), s.text);
                prev = b;
            }
        }
    }

    /// `render` a character at a time, as it was first written: the reference for the
    /// run-copying one.
    fn render_by_characters(
        text: &str,
        range: Range<usize>,
        marks: &[Range<usize>],
        lead: bool,
        trail: bool,
    ) -> Snippet {
        let mut out = String::new();
        let mut highlights = Vec::new();
        let mut chars = 0u32;
        if lead {
            out.push('…');
            chars += 1;
        }
        let mut marks = marks.iter().peekable();
        let mut open: Option<u32> = None;
        let mut last_space = true;
        for (i, c) in text[range.clone()].char_indices() {
            let at = range.start + i;
            if open.is_none() && marks.peek().is_some_and(|m| at == m.start) {
                open = Some(chars);
            }
            let c = if c.is_whitespace() { ' ' } else { c };
            if c == ' ' && last_space {
                continue;
            }
            out.push(c);
            chars += 1;
            last_space = c == ' ';
            if let (Some(s), Some(m)) = (open, marks.peek())
                && at + c.len_utf8() >= m.end
            {
                highlights.push((s, chars));
                open = None;
                marks.next();
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        if trail && !out.is_empty() {
            out.push('…');
        }
        Snippet {
            text: out,
            highlights,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn rendering_copies_runs_as_characters_would(
            text in "([a-z]{1,7}|\\PC| |  |\n\n|\t|\r|\u{c}|\u{a0}|é|🙂|\u{2003}){0,80}",
            picks in proptest::collection::vec(0usize..1000, 0..6),
            lead: bool,
            trail: bool,
        ) {
            // Marks on some of the words, in order; the range from a character boundary.
            let words: Vec<Range<usize>> = text
                .split_whitespace()
                .map(|w| {
                    let start = w.as_ptr() as usize - text.as_ptr() as usize;
                    start..start + w.len()
                })
                .collect();
            let mut marks: Vec<Range<usize>> = picks
                .iter()
                .filter(|_| !words.is_empty())
                .map(|p| words[p % words.len()].clone())
                .collect();
            marks.sort_by_key(|m| m.start);
            marks.dedup();
            let from = marks.first().map_or(0, |m| m.start.min(text.len() / 3));
            let from = (0..=from).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let marks: Vec<Range<usize>> = marks.into_iter().filter(|m| m.start >= from).collect();
            proptest::prop_assert_eq!(
                render(&text, from..text.len(), &marks, lead, trail),
                render_by_characters(&text, from..text.len(), &marks, lead, trail)
            );
        }
    }

    #[test]
    fn paragraph_breaks_become_spaces() {
        let s = run(
            "First line.\n\nSecond line about stopping.\n\n• a list item",
            &["stop"],
        );
        assert!(!s.text.contains('\n'));
        assert_eq!(marked(&s), ["stopping"]);
    }
}
