//! Recent searches: what the reader searched for, and when (only while recent searches are
//! on; see `privacy` for the rules).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::conn::Durability;
use super::db::{self, SqlResultExt};
use super::privacy::{Rule, enforce_privacy};
use super::settings::read_settings;
use crate::Result;

/// Longest recorded search, in characters; longer queries are recorded truncated.
pub const MAX_RECORDED_QUERY_CHARS: usize = 500;

/// How many recent searches are kept; recording one more forgets the oldest.
pub const MAX_RECENT_SEARCHES: usize = 100;

/// One recorded search (only while recent searches are on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentSearch {
    /// The query as typed, trimmed.
    pub query: String,
    /// When it was last searched (UTC).
    pub searched_at: DateTime<Utc>,
}

impl Store {
    /// Records a search, if recent searches are on. The query is trimmed and cut to
    /// [`MAX_RECORDED_QUERY_CHARS`]; an empty query is not recorded. Searching the same
    /// text again moves it to the top. Keeps at most [`MAX_RECENT_SEARCHES`]. Returns
    /// whether it was recorded. Applies the retention.
    pub fn record_search(&self, query: &str) -> Result<bool> {
        let query = query.trim();
        let query = match query.char_indices().nth(MAX_RECORDED_QUERY_CHARS) {
            Some((cut, _)) => query[..cut].trim_end(),
            None => query,
        };
        if query.is_empty() {
            return Ok(false);
        }
        let now = db::now();
        self.write(Durability::Normal, |tx, scrub| {
            *scrub = enforce_privacy(tx, now)? > 0;
            if !read_settings(tx)?.recent_searches_enabled {
                return Ok(false);
            }
            tx.prepare_cached(
                "INSERT INTO recent_searches (query, searched_at) VALUES (?1, ?2)
                 ON CONFLICT (query) DO UPDATE SET searched_at = excluded.searched_at",
            )
            .and_then(|mut s| s.execute(params![query, db::micros(now)]))
            .db()?;
            let trimmed = tx
                .execute(
                    "DELETE FROM recent_searches WHERE id NOT IN
                     (SELECT id FROM recent_searches ORDER BY searched_at DESC, id DESC LIMIT ?1)",
                    [MAX_RECENT_SEARCHES as i64],
                )
                .db()?;
            *scrub |= trimmed > 0;
            Ok(true)
        })
    }

    /// Recent searches, newest first, after applying the retention. Empty while recent
    /// searches are off.
    ///
    /// Read on a reader connection. Searches found past the retention are not listed, and
    /// are deleted (through the writer) before this returns.
    pub fn recent_searches(&self) -> Result<Vec<RecentSearch>> {
        let now = db::now();
        let (searches, expired) = self.read_snapshot(|conn| {
            Rule::recent_searches(&read_settings(conn)?).visible(conn, now, recent_searches_since)
        })?;
        if expired {
            self.forget_expired(now)?;
        }
        Ok(searches)
    }

    /// Deletes every recent search, without a trace.
    pub fn clear_recent_searches(&self) -> Result<()> {
        self.write(Durability::Full, |tx, scrub| {
            *scrub = tx.execute("DELETE FROM recent_searches", []).db()? > 0;
            Ok(())
        })
    }
}

/// Every recent search, newest first, whatever the settings say.
pub(crate) fn read_recent_searches(conn: &Connection) -> Result<Vec<RecentSearch>> {
    recent_searches_since(conn, i64::MIN)
}

/// Recent searches made at or after the stored time `since`, newest first.
fn recent_searches_since(conn: &Connection, since: i64) -> Result<Vec<RecentSearch>> {
    conn.prepare_cached(
        "SELECT query, searched_at FROM recent_searches WHERE searched_at >= ?1
         ORDER BY searched_at DESC, id DESC",
    )
    .and_then(|mut s| {
        s.query_map([since], |r| {
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
    use crate::store::Settings;
    use crate::store::testing::open;

    #[test]
    fn recent_searches_move_to_the_top_and_are_capped() {
        let (_dir, store) = open();
        store
            .set_settings(&Settings {
                recent_searches_enabled: true,
                ..Settings::default()
            })
            .unwrap();
        for i in 0..MAX_RECENT_SEARCHES + 5 {
            store.record_search(&format!("q{i}")).unwrap();
        }
        store.record_search("q10").unwrap();
        let searches = store.recent_searches().unwrap();
        assert_eq!(searches.len(), MAX_RECENT_SEARCHES);
        assert_eq!(searches[0].query, "q10");
        assert!(!searches.iter().any(|s| s.query == "q0"));
        let long = "é".repeat(MAX_RECORDED_QUERY_CHARS * 2);
        store.record_search(&long).unwrap();
        assert_eq!(
            store.recent_searches().unwrap()[0].query.chars().count(),
            MAX_RECORDED_QUERY_CHARS
        );
    }
}
