//! The results as a terminal table, Markdown for `docs/benchmarks.md`, and an SVG chart.

use std::fmt::Write as _;

use crate::child::Engine;
use crate::run::{CorpusResult, Results};

/// A table: a header and rows of cells.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Aligned plain text, numbers right-aligned.
    pub fn text(&self) -> String {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([self.header[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = widths[i] - c.chars().count();
                if i > 0 {
                    s.push_str("  ");
                }
                if i < 2 {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(&self.header);
        out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }

    /// A Markdown table.
    pub fn markdown(&self) -> String {
        let mut out = format!("| {} |\n", self.header.join(" | "));
        out.push('|');
        for i in 0..self.header.len() {
            out.push_str(if i < 2 { "---|" } else { "---:|" });
        }
        out.push('\n');
        for r in &self.rows {
            let _ = writeln!(out, "| {} |", r.join(" | "));
        }
        out
    }
}

/// Milliseconds with three significant-ish decimals, from microseconds.
fn ms(us: f64) -> String {
    if us >= 100_000.0 {
        format!("{:.0}", us / 1e3)
    } else if us >= 10_000.0 {
        format!("{:.1}", us / 1e3)
    } else {
        format!("{:.3}", us / 1e3)
    }
}

/// Megabytes (10^6 bytes).
fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

fn ratio(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}×")
    } else {
        format!("{x:.2}×")
    }
}

/// The corpus size on the first row of a corpus's group of rows, blank on the others.
fn group_label(first: bool, articles: usize) -> String {
    if first {
        thousands(articles)
    } else {
        String::new()
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The main table: per corpus, one row per engine and one of ratios.
pub fn main_table(r: &Results) -> Table {
    let mut t = Table::new(&[
        "articles",
        "engine",
        "build s",
        "size MB",
        "B/article",
        "vs Markdown",
        "cold open ms",
        "1st query ms",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "RSS open MB",
        "RSS end MB",
    ]);
    for c in &r.corpora {
        for engine in Engine::BOTH {
            let b = c.build.get(engine);
            let run = c.run.get(engine);
            t.row(vec![
                group_label(engine == Engine::Quire, c.articles),
                engine.name().into(),
                format!("{:.2}", b.median_seconds),
                mb(b.bytes),
                format!("{:.0}", b.bytes_per_article),
                format!("{:.2}×", b.vs_markdown),
                ms(run.open_us),
                ms(run.first_query_us),
                ms(run.latency.p50),
                ms(run.latency.p95),
                ms(run.latency.p99),
                ms(run.latency.max),
                mb(run.rss_open),
                mb(run.rss_end),
            ]);
        }
        let (q, f) = (&c.run.quire, &c.run.fts5);
        t.row(vec![
            String::new(),
            "FTS5 ÷ Quire".into(),
            ratio(c.build.fts5.median_seconds / c.build.quire.median_seconds),
            ratio(c.build.fts5.bytes as f64 / c.build.quire.bytes as f64),
            String::new(),
            String::new(),
            ratio(f.open_us / q.open_us),
            ratio(f.first_query_us / q.first_query_us),
            ratio(c.p50_speedup),
            ratio(f.latency.p95 / q.latency.p95),
            ratio(c.p99_speedup),
            ratio(f.latency.max / q.latency.max),
            String::new(),
            String::new(),
        ]);
    }
    t
}

/// Latency and answered share by kind of query.
pub fn kind_table(r: &Results) -> Table {
    let mut t = Table::new(&[
        "articles",
        "query kind",
        "queries",
        "Quire p50 ms",
        "FTS5 p50 ms",
        "FTS5 ÷ Quire",
        "Quire p99 ms",
        "FTS5 p99 ms",
        "Quire answers",
        "FTS5 answers",
    ]);
    for c in &r.corpora {
        for (i, (q, f)) in c
            .run
            .quire
            .by_kind
            .iter()
            .zip(&c.run.fts5.by_kind)
            .enumerate()
        {
            t.row(vec![
                group_label(i == 0, c.articles),
                q.kind.to_string(),
                q.queries.to_string(),
                ms(q.latency.p50),
                ms(f.latency.p50),
                ratio(f.latency.p50 / q.latency.p50),
                ms(q.latency.p99),
                ms(f.latency.p99),
                format!("{:.0}%", q.answered * 100.0),
                format!("{:.0}%", f.answered * 100.0),
            ]);
        }
    }
    t
}

/// Open in detail: cold and warm, and what the cold open read from the disk.
pub fn open_table(r: &Results) -> Table {
    let mut t = Table::new(&[
        "articles",
        "engine",
        "cold open ms",
        "cold 1st query ms",
        "warm open ms",
        "read by open MB",
        "read by 1st query MB",
        "cached before open",
    ]);
    for c in &r.corpora {
        for engine in Engine::BOTH {
            let run = c.run.get(engine);
            let med = |f: fn(&crate::run::Round) -> u64| {
                crate::stats::median(&run.rounds.iter().map(|x| f(x) as f64).collect::<Vec<_>>())
            };
            t.row(vec![
                group_label(engine == Engine::Quire, c.articles),
                engine.name().into(),
                ms(run.open_us),
                ms(run.first_query_us),
                ms(run.warm_open_us),
                format!("{:.2}", med(|x| x.open_read_bytes) / 1e6),
                format!("{:.2}", med(|x| x.first_query_read_bytes) / 1e6),
                format!("{:.0}%", run.max_resident_before_open * 100.0),
            ]);
        }
    }
    t
}

/// The slowest queries of the mix for Quire on the largest corpus, with FTS5 beside.
pub fn slowest_table(r: &Results, n: usize) -> Table {
    let mut t = Table::new(&["query", "kind", "Quire p50 ms", "FTS5 p50 ms"]);
    if let Some(c) = r.corpora.last() {
        let q = &c.run.quire.per_query_p50_us;
        let mut order: Vec<usize> = (0..q.len()).collect();
        order.sort_by(|&a, &b| q[b].total_cmp(&q[a]));
        for i in order.into_iter().take(n) {
            t.row(vec![
                format!("`{}`", r.queries[i].text),
                r.queries[i].kind.to_string(),
                ms(q[i]),
                ms(c.run.fts5.per_query_p50_us[i]),
            ]);
        }
    }
    t
}

/// Whether a target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Met.
    Met,
    /// Missed.
    Missed,
    /// Not measured in this run.
    NotMeasured,
}

impl Status {
    fn of(met: bool) -> Status {
        if met { Status::Met } else { Status::Missed }
    }

    fn label(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "**missed**",
            Status::NotMeasured => "not measured",
        }
    }
}

/// The targets of DESIGN.md against this run.
pub fn targets(r: &Results) -> Vec<(String, String, String, Status)> {
    let mut out = Vec::new();
    let per_size = |f: &dyn Fn(&CorpusResult) -> String| {
        r.corpora
            .iter()
            .map(|c| format!("{}: {}", thousands(c.articles), f(c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let at = |n: usize| r.corpora.iter().find(|c| c.articles == n);
    let all = |f: &dyn Fn(&CorpusResult) -> bool| {
        if r.corpora.is_empty() {
            Status::NotMeasured
        } else {
            Status::of(r.corpora.iter().all(f))
        }
    };

    out.push((
        "ranked top-10 query with snippets, p50, vs FTS5".into(),
        "at least 3× faster".into(),
        per_size(&|c| ratio(c.p50_speedup)),
        all(&|c| c.p50_speedup >= 3.0),
    ));
    out.push((
        "same, p99 at 10k articles".into(),
        "≤ 1 ms".into(),
        at(10_000).map_or("-".into(), |c| {
            format!("{} ms", ms(c.run.quire.latency.p99))
        }),
        at(10_000).map_or(Status::NotMeasured, |c| {
            Status::of(c.run.quire.latency.p99 <= 1000.0)
        }),
    ));
    out.push((
        "cold open of a 100k-article bundle".into(),
        "≤ 10 ms".into(),
        at(100_000).map_or("-".into(), |c| {
            format!(
                "{} ms (open + first query {} ms)",
                ms(c.run.quire.open_us),
                ms(c.run.quire.open_and_first_us)
            )
        }),
        at(100_000).map_or(Status::NotMeasured, |c| {
            Status::of(c.run.quire.open_us <= 10_000.0)
        }),
    ));
    out.push((
        "bundle size vs raw Markdown".into(),
        "≤ 0.9×".into(),
        per_size(&|c| format!("{:.2}×", c.build.quire.vs_markdown)),
        all(&|c| c.build.quire.vs_markdown <= 0.9),
    ));
    out.push((
        "memory after open + 1,000 queries (anonymous RSS)".into(),
        "≤ 20 MB".into(),
        per_size(&|c| format!("{} MB", mb(c.run.quire.rss_end))),
        if r.config.queries < 1000 {
            Status::NotMeasured
        } else {
            all(&|c| c.run.quire.rss_end <= 20_000_000)
        },
    ));
    let d = &r.durability;
    out.push((
        "bookmark add, acknowledged durable, p50".into(),
        "within 0.2 ms of one bare fsync".into(),
        format!(
            "{} ms vs fsync {} ms: +{} ms",
            ms(d.bookmark_add.p50),
            ms(d.fsync.p50),
            ms(d.p50_extra_us)
        ),
        Status::of(d.p50_extra_us <= 200.0),
    ));
    out.push((
        "one search through Kotlin/JNA vs the same in Rust".into(),
        "≤ 50 µs extra".into(),
        match &r.kotlin {
            Some(k) => k.summary(),
            None => "-".into(),
        },
        match &r.kotlin {
            Some(k) => Status::of(k.extra_us() <= 50.0),
            None => Status::NotMeasured,
        },
    ));
    out.push((
        "stripped release cdylib".into(),
        "≤ 5 MB".into(),
        match &r.cdylib {
            Some(c) => format!(
                "{} MB ({:.2} MiB)",
                mb(c.stripped_bytes),
                c.stripped_bytes as f64 / (1 << 20) as f64
            ),
            None => "-".into(),
        },
        match &r.cdylib {
            Some(c) => Status::of(c.stripped_bytes <= 5_000_000),
            None => Status::NotMeasured,
        },
    ));
    out
}

/// The targets as a table.
pub fn target_table(r: &Results) -> Table {
    let mut t = Table::new(&["what", "target", "measured", "status"]);
    for (what, target, measured, status) in targets(r) {
        t.row(vec![what, target, measured, status.label().into()]);
    }
    t
}

/// Everything for the terminal.
pub fn terminal(r: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nQuire vs SQLite FTS5 ({} mode, {} build, {:.0} s): medians over {} rounds of {} queries",
        r.config.mode, r.machine.build, r.seconds, r.config.rounds, r.config.queries
    );
    out.push_str(&main_table(r).text());
    out.push('\n');
    out.push_str(&open_table(r).text());
    out.push('\n');
    out.push_str(&kind_table(r).text());
    out.push('\n');
    out.push_str(&slowest_table(r, 8).text());
    out.push('\n');
    out.push_str(&durability_text(r));
    out.push('\n');
    out.push_str(&target_table(r).text().replace("**", ""));
    out
}

fn durability_text(r: &Results) -> String {
    let d = &r.durability;
    format!(
        "bookmark add p50 {} ms (p99 {}), bare fsync p50 {} ms (p99 {}), fdatasync p50 {} ms; \
         extra p50 {} ms, median paired extra {} ms ({} iterations)\n",
        ms(d.bookmark_add.p50),
        ms(d.bookmark_add.p99),
        ms(d.fsync.p50),
        ms(d.fsync.p99),
        ms(d.fdatasync.p50),
        ms(d.p50_extra_us),
        ms(d.median_paired_extra_us),
        d.iterations
    )
}

/// The generated part of `docs/benchmarks.md`; `chart` is the SVG's path relative to
/// the document.
pub fn markdown(r: &Results, chart: &str) -> String {
    let m = &r.machine;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run of {} ({} mode, {} build), {:.1} minutes, with:\n\n```\n{}\n```\n",
        r.started_at,
        r.config.mode,
        m.build,
        r.seconds / 60.0,
        r.config.command
    );
    let _ = writeln!(
        out,
        "**Machine:** {} ({} cores), {:.1} GiB RAM, disk {}, Linux {}; SQLite {}. \
         Load average at start {}, at end {} (the machine is shared with other builds).\n",
        m.cpu,
        m.cores,
        m.memory_bytes as f64 / (1u64 << 30) as f64,
        m.disk,
        m.kernel,
        m.sqlite,
        m.load_at_start,
        r.load_at_end
    );
    let _ = writeln!(
        out,
        "**Method:** corpora of {} generated articles (seed {}); per corpus, {} build(s) of \
         each engine (one at 100k), alternating which goes first; then {} rounds, each \
         engine in a fresh process per round, alternating which goes first. Cold open: {}. \
         Each process opens, runs the first query (`{}`), one untimed pass over the {} \
         queries of the mix, then {} timed queries cycling through the mix. Latencies are \
         the median over rounds of each round's percentile; ratios are the median over \
         rounds of the per-round ratio. Memory is `RssAnon` of that process.\n",
        r.corpora
            .iter()
            .map(|c| thousands(c.articles))
            .collect::<Vec<_>>()
            .join(", "),
        r.config.seed,
        r.config.build_repeats,
        r.config.rounds,
        r.cold_method,
        r.queries[r.first_query].text,
        r.queries.len(),
        r.config.queries
    );
    out.push_str("### Targets\n\n");
    out.push_str(&target_table(r).markdown());
    out.push_str("\n### Build, size, open, latency (top 10 with snippets), memory\n\n");
    out.push_str(&main_table(r).markdown());
    out.push_str(
        "\nSizes in MB (10^6 bytes); \"vs Markdown\" is the file against the generated \
         Markdown files, front matter included. Cold open is the engine's open call alone \
         (for FTS5, `sqlite3_open_v2`, which reads nothing yet), \"1st query\" the first \
         query after it, both on a file with no page cached. RSS end is after the first \
         query, the warm-up pass and the timed queries.\n",
    );
    out.push_str(
        "\nOpen in detail (medians over rounds; bytes read from the disk by the process, \
                  read-ahead included, from `/proc/self/io`):\n\n",
    );
    out.push_str(&open_table(r).markdown());
    let _ = writeln!(out, "\n![latency against corpus size]({chart})\n");
    out.push_str("### By kind of query\n\n");
    out.push_str(&kind_table(r).markdown());
    out.push_str(
        "\n\"Answers\" is the share of the kind's queries with at least one hit. FTS5 has no \
         typo tolerance: a misspelt word matches nothing, so its typo queries return \
         nothing (quickly), where Quire searches the closest known words.\n",
    );
    let _ = writeln!(
        out,
        "\nThe slowest queries for Quire at {} articles (median of each query over all \
         rounds):\n",
        r.corpora
            .last()
            .map_or(String::new(), |c| thousands(c.articles))
    );
    out.push_str(&slowest_table(r, 8).markdown());
    out.push_str("\n### Bookmark add against a bare fsync\n\n");
    out.push_str(&durability_text(r));
    if let Some(c) = &r.cdylib {
        let _ = writeln!(
            out,
            "\n### Library size\n\n`{}`: {} bytes as built, {} bytes after `strip --strip-all`.",
            c.path, c.built_bytes, c.stripped_bytes
        );
    }
    if let Some(k) = &r.kotlin {
        let _ = writeln!(out, "\n### Kotlin/JNA against Rust\n\n{}", k.summary());
    }
    out
}

/// Puts `generated` between the markers of the document `doc` (or a new document).
pub fn splice(doc: Option<&str>, generated: &str) -> String {
    const BEGIN: &str = "<!-- BEGIN GENERATED by quire-bench: do not edit down to END -->";
    const END: &str = "<!-- END GENERATED -->";
    let block = format!("{BEGIN}\n{generated}\n{END}");
    match doc.and_then(|d| Some((d, d.find(BEGIN)?, d.find(END)?))) {
        Some((d, b, e)) if b < e => format!("{}{block}{}", &d[..b], &d[e + END.len()..]),
        _ => format!("# Benchmarks\n\n{block}\n"),
    }
}

/// The chart: latency (log) against corpus size (log), p50 and p99 of both engines.
pub fn svg(r: &Results) -> String {
    let (w, h) = (740.0, 420.0);
    let (left, right, top, bottom) = (70.0, 170.0, 40.0, 50.0);
    let sizes: Vec<f64> = r.corpora.iter().map(|c| c.articles as f64).collect();
    let mut values: Vec<f64> = Vec::new();
    for c in &r.corpora {
        for e in Engine::BOTH {
            let l = c.run.get(e).latency;
            values.extend([l.p50 / 1e3, l.p99 / 1e3]);
        }
    }
    values.push(1.0);
    let pos = |v: &f64| v.is_finite() && *v > 0.0;
    let lo = values.iter().copied().filter(pos).fold(f64::MAX, f64::min);
    let hi = values.iter().copied().filter(pos).fold(0.0, f64::max);
    let (y0, y1) = (
        lo.log10().floor(),
        hi.log10().ceil().max(lo.log10().floor() + 1.0),
    );
    let (x0, x1) = match (sizes.first(), sizes.last()) {
        (Some(a), Some(b)) if b > a => (a.log10(), b.log10()),
        (Some(a), _) => (a.log10() - 0.5, a.log10() + 0.5),
        _ => (0.0, 1.0),
    };
    let px = |n: f64| left + (n.log10() - x0) / (x1 - x0) * (w - left - right);
    let py = |ms: f64| top + (y1 - ms.max(1e-9).log10()) / (y1 - y0) * (h - top - bottom);

    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">Top-10 query with \
         snippets: latency against corpus size ({} mode)</text>\n",
        (left + w - right) / 2.0,
        r.config.mode
    );
    // Horizontal grid: every decade, with 2 and 5 in between.
    let mut d = y0;
    while d <= y1 {
        for m in [1.0, 2.0, 5.0] {
            let v = 10f64.powf(d) * m;
            if v.log10() > y1 + 1e-9 {
                continue;
            }
            let y = py(v);
            let (stroke, label) = if m == 1.0 {
                ("#bbb", true)
            } else {
                ("#eee", false)
            };
            let _ = writeln!(
                s,
                "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{stroke}\"/>",
                w - right
            );
            if label || y1 - y0 <= 2.0 {
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                    left - 6.0,
                    y + 4.0,
                    trim_number(v)
                );
            }
        }
        d += 1.0;
    }
    for &n in &sizes {
        let x = px(n);
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{}\" stroke=\"#ddd\"/>\n\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            h - bottom,
            h - bottom + 18.0,
            thousands(n as usize)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">articles (log scale)</text>\n\
         <text x=\"16\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {})\">\
         milliseconds (log scale)</text>",
        (left + w - right) / 2.0,
        h - 10.0,
        (top + h - bottom) / 2.0,
        (top + h - bottom) / 2.0
    );
    // The 1 ms target of p99 at 10k.
    let y = py(1.0);
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#c00\" \
         stroke-dasharray=\"2 3\"/>",
        w - right
    );
    let series = [
        (Engine::Quire, true, "#1f6fb4", "", "Quire p50"),
        (Engine::Quire, false, "#1f6fb4", "6 4", "Quire p99"),
        (Engine::Fts5, true, "#e07b00", "", "FTS5 p50"),
        (Engine::Fts5, false, "#e07b00", "6 4", "FTS5 p99"),
    ];
    for (i, (engine, p50, color, dash, name)) in series.iter().enumerate() {
        let points: Vec<(f64, f64)> = r
            .corpora
            .iter()
            .map(|c| {
                let l = c.run.get(*engine).latency;
                (
                    px(c.articles as f64),
                    py(if *p50 { l.p50 } else { l.p99 } / 1e3),
                )
            })
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" \
             stroke-dasharray=\"{dash}\"/>",
            path.join(" ")
        );
        for (x, y) in &points {
            let _ = writeln!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{color}\"/>"
            );
        }
        let ly = top + 20.0 + i as f64 * 22.0;
        let lx = w - right + 20.0;
        let _ = writeln!(
            s,
            "<line x1=\"{lx}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" \
             stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>\n\
             <text x=\"{}\" y=\"{}\">{name}</text>",
            lx + 30.0,
            lx + 36.0,
            ly + 4.0
        );
    }
    let ly = top + 20.0 + 4.0 * 22.0;
    let lx = w - right + 20.0;
    let _ = writeln!(
        s,
        "<line x1=\"{lx}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"#c00\" \
         stroke-dasharray=\"2 3\"/>\n<text x=\"{}\" y=\"{}\">1 ms (p99 target)</text>\n</svg>",
        lx + 30.0,
        lx + 36.0,
        ly + 4.0
    );
    s
}

fn trim_number(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_between_markers() {
        let first = splice(None, "one");
        assert!(first.starts_with("# Benchmarks\n"));
        let doc = format!("intro\n{first}outro\n");
        let again = splice(Some(&doc), "two");
        assert!(again.contains("intro\n") && again.contains("outro\n"));
        assert!(again.contains("\ntwo\n") && !again.contains("\none\n"));
    }

    #[test]
    fn formats() {
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(ms(1234.0), "1.234");
        assert_eq!(ms(123_456.0), "123");
        assert_eq!(trim_number(0.5), "0.5");
        assert_eq!(trim_number(20.0), "20");
    }
}
