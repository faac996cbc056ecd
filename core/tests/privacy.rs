//! Privacy: the core writes nothing about what people read, search or note, anywhere.
//!
//! 1. A session of calls (build, open, search, read, suggest, related, bookmark with a
//!    note, progress, history, recent searches, export, import, damage, wipe) runs with
//!    the process's stdout and stderr redirected to a file and a `log` logger capturing
//!    every record at every level (tantivy logs through `log`). None of the session's
//!    unique markers (in an article id, its text, the queries and a note) may appear in
//!    either.
//! 2. The sources of `core/` and `bindings/` contain no printing or logging macro outside
//!    their tests.
//!
//! This file holds a single test on purpose: redirecting file descriptors 1 and 2 affects
//! the whole process.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

mod common;

use common::figures;
use quire_core::bundle::{self, BuildOptions, Bundle};
use quire_core::corpus::{self, Article};
use quire_core::search::{SearchOptions, Searcher};
use quire_core::store::{Settings, Store};

const ID_MARKER: &str = "zq-marker-article-7c1d";
const TEXT_MARKER: &str = "zqtextmarker9f2e";
const QUERY_MARKER: &str = "zqquerymarker4b8a";
const NOTE_MARKER: &str = "zq note marker 5e3c";

/// Captures every log record, at every level.
struct Capture(Mutex<String>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let mut s = self.0.lock().unwrap();
        s.push_str(&format!(
            "{} {}: {}\n",
            record.level(),
            record.target(),
            record.args()
        ));
    }
    fn flush(&self) {}
}

static LOGGER: Capture = Capture(Mutex::new(String::new()));

/// Redirects file descriptors 1 and 2 into a temporary file until dropped.
struct Redirect {
    file: std::fs::File,
    saved: [i32; 2],
}

impl Redirect {
    fn start() -> Redirect {
        let file = tempfile::tempfile().unwrap();
        use std::os::fd::AsRawFd;
        std::io::stdout().flush().unwrap();
        // SAFETY: plain descriptor duplication on descriptors this process owns.
        let saved = unsafe { [libc::dup(1), libc::dup(2)] };
        assert!(saved.iter().all(|&fd| fd >= 0));
        // SAFETY: dup2 onto this process's own stdout and stderr, from `file`, a
        // descriptor it owns and keeps open; no memory is involved.
        unsafe {
            assert!(libc::dup2(file.as_raw_fd(), 1) >= 0);
            assert!(libc::dup2(file.as_raw_fd(), 2) >= 0);
        }
        Redirect { file, saved }
    }

    fn finish(mut self) -> String {
        std::io::stdout().flush().unwrap();
        std::io::stderr().flush().unwrap();
        // SAFETY: restores the descriptors saved in `start`.
        unsafe {
            libc::dup2(self.saved[0], 1);
            libc::dup2(self.saved[1], 2);
            libc::close(self.saved[0]);
            libc::close(self.saved[1]);
        }
        let mut out = String::new();
        self.file.seek(SeekFrom::Start(0)).unwrap();
        self.file.read_to_string(&mut out).unwrap();
        out
    }
}

fn marker_article() -> Article {
    Article {
        id: ID_MARKER.into(),
        title: format!("About {TEXT_MARKER}"),
        source: None,
        published: None,
        tags: vec!["privacy".into()],
        summary: format!("A summary with {TEXT_MARKER}."),
        body: format!(
            "## {TEXT_MARKER}\n\nBody text with {TEXT_MARKER} and consent, read on a bus."
        ),
    }
}

/// Everything an app session does, with the markers in every place they can go.
fn session(dir: &Path) {
    let mut articles =
        corpus::load_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"))).unwrap();
    articles.push(marker_article());
    let path = dir.join("b.quire");
    bundle::build_file(articles, &BuildOptions::default(), &path, |_, _| {}).unwrap();
    let b = Bundle::open(&path).unwrap();
    b.verify().unwrap();
    let searcher = Searcher::new(&b);
    for q in [
        QUERY_MARKER,
        TEXT_MARKER,
        &format!("\"{TEXT_MARKER} consent\""),
        "zqtextmarkr9f2e",
        "zqtext",
    ] {
        let _ = searcher.search(q, &SearchOptions::default()).unwrap();
        let _ = searcher.suggest_titles(q, 5).unwrap();
    }
    let _ = b.article(ID_MARKER).unwrap();
    let _ = searcher.related(ID_MARKER, 3).unwrap();
    assert!(b.article(&format!("{ID_MARKER}-missing")).is_err());

    let data = dir.join("data");
    let store = Store::open(&data).unwrap().store;
    store
        .set_settings(&Settings {
            history_enabled: true,
            recent_searches_enabled: true,
            ..Settings::default()
        })
        .unwrap();
    store
        .add_bookmark(ID_MARKER, Some(NOTE_MARKER), Some(TEXT_MARKER))
        .unwrap();
    store.set_progress(ID_MARKER, 0.5).unwrap();
    store.record_article_opened(ID_MARKER).unwrap();
    store.record_search(QUERY_MARKER).unwrap();
    let export = store.export_json().unwrap();
    assert!(export.contains(NOTE_MARKER));
    store.import_json(&export).unwrap();
    assert!(
        store
            .import_json(&export.replace("format_version", "format_versio"))
            .is_err()
    );
    assert!(store.set_progress(ID_MARKER, 2.0).is_err());
    store.remove_bookmark(ID_MARKER).unwrap();
    store.wipe().unwrap();

    // A damaged database holding the markers is repaired: still nothing written out.
    let store = Store::open(&data).unwrap().store;
    store
        .add_bookmark(ID_MARKER, Some(NOTE_MARKER), None)
        .unwrap();
    drop(store);
    let db = data.join(quire_core::store::DB_FILE_NAME);
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].fill(0);
    std::fs::write(&db, bytes).unwrap();
    let _ = Store::open(&data).unwrap();
    Store::wipe_dir(&data).unwrap();
}

#[test]
fn nothing_about_reading_is_printed_or_logged() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let dir = tempfile::tempdir().unwrap();
    let redirect = Redirect::start();
    let outcome = std::panic::catch_unwind(|| session(dir.path()));
    let printed = redirect.finish();
    let logged = LOGGER.0.lock().unwrap().clone();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
    for marker in [ID_MARKER, TEXT_MARKER, QUERY_MARKER, NOTE_MARKER, "zqtext"] {
        assert!(!printed.contains(marker), "{marker} printed:\n{printed}");
        assert!(!logged.contains(marker), "{marker} logged:\n{logged}");
    }
    figures(
        "privacy",
        &format!(
            "session: {} bytes printed, {} log records captured, none holding a marker",
            printed.len(),
            logged.lines().count()
        ),
    );

    // The sources print and log nothing outside their tests.
    let forbidden = [
        "println!(",
        "eprintln!(",
        "print!(",
        "eprint!(",
        "dbg!(",
        "log::",
        "tracing::",
        "info!(",
        "warn!(",
        "debug!(",
        "trace!(",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut offenders = Vec::new();
    for dir in ["core/src", "bindings/src"] {
        for file in rust_files(&root.join(dir)) {
            if file.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            // Unit tests sit at the end of a file, after `#[cfg(test)]`.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (i, line) in code.lines().enumerate() {
                let line = line.trim_start();
                if line.starts_with("//") {
                    continue;
                }
                let hit = forbidden.iter().any(|m| {
                    line.match_indices(m).any(|(at, _)| {
                        at == 0 || !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
                });
                if hit {
                    offenders.push(format!("{}:{}: {line}", file.display(), i + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "printing or logging in library code:\n{}",
        offenders.join("\n")
    );
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}
