//! Relevance next to speed: the judged queries of the relevance suite, answered by every
//! engine on the same corpus (the built-in articles mixed with generated ones, as in
//! `core/tests/relevance.rs`), scored by hits@1 (the expected article first) and MRR
//! (the mean of 1 / its rank in the top 10, 0 when absent).
//!
//! The queries come from `core/tests/data/judged-queries.tsv` (`query<TAB>expected
//! article id` a line; `#` starts a comment), or another file given with `--judged`.
//! Without that file nothing is measured, and the report says so: the suite's table in
//! `core/tests/relevance.rs` is not parsed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use quire_core::bundle::{self, BuildOptions, Bundle};
use quire_core::corpus::{self, Article};
use serde::Serialize;

use crate::child::{Engine, Opened};
use crate::config::progress;
use crate::queries::{Kind, Query};
use crate::{fts, xapian};

/// The default place of the judged queries, from the repository's root.
pub const DEFAULT_FILE: &str = "core/tests/data/judged-queries.tsv";

/// One engine's relevance.
#[derive(Debug, Clone, Serialize)]
pub struct EngineRelevance {
    /// The engine.
    pub engine: Engine,
    /// Share of queries whose expected article is first.
    pub hits_at_1: f64,
    /// Mean reciprocal rank of the expected article in the top 10.
    pub mrr: f64,
    /// Rank (1-based) of the expected article for each query, `None` outside the top 10.
    pub ranks: Vec<Option<usize>>,
}

/// The relevance part of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Relevance {
    /// The file the queries came from.
    pub file: String,
    /// Articles searched (built-in + generated).
    pub articles: usize,
    /// Generated articles among them.
    pub generated: usize,
    /// (query, expected id).
    pub queries: Vec<(String, String)>,
    /// Per engine.
    pub engines: Vec<EngineRelevance>,
}

/// Reads `query<TAB>id` lines.
pub fn read_judged(path: &Path) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (q, id) = l.split_once('\t')?;
            Some((q.to_string(), id.trim().to_string()))
        })
        .collect())
}

/// Measures every engine in `engines` on the judged queries of `file`.
pub fn measure(
    file: &Path,
    corpus_dir: &Path,
    generated: usize,
    seed: u64,
    work: &Path,
    engines: &[Engine],
    start: Instant,
) -> Result<Relevance, String> {
    let judged = read_judged(file)?;
    progress(
        start,
        &format!(
            "relevance: {} judged queries, built-in + {generated} generated articles",
            judged.len()
        ),
    );
    let mut articles: Vec<Article> = corpus::load_dir(corpus_dir).map_err(|e| e.to_string())?;
    for g in quire_gen::generate(&quire_gen::GenOptions {
        count: generated,
        seed,
    }) {
        articles.push(
            corpus::parse_article(Path::new(&g.file_name), &g.markdown)
                .map_err(|e| e.to_string())?,
        );
    }
    let n = articles.len();
    let dir = work.join("relevance");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let bundle_path = dir.join("mixed.quire");
    let db_path = dir.join("mixed.fts5.db");
    let xapian_path = dir.join("mixed.xapian");
    // As `quire build` makes the built-in bundle: the word list and the thesaurus.
    let thesaurus = quire_core::index::Thesaurus::load_dir(
        corpus_dir,
        &mut quire_core::index::Analyzers::default(),
    )
    .map_err(|e| e.to_string())?;
    let options = BuildOptions {
        corpus_id: "bench-relevance".into(),
        lexicon: Some(crate::config::ENGLISH_WORDS.to_string()),
        thesaurus,
        ..BuildOptions::default()
    };
    if engines.contains(&Engine::Fts5) {
        fts::build(&db_path, &articles).map_err(|e| e.to_string())?;
    }
    if engines.contains(&Engine::Xapian) {
        xapian::build(&xapian_path, &articles)?;
    }
    bundle::build_file(articles, &options, &bundle_path, |_, _| {}).map_err(|e| e.to_string())?;
    let bundle = Bundle::open(&bundle_path).map_err(|e| e.to_string())?;
    let queries: Vec<Query> = judged
        .iter()
        .map(|(text, _)| {
            let mut q = Query::new(Kind::Single, text.clone());
            q.expand(bundle.vocabulary());
            q
        })
        .collect();
    drop(bundle);
    let mut out = Vec::new();
    for &engine in engines {
        let path: PathBuf = match engine {
            Engine::Quire | Engine::Tantivy => bundle_path.clone(),
            Engine::Fts5 => db_path.clone(),
            Engine::Xapian => xapian_path.clone(),
        };
        let opened = Opened::open(engine, &path)?;
        let mut ranks = Vec::new();
        for (q, (_, expected)) in queries.iter().zip(&judged) {
            let ids = opened.ids(q, 10)?;
            ranks.push(ids.iter().position(|id| id == expected).map(|r| r + 1));
        }
        let count = ranks.len().max(1) as f64;
        out.push(EngineRelevance {
            engine,
            hits_at_1: ranks.iter().filter(|r| **r == Some(1)).count() as f64 / count,
            mrr: ranks
                .iter()
                .map(|r| r.map_or(0.0, |r| 1.0 / r as f64))
                .sum::<f64>()
                / count,
            ranks,
        });
    }
    Ok(Relevance {
        file: file.display().to_string(),
        articles: n,
        generated,
        queries: judged,
        engines: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tab_separated_judgements() {
        let dir = std::env::temp_dir().join(format!("quire-bench-judged-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("j.tsv");
        std::fs::write(&p, "# comment\nwithdr\tstop\n\nconsnet\tprocess \n").unwrap();
        assert_eq!(
            read_judged(&p).unwrap(),
            vec![
                ("withdr".to_string(), "stop".to_string()),
                ("consnet".to_string(), "process".to_string())
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
