//! Settings: the core's own ([`Settings`], kept under reserved `quire.` keys) and the
//! shells' (any other key, as text), all in the `settings` table.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::checks::{check_setting_key, check_settings};
use super::conn::Durability;
use super::db::{self, SqlResultExt};
use super::privacy::enforce_privacy;
use super::schema::{
    KEY_HISTORY_ENABLED, KEY_HISTORY_RETENTION, KEY_SEARCHES_ENABLED, KEY_SEARCHES_RETENTION,
    RESERVED_PREFIX,
};
use crate::Result;

/// The settings the core itself acts on. Everything is off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Record which articles are opened. Off by default; turning it off deletes the
    /// history.
    pub history_enabled: bool,
    /// Forget history entries older than this many days (at least 1); `None` keeps them
    /// until cleared.
    pub history_retention_days: Option<u32>,
    /// Record searches. Off by default; turning it off deletes the recent searches.
    pub recent_searches_enabled: bool,
    /// Forget recent searches older than this many days (at least 1); `None` keeps them
    /// until cleared.
    pub recent_searches_retention_days: Option<u32>,
}

impl Store {
    /// The core's settings.
    pub fn settings(&self) -> Result<Settings> {
        self.read(read_settings)
    }

    /// Replaces the core's settings, durably. Turning history or recent searches off
    /// deletes what was recorded, without a trace; a shorter retention applies at once.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for a retention of 0 days
    /// (turn the feature off instead).
    pub fn set_settings(&self, settings: &Settings) -> Result<()> {
        check_settings(settings)?;
        self.write(Durability::Full, |tx, scrub| {
            write_settings(tx, settings)?;
            *scrub = enforce_privacy(tx, db::now())? > 0;
            Ok(())
        })
    }

    /// A setting of the core's own, under the reserved `quire.` prefix (the reader's
    /// options). Not for the shells: they use [`Store::setting`].
    pub(crate) fn internal_setting(&self, key: &str) -> Result<Option<String>> {
        debug_assert!(key.starts_with(RESERVED_PREFIX));
        self.read(|conn| {
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .db()
        })
    }

    /// Sets a setting of the core's own, durably (see [`Store::internal_setting`]).
    pub(crate) fn set_internal_setting(&self, key: &str, value: &str) -> Result<()> {
        debug_assert!(key.starts_with(RESERVED_PREFIX));
        self.write(Durability::Full, |tx, _| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .db()?;
            Ok(())
        })
    }

    /// A shell's own setting (theme, cover titles…), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        check_setting_key(key)?;
        self.read(|conn| {
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .db()
        })
    }

    /// Sets a shell's own setting, durably. Keys starting with `quire.` are reserved.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an empty, overlong or
    /// reserved key.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        check_setting_key(key)?;
        self.write(Durability::Full, |tx, scrub| {
            let old: Option<String> = tx
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()
                .db()?;
            *scrub = old.is_some_and(|old| old != value);
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .db()?;
            Ok(())
        })
    }

    /// Removes a shell's own setting. Returns whether it was set.
    pub fn remove_setting(&self, key: &str) -> Result<bool> {
        check_setting_key(key)?;
        self.write(Durability::Full, |tx, scrub| {
            let n = tx
                .execute("DELETE FROM settings WHERE key = ?1", [key])
                .db()?;
            *scrub = n > 0;
            Ok(n > 0)
        })
    }

    /// Every shell setting (the `quire.` keys of [`Settings`] excluded), by key.
    pub fn custom_settings(&self) -> Result<BTreeMap<String, String>> {
        self.read(read_custom_settings)
    }
}

/// The core's settings as stored; a missing or unreadable value is the default.
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

/// Stores the core's settings (a retention of `None` removes its key).
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

/// Every shell setting, by key.
pub(crate) fn read_custom_settings(conn: &Connection) -> Result<BTreeMap<String, String>> {
    conn.prepare_cached("SELECT key, value FROM settings WHERE key NOT LIKE 'quire.%' ORDER BY key")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .db()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::store::testing::open;

    #[test]
    fn retention_of_zero_days_is_refused() {
        let (_dir, store) = open();
        let bad = Settings {
            history_enabled: true,
            history_retention_days: Some(0),
            ..Settings::default()
        };
        assert!(matches!(
            store.set_settings(&bad),
            Err(Error::InvalidArgument(_))
        ));
        // A huge retention is fine (no overflow).
        store
            .set_settings(&Settings {
                history_enabled: true,
                history_retention_days: Some(u32::MAX),
                ..Settings::default()
            })
            .unwrap();
        assert!(store.record_article_opened("a").unwrap());
        assert_eq!(store.history().unwrap().len(), 1);
    }

    #[test]
    fn shell_settings_round_trip_and_reserved_keys_are_refused() {
        let (_dir, store) = open();
        assert_eq!(store.setting("theme").unwrap(), None);
        store.set_setting("theme", "dark").unwrap();
        store.set_setting("cover_titles", "on").unwrap();
        store.set_setting("theme", "light").unwrap();
        assert_eq!(store.setting("theme").unwrap().as_deref(), Some("light"));
        store
            .set_settings(&Settings {
                history_enabled: true,
                ..Settings::default()
            })
            .unwrap();
        let all = store.custom_settings().unwrap();
        assert_eq!(all.len(), 2, "typed settings are not listed: {all:?}");
        assert!(store.remove_setting("theme").unwrap());
        assert!(!store.remove_setting("theme").unwrap());
        for bad in ["", "quire.history_enabled", "quire.anything"] {
            assert!(matches!(
                store.set_setting(bad, "1"),
                Err(Error::InvalidArgument(_))
            ));
        }
    }
}
