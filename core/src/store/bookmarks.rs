//! Bookmarks: an article id, when it was bookmarked, and the reader's note and folder.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::checks::check_article_id;
use super::conn::Durability;
use super::db::{self, SqlResultExt};
use crate::Result;

/// A bookmarked article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// The corpus' stable article id (slug).
    pub article_id: String,
    /// When the article was first bookmarked (UTC, microsecond precision).
    pub created_at: DateTime<Utc>,
    /// The reader's note, if any.
    #[serde(default)]
    pub note: Option<String>,
    /// The folder (or tag) the reader filed it under, if any.
    #[serde(default)]
    pub folder: Option<String>,
}

/// A bookmark, with whether its article is missing from the open corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedBookmark {
    /// The bookmark, as stored.
    pub bookmark: Bookmark,
    /// `true` when the article id is not in the corpus (an update removed it). The
    /// bookmark is kept; the shell shows it as unavailable.
    pub missing: bool,
}

impl Store {
    /// Bookmarks an article, durably. Re-adding a bookmarked article replaces its note and
    /// folder with the ones given (`None` clears them) and keeps its original
    /// `created_at`. Empty notes and folders are stored as `None`. Returns the bookmark as
    /// stored.
    ///
    /// The store does not know the corpus: check that the id exists before calling.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for an empty or overlong
    /// id; storage errors.
    pub fn add_bookmark(
        &self,
        article_id: &str,
        note: Option<&str>,
        folder: Option<&str>,
    ) -> Result<Bookmark> {
        check_article_id(article_id)?;
        let note = non_empty(note);
        let folder = non_empty(folder);
        let now = db::now();
        self.write(Durability::Full, |tx, scrub| {
            let old: Option<(Option<String>, Option<String>)> = tx
                .prepare_cached("SELECT note, folder FROM bookmarks WHERE article_id = ?1")
                .and_then(|mut s| {
                    s.query_row([article_id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                })
                .db()?;
            if let Some((old_note, old_folder)) = old {
                // Overwritten text must not linger in the WAL either.
                *scrub = (old_note.is_some() && old_note != note)
                    || (old_folder.is_some() && old_folder != folder);
            }
            let created_at = tx
                .prepare_cached(
                    "INSERT INTO bookmarks (article_id, created_at, note, folder)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (article_id) DO UPDATE
                     SET note = excluded.note, folder = excluded.folder
                     RETURNING created_at",
                )
                .and_then(|mut s| {
                    s.query_row(params![article_id, db::micros(now), note, folder], |r| {
                        db::time_column(r, 0)
                    })
                })
                .db()?;
            Ok(Bookmark {
                article_id: article_id.to_owned(),
                created_at,
                note,
                folder,
            })
        })
    }

    /// Puts back a bookmark exactly as it was (its date, note and folder), durably: the
    /// "undo" of [`Store::remove_bookmark`]. An existing bookmark of the same article is
    /// replaced.
    pub fn restore_bookmark(&self, bookmark: &Bookmark) -> Result<()> {
        check_article_id(&bookmark.article_id)?;
        let note = non_empty(bookmark.note.as_deref());
        let folder = non_empty(bookmark.folder.as_deref());
        self.write(Durability::Full, |tx, scrub| {
            let old: Option<(Option<String>, Option<String>)> = tx
                .prepare_cached("SELECT note, folder FROM bookmarks WHERE article_id = ?1")
                .and_then(|mut s| {
                    s.query_row([&bookmark.article_id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                })
                .db()?;
            *scrub = old.is_some_and(|(n, f)| n != note || f != folder);
            tx.prepare_cached(
                "INSERT INTO bookmarks (article_id, created_at, note, folder)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (article_id) DO UPDATE
                 SET created_at = excluded.created_at, note = excluded.note,
                     folder = excluded.folder",
            )
            .and_then(|mut s| {
                s.execute(params![
                    bookmark.article_id,
                    db::micros(bookmark.created_at),
                    note,
                    folder
                ])
            })
            .db()?;
            Ok(())
        })
    }

    /// Removes a bookmark, durably and without a trace. Returns whether it existed.
    pub fn remove_bookmark(&self, article_id: &str) -> Result<bool> {
        self.write(Durability::Full, |tx, scrub| {
            let n = tx
                .execute("DELETE FROM bookmarks WHERE article_id = ?1", [article_id])
                .db()?;
            *scrub = n > 0;
            Ok(n > 0)
        })
    }

    /// One bookmark, if the article is bookmarked.
    pub fn bookmark(&self, article_id: &str) -> Result<Option<Bookmark>> {
        self.read(|conn| {
            conn.prepare_cached(
                "SELECT article_id, created_at, note, folder FROM bookmarks WHERE article_id = ?1",
            )
            .and_then(|mut s| s.query_row([article_id], bookmark_row).optional())
            .db()
        })
    }

    /// Every bookmark, newest first (ties by article id).
    pub fn bookmarks(&self) -> Result<Vec<Bookmark>> {
        self.read(read_bookmarks)
    }

    /// Every bookmark, newest first, each flagged `missing` when `exists` says its article
    /// is not in the corpus. Never drops a bookmark.
    pub fn bookmarks_flagged(&self, exists: impl Fn(&str) -> bool) -> Result<Vec<FlaggedBookmark>> {
        Ok(self
            .bookmarks()?
            .into_iter()
            .map(|bookmark| FlaggedBookmark {
                missing: !exists(&bookmark.article_id),
                bookmark,
            })
            .collect())
    }
}

/// Every bookmark, newest first (ties by article id).
pub(super) fn read_bookmarks(conn: &Connection) -> Result<Vec<Bookmark>> {
    conn.prepare_cached(
        "SELECT article_id, created_at, note, folder FROM bookmarks
         ORDER BY created_at DESC, article_id",
    )
    .and_then(|mut s| s.query_map([], bookmark_row)?.collect())
    .db()
}

fn bookmark_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Bookmark> {
    Ok(Bookmark {
        article_id: r.get(0)?,
        created_at: db::time_column(r, 1)?,
        note: r.get(2)?,
        folder: r.get(3)?,
    })
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use std::time::Duration as StdDuration;

    use crate::store::testing::open;

    #[test]
    fn re_adding_a_bookmark_updates_note_and_folder_and_keeps_created_at() {
        let (_dir, store) = open();
        let first = store
            .add_bookmark("a", Some("first"), Some("later"))
            .unwrap();
        std::thread::sleep(StdDuration::from_millis(2));
        let again = store.add_bookmark("a", Some("second"), None).unwrap();
        assert_eq!(again.created_at, first.created_at);
        assert_eq!(again.note.as_deref(), Some("second"));
        assert_eq!(again.folder, None);
        assert_eq!(store.bookmark("a").unwrap(), Some(again));
        // Empty strings are no note.
        assert_eq!(
            store.add_bookmark("a", Some(""), Some("")).unwrap().note,
            None
        );
    }

    #[test]
    fn bookmarks_are_listed_newest_first_and_removed_once() {
        let (_dir, store) = open();
        for id in ["a", "b", "c"] {
            store.add_bookmark(id, None, None).unwrap();
            std::thread::sleep(StdDuration::from_millis(2));
        }
        let ids: Vec<_> = store
            .bookmarks()
            .unwrap()
            .into_iter()
            .map(|b| b.article_id)
            .collect();
        assert_eq!(ids, ["c", "b", "a"]);
        assert!(store.remove_bookmark("b").unwrap());
        assert!(!store.remove_bookmark("b").unwrap());
        assert_eq!(store.bookmark("b").unwrap(), None);
        assert_eq!(store.bookmarks().unwrap().len(), 2);
    }

    #[test]
    fn flagged_bookmarks_keep_missing_articles() {
        let (_dir, store) = open();
        store.add_bookmark("kept", None, None).unwrap();
        store.add_bookmark("gone", Some("note"), None).unwrap();
        let flagged = store.bookmarks_flagged(|id| id == "kept").unwrap();
        assert_eq!(flagged.len(), 2);
        for f in &flagged {
            assert_eq!(f.missing, f.bookmark.article_id == "gone");
        }
    }
}
