//! The benchmark run: corpora, builds, the engines side by side, and the results.

use std::path::{Path, PathBuf};
use std::time::Instant;

use quire_core::bundle::{self, BuildOptions, Bundle};
use quire_core::corpus::{Article, markdown, parse_article};
use quire_gen::GenOptions;
use serde::Serialize;

use crate::child::{self, ChildReport, Engine, MixFile};
use crate::config::{Config, progress};
use crate::durability::{self, Durability};
use crate::extras::{Cdylib, Kotlin};
use crate::machine::{self, Machine, Memory};
use crate::queries::{self, Kind, Query};
use crate::relevance::{self, Relevance};
use crate::stats::{Summary, median};
use crate::{fts, real, xapian};

/// Figures of one engine's builds.
#[derive(Debug, Clone, Serialize)]
pub struct Build {
    /// The engine (raw tantivy shares Quire's bundle and is not built).
    pub engine: String,
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
    /// Memory after all queries.
    pub memory_end: Memory,
    /// The timed queries.
    pub latency: Summary,
    /// Median latency of each query of the mix in this round, µs.
    pub per_query_p50_us: Vec<f64>,
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
    /// The engine.
    pub engine: Engine,
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
    /// Median over rounds of each memory figure after all queries.
    pub memory_end: Memory,
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
    /// The second form of each query (see `ChildReport::star_us`): FTS5's `"wor"*`,
    /// raw tantivy without snippets; µs, median over rounds.
    pub star_us: Vec<f64>,
}

/// A ratio over rounds: its median, smallest and largest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Spread {
    /// Median over rounds.
    pub median: f64,
    /// Smallest round.
    pub min: f64,
    /// Largest round.
    pub max: f64,
    /// Every round's value.
    pub rounds: Vec<f64>,
}

impl Spread {
    fn of(values: Vec<f64>) -> Spread {
        Spread {
            median: median(&values),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(0.0, f64::max),
            rounds: values,
        }
    }
}

/// How much slower an engine is than Quire (its latency ÷ Quire's, above 1: Quire is
/// faster): per round, the geometric mean over queries of the ratio of the two engines'
/// medians of that query in that round (rounds paired in order).
#[derive(Debug, Clone, Serialize)]
pub struct Ratios {
    /// The engine compared with Quire.
    pub engine: Engine,
    /// Every query of the mix.
    pub all: Spread,
    /// Every query but the typos (which FTS5 and Xapian answer with nothing).
    pub all_but_typo: Spread,
    /// By kind, in `Kind::ALL` order.
    pub by_kind: Vec<(Kind, Spread)>,
}

/// Everything measured on one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusResult {
    /// `generated` or `real`.
    pub source: String,
    /// Articles.
    pub articles: usize,
    /// Bytes of the Markdown files (front matter included).
    pub markdown_bytes: u64,
    /// Seconds to make and parse the articles (not part of any build).
    pub generate_seconds: f64,
    /// Builds: Quire, FTS5, Xapian (when measured), then FTS5's size variant.
    pub builds: Vec<Build>,
    /// Quire's bundle by part: compressed bodies, index.
    pub quire_bodies_bytes: u64,
    /// See `quire_bodies_bytes`.
    pub quire_index_bytes: u64,
    /// The query mix of this corpus (prefix completions from its bundle).
    pub mix: Vec<Query>,
    /// Index in `mix` of every child's first query.
    pub first_query: usize,
    /// Query runs, one per engine, Quire first.
    pub runs: Vec<EngineRun>,
    /// Each other engine against Quire.
    pub ratios: Vec<Ratios>,
    /// Engines left out of this corpus, and why.
    pub left_out: Vec<String>,
}

impl CorpusResult {
    /// The run of `engine`, if measured.
    pub fn run(&self, engine: Engine) -> Option<&EngineRun> {
        self.runs.iter().find(|r| r.engine == engine)
    }

    /// The ratios of `engine` against Quire, if measured.
    pub fn ratio(&self, engine: Engine) -> Option<&Ratios> {
        self.ratios.iter().find(|r| r.engine == engine)
    }

    /// The build of the engine named `name`.
    pub fn build(&self, name: &str) -> Option<&Build> {
        self.builds.iter().find(|b| b.engine == name)
    }
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
    /// The engines measured.
    pub engines: Vec<Engine>,
    /// Why an engine or a corpus was left out, if one was.
    pub notes: Vec<String>,
    /// One entry per corpus.
    pub corpora: Vec<CorpusResult>,
    /// Relevance on the judged queries, when their file exists.
    pub relevance: Option<Relevance>,
    /// Bookmark add vs fsync.
    pub durability: Durability,
    /// The release cdylib, when measured.
    pub cdylib: Option<Cdylib>,
    /// Kotlin/JNA vs Rust, when measured.
    pub kotlin: Option<Kotlin>,
}

/// Where a corpus comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Generated,
    Real,
}

/// Runs the benchmark.
pub fn run(
    config: Config,
    cdylib: Option<&Path>,
    kotlin_cmd: Option<&str>,
    judged: Option<&Path>,
) -> Result<Results, String> {
    let start = Instant::now();
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::create_dir_all(&config.work)
        .map_err(|e| format!("creating {}: {e}", config.work.display()))?;
    let machine = Machine::describe(&config.work);
    let mut notes = Vec::new();
    let mut engines = vec![Engine::Quire, Engine::Fts5, Engine::Tantivy];
    if xapian::AVAILABLE {
        engines.push(Engine::Xapian);
    } else {
        notes.push(format!("Xapian not measured: {}", xapian::MISSING));
    }
    let mix = queries::mix(config.seed);
    progress(
        start,
        &format!(
            "{} queries in the generated mix; engines {}; {}",
            mix.len(),
            engines
                .iter()
                .map(|e| e.name())
                .collect::<Vec<_>>()
                .join(", "),
            machine.cpu
        ),
    );

    let mut corpora = Vec::new();
    for &size in &config.sizes {
        corpora.push(corpus(
            &config,
            Source::Generated,
            size,
            &mix,
            &engines,
            start,
        )?);
    }
    if !config.real_sizes.is_empty() {
        if real::available() {
            let mut real_mix: Option<Vec<Query>> = None;
            for &size in &config.real_sizes {
                corpora.push(real_corpus(&config, size, &mut real_mix, &engines, start)?);
            }
        } else {
            notes.push(format!(
                "real-text corpora not measured: {}/data.noun is missing \
                 (bench/install-deps.sh installs wordnet-base)",
                real::WORDNET_DIR
            ));
        }
    }

    let judged = judged
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(relevance::DEFAULT_FILE));
    let relevance = if judged.exists() {
        Some(relevance::measure(
            &judged,
            Path::new("corpus"),
            config.relevance_generated,
            config.seed,
            &config.work,
            &engines,
            start,
        )?)
    } else {
        notes.push(format!(
            "relevance not measured: {} does not exist (the judged queries' file; \
             core/tests/relevance.rs is not parsed)",
            judged.display()
        ));
        None
    };

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
            progress(start, "Kotlin/JNA against the search inside the library");
            let size = config.sizes[0];
            let bundle = config.work.join(format!("generated-{size}.quire"));
            Some(Kotlin::measure(cmd, &config, &mix, &bundle, size, start)?)
        }
        None => None,
    };

    Ok(Results {
        config,
        machine,
        started_at,
        seconds: start.elapsed().as_secs_f64(),
        load_at_end: machine::load_average(),
        cold_method: "each round is a new process; just before it starts, the engine's \
                      file alone is evicted from the page cache with \
                      posix_fadvise(POSIX_FADV_DONTNEED), and mincore(2) confirms no page \
                      of it is cached"
            .into(),
        engines,
        notes,
        corpora,
        relevance,
        durability,
        cdylib,
        kotlin,
    })
}

/// The real-text corpus of `size` articles; its query mix is drawn once, from the first
/// (smallest) size, so that every size answers the same queries.
fn real_corpus(
    config: &Config,
    size: usize,
    real_mix: &mut Option<Vec<Query>>,
    engines: &[Engine],
    start: Instant,
) -> Result<CorpusResult, String> {
    progress(start, &format!("real {size}: reading WordNet"));
    let t = Instant::now();
    let (articles, markdown_bytes) = real::articles(size)?;
    let generate_seconds = t.elapsed().as_secs_f64();
    let mix = real_mix
        .get_or_insert_with(|| {
            let head = &articles[..articles.len().min(10_000)];
            let vocab = real::vocabulary(head);
            let vocab: Vec<&str> = vocab.iter().map(String::as_str).collect();
            let texts: Vec<String> = articles
                .iter()
                .take(3000)
                .step_by(30)
                .map(|a| markdown::to_plain(&a.body).text)
                .collect();
            queries::mix_from(&vocab, &texts, false)
        })
        .clone();
    measure_corpus(
        config,
        Source::Real,
        size,
        articles,
        markdown_bytes,
        generate_seconds,
        mix,
        engines,
        start,
    )
}

/// The generated corpus of `size` articles.
fn corpus(
    config: &Config,
    source: Source,
    size: usize,
    mix: &[Query],
    engines: &[Engine],
    start: Instant,
) -> Result<CorpusResult, String> {
    progress(start, &format!("generated {size}: generating"));
    let t = Instant::now();
    let (articles, markdown_bytes) = generate(size, config.seed)?;
    let generate_seconds = t.elapsed().as_secs_f64();
    measure_corpus(
        config,
        source,
        size,
        articles,
        markdown_bytes,
        generate_seconds,
        mix.to_vec(),
        engines,
        start,
    )
}

/// Builds every engine on `articles`, then runs the rounds.
#[allow(clippy::too_many_arguments)]
fn measure_corpus(
    config: &Config,
    source: Source,
    size: usize,
    articles: Vec<Article>,
    markdown_bytes: u64,
    generate_seconds: f64,
    mut mix: Vec<Query>,
    engines: &[Engine],
    start: Instant,
) -> Result<CorpusResult, String> {
    let label = match source {
        Source::Generated => "generated",
        Source::Real => "real",
    };
    let mut left_out = Vec::new();
    let engines: Vec<Engine> = engines
        .iter()
        .copied()
        .filter(|&e| {
            let keep = e != Engine::Xapian || markdown_bytes <= config.xapian_max_markdown_bytes;
            if !keep {
                left_out.push(format!(
                    "Xapian left out of {label} {size}: {:.0} MB of Markdown, over the \
                     {:.0} MB its build is allowed in this run (about 9 ms per generated \
                     article here: it would take longer than every other part together)",
                    markdown_bytes as f64 / 1e6,
                    config.xapian_max_markdown_bytes as f64 / 1e6
                ));
            }
            keep
        })
        .collect();
    let engines = &engines[..];
    let (rounds, timed) = if size > 10_000 {
        (config.rounds_large, config.queries_large)
    } else {
        (config.rounds, config.queries)
    };
    let name = format!("{label}-{size}");
    let bundle_path = config.work.join(format!("{name}.quire"));
    let db_path = config.work.join(format!("{name}.fts5.db"));
    let small_path = config.work.join(format!("{name}.fts5-small.db"));
    let xapian_path = config.work.join(format!("{name}.xapian"));
    let repeats = if size <= 10_000 {
        config.build_repeats.max(1)
    } else {
        1
    };
    let built: Vec<Engine> = engines
        .iter()
        .copied()
        .filter(|&e| e != Engine::Tantivy)
        .collect();
    let mut seconds: Vec<Vec<f64>> = vec![Vec::new(); built.len()];
    let mut stats = None;
    for rep in 0..repeats {
        for k in 0..built.len() {
            // Rotate which engine builds first.
            let which = (k + rep) % built.len();
            let engine = built[which];
            progress(start, &format!("{name}: {} build", engine.name()));
            let t = Instant::now();
            match engine {
                Engine::Quire => {
                    // As `quire build` makes a bundle: with the language's word list.
                    let options = BuildOptions {
                        corpus_id: format!("bench-{name}"),
                        lexicon: Some(crate::config::ENGLISH_WORDS.to_string()),
                        ..BuildOptions::default()
                    };
                    let s = bundle::build_file(articles.clone(), &options, &bundle_path, |_, _| {})
                        .map_err(|e| format!("building the bundle: {e}"))?;
                    stats = Some(s);
                }
                Engine::Fts5 => fts::build(&db_path, &articles)
                    .map_err(|e| format!("building the FTS5 database: {e}"))?,
                Engine::Xapian => xapian::build(&xapian_path, &articles)?,
                Engine::Tantivy => unreachable!("not built"),
            }
            seconds[which].push(t.elapsed().as_secs_f64());
        }
    }
    progress(start, &format!("{name}: FTS5 size variant build"));
    let t = Instant::now();
    fts::build_small(&small_path, &articles)
        .map_err(|e| format!("building the FTS5 size variant: {e}"))?;
    let small_seconds = t.elapsed().as_secs_f64();
    drop(articles);
    let stats = stats.expect("built at least once");
    let build_of = |engine: &str, seconds: Vec<f64>, path: &Path| -> Result<Build, String> {
        let bytes = std::fs::metadata(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .len();
        Ok(Build {
            engine: engine.into(),
            median_seconds: median(&seconds),
            seconds,
            bytes,
            bytes_per_article: bytes as f64 / size as f64,
            vs_markdown: bytes as f64 / markdown_bytes as f64,
        })
    };
    let path_of = |e: Engine| match e {
        Engine::Quire | Engine::Tantivy => &bundle_path,
        Engine::Fts5 => &db_path,
        Engine::Xapian => &xapian_path,
    };
    let mut builds = Vec::new();
    for (k, &e) in built.iter().enumerate() {
        builds.push(build_of(e.name(), seconds[k].clone(), path_of(e))?);
    }
    builds.push(build_of("FTS5 small", vec![small_seconds], &small_path)?);
    let _ = std::fs::remove_file(&small_path);

    {
        let bundle = Bundle::open(&bundle_path).map_err(|e| e.to_string())?;
        for q in &mut mix {
            q.expand(bundle.vocabulary());
        }
    }
    let first_query = mix
        .iter()
        .position(|q| q.text == "withdrawing consent")
        .unwrap_or(0);
    let mix_file = MixFile::write(&config.work, &name, &mix).map_err(|e| e.to_string())?;

    let mut reports: Vec<Vec<ChildReport>> = vec![Vec::new(); engines.len()];
    for round in 0..rounds {
        for k in 0..engines.len() {
            // Rotate which engine goes first.
            let which = (k + round) % engines.len();
            let engine = engines[which];
            progress(
                start,
                &format!("{name}: round {}/{} {}", round + 1, rounds, engine.name()),
            );
            reports[which].push(child::spawn(
                engine,
                path_of(engine),
                &mix_file,
                first_query,
                timed,
                true,
            )?);
        }
    }
    let runs: Vec<EngineRun> = engines
        .iter()
        .zip(&reports)
        .map(|(&e, r)| engine_run(e, r, &mix))
        .collect();
    let ratios: Vec<Ratios> = runs[1..]
        .iter()
        .map(|other| ratios(&runs[0], other, &mix))
        .collect();
    let line: Vec<String> = runs
        .iter()
        .map(|r| format!("{} {:.3} ms", r.engine.name(), r.latency.p50 / 1e3))
        .collect();
    progress(start, &format!("{name}: p50 {}", line.join(", ")));
    Ok(CorpusResult {
        source: label.into(),
        articles: size,
        markdown_bytes,
        generate_seconds,
        builds,
        quire_bodies_bytes: stats.bodies_bytes,
        quire_index_bytes: stats.index_bytes,
        mix,
        first_query,
        runs,
        ratios,
        left_out,
    })
}

/// `other` against Quire, query by query, round by round.
fn ratios(quire: &EngineRun, other: &EngineRun, mix: &[Query]) -> Ratios {
    let per_round = |keep: &dyn Fn(&Query) -> bool| -> Spread {
        let values = quire
            .rounds
            .iter()
            .zip(&other.rounds)
            .map(|(q, o)| {
                let logs: Vec<f64> = (0..mix.len())
                    .filter(|&i| keep(&mix[i]))
                    .filter(|&i| q.per_query_p50_us[i] > 0.0 && o.per_query_p50_us[i] > 0.0)
                    .map(|i| (o.per_query_p50_us[i] / q.per_query_p50_us[i]).ln())
                    .collect();
                if logs.is_empty() {
                    0.0
                } else {
                    (logs.iter().sum::<f64>() / logs.len() as f64).exp()
                }
            })
            .collect();
        Spread::of(values)
    };
    Ratios {
        engine: other.engine,
        all: per_round(&|_| true),
        all_but_typo: per_round(&|q: &Query| q.kind != Kind::Typo),
        by_kind: Kind::ALL
            .iter()
            .map(|&k| (k, per_round(&|q: &Query| q.kind == k)))
            .collect(),
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
fn engine_run(engine: Engine, reports: &[ChildReport], mix: &[Query]) -> EngineRun {
    let per_query = |r: &ChildReport| -> Vec<f64> {
        (0..mix.len())
            .map(|q| {
                let samples: Vec<f64> = r
                    .latencies_us
                    .iter()
                    .skip(q)
                    .step_by(mix.len())
                    .copied()
                    .collect();
                median(&samples)
            })
            .collect()
    };
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
            memory_end: r.memory_end,
            latency: Summary::of(&r.latencies_us),
            per_query_p50_us: per_query(r),
        })
        .collect();
    let med = |f: &dyn Fn(&ChildReport) -> f64| median(&reports.iter().map(f).collect::<Vec<_>>());
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
    let star_us = (0..mix.len())
        .map(|q| {
            median(
                &reports
                    .iter()
                    .map(|r| r.star_us.get(q).copied().unwrap_or(0.0))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let mem = |f: &dyn Fn(&Memory) -> u64| med(&|r| f(&r.memory_end) as f64) as u64;
    EngineRun {
        engine,
        per_query_p50_us,
        star_us,
        open_us: med(&|r| r.open_us),
        first_query_us: med(&|r| r.first_query_us),
        open_and_first_us: med(&|r| r.open_us + r.first_query_us),
        warm_open_us: med(&|r| r.warm_open_us),
        rss_start: med(&|r| r.rss_start as f64) as u64,
        rss_open: med(&|r| r.rss_open as f64) as u64,
        rss_end: med(&|r| r.rss_end as f64) as u64,
        memory_end: Memory {
            anon: mem(&|m| m.anon),
            file: mem(&|m| m.file),
            pss: mem(&|m| m.pss),
            hwm: mem(&|m| m.hwm),
        },
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
