//! The store's connections: one writer behind a mutex, and a pool of read-only readers that
//! never wait for it.

use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::Store;
use super::db::{self, SqlResultExt};
use crate::{Error, Result};

/// Idle reader connections kept open for reuse.
const MAX_IDLE_READERS: usize = 4;

/// The open connections of a store.
pub(super) struct Inner {
    // Declared before the writer so they close first: the last connection to close
    // checkpoints the WAL and removes it, which only the writer can do.
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Writer>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner").finish_non_exhaustive()
    }
}

impl Inner {
    /// Takes `writer`, opened and configured by [`Store::open`], as the one writer; readers
    /// are opened on demand.
    pub(super) fn new(writer: Connection) -> Inner {
        Inner {
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(Writer {
                conn: writer,
                durability: Durability::Full,
            }),
        }
    }

    /// Closes every connection: the readers, then the writer once it has moved everything
    /// into the main file and emptied the WAL.
    pub(super) fn close(self) {
        let Inner { readers, writer } = self;
        drop(readers);
        let writer = writer.into_inner().unwrap_or_else(PoisonError::into_inner);
        let _ = db::checkpoint_truncate(&writer.conn);
        drop(writer);
    }
}

struct Writer {
    conn: Connection,
    durability: Durability,
}

/// How a write is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Durability {
    /// `synchronous = FULL`: on disk when the call returns.
    Full,
    /// `synchronous = NORMAL`: survives the process dying; may be lost with power.
    Normal,
}

impl Writer {
    fn set_durability(&mut self, d: Durability) -> Result<()> {
        if self.durability != d {
            let value = match d {
                Durability::Full => "FULL",
                Durability::Normal => "NORMAL",
            };
            self.conn.pragma_update(None, "synchronous", value).db()?;
            self.durability = d;
        }
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock rolled its transaction back (rusqlite's Transaction
    // rolls back on drop), so the connection is still consistent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The error of every call on a wiped store.
fn wiped() -> Error {
    Error::Storage("the store has been wiped; open it again to start afresh".into())
}

impl Store {
    /// Runs `f` in an immediate transaction on the writer and commits it with the given
    /// durability. `f` sets its `bool` when it deleted or overwrote the reader's data; the
    /// WAL is then checkpointed and truncated after the commit.
    pub(super) fn write<T>(
        &self,
        durability: Durability,
        f: impl FnOnce(&Transaction<'_>, &mut bool) -> Result<T>,
    ) -> Result<T> {
        let guard = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let inner = guard.as_ref().ok_or_else(wiped)?;
        let mut writer = lock(&inner.writer);
        writer.set_durability(durability)?;
        let mut scrub = false;
        let tx = writer
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let out = f(&tx, &mut scrub)?;
        tx.commit().db()?;
        if scrub {
            // The deletion is committed; if a reader holds the checkpoint back, the next
            // scrub or closing the store finishes it.
            let _ = db::checkpoint_truncate(&writer.conn);
        }
        Ok(out)
    }

    /// Runs `f` on a reader connection (pooled; opened on demand). A reader sees every
    /// write committed before `f` starts reading, and never waits for a write in progress.
    pub(super) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let guard = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let inner = guard.as_ref().ok_or_else(wiped)?;
        let pooled = lock(&inner.readers).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => db::open_reader(&self.path)?,
        };
        let out = f(&conn);
        let mut pool = lock(&inner.readers);
        if pool.len() < MAX_IDLE_READERS {
            pool.push(conn);
        }
        out
    }

    /// [`Store::read`] in one read transaction: every query of `f` sees the same snapshot.
    pub(super) fn read_snapshot<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.read(|conn| {
            let tx = conn.unchecked_transaction().db()?;
            let out = f(&tx)?;
            tx.finish().db()?;
            Ok(out)
        })
    }

    /// Test hook: runs `f` on the writer connection.
    #[cfg(test)]
    pub(super) fn with_writer<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        let guard = self.inner.read().unwrap();
        let inner = guard.as_ref().unwrap();
        let writer = lock(&inner.writer);
        f(&writer.conn)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::testing::open;

    #[test]
    fn store_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Store>();
    }

    #[test]
    fn readers_do_not_wait_for_the_writer() {
        let (_dir, store) = open();
        store.add_bookmark("before", None, None).unwrap();
        let store = Arc::new(store);
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let writer = {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                store
                    .write(Durability::Full, |tx, _| {
                        tx.execute(
                            "INSERT INTO bookmarks (article_id, created_at) VALUES ('during', 0)",
                            [],
                        )
                        .db()?;
                        started_tx.send(()).unwrap();
                        release_rx.recv().unwrap();
                        Ok(())
                    })
                    .unwrap();
            })
        };
        started_rx.recv().unwrap();
        // The writer holds its lock and an open write transaction; reads still answer, with
        // the last committed state.
        let ids: Vec<_> = store
            .bookmarks()
            .unwrap()
            .into_iter()
            .map(|b| b.article_id)
            .collect();
        assert_eq!(ids, ["before"]);
        release_tx.send(()).unwrap();
        writer.join().unwrap();
        assert_eq!(store.bookmarks().unwrap().len(), 2);
    }
}
