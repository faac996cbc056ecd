//! The app lock's calls on the [`Reader`]: set, change and remove the PIN, unlock, and
//! the app's lifecycle reports that decide when the lock screen shows.

use chrono::{DateTime, Utc};

use super::lock::{self, LockRecord, PinCheck};
use super::open::{Reader, locked};
use super::types::{LockOptions, LockStatus};
use crate::{Error, Result};

impl Reader {
    /// The lock as the lock and settings screens show it. Cheap.
    pub fn lock_status(&self) -> Result<LockStatus> {
        self.lock_status_at(Utc::now())
    }

    #[doc(hidden)]
    pub fn lock_status_at(&self, now: DateTime<Utc>) -> Result<LockStatus> {
        let record = self.store_unchecked().lock_record()?;
        let session = locked(&self.lock);
        Ok(LockStatus {
            pin_set: record.pin_hash.is_some(),
            locked: session.locked && record.pin_hash.is_some(),
            retry_after_ms: lock::millis(lock::retry_after(&record, now)),
            failed_attempts: record.failed_attempts,
            erase_after: record.erase_after,
            relock_after_secs: record.relock_after_secs,
            device_auth: record.device_auth,
        })
    }

    /// Sets the PIN or passphrase (4 to 128 characters, any script). Changing an
    /// existing one needs it as `current`; a wrong `current` counts as a wrong attempt.
    /// Only an Argon2id hash with a fresh random salt is stored. The reader stays
    /// unlocked.
    pub fn set_pin(&self, current: Option<&str>, new: &str) -> Result<()> {
        lock::check_new_pin(new)?;
        self.with_current_pin(current, Utc::now(), |record| {
            record.pin_hash = Some(lock::hash_pin(new)?);
            record.failed_attempts = 0;
            record.last_failure = None;
            Ok(())
        })
    }

    /// Removes the PIN (and the lock's options with it); needs the current one.
    pub fn remove_pin(&self, current: &str) -> Result<()> {
        self.with_current_pin(Some(current), Utc::now(), |record| {
            *record = LockRecord::default();
            Ok(())
        })?;
        locked(&self.lock).locked = false;
        Ok(())
    }

    /// Changes the lock's options (erase after N wrong attempts, the delay before it
    /// locks again, device authentication); needs the current PIN.
    pub fn set_lock_options(&self, current: &str, options: LockOptions) -> Result<()> {
        lock::check_erase_after(options.erase_after)?;
        self.with_current_pin(Some(current), Utc::now(), |record| {
            record.erase_after = options.erase_after;
            record.relock_after_secs = options.relock_after_secs;
            record.device_auth = options.device_auth;
            Ok(())
        })
    }

    /// Runs `change` on the lock record when `current` is the PIN (or no PIN is set and
    /// `current` is `None`), and stores the result. A wrong PIN is a wrong attempt:
    /// [`Error::WrongPin`], with the back-off and the erase as for unlocking.
    fn with_current_pin(
        &self,
        current: Option<&str>,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut LockRecord) -> Result<()>,
    ) -> Result<()> {
        let guard = locked(&self.lock);
        let store = self.store_unchecked();
        let mut record = store.lock_record()?;
        if let Some(hash) = &record.pin_hash {
            let wait = lock::retry_after(&record, now);
            if !wait.is_zero() {
                return Err(Error::WrongPin {
                    retry_after_ms: lock::millis(wait),
                });
            }
            let right = current.is_some_and(|pin| lock::pin_matches(hash, pin));
            if !right {
                let (next, erase) = lock::after_wrong(&record, now);
                if erase {
                    drop(guard);
                    self.erase_all()?;
                    return Err(Error::WrongPin { retry_after_ms: 0 });
                }
                store.set_lock_record(&next)?;
                return Err(Error::WrongPin {
                    retry_after_ms: lock::millis(lock::retry_after(&next, now)),
                });
            }
        }
        change(&mut record)?;
        store.set_lock_record(&record)
    }

    /// An unlock attempt from the lock screen.
    pub fn unlock(&self, pin: &str) -> Result<PinCheck> {
        self.unlock_at(pin, Utc::now())
    }

    #[doc(hidden)]
    pub fn unlock_at(&self, pin: &str, now: DateTime<Utc>) -> Result<PinCheck> {
        let mut session = locked(&self.lock);
        let store = self.store_unchecked();
        let record = store.lock_record()?;
        let Some(hash) = record.pin_hash.clone() else {
            session.locked = false;
            return Ok(PinCheck::NoPin);
        };
        let wait = lock::retry_after(&record, now);
        if !wait.is_zero() {
            return Ok(PinCheck::TooSoon {
                retry_after_ms: lock::millis(wait),
            });
        }
        if lock::pin_matches(&hash, pin) {
            if record.failed_attempts > 0 {
                store.set_lock_record(&LockRecord {
                    failed_attempts: 0,
                    last_failure: None,
                    ..record
                })?;
            }
            session.locked = false;
            return Ok(PinCheck::Unlocked);
        }
        let (next, erase) = lock::after_wrong(&record, now);
        if erase {
            drop(session);
            self.erase_all()?;
            return Ok(PinCheck::Erased);
        }
        store.set_lock_record(&next)?;
        Ok(PinCheck::Wrong {
            retry_after_ms: lock::millis(lock::retry_after(&next, now)),
            attempts_before_erase: next.erase_after.map(|n| n - next.failed_attempts),
        })
    }

    /// Unlocks after the shell's own device authentication succeeded (Android's
    /// `BiometricPrompt`, iOS's `LocalAuthentication`). Returns false, and stays
    /// locked, unless the reader allowed it in the lock's options.
    pub fn unlock_with_device_auth(&self) -> Result<bool> {
        let record = self.store_unchecked().lock_record()?;
        let mut session = locked(&self.lock);
        if record.pin_hash.is_some() && !record.device_auth {
            return Ok(false);
        }
        session.locked = false;
        Ok(true)
    }

    /// Locks now (a "lock" button), when a PIN is set.
    pub fn lock_now(&self) -> Result<()> {
        let record = self.store_unchecked().lock_record()?;
        locked(&self.lock).locked = record.pin_hash.is_some();
        Ok(())
    }

    /// The app went to the background (Android `onStop`, iOS scene phase `background`).
    pub fn app_backgrounded(&self) {
        self.app_backgrounded_at(Utc::now());
    }

    #[doc(hidden)]
    pub fn app_backgrounded_at(&self, at: DateTime<Utc>) {
        locked(&self.lock).backgrounded(at);
    }

    /// The app is in the foreground again (Android `onStart`, iOS `active`): returns
    /// whether the lock screen must show (a PIN is set, and the app was away at least
    /// the chosen delay, or was locked already).
    pub fn app_foregrounded(&self) -> Result<bool> {
        self.app_foregrounded_at(Utc::now())
    }

    #[doc(hidden)]
    pub fn app_foregrounded_at(&self, at: DateTime<Utc>) -> Result<bool> {
        let record = self.store_unchecked().lock_record()?;
        Ok(locked(&self.lock).foregrounded(&record, at))
    }
}
