//! Planning: a parsed query turned into the stems to search for, with completions of
//! the unfinished last word and corrections of words the corpus does not know.

use std::collections::{HashMap, HashSet};

use tantivy::Term;

use super::Searcher;
use super::query::{ClauseKind, ParsedQuery};
use super::vocab;
use crate::index::Analyzers;

/// Completions of the last, unfinished word that are searched.
const PREFIX_EXPANSIONS: usize = 12;

/// Completions searched for an unfinished word of `chars` characters: a letter or two
/// says little about the word to come and begins a large share of the vocabulary, so it
/// completes to its few most used words only.
fn prefix_expansions(chars: usize) -> usize {
    if chars <= 2 { 4 } else { PREFIX_EXPANSIONS }
}

/// Known words searched in place of an unknown one.
const CORRECTIONS: usize = 3;

/// Words that need not all appear for an article to match (unless the query is only
/// such words). "no", "not" and "stop" are deliberately absent: here they carry meaning.
pub(super) const OPTIONAL_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for",
    "from", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "so",
    "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "we", "what",
    "when", "where", "which", "who", "why", "will", "with", "you", "your",
];

/// A stem to search, with its weight (1 for the word as typed, less for completions and
/// corrections).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Alt {
    pub(super) stem: String,
    pub(super) weight: f32,
}

/// What one clause needs found.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Need {
    /// A word, as any of its alternatives.
    Word(Vec<Alt>),
    /// Stems next to each other, in order.
    Phrase(Vec<String>),
}

/// One clause of a plan.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Planned {
    pub(super) need: Need,
    /// Articles matching it are left out.
    pub(super) negated: bool,
    /// An optional word ([`OPTIONAL_WORDS`]): it adds to the score but is not required.
    pub(super) optional: bool,
}

/// A query turned into stems: what to search for.
#[derive(Debug, Clone, Default)]
pub(super) struct Plan {
    pub(super) clauses: Vec<Planned>,
    /// Stems of the single words in the order typed, repeats included, with whether
    /// each is an optional word: the whole run, and pairs of required neighbours, are
    /// rewarded when they stand together in an article.
    pub(super) sequence: Vec<(String, bool)>,
}

impl Plan {
    pub(super) fn positive(&self) -> impl Iterator<Item = &Planned> {
        self.clauses.iter().filter(|c| !c.negated)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.positive().next().is_none()
    }

    /// Every stem a positive clause searches for, to mark in snippets.
    pub(super) fn stems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in self.positive() {
            match &c.need {
                Need::Word(_) if c.optional => {}
                Need::Word(alts) => out.extend(alts.iter().map(|a| a.stem.clone())),
                Need::Phrase(stems) => out.extend(stems.iter().cloned()),
            }
        }
        out
    }
}

/// How each unknown word of a query can be corrected.
pub(super) struct Corrections {
    /// Surface word → known words close to it, best first.
    pub(super) by_word: HashMap<String, Vec<vocab::Candidate>>,
    /// Surface word → the two known words it runs together ("selfbetrayal").
    pub(super) splits: HashMap<String, (String, String)>,
    /// The query with every correction made, when there is one.
    pub(super) suggestion: Option<String>,
}

impl Searcher<'_> {
    /// Turns parsed clauses into stems; with `corrections`, unknown words are replaced by
    /// the known words closest to them.
    pub(super) fn plan(
        &self,
        parsed: &ParsedQuery,
        corrections: Option<&Corrections>,
        analyzers: &mut Analyzers,
    ) -> Plan {
        let vocab = self.bundle.vocabulary();
        let all_optional = parsed
            .positive()
            .all(|c| c.words.iter().all(|w| OPTIONAL_WORDS.contains(&w.as_str())));
        let mut plan = Plan::default();
        let mut seen: HashSet<String> = HashSet::new();
        for clause in &parsed.clauses {
            let fixes = |w: &String| corrections.and_then(|c| c.by_word.get(w));
            let split = corrections.and_then(|c| c.splits.get(&clause.words[0]));
            let need = match clause.kind {
                ClauseKind::Word if split.is_some() => {
                    let (left, right) = split.expect("checked");
                    Need::Phrase(vec![
                        analyzers.stem_surface(left),
                        analyzers.stem_surface(right),
                    ])
                }
                ClauseKind::Word => {
                    let word = &clause.words[0];
                    let stem = analyzers.stem_surface(word);
                    let mut alts = vec![Alt {
                        stem: stem.clone(),
                        weight: 1.0,
                    }];
                    if clause.prefix {
                        for (completion, _) in
                            vocab::complete(vocab, word, prefix_expansions(word.chars().count()))
                        {
                            let s = analyzers.stem_surface(&completion);
                            if !alts.iter().any(|a| a.stem == s) {
                                alts.push(Alt {
                                    stem: s,
                                    weight: 0.8,
                                });
                            }
                        }
                    }
                    if let Some(fixes) = fixes(word) {
                        for c in fixes {
                            let s = analyzers.stem_surface(&c.word);
                            if !alts.iter().any(|a| a.stem == s) {
                                alts.push(Alt {
                                    stem: s,
                                    weight: 0.7 / c.distance as f32,
                                });
                            }
                        }
                    }
                    if !clause.negated {
                        plan.sequence
                            .push((stem.clone(), OPTIONAL_WORDS.contains(&word.as_str())));
                    }
                    if !clause.negated && !seen.insert(stem) {
                        continue;
                    }
                    Need::Word(alts)
                }
                ClauseKind::Phrase => Need::Phrase(
                    clause
                        .words
                        .iter()
                        .map(|w| match fixes(w).and_then(|f| f.first()) {
                            Some(best) => analyzers.stem_surface(&best.word),
                            None => analyzers.stem_surface(w),
                        })
                        .collect(),
                ),
            };
            let optional = !all_optional
                && clause.kind == ClauseKind::Word
                && OPTIONAL_WORDS.contains(&clause.words[0].as_str());
            plan.clauses.push(Planned {
                need,
                negated: clause.negated,
                optional,
            });
        }
        plan
    }

    /// Finds corrections for the words of the query that the corpus does not know.
    pub(super) fn corrections(
        &self,
        parsed: &ParsedQuery,
        analyzers: &mut Analyzers,
    ) -> Corrections {
        let vocab = self.bundle.vocabulary();
        let mut by_word = HashMap::new();
        let mut splits = HashMap::new();
        let mut suggestion = parsed.text.clone();
        let mut changed = false;
        // Replace from the end so earlier spans stay valid.
        for clause in parsed.positive().collect::<Vec<_>>().into_iter().rev() {
            let mut fixed_words = Vec::with_capacity(clause.words.len());
            let mut clause_changed = false;
            for word in &clause.words {
                let known = vocab::doc_freq(vocab, word) > 0
                    || self.stem_is_indexed(&analyzers.stem_surface(word))
                    || (clause.prefix && !vocab::complete(vocab, word, 1).is_empty());
                let fixes = if known {
                    Vec::new()
                } else {
                    vocab::corrections(vocab, word, CORRECTIONS)
                };
                let split = match fixes.first() {
                    Some(best) if best.distance < 2 => None,
                    _ if known || clause.kind != ClauseKind::Word => None,
                    _ => vocab::split_compound(vocab, word),
                };
                if let Some((left, right)) = split {
                    fixed_words.push(format!("{left} {right}"));
                    clause_changed = true;
                    splits.insert(word.clone(), (left, right));
                } else if let Some(best) = fixes.first() {
                    fixed_words.push(best.word.clone());
                    clause_changed = true;
                    by_word.insert(word.clone(), fixes);
                } else {
                    fixed_words.push(word.clone());
                }
            }
            if clause_changed {
                let replacement = match clause.kind {
                    ClauseKind::Word => fixed_words.join(" "),
                    ClauseKind::Phrase if parsed.text[clause.span.clone()].starts_with('"') => {
                        format!("\"{}\"", fixed_words.join(" "))
                    }
                    ClauseKind::Phrase => fixed_words.join("-"),
                };
                suggestion.replace_range(clause.span.clone(), &replacement);
                changed = true;
            }
        }
        Corrections {
            by_word,
            splits,
            suggestion: changed.then(|| suggestion.trim().to_string()),
        }
    }

    /// True when some article has a word with this stem (in any searched field).
    fn stem_is_indexed(&self, stem: &str) -> bool {
        self.bundle.fields().weighted().iter().any(|&(field, _)| {
            self.index
                .doc_freq(&Term::from_field_text(field, stem))
                .is_ok_and(|df| df > 0)
        })
    }
}
