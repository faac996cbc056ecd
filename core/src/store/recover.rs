//! Salvage of a damaged database.
//!
//! When SQLite reports the database as corrupt or not a database at open, the files are
//! renamed aside (`quire-user.damaged-<n>.sqlite3`), a fresh database takes their place,
//! every row that can still be read is copied into it in one durable transaction, and the
//! damaged files are overwritten with zeros and removed. A crash anywhere in between leaves
//! the damaged copy on disk, and the next open finishes the job (merging is idempotent).
//!
//! Reading a damaged file: each table is scanned in rowid order; when a page cannot be
//! read, the scan probes further rowids (doubling, then bisecting) to find where readable
//! pages resume, and carries on from there. The covering indexes of schema v2 are a second,
//! independent copy of most columns, read from both ends, so a row whose table page is
//! lost can still come back from its index entry (a bookmark then loses its note and
//! folder). `row_counts` tells how many rows each table held, hence how many were lost.

mod scan;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, Row, TransactionBehavior};

use super::checks::check_article_id;
use super::db::{self, SqlResultExt};
use super::merge::{Rows, merge};
use super::privacy::enforce_privacy;
use super::schema::{self, COUNTED_TABLES};
use super::{Bookmark, HistoryEntry, Progress, RecentSearch, files};
use crate::Result;
use scan::{scan_index, scan_table};

/// What a repair of a damaged database kept and lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// What SQLite reported (for example "file is not a database"), or that an
    /// interrupted repair was finished.
    pub cause: String,
    /// Bookmarks.
    pub bookmarks: Salvaged,
    /// Reading progress rows.
    pub progress: Salvaged,
    /// Reading history entries (kept only while history is on).
    pub history: Salvaged,
    /// Recent searches (kept only while recent searches are on).
    pub recent_searches: Salvaged,
    /// Settings, the core's and the shells'.
    pub settings: Salvaged,
    /// Damaged copies that could not be removed after salvage. Normally empty; the next
    /// open tries again. They hold the reader's data: nothing else should read them.
    pub damaged_files_left: Vec<PathBuf>,
}

impl RecoveryReport {
    /// Whether anything was, or may have been, lost.
    pub fn lost_anything(&self) -> bool {
        [
            &self.bookmarks,
            &self.progress,
            &self.history,
            &self.recent_searches,
            &self.settings,
        ]
        .iter()
        .any(|s| s.lost != Some(0) || s.kept_partially > 0)
    }
}

/// Salvage figures for one kind of row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Salvaged {
    /// Rows read from the damaged file and kept.
    pub kept: u64,
    /// Of `kept`, rows rebuilt from an index entry with some fields lost (a bookmark's
    /// note and folder).
    pub kept_partially: u64,
    /// Rows lost: `Some(0)` when everything was read, `Some(n)` when the damaged file
    /// still recorded how many rows it held, `None` when that is unknown (the file was
    /// unreadable as a whole, for instance).
    pub lost: Option<u64>,
}

impl Default for Salvaged {
    fn default() -> Self {
        Salvaged {
            kept: 0,
            kept_partially: 0,
            lost: Some(0),
        }
    }
}

impl Salvaged {
    fn add(&mut self, other: Salvaged) {
        self.kept += other.kept;
        self.kept_partially += other.kept_partially;
        self.lost = self.lost.zip(other.lost).map(|(a, b)| a + b);
    }
}

/// Salvages every damaged copy waiting in `dir` into `conn`, then removes it. `causes`
/// are the errors that made this open set a database aside (empty when only an interrupted
/// repair is being finished). `None` when there was nothing to salvage.
pub(crate) fn salvage_pending(
    conn: &mut Connection,
    dir: &Path,
    causes: Vec<String>,
) -> Result<Option<RecoveryReport>> {
    let pending = files::damaged_dbs(dir)?;
    if pending.is_empty() {
        return Ok(None);
    }
    let mut report = RecoveryReport {
        cause: if causes.is_empty() {
            "a repair interrupted earlier was finished".to_owned()
        } else {
            causes.join("; ")
        },
        ..RecoveryReport::default()
    };
    for damaged in pending {
        let salvage = salvage(&damaged);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        merge(&tx, &salvage.rows)?;
        enforce_privacy(&tx, db::now())?;
        // The writer runs with synchronous = FULL: once committed, the salvage is on disk
        // and the damaged copy can go.
        tx.commit().db()?;
        let [bookmarks, progress, history, searches, settings] = salvage.figures;
        report.bookmarks.add(bookmarks);
        report.progress.add(progress);
        report.history.add(history);
        report.recent_searches.add(searches);
        report.settings.add(settings);
        if files::remove_db_files(&damaged).is_err() {
            report.damaged_files_left.push(damaged);
        }
    }
    Ok(Some(report))
}

/// What could be read from a damaged file.
struct Salvage {
    rows: Rows,
    /// Per table, in [`COUNTED_TABLES`] order.
    figures: [Salvaged; 5],
}

/// Reads what it can from the damaged database at `path`. Never fails: what cannot be
/// read is counted as lost.
fn salvage(path: &Path) -> Salvage {
    let unknown = Salvaged {
        kept: 0,
        kept_partially: 0,
        lost: None,
    };
    let nothing = Salvage {
        rows: Rows::default(),
        figures: [unknown; 5],
    };
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return nothing;
    };
    let _ = db::configure_common(&conn);
    // Extra sanity checks on every cell read from damaged pages.
    let _ = conn.pragma_update(None, "cell_size_check", "ON");
    // SQLite refuses a file shorter than its header says unless the schema is "writable";
    // on this read-only connection that only makes it read the pages that remain.
    let _ = conn.pragma_update(None, "writable_schema", "ON");
    let Ok(version) = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)) else {
        return nothing;
    };
    let v1 = version <= 1;
    let counts = if v1 {
        BTreeMap::new()
    } else {
        row_counts(&conn)
    };

    // Bookmarks: the table, then the covering index for rows whose table page is lost.
    let folder = if v1 { "NULL" } else { "folder" };
    let (mut full, clean) = scan_table(
        &conn,
        &format!("SELECT rowid, article_id, created_at, note, {folder} FROM bookmarks"),
        |r| {
            Some(Bookmark {
                article_id: article_id(r, 1)?,
                created_at: time_value(r, 2)?,
                note: r.get(3).ok()?,
                folder: r.get(4).ok()?,
            })
        },
    );
    let mut by_id: BTreeMap<String, Bookmark> = BTreeMap::new();
    for b in full.drain(..) {
        by_id.entry(b.article_id.clone()).or_insert(b);
    }
    let mut partial = 0;
    if !clean && !v1 {
        for b in scan_index(
            &conn,
            "SELECT article_id, created_at FROM bookmarks INDEXED BY bookmarks_by_created",
            "created_at, article_id",
            |r| {
                Some(Bookmark {
                    article_id: article_id(r, 0)?,
                    created_at: time_value(r, 1)?,
                    note: None,
                    folder: None,
                })
            },
        ) {
            if !by_id.contains_key(&b.article_id) {
                partial += 1;
                by_id.insert(b.article_id.clone(), b);
            }
        }
    }
    let bookmarks: Vec<Bookmark> = by_id.into_values().collect();
    let bookmark_figures = figures(bookmarks.len(), partial, clean, counts.get("bookmarks"));

    // Progress: the v2 index holds every column.
    let (rows, clean) = scan_table(
        &conn,
        "SELECT rowid, article_id, position, last_opened FROM progress",
        progress_from(1),
    );
    let mut progress = rows;
    if !clean && !v1 {
        progress.extend(scan_index(
            &conn,
            "SELECT article_id, position, last_opened FROM progress INDEXED BY progress_by_opened",
            "last_opened, article_id, position",
            progress_from(0),
        ));
    }
    let mut by_id: BTreeMap<String, Progress> = BTreeMap::new();
    for p in progress {
        match by_id.get(&p.article_id) {
            Some(old) if old.last_opened >= p.last_opened => {}
            _ => {
                by_id.insert(p.article_id.clone(), p);
            }
        }
    }
    let progress: Vec<Progress> = by_id.into_values().collect();
    let progress_figures = figures(progress.len(), 0, clean, counts.get("progress"));

    // History: the unique index on (opened_at, article_id) is the whole row.
    let (mut history, clean) = scan_table(
        &conn,
        "SELECT rowid, article_id, opened_at FROM history",
        history_from(1),
    );
    if !clean && !v1 {
        history.extend(scan_index(
            &conn,
            "SELECT article_id, opened_at FROM history INDEXED BY sqlite_autoindex_history_1",
            "opened_at, article_id",
            history_from(0),
        ));
    }
    history.sort_by(|a, b| (a.opened_at, &a.article_id).cmp(&(b.opened_at, &b.article_id)));
    history.dedup();
    let history_figures = figures(history.len(), 0, clean, counts.get("history"));

    // Recent searches (v2 only).
    let (mut searches, clean) = if v1 {
        (Vec::new(), true)
    } else {
        scan_table(
            &conn,
            "SELECT rowid, query, searched_at FROM recent_searches",
            search_from(1),
        )
    };
    if !clean {
        searches.extend(scan_index(
            &conn,
            "SELECT query, searched_at FROM recent_searches INDEXED BY recent_searches_by_time",
            "searched_at, query",
            search_from(0),
        ));
    }
    let mut by_query: BTreeMap<String, RecentSearch> = BTreeMap::new();
    for s in searches {
        match by_query.get(&s.query) {
            Some(old) if old.searched_at >= s.searched_at => {}
            _ => {
                by_query.insert(s.query.clone(), s);
            }
        }
    }
    let searches: Vec<RecentSearch> = by_query.into_values().collect();
    let search_figures = figures(searches.len(), 0, clean, counts.get("recent_searches"));

    let (settings, clean) = scan_table(&conn, "SELECT rowid, key, value FROM settings", |r| {
        let key: String = r.get(1).ok()?;
        let value: String = r.get(2).ok()?;
        (!key.is_empty()).then_some((key, value))
    });
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in settings {
        by_key.entry(k).or_insert(v);
    }
    let settings: Vec<(String, String)> = by_key.into_iter().collect();
    let settings_figures = figures(settings.len(), 0, clean, counts.get("settings"));

    Salvage {
        rows: Rows {
            bookmarks,
            progress,
            history,
            recent_searches: searches,
            settings,
        },
        figures: [
            bookmark_figures,
            progress_figures,
            history_figures,
            search_figures,
            settings_figures,
        ],
    }
}

fn figures(kept: usize, partial: u64, clean: bool, counted: Option<&u64>) -> Salvaged {
    let kept = kept as u64;
    let lost = match counted {
        Some(&n) => Some(n.saturating_sub(kept)),
        None if clean => Some(0),
        None => None,
    };
    Salvaged {
        kept,
        kept_partially: partial,
        lost,
    }
}

/// `row_counts` as far as it can be read.
fn row_counts(conn: &Connection) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let Ok(mut stmt) = conn.prepare("SELECT name, n FROM row_counts") else {
        return out;
    };
    let Ok(mut rows) = stmt.query([]) else {
        return out;
    };
    while let Ok(Some(row)) = rows.next() {
        if let (Ok(name), Ok(n)) = (row.get::<_, String>(0), row.get::<_, i64>(1)) {
            if COUNTED_TABLES.contains(&name.as_str()) && n >= 0 {
                out.insert(name, n as u64);
            }
        }
    }
    out
}

fn article_id(r: &Row<'_>, idx: usize) -> Option<String> {
    let id: String = r.get(idx).ok()?;
    check_article_id(&id).ok()?;
    Some(id)
}

/// A time in either stored form: v2 integer microseconds, v1 RFC 3339 text.
fn time_value(r: &Row<'_>, idx: usize) -> Option<DateTime<Utc>> {
    match r.get_ref(idx).ok()? {
        ValueRef::Integer(v) => db::from_micros(v),
        ValueRef::Text(t) => schema::parse_v1_time(std::str::from_utf8(t).ok()?),
        _ => None,
    }
}

fn progress_from(first: usize) -> impl Fn(&Row<'_>) -> Option<Progress> {
    move |r| {
        let position: f64 = r.get(first + 1).ok()?;
        Some(Progress {
            article_id: article_id(r, first)?,
            position: if position.is_nan() {
                0.0
            } else {
                position.clamp(0.0, 1.0)
            },
            last_opened: time_value(r, first + 2)?,
        })
    }
}

fn history_from(first: usize) -> impl Fn(&Row<'_>) -> Option<HistoryEntry> {
    move |r| {
        Some(HistoryEntry {
            article_id: article_id(r, first)?,
            opened_at: time_value(r, first + 1)?,
        })
    }
}

fn search_from(first: usize) -> impl Fn(&Row<'_>) -> Option<RecentSearch> {
    move |r| {
        let query: String = r.get(first).ok()?;
        let query = query.trim().to_owned();
        (!query.is_empty()).then_some(RecentSearch {
            query,
            searched_at: time_value(r, first + 1)?,
        })
    }
}
