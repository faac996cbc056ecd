//! Merging rows into the database, shared by an import and salvage: what is already here
//! wins, except where the incoming row is strictly more informative.

use rusqlite::{Connection, params};

use super::db::{self, SqlResultExt};
use super::export::ImportSummary;
use super::progress::quantize_position;
use super::settings::read_settings;
use super::{Bookmark, HistoryEntry, Progress, RecentSearch};
use crate::Result;

/// Rows to merge into the database: from an import, or salvaged from a damaged file.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    /// Bookmarks, merged by article id.
    pub bookmarks: Vec<Bookmark>,
    /// Progress rows, merged by article id.
    pub progress: Vec<Progress>,
    /// History entries, added without duplicates while history is on.
    pub history: Vec<HistoryEntry>,
    /// Recent searches, merged by query while recent searches are on.
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
                    quantize_position(p.position),
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
