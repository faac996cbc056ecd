//! Search: analysis, schema, the lenient query parser, ranking, snippets, suggestions.
//!
//! [`Bundle::search`] takes text as people type it and always answers: words must all
//! match (common words like "the" are optional), phrases in quotes match in order,
//! `-word` excludes, the last word also matches as a prefix, and when a word is unknown
//! to the corpus the closest known words are searched instead and offered as a
//! suggestion. Title and headings weigh more than the body; words close together in
//! the order typed rank higher.

pub mod analysis;
mod exclusion;
pub mod query;
pub mod schema;
pub mod snippet;
pub mod vocab;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use crate::bundle::{ArticleMeta, Bundle, guard};
use crate::{Error, Result};
use analysis::Analyzers;
use query::{ClauseKind, ParsedQuery};
use snippet::{Marker, Snippet};

/// Most hits returned by one call.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset served; beyond it pages are empty.
pub const MAX_OFFSET: usize = 10_000;
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
/// Share of a word's score in its other fields added to its best field's.
const FIELD_TIE_BREAKER: f32 = 0.2;
/// Weight of all the words of the query found as typed, next to each other.
const WHOLE_PHRASE_BOOST: f32 = 6.0;
/// Weight of all the words of the query in order with a few words between them.
const NEAR_PHRASE_BOOST: f32 = 3.0;
const NEAR_SLOP: u32 = 3;
/// Matches rescored with the costly phrase and proximity boosts (at least; more for
/// deep pages).
const RESCORE_WINDOW: usize = 300;
/// A phrase boost scores every match when its rarest word is in at most one article in
/// this many (or in at most [`CHEAP_PHRASE_MIN_DOCS`]); otherwise only the rescored best.
const CHEAP_PHRASE_SHARE: u64 = 10;
const CHEAP_PHRASE_MIN_DOCS: u64 = 500;
/// Longest query whose words are also searched as one phrase.
const MAX_PHRASE_BOOST_WORDS: usize = 8;
/// Weight of two required neighbours found close together, and how close.
const PROXIMITY_BOOST: f32 = 1.0;
const PROXIMITY_SLOP: u32 = 2;
/// Weight of optional words ("the", "how", "through"…) relative to the others.
const OPTIONAL_WEIGHT: f32 = 0.3;

/// Words that need not all appear for an article to match (unless the query is only
/// such words). "no", "not" and "stop" are deliberately absent: here they carry meaning.
const OPTIONAL_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for",
    "from", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "so",
    "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "we", "what",
    "when", "where", "which", "who", "why", "will", "with", "you", "your",
];

/// Paging and filters of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Hits to return, at most [`MAX_LIMIT`] (larger values are clamped).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Only articles carrying every one of these tags.
    pub tags: Vec<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            tags: Vec::new(),
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// Article id.
    pub id: String,
    /// Article title.
    pub title: String,
    /// Relevance score (higher is better; comparable within one result list only).
    pub score: f32,
    /// The best passage, on one line.
    pub snippet: String,
    /// Character ranges `[start, end)` of the matched words in `snippet`.
    pub highlights: Vec<(u32, u32)>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Number of matching articles.
    pub total: u64,
    /// The requested page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// "Did you mean": the query with unknown words replaced by the closest known ones.
    pub suggestion: Option<String>,
    /// True when the hits come from the typo-tolerant fallback.
    #[serde(skip)]
    pub corrected: bool,
}

/// A title offered while typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleSuggestion {
    /// Article id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Character ranges of the matched words in `title`.
    pub highlights: Vec<(u32, u32)>,
}

/// An article related to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    /// The related article.
    pub meta: ArticleMeta,
    /// Similarity score (higher is closer).
    pub score: f32,
}

/// A stem to search, with its weight (1 for the word as typed, less for completions and
/// corrections).
#[derive(Debug, Clone, PartialEq)]
struct Alt {
    stem: String,
    weight: f32,
}

#[derive(Debug, Clone, PartialEq)]
enum Need {
    Word(Vec<Alt>),
    Phrase(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
struct Planned {
    need: Need,
    negated: bool,
    optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    All,
    Any,
}

/// A query turned into stems: what to search for.
#[derive(Debug, Clone, Default)]
struct Plan {
    clauses: Vec<Planned>,
    /// Stems of the single words in the order typed, repeats included, with whether
    /// each is an optional word: the whole run, and pairs of required neighbours, are
    /// rewarded when they stand together in an article.
    sequence: Vec<(String, bool)>,
}

impl Plan {
    fn positive(&self) -> impl Iterator<Item = &Planned> {
        self.clauses.iter().filter(|c| !c.negated)
    }

    fn is_empty(&self) -> bool {
        self.positive().next().is_none()
    }

    /// Every stem a positive clause searches for, to mark in snippets.
    fn stems(&self) -> Vec<String> {
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

/// A query in two parts: `base` decides what matches and scores the words (and the
/// phrase boosts that are cheap to evaluate everywhere); `boosts` are the costly phrase
/// and proximity boosts, each a set of per-field queries combined by disjunction-max,
/// that only add to the score of the best matches.
struct Built {
    base: Box<dyn Query>,
    boosts: Vec<Vec<Box<dyn Query>>>,
}

impl Built {
    /// Base and boosts as one query, scoring every match as the ranking does the best.
    fn combined(&self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.base.box_clone())];
        for parts in &self.boosts {
            clauses.push((
                Occur::Should,
                best_field(parts.iter().map(|q| q.box_clone()).collect()),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// How each unknown word of a query can be corrected.
struct Corrections {
    /// Surface word → known words close to it, best first.
    by_word: HashMap<String, Vec<vocab::Candidate>>,
    /// Surface word → the two known words it runs together ("selfbetrayal").
    splits: HashMap<String, (String, String)>,
    suggestion: Option<String>,
}

impl Bundle {
    /// Searches the bundle. Any text is a valid query; errors only come from a damaged
    /// bundle. Runs in about a millisecond: call it off the UI thread.
    pub fn search(&self, text: &str, options: &SearchOptions) -> Result<SearchResults> {
        guard("search", || self.search_inner(text, options))
    }

    fn search_inner(&self, text: &str, options: &SearchOptions) -> Result<SearchResults> {
        let mut analyzers = Analyzers::default();
        let parsed = query::parse(text, &mut analyzers);
        let tags: Vec<String> = options
            .tags
            .iter()
            .map(|t| crate::corpus::normalize_tag(t))
            .filter(|t| !t.is_empty())
            .collect();
        let limit = options.limit.min(MAX_LIMIT);
        let offset = options.offset.min(MAX_OFFSET);
        let searcher = self.reader().searcher();
        let mut results = SearchResults {
            query: text.to_string(),
            total: 0,
            hits: Vec::new(),
            suggestion: None,
            corrected: false,
        };

        let exact = self.plan(&parsed, None, &mut analyzers);
        if exact.is_empty() {
            if tags.is_empty() {
                return Ok(results);
            }
            // Tags alone: every article carrying them, in catalog order.
            let q = self.filter_only(&tags);
            let (top, total) = self.run(&searcher, q.as_ref(), limit, offset)?;
            results.total = total;
            results.hits = self.hits(&top, &exact, &mut analyzers)?;
            return Ok(results);
        }
        let corrections = self.corrections(&parsed, &mut analyzers);
        results.suggestion = corrections.suggestion.clone();
        let fuzzy = (!corrections.by_word.is_empty() || !corrections.splits.is_empty())
            .then(|| self.plan(&parsed, Some(&corrections), &mut analyzers));

        // Best first: every word as typed; every word with typos corrected; then any word.
        let mut attempts: Vec<(&Plan, Mode, bool)> = vec![(&exact, Mode::All, false)];
        if let Some(f) = &fuzzy {
            attempts.push((f, Mode::All, true));
        }
        if exact.positive().count() > 1 {
            attempts.push((&exact, Mode::Any, false));
            if let Some(f) = &fuzzy {
                attempts.push((f, Mode::Any, true));
            }
        }
        for (plan, mode, corrected) in attempts {
            let built = self.build(plan, mode, &tags);
            let (top, total) = self.run_ranked(&searcher, &built, limit, offset)?;
            if total > 0 {
                results.total = total;
                results.corrected = corrected;
                results.hits = self.hits(&top, plan, &mut analyzers)?;
                break;
            }
        }
        Ok(results)
    }

    /// Why article `id` scores what it does for `text` (tantivy's explanation of the
    /// exact, all-words query, as JSON). A tool for tuning ranking, not for the app.
    #[doc(hidden)]
    pub fn explain(&self, text: &str, id: &str) -> Result<String> {
        let mut analyzers = Analyzers::default();
        let parsed = query::parse(text, &mut analyzers);
        let plan = self.plan(&parsed, None, &mut analyzers);
        let q = self.build(&plan, Mode::All, &[]).combined();
        let ord = self
            .ord_of(id)?
            .ok_or_else(|| Error::ArticleNotFound(id.to_string()))?;
        let searcher = self.reader().searcher();
        let explanation = q
            .explain(&searcher, DocAddress::new(0, ord as u32))
            .map_err(|e| Error::Index(e.to_string()))?;
        Ok(explanation.to_pretty_json())
    }

    /// Titles matching what has been typed so far (the last word as a prefix), best first.
    pub fn suggest_titles(&self, text: &str, limit: usize) -> Result<Vec<TitleSuggestion>> {
        guard("title suggestions", || {
            let mut analyzers = Analyzers::default();
            let parsed = query::parse(text, &mut analyzers);
            let plan = self.plan(&parsed, None, &mut analyzers);
            if plan.is_empty() || limit == 0 {
                return Ok(Vec::new());
            }
            let searcher = self.reader().searcher();
            let title = self.fields().title;
            let built = self.build_on(&plan, Mode::All, &[], &[(title, 1.0)]);
            let (top, _) = self.run_ranked(&searcher, &built, limit.min(MAX_LIMIT), 0)?;
            let marker = Marker::new(plan.stems());
            let mut out = Vec::with_capacity(top.len());
            for (_, doc) in top {
                let meta = self.meta_at(doc.doc_id as usize)?;
                let found = marker.find(&meta.title, &mut analyzers);
                let highlights = found
                    .iter()
                    .map(|(r, _)| char_range(&meta.title, r.clone()))
                    .collect();
                out.push(TitleSuggestion {
                    id: meta.id,
                    title: meta.title,
                    highlights,
                });
            }
            Ok(out)
        })
    }

    /// Articles about the same things as article `id`, closest first.
    pub fn related(&self, id: &str, limit: usize) -> Result<Vec<Related>> {
        guard("related articles", || {
            let ord = self
                .ord_of(id)?
                .ok_or_else(|| Error::ArticleNotFound(id.to_string()))?;
            let article = self.article_at(ord)?;
            let searcher = self.reader().searcher();
            let mut analyzers = Analyzers::default();
            let n = searcher.num_docs().max(1) as f32;
            // Term weights: frequency in the article (title, tags and summary count
            // more) times rarity in the corpus.
            let mut tf: HashMap<String, f32> = HashMap::new();
            let weighted_texts: [(&str, f32); 4] = [
                (&article.meta.title, 4.0),
                (&article.meta.summary, 2.0),
                (&article.plain_text, 1.0),
                (&article.meta.tags.join(" "), 3.0),
            ];
            for (text, w) in weighted_texts {
                for stem in analyzers.stems(text) {
                    if stem.len() > 2 && !OPTIONAL_WORDS.contains(&stem.as_str()) {
                        *tf.entry(stem).or_insert(0.0) += w;
                    }
                }
            }
            let body = self.fields().body;
            let mut scored: Vec<(String, f32)> = tf
                .into_iter()
                .filter_map(|(stem, f)| {
                    let df = searcher
                        .doc_freq(&Term::from_field_text(body, &stem))
                        .unwrap_or(0) as f32;
                    let common = n >= 20.0 && df > n * 0.5;
                    (df >= 2.0 && !common).then(|| (stem, f.sqrt() * (1.0 + n / df).ln()))
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            scored.truncate(24);
            if scored.is_empty() {
                return Ok(Vec::new());
            }
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (stem, w) in &scored {
                for (field, fw) in self.fields().weighted() {
                    let tq = TermQuery::new(
                        Term::from_field_text(field, stem),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(tq), fw * w)),
                    ));
                }
            }
            let q = BooleanQuery::new(clauses);
            let (top, _) = self.run(&searcher, &q, limit.min(MAX_LIMIT) + 1, 0)?;
            top.into_iter()
                .filter(|(_, d)| d.doc_id as usize != ord)
                .take(limit)
                .map(|(score, d)| {
                    Ok(Related {
                        meta: self.meta_at(d.doc_id as usize)?,
                        score,
                    })
                })
                .collect()
        })
    }

    /// Turns parsed clauses into stems; with `corrections`, unknown words are replaced by
    /// the known words closest to them.
    fn plan(
        &self,
        parsed: &ParsedQuery,
        corrections: Option<&Corrections>,
        analyzers: &mut Analyzers,
    ) -> Plan {
        let vocab = self.vocabulary();
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
    fn corrections(&self, parsed: &ParsedQuery, analyzers: &mut Analyzers) -> Corrections {
        let vocab = self.vocabulary();
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
        let searcher = self.reader().searcher();
        self.fields().weighted().iter().any(|&(field, _)| {
            searcher
                .doc_freq(&Term::from_field_text(field, stem))
                .is_ok_and(|df| df > 0)
        })
    }

    fn build(&self, plan: &Plan, mode: Mode, tags: &[String]) -> Built {
        self.build_on(plan, mode, tags, &self.fields().weighted())
    }

    /// Builds the tantivy query for `plan` over `fields` (with their weights).
    fn build_on(&self, plan: &Plan, mode: Mode, tags: &[String], fields: &[(Field, f32)]) -> Built {
        let positional: Vec<(Field, f32)> = fields
            .iter()
            .copied()
            .filter(|(f, _)| *f != self.fields().tags && *f != self.fields().tag)
            .collect();
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut outer: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for c in &plan.clauses {
            let q = match &c.need {
                Need::Word(alts) => word_query(alts, fields),
                Need::Phrase(stems) => phrase_query(stems, &positional),
            };
            if c.negated {
                outer.push((Occur::MustNot, Box::new(exclusion::SafeExclusion(q))));
                continue;
            }
            let occur = match mode {
                Mode::All if !c.optional => Occur::Must,
                _ => Occur::Should,
            };
            let q = if c.optional {
                Box::new(BoostQuery::new(q, OPTIONAL_WEIGHT))
            } else {
                q
            };
            words.push((occur, q));
        }
        if words.is_empty() {
            return Built {
                base: Box::new(EmptyQuery),
                boosts: Vec::new(),
            };
        }
        // Phrase and proximity boosts. Matching positions is the costly part of a search,
        // so a boost scores every match only when its rarest word is in few articles;
        // otherwise it rescores the best matches (see `run_ranked`).
        let searcher = self.reader().searcher();
        let cheap_limit = (searcher.num_docs() / CHEAP_PHRASE_SHARE).max(CHEAP_PHRASE_MIN_DOCS);
        let body = self.fields().body;
        let mut boosts: Vec<Vec<Box<dyn Query>>> = Vec::new();
        let mut add = |stems: &[&str], slop: u32, weight: f32| {
            let rarest = stems
                .iter()
                .map(|s| {
                    searcher
                        .doc_freq(&Term::from_field_text(body, s))
                        .unwrap_or(u64::MAX)
                })
                .min()
                .unwrap_or(u64::MAX);
            if rarest <= cheap_limit {
                outer.push((
                    Occur::Should,
                    phrase_boost(stems, slop, &positional, weight),
                ));
            } else {
                boosts.push(phrase_parts(stems, slop, &positional, weight));
            }
        };
        // The words as typed, standing together, rank highest...
        let run: Vec<&str> = plan.sequence.iter().map(|(s, _)| s.as_str()).collect();
        let required: Vec<&str> = plan
            .sequence
            .iter()
            .filter(|(_, opt)| !opt)
            .map(|(s, _)| s.as_str())
            .collect();
        // Two words typed alone are their own only pair: "close together" would nearly
        // repeat "nearly together" at the cost of one more phrase match per field, so
        // the near boost carries both weights.
        let run_is_the_pair = run.len() == 2 && required == run;
        if (2..=MAX_PHRASE_BOOST_WORDS).contains(&run.len()) {
            add(&run, 0, WHOLE_PHRASE_BOOST);
            let near = if run_is_the_pair {
                NEAR_PHRASE_BOOST + PROXIMITY_BOOST
            } else {
                NEAR_PHRASE_BOOST
            };
            add(&run, NEAR_SLOP, near);
        }
        // ...then required words typed next to each other found close together.
        if !run_is_the_pair {
            let mut pairs: Vec<[&str; 2]> = required.windows(2).map(|p| [p[0], p[1]]).collect();
            pairs.retain(|[a, b]| a != b);
            pairs.dedup();
            for pair in pairs {
                add(&pair, PROXIMITY_SLOP, PROXIMITY_BOOST);
            }
        }
        outer.push((Occur::Must, Box::new(BooleanQuery::new(words))));
        outer.extend(self.tag_filters(tags));
        Built {
            base: Box::new(BooleanQuery::new(outer)),
            boosts,
        }
    }

    fn tag_filters(&self, tags: &[String]) -> Vec<(Occur, Box<dyn Query>)> {
        tags.iter()
            .map(|t| {
                let tq = TermQuery::new(
                    Term::from_field_text(self.fields().tag, t),
                    IndexRecordOption::Basic,
                );
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(tq), 0.0)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    fn filter_only(&self, tags: &[String]) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(self.tag_filters(tags)))
    }

    /// Runs a built query: the base query picks the matches and counts them; the best
    /// [`RESCORE_WINDOW`] (or more, for a deep page) are then rescored with the phrase and
    /// proximity boosts, which would otherwise be evaluated on every match. Scores of
    /// the rescored articles are exactly what the combined query gives them.
    fn run_ranked(
        &self,
        searcher: &Searcher,
        built: &Built,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, u64)> {
        if built.boosts.is_empty() || limit == 0 {
            return self.run(searcher, built.base.as_ref(), limit, offset);
        }
        let window = (offset + limit).max(RESCORE_WINDOW);
        let (mut top, total) = self.run(searcher, built.base.as_ref(), window, 0)?;
        let err = |e: tantivy::TantivyError| Error::damaged("index", e.to_string());
        let scoring = tantivy::query::EnableScoring::enabled_from_searcher(searcher);
        // Candidates in document order, segment by segment.
        let mut order: Vec<usize> = (0..top.len()).collect();
        order.sort_by_key(|&i| top[i].1);
        for parts in &built.boosts {
            // Per candidate, the disjunction-max of the per-field phrase scores.
            let mut best = vec![0f32; top.len()];
            let mut sum = vec![0f32; top.len()];
            for part in parts {
                let weight = part.weight(scoring).map_err(err)?;
                let mut scorer: Option<(u32, Box<dyn tantivy::query::Scorer>, bool)> = None;
                for &i in &order {
                    let doc = top[i].1;
                    if scorer
                        .as_ref()
                        .is_none_or(|(seg, _, _)| *seg != doc.segment_ord)
                    {
                        let reader = searcher.segment_reader(doc.segment_ord);
                        scorer = Some((
                            doc.segment_ord,
                            weight.scorer(reader, 1.0).map_err(err)?,
                            true,
                        ));
                    }
                    let (_, s, fresh) = scorer.as_mut().expect("set above");
                    if let Some(score) = score_at(s.as_mut(), fresh, doc.doc_id) {
                        best[i] = best[i].max(score);
                        sum[i] += score;
                    }
                }
            }
            for i in 0..top.len() {
                top[i].0 += best[i] + FIELD_TIE_BREAKER * (sum[i] - best[i]);
            }
        }
        top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok((top.into_iter().skip(offset).take(limit).collect(), total))
    }

    fn run(
        &self,
        searcher: &Searcher,
        q: &dyn Query,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, u64)> {
        let err = |e: tantivy::TantivyError| Error::damaged("index", e.to_string());
        if limit == 0 {
            return Ok((Vec::new(), searcher.search(q, &Count).map_err(err)? as u64));
        }
        let collector = (
            TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score(),
            Count,
        );
        let (top, total) = searcher.search(q, &collector).map_err(err)?;
        Ok((top, total as u64))
    }

    fn hits(
        &self,
        top: &[(f32, DocAddress)],
        plan: &Plan,
        analyzers: &mut Analyzers,
    ) -> Result<Vec<SearchHit>> {
        let marker = Marker::new(plan.stems());
        let mut hits = Vec::with_capacity(top.len());
        for &(score, doc) in top {
            let ord = doc.doc_id as usize;
            let meta = self.meta_at(ord)?;
            let body = self.plain_text_at(ord)?;
            let mut snip = snippet::snippet(&body, &marker, analyzers);
            if snip.highlights.is_empty() && !meta.summary.is_empty() {
                let from_summary = snippet::snippet(&meta.summary, &marker, analyzers);
                if !from_summary.highlights.is_empty() {
                    snip = from_summary;
                }
            }
            let Snippet { text, highlights } = snip;
            hits.push(SearchHit {
                id: meta.id,
                title: meta.title,
                score,
                snippet: text,
                highlights,
            });
        }
        Ok(hits)
    }
}

/// A word (with its alternatives) in any of `fields`: the best field counts fully, the
/// others a little ([`FIELD_TIE_BREAKER`]), so a word found everywhere does not drown a
/// word found once in the right place.
fn word_query(alts: &[Alt], fields: &[(Field, f32)]) -> Box<dyn Query> {
    let per_field = fields
        .iter()
        .map(|&(field, w)| {
            let should = alts
                .iter()
                .map(|alt| {
                    let tq = TermQuery::new(
                        Term::from_field_text(field, &alt.stem),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(tq), w * alt.weight)) as Box<dyn Query>,
                    )
                })
                .collect();
            Box::new(BooleanQuery::new(should)) as Box<dyn Query>
        })
        .collect();
    best_field(per_field)
}

/// Per-field queries of one thing combined: the best field counts fully, the others
/// by [`FIELD_TIE_BREAKER`]. `run_ranked` adds rescored boosts up the same way.
fn best_field(per_field: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(DisjunctionMaxQuery::with_tie_breaker(
        per_field,
        FIELD_TIE_BREAKER,
    ))
}

/// A quoted phrase in any of the positional `fields`. A "phrase" of one stem is a word.
fn phrase_query(stems: &[String], fields: &[(Field, f32)]) -> Box<dyn Query> {
    if stems.len() < 2 {
        let alts: Vec<Alt> = stems
            .iter()
            .map(|s| Alt {
                stem: s.clone(),
                weight: 1.0,
            })
            .collect();
        return word_query(&alts, fields);
    }
    let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
    phrase_boost(&stems, 0, fields, 1.0)
}

/// The score of `scorer` at `doc`, if it matches there. Candidates come in increasing
/// order, so `seek_danger` looks at that document alone instead of scanning to the next
/// match (which, for a phrase of common words, is most of the corpus).
///
/// `fresh` is true until the first `seek_danger`: only then is `scorer.doc()` a match.
/// Afterwards it is only where the scorer's first posting list stands, so being at `doc`
/// proves nothing, while being past `doc` proves `doc` has no match.
fn score_at(
    scorer: &mut dyn tantivy::query::Scorer,
    fresh: &mut bool,
    doc: tantivy::DocId,
) -> Option<f32> {
    let at = scorer.doc();
    if at > doc {
        return None;
    }
    if at == doc && *fresh {
        return Some(scorer.score());
    }
    *fresh = false;
    match scorer.seek_danger(doc) {
        tantivy::SeekDangerResult::Found => Some(scorer.score()),
        tantivy::SeekDangerResult::SeekLowerBound(_) => None,
    }
}

/// `stems` in order, at most `slop` positions apart, in the best of `fields`.
fn phrase_boost(stems: &[&str], slop: u32, fields: &[(Field, f32)], boost: f32) -> Box<dyn Query> {
    best_field(phrase_parts(stems, slop, fields, boost))
}

/// The per-field queries of [`phrase_boost`].
fn phrase_parts(
    stems: &[&str],
    slop: u32,
    fields: &[(Field, f32)],
    boost: f32,
) -> Vec<Box<dyn Query>> {
    fields
        .iter()
        .map(|&(field, w)| {
            let terms = stems
                .iter()
                .enumerate()
                .map(|(i, s)| (i, Term::from_field_text(field, s)))
                .collect();
            let pq = PhraseQuery::new_with_offset_and_slop(terms, slop);
            Box::new(BoostQuery::new(Box::new(pq), w * boost)) as Box<dyn Query>
        })
        .collect()
}

/// Converts a byte range of `text` into a character range.
fn char_range(text: &str, r: std::ops::Range<usize>) -> (u32, u32) {
    let start = text[..r.start].chars().count() as u32;
    (start, start + text[r].chars().count() as u32)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use super::*;
    use crate::bundle::{BuildOptions, build_bytes};
    use crate::corpus;

    /// The seeds and 2,000 generated articles.
    fn bundle() -> Bundle {
        let mut articles =
            corpus::load_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"))).unwrap();
        for g in quire_gen::generate(&quire_gen::GenOptions {
            count: 2_000,
            seed: 7,
        }) {
            articles.push(corpus::parse_article(Path::new(&g.file_name), &g.markdown).unwrap());
        }
        Bundle::from_bytes(build_bytes(articles, &BuildOptions::default()).unwrap()).unwrap()
    }

    /// The rescored ranking gives every article it returns exactly the score the
    /// combined query (every boost evaluated on every match) gives it, and agrees with the
    /// combined query's order whenever the latter's best lie within the rescored window.
    #[test]
    fn rescoring_matches_the_combined_query() {
        let b = bundle();
        let searcher = b.reader().searcher();
        let mut analyzers = Analyzers::default();
        let mut rescored_queries = 0;
        for text in [
            "partner needed",
            "stop means stop",
            "painful sex",
            "pushing through pain",
            "changed my mind",
            "sexual moment",
            "common questions",
            "feeling decided",
            "consent partner body",
            "talk about desire",
        ] {
            let plan = b.plan(&query::parse(text, &mut analyzers), None, &mut analyzers);
            let built = b.build(&plan, Mode::All, &[]);
            if !built.boosts.is_empty() {
                rescored_queries += 1;
            }
            let (fast, total) = b.run_ranked(&searcher, &built, 20, 0).unwrap();
            let (exact, exact_total) = b
                .run(&searcher, built.combined().as_ref(), RESCORE_WINDOW, 0)
                .unwrap();
            assert_eq!(total, exact_total, "{text}");
            let exact_scores: HashMap<DocAddress, f32> =
                exact.iter().map(|&(s, d)| (d, s)).collect();
            for (score, doc) in &fast {
                if let Some(e) = exact_scores.get(doc) {
                    assert!(
                        (score - e).abs() <= 1e-3 * e.abs().max(1.0),
                        "{text}: {doc:?} {score} vs {e}"
                    );
                }
            }
            // The combined query's top 10 are in the rescored top 20 when they were in
            // the window: same documents first.
            let fast_docs: Vec<DocAddress> = fast.iter().map(|&(_, d)| d).collect();
            let in_fast = exact
                .iter()
                .take(5)
                .filter(|(_, d)| fast_docs.contains(d))
                .count();
            assert!(
                in_fast >= 4,
                "{text}: only {in_fast} of the exact top 5 in the rescored top 20"
            );
        }
        assert!(
            rescored_queries >= 5,
            "the test corpus no longer exercises rescoring"
        );
    }
}
