//! Crash durability of the long user-data operations: a child process imports an export
//! or wipes the store and is killed with SIGKILL at a random moment, 25 times each.
//! Afterwards the store opens, passes `PRAGMA integrity_check`, and holds either the old
//! data or the new, never half of it.
//!
//! The child is this test binary, re-executed with `--exact crash_child` and
//! `QUIRE_CRASH_CHILD` set (as in `store_kill.rs`).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::figures;
use quire_core::store::{DB_FILE_NAME, Store};
use rusqlite::{Connection, OpenFlags};

const CHILD_ENV: &str = "QUIRE_CRASH_CHILD";
const DIR_ENV: &str = "QUIRE_CRASH_DIR";
const RUNS: usize = 25;
const OLD: usize = 400;
const NEW: usize = 600;

/// The child: imports `import.json` from the directory, or wipes the store, after
/// saying it is ready.
#[test]
fn crash_child() {
    let Some(mode) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let dir = std::path::PathBuf::from(std::env::var_os(DIR_ENV).unwrap());
    let store = Store::open(&dir.join("data")).unwrap().store;
    let json = std::fs::read_to_string(dir.join("import.json")).unwrap();
    println!("READY");
    match mode.to_str().unwrap() {
        "import" => {
            store.import_json(&json).unwrap();
        }
        "wipe" => store.wipe().unwrap(),
        other => panic!("unknown mode {other}"),
    }
    println!("DONE");
}

fn ids(store: &Store) -> BTreeSet<String> {
    store
        .bookmarks()
        .unwrap()
        .into_iter()
        .map(|b| b.article_id)
        .collect()
}

fn set(prefix: &str, n: usize) -> BTreeSet<String> {
    (0..n).map(|i| format!("{prefix}-{i:04}")).collect()
}

/// Fills `data` with the old bookmarks and writes the export of the new ones. Built once
/// (a few thousand durable writes) and copied for each run.
fn prepare(dir: &Path) {
    static TEMPLATE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let t = tempfile::tempdir().unwrap();
        let store = Store::open(&t.path().join("data")).unwrap().store;
        for id in set("old", OLD) {
            store.add_bookmark(&id, Some("an old note"), None).unwrap();
            store.set_progress(&id, 0.25).unwrap();
        }
        drop(store);
        let other = tempfile::tempdir().unwrap();
        let source = Store::open(other.path()).unwrap().store;
        for id in set("new", NEW) {
            source
                .add_bookmark(&id, Some("a new note"), Some("imported"))
                .unwrap();
            source.set_progress(&id, 0.75).unwrap();
        }
        std::fs::write(t.path().join("import.json"), source.export_json().unwrap()).unwrap();
        t
    });
    std::fs::create_dir(dir.join("data")).unwrap();
    for entry in std::fs::read_dir(template.path().join("data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("data").join(entry.file_name())).unwrap();
    }
    std::fs::copy(template.path().join("import.json"), dir.join("import.json")).unwrap();
}

fn spawn(mode: &str, dir: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, mode)
        .env(DIR_ENV, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Runs the child to the end once, to learn how long the operation takes.
fn duration_of(mode: &str) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    prepare(dir.path());
    let mut child = spawn(mode, dir.path());
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while !lines.next().unwrap().unwrap().ends_with("READY") {}
    let started = Instant::now();
    while !lines.next().unwrap().unwrap().ends_with("DONE") {}
    let took = started.elapsed();
    assert!(child.wait().unwrap().success());
    took
}

fn integrity_ok(data: &Path) {
    let conn =
        Connection::open_with_flags(data.join(DB_FILE_NAME), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Kills `mode` children at random moments and returns (runs that ended with the old
/// data, runs that ended with the new).
fn kill_runs(mode: &str, check: impl Fn(&Store) -> Option<bool>) -> (usize, usize) {
    let typical = duration_of(mode);
    let seed = common::printed_seed();
    let mut rng = Rng(seed);
    let (mut old, mut new) = (0, 0);
    for run in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        prepare(dir.path());
        let mut child = spawn(mode, dir.path());
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        while !lines.next().unwrap().unwrap().ends_with("READY") {}
        // Anywhere from the start to a little past the typical end.
        let delay = rng.below(typical.as_micros() as u64 * 6 / 5);
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill();
        let _ = child.wait();
        let data = dir.path().join("data");
        let opened = Store::open(&data).unwrap();
        assert!(
            opened.recovery.is_none(),
            "{mode} run {run} (seed {seed}): the store needed repair"
        );
        integrity_ok(&data);
        match check(&opened.store) {
            Some(false) => old += 1,
            Some(true) => new += 1,
            None => {
                panic!("{mode} run {run} (seed {seed}): half the data after a kill {delay} µs in")
            }
        }
    }
    figures(
        &format!("crash during {mode}"),
        &format!(
            "{mode}: typical {typical:?}; {RUNS} kills: {old} left the old data, {new} the new, 0 half"
        ),
    );
    (old, new)
}

#[test]
fn a_killed_import_leaves_the_old_or_the_new_data() {
    let old = set("old", OLD);
    let both: BTreeSet<String> = old.union(&set("new", NEW)).cloned().collect();
    kill_runs("import", |store| {
        let found = ids(store);
        let progress = store.all_progress().unwrap().len();
        if found == old && progress == OLD {
            Some(false)
        } else if found == both && progress == OLD + NEW {
            Some(true)
        } else {
            None
        }
    });
}

#[test]
fn a_killed_wipe_leaves_everything_or_nothing() {
    let old = set("old", OLD);
    kill_runs("wipe", |store| {
        let found = ids(store);
        let progress = store.all_progress().unwrap().len();
        if found == old && progress == OLD {
            Some(false)
        } else if found.is_empty() && progress == 0 {
            Some(true)
        } else {
            None
        }
    });
}
