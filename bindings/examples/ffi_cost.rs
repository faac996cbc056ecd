//! What the Rust side of the bindings adds to a search: `ArticleBundle::search` (the
//! core's search plus the conversion to the exported records) and the serialization of
//! its result into the buffer handed to Kotlin or Swift, against the core's
//! `Searcher::search` alone, on the same bundle and queries, alternating.
//!
//! ```sh
//! cargo run --release -p quire-ffi --example ffi_cost -- BUNDLE [QUERY...]
//! ```
//!
//! Prints, for each query, the median of each path over 2,000 calls and the difference.
//! A probe for docs/benchmarks.md (the Kotlin/JNA finding), not a test.

use std::time::Instant;

use quire_core::bundle::Bundle;
use quire_core::search::{SearchOptions as CoreOptions, Searcher};
use quire_ffi::{ArticleBundle, SearchOptions, SearchResults, UniFfiTag};

const CALLS: usize = 2000;

fn median_us(mut ns: Vec<u128>) -> f64 {
    ns.sort_unstable();
    ns[ns.len() / 2] as f64 / 1000.0
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: ffi_cost BUNDLE [QUERY...]")?;
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = [
            "consent",
            "expereence",
            "withdrawing consent",
            "partner needed",
            "painful s",
        ]
        .map(String::from)
        .to_vec();
    }
    let ffi = ArticleBundle::open(path.clone()).map_err(|e| e.to_string())?;
    let core = Bundle::open(std::path::Path::new(&path)).map_err(|e| e.to_string())?;
    let core_options = CoreOptions {
        limit: 10,
        ..Default::default()
    };
    for q in &queries {
        let (mut direct, mut wrapped) = (Vec::with_capacity(CALLS), Vec::with_capacity(CALLS));
        for _ in 0..CALLS {
            let t = Instant::now();
            let r = Searcher::new(&core)
                .search(q, &core_options)
                .map_err(|e| e.to_string())?;
            std::hint::black_box(r);
            direct.push(t.elapsed().as_nanos());

            let t = Instant::now();
            let options = SearchOptions {
                limit: 10,
                offset: 0,
                tags: Vec::new(),
            };
            let r = ffi.search(q.clone(), options).map_err(|e| e.to_string())?;
            let buffer = <SearchResults as uniffi::Lower<UniFfiTag>>::lower(r);
            std::hint::black_box(buffer.destroy_into_vec());
            wrapped.push(t.elapsed().as_nanos());
        }
        let (d, w) = (median_us(direct), median_us(wrapped));
        println!(
            "{q:>24}: core {d:8.1} µs, bindings + serialization {w:8.1} µs, extra {:+6.1} µs",
            w - d
        );
    }
    Ok(())
}
