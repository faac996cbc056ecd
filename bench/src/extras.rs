//! Figures measured outside the engines: the shipped library's size, and the cost of
//! crossing from Kotlin into Rust.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::child::{self, Engine, MixFile};
use crate::config::{Config, progress};
use crate::queries::Query;
use crate::stats::{Summary, median, percentile};

/// The release cdylib the apps ship.
#[derive(Debug, Clone, Serialize)]
pub struct Cdylib {
    /// The file measured.
    pub path: String,
    /// Its size as built.
    pub built_bytes: u64,
    /// Its size after `strip --strip-all` of a copy.
    pub stripped_bytes: u64,
}

impl Cdylib {
    /// Measures the library at `path`, stripping a copy in `work`.
    pub fn measure(path: &Path, work: &Path) -> Result<Cdylib, String> {
        let built_bytes = std::fs::metadata(path)
            .map_err(|e| {
                format!(
                    "{}: {e} (build it with `cargo build --release -p quire-ffi`)",
                    path.display()
                )
            })?
            .len();
        let copy = work.join("cdylib-stripped.so");
        std::fs::copy(path, &copy).map_err(|e| format!("copying {}: {e}", path.display()))?;
        let status = Command::new("strip")
            .arg("--strip-all")
            .arg(&copy)
            .status()
            .map_err(|e| format!("running strip: {e}"))?;
        if !status.success() {
            return Err(format!("strip failed: {status}"));
        }
        let stripped_bytes = std::fs::metadata(&copy).map_err(|e| e.to_string())?.len();
        let _ = std::fs::remove_file(&copy);
        Ok(Cdylib {
            path: path.display().to_string(),
            built_bytes,
            stripped_bytes,
        })
    }
}

/// One search through Kotlin/JNA against the same search in Rust.
///
/// The Kotlin side (`bench/kotlin/run.sh run`) opens the bundle through the generated
/// bindings over the release cdylib, warms the JIT up, then times each search of the
/// query mix; the Rust side is a `quire-bench child` process timing `Searcher::search` on
/// the same bundle with the same sequence of queries. Rounds alternate which goes first.
/// The extra cost of one search is the median over the mix's queries of (Kotlin median −
/// Rust median) for that query, so the queries' own costs cancel out.
#[derive(Debug, Clone, Serialize)]
pub struct Kotlin {
    /// Articles in the bundle searched.
    pub articles: usize,
    /// Rounds (one Kotlin and one Rust process each).
    pub rounds: usize,
    /// Warm-up calls before timing, in Kotlin.
    pub warmup: usize,
    /// Timed searches per process.
    pub searches: usize,
    /// All Kotlin searches, µs.
    pub kotlin_search: Summary,
    /// All Rust searches, µs.
    pub rust_search: Summary,
    /// Median over queries of (Kotlin − Rust) per-query medians, µs.
    pub extra_per_search_us: f64,
    /// The spread of the per-query differences over the queries: their p10, µs.
    pub extra_p10_us: f64,
    /// Their p90, µs.
    pub extra_p90_us: f64,
    /// A bare call across JNA (`articleCount()`), µs.
    pub bare_call: Summary,
    /// Decoding one page of hits in the JVM alone (the generated lifting code, no JNA
    /// call), µs.
    pub decode_page: Summary,
    /// Hits in that page.
    pub decode_hits: usize,
}

/// What `bench/kotlin/run.sh run` prints.
#[derive(Deserialize)]
struct KotlinOutput {
    search_us: Vec<f64>,
    bare_us: Vec<f64>,
    decode_us: Vec<f64>,
    decode_hits: usize,
}

impl Kotlin {
    /// One line for the report.
    pub fn summary(&self) -> String {
        format!(
            "{:+.1} µs per search (median over queries; p10 {:+.1}, p90 {:+.1}); \
             search p50 {:.0} µs in Kotlin vs {:.0} µs in Rust; bare JNA call p50 {:.1} µs; \
             decoding a page of {} hits in the JVM p50 {:.1} µs",
            self.extra_per_search_us,
            self.extra_p10_us,
            self.extra_p90_us,
            self.kotlin_search.p50,
            self.rust_search.p50,
            self.bare_call.p50,
            self.decode_hits,
            self.decode_page.p50
        )
    }

    /// Extra microseconds of one search through Kotlin over the same in Rust.
    pub fn extra_us(&self) -> f64 {
        self.extra_per_search_us
    }

    /// Runs `config.rounds` rounds of `cmd run` against a Rust child on the bundle at
    /// `bundle` (of `articles` articles). `cmd prepare` must have run (bench/run.sh
    /// does it before the benchmark, so that no build runs during it).
    pub fn measure(
        cmd: &str,
        config: &Config,
        mix: &[Query],
        mix_file: &MixFile,
        bundle: &Path,
        articles: usize,
        start: Instant,
    ) -> Result<Kotlin, String> {
        let lines = config.work.join("queries.txt");
        let text: String = mix.iter().map(|q| format!("{}\n", q.text)).collect();
        std::fs::write(&lines, text).map_err(|e| e.to_string())?;
        let warmup = 2000.min(config.queries * 2);
        let (mut kotlin, mut rust, mut bare) = (Vec::new(), Vec::new(), Vec::new());
        let (mut decode, mut decode_hits) = (Vec::new(), 0);
        for round in 0..config.rounds {
            for kotlin_first in [round % 2 == 0, round % 2 != 0] {
                if kotlin_first {
                    progress(
                        start,
                        &format!("Kotlin round {}/{}", round + 1, config.rounds),
                    );
                    let out = Command::new(cmd)
                        .arg("run")
                        .arg(bundle)
                        .arg(&lines)
                        .arg(warmup.to_string())
                        .arg(config.queries.to_string())
                        .output()
                        .map_err(|e| format!("running {cmd}: {e}"))?;
                    if !out.status.success() {
                        return Err(format!(
                            "{cmd} run failed: {}",
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                    let o: KotlinOutput = serde_json::from_slice(&out.stdout)
                        .map_err(|e| format!("reading the Kotlin output: {e}"))?;
                    kotlin.push(o.search_us);
                    bare.extend(o.bare_us);
                    decode.extend(o.decode_us);
                    decode_hits = o.decode_hits;
                } else {
                    progress(
                        start,
                        &format!("Rust round {}/{}", round + 1, config.rounds),
                    );
                    let first = 0;
                    let r = child::spawn(
                        Engine::Quire,
                        bundle,
                        mix_file,
                        first,
                        config.queries,
                        false,
                    )?;
                    rust.push(r.latencies_us);
                }
            }
        }
        let per_query = |runs: &[Vec<f64>], q: usize| {
            let samples: Vec<f64> = runs
                .iter()
                .flat_map(|r| r.iter().skip(q).step_by(mix.len()).copied())
                .collect();
            median(&samples)
        };
        let diffs: Vec<f64> = (0..mix.len().min(config.queries))
            .map(|q| per_query(&kotlin, q) - per_query(&rust, q))
            .collect();
        let mut sorted = diffs.clone();
        sorted.sort_by(f64::total_cmp);
        Ok(Kotlin {
            articles,
            rounds: config.rounds,
            warmup,
            searches: config.queries,
            kotlin_search: Summary::of(&kotlin.concat()),
            rust_search: Summary::of(&rust.concat()),
            extra_per_search_us: median(&diffs),
            extra_p10_us: percentile(&sorted, 10.0),
            extra_p90_us: percentile(&sorted, 90.0),
            bare_call: Summary::of(&bare),
            decode_page: Summary::of(&decode),
            decode_hits,
        })
    }
}
