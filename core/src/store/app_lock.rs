//! The app lock's record: the PIN's hash, the wrong-attempt count and time (so the
//! back-off survives a restart) and the lock's options, in one row of `app_lock`.
//!
//! The record is never exported, never imported, and goes with a wipe. What it means is
//! decided by [`crate::reader::lock`]; the store only keeps it, durably.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::conn::Durability;
use super::db::{self, SqlResultExt};
use crate::Result;

/// What the store keeps of the app lock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockRecord {
    /// The PIN's Argon2id hash as a PHC string; `None` when no PIN is set.
    pub pin_hash: Option<String>,
    /// Wrong attempts since the last right one.
    pub failed_attempts: u32,
    /// When the last wrong attempt was made.
    pub last_failure: Option<DateTime<Utc>>,
    /// Erase all the reader's data at this many wrong attempts in a row; `None`: never.
    pub erase_after: Option<u32>,
    /// Seconds the app may spend in the background before the lock shows again; 0:
    /// at once.
    pub relock_after_secs: u32,
    /// Whether the shell may unlock with the device's own authentication (biometrics
    /// or the device credential) instead of the PIN.
    pub device_auth: bool,
}

impl Store {
    /// The lock's record (the default, unlocked one when none was ever stored).
    pub fn lock_record(&self) -> Result<LockRecord> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT pin_hash, failed_attempts, last_failure, erase_after,
                        relock_after_secs, device_auth
                 FROM app_lock WHERE id = 1",
            )
            .and_then(|mut s| {
                s.query_row([], |r| {
                    Ok(LockRecord {
                        pin_hash: r.get(0)?,
                        failed_attempts: r.get(1)?,
                        last_failure: r
                            .get::<_, Option<i64>>(2)?
                            .and_then(DateTime::from_timestamp_micros),
                        erase_after: r.get(3)?,
                        relock_after_secs: r.get(4)?,
                        device_auth: r.get(5)?,
                    })
                })
                .optional()
            })
            .db()
            .map(Option::unwrap_or_default)
        })
    }

    /// Replaces the lock's record, durably (a wrong attempt counted is on disk before
    /// the caller answers). An old hash that is replaced or removed leaves no trace.
    pub fn set_lock_record(&self, record: &LockRecord) -> Result<()> {
        self.write(Durability::Full, |tx, scrub| {
            let old: Option<Option<String>> = tx
                .query_row("SELECT pin_hash FROM app_lock WHERE id = 1", [], |r| {
                    r.get(0)
                })
                .optional()
                .db()?;
            *scrub = old
                .flatten()
                .is_some_and(|h| Some(&h) != record.pin_hash.as_ref());
            tx.prepare_cached(
                "INSERT INTO app_lock (id, pin_hash, failed_attempts, last_failure, erase_after,
                                       relock_after_secs, device_auth)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET
                   pin_hash = excluded.pin_hash, failed_attempts = excluded.failed_attempts,
                   last_failure = excluded.last_failure, erase_after = excluded.erase_after,
                   relock_after_secs = excluded.relock_after_secs,
                   device_auth = excluded.device_auth",
            )
            .and_then(|mut s| {
                s.execute(params![
                    record.pin_hash,
                    record.failed_attempts,
                    record.last_failure.map(db::micros),
                    record.erase_after,
                    record.relock_after_secs,
                    record.device_auth,
                ])
            })
            .db()?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap().store;
        assert_eq!(store.lock_record().unwrap(), LockRecord::default());
        let record = LockRecord {
            pin_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
            failed_attempts: 4,
            last_failure: DateTime::from_timestamp_micros(1_800_000_000_123_456),
            erase_after: Some(10),
            relock_after_secs: 60,
            device_auth: true,
        };
        store.set_lock_record(&record).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap().store;
        assert_eq!(store.lock_record().unwrap(), record);
        store.set_lock_record(&LockRecord::default()).unwrap();
        assert_eq!(store.lock_record().unwrap(), LockRecord::default());
    }

    #[test]
    fn the_lock_is_not_exported() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap().store;
        store
            .set_lock_record(&LockRecord {
                pin_hash: Some("$argon2id$marker-in-the-hash".into()),
                ..LockRecord::default()
            })
            .unwrap();
        let json = store.export_json().unwrap();
        assert!(!json.contains("marker-in-the-hash"), "{json}");
        assert!(!json.contains("argon2"), "{json}");
    }
}
