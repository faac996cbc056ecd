//! What searching several packs at once costs: the same articles installed as 1, 5 or 20
//! packs beside the built-in ones, searched through one `Library` (one merged, ranked
//! top 10 with snippets, scores on the statistics of all packs together).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use quire_core::bundle::format::PackInfo;
use quire_core::bundle::{self, BuildOptions, Bundle};
use quire_core::corpus::{self, Article};
use quire_core::pack::{Library, PACKS_DIR};
use quire_core::search::SearchOptions;
use serde::Serialize;

use crate::config::progress;
use crate::queries::Query;
use crate::stats::Summary;

/// Pack counts measured.
pub const PACK_COUNTS: [usize; 3] = [1, 5, 20];

/// One way of splitting the articles.
#[derive(Debug, Clone, Serialize)]
pub struct PackRow {
    /// Installed packs (the built-in articles come on top).
    pub packs: usize,
    /// Articles in each.
    pub per_pack: usize,
    /// Opening the library (every pack file), ms.
    pub open_ms: f64,
    /// Searches, µs.
    pub search: Summary,
}

/// Search cost against the number of packs.
#[derive(Debug, Clone, Serialize)]
pub struct PackScaling {
    /// Articles over all packs.
    pub articles: usize,
    /// Timed searches per row (the mix repeated; after one warm-up pass over it).
    pub queries: usize,
    /// One row per pack count.
    pub rows: Vec<PackRow>,
}

impl PackScaling {
    /// The report's table.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "{} generated articles installed as 1, 5 or 20 packs beside the 2 built-in ones, \
             searched as one library (merged top 10 with snippets); {} searches (the query \
             mix, repeated) after a warm-up pass over it, in one process.\n\n\
             | packs | articles each | open | p50 | p95 | p99 | p50 ÷ one pack |\n\
             |---:|---:|---:|---:|---:|---:|---:|\n",
            self.articles, self.queries
        );
        let base = self.rows.first().map_or(1.0, |r| r.search.p50.max(1e-9));
        for r in &self.rows {
            out.push_str(&format!(
                "| {} | {} | {:.1} ms | {:.0} µs | {:.0} µs | {:.0} µs | {:.2}× |\n",
                r.packs,
                r.per_pack,
                r.open_ms,
                r.search.p50,
                r.search.p95,
                r.search.p99,
                r.search.p50 / base
            ));
        }
        out
    }
}

/// Builds `articles` generated articles as 1, 5 and 20 packs under `work` and times
/// `queries` searches of `mix` (repeated as needed) through a library of each.
pub fn measure(
    work: &Path,
    articles: usize,
    seed: u64,
    mix: &[Query],
    queries: usize,
    start: Instant,
) -> Result<PackScaling, String> {
    let all: Vec<Article> = quire_gen::generate(&quire_gen::GenOptions {
        count: articles,
        seed,
    })
    .map(|g| corpus::parse_article(Path::new(&g.file_name), &g.markdown))
    .collect::<Result<_, _>>()
    .map_err(|e| e.to_string())?;
    let builtin = Arc::new(
        Bundle::from_bytes(
            bundle::build_bytes(
                corpus::load_dir(Path::new("corpus")).map_err(|e| e.to_string())?,
                &BuildOptions {
                    corpus_id: "quire-builtin".into(),
                    ..BuildOptions::default()
                },
            )
            .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?,
    );
    // The mix, repeated until `queries` searches are timed.
    let mix: Vec<&Query> = mix.iter().cycle().take(queries.max(1)).collect();
    let mut rows = Vec::new();
    for packs in PACK_COUNTS {
        progress(
            start,
            &format!("packs: {articles} articles as {packs} pack(s)"),
        );
        let data = work.join(format!("packs-{packs}"));
        let dir = data.join(PACKS_DIR);
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        for p in 0..packs {
            let id = format!("org.bench.p{p:02}");
            let part: Vec<Article> = all.iter().skip(p).step_by(packs).cloned().collect();
            let options = BuildOptions {
                corpus_id: id.clone(),
                pack: Some(PackInfo {
                    id: id.clone(),
                    name: format!("Bench pack {p}"),
                    version: 1,
                    publisher_key: None,
                }),
                ..BuildOptions::default()
            };
            bundle::build_file(part, &options, &dir.join(format!("{id}.quire")), |_, _| {})
                .map_err(|e| e.to_string())?;
        }
        let t0 = Instant::now();
        let library = Library::open(builtin.clone(), &data).map_err(|e| e.to_string())?;
        let open_ms = t0.elapsed().as_secs_f64() * 1e3;
        if library.packs().len() != packs + 1 {
            return Err(format!(
                "{packs} packs built, {} opened",
                library.packs().len() - 1
            ));
        }
        let options = SearchOptions::default();
        for q in &mix {
            library
                .search(&q.text, &options, &[])
                .map_err(|e| e.to_string())?;
        }
        let mut samples = Vec::with_capacity(mix.len());
        for q in &mix {
            let t = Instant::now();
            let r = library
                .search(&q.text, &options, &[])
                .map_err(|e| e.to_string())?;
            samples.push(t.elapsed().as_secs_f64() * 1e6);
            std::hint::black_box(r);
        }
        rows.push(PackRow {
            packs,
            per_pack: articles / packs,
            open_ms,
            search: Summary::of(&samples),
        });
        let _ = std::fs::remove_dir_all(&data);
    }
    Ok(PackScaling {
        articles,
        queries: mix.len(),
        rows,
    })
}
