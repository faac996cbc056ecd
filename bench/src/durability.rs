//! A durable bookmark add against the cost of one bare `fsync` on the same disk.
//!
//! Both are timed alternately in one loop, in the same directory: `Store::add_bookmark`
//! (SQLite, WAL, `synchronous = FULL`, acknowledged on disk) and the smallest durable
//! write there is (append 64 bytes to a file, then `fsync`). `fdatasync` is timed too,
//! since that is what SQLite calls on Linux when it can.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use quire_core::store::Store;
use serde::Serialize;

use crate::stats::{Summary, median};

/// What the durability loop measured, in microseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Durability {
    /// Iterations (each times one of each).
    pub iterations: usize,
    /// `Store::add_bookmark`, a new article id each time.
    pub bookmark_add: Summary,
    /// Append 64 bytes + `fsync`.
    pub fsync: Summary,
    /// Append 64 bytes + `fdatasync`.
    pub fdatasync: Summary,
    /// Median over iterations of (bookmark add − fsync of the same iteration).
    pub median_paired_extra_us: f64,
    /// p50(bookmark add) − p50(fsync).
    pub p50_extra_us: f64,
}

/// Runs `iterations` rounds in a fresh store under `dir` (removed afterwards).
pub fn measure(dir: &Path, iterations: usize) -> Result<Durability, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let store_dir = dir.join("store");
    let _ = std::fs::remove_dir_all(&store_dir);
    let store = Store::open(&store_dir).map_err(|e| err(&e))?.store;
    let raw_path = dir.join("fsync-probe");
    let mut raw = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&raw_path)
        .map_err(|e| err(&e))?;
    let record = [b'x'; 64];
    // Warm up both paths (first writes allocate pages and the WAL).
    for i in 0..3 {
        store
            .add_bookmark(&format!("warmup-{i}"), None, None)
            .map_err(|e| err(&e))?;
        raw.write_all(&record).map_err(|e| err(&e))?;
        raw.sync_all().map_err(|e| err(&e))?;
    }
    let (mut adds, mut syncs, mut datasyncs, mut paired) = (vec![], vec![], vec![], vec![]);
    for i in 0..iterations {
        let time_add = |i: usize| -> Result<f64, String> {
            let t = Instant::now();
            store
                .add_bookmark(&format!("gen-42-{i:06}"), Some("a note"), None)
                .map_err(|e| err(&e))?;
            Ok(t.elapsed().as_secs_f64() * 1e6)
        };
        let mut time_sync = |data_only: bool| -> Result<f64, String> {
            let t = Instant::now();
            raw.write_all(&record).map_err(|e| err(&e))?;
            if data_only {
                raw.sync_data().map_err(|e| err(&e))?;
            } else {
                raw.sync_all().map_err(|e| err(&e))?;
            }
            Ok(t.elapsed().as_secs_f64() * 1e6)
        };
        // Alternate which goes first, so neither always follows the other.
        let (a, s) = if i % 2 == 0 {
            let a = time_add(i)?;
            (a, time_sync(false)?)
        } else {
            let s = time_sync(false)?;
            (time_add(i)?, s)
        };
        datasyncs.push(time_sync(true)?);
        paired.push(a - s);
        adds.push(a);
        syncs.push(s);
    }
    drop(store);
    drop(raw);
    let _ = std::fs::remove_dir_all(&store_dir);
    let _ = std::fs::remove_file(&raw_path);
    let bookmark_add = Summary::of(&adds);
    let fsync = Summary::of(&syncs);
    Ok(Durability {
        iterations,
        bookmark_add,
        fsync,
        fdatasync: Summary::of(&datasyncs),
        median_paired_extra_us: median(&paired),
        p50_extra_us: bookmark_add.p50 - fsync.p50,
    })
}
