//! Damaged database files: each case builds a real, filled database, damages it the way
//! storage fails (random bytes, a zeroed first page, a truncated file, one zeroed page in
//! the middle), and checks that opening gives a working store, a report of what was kept
//! and lost, whatever could be salvaged, and no damaged copy left behind.

use std::collections::BTreeMap;
use std::path::Path;

use quire_core::store::{Bookmark, DB_FILE_NAME, RecoveryReport, Settings, Store};

const BOOKMARKS: usize = 300;
const PROGRESS: usize = 40;
const PAGE: usize = 4096;

fn note(i: usize) -> String {
    // Long enough to spread the table over many pages; unique so it can be found on disk.
    format!("NOTE-{i:04}-{}", "lorem ipsum ".repeat(20))
}

/// A closed store in `dir` with bookmarks, progress, history, searches and settings.
fn filled(dir: &Path) -> Vec<Bookmark> {
    let store = Store::open(dir).unwrap().store;
    store
        .set_settings(&Settings {
            history_enabled: true,
            recent_searches_enabled: true,
            ..Settings::default()
        })
        .unwrap();
    store.set_setting("theme", "dark").unwrap();
    for i in 0..BOOKMARKS {
        store
            .add_bookmark(&format!("article-{i:04}"), Some(&note(i)), None)
            .unwrap();
    }
    for i in 0..PROGRESS {
        store
            .set_progress(&format!("article-{i:04}"), i as f64 / PROGRESS as f64)
            .unwrap();
    }
    store.record_article_opened("article-0001").unwrap();
    store.record_search("consent").unwrap();
    let bookmarks = store.bookmarks().unwrap();
    drop(store);
    // Closing the last connection checkpoints everything into the main file.
    assert_eq!(
        Store::files(dir).unwrap(),
        vec![dir.join(DB_FILE_NAME)],
        "one self-contained file"
    );
    bookmarks
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// No file of the data directory holds any of the old notes: the damaged copy is gone.
fn assert_no_damaged_copy(dir: &Path, opened_ok: &[Bookmark]) {
    let kept: Vec<&str> = opened_ok.iter().filter_map(|b| b.note.as_deref()).collect();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains("damaged"), "damaged copy left: {name}");
        let bytes = std::fs::read(&path).unwrap();
        for i in 0..BOOKMARKS {
            let n = note(i);
            if !kept.contains(&n.as_str()) {
                assert!(
                    !contains(&bytes, &n.as_bytes()[..9]),
                    "{name} still holds the lost note {i}"
                );
            }
        }
    }
}

fn open_damaged(dir: &Path) -> (Store, RecoveryReport) {
    let opened = Store::open(dir).expect("a damaged database never stops the app");
    let report = opened.recovery.expect("a repair report");
    // The fresh store works.
    opened
        .store
        .add_bookmark("after-repair", None, None)
        .unwrap();
    assert!(opened.store.remove_bookmark("after-repair").unwrap());
    (opened.store, report)
}

/// Salvaged bookmarks are the originals (a partial one only lost its note and folder).
fn assert_salvaged_faithfully(store: &Store, original: &[Bookmark], report: &RecoveryReport) {
    let original: BTreeMap<&str, &Bookmark> = original
        .iter()
        .map(|b| (b.article_id.as_str(), b))
        .collect();
    let salvaged = store.bookmarks().unwrap();
    assert_eq!(salvaged.len() as u64, report.bookmarks.kept);
    let mut partial = 0;
    for b in &salvaged {
        let o = original[b.article_id.as_str()];
        assert_eq!(b.created_at, o.created_at, "{}", b.article_id);
        if b.note.is_none() {
            partial += 1;
        } else {
            assert_eq!(b, o);
        }
    }
    assert_eq!(partial, report.bookmarks.kept_partially);
    if let Some(lost) = report.bookmarks.lost {
        assert_eq!(report.bookmarks.kept + lost, BOOKMARKS as u64);
    }
}

#[test]
fn store_replaces_a_file_of_random_bytes() {
    let dir = tempfile::tempdir().unwrap();
    filled(dir.path());
    let db = dir.path().join(DB_FILE_NAME);
    let len = std::fs::metadata(&db).unwrap().len() as usize;
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let noise: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(&db, noise).unwrap();

    let (store, report) = open_damaged(dir.path());
    assert!(report.cause.contains("not a database"), "{}", report.cause);
    assert_eq!(report.bookmarks.kept, 0);
    assert_eq!(report.bookmarks.lost, None, "unknown: nothing was readable");
    assert!(report.lost_anything());
    assert!(report.damaged_files_left.is_empty());
    assert!(store.bookmarks().unwrap().is_empty());
    assert_eq!(store.settings().unwrap(), Settings::default());
    assert_no_damaged_copy(dir.path(), &[]);
}

#[test]
fn store_replaces_a_file_whose_first_page_is_zeroed() {
    let dir = tempfile::tempdir().unwrap();
    filled(dir.path());
    let db = dir.path().join(DB_FILE_NAME);
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..PAGE].fill(0);
    std::fs::write(&db, bytes).unwrap();

    let (store, report) = open_damaged(dir.path());
    assert_eq!(report.bookmarks.kept, 0);
    assert!(report.lost_anything());
    assert!(store.bookmarks().unwrap().is_empty());
    assert_no_damaged_copy(dir.path(), &[]);
}

#[test]
fn store_salvages_the_surviving_pages_of_a_truncated_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = filled(dir.path());
    let db = dir.path().join(DB_FILE_NAME);
    let len = std::fs::metadata(&db).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    file.set_len(len / 2 / PAGE as u64 * PAGE as u64).unwrap();
    drop(file);

    let (store, report) = open_damaged(dir.path());
    println!("truncated to half: {report:?}");
    assert!(
        report.bookmarks.kept > 0 && report.bookmarks.kept < BOOKMARKS as u64,
        "{report:?}"
    );
    assert!(report.bookmarks.lost.is_some_and(|n| n > 0), "{report:?}");
    assert_salvaged_faithfully(&store, &original, &report);
    // Settings live on early pages and come back.
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
    assert!(store.settings().unwrap().history_enabled);
    assert_no_damaged_copy(dir.path(), &store.bookmarks().unwrap());
}

#[test]
fn store_reads_past_a_zeroed_page_and_rebuilds_its_rows_from_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let original = filled(dir.path());
    let db = dir.path().join(DB_FILE_NAME);
    let mut bytes = std::fs::read(&db).unwrap();
    // Zero the table page that holds note 100: its rows can only come back from the
    // bookmarks index (without their notes); rows on later pages must still be read.
    let at = bytes
        .windows(9)
        .position(|w| w == &note(100).as_bytes()[..9])
        .expect("note 100 on disk");
    let page = at / PAGE;
    bytes[page * PAGE..(page + 1) * PAGE].fill(0);
    std::fs::write(&db, bytes).unwrap();

    let (store, report) = open_damaged(dir.path());
    println!("one zeroed page: {report:?}");
    assert!(report.cause.contains("malformed") || report.cause.contains("integrity"));
    assert_eq!(report.bookmarks.kept, BOOKMARKS as u64, "{report:?}");
    assert!(report.bookmarks.kept_partially > 0, "{report:?}");
    assert_eq!(report.bookmarks.lost, Some(0));
    assert_salvaged_faithfully(&store, &original, &report);
    let b100 = store.bookmark("article-0100").unwrap().unwrap();
    assert_eq!(b100.note, None, "its note was on the zeroed page");
    // Rows after the damaged page were read from the table, notes included.
    let last = store
        .bookmark(&format!("article-{:04}", BOOKMARKS - 1))
        .unwrap()
        .unwrap();
    assert_eq!(last.note, Some(note(BOOKMARKS - 1)));
    assert_eq!(report.progress.kept, PROGRESS as u64);
    assert_eq!(store.all_progress().unwrap().len(), PROGRESS);
    assert_eq!(store.history().unwrap().len(), 1);
    assert_eq!(store.recent_searches().unwrap().len(), 1);
    assert_no_damaged_copy(dir.path(), &store.bookmarks().unwrap());
}

#[test]
fn store_finishes_a_repair_interrupted_by_a_crash() {
    // A crash after the damaged file was set aside and before it was salvaged, with its
    // WAL left behind under the main name: the next open attaches the orphan WAL to the
    // set-aside copy (it must not be replayed into the fresh database) and salvages it.
    let dir = tempfile::tempdir().unwrap();
    let original = filled(dir.path());
    std::fs::rename(
        dir.path().join(DB_FILE_NAME),
        dir.path().join("quire-user.damaged-1.sqlite3"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(format!("{DB_FILE_NAME}-wal")),
        b"not a wal at all",
    )
    .unwrap();
    let opened = Store::open(dir.path()).unwrap();
    let report = opened.recovery.expect("report");
    assert!(report.cause.contains("interrupted"), "{}", report.cause);
    assert_eq!(report.bookmarks.kept, BOOKMARKS as u64);
    assert!(!report.lost_anything(), "{report:?}");
    assert_eq!(opened.store.bookmarks().unwrap(), original);
    drop(opened.store);
    assert_eq!(
        Store::files(dir.path()).unwrap(),
        vec![dir.path().join(DB_FILE_NAME)]
    );
}

#[test]
fn store_reports_an_interrupted_repair_and_merges_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let original = filled(dir.path());
    // The state after a crash between committing the salvage and removing the damaged
    // copy: the rows are in the main database *and* in the pending copy.
    let pending = dir.path().join("quire-user.damaged-7.sqlite3");
    std::fs::copy(dir.path().join(DB_FILE_NAME), &pending).unwrap();
    let opened = Store::open(dir.path()).unwrap();
    let report = opened.recovery.expect("report");
    assert!(report.cause.contains("interrupted"), "{}", report.cause);
    assert_eq!(report.bookmarks.kept, BOOKMARKS as u64);
    assert_eq!(report.bookmarks.lost, Some(0));
    assert!(!report.lost_anything());
    assert!(!pending.exists());
    assert_eq!(opened.store.bookmarks().unwrap(), original, "no duplicates");
}
