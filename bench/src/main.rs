//! Benchmark of Quire against SQLite FTS5 (work in progress).

fn main() {}
