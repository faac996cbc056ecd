//! What a benchmark run is asked to do, and its progress lines: shared by the run
//! itself (`run`) and the figures measured outside the engines (`extras`).

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

/// What to run.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// `quick` or `full`.
    pub mode: String,
    /// The command line that produced the results.
    pub command: String,
    /// Corpus sizes, in articles.
    pub sizes: Vec<usize>,
    /// Real-text (WordNet) corpus sizes, in articles.
    pub real_sizes: Vec<usize>,
    /// Generated articles mixed with the built-in ones for the relevance figures.
    pub relevance_generated: usize,
    /// Generator seed.
    pub seed: u64,
    /// Child processes per engine and corpus (each: cold open, first query, the mix).
    pub rounds: usize,
    /// Child processes per engine for corpora above 10,000 articles.
    pub rounds_large: usize,
    /// Timed queries per child for corpora above 10,000 articles.
    pub queries_large: usize,
    /// Xapian is left out of corpora with more Markdown than this, bytes (its build is
    /// the slowest by far: about 9 ms per generated article on the 2-core machine).
    pub xapian_max_markdown_bytes: u64,
    /// Timed queries per child.
    pub queries: usize,
    /// Builds per engine for corpora of at most 10,000 articles (larger: one).
    pub build_repeats: usize,
    /// Bookmark adds (and as many bare fsyncs).
    pub bookmark_iterations: usize,
    /// Where corpora and databases go.
    #[serde(skip)]
    pub work: PathBuf,
}

/// Prints a progress line with the time since `start`.
pub fn progress(start: Instant, msg: &str) {
    eprintln!("[{:>6.1} s] {msg}", start.elapsed().as_secs_f64());
}

/// The English word list `quire build` puts in a bundle (`lexicon/en.txt`): Quire's bundles
/// are measured as they ship.
pub const ENGLISH_WORDS: &str = include_str!("../../lexicon/en.txt");
