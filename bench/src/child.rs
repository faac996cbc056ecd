//! One engine, one corpus, in a process of its own: cold open, first query, the timed
//! query mix and the anonymous memory along the way. Running each engine alone keeps
//! one engine's allocations out of the other's memory figures, and every child starts
//! as a new process, so its open is a real first open.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use std::cell::RefCell;

use quire_core::bundle::Bundle;
use quire_core::index::Analyzers;
use quire_core::search::{SearchOptions, Searcher};
use serde::{Deserialize, Serialize};

use crate::fts::Fts;
use crate::machine::{self, Memory};
use crate::queries::Query;
use crate::raw;
use crate::xapian::Xapian;

/// The engines compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// A Quire bundle.
    Quire,
    /// An SQLite FTS5 database, set up at its best.
    Fts5,
    /// The tantivy index inside the Quire bundle, queried directly.
    Tantivy,
    /// A Xapian database.
    Xapian,
}

impl Engine {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Quire => "Quire",
            Engine::Fts5 => "FTS5",
            Engine::Tantivy => "tantivy",
            Engine::Xapian => "Xapian",
        }
    }

    /// The name on the command line.
    pub fn arg(self) -> &'static str {
        match self {
            Engine::Quire => "quire",
            Engine::Fts5 => "fts5",
            Engine::Tantivy => "tantivy",
            Engine::Xapian => "xapian",
        }
    }
}

/// What a child measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildReport {
    /// Share of the file's pages in the page cache just before opening (0 = cold).
    pub resident_before_open: f64,
    /// Opening, microseconds.
    pub open_us: f64,
    /// The first query after opening, microseconds.
    pub first_query_us: f64,
    /// Major page faults (reads from the disk) during the open.
    pub open_major_faults: u64,
    /// Major page faults during the first query.
    pub first_query_major_faults: u64,
    /// Bytes read from the disk during the open (read-ahead included).
    pub open_read_bytes: u64,
    /// Bytes read from the disk during the first query.
    pub first_query_read_bytes: u64,
    /// Opening again in the same process once the file is cached, microseconds.
    pub warm_open_us: f64,
    /// Anonymous RSS at start, after open, after the first query and after all queries.
    pub rss_start: u64,
    /// See `rss_start`.
    pub rss_open: u64,
    /// See `rss_start`.
    pub rss_first: u64,
    /// See `rss_start`.
    pub rss_end: u64,
    /// Memory at start and after all queries, in full.
    pub memory_start: Memory,
    /// See `memory_start`.
    pub memory_end: Memory,
    /// Queries run before `rss_end` was read (first query, warm-up pass, timed ones).
    pub queries_run: usize,
    /// Latency of each timed query (query `i` is mix entry `i % mix.len()`), µs.
    pub latencies_us: Vec<f64>,
    /// Hits (at most 10) of each query of the mix, from the warm-up pass.
    pub hits: Vec<usize>,
    /// A second form of each query, timed five times after the timed pass (median, µs;
    /// 0 where there is none). FTS5: the `"wor"*` form of each query ending in a prefix
    /// (prefix index, every completion). Raw tantivy: the same query without snippets.
    pub star_us: Vec<f64>,
}

/// An open engine. (Boxed bundle: they differ much in size.)
pub enum Opened {
    /// Quire.
    Quire(Box<Bundle>),
    /// FTS5.
    Fts5(Fts),
    /// Raw tantivy, with its query analyzer.
    Tantivy(Box<Bundle>, RefCell<Analyzers>),
    /// Xapian.
    Xapian(Xapian),
}

impl Opened {
    /// Opens `engine`'s file at `path`.
    pub fn open(engine: Engine, path: &Path) -> Result<Opened, String> {
        match engine {
            Engine::Quire => Bundle::open(path)
                .map(|b| Opened::Quire(Box::new(b)))
                .map_err(|e| e.to_string()),
            Engine::Fts5 => Fts::open(path).map(Opened::Fts5).map_err(|e| e.to_string()),
            Engine::Tantivy => Bundle::open(path)
                .map(|b| Opened::Tantivy(Box::new(b), RefCell::new(Analyzers::default())))
                .map_err(|e| e.to_string()),
            Engine::Xapian => Xapian::open(path).map(Opened::Xapian),
        }
    }

    /// The ids of the top `limit` hits of `q`, best first.
    pub fn ids(&self, q: &Query, limit: usize) -> Result<Vec<String>, String> {
        match self {
            Opened::Quire(b) => Ok(quire_search(b, q, limit)?
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect()),
            Opened::Fts5(f) => Ok(f
                .search(&q.fts, limit)
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|h| h.id)
                .collect()),
            Opened::Tantivy(b, a) => Ok(raw::search(b, q, limit, &mut a.borrow_mut())?
                .into_iter()
                .map(|h| h.id)
                .collect()),
            Opened::Xapian(x) => Ok(x
                .search(&q.xapian(), q.prefix, q.expansions, limit)?
                .into_iter()
                .map(|h| h.id)
                .collect()),
        }
    }

    /// Runs `q` for the top 10 with snippets; returns the number of hits.
    fn search(&self, q: &Query) -> Result<usize, String> {
        self.search_top(q, 10)
    }

    /// Runs `q` for the top `limit` with snippets; returns the number of hits.
    fn search_top(&self, q: &Query, limit: usize) -> Result<usize, String> {
        match self {
            Opened::Quire(b) => Ok(black_box(quire_search(b, q, limit)?).hits.len()),
            Opened::Fts5(f) => {
                let hits = f.search(&q.fts, limit).map_err(|e| e.to_string())?;
                Ok(black_box(hits).len())
            }
            Opened::Tantivy(b, a) => {
                let hits = raw::search(b, q, limit, &mut a.borrow_mut())?;
                Ok(black_box(hits).len())
            }
            Opened::Xapian(x) => {
                let hits = x.search(&q.xapian(), q.prefix, q.expansions, limit)?;
                Ok(black_box(hits).len())
            }
        }
    }
}

/// Runs in the child: measures `engine` on the file at `path` with the query mix,
/// `first` as the first query, then `count` timed queries cycling through the mix.
pub fn measure(
    engine: Engine,
    path: &Path,
    mix: &[Query],
    first: &Query,
    count: usize,
) -> Result<ChildReport, String> {
    let memory_start = Memory::now();
    let rss_start = memory_start.anon;
    let resident_before_open = machine::resident_share(path).map_err(|e| e.to_string())?;

    let (faults, read) = (machine::major_faults(), machine::storage_read_bytes());
    let t = Instant::now();
    let opened = Opened::open(engine, path)?;
    let open_us = micros(t);
    let open_major_faults = machine::major_faults() - faults;
    let open_read_bytes = machine::storage_read_bytes() - read;
    let rss_open = machine::rss_anon();

    let (faults, read) = (machine::major_faults(), machine::storage_read_bytes());
    let t = Instant::now();
    opened.search(first)?;
    let first_query_us = micros(t);
    let first_query_major_faults = machine::major_faults() - faults;
    let first_query_read_bytes = machine::storage_read_bytes() - read;
    let rss_first = machine::rss_anon();

    let hits = mix
        .iter()
        .map(|q| opened.search(q))
        .collect::<Result<Vec<_>, _>>()?;

    let mut latencies_us = Vec::with_capacity(count);
    for i in 0..count {
        let q = &mix[i % mix.len()];
        let t = Instant::now();
        opened.search(q)?;
        latencies_us.push(micros(t));
    }
    let memory_end = Memory::now();
    let rss_end = memory_end.anon;
    let mut star_us = vec![0.0; mix.len()];
    let time5 = |f: &mut dyn FnMut() -> Result<(), String>| -> Result<f64, String> {
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            f()?;
            times.push(micros(t));
        }
        Ok(crate::stats::median(&times))
    };
    match &opened {
        Opened::Fts5(f) => {
            for (i, q) in mix.iter().enumerate() {
                if q.prefix && q.fts_star != q.fts {
                    star_us[i] = time5(&mut || {
                        black_box(f.search(&q.fts_star, 10).map_err(|e| e.to_string())?);
                        Ok(())
                    })?;
                }
            }
        }
        Opened::Tantivy(b, a) => {
            for (i, q) in mix.iter().enumerate() {
                star_us[i] = time5(&mut || {
                    black_box(raw::search_with(b, q, 10, &mut a.borrow_mut(), false)?);
                    Ok(())
                })?;
            }
        }
        _ => {}
    }
    drop(opened);

    let t = Instant::now();
    let again = Opened::open(engine, path)?;
    let warm_open_us = micros(t);
    drop(again);

    Ok(ChildReport {
        resident_before_open,
        open_us,
        first_query_us,
        open_major_faults,
        first_query_major_faults,
        open_read_bytes,
        first_query_read_bytes,
        warm_open_us,
        rss_start,
        rss_open,
        rss_first,
        rss_end,
        memory_start,
        memory_end,
        queries_run: 1 + mix.len() + count,
        latencies_us,
        hits,
        star_us,
    })
}

/// Runs `query` (top `limit`) `n` times on an open engine, for a profiler to watch;
/// returns the median latency in µs.
pub fn repeat(
    engine: Engine,
    path: &Path,
    query: &Query,
    n: usize,
    limit: usize,
) -> Result<f64, String> {
    let opened = Opened::open(engine, path)?;
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        opened.search_top(query, limit)?;
        times.push(micros(t));
    }
    Ok(crate::stats::median(&times))
}

fn micros(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e6
}

/// Where the parent writes the query mix for its children.
pub struct MixFile(pub PathBuf);

impl MixFile {
    /// Writes `mix` as JSON into `dir`, as `queries-<name>.json`.
    pub fn write(dir: &Path, name: &str, mix: &[Query]) -> std::io::Result<MixFile> {
        let path = dir.join(format!("queries-{name}.json"));
        std::fs::write(&path, serde_json::to_vec(mix)?)?;
        Ok(MixFile(path))
    }
}

/// Runs the parent's side: evicts `path` from the page cache (when `cold`), starts a
/// child process on it and returns what it measured.
pub fn spawn(
    engine: Engine,
    path: &Path,
    mix: &MixFile,
    first: usize,
    count: usize,
    cold: bool,
) -> Result<ChildReport, String> {
    if cold {
        machine::evict(path).map_err(|e| format!("evicting {}: {e}", path.display()))?;
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .arg("child")
        .arg("--engine")
        .arg(engine.arg())
        .arg("--path")
        .arg(path)
        .arg("--queries")
        .arg(&mix.0)
        .arg("--first")
        .arg(first.to_string())
        .arg("--count")
        .arg(count.to_string())
        .output()
        .map_err(|e| format!("starting the {} child: {e}", engine.name()))?;
    if !out.status.success() {
        return Err(format!(
            "the {} child failed ({}): {}",
            engine.name(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("reading the child's report: {e}"))
}

/// Quire's search of `q` for the top `limit`, as the apps call it.
fn quire_search(
    b: &Bundle,
    q: &Query,
    limit: usize,
) -> Result<quire_core::search::SearchResults, String> {
    let options = SearchOptions {
        limit,
        ..SearchOptions::default()
    };
    Searcher::new(b)
        .search(&q.text, &options)
        .map_err(|e| e.to_string())
}
