//! A time-bounded mutation fuzzer on stable Rust, over the five places where outside
//! bytes enter the core: the query parser and search, the Markdown/front-matter loader,
//! the bundle reader, the JSON import of user data, and installing a content pack.
//!
//! Each target starts from real inputs (the relevance queries and the known tantivy
//! parser crashers `- *` and `a:(^`; the corpus articles; the built-in bundle; a real
//! export; a signed pack) and mutates them: bit flips, random bytes, insertions of syntax tokens,
//! deletions, duplications, splices and truncations. Every input must give a result or
//! a typed error: no panic escapes, and no input takes more than 100 ms of CPU time.
//!
//! The test command runs it for `QUIRE_FUZZ_SECONDS` (default 24) seconds in all, split
//! between the targets. A longer run is one command:
//!
//! ```sh
//! QUIRE_FUZZ_SECONDS=1800 cargo test --release -p quire-core --test fuzz -- --nocapture
//! ```
//!
//! `QUIRE_FUZZ_SEED` picks the random seed (printed by every run).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;
use std::time::{Duration, Instant};

mod common;

use common::{Rng, built_in_bundle, corpus_dir, figures, reseal};
use quire_core::Error;
use quire_core::bundle::Bundle;
use quire_core::corpus::{self, markdown};
use quire_core::search::{SearchOptions, Searcher};
use quire_core::store::Store;

/// Fuzz targets sharing the time budget.
const TARGETS: f64 = 5.0;

/// No input may take longer than this.
const MAX_INPUT_TIME: Duration = Duration::from_millis(100);

thread_local! {
    /// Panics seen on this thread since the last reset, caught or not.
    static PANICS: Cell<usize> = const { Cell::new(0) };
    /// Where and why the last one happened.
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Counts panics instead of printing them: tantivy's panics on inconsistent index data
/// are caught inside the core (and become `Error::Internal`); the fuzzer reports how
/// many there were, and fails only on panics that escape.
fn install_counting_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.set(p.get() + 1));
            LAST_PANIC.with(|l| *l.borrow_mut() = info.to_string());
            if std::env::var_os("QUIRE_FUZZ_VERBOSE").is_some() {
                default(info);
            }
        }));
    });
}

/// Tokens that mean something to one of the parsers.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"-",
    b"- *",
    b"a:(^",
    b"*",
    b":",
    b"(",
    b")",
    b"^",
    b"'",
    b"\xe2\x80\x99",
    b"\xe2\x80\x9c",
    b"\n",
    b"\r\n",
    b"---\n",
    b"---",
    b"\n---\n",
    b"id: ",
    b"title: ",
    b"tags: [",
    b"]",
    b",",
    b"  - ",
    b"published: 2025-13-45",
    b"# ",
    b"## ",
    b"**",
    b"_",
    b"[x](",
    b"![",
    b"`",
    b"```\n",
    b"<div>",
    b"> ",
    b"\\",
    b"\\\"",
    b"\0",
    b"\xf0\x9f\x99\x82",
    b"\xff",
    b"\xc3",
    b"{",
    b"}",
    b"null",
    b"1e309",
    b"-1",
    b"18446744073709551616",
    b"\"format_version\": 99",
    b"\"bookmarks\": [",
    b"\"article_id\": \"",
    b"0.5",
    b"NaN",
    b"true",
    b"\t",
    b" ",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        match rng.below(8) {
            0 if len > 0 => {
                let bit = rng.below(len * 8);
                out[bit / 8] ^= 1 << (bit % 8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                out[at] = rng.next() as u8;
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                out.splice(at..at, token.iter().copied());
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(64));
                out.drain(at..at + n);
            }
            4 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(256));
                let copy = out[at..at + n].to_vec();
                let to = rng.below(len + 1);
                out.splice(to..to, copy);
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let n = 1 + rng.below((other.len() - from).min(512));
                    let at = rng.below(len + 1);
                    out.splice(at..at, other[from..from + n].iter().copied());
                }
            }
            6 if len > 0 => out.truncate(rng.below(len)),
            _ => {
                let at = rng.below(len + 1);
                let n = rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                out.splice(at..at, bytes);
            }
        }
    }
    out.truncate(64 * 1024);
    out
}

#[derive(Default)]
struct Stats {
    inputs: usize,
    ok: usize,
    errors: usize,
    contained_panics: usize,
    slowest: Duration,
}

/// Fuzzes `target` for `budget`, starting from `seeds`. `target` returns whether the
/// input was accepted; it panics (or returns a string) on a violation.
fn fuzz(
    name: &str,
    budget: Duration,
    seed: u64,
    seeds: Vec<Vec<u8>>,
    mut target: impl FnMut(&[u8]) -> Result<bool, String>,
) {
    install_counting_hook();
    // Straight to the process's stderr, past the test harness's capture: an input that
    // aborts the process (an allocation too large to make) leaves no report, and the
    // seed is then the only way to find it again.
    {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "fuzz {name}: seed {seed} (QUIRE_FUZZ_SEED={seed} runs it again)"
        );
    }
    let mut rng = Rng(seed ^ name.len() as u64);
    let mut pool = seeds.clone();
    let mut stats = Stats::default();
    let started = Instant::now();
    let mut inputs: Vec<Vec<u8>> = seeds.clone();
    while started.elapsed() < budget || !inputs.is_empty() {
        let input = match inputs.pop() {
            Some(seed_input) => seed_input,
            None => {
                let base = &pool[rng.below(pool.len())];
                mutate(&mut rng, &seeds, base)
            }
        };
        PANICS.with(|p| p.set(0));
        let t0 = thread_cpu_time();
        let outcome = catch_unwind(AssertUnwindSafe(|| target(&input)));
        let took = thread_cpu_time().saturating_sub(t0);
        stats.inputs += 1;
        stats.slowest = stats.slowest.max(took);
        let shown = String::from_utf8_lossy(&input[..input.len().min(300)]).into_owned();
        match outcome {
            Err(_) => {
                let why = LAST_PANIC.with(|l| l.borrow().clone());
                fail(format!(
                    "{name}: a panic escaped ({why}) on input {shown:?} (seed {seed})"
                ));
            }
            Ok(Err(violation)) => {
                let why = LAST_PANIC.with(|l| l.borrow().clone());
                fail(format!(
                    "{name}: {violation} on input {shown:?} (seed {seed}; last panic: {why})"
                ));
            }
            Ok(Ok(accepted)) => {
                if accepted {
                    stats.ok += 1;
                    if pool.len() < 256 && rng.below(8) == 0 {
                        pool.push(input.clone());
                    }
                } else {
                    stats.errors += 1;
                }
            }
        }
        stats.contained_panics += PANICS.with(Cell::get);
        if took > MAX_INPUT_TIME {
            fail(format!(
                "{name}: input took {took:?}: {shown:?} (seed {seed})"
            ));
        }
    }
    figures(
        &format!("fuzz {name}"),
        &format!(
            "fuzz {name}: {} inputs in {:.1} s, {} accepted, {} refused with a typed error or \
         empty, 0 panics escaped ({} caught inside the core), slowest {:?}",
            stats.inputs,
            started.elapsed().as_secs_f64(),
            stats.ok,
            stats.errors,
            stats.contained_panics,
            stats.slowest
        ),
    );
}

/// CPU time used by this thread: unlike wall time, it does not grow when other tests
/// or builds share the machine's cores.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of the OS.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Fails the test with `message` (printed first: the counting hook prints nothing).
fn fail(message: String) -> ! {
    eprintln!("{message}");
    panic!("{message}");
}

fn budget_and_seed() -> (Duration, u64) {
    let total: f64 = std::env::var("QUIRE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24.0);
    let seed = std::env::var("QUIRE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
        });
    (Duration::from_secs_f64(total / TARGETS), seed)
}

#[test]
fn fuzz_queries() {
    let (budget, seed) = budget_and_seed();
    let bundle = Bundle::from_bytes(built_in_bundle()).unwrap();
    let b = Searcher::new(&bundle);
    let seeds: Vec<Vec<u8>> = [
        "- *",
        "a:(^",
        "withdrawing consent",
        "withdr",
        "consnet",
        "\"stop means stop\" -kink",
        "self-betrayal",
        "differentiation of self",
        "pushing through pain",
        "title:(a OR b)^2",
        "\"unclosed",
        "🙂 consent",
        "consent -\"heck no\"",
        "stop -self-betrayal",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    fuzz("queries", budget, seed, seeds, |input| {
        let q = String::from_utf8_lossy(input);
        let r = b
            .search(&q, &SearchOptions::default())
            .map_err(|e| format!("search failed: {e}"))?;
        b.suggest_titles(&q, 5)
            .map_err(|e| format!("title suggestions failed: {e}"))?;
        Ok(!r.hits.is_empty())
    });
}

#[test]
fn fuzz_article_loader() {
    let (budget, seed) = budget_and_seed();
    let mut seeds: Vec<Vec<u8>> = corpus::article_files(corpus_dir())
        .unwrap()
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    seeds.extend(
        quire_gen::generate(&quire_gen::GenOptions { count: 4, seed: 3 })
            .map(|g| g.markdown.into_bytes()),
    );
    fuzz("article loader", budget, seed, seeds, |input| {
        let text = String::from_utf8_lossy(input);
        match corpus::parse_article(Path::new("fuzz.md"), &text) {
            Ok(article) => {
                let plain = markdown::to_plain(&article.body);
                if plain.text.len() > article.body.len() * 4 + 64 {
                    return Err("plain text much longer than its Markdown".into());
                }
                Ok(true)
            }
            Err(Error::Corpus { line, .. }) => {
                let lines = text.lines().count() + 1;
                if line.is_some_and(|l| l == 0 || l > lines) {
                    return Err(format!("error names line {line:?} of a {lines}-line file"));
                }
                Ok(false)
            }
            Err(other) => Err(format!("untyped loader error: {other}")),
        }
    });
}

#[test]
fn fuzz_bundle_reader() {
    let (budget, seed) = budget_and_seed();
    let original = built_in_bundle();
    let reference = Bundle::from_bytes(original.clone()).unwrap();
    let expected_text = reference.article("consent-is-a-process").unwrap();
    let mut flip = Rng(seed);
    fuzz("bundle reader", budget, seed, vec![original], |input| {
        // Half the inputs get consistent checksums, so the damage reaches tantivy.
        // (A resealed bundle is a different, self-consistent bundle: its text may differ.)
        let mut bytes = input.to_vec();
        let resealed = flip.below(2) == 0 && reseal(&mut bytes);
        let b = match Bundle::from_bytes(bytes) {
            Ok(b) => b,
            Err(
                Error::NotABundle(_)
                | Error::DamagedBundle { .. }
                | Error::UnsupportedBundleVersion { .. },
            ) => {
                return Ok(false);
            }
            Err(other) => return Err(format!("untyped open error: {other}")),
        };
        let verified = b.verify().is_ok();
        let _ = b.list();
        let searcher = Searcher::new(&b);
        let _ = searcher.search("consent", &SearchOptions::default());
        // Both words are in both articles: the phrase's lists are walked (search::close).
        let _ = searcher.search("\"consent is\"", &SearchOptions::default());
        let _ = searcher.related("consent-is-a-process", 3);
        match b.article("consent-is-a-process") {
            Ok(a) if verified && !resealed && a != expected_text => {
                Err("damage passed verification and changed the text".into())
            }
            _ => Ok(verified),
        }
    });
}

#[test]
fn fuzz_json_import() {
    let (budget, seed) = budget_and_seed();
    let source = tempfile::tempdir().unwrap();
    let store = Store::open(source.path()).unwrap().store;
    store
        .add_bookmark(
            "consent-is-a-process",
            Some("a note with “quotes” and 🙂"),
            Some("later"),
        )
        .unwrap();
    store
        .add_bookmark("consent-during-sex-stop-means-stop", None, None)
        .unwrap();
    store.set_progress("consent-is-a-process", 0.42).unwrap();
    store.set_setting("theme", "dark").unwrap();
    let export = store.export_json().unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let target = Store::open(target_dir.path()).unwrap().store;
    fuzz(
        "JSON import",
        budget,
        seed,
        vec![export.into_bytes()],
        |input| {
            let text = String::from_utf8_lossy(input);
            let accepted = match target.import_json(&text) {
                Ok(_) => true,
                Err(Error::Import(_) | Error::NewerExport { .. } | Error::InvalidArgument(_)) => {
                    false
                }
                Err(other) => return Err(format!("untyped import error: {other}")),
            };
            // The store stays readable whatever was imported.
            target
                .bookmarks()
                .map_err(|e| format!("store unreadable after import: {e}"))?;
            target
                .all_progress()
                .map_err(|e| format!("store unreadable after import: {e}"))?;
            Ok(accepted)
        },
    );
}

#[test]
fn fuzz_pack_install() {
    use quire_core::bundle::format::PackInfo;
    use quire_core::bundle::signature::{SigningKey, TRAILER_LEN};
    use quire_core::bundle::{self, BuildOptions};
    use quire_core::pack::{InstallOptions, Library, PACKS_DIR};
    use std::sync::Arc;

    let (budget, seed) = budget_and_seed();
    // The hostile publisher signs whatever it made: half the inputs carry a valid
    // signature over the mutated bytes (their checksums recomputed), so the damage
    // reaches the checks behind the signature.
    let key = SigningKey::from_seed([5; 32]);
    let articles = corpus::load_dir(corpus_dir()).unwrap();
    let options = BuildOptions {
        pack: Some(PackInfo {
            id: "org.fuzz".into(),
            name: "Fuzz".into(),
            version: 1,
            publisher_key: None,
        }),
        sign_with: Some(key.clone()),
        ..BuildOptions::default()
    };
    let original = bundle::build_bytes(articles, &options).unwrap();
    let builtin = Arc::new(Bundle::from_bytes(built_in_bundle()).unwrap());
    let data = tempfile::tempdir().unwrap();
    let trust = InstallOptions {
        trust_publisher: true,
        allow_unsigned: true,
        allow_downgrade: true,
    };
    let mut flip = Rng(seed);
    fuzz("pack install", budget, seed, vec![original], |input| {
        let mut bytes = input.to_vec();
        if flip.below(2) == 0 && bytes.len() > TRAILER_LEN {
            bytes.truncate(bytes.len() - TRAILER_LEN);
            if reseal(&mut bytes) {
                let trailer = key.sign(&bytes).encode();
                bytes.extend_from_slice(&trailer);
            }
        }
        let library = Library::open(builtin.clone(), data.path())
            .map_err(|e| format!("library does not open: {e}"))?;
        let installed = match library.install(&mut std::io::Cursor::new(&bytes), &trust) {
            Ok(_) => true,
            Err(
                Error::NotABundle(_)
                | Error::DamagedBundle { .. }
                | Error::UnsupportedBundleVersion { .. }
                | Error::BadSignature(_)
                | Error::NotAPack(_)
                | Error::PackConflict(_),
            ) => false,
            Err(other) => return Err(format!("untyped install error: {other}")),
        };
        let library = library
            .reload()
            .map_err(|e| format!("library does not reopen: {e}"))?;
        if !library.damaged().is_empty() {
            return Err(format!(
                "an installed pack does not open: {:?}",
                library.damaged()
            ));
        }
        let leftovers = std::fs::read_dir(data.path().join(PACKS_DIR))
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
                    .count()
            })
            .unwrap_or(0);
        if leftovers > 0 {
            return Err("a refused install left a partial file".into());
        }
        if installed {
            // Installed: everything checked; reading and searching it gives answers or
            // typed errors.
            let _ = library.search("consent stop", &SearchOptions::default(), &[]);
            if let Some(b) = library.bundle("org.fuzz") {
                for meta in b
                    .list()
                    .map_err(|e| format!("installed pack unreadable: {e}"))?
                {
                    let reference = format!("org.fuzz/{}", meta.id);
                    // A pack resealed and signed by its maker can hold consistent-looking
                    // nonsense past every checksum: reading it may fail, but only with a
                    // typed error (a panic below is caught and counted).
                    match quire_core::reader::library_article_view(
                        &library,
                        &reference,
                        Some("consent"),
                    ) {
                        Ok(_) | Err(Error::DamagedBundle { .. } | Error::Internal(_)) => {}
                        Err(other) => return Err(format!("untyped read error: {other}")),
                    }
                }
            }
        }
        Ok(installed)
    });
}
