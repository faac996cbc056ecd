//! Export and import of all user data as versioned JSON, and the row-level helpers shared
//! with salvage (merging rows, settings, privacy rules).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::db::{self, SqlResultExt};
use super::schema::{
    KEY_HISTORY_ENABLED, KEY_HISTORY_RETENTION, KEY_SEARCHES_ENABLED, KEY_SEARCHES_RETENTION,
    RESERVED_PREFIX,
};
use super::{
    Bookmark, HistoryEntry, Progress, RecentSearch, Settings, check_article_id, check_position,
    check_settings,
};
use crate::{Error, Result};

/// The export format this code writes; imports of a higher version are refused.
///
/// Version 1: `format_version`, `exported_at`, `bookmarks`, `progress`, `history`,
/// `recent_searches`, `settings`, `custom_settings`; times as RFC 3339 UTC.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// All the reader's data, as written by [`Store::export`](super::Store::export).
///
/// Serialised as JSON by [`Store::export_json`](super::Store::export_json). The file
/// holds the reader's private notes and reading: it is theirs to keep safe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Format of this export ([`EXPORT_FORMAT_VERSION`] when written by this code).
    pub format_version: u32,
    /// When it was written (UTC).
    pub exported_at: DateTime<Utc>,
    /// Every bookmark, newest first.
    #[serde(default)]
    pub bookmarks: Vec<Bookmark>,
    /// Every progress row, most recent first.
    #[serde(default)]
    pub progress: Vec<Progress>,
    /// Reading history, newest first (empty while history is off).
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// Recent searches, newest first (empty while recent searches are off).
    #[serde(default)]
    pub recent_searches: Vec<RecentSearch>,
    /// The core's settings.
    #[serde(default)]
    pub settings: Settings,
    /// The shells' own settings, by key.
    #[serde(default)]
    pub custom_settings: BTreeMap<String, String>,
}

/// What an import changed: rows added or updated, per kind. All zero when the same export
/// is imported again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Bookmarks added, or completed with a note, folder or earlier date.
    pub bookmarks: u64,
    /// Progress rows added or moved to a more recent position.
    pub progress: u64,
    /// History entries added.
    pub history: u64,
    /// Recent searches added or moved to a more recent time.
    pub recent_searches: u64,
    /// Settings (core and shell) whose value changed.
    pub settings: u64,
}

/// Parses an export, checking its version before its shape so that an export from a newer
/// app is reported as such rather than as malformed.
pub(crate) fn parse(json: &str) -> Result<Export> {
    #[derive(Deserialize)]
    struct Version {
        format_version: Option<serde_json::Value>,
    }
    let version: Version = serde_json::from_str(json)
        .map_err(|e| Error::Import(format!("not a Quire export (invalid JSON: {e})")))?;
    let found = match version.format_version {
        None => {
            return Err(Error::Import(
                "not a Quire export (no `format_version` field)".into(),
            ));
        }
        Some(v) => v.as_u64().ok_or_else(|| {
            Error::Import("`format_version` is not a non-negative integer".into())
        })?,
    };
    if found > u64::from(EXPORT_FORMAT_VERSION) {
        return Err(Error::NewerExport {
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: EXPORT_FORMAT_VERSION,
        });
    }
    serde_json::from_str(json).map_err(|e| Error::Import(format!("malformed export: {e}")))
}

/// Checks an export before anything is written.
pub(crate) fn validate(export: &Export) -> Result<()> {
    if export.format_version > EXPORT_FORMAT_VERSION {
        return Err(Error::NewerExport {
            found: export.format_version,
            supported: EXPORT_FORMAT_VERSION,
        });
    }
    let bad = |what: String, e: Error| {
        Error::Import(match e {
            Error::InvalidArgument(why) => format!("{what}: {why}"),
            other => format!("{what}: {other}"),
        })
    };
    for (i, b) in export.bookmarks.iter().enumerate() {
        check_article_id(&b.article_id).map_err(|e| bad(format!("bookmarks[{i}]"), e))?;
    }
    for (i, p) in export.progress.iter().enumerate() {
        check_article_id(&p.article_id).map_err(|e| bad(format!("progress[{i}]"), e))?;
        check_position(p.position).map_err(|e| bad(format!("progress[{i}]"), e))?;
    }
    for (i, h) in export.history.iter().enumerate() {
        check_article_id(&h.article_id).map_err(|e| bad(format!("history[{i}]"), e))?;
    }
    for (i, s) in export.recent_searches.iter().enumerate() {
        if s.query.trim().is_empty() {
            return Err(Error::Import(format!("recent_searches[{i}]: empty query")));
        }
    }
    check_settings(&export.settings).map_err(|e| bad("settings".into(), e))?;
    for key in export.custom_settings.keys() {
        if key.is_empty() || key.starts_with(RESERVED_PREFIX) {
            return Err(Error::Import(format!(
                "custom_settings: key `{key}` is empty or reserved"
            )));
        }
    }
    Ok(())
}

/// Reads everything (call inside a read transaction for one snapshot).
pub(crate) fn export(conn: &Connection) -> Result<Export> {
    let bookmarks = conn
        .prepare(
            "SELECT article_id, created_at, note, folder FROM bookmarks
             ORDER BY created_at DESC, article_id",
        )
        .and_then(|mut s| s.query_map([], super::bookmark_row)?.collect())
        .db()?;
    let progress = conn
        .prepare(
            "SELECT article_id, position, last_opened FROM progress
             ORDER BY last_opened DESC, article_id",
        )
        .and_then(|mut s| s.query_map([], super::progress_row)?.collect())
        .db()?;
    Ok(Export {
        format_version: EXPORT_FORMAT_VERSION,
        exported_at: db::now(),
        bookmarks,
        progress,
        history: read_history(conn)?,
        recent_searches: read_recent_searches(conn)?,
        settings: read_settings(conn)?,
        custom_settings: read_custom_settings(conn)?,
    })
}

/// Merges a validated export (see [`Store::import`](super::Store::import) for the rules).
pub(crate) fn import(conn: &Connection, export: &Export) -> Result<ImportSummary> {
    let mut summary = ImportSummary {
        settings: u64::from(read_settings(conn)? != export.settings),
        ..ImportSummary::default()
    };
    write_settings(conn, &export.settings)?;
    for (key, value) in &export.custom_settings {
        summary.settings += conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value
                 WHERE value IS NOT excluded.value",
                [key, value],
            )
            .db()? as u64;
    }
    let rows = Rows {
        bookmarks: export.bookmarks.clone(),
        progress: export.progress.clone(),
        history: export.history.clone(),
        recent_searches: export.recent_searches.clone(),
        settings: Vec::new(),
    };
    let merged = merge(conn, &rows)?;
    summary.bookmarks = merged.bookmarks;
    summary.progress = merged.progress;
    summary.history = merged.history;
    summary.recent_searches = merged.recent_searches;
    enforce_privacy(conn, db::now())?;
    Ok(summary)
}

/// Rows to merge into the database: from an import, or salvaged from a damaged file.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub bookmarks: Vec<Bookmark>,
    pub progress: Vec<Progress>,
    pub history: Vec<HistoryEntry>,
    pub recent_searches: Vec<RecentSearch>,
    /// Raw key/value pairs (typed `quire.` keys included); added only where the key is
    /// not set yet.
    pub settings: Vec<(String, String)>,
}

/// Merges rows; what is already in the database wins except where the incoming row is
/// strictly more informative (an earlier bookmark date, a note or folder where there is
/// none, a more recent progress or search). History and recent searches are merged only
/// while their setting is on. Idempotent.
pub(crate) fn merge(conn: &Connection, rows: &Rows) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    for (key, value) in &rows.settings {
        summary.settings += conn
            .execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)",
                [key, value],
            )
            .db()? as u64;
    }
    let settings = read_settings(conn)?;
    {
        let mut stmt = conn
            .prepare(
                "INSERT INTO bookmarks (article_id, created_at, note, folder)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (article_id) DO UPDATE SET
                     created_at = min(created_at, excluded.created_at),
                     note = coalesce(note, excluded.note),
                     folder = coalesce(folder, excluded.folder)
                 WHERE excluded.created_at < created_at
                    OR (note IS NULL AND excluded.note IS NOT NULL)
                    OR (folder IS NULL AND excluded.folder IS NOT NULL)",
            )
            .db()?;
        for b in &rows.bookmarks {
            let note = b.note.as_deref().filter(|s| !s.is_empty());
            let folder = b.folder.as_deref().filter(|s| !s.is_empty());
            summary.bookmarks += stmt
                .execute(params![
                    b.article_id,
                    db::micros(b.created_at),
                    note,
                    folder
                ])
                .db()? as u64;
        }
    }
    {
        let mut stmt = conn
            .prepare(
                "INSERT INTO progress (article_id, position, last_opened) VALUES (?1, ?2, ?3)
                 ON CONFLICT (article_id) DO UPDATE SET
                     position = excluded.position, last_opened = excluded.last_opened
                 WHERE excluded.last_opened > last_opened",
            )
            .db()?;
        for p in &rows.progress {
            summary.progress += stmt
                .execute(params![
                    p.article_id,
                    super::quantize_position(p.position),
                    db::micros(p.last_opened)
                ])
                .db()? as u64;
        }
    }
    if settings.history_enabled {
        let mut stmt = conn
            .prepare("INSERT OR IGNORE INTO history (article_id, opened_at) VALUES (?1, ?2)")
            .db()?;
        for h in &rows.history {
            summary.history += stmt
                .execute(params![h.article_id, db::micros(h.opened_at)])
                .db()? as u64;
        }
    }
    if settings.recent_searches_enabled {
        let mut stmt = conn
            .prepare(
                "INSERT INTO recent_searches (query, searched_at) VALUES (?1, ?2)
                 ON CONFLICT (query) DO UPDATE SET searched_at = excluded.searched_at
                 WHERE excluded.searched_at > searched_at",
            )
            .db()?;
        for s in &rows.recent_searches {
            summary.recent_searches += stmt
                .execute(params![s.query.trim(), db::micros(s.searched_at)])
                .db()? as u64;
        }
    }
    Ok(summary)
}

/// Applies the privacy rules: no history or recent searches while off, none older than
/// the retention. Returns how many rows were deleted.
pub(crate) fn enforce_privacy(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    let s = read_settings(conn)?;
    let mut deleted = 0;
    let cutoff = |days: Option<u32>| {
        days.and_then(|d| now.checked_sub_signed(Duration::days(i64::from(d))))
            .map(db::micros)
    };
    if !s.history_enabled {
        deleted += conn.execute("DELETE FROM history", []).db()?;
    } else if let Some(cut) = cutoff(s.history_retention_days) {
        deleted += conn
            .execute("DELETE FROM history WHERE opened_at < ?1", [cut])
            .db()?;
    }
    if !s.recent_searches_enabled {
        deleted += conn.execute("DELETE FROM recent_searches", []).db()?;
    } else if let Some(cut) = cutoff(s.recent_searches_retention_days) {
        deleted += conn
            .execute("DELETE FROM recent_searches WHERE searched_at < ?1", [cut])
            .db()?;
    }
    Ok(deleted)
}

pub(crate) fn read_settings(conn: &Connection) -> Result<Settings> {
    let get = |key: &str| -> Result<Option<String>> {
        conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .db()
    };
    let flag =
        |key: &str| -> Result<bool> { Ok(matches!(get(key)?.as_deref(), Some("1" | "true"))) };
    let days = |key: &str| -> Result<Option<u32>> {
        Ok(get(key)?.and_then(|v| v.parse().ok()).filter(|&d| d > 0))
    };
    Ok(Settings {
        history_enabled: flag(KEY_HISTORY_ENABLED)?,
        history_retention_days: days(KEY_HISTORY_RETENTION)?,
        recent_searches_enabled: flag(KEY_SEARCHES_ENABLED)?,
        recent_searches_retention_days: days(KEY_SEARCHES_RETENTION)?,
    })
}

pub(crate) fn write_settings(conn: &Connection, s: &Settings) -> Result<()> {
    let set = |key: &str, value: Option<String>| -> Result<()> {
        match value {
            Some(v) => conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, v],
            ),
            None => conn.execute("DELETE FROM settings WHERE key = ?1", [key]),
        }
        .db()?;
        Ok(())
    };
    let flag = |b: bool| Some(if b { "1" } else { "0" }.to_owned());
    set(KEY_HISTORY_ENABLED, flag(s.history_enabled))?;
    set(
        KEY_HISTORY_RETENTION,
        s.history_retention_days.map(|d| d.to_string()),
    )?;
    set(KEY_SEARCHES_ENABLED, flag(s.recent_searches_enabled))?;
    set(
        KEY_SEARCHES_RETENTION,
        s.recent_searches_retention_days.map(|d| d.to_string()),
    )?;
    Ok(())
}

pub(crate) fn read_custom_settings(conn: &Connection) -> Result<BTreeMap<String, String>> {
    conn.prepare_cached("SELECT key, value FROM settings WHERE key NOT LIKE 'quire.%' ORDER BY key")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .db()
}

pub(crate) fn read_history(conn: &Connection) -> Result<Vec<HistoryEntry>> {
    conn.prepare_cached(
        "SELECT article_id, opened_at FROM history ORDER BY opened_at DESC, article_id",
    )
    .and_then(|mut s| {
        s.query_map([], |r| {
            Ok(HistoryEntry {
                article_id: r.get(0)?,
                opened_at: db::time_column(r, 1)?,
            })
        })?
        .collect()
    })
    .db()
}

pub(crate) fn read_recent_searches(conn: &Connection) -> Result<Vec<RecentSearch>> {
    conn.prepare_cached(
        "SELECT query, searched_at FROM recent_searches ORDER BY searched_at DESC, id DESC",
    )
    .and_then(|mut s| {
        s.query_map([], |r| {
            Ok(RecentSearch {
                query: r.get(0)?,
                searched_at: db::time_column(r, 1)?,
            })
        })?
        .collect()
    })
    .db()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_checked_before_shape() {
        let newer = r#"{"format_version": 99, "bookmarks": "whatever"}"#;
        assert!(matches!(
            parse(newer),
            Err(Error::NewerExport {
                found: 99,
                supported: EXPORT_FORMAT_VERSION
            })
        ));
        assert!(matches!(parse("{"), Err(Error::Import(m)) if m.contains("invalid JSON")));
        assert!(matches!(parse("{}"), Err(Error::Import(m)) if m.contains("format_version")));
        assert!(matches!(
            parse(r#"{"format_version": "1"}"#),
            Err(Error::Import(_))
        ));
        let bad_shape = r#"{"format_version": 1, "exported_at": "2024-01-01T00:00:00Z",
                            "bookmarks": [{"article_id": 3}]}"#;
        assert!(
            matches!(parse(bad_shape), Err(Error::Import(m)) if m.contains("malformed export"))
        );
        let minimal = r#"{"format_version": 1, "exported_at": "2024-01-01T00:00:00Z"}"#;
        assert_eq!(parse(minimal).unwrap().bookmarks, Vec::new());
    }

    #[test]
    fn invalid_rows_are_named() {
        let mut e: Export =
            parse(r#"{"format_version": 1, "exported_at": "2024-01-01T00:00:00Z"}"#).unwrap();
        e.progress.push(Progress {
            article_id: "a".into(),
            position: 1.5,
            last_opened: Utc::now(),
        });
        assert!(matches!(validate(&e), Err(Error::Import(m)) if m.starts_with("progress[0]")));
    }
}
