//! Reading progress: where the reader stopped in each article, and when.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::checks::{check_article_id, check_position};
use super::conn::Durability;
use super::db::{self, SqlResultExt};
use crate::Result;

/// Where the reader stopped in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The corpus' stable article id.
    pub article_id: String,
    /// Position as a fraction of the article, `0.0..=1.0`, kept to nine decimal places.
    pub position: f64,
    /// When the position was last set (UTC).
    pub last_opened: DateTime<Utc>,
}

/// Where in an article's blocks a position is, and what identifies them, so the place
/// can be found again after the article changes (see `crate::reader::position`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionAnchor {
    /// Index of the block.
    pub block: u32,
    /// Characters into the block.
    pub offset: u32,
    /// CRC-32 of the block's text.
    pub block_crc: u32,
    /// CRC-32 of the article's blocks.
    pub article_crc: u32,
}

impl Store {
    /// Records where the reader is in an article (`position` in `0.0..=1.0`, kept to nine
    /// decimal places), with now as `last_opened`. Committed with `synchronous = NORMAL`
    /// (see the module docs).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for NaN or a position
    /// outside `0.0..=1.0`, or a bad id.
    pub fn set_progress(&self, article_id: &str, position: f64) -> Result<Progress> {
        check_article_id(article_id)?;
        check_position(position)?;
        let position = quantize_position(position);
        let now = db::now();
        self.write(Durability::Normal, |tx, _| {
            tx.prepare_cached(
                "INSERT INTO progress (article_id, position, last_opened) VALUES (?1, ?2, ?3)
                 ON CONFLICT (article_id) DO UPDATE
                 SET position = excluded.position, last_opened = excluded.last_opened,
                     anchor_block = NULL, anchor_offset = NULL, anchor_block_crc = NULL,
                     anchor_article_crc = NULL",
            )
            .and_then(|mut s| s.execute(params![article_id, position, db::micros(now)]))
            .db()?;
            Ok(Progress {
                article_id: article_id.to_owned(),
                position,
                last_opened: now,
            })
        })
    }

    /// Records a position with its anchor (see [`PositionAnchor`]); otherwise as
    /// [`Store::set_progress`].
    pub fn set_anchored_progress(
        &self,
        article_id: &str,
        position: f64,
        anchor: PositionAnchor,
    ) -> Result<Progress> {
        check_article_id(article_id)?;
        check_position(position)?;
        let position = quantize_position(position);
        let now = db::now();
        self.write(Durability::Normal, |tx, _| {
            tx.prepare_cached(
                "INSERT INTO progress (article_id, position, last_opened, anchor_block,
                                       anchor_offset, anchor_block_crc, anchor_article_crc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (article_id) DO UPDATE
                 SET position = excluded.position, last_opened = excluded.last_opened,
                     anchor_block = excluded.anchor_block,
                     anchor_offset = excluded.anchor_offset,
                     anchor_block_crc = excluded.anchor_block_crc,
                     anchor_article_crc = excluded.anchor_article_crc",
            )
            .and_then(|mut s| {
                s.execute(params![
                    article_id,
                    position,
                    db::micros(now),
                    anchor.block,
                    anchor.offset,
                    anchor.block_crc,
                    anchor.article_crc
                ])
            })
            .db()?;
            Ok(Progress {
                article_id: article_id.to_owned(),
                position,
                last_opened: now,
            })
        })
    }

    /// The progress of an article with its anchor, when one was recorded.
    pub fn anchored_progress(
        &self,
        article_id: &str,
    ) -> Result<Option<(Progress, Option<PositionAnchor>)>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT article_id, position, last_opened, anchor_block, anchor_offset,
                        anchor_block_crc, anchor_article_crc
                 FROM progress WHERE article_id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([article_id], |r| {
                    let anchor = match (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?) {
                        (Some(block), Some(offset), Some(block_crc), Some(article_crc)) => {
                            Some(PositionAnchor {
                                block,
                                offset,
                                block_crc,
                                article_crc,
                            })
                        }
                        _ => None,
                    };
                    Ok((progress_row(r)?, anchor))
                })
                .optional()
            })
            .db()
        })
    }

    /// Where the reader stopped in an article, if recorded.
    pub fn progress(&self, article_id: &str) -> Result<Option<Progress>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT article_id, position, last_opened FROM progress WHERE article_id = ?1",
            )
            .and_then(|mut s| s.query_row([article_id], progress_row).optional())
            .db()
        })
    }

    /// Every progress row, most recently opened first.
    pub fn all_progress(&self) -> Result<Vec<Progress>> {
        self.read(read_all_progress)
    }

    /// Forgets the progress of one article. Returns whether there was any.
    pub fn remove_progress(&self, article_id: &str) -> Result<bool> {
        self.write(Durability::Full, |tx, scrub| {
            let n = tx
                .execute("DELETE FROM progress WHERE article_id = ?1", [article_id])
                .db()?;
            *scrub = n > 0;
            Ok(n > 0)
        })
    }
}

/// Every progress row, most recently opened first (ties by article id).
pub(super) fn read_all_progress(conn: &Connection) -> Result<Vec<Progress>> {
    conn.prepare_cached(
        "SELECT article_id, position, last_opened FROM progress
         ORDER BY last_opened DESC, article_id",
    )
    .and_then(|mut s| s.query_map([], progress_row)?.collect())
    .db()
}

fn progress_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Progress> {
    Ok(Progress {
        article_id: r.get(0)?,
        position: r.get(1)?,
        last_opened: db::time_column(r, 2)?,
    })
}

/// Positions are kept to nine decimal places (far finer than a character of any article).
/// A number with at most nine decimals is parsed back exactly by every JSON parser,
/// including serde_json's fast default one, so positions survive export and import bit
/// for bit.
pub(crate) fn quantize_position(position: f64) -> f64 {
    (position * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use std::time::Duration as StdDuration;

    use crate::store::testing::open;

    #[test]
    fn progress_is_set_read_listed_and_removed() {
        let (_dir, store) = open();
        store.set_progress("a", 0.0).unwrap();
        std::thread::sleep(StdDuration::from_millis(2));
        let b = store.set_progress("b", 1.0).unwrap();
        std::thread::sleep(StdDuration::from_millis(2));
        let a = store.set_progress("a", 0.25).unwrap();
        assert_eq!(store.progress("a").unwrap(), Some(a.clone()));
        assert_eq!(store.all_progress().unwrap(), vec![a, b]);
        assert!(store.remove_progress("a").unwrap());
        assert_eq!(store.progress("a").unwrap(), None);
    }
}
