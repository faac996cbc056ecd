//! The privacy rules of the opt-in records (reading history and recent searches): nothing
//! is recorded while a feature is off, turning it off deletes what was recorded, and a
//! retention forgets entries older than N days.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use super::conn::Durability;
use super::db::{self, SqlResultExt};
use super::settings::read_settings;
use super::{Settings, Store};
use crate::Result;

/// The rule of one opt-in table, as the settings say.
pub(super) struct Rule {
    table: &'static str,
    time_column: &'static str,
    enabled: bool,
    retention_days: Option<u32>,
}

impl Rule {
    /// The rule of the reading history.
    pub(super) fn history(s: &Settings) -> Rule {
        Rule {
            table: "history",
            time_column: "opened_at",
            enabled: s.history_enabled,
            retention_days: s.history_retention_days,
        }
    }

    /// The rule of the recent searches.
    pub(super) fn recent_searches(s: &Settings) -> Rule {
        Rule {
            table: "recent_searches",
            time_column: "searched_at",
            enabled: s.recent_searches_enabled,
            retention_days: s.recent_searches_retention_days,
        }
    }

    /// The stored time before which entries are forgotten, if the retention forgets any.
    fn cutoff(&self, now: DateTime<Utc>) -> Option<i64> {
        self.retention_days
            .and_then(|d| now.checked_sub_signed(Duration::days(i64::from(d))))
            .map(db::micros)
    }

    /// What a list shows as of `now` (nothing while the feature is off, the entries within
    /// the retention otherwise, read by `read` from a stored time on), and whether the
    /// table holds entries that [`Rule::enforce`] would delete. Deletes nothing, so it
    /// runs on a reader.
    pub(super) fn visible<T>(
        &self,
        conn: &Connection,
        now: DateTime<Utc>,
        read: impl FnOnce(&Connection, i64) -> Result<Vec<T>>,
    ) -> Result<(Vec<T>, bool)> {
        let table = self.table;
        if !self.enabled {
            let any = exists(conn, &format!("SELECT EXISTS (SELECT 1 FROM {table})"), [])?;
            return Ok((Vec::new(), any));
        }
        let Some(cut) = self.cutoff(now) else {
            return Ok((read(conn, i64::MIN)?, false));
        };
        let expired = exists(
            conn,
            &format!(
                "SELECT EXISTS (SELECT 1 FROM {table} WHERE {} < ?1)",
                self.time_column
            ),
            [cut],
        )?;
        Ok((read(conn, cut)?, expired))
    }

    /// Deletes what the rule says to forget as of `now`. Returns how many rows went.
    fn enforce(&self, conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
        let table = self.table;
        if !self.enabled {
            return conn.execute(&format!("DELETE FROM {table}"), []).db();
        }
        match self.cutoff(now) {
            None => Ok(0),
            Some(cut) => conn
                .execute(
                    &format!("DELETE FROM {table} WHERE {} < ?1", self.time_column),
                    [cut],
                )
                .db(),
        }
    }
}

/// Runs a `SELECT EXISTS (…)` query.
fn exists(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<bool> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row(params, |r| r.get(0)))
        .db()
}

/// Applies the privacy rules: no history or recent searches while off, none older than
/// the retention. Returns how many rows were deleted.
pub(crate) fn enforce_privacy(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    let s = read_settings(conn)?;
    Ok(Rule::history(&s).enforce(conn, now)? + Rule::recent_searches(&s).enforce(conn, now)?)
}

impl Store {
    /// Applies the privacy rules as of `now`, through the writer.
    pub(super) fn forget_expired(&self, now: DateTime<Utc>) -> Result<()> {
        self.write(Durability::Normal, |tx, scrub| {
            *scrub = enforce_privacy(tx, now)? > 0;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc;
    use std::time::Duration as StdDuration;

    use super::*;
    use crate::store::testing::{count_rows, days_ago, open};

    #[test]
    fn history_and_searches_are_off_by_default_and_deleted_when_turned_off() {
        let (_dir, store) = open();
        assert_eq!(store.settings().unwrap(), Settings::default());
        assert!(!store.record_article_opened("a").unwrap());
        assert!(!store.record_search("consent").unwrap());
        assert!(store.history().unwrap().is_empty());
        assert!(store.recent_searches().unwrap().is_empty());

        let on = Settings {
            history_enabled: true,
            recent_searches_enabled: true,
            ..Settings::default()
        };
        store.set_settings(&on).unwrap();
        assert_eq!(store.settings().unwrap(), on);
        assert!(store.record_article_opened("a").unwrap());
        assert!(store.record_search("  consent  ").unwrap());
        assert!(!store.record_search("   ").unwrap());
        assert_eq!(store.history().unwrap()[0].article_id, "a");
        assert_eq!(store.recent_searches().unwrap()[0].query, "consent");

        store
            .set_settings(&Settings {
                history_enabled: false,
                ..on.clone()
            })
            .unwrap();
        assert!(store.history().unwrap().is_empty());
        assert_eq!(store.recent_searches().unwrap().len(), 1);
        store.set_settings(&Settings::default()).unwrap();
        assert!(store.recent_searches().unwrap().is_empty());
        // Turning history back on does not bring anything back.
        store.set_settings(&on).unwrap();
        assert!(store.history().unwrap().is_empty());
    }

    #[test]
    fn clear_functions_empty_history_and_searches() {
        let (_dir, store) = open();
        store
            .set_settings(&Settings {
                history_enabled: true,
                recent_searches_enabled: true,
                ..Settings::default()
            })
            .unwrap();
        store.record_article_opened("a").unwrap();
        store.record_search("q").unwrap();
        store.clear_history().unwrap();
        store.clear_recent_searches().unwrap();
        assert!(store.history().unwrap().is_empty());
        assert!(store.recent_searches().unwrap().is_empty());
    }

    #[test]
    fn retention_forgets_old_rows_on_record_list_and_open() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap().store;
        store
            .set_settings(&Settings {
                history_enabled: true,
                history_retention_days: Some(7),
                recent_searches_enabled: true,
                recent_searches_retention_days: Some(30),
            })
            .unwrap();
        let backdate = |store: &Store| {
            store.with_writer(|c| {
                c.execute(
                    "INSERT INTO history (article_id, opened_at) VALUES ('old', ?1), ('new', ?2)",
                    [days_ago(8), days_ago(6)],
                )
                .unwrap();
                c.execute(
                    "INSERT INTO recent_searches (query, searched_at) VALUES ('old', ?1), ('new', ?2)",
                    [days_ago(31), days_ago(29)],
                )
                .unwrap();
            })
        };
        backdate(&store);
        let ids: Vec<_> = store
            .history()
            .unwrap()
            .into_iter()
            .map(|h| h.article_id)
            .collect();
        assert_eq!(ids, ["new"]);
        assert_eq!(count_rows(&store, "history"), 1, "deleted on list");
        let queries: Vec<_> = store
            .recent_searches()
            .unwrap()
            .into_iter()
            .map(|s| s.query)
            .collect();
        assert_eq!(queries, ["new"]);
        assert_eq!(count_rows(&store, "recent_searches"), 1, "deleted on list");

        store.clear_history().unwrap();
        store.clear_recent_searches().unwrap();
        backdate(&store);
        drop(store);
        let store = Store::open(dir.path()).unwrap().store;
        assert_eq!(count_rows(&store, "history"), 1, "applied on open");
        assert_eq!(count_rows(&store, "recent_searches"), 1, "applied on open");

        store.with_writer(|c| {
            c.execute(
                "INSERT INTO history (article_id, opened_at) VALUES ('older', ?1)",
                [days_ago(100)],
            )
            .unwrap();
        });
        store.record_article_opened("x").unwrap();
        assert_eq!(count_rows(&store, "history"), 2, "applied on record");
    }

    #[test]
    fn listing_history_and_searches_does_not_wait_for_the_writer() {
        let (_dir, store) = open();
        store
            .set_settings(&Settings {
                history_enabled: true,
                history_retention_days: Some(7),
                recent_searches_enabled: true,
                recent_searches_retention_days: Some(7),
            })
            .unwrap();
        store.record_article_opened("a").unwrap();
        store.record_search("consent").unwrap();
        let store = Arc::new(store);
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let writer = {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                store
                    .write(Durability::Full, |_, _| {
                        started_tx.send(()).unwrap();
                        release_rx.recv().unwrap();
                        Ok(())
                    })
                    .unwrap();
            })
        };
        started_rx.recv().unwrap();
        // The writer is busy until released: the lists must answer without it.
        let (answer_tx, answer_rx) = mpsc::channel();
        let reader = {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                let answer = (store.history(), store.recent_searches());
                answer_tx.send(answer).unwrap();
            })
        };
        let answer = answer_rx.recv_timeout(StdDuration::from_secs(10));
        release_tx.send(()).unwrap();
        writer.join().unwrap();
        reader.join().unwrap();
        let (history, searches) = answer.expect("the lists waited for the writer");
        assert_eq!(history.unwrap()[0].article_id, "a");
        assert_eq!(searches.unwrap()[0].query, "consent");
    }

    #[test]
    fn a_recording_is_listed_at_once() {
        let (_dir, store) = open();
        store
            .set_settings(&Settings {
                history_enabled: true,
                recent_searches_enabled: true,
                ..Settings::default()
            })
            .unwrap();
        // Warm the reader pool, so the lists below reuse a connection opened before the
        // writes: it must still see them.
        assert!(store.history().unwrap().is_empty());
        assert!(store.recent_searches().unwrap().is_empty());
        for i in 0..5 {
            store.record_article_opened(&format!("a{i}")).unwrap();
            assert_eq!(store.history().unwrap().len(), i + 1);
            store.record_search(&format!("q{i}")).unwrap();
            assert_eq!(store.recent_searches().unwrap()[0].query, format!("q{i}"));
        }
    }
}
