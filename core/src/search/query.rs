//! The lenient query parser for what people type.
//!
//! Syntax: plain words; `"quoted phrases"`; `-word` or `-"a phrase"` to exclude; the last
//! word, when nothing follows it, also matches as a prefix (search as you type). Words
//! joined by a dash or other punctuation (`self-betrayal`) are searched as a phrase.
//! Curly quotes and typographic dashes count as their plain forms. Anything else is
//! text: it never makes the parser fail. An unclosed quote makes its words plain words.
//!
//! Only the first [`MAX_QUERY_CHARS`] characters and [`MAX_CLAUSES`] clauses are used,
//! so a pasted page of text is answered as fast as a short query.

use crate::index::Analyzers;

/// Characters of a query that are looked at; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 512;
/// Clauses (words or phrases) of a query that are used; the rest are ignored.
pub const MAX_CLAUSES: usize = 16;
/// Words in one phrase that are used.
pub const MAX_PHRASE_WORDS: usize = 12;

/// What a clause asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClauseKind {
    /// One word.
    Word,
    /// Words next to each other, in order.
    Phrase,
}

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Word or phrase.
    pub kind: ClauseKind,
    /// Surface forms (lowercased, folded), one for a word, two or more for a phrase.
    pub words: Vec<String>,
    /// The clause excludes articles (`-word`).
    pub negated: bool,
    /// The word is the last thing typed and may be unfinished: match it as a prefix too.
    pub prefix: bool,
    /// Where the clause's text starts and ends in the (normalised) query, in bytes, so a
    /// suggestion can replace one word and keep the rest as typed.
    pub span: std::ops::Range<usize>,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// The query text after normalisation (quotes and dashes folded, truncated).
    pub text: String,
    /// Its clauses, in order.
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// Clauses that must or may match (not excluded).
    pub fn positive(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| !c.negated)
    }

    /// Excluded clauses.
    pub fn negative(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.negated)
    }
}

/// Folds typographic quotes and dashes to `"` and `-`, and keeps at most
/// [`MAX_QUERY_CHARS`] characters.
pub fn normalize(text: &str) -> String {
    text.chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| match c {
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{00ab}' | '\u{00bb}'
            | '\u{2033}' | '\u{301d}' | '\u{301e}' | '\u{ff02}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{fe63}' | '\u{ff0d}' => '-',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Parses user text. Never fails: text that yields no words gives no clauses.
pub fn parse(text: &str, analyzers: &mut Analyzers) -> ParsedQuery {
    let text = normalize(text);
    let mut clauses = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && clauses.len() < MAX_CLAUSES {
        match bytes[i] {
            b' ' => i += 1,
            b'-' if bytes.get(i + 1).is_some_and(|&b| b != b' ' && b != b'-') => {
                let (mut negated_clauses, next) = read_unit(&text, i + 1, analyzers);
                for c in &mut negated_clauses {
                    c.negated = true;
                    c.prefix = false;
                    c.span.start = i;
                }
                clauses.append(&mut negated_clauses);
                i = next;
            }
            _ => {
                let (mut unit, next) = read_unit(&text, i, analyzers);
                clauses.append(&mut unit);
                i = next;
            }
        }
    }
    clauses.truncate(MAX_CLAUSES);
    // Search as you type: the last word is a prefix when the text ends inside it.
    let ends_in_word = text.chars().last().is_some_and(|c| c.is_alphanumeric());
    if let Some(last) = clauses.last_mut() {
        if ends_in_word
            && last.kind == ClauseKind::Word
            && !last.negated
            && last.span.end == text.len()
        {
            last.prefix = true;
        }
    }
    ParsedQuery { text, clauses }
}

/// Reads one unit at byte `start`: a quoted phrase or a bare token. Returns its clauses
/// (a bare token with several words is one phrase) and where the next unit starts.
fn read_unit(text: &str, start: usize, analyzers: &mut Analyzers) -> (Vec<Clause>, usize) {
    let rest = &text[start..];
    if let Some(inner) = rest.strip_prefix('"') {
        if let Some(close) = inner.find('"') {
            let phrase = &inner[..close];
            let end = start + 1 + close + 1;
            let words: Vec<String> = analyzers
                .surfaces(phrase)
                .into_iter()
                .take(MAX_PHRASE_WORDS)
                .collect();
            return (clause_of(words, start..end), end);
        }
        // Unclosed quote: its words are plain words.
        let mut clauses = Vec::new();
        let mut offset = start + 1;
        for token in inner.split(' ') {
            let words = analyzers.surfaces(token);
            let span = offset..offset + token.len();
            offset += token.len() + 1;
            clauses.extend(clause_of(words, span));
        }
        return (clauses, text.len());
    }
    let len = rest.find([' ', '"']).unwrap_or(rest.len());
    let end = start + len.max(1);
    let token = &text[start..end];
    let words: Vec<String> = analyzers
        .surfaces(token)
        .into_iter()
        .take(MAX_PHRASE_WORDS)
        .collect();
    (clause_of(words, start..end), end)
}

fn clause_of(words: Vec<String>, span: std::ops::Range<usize>) -> Vec<Clause> {
    let kind = match words.len() {
        0 => return Vec::new(),
        1 => ClauseKind::Word,
        _ => ClauseKind::Phrase,
    };
    vec![Clause {
        kind,
        words,
        negated: false,
        prefix: false,
        span,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> ParsedQuery {
        parse(text, &mut Analyzers::default())
    }

    fn summary(q: &ParsedQuery) -> Vec<String> {
        q.clauses
            .iter()
            .map(|c| {
                let mut s = String::new();
                if c.negated {
                    s.push('-');
                }
                match c.kind {
                    ClauseKind::Word => s.push_str(&c.words[0]),
                    ClauseKind::Phrase => s.push_str(&format!("\"{}\"", c.words.join(" "))),
                }
                if c.prefix {
                    s.push('*');
                }
                s
            })
            .collect()
    }

    #[test]
    fn words_phrases_exclusions_and_prefix() {
        assert_eq!(
            summary(&p("withdrawing consent")),
            ["withdrawing", "consent*"]
        );
        assert_eq!(
            summary(&p("withdrawing consent ")),
            ["withdrawing", "consent"]
        );
        assert_eq!(
            summary(&p("\"stop means stop\" -kink")),
            ["\"stop means stop\"", "-kink"]
        );
        assert_eq!(summary(&p("-\"no means\" yes")), ["-\"no means\"", "yes*"]);
        assert_eq!(summary(&p("self-betrayal")), ["\"self betrayal\""]);
        assert_eq!(summary(&p("“Stop” – means")), ["stop", "means*"]);
        assert_eq!(summary(&p("withdr")), ["withdr*"]);
    }

    #[test]
    fn odd_input_never_fails() {
        assert!(p("").clauses.is_empty());
        assert!(p("   ").clauses.is_empty());
        assert!(p("- *").clauses.is_empty());
        assert_eq!(summary(&p("a:(^")), ["a"]);
        assert!(p("\"").clauses.is_empty());
        assert_eq!(
            summary(&p("\"unclosed phrase here")),
            ["unclosed", "phrase", "here*"]
        );
        assert!(p("🙂🙂").clauses.is_empty());
        assert_eq!(summary(&p("-")), Vec::<String>::new());
        assert_eq!(summary(&p("--x")), ["x*"]);
        assert_eq!(summary(&p("同意")), ["同意*"]);
        let long = "consent ".repeat(2000);
        let q = p(&long);
        assert_eq!(q.clauses.len(), MAX_CLAUSES);
        assert!(q.text.chars().count() <= MAX_QUERY_CHARS);
    }

    #[test]
    fn spans_point_at_the_typed_text() {
        let q = p("how to withdrawl consent");
        let c = &q.clauses[2];
        assert_eq!(&q.text[c.span.clone()], "withdrawl");
    }
}
