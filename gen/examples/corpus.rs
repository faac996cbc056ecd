//! Writes a generated corpus, or prints one article, and reports timing.
//!
//! ```text
//! cargo run --release -p quire-gen --example corpus -- write <dir> [count] [seed]
//! cargo run --release -p quire-gen --example corpus -- time [count] [seed]
//! cargo run --release -p quire-gen --example corpus -- show <n> [seed]
//! ```

use std::time::Instant;

use quire_gen::{GenOptions, generate, generate_one, write_corpus};

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> T {
    args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("write") if args.len() >= 2 => {
            let opts = GenOptions {
                count: arg(&args, 2, 1000),
                seed: arg(&args, 3, 42),
            };
            let start = Instant::now();
            let stats = write_corpus(std::path::Path::new(&args[1]), &opts)?;
            let secs = start.elapsed().as_secs_f64();
            println!(
                "wrote {} articles, {} bytes ({:.0} bytes/article) in {secs:.2} s",
                stats.articles,
                stats.bytes,
                stats.bytes as f64 / stats.articles.max(1) as f64
            );
        }
        Some("time") => {
            let opts = GenOptions {
                count: arg(&args, 1, 100_000),
                seed: arg(&args, 2, 42),
            };
            let start = Instant::now();
            let (mut bytes, mut words) = (0usize, 0usize);
            for a in generate(&opts) {
                bytes += a.markdown.len();
                words += a.markdown.split_ascii_whitespace().count();
            }
            let secs = start.elapsed().as_secs_f64();
            println!(
                "generated {} articles, {bytes} bytes ({:.0} bytes and {:.0} words per article) in {secs:.2} s",
                opts.count,
                bytes as f64 / opts.count.max(1) as f64,
                words as f64 / opts.count.max(1) as f64
            );
        }
        Some("show") => print!(
            "{}",
            generate_one(arg(&args, 2, 42), arg(&args, 1, 1)).markdown
        ),
        _ => eprintln!(
            "usage: corpus write <dir> [count] [seed] | time [count] [seed] | show <n> [seed]"
        ),
    }
    Ok(())
}
