//! The app lock: a PIN or passphrase kept only as an Argon2id hash, wrong attempts that
//! back off exponentially (across restarts), an optional erase after N wrong attempts,
//! and the policy of when the lock screen must show.
//!
//! The pieces here are pure: they take the stored [`LockRecord`] and the time, and say
//! what follows. [`crate::reader::Reader`] keeps the record in the user store and the
//! in-memory part (locked or not, when the app went to the background).
//!
//! The PIN itself is never stored, logged, exported or put in an error: only its hash
//! (a PHC string with its own random salt) reaches the database.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

pub use crate::store::LockRecord;
use crate::{Error, Result};

/// Shortest PIN or passphrase accepted, in characters.
pub const MIN_PIN_CHARS: usize = 4;
/// Longest PIN or passphrase accepted, in characters (Unicode scalar values). Longer
/// input is refused rather than cut, so that what the reader typed is what counts.
pub const MAX_PIN_CHARS: usize = 128;
/// Wrong attempts allowed before the first wait.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest wait between two attempts.
pub const MAX_WAIT_SECS: i64 = 15 * 60;
/// Most wrong attempts the erase setting can allow.
pub const MAX_ERASE_AFTER: u32 = 100;
/// Fewest wrong attempts the erase setting can allow.
pub const MIN_ERASE_AFTER: u32 = 3;

/// The answer to an unlock attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum PinCheck {
    /// Right: unlocked.
    Unlocked,
    /// Wrong. `retry_after_ms` is the wait before the next attempt (0: none);
    /// `attempts_before_erase` counts the attempts left when the erase setting is on.
    Wrong {
        /// Milliseconds to wait before the next attempt.
        retry_after_ms: u64,
        /// Attempts left before everything is erased, when that is set.
        attempts_before_erase: Option<u32>,
    },
    /// Too soon after a wrong attempt: not checked, and not counted.
    TooSoon {
        /// Milliseconds still to wait.
        retry_after_ms: u64,
    },
    /// That was the last allowed attempt: every piece of the reader's data has been
    /// wiped, the lock with it.
    Erased,
    /// No PIN is set: nothing to unlock.
    NoPin,
}

/// Checks a PIN or passphrase the reader chose. The error never quotes it.
pub fn check_new_pin(pin: &str) -> Result<()> {
    let chars = pin.chars().count();
    if pin.trim().is_empty() || chars < MIN_PIN_CHARS {
        return Err(Error::InvalidArgument(format!(
            "a PIN needs at least {MIN_PIN_CHARS} characters"
        )));
    }
    if chars > MAX_PIN_CHARS {
        return Err(Error::InvalidArgument(format!(
            "a PIN or passphrase may have at most {MAX_PIN_CHARS} characters"
        )));
    }
    if pin.chars().any(char::is_control) {
        return Err(Error::InvalidArgument(
            "a PIN may not contain control characters".into(),
        ));
    }
    Ok(())
}

/// The Argon2id hash (default parameters: 19 MiB, 2 passes) of `pin` with a fresh
/// random salt, as a PHC string.
pub fn hash_pin(pin: &str) -> Result<String> {
    let hash: PasswordHash = Argon2::default()
        .hash_password(pin.as_bytes())
        .map_err(|e| Error::Internal(format!("cannot hash the PIN: {e}")))?;
    Ok(hash.to_string())
}

/// Whether `pin` matches `hash`. The comparison of the hash outputs is constant-time
/// (the `password-hash` crate's); a malformed stored hash matches nothing. An
/// overlong attempt is refused before hashing, so its cost is bounded.
pub fn pin_matches(hash: &str, pin: &str) -> bool {
    if pin.chars().count() > MAX_PIN_CHARS {
        return false;
    }
    Argon2::default()
        .verify_password(pin.as_bytes(), hash)
        .is_ok()
}

/// Wait required after `failed` wrong attempts in a row: none for the first
/// [`FREE_ATTEMPTS`], then 2, 4, 8… seconds, at most [`MAX_WAIT_SECS`].
pub fn wait_after(failed: u32) -> Duration {
    if failed < FREE_ATTEMPTS {
        return Duration::zero();
    }
    let exp = (failed - FREE_ATTEMPTS + 1).min(20);
    Duration::seconds((1i64 << exp).min(MAX_WAIT_SECS))
}

/// Time left before the next attempt may be checked. A last failure in the future (the
/// clock was set back) waits no longer than the full wait from now.
pub fn retry_after(record: &LockRecord, now: DateTime<Utc>) -> Duration {
    let Some(last) = record.last_failure else {
        return Duration::zero();
    };
    let wait = wait_after(record.failed_attempts);
    let left = (last + wait) - now;
    left.clamp(Duration::zero(), wait)
}

/// Milliseconds of a wait, rounded up (a wait of 1.9996 s is not over after 1,999 ms).
pub fn millis(d: Duration) -> u64 {
    match d.num_nanoseconds() {
        Some(ns) => (ns.max(0) as u64).div_ceil(1_000_000),
        None => d.num_milliseconds().max(0) as u64,
    }
}

/// Checks an erase threshold the reader chose.
pub fn check_erase_after(n: Option<u32>) -> Result<()> {
    match n {
        Some(n) if !(MIN_ERASE_AFTER..=MAX_ERASE_AFTER).contains(&n) => {
            Err(Error::InvalidArgument(format!(
                "erase after must be between {MIN_ERASE_AFTER} and {MAX_ERASE_AFTER} attempts"
            )))
        }
        _ => Ok(()),
    }
}

/// What follows from a wrong attempt at `now`: the record to store, and whether the
/// data must now be erased.
pub fn after_wrong(record: &LockRecord, now: DateTime<Utc>) -> (LockRecord, bool) {
    let mut next = record.clone();
    next.failed_attempts = record.failed_attempts.saturating_add(1);
    next.last_failure = Some(now);
    let erase = record
        .erase_after
        .is_some_and(|n| next.failed_attempts >= n);
    (next, erase)
}

/// The lock's state in memory, for one run of the app.
#[derive(Debug, Clone, Default)]
pub struct LockSession {
    /// True while the lock screen must show.
    pub locked: bool,
    /// When the app last went to the background, while it is there.
    pub background_since: Option<DateTime<Utc>>,
}

impl LockSession {
    /// A new run of the app: locked when a PIN is set.
    pub fn start(record: &LockRecord) -> LockSession {
        LockSession {
            locked: record.pin_hash.is_some(),
            background_since: None,
        }
    }

    /// The app went to the background at `at`.
    pub fn backgrounded(&mut self, at: DateTime<Utc>) {
        if self.background_since.is_none() {
            self.background_since = Some(at);
        }
    }

    /// The app came back at `at`: returns whether the lock screen must show. It must
    /// when a PIN is set and the app was away for at least the chosen delay (or a time
    /// that cannot be trusted: `at` before it left).
    pub fn foregrounded(&mut self, record: &LockRecord, at: DateTime<Utc>) -> bool {
        if let Some(since) = self.background_since.take()
            && record.pin_hash.is_some()
        {
            let away = at - since;
            if away < Duration::zero() || away >= Duration::seconds(record.relock_after_secs as i64)
            {
                self.locked = true;
            }
        }
        self.locked && record.pin_hash.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn hash_verifies_only_the_same_pin() {
        let h = hash_pin("2468").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(!h.contains("2468"));
        assert!(pin_matches(&h, "2468"));
        assert!(!pin_matches(&h, "2469"));
        assert!(!pin_matches(&h, ""));
        assert!(!pin_matches("not a hash", "2468"));
        // A fresh salt each time.
        assert_ne!(h, hash_pin("2468").unwrap());
        let p = "пароль с пробелами 🔒";
        assert!(pin_matches(&hash_pin(p).unwrap(), p));
    }

    #[test]
    fn pin_rules_never_quote_the_pin() {
        for bad in ["", "   ", "123", "12\n34"] {
            let e = check_new_pin(bad).unwrap_err().to_string();
            assert!(bad.trim().is_empty() || !e.contains(bad.trim()), "{e}");
        }
        let long = "9".repeat(MAX_PIN_CHARS + 1);
        let e = check_new_pin(&long).unwrap_err().to_string();
        assert!(!e.contains(&long[..10]), "{e}");
        check_new_pin(&"9".repeat(MAX_PIN_CHARS)).unwrap();
        check_new_pin("1234").unwrap();
        assert!(!pin_matches(&hash_pin("1234").unwrap(), &long));
    }

    #[test]
    fn waits_grow_exponentially_and_are_capped() {
        let waits: Vec<i64> = (0..8).map(|n| wait_after(n).num_seconds()).collect();
        assert_eq!(waits, vec![0, 0, 0, 2, 4, 8, 16, 32]);
        assert_eq!(wait_after(40).num_seconds(), MAX_WAIT_SECS);
        assert_eq!(wait_after(u32::MAX).num_seconds(), MAX_WAIT_SECS);
    }

    #[test]
    fn retry_after_counts_down_and_distrusts_a_clock_set_back() {
        let mut r = LockRecord {
            pin_hash: Some("x".into()),
            ..LockRecord::default()
        };
        for i in 0..4 {
            r = after_wrong(&r, t(i)).0;
        }
        assert_eq!(r.failed_attempts, 4);
        assert_eq!(retry_after(&r, t(3)).num_seconds(), 4);
        assert_eq!(retry_after(&r, t(5)).num_seconds(), 2);
        assert_eq!(retry_after(&r, t(60)), Duration::zero());
        // The clock went back an hour: no more than the full wait.
        assert_eq!(retry_after(&r, t(-3600)).num_seconds(), 4);
    }

    #[test]
    fn erase_at_the_chosen_attempt() {
        let mut r = LockRecord {
            pin_hash: Some("x".into()),
            erase_after: Some(3),
            ..LockRecord::default()
        };
        let mut erased = Vec::new();
        for i in 0..3 {
            let (next, erase) = after_wrong(&r, t(i));
            erased.push(erase);
            r = next;
        }
        assert_eq!(erased, vec![false, false, true]);
        assert!(check_erase_after(Some(2)).is_err());
        assert!(check_erase_after(Some(101)).is_err());
        check_erase_after(Some(10)).unwrap();
        check_erase_after(None).unwrap();
    }

    #[test]
    fn lock_policy_follows_the_delay() {
        let mut r = LockRecord {
            pin_hash: Some("x".into()),
            relock_after_secs: 30,
            ..LockRecord::default()
        };
        let mut s = LockSession::start(&r);
        assert!(s.locked, "a cold start with a PIN is locked");
        s.locked = false;
        s.backgrounded(t(0));
        assert!(!s.foregrounded(&r, t(29)), "back within the delay");
        s.backgrounded(t(100));
        assert!(s.foregrounded(&r, t(130)), "away for the whole delay");
        s.locked = false;
        s.backgrounded(t(200));
        assert!(s.foregrounded(&r, t(100)), "a clock that went back locks");
        r.relock_after_secs = 0;
        s.locked = false;
        s.backgrounded(t(300));
        assert!(s.foregrounded(&r, t(300)), "delay 0 locks at once");
        r.pin_hash = None;
        let mut s = LockSession::start(&r);
        s.backgrounded(t(0));
        assert!(!s.foregrounded(&r, t(9999)), "no PIN, no lock");
    }
}
