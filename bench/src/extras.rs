//! Figures measured outside the engines: the shipped library's size, and the cost of
//! crossing from Kotlin into Rust.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};

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

/// One search from Kotlin against the same search timed inside the library.
///
/// The Kotlin side (`bench/kotlin/run.sh run`) opens a `Reader` on the bundle over the
/// release cdylib, warms the JIT up, then times each search of the query mix as the
/// Android shell makes it (`Reader.searchDirect`: one direct JNA call), and beside it
/// (just before or just after, in turn) the same search as the library itself times it
/// (`timedSearchForTests`, feature `bench-timing`): both in one process at one moment,
/// so that nothing but the crossing differs; then, in a loop of its own (its JNA
/// structures leave garbage the app's path does not), the same through the generated
/// bindings (`Reader.search`). The extra cost of one search is the median over the mix's
/// queries of (Kotlin median − inside median) for that query, so the queries' own costs
/// cancel out.
#[derive(Debug, Clone, Serialize)]
pub struct Kotlin {
    /// Articles in the bundle searched.
    pub articles: usize,
    /// Rounds (one Kotlin process each).
    pub rounds: usize,
    /// Warm-up calls before timing.
    pub warmup: usize,
    /// Timed searches per process.
    pub searches: usize,
    /// All searches through `Reader.searchDirect`, µs.
    pub direct_search: Summary,
    /// All searches through the generated bindings (`Reader.search`), µs.
    pub generated_search: Summary,
    /// The same searches timed inside the library, µs.
    pub inside_search: Summary,
    /// Median over queries of (searchDirect − inside) per-query medians, µs.
    pub extra_per_search_us: f64,
    /// The spread of the per-query differences over the queries: their p10, µs.
    pub extra_p10_us: f64,
    /// Their p90, µs.
    pub extra_p90_us: f64,
    /// The same median for the generated bindings (generated − inside), µs.
    pub generated_extra_us: f64,
    /// A bare call across JNA (`articleCount()`: the handle's clone and the call, two
    /// JNA calls), µs.
    pub bare_call: Summary,
    /// A call with one string argument (`contains(id)`: a third JNA call allocates the
    /// string's buffer), µs.
    pub string_call: Summary,
    /// A JNA call alone: the contract-version call (no argument, no call status), µs.
    pub raw_jna_call: Summary,
    /// Allocating the call status every generated call passes (`UniffiRustCallStatus`,
    /// a JNA `Structure` holding another), µs.
    pub call_status: Summary,
    /// Decoding one page of hits in the JVM alone (the generated lifting code, no JNA
    /// call), µs.
    pub decode_page: Summary,
    /// Hits in that page.
    pub decode_hits: usize,
}

/// What `bench/kotlin/run.sh run` prints.
#[derive(Deserialize)]
struct KotlinOutput {
    direct_us: Vec<f64>,
    generated_us: Vec<f64>,
    inside_us: Vec<f64>,
    inside_generated_us: Vec<f64>,
    bare_us: Vec<f64>,
    string_call_us: Vec<f64>,
    raw_call_us: Vec<f64>,
    status_us: Vec<f64>,
    decode_us: Vec<f64>,
    decode_hits: usize,
}

impl Kotlin {
    /// One line for the report.
    pub fn summary(&self) -> String {
        format!(
            "{:+.1} µs per search as the app makes it (`searchDirect`, one JNA call; \
             median over queries; p10 {:+.1}, p90 {:+.1}): p50 {:.0} µs vs {:.0} µs timed \
             inside the library, same process; through the generated bindings \
             (`Reader.search`, four JNA calls) {:+.1} µs, p50 {:.0} µs; \
             bare call (2 JNA calls) p50 {:.1} µs, with a string argument \
             (3) {:.1} µs; a JNA call alone {:.2} µs, allocating one call status {:.1} µs; \
             decoding a page of {} hits in the \
             JVM p50 {:.1} µs",
            self.extra_per_search_us,
            self.extra_p10_us,
            self.extra_p90_us,
            self.direct_search.p50,
            self.inside_search.p50,
            self.generated_extra_us,
            self.generated_search.p50,
            self.bare_call.p50,
            self.string_call.p50,
            self.raw_jna_call.p50,
            self.call_status.p50,
            self.decode_hits,
            self.decode_page.p50
        )
    }

    /// Extra microseconds of one search through Kotlin over the same inside the library.
    pub fn extra_us(&self) -> f64 {
        self.extra_per_search_us
    }

    /// Runs `config.rounds` Kotlin processes (`cmd run`) on the bundle at `bundle` (of
    /// `articles` articles). `cmd prepare` must have run (bench/run.sh does it before
    /// the benchmark, so that no build runs during it).
    pub fn measure(
        cmd: &str,
        config: &Config,
        mix: &[Query],
        bundle: &Path,
        articles: usize,
        start: Instant,
    ) -> Result<Kotlin, String> {
        let lines = config.work.join("queries.txt");
        let text: String = mix.iter().map(|q| format!("{}\n", q.text)).collect();
        std::fs::write(&lines, text).map_err(|e| e.to_string())?;
        let warmup = 2000.min(config.queries * 2);
        let (mut direct, mut inside) = (Vec::new(), Vec::new());
        let (mut generated, mut inside_generated) = (Vec::new(), Vec::new());
        let (mut bare, mut string_call) = (Vec::new(), Vec::new());
        let (mut raw_jna_call, mut call_status) = (Vec::new(), Vec::new());
        let (mut decode, mut decode_hits) = (Vec::new(), 0);
        for round in 0..config.rounds {
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
            direct.push(o.direct_us);
            generated.push(o.generated_us);
            inside.push(o.inside_us);
            inside_generated.push(o.inside_generated_us);
            bare.extend(o.bare_us);
            string_call.extend(o.string_call_us);
            raw_jna_call.extend(o.raw_call_us);
            call_status.extend(o.status_us);
            decode.extend(o.decode_us);
            decode_hits = o.decode_hits;
        }
        let per_query = |runs: &[Vec<f64>], q: usize| {
            let samples: Vec<f64> = runs
                .iter()
                .flat_map(|r| r.iter().skip(q).step_by(mix.len()).copied())
                .collect();
            median(&samples)
        };
        let extra = |runs: &[Vec<f64>], inside: &[Vec<f64>]| -> Vec<f64> {
            (0..mix.len().min(config.queries))
                .map(|q| per_query(runs, q) - per_query(inside, q))
                .collect()
        };
        let diffs = extra(&direct, &inside);
        let mut sorted = diffs.clone();
        sorted.sort_by(f64::total_cmp);
        Ok(Kotlin {
            articles,
            rounds: config.rounds,
            warmup,
            searches: config.queries,
            direct_search: Summary::of(&direct.concat()),
            generated_search: Summary::of(&generated.concat()),
            inside_search: Summary::of(&inside.concat()),
            extra_per_search_us: median(&diffs),
            extra_p10_us: percentile(&sorted, 10.0),
            extra_p90_us: percentile(&sorted, 90.0),
            generated_extra_us: median(&extra(&generated, &inside_generated)),
            bare_call: Summary::of(&bare),
            string_call: Summary::of(&string_call),
            raw_jna_call: Summary::of(&raw_jna_call),
            call_status: Summary::of(&call_status),
            decode_page: Summary::of(&decode),
            decode_hits,
        })
    }
}
