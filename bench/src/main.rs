//! Quire against SQLite FTS5 (set up at its best), raw tantivy and Xapian, on the
//! performance targets of the design.
//!
//! For generated corpora (1k, 10k and 100k articles in the full run) and real English
//! text (WordNet, 10k and 100k) it builds a Quire bundle, an FTS5 database and a Xapian
//! database from the same articles (raw tantivy searches the bundle's own index), then
//! measures in the same run: build time and size, cold open and first query, the
//! latency of each query of one mix (top 10 with snippets) on every engine, memory,
//! relevance on the judged queries, a durable bookmark add against a bare `fsync`, and
//! optionally the shipped cdylib's size and a search through Kotlin/JNA.
//! It prints a table, writes a JSON file and an SVG chart, and rewrites the generated
//! part of `docs/benchmarks.md`.
//!
//! ```text
//! bench/run.sh                      # the full run (release build, about 15 minutes)
//! cargo run -p quire-bench -- --quick   # small corpora, a minute in a debug build
//! cargo run --release -p quire-bench -- packs   # 1, 5 and 20 packs (docs/benchmarks.md)
//! ```
//!
//! Each engine runs in a child process of its own per round (`quire-bench child …`), so
//! its open is a first open and its memory is its own.

#![deny(missing_docs)]

mod child;
mod config;
mod durability;
mod extras;
mod fts;
mod machine;
mod packs;
mod queries;
mod raw;
mod real;
mod relevance;
mod report;
mod run;
mod stats;
mod xapian;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use child::Engine;
use config::Config;

#[derive(Parser)]
#[command(
    name = "quire-bench",
    about = "Quire against SQLite FTS5, raw tantivy and Xapian: speed, size, memory, relevance",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    child: Option<Task>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Args)]
struct RunArgs {
    /// Small corpora and few iterations, outputs under target/ (the test command runs it).
    #[arg(long)]
    quick: bool,
    /// Corpus sizes in articles, comma-separated [full: 1000,10000,100000; quick: 300,1000].
    #[arg(long, value_delimiter = ',')]
    sizes: Option<Vec<usize>>,
    /// Real-text (WordNet) corpus sizes, comma-separated; 0 for none [full: 10000,100000;
    /// quick: 300].
    #[arg(long, value_delimiter = ',')]
    real_sizes: Option<Vec<usize>>,
    /// The judged queries (query<TAB>expected id) [core/tests/data/judged-queries.tsv].
    #[arg(long)]
    judged: Option<PathBuf>,
    /// Generated articles mixed with the built-in ones for relevance [full: 10000; quick: 300].
    #[arg(long)]
    relevance_articles: Option<usize>,
    /// Generator seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Processes per engine and corpus [full: 5; quick: 2].
    #[arg(long)]
    rounds: Option<usize>,
    /// Processes per engine for corpora above 10k articles [full: 3; quick: as --rounds].
    #[arg(long)]
    rounds_large: Option<usize>,
    /// Timed queries per process for corpora above 10k articles [full: 300; quick: as
    /// --queries].
    #[arg(long)]
    queries_large: Option<usize>,
    /// Leave Xapian out of corpora with more Markdown than this many MB [full: 100;
    /// quick: no limit].
    #[arg(long)]
    xapian_max_mb: Option<u64>,
    /// Timed queries per process [full: 1000; quick: 100].
    #[arg(long)]
    queries: Option<usize>,
    /// Builds per engine for corpora up to 10k articles [full: 1; quick: 1].
    #[arg(long)]
    build_repeats: Option<usize>,
    /// Bookmark adds timed against as many fsyncs [full: 300; quick: 20].
    #[arg(long)]
    bookmarks: Option<usize>,
    /// Working directory for bundles and databases [target/quire-bench/<mode>].
    #[arg(long)]
    work: Option<PathBuf>,
    /// Where the JSON and SVG go [full: bench/results; quick: the work directory].
    #[arg(long)]
    out: Option<PathBuf>,
    /// The Markdown document whose generated part is rewritten [full: docs/benchmarks.md;
    /// quick: <out>/benchmarks.md].
    #[arg(long)]
    doc: Option<PathBuf>,
    /// The release cdylib to measure (built by bench/run.sh).
    #[arg(long)]
    cdylib: Option<PathBuf>,
    /// Command running the Kotlin/JNA search benchmark (bench/kotlin/run.sh).
    #[arg(long)]
    kotlin: Option<String>,
}

#[derive(Subcommand)]
enum Task {
    /// Internal: measure one engine in this process and print JSON.
    #[command(hide = true)]
    Child {
        #[arg(long, value_enum)]
        engine: Engine,
        #[arg(long)]
        path: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long)]
        first: usize,
        #[arg(long)]
        count: usize,
    },
    /// Search cost with the same articles installed as 1, 5 or 20 content packs; writes
    /// bench/results/packs.json and its section of docs/benchmarks.md.
    Packs {
        /// Generated articles over all packs.
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        /// Timed searches: the query mix, repeated (after a warm-up pass over it).
        #[arg(long, default_value_t = 750)]
        queries: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Working directory [target/quire-bench/packs].
        #[arg(long, default_value = "target/quire-bench/packs")]
        work: PathBuf,
        /// Where the JSON goes.
        #[arg(long, default_value = "bench/results")]
        out: PathBuf,
        /// The Markdown document whose packs section is rewritten.
        #[arg(long, default_value = "docs/benchmarks.md")]
        doc: PathBuf,
    },
    /// Internal: run one query many times on one engine, for a profiler.
    #[command(hide = true)]
    Profile {
        #[arg(long, value_enum)]
        engine: Engine,
        #[arg(long)]
        path: PathBuf,
        /// The query as typed (FTS5 gets its translation).
        #[arg(long)]
        query: String,
        #[arg(long, default_value_t = 200)]
        n: usize,
        /// Hits to return (Quire only).
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.child {
        Some(Task::Child {
            engine,
            path,
            queries,
            first,
            count,
        }) => run_child(engine, &path, &queries, first, count),
        Some(Task::Profile {
            engine,
            path,
            query,
            n,
            limit,
        }) => {
            let q = queries::Query::new(queries::Kind::Single, query);
            child::repeat(engine, &path, &q, n, limit).map(|us| println!("median {us:.1} µs"))
        }
        Some(Task::Packs {
            articles,
            queries,
            seed,
            work,
            out,
            doc,
        }) => run_packs(articles, queries, seed, &work, &out, &doc),
        None => run_bench(cli.run),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quire-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_child(
    engine: Engine,
    path: &Path,
    queries: &Path,
    first: usize,
    count: usize,
) -> Result<(), String> {
    let mix: Vec<queries::Query> = serde_json::from_slice(
        &std::fs::read(queries).map_err(|e| format!("{}: {e}", queries.display()))?,
    )
    .map_err(|e| e.to_string())?;
    let first = mix.get(first).ok_or("--first is out of range")?;
    let report = child::measure(engine, path, &mix, first, count)?;
    println!(
        "{}",
        serde_json::to_string(&report).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn run_bench(a: RunArgs) -> Result<(), String> {
    let quick = a.quick;
    let pick =
        |v: Option<usize>, full: usize, small: usize| v.unwrap_or(if quick { small } else { full });
    let mode = if quick { "quick" } else { "full" };
    let work = a
        .work
        .unwrap_or_else(|| PathBuf::from("target/quire-bench").join(mode));
    let out = a.out.unwrap_or_else(|| {
        if quick {
            work.clone()
        } else {
            PathBuf::from("bench/results")
        }
    });
    let doc = a.doc.unwrap_or_else(|| {
        if quick {
            out.join("benchmarks.md")
        } else {
            PathBuf::from("docs/benchmarks.md")
        }
    });
    let command = std::env::var("QUIRE_BENCH_COMMAND").unwrap_or_else(|_| {
        let args: Vec<String> = std::env::args().skip(1).collect();
        format!("quire-bench {}", args.join(" "))
    });
    let config = Config {
        mode: mode.into(),
        command: command.trim().to_string(),
        sizes: a.sizes.unwrap_or_else(|| {
            if quick {
                vec![300, 1000]
            } else {
                vec![1000, 10_000, 100_000]
            }
        }),
        real_sizes: a
            .real_sizes
            .unwrap_or_else(|| {
                if quick {
                    vec![300]
                } else {
                    vec![10_000, 100_000]
                }
            })
            .into_iter()
            .filter(|&n| n > 0)
            .collect(),
        relevance_generated: pick(a.relevance_articles, 10_000, 300),
        seed: a.seed,
        rounds: pick(a.rounds, 5, 2).max(1),
        rounds_large: a
            .rounds_large
            .unwrap_or(if quick { pick(a.rounds, 5, 2) } else { 3 })
            .max(1),
        xapian_max_markdown_bytes: a
            .xapian_max_mb
            .unwrap_or(if quick { u64::MAX / 1_000_000 } else { 100 })
            .saturating_mul(1_000_000),
        queries_large: a
            .queries_large
            .unwrap_or(if quick {
                pick(a.queries, 1000, 100)
            } else {
                300
            })
            .max(1),
        queries: pick(a.queries, 1000, 100).max(1),
        build_repeats: pick(a.build_repeats, 1, 1).max(1),
        bookmark_iterations: pick(a.bookmarks, 300, 20).max(1),
        work,
    };

    let results = run::run(
        config,
        a.cdylib.as_deref(),
        a.kotlin.as_deref(),
        a.judged.as_deref(),
    )?;

    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let json = out.join("benchmark.json");
    let svg = out.join("latency.svg");
    write(
        &json,
        &(serde_json::to_string_pretty(&results).map_err(|e| e.to_string())? + "\n"),
    )?;
    write(&svg, &report::svg(&results))?;
    let chart = relative(doc.parent().unwrap_or(Path::new(".")), &svg);
    let old = std::fs::read_to_string(&doc).ok();
    write(
        &doc,
        &report::splice(old.as_deref(), &report::markdown(&results, &chart)),
    )?;
    println!("{}", report::terminal(&results));
    println!(
        "wrote {}, {} and {}",
        json.display(),
        svg.display(),
        doc.display()
    );
    Ok(())
}

fn run_packs(
    articles: usize,
    queries: usize,
    seed: u64,
    work: &Path,
    out: &Path,
    doc: &Path,
) -> Result<(), String> {
    let start = std::time::Instant::now();
    let mix = queries::mix(seed);
    let scaling = packs::measure(work, articles, seed, &mix, queries, start)?;
    std::fs::create_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
    let machine = machine::Machine::describe(work);
    let command = std::env::var("QUIRE_BENCH_COMMAND").unwrap_or_else(|_| {
        let args: Vec<String> = std::env::args().skip(1).collect();
        format!("quire-bench {}", args.join(" "))
    });
    let json = out.join("packs.json");
    write(
        &json,
        &(serde_json::to_string_pretty(&serde_json::json!({
            "command": command.trim(),
            "machine": machine,
            "packs": scaling,
        }))
        .map_err(|e| e.to_string())?
            + "\n"),
    )?;
    let text = format!(
        "## Searching several packs as one\n\n`{}`: {} build, {}, {} cores, load {} at the start.\n\n{}",
        command.trim(),
        machine.build,
        machine.cpu,
        machine.cores,
        machine.load_at_start,
        scaling.markdown()
    );
    let old = std::fs::read_to_string(doc).ok();
    write(doc, &report::splice_named(old.as_deref(), "packs", &text))?;
    print!("{}", scaling.markdown());
    println!("wrote {} and {}", json.display(), doc.display());
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// `to` relative to the directory `from` (both made absolute), with `/` separators.
fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
    };
    let (from, to) = (abs(from), abs(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(to[common..].iter().cloned());
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/a/docs"), Path::new("/a/bench/results/x.svg")),
            "../bench/results/x.svg"
        );
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/b/x.svg")),
            "x.svg"
        );
    }
}
