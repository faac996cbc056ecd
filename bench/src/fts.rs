//! The SQLite FTS5 side, set up as a careful app developer would: what they would ship
//! instead of a Quire bundle.
//!
//! One FTS5 table holds everything the reader needs, like a bundle: the searched fields
//! (title, headings, summary, plain-text body, tags, tokenized `porter unicode61`), the
//! article id and its Markdown for display (`UNINDEXED`), and a prefix index for two-
//! and three-character prefixes (`prefix='2 3'`). Ranking is `bm25()` with the field
//! weights Quire uses, given as `rank MATCH 'bm25(…)'` and sorted with `ORDER BY rank`,
//! so FTS5 sorts inside the virtual table and computes `snippet()` only for the rows it
//! returns. The snippet is of the body, about as long as Quire's, and its markers are
//! turned into character ranges as Quire returns them. The connection maps the file
//! (`mmap_size`) and keeps an 8 MB page cache.
//!
//! A size variant, [`build_small`], shows what FTS5 can give up to be smaller: no prefix
//! index, `detail=column` (no positions: no phrase queries, no proximity) and
//! `columnsize=0`; it is built and measured for size only.

use std::path::Path;

use quire_core::corpus::{Article, markdown};
use rusqlite::{Connection, OpenFlags, params};

/// The table. Column order matters to `bm25()` weights and `snippet()`.
const SCHEMA: &str = "CREATE VIRTUAL TABLE articles USING fts5(
    id UNINDEXED, title, headings, summary, body, tags, markdown UNINDEXED,
    tokenize = 'porter unicode61', prefix = '2 3')";

/// The size variant: no prefix index, no positions, no column sizes.
const SCHEMA_SMALL: &str = "CREATE VIRTUAL TABLE articles USING fts5(
    id UNINDEXED, title, headings, summary, body, tags, markdown UNINDEXED,
    tokenize = 'porter unicode61', detail = column, columnsize = 0)";

/// Top-k with snippet: bm25 with Quire's weights (title 2, headings 1.5, summary 1.2,
/// body 1, tags 1.5) as the rank function, sorted by FTS5 itself, a snippet of up to 32
/// tokens (about Quire's 200 characters) of the body (column 4) for the returned rows.
const SEARCH: &str = "SELECT id, title, snippet(articles, 4, char(2), char(3), '…', 32), rank
    FROM articles
    WHERE articles MATCH ?1 AND rank MATCH 'bm25(0.0, 2.0, 1.5, 1.2, 1.0, 1.5, 0.0)'
    ORDER BY rank LIMIT ?2";

/// The page cache of the connection, KiB (negative: `cache_size` in KiB).
const CACHE_KIB: i64 = 8 * 1024;
/// The most of the file SQLite maps.
const MMAP_BYTES: i64 = 4 << 30;

/// Builds the FTS5 database at `path` (replacing it) from `articles`, the way a build
/// tool would: one transaction, then `optimize` (one b-tree per index, as a shipped
/// database would be) and `VACUUM` (no free pages). The file is synced before return.
pub fn build(path: &Path, articles: &[Article]) -> rusqlite::Result<()> {
    build_with(path, articles, SCHEMA)
}

/// Builds the size variant (see the module's documentation).
pub fn build_small(path: &Path, articles: &[Article]) -> rusqlite::Result<()> {
    build_with(path, articles, SCHEMA_SMALL)
}

fn build_with(path: &Path, articles: &[Article], schema: &str) -> rusqlite::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    conn.execute_batch(schema)?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO articles (id, title, headings, summary, body, tags, markdown)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for a in articles {
            let plain = markdown::to_plain(&a.body);
            insert.execute(params![
                a.id,
                a.title,
                plain.headings.join("\n"),
                a.summary,
                plain.text,
                a.tags.join(" "),
                a.body,
            ])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("INSERT INTO articles (articles) VALUES ('optimize'); VACUUM;")?;
    drop(conn);
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(())
}

/// One hit, shaped like Quire's.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The snippet without markers.
    pub snippet: String,
    /// Character ranges of the matched words in `snippet`.
    pub highlights: Vec<(u32, u32)>,
    /// bm25 score (lower is better, as FTS5 gives it).
    pub score: f64,
}

/// An open FTS5 database, read-only.
pub struct Fts {
    conn: Connection,
}

impl Fts {
    /// Opens the database read-only, mapped, with an 8 MB page cache.
    pub fn open(path: &Path) -> rusqlite::Result<Fts> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.execute_batch(&format!(
            "PRAGMA mmap_size = {MMAP_BYTES}; PRAGMA cache_size = -{CACHE_KIB};"
        ))?;
        Ok(Fts { conn })
    }

    /// The best `limit` articles for the `MATCH` expression `expr`, with snippets.
    pub fn search(&self, expr: &str, limit: usize) -> rusqlite::Result<Vec<Hit>> {
        let mut stmt = self.conn.prepare_cached(SEARCH)?;
        let rows = stmt.query_map(params![expr, limit as i64], |r| {
            let (snippet, highlights) = unmark(&r.get::<_, String>(2)?);
            Ok(Hit {
                id: r.get(0)?,
                title: r.get(1)?,
                snippet,
                highlights,
                score: r.get(3)?,
            })
        })?;
        rows.collect()
    }
}

/// Removes the `\u{2}`…`\u{3}` markers of `snippet()`, returning the text and the
/// character ranges they enclosed.
fn unmark(marked: &str) -> (String, Vec<(u32, u32)>) {
    let mut text = String::with_capacity(marked.len());
    let mut ranges = Vec::new();
    let mut chars = 0u32;
    let mut open = None;
    for c in marked.chars() {
        match c {
            '\u{2}' => open = Some(chars),
            '\u{3}' => {
                if let Some(start) = open.take() {
                    ranges.push((start, chars));
                }
            }
            c => {
                text.push(c);
                chars += 1;
            }
        }
    }
    (text, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, title: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            source: None,
            published: None,
            tags: vec!["consent".into()],
            summary: "A summary.".into(),
            body: body.into(),
        }
    }

    #[test]
    fn builds_searches_and_marks() {
        let dir = std::env::temp_dir().join(format!("quire-bench-fts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        build(
            &path,
            &[
                article(
                    "a",
                    "Withdrawal of consent",
                    "You can **withdraw** at any time.",
                ),
                article("b", "Something else", "Nothing to see here."),
            ],
        )
        .unwrap();
        let fts = Fts::open(&path).unwrap();
        let hits = fts.search("\"withdrawing\"", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "a");
        assert_eq!(hits[0].snippet, "You can withdraw at any time.");
        assert_eq!(hits[0].highlights, vec![(8, 16)]);
        assert!(fts.search("\"wit\"*", 10).unwrap().len() == 1);
        assert!(fts.search("\"withdrwal\"", 10).unwrap().is_empty());
        let two = fts
            .search("\"you\" AND (\"nothing\" OR \"withdraw\")", 10)
            .unwrap();
        assert_eq!(two.len(), 1);
        assert!(fts.search("\"at any\"", 10).unwrap().len() == 1);
        let small = dir.join("s.db");
        build_small(&small, &[article("a", "T", "Some words here.")]).unwrap();
        assert_eq!(
            Fts::open(&small)
                .unwrap()
                .search("\"word\"", 10)
                .unwrap()
                .len(),
            1
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
