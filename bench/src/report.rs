//! The results as a terminal table, Markdown for `docs/benchmarks.md`, and an SVG chart.

use std::fmt::Write as _;

use crate::child::Engine;
use crate::queries::Kind;
use crate::run::{CorpusResult, Results, Spread};

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
        assert_eq!(cells.len(), self.header.len(), "a row of the wrong width");
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

fn label(c: &CorpusResult) -> String {
    format!("{} {}", c.source, thousands(c.articles))
}

/// The row label of a corpus's first row, blank on the others.
fn group(first: bool, c: &CorpusResult) -> String {
    if first { label(c) } else { String::new() }
}

fn spread(s: &Spread) -> String {
    if s.rounds.len() > 1 {
        format!(
            "{} ({}–{})",
            ratio(s.median),
            ratio_bare(s.min),
            ratio_bare(s.max)
        )
    } else {
        ratio(s.median)
    }
}

fn ratio_bare(x: f64) -> String {
    ratio(x).trim_end_matches('×').to_string()
}

/// The headline: every other engine's latency ÷ Quire's, per kind of query.
pub fn ratio_table(r: &Results) -> Table {
    let mut header = vec!["corpus", "engine ÷ Quire", "all queries", "all but typos"];
    let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.to_string()).collect();
    header.extend(kinds.iter().map(String::as_str));
    let mut t = Table::new(&header);
    for c in &r.corpora {
        for (i, x) in c.ratios.iter().enumerate() {
            let mut row = vec![
                group(i == 0, c),
                x.engine.name().to_string(),
                spread(&x.all),
                spread(&x.all_but_typo),
            ];
            let run = c.run(x.engine);
            for (k, s) in &x.by_kind {
                let answered = run
                    .and_then(|e| e.by_kind.iter().find(|f| f.kind == *k))
                    .map_or(1.0, |f| f.answered);
                let mut cell = spread(s);
                if answered < 0.5 {
                    let _ = write!(cell, " ‡{:.0}%", answered * 100.0);
                }
                row.push(cell);
            }
            t.row(row);
        }
    }
    t
}

/// Per corpus and engine: build, size, open, latency.
pub fn main_table(r: &Results) -> Table {
    let mut t = Table::new(&[
        "corpus",
        "engine",
        "build s",
        "size MB",
        "vs Markdown",
        "open + 1st query ms",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
    ]);
    for c in &r.corpora {
        for (i, e) in c.runs.iter().enumerate() {
            let build = match e.engine {
                Engine::Tantivy => None,
                other => c.build(other.name()),
            };
            let (secs, size, vs) = match (e.engine, build) {
                (Engine::Tantivy, _) => (
                    "(Quire's)".to_string(),
                    "(Quire's)".to_string(),
                    String::new(),
                ),
                (_, Some(b)) => (
                    format!("{:.2}", b.median_seconds),
                    mb(b.bytes),
                    format!("{:.2}×", b.vs_markdown),
                ),
                _ => Default::default(),
            };
            let l = &e.latency;
            t.row(vec![
                group(i == 0, c),
                e.engine.name().into(),
                secs,
                size,
                vs,
                ms(e.open_and_first_us),
                ms(l.p50),
                ms(l.p95),
                ms(l.p99),
                ms(l.max),
            ]);
        }
        if let Some(b) = c.build("FTS5 small") {
            t.row(vec![
                String::new(),
                "FTS5 size variant †".into(),
                format!("{:.2}", b.median_seconds),
                mb(b.bytes),
                format!("{:.2}×", b.vs_markdown),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    t
}

/// Memory after all queries, side by side.
pub fn memory_table(r: &Results) -> Table {
    let mut t = Table::new(&[
        "corpus",
        "engine",
        "anonymous RSS MB",
        "file-backed RSS MB",
        "PSS MB",
        "peak RSS (VmHWM) MB",
        "anonymous at open MB",
    ]);
    for c in &r.corpora {
        for (i, e) in c.runs.iter().enumerate() {
            let m = &e.memory_end;
            t.row(vec![
                group(i == 0, c),
                e.engine.name().into(),
                mb(m.anon),
                mb(m.file),
                mb(m.pss),
                mb(m.hwm),
                mb(e.rss_open),
            ]);
        }
    }
    t
}

/// Open in detail.
pub fn open_table(r: &Results) -> Table {
    let mut t = Table::new(&[
        "corpus",
        "engine",
        "cold open ms",
        "cold 1st query ms",
        "open + 1st ms",
        "warm open ms",
        "read by open MB",
        "read by 1st query MB",
        "cached before open",
    ]);
    for c in &r.corpora {
        for (i, e) in c.runs.iter().enumerate() {
            let med = |f: fn(&crate::run::Round) -> u64| {
                crate::stats::median(&e.rounds.iter().map(|r| f(r) as f64).collect::<Vec<_>>())
                    as u64
            };
            t.row(vec![
                group(i == 0, c),
                e.engine.name().into(),
                ms(e.open_us),
                ms(e.first_query_us),
                ms(e.open_and_first_us),
                ms(e.warm_open_us),
                format!("{:.2}", med(|r| r.open_read_bytes) as f64 / 1e6),
                format!("{:.2}", med(|r| r.first_query_read_bytes) as f64 / 1e6),
                format!("{:.0}%", e.max_resident_before_open * 100.0),
            ]);
        }
    }
    t
}

/// p50, p99 and answers by kind of query, every engine.
pub fn kind_table(r: &Results) -> Table {
    let engines = &r.engines;
    let mut header: Vec<String> = vec!["corpus".into(), "query kind".into(), "queries".into()];
    for e in engines {
        header.push(format!("{} p50 ms", e.name()));
    }
    for e in engines {
        header.push(format!("{} p99 ms", e.name()));
    }
    for e in engines {
        header.push(format!("{} answers", e.name()));
    }
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(&h);
    for c in &r.corpora {
        for (i, &kind) in Kind::ALL.iter().enumerate() {
            let fig = |e: Engine| {
                c.run(e)
                    .and_then(|run| run.by_kind.iter().find(|f| f.kind == kind))
                    .cloned()
            };
            let n = fig(Engine::Quire).map_or(0, |f| f.queries);
            let mut row = vec![group(i == 0, c), kind.to_string(), n.to_string()];
            for &e in engines {
                row.push(fig(e).map_or("-".into(), |f| ms(f.latency.p50)));
            }
            for &e in engines {
                row.push(fig(e).map_or("-".into(), |f| ms(f.latency.p99)));
            }
            for &e in engines {
                row.push(fig(e).map_or("-".into(), |f| format!("{:.0}%", f.answered * 100.0)));
            }
            t.row(row);
        }
    }
    t
}

/// FTS5's prefix queries two ways: the capped expansion measured above against `"wor"*`.
pub fn star_table(r: &Results) -> Table {
    let mut t = Table::new(&[
        "corpus",
        "prefix queries",
        "FTS5 capped expansion p50 ms (median over queries)",
        "FTS5 \"wor\"* p50 ms (median over queries)",
        "Quire p50 ms (median over queries)",
    ]);
    for c in &r.corpora {
        let (Some(f), Some(q)) = (c.run(Engine::Fts5), c.run(Engine::Quire)) else {
            continue;
        };
        let idx: Vec<usize> = (0..c.mix.len())
            .filter(|&i| c.mix[i].prefix && f.star_us.get(i).is_some_and(|&v| v > 0.0))
            .collect();
        let pick = |v: &[f64]| crate::stats::median(&idx.iter().map(|&i| v[i]).collect::<Vec<_>>());
        t.row(vec![
            label(c),
            idx.len().to_string(),
            ms(pick(&f.per_query_p50_us)),
            ms(pick(&f.star_us)),
            ms(pick(&q.per_query_p50_us)),
        ]);
    }
    t
}

/// The floor: raw tantivy's top 10 without snippets against Quire, per kind (geometric
/// mean over the kind's queries of the per-query medians, all rounds).
pub fn floor_table(r: &Results) -> Table {
    let mut header = vec!["corpus", "what"];
    let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.to_string()).collect();
    header.extend(kinds.iter().map(String::as_str));
    let mut t = Table::new(&header);
    for c in &r.corpora {
        let (Some(q), Some(x)) = (c.run(Engine::Quire), c.run(Engine::Tantivy)) else {
            continue;
        };
        let geo = |v: &[f64], k: Kind| {
            let logs: Vec<f64> = (0..c.mix.len())
                .filter(|&i| c.mix[i].kind == k && v[i] > 0.0)
                .map(|i| v[i].ln())
                .collect();
            if logs.is_empty() {
                0.0
            } else {
                (logs.iter().sum::<f64>() / logs.len() as f64).exp()
            }
        };
        let rows: [(&str, &dyn Fn(Kind) -> String); 4] = [
            ("Quire ms", &|k| ms(geo(&q.per_query_p50_us, k))),
            ("raw tantivy with snippets ms", &|k| {
                ms(geo(&x.per_query_p50_us, k))
            }),
            ("raw tantivy without snippets ms", &|k| {
                ms(geo(&x.star_us, k))
            }),
            ("Quire ÷ tantivy without snippets", &|k| {
                let floor = geo(&x.star_us, k);
                if floor > 0.0 {
                    ratio(geo(&q.per_query_p50_us, k) / floor)
                } else {
                    "-".into()
                }
            }),
        ];
        for (i, (what, f)) in rows.iter().enumerate() {
            let mut row = vec![group(i == 0, c), what.to_string()];
            row.extend(Kind::ALL.iter().map(|&k| f(k)));
            t.row(row);
        }
    }
    t
}

/// The slowest queries for Quire on corpus `c`, with every engine's time.
pub fn slowest_table(r: &Results, c: &CorpusResult, n: usize) -> Table {
    let mut header: Vec<String> = vec!["query".into(), "kind".into()];
    for e in &r.engines {
        header.push(format!("{} p50 ms", e.name()));
    }
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(&h);
    let Some(q) = c.run(Engine::Quire) else {
        return t;
    };
    let mut order: Vec<usize> = (0..c.mix.len()).collect();
    order.sort_by(|&a, &b| q.per_query_p50_us[b].total_cmp(&q.per_query_p50_us[a]));
    for &i in order.iter().take(n) {
        let mut row = vec![format!("`{}`", c.mix[i].text), c.mix[i].kind.to_string()];
        for &e in &r.engines {
            row.push(c.run(e).map_or("-".into(), |x| ms(x.per_query_p50_us[i])));
        }
        t.row(row);
    }
    t
}

/// Relevance on the judged queries.
pub fn relevance_table(r: &Results) -> Option<Table> {
    let rel = r.relevance.as_ref()?;
    let mut t = Table::new(&[
        "engine",
        "judged queries",
        "hits@1",
        "MRR (top 10)",
        "found in top 10",
    ]);
    for e in &rel.engines {
        t.row(vec![
            e.engine.name().into(),
            e.ranks.len().to_string(),
            format!("{:.0}%", e.hits_at_1 * 100.0),
            format!("{:.3}", e.mrr),
            format!(
                "{:.0}%",
                e.ranks.iter().filter(|r| r.is_some()).count() as f64 * 100.0
                    / e.ranks.len().max(1) as f64
            ),
        ]);
    }
    Some(t)
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

/// The targets of DESIGN.md and issue 18 against this run.
pub fn targets(r: &Results) -> Vec<(String, String, String, Status)> {
    let mut out = Vec::new();
    let per_size = |f: &dyn Fn(&CorpusResult) -> String| {
        r.corpora
            .iter()
            .map(|c| format!("{}: {}", label(c), f(c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let at = |n: usize| {
        r.corpora
            .iter()
            .find(|c| c.articles == n && c.source == "generated")
    };
    let all = |f: &dyn Fn(&CorpusResult) -> bool| {
        if r.corpora.is_empty() {
            Status::NotMeasured
        } else {
            Status::of(r.corpora.iter().all(f))
        }
    };
    let fts = |c: &CorpusResult| c.ratio(Engine::Fts5).cloned();
    out.push((
        "top-10 with snippets vs FTS5 at its best, per-query geometric mean, every kind but typo"
            .into(),
        "at least 3× faster on every kind".into(),
        per_size(&|c| {
            fts(c).map_or("-".into(), |x| {
                let worst = x
                    .by_kind
                    .iter()
                    .filter(|(k, _)| *k != Kind::Typo)
                    .min_by(|a, b| a.1.median.total_cmp(&b.1.median));
                match worst {
                    Some((k, s)) => format!(
                        "all {}, worst {} {}",
                        ratio(x.all.median),
                        k,
                        ratio(s.median)
                    ),
                    None => "-".into(),
                }
            })
        }),
        all(&|c| {
            fts(c).is_some_and(|x| {
                x.by_kind
                    .iter()
                    .filter(|(k, _)| *k != Kind::Typo)
                    .all(|(_, s)| s.median >= 3.0)
            })
        }),
    ));
    out.push((
        "Quire's layer over raw tantivy (tantivy ÷ Quire, per-query geometric mean)".into(),
        "to publish and keep small".into(),
        per_size(&|c| {
            c.ratio(Engine::Tantivy)
                .map_or("-".into(), |x| ratio(x.all.median))
        }),
        Status::NotMeasured,
    ));
    out.push((
        "p99 at 10k generated articles".into(),
        "≤ 1 ms".into(),
        at(10_000)
            .and_then(|c| c.run(Engine::Quire))
            .map_or("-".into(), |e| format!("{} ms", ms(e.latency.p99))),
        at(10_000)
            .and_then(|c| c.run(Engine::Quire))
            .map_or(Status::NotMeasured, |e| Status::of(e.latency.p99 <= 1000.0)),
    ));
    let rare = |c: &CorpusResult| -> Option<(String, f64)> {
        let q = c.run(Engine::Quire)?;
        let i = rarest_single(c)?;
        Some((c.mix[i].text.clone(), q.per_query_p50_us[i]))
    };
    out.push((
        "rarest single word of the mix at 10k generated articles, p50".into(),
        "≤ 0.15 ms".into(),
        at(10_000)
            .and_then(rare)
            .map_or("-".into(), |(w, us)| format!("`{w}` {} ms", ms(us))),
        at(10_000)
            .and_then(rare)
            .map_or(Status::NotMeasured, |(_, us)| Status::of(us <= 150.0)),
    ));
    out.push((
        "cold open of a 100k-article bundle".into(),
        "≤ 10 ms".into(),
        at(100_000)
            .and_then(|c| c.run(Engine::Quire))
            .map_or("-".into(), |e| {
                format!(
                    "{} ms (open + first query {} ms)",
                    ms(e.open_us),
                    ms(e.open_and_first_us)
                )
            }),
        at(100_000)
            .and_then(|c| c.run(Engine::Quire))
            .map_or(Status::NotMeasured, |e| Status::of(e.open_us <= 10_000.0)),
    ));
    out.push((
        "bundle size vs raw Markdown".into(),
        "≤ 0.9×".into(),
        per_size(&|c| {
            c.build("Quire")
                .map_or("-".into(), |b| format!("{:.2}×", b.vs_markdown))
        }),
        all(&|c| c.build("Quire").is_some_and(|b| b.vs_markdown <= 0.9)),
    ));
    out.push((
        "memory after open + 1,000 queries (anonymous RSS)".into(),
        "≤ 20 MB".into(),
        per_size(&|c| {
            c.run(Engine::Quire)
                .map_or("-".into(), |e| format!("{} MB", mb(e.rss_end)))
        }),
        if r.config.queries < 1000 {
            Status::NotMeasured
        } else {
            all(&|c| {
                c.run(Engine::Quire)
                    .is_some_and(|e| e.rss_end <= 20_000_000)
            })
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
        "one search from Kotlin (the app's path) vs the same timed inside the library".into(),
        "≤ 25 µs extra".into(),
        match &r.kotlin {
            Some(k) => k.summary(),
            None => "-".into(),
        },
        match &r.kotlin {
            Some(k) => Status::of(k.extra_us() <= 25.0),
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

/// The single-word query of `c`'s mix that FTS5 (or else Quire) finds fewest hits for:
/// the rarest word, by the smallest latency of FTS5 among single words with hits.
fn rarest_single(c: &CorpusResult) -> Option<usize> {
    // The mix lists single words from the most used to the rarest; the rarest is the
    // last single word drawn from the vocabulary (before the design's examples).
    let singles: Vec<usize> = (0..c.mix.len())
        .filter(|&i| c.mix[i].kind == Kind::Single)
        .filter(|&i| !matches!(c.mix[i].text.as_str(), "consent" | "withdrawing"))
        .collect();
    singles.last().copied()
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
        "\nQuire vs {} ({} mode, {} build, {:.0} s): medians over {} rounds of {} queries",
        r.engines[1..]
            .iter()
            .map(|e| e.name())
            .collect::<Vec<_>>()
            .join(", "),
        r.config.mode,
        r.machine.build,
        r.seconds,
        r.config.rounds,
        r.config.queries
    );
    for n in r
        .notes
        .iter()
        .chain(r.corpora.iter().flat_map(|c| &c.left_out))
    {
        let _ = writeln!(out, "note: {n}");
    }
    out.push_str("\nlatency ÷ Quire's, per-query geometric mean (spread over rounds)\n");
    out.push_str(&ratio_table(r).text());
    out.push('\n');
    out.push_str(&main_table(r).text());
    out.push('\n');
    out.push_str(&memory_table(r).text());
    out.push('\n');
    out.push_str(&kind_table(r).text());
    out.push('\n');
    out.push_str(&star_table(r).text());
    out.push('\n');
    out.push_str(&floor_table(r).text());
    if let Some(t) = relevance_table(r) {
        out.push('\n');
        out.push_str(&t.text());
    }
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
        "**Engines:** {}. **Corpora:** {}. Per corpus, {} build(s) of each engine up to \
         10k articles (one above), rotating which goes first; then {} rounds, each engine in \
         a fresh process per round, rotating which goes first. Cold open: {}. Each process \
         opens, runs a first query, one untimed pass over the mix, then {} timed queries \
         cycling through it; above 10k articles, {} rounds of {} timed queries.\n",
        r.engines
            .iter()
            .map(|e| e.name())
            .collect::<Vec<_>>()
            .join(", "),
        r.corpora.iter().map(label).collect::<Vec<_>>().join(", "),
        r.config.build_repeats,
        r.config.rounds,
        r.cold_method,
        r.config.queries,
        r.config.rounds_large,
        r.config.queries_large
    );
    for n in r
        .notes
        .iter()
        .chain(r.corpora.iter().flat_map(|c| &c.left_out))
    {
        let _ = writeln!(out, "**Not measured:** {n}.\n");
    }
    out.push_str("### Targets\n\n");
    out.push_str(&target_table(r).markdown());
    out.push_str(
        "\n### Speed: each engine's latency ÷ Quire's, by kind of query\n\n\
         Per round, the geometric mean over the kind's queries of (engine's median ÷ \
         Quire's median) for that query, rounds paired in order; the cell is the median \
         over rounds, with the smallest and largest round in brackets. Above 1×: Quire is \
         faster; below 1×: Quire is slower. ‡: the engine answers (finds at least one hit \
         for) only that share of the kind's queries, so its figure is the speed of \
         answering nothing.\n\n",
    );
    out.push_str(&ratio_table(r).markdown());
    out.push_str("\n### Build, size, open + first query, latency (top 10 with snippets)\n\n");
    out.push_str(&main_table(r).markdown());
    out.push_str(
        "\nSizes in MB (10^6 bytes); \"vs Markdown\" is the file against the articles' \
         Markdown files, front matter included. Raw tantivy searches the index inside \
         Quire's bundle, so it has no build or size of its own. \"Open + 1st query\" is \
         the engine's open call and its first query, on a file with no page cached. \
         †: FTS5 without the prefix index, with `detail=column` and `columnsize=0`: the \
         smallest FTS5 that still ranks and makes snippets, but answers no phrase query; \
         built for its size only.\n",
    );
    let _ = writeln!(out, "\n![latency against corpus size]({chart})\n");
    out.push_str(
        "### Memory after open, the first query, the warm-up pass and the timed queries\n\n",
    );
    out.push_str(&memory_table(r).markdown());
    out.push_str(
        "\nMedians over rounds, each engine in a process of its own. Anonymous RSS is heap \
         and caches (SQLite's page cache); file-backed RSS is mapped files (the binary, \
         the bundle or the mapped database pages); PSS divides shared pages among the \
         processes using them; the peak (VmHWM) is the largest RSS the process reached, \
         the benchmark binary's own pages included.\n",
    );
    out.push_str("\n### Open in detail\n\n");
    out.push_str(&open_table(r).markdown());
    out.push_str(
        "\nMedians over rounds; bytes read from the disk by the process, read-ahead \
         included, from `/proc/self/io`. FTS5's open reads nothing (SQLite reads the file \
         at the first query), so compare open + first query.\n",
    );
    out.push_str("\n### By kind of query\n\n");
    out.push_str(&kind_table(r).markdown());
    out.push_str(
        "\nLatencies pooled over rounds. \"Answers\" is the share of the kind's queries \
         with at least one hit. FTS5 and Xapian have no typo tolerance here (Xapian's \
         spelling correction needs a spelling table, not built); raw tantivy gets its \
         `FuzzyTermQuery` for a word the vocabulary does not know.\n",
    );
    out.push_str("\n### The floor: raw tantivy without snippets\n\n");
    out.push_str(&floor_table(r).markdown());
    out.push_str(
        "\nGeometric means over the kind's queries of each query's median (all rounds \
         pooled for Quire and tantivy with snippets; tantivy without snippets: the same \
         query, top 10 with ids and titles only, timed five times per process after the \
         timed pass). tantivy's `SnippetGenerator` analyses (and stems) every word of the \
         article's text, which Quire's snippets do not, so \"with snippets\" is no floor.\n",
    );
    out.push_str("\n### FTS5 prefix queries: capped expansion against `\"wor\"*`\n\n");
    out.push_str(&star_table(r).markdown());
    out.push_str(
        "\nThe figures above give FTS5 the last word and the same capped completions \
         Quire takes (Quire's vocabulary's most used words starting with it, 4 for one or \
         two letters, 12 otherwise), as whole words through FTS5's porter stemmer; the \
         completions are computed before the query and not timed. `\"wor\"*` is FTS5's \
         own prefix query through its prefix index: every completion, and on porter \
         stems (`happy`* misses `happiness`, stemmed `happi`), so it answers a different \
         question; timed five times per query after the timed pass, for comparison only.\n",
    );
    for c in &r.corpora {
        if c.articles
            == r.corpora
                .iter()
                .filter(|x| x.source == c.source)
                .map(|x| x.articles)
                .max()
                .unwrap_or(0)
        {
            let _ = writeln!(
                out,
                "\nThe slowest queries for Quire on {} (median of each query over all rounds):\n",
                label(c)
            );
            out.push_str(&slowest_table(r, c, 8).markdown());
        }
    }
    out.push_str("\n### Relevance on the judged queries\n\n");
    match (&r.relevance, relevance_table(r)) {
        (Some(rel), Some(t)) => {
            let _ = writeln!(
                out,
                "{} judged queries from `{}`, on the built-in articles mixed with {} generated \
                 ones ({} articles); each engine as in the speed runs, top 10.\n",
                rel.queries.len(),
                rel.file,
                thousands(rel.generated),
                thousands(rel.articles)
            );
            out.push_str(&t.markdown());
        }
        _ => out.push_str("Not measured in this run (see above).\n"),
    }
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
        let _ = writeln!(
            out,
            "\n### Kotlin/JNA against the same search inside the library\n\n{}",
            k.summary()
        );
    }
    out
}

/// Puts `generated` between the markers named `name` in `doc` (at its end when they are
/// not there yet): a section that another command than the main run rewrites.
pub fn splice_named(doc: Option<&str>, name: &str, generated: &str) -> String {
    let begin = format!("<!-- BEGIN GENERATED {name} by quire-bench: do not edit down to END -->");
    let end = format!("<!-- END GENERATED {name} -->");
    let block = format!("{begin}\n{generated}\n{end}");
    doc.and_then(|d| replace_between(d, &begin, &end, &block))
        .unwrap_or_else(|| format!("{}\n\n{block}\n", doc.unwrap_or("# Benchmarks").trim_end()))
}

/// Puts `generated` between the markers of the document `doc` (or a new document).
pub fn splice(doc: Option<&str>, generated: &str) -> String {
    const BEGIN: &str = "<!-- BEGIN GENERATED by quire-bench: do not edit down to END -->";
    const END: &str = "<!-- END GENERATED -->";
    let block = format!("{BEGIN}\n{generated}\n{END}");
    doc.and_then(|d| replace_between(d, BEGIN, END, &block))
        .unwrap_or_else(|| format!("# Benchmarks\n\n{block}\n"))
}

/// `doc` with `block` in place of everything from `begin` to `end` (both included), or
/// nothing when the two are not there in that order.
fn replace_between(doc: &str, begin: &str, end: &str, block: &str) -> Option<String> {
    let b = doc.find(begin)?;
    let e = doc.find(end)?;
    (b < e).then(|| format!("{}{block}{}", &doc[..b], &doc[e + end.len()..]))
}

/// The chart: latency (log) against corpus size (log), p50 and p99 of both engines.
pub fn svg(r: &Results) -> String {
    let (w, h) = (740.0, 420.0);
    let (left, right, top, bottom) = (70.0, 170.0, 40.0, 50.0);
    let generated: Vec<&CorpusResult> = r
        .corpora
        .iter()
        .filter(|c| c.source == "generated")
        .collect();
    let sizes: Vec<f64> = generated.iter().map(|c| c.articles as f64).collect();
    let mut values: Vec<f64> = Vec::new();
    for c in &generated {
        for e in &c.runs {
            values.extend([e.latency.p50 / 1e3, e.latency.p99 / 1e3]);
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
         snippets: latency against generated corpus size ({} mode)</text>\n",
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
    let colors = [
        (Engine::Quire, "#1f6fb4"),
        (Engine::Fts5, "#e07b00"),
        (Engine::Tantivy, "#2a9d3a"),
        (Engine::Xapian, "#8e44ad"),
    ];
    let mut series = Vec::new();
    for (engine, color) in colors {
        if r.engines.contains(&engine) {
            series.push((engine, true, color, "", format!("{} p50", engine.name())));
            series.push((
                engine,
                false,
                color,
                "6 4",
                format!("{} p99", engine.name()),
            ));
        }
    }
    let n_series = series.len();
    for (i, (engine, p50, color, dash, name)) in series.iter().enumerate() {
        let points: Vec<(f64, f64)> = generated
            .iter()
            .filter_map(|c| {
                let l = c.run(*engine)?.latency;
                Some((
                    px(c.articles as f64),
                    py(if *p50 { l.p50 } else { l.p99 } / 1e3),
                ))
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
    let ly = top + 20.0 + n_series as f64 * 22.0;
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
    fn a_named_section_is_added_once_then_replaced_and_leaves_the_rest() {
        let doc = splice(None, "main");
        let with = splice_named(Some(&doc), "packs", "first");
        assert!(with.starts_with(&doc.trim_end().to_string()) && with.contains("\nfirst\n"));
        let again = splice_named(Some(&with), "packs", "second");
        assert!(again.contains("\nsecond\n") && !again.contains("\nfirst\n"));
        assert_eq!(again.matches("BEGIN GENERATED packs").count(), 1);
        // The main run's block is untouched, and rewriting it keeps the named one.
        assert!(again.contains("\nmain\n"));
        let main_again = splice(Some(&again), "main 2");
        assert!(main_again.contains("\nmain 2\n") && main_again.contains("\nsecond\n"));
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
