//! The benchmark run: corpora, builds, the engines side by side, and the results.

use std::path::Path;
use std::time::Instant;

use quire_core::bundle::{self, BuildOptions};
use quire_core::corpus::{Article, parse_article};
use quire_gen::GenOptions;
use serde::Serialize;

use crate::child::{self, ChildReport, Engine, MixFile};
use crate::config::{Config, progress};
use crate::durability::{self, Durability};
use crate::extras::{Cdylib, Kotlin};
use crate::fts;
use crate::machine::{self, Machine};
use crate::queries::{self, Kind, Query};
use crate::stats::{Summary, median};

/// Figures of one engine's builds.
#[derive(Debug, Clone, Serialize)]
pub struct Build {
    /// Each build's wall time, seconds.
    pub seconds: Vec<f64>,
    /// Their median.
    pub median_seconds: f64,
    /// File size.
    pub bytes: u64,
    /// `bytes / articles`.
    pub bytes_per_article: f64,
    /// `bytes / markdown_bytes`.
    pub vs_markdown: f64,
}

/// Figures of one round (one child process).
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    /// Share of the file cached before open.
    pub resident_before_open: f64,
    /// Open, µs.
    pub open_us: f64,
    /// First query, µs.
    pub first_query_us: f64,
    /// Major page faults during the open.
    pub open_major_faults: u64,
    /// Major page faults during the first query.
    pub first_query_major_faults: u64,
    /// Bytes read from the disk during the open.
    pub open_read_bytes: u64,
    /// Bytes read from the disk during the first query.
    pub first_query_read_bytes: u64,
    /// Open again, file cached, µs.
    pub warm_open_us: f64,
    /// Anonymous RSS after open, bytes.
    pub rss_open: u64,
    /// Anonymous RSS after all queries, bytes.
    pub rss_end: u64,
    /// Queries run before `rss_end`.
    pub queries_run: usize,
    /// The timed queries.
    pub latency: Summary,
}

/// Latency of one kind of query.
#[derive(Debug, Clone, Serialize)]
pub struct KindFigures {
    /// The kind.
    pub kind: Kind,
    /// Distinct queries of this kind in the mix.
    pub queries: usize,
    /// All timed queries of this kind, all rounds pooled, µs.
    pub latency: Summary,
    /// Share of the kind's queries with at least one hit.
    pub answered: f64,
}

/// Figures of one engine on one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct EngineRun {
    /// Every round.
    pub rounds: Vec<Round>,
    /// Medians over rounds.
    pub open_us: f64,
    /// See `open_us`.
    pub first_query_us: f64,
    /// Open + first query, median over rounds of the sums.
    pub open_and_first_us: f64,
    /// See `open_us`.
    pub warm_open_us: f64,
    /// See `open_us`.
    pub rss_start: u64,
    /// See `open_us`.
    pub rss_open: u64,
    /// See `open_us`.
    pub rss_end: u64,
    /// Largest share of the file cached before an open, over rounds.
    pub max_resident_before_open: f64,
    /// Median over rounds of each percentile.
    pub latency: Summary,
    /// All rounds pooled.
    pub latency_pooled: Summary,
    /// By kind of query.
    pub by_kind: Vec<KindFigures>,
    /// Median latency of each query of the mix (in mix order), all rounds pooled, µs.
    pub per_query_p50_us: Vec<f64>,
}

/// A pair of figures, one per engine.
#[derive(Debug, Clone, Serialize)]
pub struct Both<T> {
    /// Quire's.
    pub quire: T,
    /// FTS5's.
    pub fts5: T,
}

impl<T> Both<T> {
    /// The figure of `engine`.
    pub fn get(&self, engine: Engine) -> &T {
        match engine {
            Engine::Quire => &self.quire,
            Engine::Fts5 => &self.fts5,
        }
    }
}

/// Everything measured on one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusResult {
    /// Articles.
    pub articles: usize,
    /// Bytes of the generated Markdown files (front matter included).
    pub markdown_bytes: u64,
    /// Seconds to generate and parse the articles (not part of either build).
    pub generate_seconds: f64,
    /// Builds.
    pub build: Both<Build>,
    /// Quire's bundle by part: compressed bodies, index, vocabulary words.
    pub quire_bodies_bytes: u64,
    /// See `quire_bodies_bytes`.
    pub quire_index_bytes: u64,
    /// Query runs.
    pub run: Both<EngineRun>,
    /// Median over rounds of FTS5 p50 / Quire p50 (rounds paired in order).
    pub p50_speedup: f64,
    /// Median over rounds of FTS5 p99 / Quire p99.
    pub p99_speedup: f64,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// What was run.
    pub config: Config,
    /// Where.
    pub machine: Machine,
    /// When it started (UTC, RFC 3339).
    pub started_at: String,
    /// How long it took, seconds.
    pub seconds: f64,
    /// Load averages at the end.
    pub load_at_end: String,
    /// How cold opens were made cold.
    pub cold_method: String,
    /// The query mix.
    pub queries: Vec<Query>,
    /// Index in `queries` of the first query of every child.
    pub first_query: usize,
    /// One entry per corpus size.
    pub corpora: Vec<CorpusResult>,
    /// Bookmark add vs fsync.
    pub durability: Durability,
    /// The release cdylib, when measured.
    pub cdylib: Option<Cdylib>,
    /// Kotlin/JNA vs Rust, when measured.
    pub kotlin: Option<Kotlin>,
}

/// Runs the benchmark.
pub fn run(
    config: Config,
    cdylib: Option<&Path>,
    kotlin_cmd: Option<&str>,
) -> Result<Results, String> {
    let start = Instant::now();
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::create_dir_all(&config.work)
        .map_err(|e| format!("creating {}: {e}", config.work.display()))?;
    let machine = Machine::describe(&config.work);
    let mix = queries::mix(config.seed);
    let first_query = mix
        .iter()
        .position(|q| q.text == "withdrawing consent")
        .unwrap_or(0);
    let mix_file = MixFile::write(&config.work, &mix).map_err(|e| e.to_string())?;
    progress(
        start,
        &format!("{} queries in the mix; {}", mix.len(), machine.cpu),
    );

    let mut corpora = Vec::new();
    for &size in &config.sizes {
        corpora.push(corpus(&config, size, &mix, &mix_file, first_query, start)?);
    }

    progress(start, "bookmark add vs fsync");
    let durability = durability::measure(&config.work, config.bookmark_iterations)?;

    let cdylib = match cdylib {
        Some(path) => {
            progress(start, "cdylib size");
            Some(Cdylib::measure(path, &config.work)?)
        }
        None => None,
    };
    let kotlin = match kotlin_cmd {
        Some(cmd) => {
            progress(start, "Kotlin/JNA vs Rust");
            let size = config.sizes[0];
            let bundle = config.work.join(format!("corpus-{size}.quire"));
            Some(Kotlin::measure(
                cmd, &config, &mix, &mix_file, &bundle, size, start,
            )?)
        }
        None => None,
    };

    Ok(Results {
        config,
        machine,
        started_at,
        seconds: start.elapsed().as_secs_f64(),
        load_at_end: machine::load_average(),
        cold_method: "each round is a new process; just before it starts, the bundle or \
                      database file alone is evicted from the page cache with \
                      posix_fadvise(POSIX_FADV_DONTNEED), and mincore(2) confirms no page \
                      of it is cached"
            .into(),
        queries: mix,
        first_query,
        corpora,
        durability,
        cdylib,
        kotlin,
    })
}

/// Generates the corpus of `size` articles, builds both engines, runs the rounds.
fn corpus(
    config: &Config,
    size: usize,
    mix: &[Query],
    mix_file: &MixFile,
    first_query: usize,
    start: Instant,
) -> Result<CorpusResult, String> {
    progress(start, &format!("{size} articles: generating"));
    let t = Instant::now();
    let (articles, markdown_bytes) = generate(size, config.seed)?;
    let generate_seconds = t.elapsed().as_secs_f64();

    let bundle_path = config.work.join(format!("corpus-{size}.quire"));
    let db_path = config.work.join(format!("corpus-{size}.fts5.db"));
    let repeats = if size <= 10_000 {
        config.build_repeats.max(1)
    } else {
        1
    };
    let (mut quire_s, mut fts_s) = (Vec::new(), Vec::new());
    let mut stats = None;
    for rep in 0..repeats {
        // Alternate which engine builds first.
        for engine in order(rep) {
            progress(start, &format!("{size} articles: {} build", engine.name()));
            let t = Instant::now();
            match engine {
                Engine::Quire => {
                    let options = BuildOptions {
                        corpus_id: format!("bench-{}-{size}", config.seed),
                        ..BuildOptions::default()
                    };
                    let s = bundle::build_file(articles.clone(), &options, &bundle_path, |_, _| {})
                        .map_err(|e| format!("building the bundle: {e}"))?;
                    quire_s.push(t.elapsed().as_secs_f64());
                    stats = Some(s);
                }
                Engine::Fts5 => {
                    fts::build(&db_path, &articles)
                        .map_err(|e| format!("building the FTS5 database: {e}"))?;
                    fts_s.push(t.elapsed().as_secs_f64());
                }
            }
        }
    }
    drop(articles);
    let stats = stats.expect("built at least once");
    let build_of = |seconds: Vec<f64>, path: &Path| -> Result<Build, String> {
        let bytes = std::fs::metadata(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        Ok(Build {
            median_seconds: median(&seconds),
            seconds,
            bytes,
            bytes_per_article: bytes as f64 / size as f64,
            vs_markdown: bytes as f64 / markdown_bytes as f64,
        })
    };
    let build = Both {
        quire: build_of(quire_s, &bundle_path)?,
        fts5: build_of(fts_s, &db_path)?,
    };

    let mut reports: Both<Vec<ChildReport>> = Both {
        quire: Vec::new(),
        fts5: Vec::new(),
    };
    for round in 0..config.rounds {
        for engine in order(round) {
            progress(
                start,
                &format!(
                    "{size} articles: round {}/{} {}",
                    round + 1,
                    config.rounds,
                    engine.name()
                ),
            );
            let (path, list) = match engine {
                Engine::Quire => (&bundle_path, &mut reports.quire),
                Engine::Fts5 => (&db_path, &mut reports.fts5),
            };
            list.push(child::spawn(
                engine,
                path,
                mix_file,
                first_query,
                config.queries,
                true,
            )?);
        }
    }
    let run = Both {
        quire: engine_run(&reports.quire, mix),
        fts5: engine_run(&reports.fts5, mix),
    };
    let ratio = |f: fn(&Summary) -> f64| {
        let per_round: Vec<f64> = run
            .quire
            .rounds
            .iter()
            .zip(&run.fts5.rounds)
            .map(|(q, s)| f(&s.latency) / f(&q.latency))
            .collect();
        median(&per_round)
    };
    let p50_speedup = ratio(|s| s.p50);
    let p99_speedup = ratio(|s| s.p99);
    progress(
        start,
        &format!(
            "{size} articles: p50 Quire {:.3} ms, FTS5 {:.3} ms ({p50_speedup:.1}×)",
            run.quire.latency.p50 / 1e3,
            run.fts5.latency.p50 / 1e3
        ),
    );
    Ok(CorpusResult {
        articles: size,
        markdown_bytes,
        generate_seconds,
        build,
        quire_bodies_bytes: stats.bodies_bytes,
        quire_index_bytes: stats.index_bytes,
        run,
        p50_speedup,
        p99_speedup,
    })
}

/// Quire first in even rounds, FTS5 first in odd ones.
fn order(round: usize) -> [Engine; 2] {
    if round % 2 == 0 {
        Engine::BOTH
    } else {
        [Engine::Fts5, Engine::Quire]
    }
}

/// Generates and parses `size` articles; returns them and their Markdown's total size.
fn generate(size: usize, seed: u64) -> Result<(Vec<Article>, u64), String> {
    let mut bytes = 0u64;
    let mut articles = Vec::with_capacity(size);
    for a in quire_gen::generate(&GenOptions { count: size, seed }) {
        bytes += a.markdown.len() as u64;
        articles
            .push(parse_article(Path::new(&a.file_name), &a.markdown).map_err(|e| e.to_string())?);
    }
    Ok((articles, bytes))
}

/// Summarises the rounds of one engine.
fn engine_run(reports: &[ChildReport], mix: &[Query]) -> EngineRun {
    let rounds: Vec<Round> = reports
        .iter()
        .map(|r| Round {
            resident_before_open: r.resident_before_open,
            open_us: r.open_us,
            first_query_us: r.first_query_us,
            open_major_faults: r.open_major_faults,
            first_query_major_faults: r.first_query_major_faults,
            open_read_bytes: r.open_read_bytes,
            first_query_read_bytes: r.first_query_read_bytes,
            warm_open_us: r.warm_open_us,
            rss_open: r.rss_open,
            rss_end: r.rss_end,
            queries_run: r.queries_run,
            latency: Summary::of(&r.latencies_us),
        })
        .collect();
    let med = |f: fn(&ChildReport) -> f64| median(&reports.iter().map(f).collect::<Vec<_>>());
    let pooled: Vec<f64> = reports
        .iter()
        .flat_map(|r| r.latencies_us.iter().copied())
        .collect();
    let by_kind = Kind::ALL
        .iter()
        .map(|&kind| {
            let mut samples = Vec::new();
            for r in reports {
                for (i, &us) in r.latencies_us.iter().enumerate() {
                    if mix[i % mix.len()].kind == kind {
                        samples.push(us);
                    }
                }
            }
            let of_kind: Vec<usize> = (0..mix.len()).filter(|&i| mix[i].kind == kind).collect();
            let answered = reports
                .first()
                .map_or(0, |r| of_kind.iter().filter(|&&i| r.hits[i] > 0).count());
            KindFigures {
                kind,
                queries: of_kind.len(),
                latency: Summary::of(&samples),
                answered: answered as f64 / of_kind.len().max(1) as f64,
            }
        })
        .collect();
    let per_query_p50_us = (0..mix.len())
        .map(|q| {
            let samples: Vec<f64> = reports
                .iter()
                .flat_map(|r| r.latencies_us.iter().skip(q).step_by(mix.len()).copied())
                .collect();
            median(&samples)
        })
        .collect();
    EngineRun {
        per_query_p50_us,
        open_us: med(|r| r.open_us),
        first_query_us: med(|r| r.first_query_us),
        open_and_first_us: med(|r| r.open_us + r.first_query_us),
        warm_open_us: med(|r| r.warm_open_us),
        rss_start: med(|r| r.rss_start as f64) as u64,
        rss_open: med(|r| r.rss_open as f64) as u64,
        rss_end: med(|r| r.rss_end as f64) as u64,
        max_resident_before_open: reports
            .iter()
            .map(|r| r.resident_before_open)
            .fold(0.0, f64::max),
        latency: Summary::median_of(&rounds.iter().map(|r| r.latency).collect::<Vec<_>>()),
        latency_pooled: Summary::of(&pooled),
        by_kind,
        rounds,
    }
}
