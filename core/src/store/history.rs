//! Reading history: which articles were opened, and when (only while history is on; see
//! `privacy` for the rules).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::checks::check_article_id;
use super::conn::Durability;
use super::db::{self, SqlResultExt};
use super::privacy::{Rule, enforce_privacy};
use super::settings::read_settings;
use crate::Result;

/// One recorded opening of an article (only while history is on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The corpus' stable article id.
    pub article_id: String,
    /// When it was opened (UTC).
    pub opened_at: DateTime<Utc>,
}

impl Store {
    /// Records that an article was opened, if history is on. Returns whether it was
    /// recorded. Applies the history retention.
    pub fn record_article_opened(&self, article_id: &str) -> Result<bool> {
        check_article_id(article_id)?;
        let now = db::now();
        self.write(Durability::Normal, |tx, scrub| {
            *scrub = enforce_privacy(tx, now)? > 0;
            if !read_settings(tx)?.history_enabled {
                return Ok(false);
            }
            tx.prepare_cached(
                "INSERT OR IGNORE INTO history (article_id, opened_at) VALUES (?1, ?2)",
            )
            .and_then(|mut s| s.execute(params![article_id, db::micros(now)]))
            .db()?;
            Ok(true)
        })
    }

    /// The reading history, newest first, after applying the retention. Empty while
    /// history is off.
    ///
    /// Read on a reader connection. Entries found past the retention are not listed, and
    /// are deleted (through the writer) before this returns.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        let now = db::now();
        let (entries, expired) = self.read_snapshot(|conn| {
            Rule::history(&read_settings(conn)?).visible(conn, now, history_since)
        })?;
        if expired {
            self.forget_expired(now)?;
        }
        Ok(entries)
    }

    /// Deletes the whole reading history, without a trace.
    pub fn clear_history(&self) -> Result<()> {
        self.write(Durability::Full, |tx, scrub| {
            *scrub = tx.execute("DELETE FROM history", []).db()? > 0;
            Ok(())
        })
    }
}

/// Every history entry, newest first, whatever the settings say.
pub(crate) fn read_history(conn: &Connection) -> Result<Vec<HistoryEntry>> {
    history_since(conn, i64::MIN)
}

/// History entries opened at or after the stored time `since`, newest first.
fn history_since(conn: &Connection, since: i64) -> Result<Vec<HistoryEntry>> {
    conn.prepare_cached(
        "SELECT article_id, opened_at FROM history WHERE opened_at >= ?1
         ORDER BY opened_at DESC, article_id",
    )
    .and_then(|mut s| {
        s.query_map([since], |r| {
            Ok(HistoryEntry {
                article_id: r.get(0)?,
                opened_at: db::time_column(r, 1)?,
            })
        })?
        .collect()
    })
    .db()
}
