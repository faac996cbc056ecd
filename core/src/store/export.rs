//! Export and import of all the reader's data as versioned JSON.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::bookmarks::read_bookmarks;
use super::checks::{check_article_id, check_position, check_settings};
use super::conn::Durability;
use super::db::{self, SqlResultExt};
use super::history::read_history;
use super::merge::{Rows, merge};
use super::privacy::enforce_privacy;
use super::progress::read_all_progress;
use super::schema::RESERVED_PREFIX;
use super::searches::read_recent_searches;
use super::settings::{read_custom_settings, read_settings, write_settings};
use super::{Bookmark, HistoryEntry, Progress, RecentSearch, Settings, Store};
use crate::{Error, Result};

/// The export format this code writes; imports of a higher version are refused.
///
/// Version 1: `format_version`, `exported_at`, `bookmarks`, `progress`, `history`,
/// `recent_searches`, `settings`, `custom_settings`; times as RFC 3339 UTC.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// All the reader's data, as written by [`Store::export`].
///
/// Serialised as JSON by [`Store::export_json`]. The file holds the reader's private notes
/// and reading: it is theirs to keep safe.
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

impl Store {
    /// All the reader's data, read in one consistent snapshot.
    pub fn export(&self) -> Result<Export> {
        self.read_snapshot(export)
    }

    /// [`Store::export`] as pretty-printed JSON.
    pub fn export_json(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.export()?)
            .map_err(|e| Error::Storage(format!("cannot encode the export: {e}")))
    }

    /// Merges an export into the store, in one durable transaction (all or nothing).
    ///
    /// Idempotent: importing the same export again changes nothing. Merge rules:
    /// bookmarks are matched by article id (the earlier `created_at` is kept; a note or
    /// folder already here is kept, a missing one is filled in from the export); progress
    /// keeps the most recently opened position; history entries and recent searches are
    /// added without duplicates, and only while their setting (after the import) is on;
    /// the export's [`Settings`] replace the current ones; its custom settings are set,
    /// others here are kept.
    ///
    /// # Errors
    ///
    /// [`Error::NewerExport`] for an export from a newer app, [`Error::Import`] for an
    /// invalid one (a position out of range, an empty id…); nothing is changed then.
    pub fn import(&self, export: &Export) -> Result<ImportSummary> {
        validate(export)?;
        self.write(Durability::Full, |tx, scrub| {
            let summary = import(tx, export)?;
            // Settings may have turned a feature off or shortened a retention.
            *scrub = true;
            Ok(summary)
        })
    }

    /// Parses an export written by [`Store::export_json`] and imports it.
    ///
    /// # Errors
    ///
    /// [`Error::Import`] for malformed JSON, with where and why; see [`Store::import`].
    pub fn import_json(&self, json: &str) -> Result<ImportSummary> {
        self.import(&parse(json)?)
    }
}

/// Parses an export, checking its version before its shape so that an export from a newer
/// app is reported as such rather than as malformed.
fn parse(json: &str) -> Result<Export> {
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
fn validate(export: &Export) -> Result<()> {
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
fn export(conn: &Connection) -> Result<Export> {
    Ok(Export {
        format_version: EXPORT_FORMAT_VERSION,
        exported_at: db::now(),
        bookmarks: read_bookmarks(conn)?,
        progress: read_all_progress(conn)?,
        history: read_history(conn)?,
        recent_searches: read_recent_searches(conn)?,
        settings: read_settings(conn)?,
        custom_settings: read_custom_settings(conn)?,
    })
}

/// Merges a validated export (see [`Store::import`] for the rules).
fn import(conn: &Connection, export: &Export) -> Result<ImportSummary> {
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

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::store::testing::open;

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

    #[test]
    fn import_merges_by_the_documented_rules() {
        let (_dir, store) = open();
        let here = store.add_bookmark("both", Some("mine"), None).unwrap();
        let earlier = here.created_at - Duration::days(1);
        let json = serde_json::json!({
            "format_version": 1,
            "exported_at": "2024-01-01T00:00:00Z",
            "bookmarks": [
                {"article_id": "both", "created_at": earlier, "note": "theirs", "folder": "f"},
                {"article_id": "new", "created_at": earlier}
            ],
            "progress": [{"article_id": "p", "position": 0.5, "last_opened": earlier}],
            "history": [{"article_id": "h", "opened_at": earlier}],
            "custom_settings": {"theme": "dark"}
        })
        .to_string();
        let summary = store.import_json(&json).unwrap();
        assert_eq!(summary.bookmarks, 2);
        assert_eq!(summary.progress, 1);
        assert_eq!(summary.history, 0, "history is off");
        let both = store.bookmark("both").unwrap().unwrap();
        assert_eq!(both.created_at, earlier);
        assert_eq!(both.note.as_deref(), Some("mine"), "local note wins");
        assert_eq!(
            both.folder.as_deref(),
            Some("f"),
            "missing folder filled in"
        );
        assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
        // A newer local progress is not overwritten by an older imported one.
        let now = store.set_progress("p", 0.9).unwrap();
        let again = store.import_json(&json).unwrap();
        assert_eq!(again, ImportSummary::default());
        assert_eq!(store.progress("p").unwrap(), Some(now));
    }

    #[test]
    fn a_failed_import_changes_nothing() {
        let (_dir, store) = open();
        store.add_bookmark("a", None, None).unwrap();
        let before = store.export().unwrap();
        let mut export = before.clone();
        export.bookmarks.push(Bookmark {
            article_id: "b".into(),
            created_at: db::now(),
            note: None,
            folder: None,
        });
        export.settings.history_enabled = true;
        export.progress.push(Progress {
            article_id: "p".into(),
            position: 2.0,
            last_opened: db::now(),
        });
        assert!(matches!(store.import(&export), Err(Error::Import(_))));
        let after = store.export().unwrap();
        assert_eq!(after.bookmarks, before.bookmarks);
        assert_eq!(after.settings, before.settings);
        assert!(after.progress.is_empty());
    }
}
