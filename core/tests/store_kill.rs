//! Durability under SIGKILL: a writer process adds bookmarks and prints each id once
//! `add_bookmark` has returned; the test kills it at a random moment, 20 times over on the
//! same database, and then finds every acknowledged bookmark and a database that passes
//! `PRAGMA integrity_check`.
//!
//! The writer is this test binary itself: the parent re-executes it with
//! `--exact store_kill_child_writer` and `QUIRE_STORE_KILL_CHILD_DIR` set, so that
//! `store_kill_child_writer` acts as the writer. Run normally, that function returns at
//! once.
//!
//! Run with `--nocapture` to see the figures (acknowledged writes per run, add latency
//! next to a bare `fsync` on the same disk, total time).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use common::figures;
use quire_core::store::{DB_FILE_NAME, Store};
use rusqlite::{Connection, OpenFlags};

const CHILD_DIR_ENV: &str = "QUIRE_STORE_KILL_CHILD_DIR";
const CHILD_RUN_ENV: &str = "QUIRE_STORE_KILL_CHILD_RUN";
const WRITES_PER_RUN: u64 = 1_000;
const RUNS: u64 = 20;

/// The writer, when re-executed by [`store_acknowledged_bookmarks_survive_sigkill`].
#[test]
fn store_kill_child_writer() {
    let Some(dir) = std::env::var_os(CHILD_DIR_ENV) else {
        return;
    };
    let run: u64 = std::env::var(CHILD_RUN_ENV).unwrap().parse().unwrap();
    let mut out = std::io::stdout().lock();
    let opened = Store::open(Path::new(&dir)).expect("open");
    if opened.recovery.is_some() {
        // A killed writer must never leave a database that needs repair.
        writeln!(out, "RECOVERED").unwrap();
        out.flush().unwrap();
        std::process::exit(3);
    }
    let store = opened.store;
    for i in 0..WRITES_PER_RUN {
        let id = format!("run{run:02}-{i:04}");
        let started = Instant::now();
        store
            .add_bookmark(&id, Some(&format!("note {i} of run {run}")), None)
            .expect("add_bookmark");
        let micros = started.elapsed().as_micros();
        // One write of one whole line: a pipe write this small is atomic.
        out.write_all(format!("ACK {id} {micros}\n").as_bytes())
            .unwrap();
        out.flush().unwrap();
    }
}

/// xorshift64*: enough randomness for kill moments, reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn integrity_check(db: &Path) -> String {
    // Read-only, so that checking does not checkpoint or tidy up the WAL the killed writer
    // left: the next writer starts from exactly that state.
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn present(db: &Path, ids: &[String]) -> Vec<String> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn
        .prepare("SELECT 1 FROM bookmarks WHERE article_id = ?1")
        .unwrap();
    ids.iter()
        .filter(|id| !stmt.exists([id.as_str()]).unwrap())
        .cloned()
        .collect()
}

/// p50 of one bare `fsync` after rewriting a 4 KiB block in place (what SQLite does to a
/// reused WAL), in microseconds, on a file in `dir`.
fn bare_fsync_p50(dir: &Path) -> u128 {
    use std::os::unix::fs::FileExt;
    let path = dir.join("fsync-probe");
    let file = std::fs::File::create(&path).unwrap();
    let block = [7u8; 4096];
    file.write_all_at(&block, 0).unwrap();
    file.sync_all().unwrap();
    let mut times: Vec<u128> = (0..300)
        .map(|_| {
            let started = Instant::now();
            file.write_all_at(&block, 0).unwrap();
            file.sync_all().unwrap();
            started.elapsed().as_micros()
        })
        .collect();
    drop(file);
    std::fs::remove_file(path).unwrap();
    times.sort_unstable();
    times[times.len() / 2]
}

#[test]
fn store_acknowledged_bookmarks_survive_sigkill() {
    if std::env::var_os(CHILD_DIR_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(DB_FILE_NAME);
    let seed = common::printed_seed();
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut acknowledged: Vec<String> = Vec::new();
    let mut per_run: Vec<u64> = Vec::new();
    let mut latencies: Vec<u128> = Vec::new();
    let mut killed_mid_run = 0;

    for run in 0..RUNS {
        // Kill after a random number of acknowledgements (0: during start-up), then after
        // a random fraction of a write more.
        let kill_after = rng.below(WRITES_PER_RUN);
        let run_text = run.to_string();
        let mut child = common::spawn_child(
            "store_kill_child_writer",
            &[
                (CHILD_DIR_ENV, dir.path().as_os_str()),
                (CHILD_RUN_ENV, std::ffi::OsStr::new(&run_text)),
            ],
        );
        let pid = child.id();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut killed = false;
        if kill_after == 0 {
            std::thread::sleep(Duration::from_micros(rng.below(30_000)));
            common::sigkill(pid);
            killed = true;
        }
        let mut acks = 0;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 || !line.ends_with('\n') {
                // End of output; a line cut short was never acknowledged.
                break;
            }
            assert!(
                !line.starts_with("RECOVERED"),
                "run {run}: the database needed repair after a kill"
            );
            let Some(rest) = line.strip_prefix("ACK ") else {
                continue;
            };
            let mut parts = rest.split_whitespace();
            acknowledged.push(parts.next().unwrap().to_owned());
            latencies.push(parts.next().unwrap().parse().unwrap());
            acks += 1;
            if !killed && acks == kill_after {
                let spin = Duration::from_micros(rng.below(1_500));
                let until = Instant::now() + spin;
                while Instant::now() < until {
                    std::hint::spin_loop();
                }
                common::sigkill(pid);
                killed = true;
            }
        }
        let status = child.wait().unwrap();
        if killed {
            use std::os::unix::process::ExitStatusExt;
            if status.signal() == Some(libc::SIGKILL) && acks < WRITES_PER_RUN {
                killed_mid_run += 1;
            }
        } else {
            assert!(status.success(), "run {run}: writer failed: {status}");
        }
        per_run.push(acks);
        if db.exists() {
            assert_eq!(integrity_check(&db), "ok", "run {run}");
            let missing = present(&db, &acknowledged);
            assert!(
                missing.is_empty(),
                "run {run}: acknowledged but missing: {missing:?}"
            );
        } else {
            assert!(acknowledged.is_empty(), "run {run}: database file gone");
        }
    }
    let elapsed = started.elapsed();

    assert!(!acknowledged.is_empty());
    assert!(
        killed_mid_run >= RUNS / 2,
        "only {killed_mid_run} runs killed"
    );
    assert_eq!(integrity_check(&db), "ok");
    // And through the store itself, which must open without repair.
    let open_started = Instant::now();
    let opened = Store::open(dir.path()).unwrap();
    let open_time = open_started.elapsed();
    assert!(opened.recovery.is_none());
    let store = opened.store;
    for id in &acknowledged {
        assert!(store.bookmark(id).unwrap().is_some(), "{id} lost");
    }
    // A write may commit and the writer die before it prints the acknowledgement: at most
    // one such bookmark per run.
    let stored = store.bookmarks().unwrap().len();
    assert!(
        (acknowledged.len()..=acknowledged.len() + RUNS as usize).contains(&stored),
        "{stored} stored, {} acknowledged",
        acknowledged.len()
    );

    latencies.sort_unstable();
    let pct = |p: usize| latencies[(latencies.len() - 1) * p / 100];
    let fsync = bare_fsync_p50(dir.path());
    figures(
        "bookmark writes under SIGKILL",
        &format!(
            "runs {RUNS}, killed mid-run {killed_mid_run}, acknowledged writes lost 0, integrity ok, acknowledged per run {per_run:?} \
         (total {}), {:.1} s",
            acknowledged.len(),
            elapsed.as_secs_f64()
        ),
    );
    println!(
        "Store::open (quick_check included) on the final {}-bookmark database: {:.1} ms",
        stored,
        open_time.as_secs_f64() * 1e3
    );
    println!(
        "add_bookmark (debug build of the core): p50 {} µs, p90 {} µs, p99 {} µs; \
         bare 4 KiB rewrite + fsync p50 {fsync} µs on the same disk",
        pct(50),
        pct(90),
        pct(99)
    );
}
