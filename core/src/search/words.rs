//! What search knows about the words of each language: the words that need not all be
//! found, and the negations a correction must never cross.

use crate::index::Language;

/// English words that need not all appear for an article to match (unless the query is
/// only such words). "no", "not" and "stop" are deliberately absent: here they carry
/// meaning.
const OPTIONAL_EN: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for",
    "from", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "so",
    "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "we", "what",
    "when", "where", "which", "who", "why", "will", "with", "you", "your",
];

/// The Spanish ones, as the analysis folds them (accents dropped). "no", "sin" and
/// "nunca" carry meaning and are absent.
const OPTIONAL_ES: &[&str] = &[
    "a", "al", "como", "con", "cual", "cuando", "de", "del", "donde", "el", "ella", "en", "es",
    "esta", "este", "esto", "fue", "ha", "la", "las", "le", "les", "lo", "los", "me", "mi", "mis",
    "para", "pero", "por", "que", "quien", "se", "ser", "si", "son", "su", "sus", "te", "tu", "un",
    "una", "uno", "y", "yo",
];

/// Words of `language` that need not all be found.
pub(super) fn optional_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => OPTIONAL_EN,
        Language::Spanish => OPTIONAL_ES,
    }
}

/// True when `word` is one of the optional words of `language`.
pub(super) fn is_optional(language: Language, word: &str) -> bool {
    optional_words(language).contains(&word)
}

/// Prefixes that turn a word into its opposite ("unwanted", "nonconsensual",
/// "disrespect", "involuntary", "impolite", "irresponsible", "illegal"; "deseado" and
/// "indeseado").
fn negation_prefixes(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["un", "non", "dis", "in", "im", "ir", "il"],
        Language::Spanish => &["des", "in", "im", "ir", "no"],
    }
}

/// Words that negate what follows them: never the result of a correction.
fn negation_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["no", "not", "never", "nor", "dont", "didnt", "wont", "cant"],
        Language::Spanish => &["no", "ni", "nunca", "jamas", "sin"],
    }
}

/// True when correcting `typed` to `candidate` would add or remove a negation: a
/// negating prefix ("unwanted" → "wanted"), the "-n't" of English ("didnt" → "did"), or
/// a negating word. Such a correction turns what the reader meant around, which is worse
/// than none.
pub(super) fn crosses_negation(language: Language, typed: &str, candidate: &str) -> bool {
    if negation_words(language).contains(&candidate) != negation_words(language).contains(&typed) {
        return true;
    }
    // `longer` = prefix + something within one edit of `shorter`.
    let drops = |longer: &str, shorter: &str, prefix: &str| {
        longer
            .strip_prefix(prefix)
            .is_some_and(|rest| !shorter.starts_with(prefix) && within_one_edit(rest, shorter))
    };
    for prefix in negation_prefixes(language) {
        if drops(typed, candidate, prefix) || drops(candidate, typed, prefix) {
            return true;
        }
    }
    if language == Language::English {
        let drops_nt = |longer: &str, shorter: &str| {
            longer
                .strip_suffix("nt")
                .is_some_and(|rest| !shorter.ends_with("nt") && within_one_edit(rest, shorter))
        };
        if drops_nt(typed, candidate) || drops_nt(candidate, typed) {
            return true;
        }
    }
    false
}

/// True when `a` and `b` are at most one insertion, deletion or substitution apart.
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let start = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[start..]
            .iter()
            .skip(1)
            .eq(long[start..].iter().skip(1))
    } else {
        short[start..].iter().eq(long[start..].iter().skip(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrections_never_cross_a_negation() {
        let en = Language::English;
        for (typed, candidate) in [
            ("unwanted", "wanted"),
            ("unwnted", "wanted"),
            ("wanted", "unwanted"),
            ("nonconsensual", "consensual"),
            ("disrespect", "respect"),
            ("involuntary", "voluntary"),
            ("irresponsible", "responsible"),
            ("didnt", "did"),
            ("cant", "can"),
            ("wont", "won"),
            ("nto", "not"),
            ("not", "now"),
        ] {
            assert!(
                crosses_negation(en, typed, candidate),
                "{typed} → {candidate}"
            );
        }
        for (typed, candidate) in [
            ("consnet", "consent"),
            ("unerstand", "understand"),
            ("intimcy", "intimacy"),
            ("disire", "desire"),
            ("withdrawl", "withdrawal"),
            ("presure", "pressure"),
        ] {
            assert!(
                !crosses_negation(en, typed, candidate),
                "{typed} → {candidate}"
            );
        }
        let es = Language::Spanish;
        assert!(crosses_negation(es, "indeseado", "deseado"));
        assert!(crosses_negation(es, "desagradable", "agradable"));
        assert!(!crosses_negation(es, "consentimeinto", "consentimiento"));
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("wanted", "wanted"));
        assert!(within_one_edit("wnted", "wanted"));
        assert!(within_one_edit("wanted", "wanter"));
        assert!(!within_one_edit("wanted", "want"));
        assert!(within_one_edit("", "a"));
        assert!(within_one_edit("é", "e"));
    }

    #[test]
    fn optional_words_per_language() {
        assert!(is_optional(Language::English, "the"));
        assert!(!is_optional(Language::English, "not"));
        assert!(is_optional(Language::Spanish, "que"));
        assert!(!is_optional(Language::Spanish, "no"));
        assert!(!is_optional(Language::Spanish, "the"));
    }
}
