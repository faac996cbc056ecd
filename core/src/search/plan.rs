//! Planning: a parsed query turned into the stems to search for, with completions of
//! the unfinished last word and corrections of words the corpus does not know.

use std::collections::{HashMap, HashSet};

use tantivy::Term;

use super::Searcher;
use super::query::{ClauseKind, ParsedQuery};
use super::{vocab, words};
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

/// Weight of a thesaurus expansion relative to the word typed.
const THESAURUS_WEIGHT: f32 = 0.5;

/// What to search for one word: a stem, or the stems of a phrase of the thesaurus, with
/// its weight (1 for the word as typed, less for completions, corrections and thesaurus
/// expansions).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Alt {
    /// One stem (a word), or several (a phrase, in order).
    pub(super) stems: Vec<String>,
    pub(super) weight: f32,
}

impl Alt {
    fn term(stem: String, weight: f32) -> Alt {
        Alt {
            stems: vec![stem],
            weight,
        }
    }
}

/// What one clause needs found.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Need {
    /// A word, as any of its alternatives.
    Word(Vec<Alt>),
    /// Stems next to each other, in order.
    Phrase(Vec<String>),
    /// Words typed in a row that the thesaurus has as one entry ("take back"): every one
    /// of the words (each as any of its alternatives), or any of the expansions.
    Run {
        words: Vec<Vec<Alt>>,
        expansions: Vec<Alt>,
    },
}

/// One clause of a plan.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Planned {
    pub(super) need: Need,
    /// Articles matching it are left out.
    pub(super) negated: bool,
    /// An optional word ([`words::optional_words`]): it adds to the score but is not
    /// required.
    pub(super) optional: bool,
    /// The clause as typed, to name it when results are without it.
    pub(super) label: String,
}

impl Planned {
    /// True when the clause must match in [`Mode::All`](super::build::Mode::All).
    pub(super) fn required(&self) -> bool {
        !self.negated && !self.optional
    }
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
        self.stem_groups().concat()
    }

    /// The stems to mark, in groups: the alternatives of one word typed, or a quoted
    /// phrase (each word of a run and the run's expansions are groups of their own). A
    /// phrase, quoted or a thesaurus alternative, is one stem, its stems joined by
    /// spaces, as `Marker` reads them: its words are marked where they stand together.
    pub(super) fn stem_groups(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let joined = |alts: &[Alt]| alts.iter().map(|a| a.stems.join(" ")).collect();
        for c in self.positive() {
            match &c.need {
                Need::Word(_) if c.optional => {}
                Need::Word(alts) => out.push(joined(alts)),
                Need::Phrase(stems) => out.push(vec![stems.join(" ")]),
                Need::Run { words, expansions } => {
                    out.extend(words.iter().map(|alts| joined(alts)));
                    out.push(joined(expansions));
                }
            }
        }
        out
    }

    /// The plan without the required clauses named in `labels`: what is searched when no
    /// article has those words at all.
    pub(super) fn without(&self, labels: &[String]) -> Plan {
        let mut plan = self.clone();
        let mut dropped_stems: Vec<String> = Vec::new();
        plan.clauses.retain(|c| {
            let drop = c.required() && labels.contains(&c.label);
            if drop {
                // The stems the clause put in the sequence: its word as typed, or each
                // word of a run.
                match &c.need {
                    Need::Word(alts) => {
                        dropped_stems.extend(alts.first().map(|a| a.stems[0].clone()))
                    }
                    Need::Run { words, .. } => dropped_stems.extend(
                        words
                            .iter()
                            .filter_map(|w| w.first().map(|a| a.stems[0].clone())),
                    ),
                    Need::Phrase(_) => {}
                }
            }
            !drop
        });
        plan.sequence.retain(|(s, _)| !dropped_stems.contains(s));
        plan
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
        let language = self.bundle.language();
        let thesaurus = self.bundle.thesaurus();
        let all_optional = parsed
            .positive()
            .all(|c| c.words.iter().all(|w| words::is_optional(language, w)));
        let mut plan = Plan::default();
        let mut seen: HashSet<String> = HashSet::new();
        // Expansions of what the thesaurus has for `stems`, as alternatives.
        let expand = |stems: &[String], alts: &mut Vec<Alt>| {
            for e in thesaurus
                .and_then(|t| t.expansions(stems))
                .unwrap_or_default()
            {
                if !alts.iter().any(|a| &a.stems == e) {
                    alts.push(Alt {
                        stems: e.clone(),
                        weight: THESAURUS_WEIGHT,
                    });
                }
            }
        };
        // Words typed in a row that the thesaurus knows as one entry ("take back"):
        // clause index where the run starts → its length and stems.
        let runs = self.thesaurus_runs(parsed, corrections, analyzers);
        let mut skip = 0;
        for (i, clause) in parsed.clauses.iter().enumerate() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let fixes = |w: &String| corrections.and_then(|c| c.by_word.get(w));
            if let Some((len, stems)) = runs.get(&i) {
                // Every word as typed, or any expansion of them.
                let mut expansions = Vec::new();
                expand(stems, &mut expansions);
                let words = stems
                    .iter()
                    .map(|s| vec![Alt::term(s.clone(), 1.0)])
                    .collect();
                let run = &parsed.clauses[i..i + len];
                for (c, stem) in run.iter().zip(stems) {
                    plan.sequence
                        .push((stem.clone(), words::is_optional(language, &c.words[0])));
                }
                plan.clauses.push(Planned {
                    need: Need::Run { words, expansions },
                    negated: false,
                    optional: false,
                    label: parsed.text[clause.span.start..run[len - 1].span.end].to_string(),
                });
                skip = len - 1;
                continue;
            }
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
                    let mut alts = vec![Alt::term(stem.clone(), 1.0)];
                    let add = |alts: &mut Vec<Alt>, s: String, weight: f32| {
                        if !alts.iter().any(|a| a.stems.len() == 1 && a.stems[0] == s) {
                            alts.push(Alt::term(s, weight));
                        }
                    };
                    if clause.prefix {
                        for (completion, _) in
                            vocab::complete(vocab, word, prefix_expansions(word.chars().count()))
                        {
                            add(&mut alts, analyzers.stem_surface(&completion), 0.8);
                        }
                    }
                    if let Some(fixes) = fixes(word) {
                        for c in fixes {
                            add(
                                &mut alts,
                                analyzers.stem_surface(&c.word),
                                0.7 / c.distance as f32,
                            );
                        }
                    }
                    if !clause.negated {
                        expand(std::slice::from_ref(&stem), &mut alts);
                        plan.sequence
                            .push((stem.clone(), words::is_optional(language, word)));
                    }
                    if !clause.negated && !seen.insert(stem) {
                        continue;
                    }
                    Need::Word(alts)
                }
                // A dashed phrase that the thesaurus knows ("take-back"): the phrase or
                // any of its expansions.
                ClauseKind::Phrase
                    if !clause.negated
                        && !parsed.text[clause.span.clone()].starts_with('"')
                        && clause.words.iter().all(|w| fixes(w).is_none()) =>
                {
                    let stems: Vec<String> = clause
                        .words
                        .iter()
                        .map(|w| analyzers.stem_surface(w))
                        .collect();
                    let mut alts = vec![Alt {
                        stems: stems.clone(),
                        weight: 1.0,
                    }];
                    expand(&stems, &mut alts);
                    if alts.len() == 1 {
                        Need::Phrase(stems)
                    } else {
                        Need::Word(alts)
                    }
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
                && words::is_optional(language, &clause.words[0]);
            plan.clauses.push(Planned {
                need,
                negated: clause.negated,
                optional,
                label: parsed.text[clause.span.clone()]
                    .trim_start_matches('-')
                    .to_string(),
            });
        }
        plan
    }

    /// Runs of plain words, typed one after the other, that the thesaurus has as one
    /// entry ("take back", "changed my mind"), longest first and not overlapping: the
    /// index of each run's first clause → its length and stems. Runs with a word to
    /// correct are left as words.
    fn thesaurus_runs(
        &self,
        parsed: &ParsedQuery,
        corrections: Option<&Corrections>,
        analyzers: &mut Analyzers,
    ) -> HashMap<usize, (usize, Vec<String>)> {
        let mut runs = HashMap::new();
        let Some(thesaurus) = self.bundle.thesaurus() else {
            return runs;
        };
        let plain = |c: &super::query::Clause| {
            c.kind == ClauseKind::Word
                && !c.negated
                && corrections.is_none_or(|k| !k.by_word.contains_key(&c.words[0]))
        };
        let clauses = &parsed.clauses;
        let mut i = 0;
        while i < clauses.len() {
            let longest = (2..=crate::index::thesaurus::MAX_ENTRY_WORDS)
                .rev()
                .filter(|len| i + len <= clauses.len())
                .find_map(|len| {
                    let run = &clauses[i..i + len];
                    if !run.iter().all(plain) {
                        return None;
                    }
                    let stems: Vec<String> = run
                        .iter()
                        .map(|c| analyzers.stem_surface(&c.words[0]))
                        .collect();
                    thesaurus.expansions(&stems).map(|_| (len, stems))
                });
            match longest {
                Some((len, stems)) => {
                    runs.insert(i, (len, stems));
                    i += len;
                }
                None => i += 1,
            }
        }
        runs
    }

    /// Finds corrections for the words of the query that the corpus does not know.
    pub(super) fn corrections(
        &self,
        parsed: &ParsedQuery,
        analyzers: &mut Analyzers,
    ) -> Corrections {
        let vocab = self.bundle.vocabulary();
        let language = self.bundle.language();
        let lexicon = self.bundle.lexicon();
        let thesaurus = self.bundle.thesaurus();
        let mut by_word = HashMap::new();
        let mut splits = HashMap::new();
        let mut suggestion = parsed.text.clone();
        let mut changed = false;
        // Replace from the end so earlier spans stay valid.
        for clause in parsed.positive().collect::<Vec<_>>().into_iter().rev() {
            let mut fixed_words = Vec::with_capacity(clause.words.len());
            let mut clause_changed = false;
            for word in &clause.words {
                // Known: used by the articles, known to the language or to the
                // thesaurus, or (unfinished) the start of an article's word. Only unknown
                // words are corrected, and never across a negation.
                let known = vocab::doc_freq(vocab, word) > 0 || {
                    let stem = analyzers.stem_surface(word);
                    self.stem_is_indexed(&stem)
                        || lexicon.is_some_and(|l| l.knows(word, &stem))
                        || thesaurus
                            .is_some_and(|t| t.expansions(std::slice::from_ref(&stem)).is_some())
                        || (clause.prefix && vocab::has_completion(vocab, word))
                };
                let fixes = if known {
                    Vec::new()
                } else {
                    let mut fixes = vocab::corrections(vocab, word, CORRECTIONS);
                    fixes.retain(|c| !words::crosses_negation(language, word, &c.word));
                    fixes
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

    /// True when some article could match the clause: each of its words (or those of one
    /// of its alternatives) is used by an article.
    pub(super) fn could_match(&self, clause: &Planned) -> bool {
        let all = |stems: &[String]| stems.iter().all(|s| self.stem_is_indexed(s));
        let any = |alts: &[Alt]| alts.iter().any(|a| all(&a.stems));
        match &clause.need {
            Need::Word(alts) => any(alts),
            Need::Phrase(stems) => all(stems),
            Need::Run { words, expansions } => words.iter().all(|w| any(w)) || any(expansions),
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
