//! The article model and the loader of a corpus directory.
//!
//! A corpus is a directory of `*.md` files, one article each, with front matter:
//!
//! ```text
//! ---
//! id: consent-is-a-process
//! title: "Consent Is A Process"
//! source: "Psychology Today"
//! published: 2025-09-16
//! tags: [consent, communication]
//! summary: "Knowing, saying and hearing what you want, in the moment."
//! ---
//!
//! The body, in Markdown.
//! ```
//!
//! `id` and `title` are required, and the body may not be empty. `id` is a stable slug
//! (`a-z`, `0-9`, `-`, `_`, `.`): bookmarks point at it, so it is never reused.

pub mod frontmatter;
pub mod markdown;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};
use frontmatter::Value;

/// Longest accepted article id, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// One article: metadata and Markdown body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable slug; bookmarks and progress refer to it.
    pub id: String,
    /// The title as shown to readers.
    pub title: String,
    /// Attribution: where the article comes from or was first published.
    pub source: Option<String>,
    /// Publication date, when known.
    pub published: Option<NaiveDate>,
    /// Lowercase tags.
    pub tags: Vec<String>,
    /// One-line summary (may be empty).
    pub summary: String,
    /// The body in Markdown.
    pub body: String,
}

impl Article {
    /// An article with an id, a title and a Markdown body, and nothing else (no source,
    /// date, tags or summary): what tests and tools often need.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        body: impl Into<String>,
    ) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            source: None,
            published: None,
            tags: Vec::new(),
            summary: String::new(),
            body: body.into(),
        }
    }
}

/// Checks that `id` is a valid article id, returning why not.
pub fn check_id(id: &str) -> std::result::Result<(), String> {
    if id.is_empty() {
        return Err("id is empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!("id is longer than {MAX_ID_LEN} bytes"));
    }
    let ok_char =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.');
    if !id.chars().all(ok_char) || !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "id `{id}` must be a slug: lowercase letters, digits, `-`, `_` or `.`, starting with a letter or digit"
        ));
    }
    Ok(())
}

/// Normalises a tag: trimmed, lowercase, inner whitespace as `-`.
pub fn normalize_tag(tag: &str) -> String {
    tag.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

/// Parses one article file's text. `file` is used in error messages only.
pub fn parse_article(file: &Path, text: &str) -> Result<Article> {
    let corpus_err = |line: Option<usize>, message: String| Error::Corpus {
        file: file.to_path_buf(),
        line,
        message,
    };
    let (entries, body, body_line) =
        frontmatter::split(text).map_err(|e| corpus_err(Some(e.line), e.message))?;

    let mut id = None;
    let mut title = None;
    let mut source = None;
    let mut published = None;
    let mut tags = Vec::new();
    let mut summary = String::new();
    for entry in entries {
        let line = Some(entry.line);
        let scalar = |value: Value| match value {
            Value::Scalar(s) => Ok(s),
            Value::List(_) => Err(corpus_err(
                line,
                format!("`{}` must be a single value, not a list", entry.key),
            )),
        };
        match entry.key.as_str() {
            "id" => {
                let value = scalar(entry.value)?;
                check_id(&value).map_err(|m| corpus_err(line, m))?;
                id = Some(value);
            }
            "title" => title = Some(scalar(entry.value)?.trim().to_string()),
            "source" => {
                source = Some(scalar(entry.value)?.trim().to_string()).filter(|s| !s.is_empty())
            }
            "summary" => summary = scalar(entry.value)?.trim().to_string(),
            "published" => {
                let value = scalar(entry.value)?;
                let date = NaiveDate::parse_from_str(&value, "%Y-%m-%d").map_err(|_| {
                    corpus_err(
                        line,
                        format!("`published` must be a date like 2025-09-16, found `{value}`"),
                    )
                })?;
                published = Some(date);
            }
            "tags" => {
                let list = match entry.value {
                    Value::List(items) => items,
                    Value::Scalar(s) if s.is_empty() => Vec::new(),
                    Value::Scalar(s) => vec![s],
                };
                for tag in list {
                    let tag = normalize_tag(&tag);
                    if tag.is_empty() {
                        return Err(corpus_err(line, "empty tag".into()));
                    }
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
            }
            other => {
                return Err(corpus_err(
                    line,
                    format!(
                        "unknown front matter key `{other}` (known: id, title, source, published, tags, summary)"
                    ),
                ));
            }
        }
    }
    let id = id.ok_or_else(|| corpus_err(Some(1), "front matter has no `id`".into()))?;
    let title = title
        .filter(|t| !t.is_empty())
        .ok_or_else(|| corpus_err(Some(1), "missing title".into()))?;
    let body = body.trim();
    if body.is_empty() {
        return Err(corpus_err(
            Some(body_line),
            "the article body is empty".into(),
        ));
    }
    let body = body.replace("\r\n", "\n");
    Ok(Article {
        id,
        title,
        source,
        published,
        tags,
        summary,
        body,
    })
}

/// Reads and parses one article file.
pub fn load_file(path: &Path) -> Result<Article> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Error::Corpus {
            file: path.to_path_buf(),
            line: Some(line),
            message: "not valid UTF-8".into(),
        }
    })?;
    parse_article(path, &text)
}

/// Lists the `*.md` files of a corpus directory, sorted by name.
pub fn article_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("reading corpus directory {}", dir.display()), e))?;
    let mut files = Vec::new();
    for entry in read {
        let entry = entry
            .map_err(|e| Error::io(format!("reading corpus directory {}", dir.display()), e))?;
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "md") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Loads every article of a corpus directory, sorted by file name.
///
/// Errors name the file and line: bad front matter, a missing title, an empty body, or an
/// id used twice (naming both files). A directory with no articles is an error too.
pub fn load_dir(dir: &Path) -> Result<Vec<Article>> {
    load_files(&article_files(dir)?, dir, |_, _| {})
}

/// Loads the given files, calling `progress(done, bytes)` after each one.
pub fn load_files(
    files: &[PathBuf],
    dir: &Path,
    mut progress: impl FnMut(usize, u64),
) -> Result<Vec<Article>> {
    let mut articles = Vec::with_capacity(files.len());
    let mut seen: HashMap<String, PathBuf> = HashMap::with_capacity(files.len());
    for (i, path) in files.iter().enumerate() {
        let article = load_file(path)?;
        if let Some(first) = seen.get(&article.id) {
            return Err(Error::Corpus {
                file: path.clone(),
                line: None,
                message: format!(
                    "duplicate id `{}` (also used by {})",
                    article.id,
                    first.display()
                ),
            });
        }
        let bytes = (article.body.len() + article.title.len() + article.summary.len()) as u64;
        seen.insert(article.id.clone(), path.clone());
        articles.push(article);
        progress(i + 1, bytes);
    }
    if articles.is_empty() {
        return Err(Error::Corpus {
            file: dir.to_path_buf(),
            line: None,
            message: "no `*.md` articles found".into(),
        });
    }
    Ok(articles)
}

/// Checks a list of in-memory articles for duplicate or invalid ids and empty titles or
/// bodies, as [`load_dir`] does for files.
pub fn check_articles(articles: &[Article]) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(articles.len());
    for a in articles {
        let err = |message: String| Error::Corpus {
            file: PathBuf::from(&a.id),
            line: None,
            message,
        };
        check_id(&a.id).map_err(err)?;
        if a.title.trim().is_empty() {
            return Err(err("missing title".into()));
        }
        if a.body.trim().is_empty() {
            return Err(err("the article body is empty".into()));
        }
        if !seen.insert(a.id.as_str()) {
            return Err(err(format!("duplicate id `{}`", a.id)));
        }
    }
    if articles.is_empty() {
        return Err(Error::InvalidArgument(
            "a bundle needs at least one article".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nid: consent-is-a-process\ntitle: \"Consent Is A Process\"\nsource: \"Psychology Today\"\npublished: 2025-09-16\ntags: [Consent, body image]\nsummary: \"Short.\"\n---\n\nBody **text**.\n";

    fn err_of(text: &str) -> (Option<usize>, String) {
        match parse_article(Path::new("corpus/x.md"), text).unwrap_err() {
            Error::Corpus { line, message, .. } => (line, message),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn parses_a_good_article() {
        let a = parse_article(Path::new("x.md"), GOOD).unwrap();
        assert_eq!(a.id, "consent-is-a-process");
        assert_eq!(a.title, "Consent Is A Process");
        assert_eq!(a.source.as_deref(), Some("Psychology Today"));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2025, 9, 16));
        assert_eq!(a.tags, vec!["consent", "body-image"]);
        assert_eq!(a.summary, "Short.");
        assert_eq!(a.body, "Body **text**.");
    }

    #[test]
    fn reports_file_and_line() {
        let e = parse_article(
            Path::new("corpus/x.md"),
            "---\nid: x\ntitle \"t\"\n---\nbody",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "corpus/x.md:3: expected `key: value`, found `title \"t\"`"
        );
        assert_eq!(
            err_of("---\nid: x\n---\nbody"),
            (Some(1), "missing title".into())
        );
        assert_eq!(
            err_of("---\nid: x\ntitle: t\n---\n\n  \n"),
            (Some(5), "the article body is empty".into())
        );
        assert_eq!(err_of("---\nid: Bad Id\ntitle: t\n---\nb").0, Some(2));
        assert_eq!(
            err_of("---\nid: x\ntitle: t\npublished: soon\n---\nb").0,
            Some(4)
        );
        assert_eq!(err_of("---\nid: x\ntitle: t\ntitel: u\n---\nb").0, Some(4));
        assert_eq!(err_of("---\nid: x\ntitle: [a]\n---\nb").0, Some(3));
    }

    #[test]
    fn loads_a_directory_and_rejects_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), GOOD).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let articles = load_dir(dir.path()).unwrap();
        assert_eq!(articles.len(), 1);
        std::fs::write(dir.path().join("b.md"), GOOD).unwrap();
        let e = load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("b.md") && e.contains("duplicate id") && e.contains("a.md"),
            "{e}"
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.md");
        std::fs::write(&path, b"---\nid: x\ntitle: \xff\n---\nb").unwrap();
        let e = load_file(&path).unwrap_err().to_string();
        assert!(e.ends_with("bad.md:3: not valid UTF-8"), "{e}");
    }

    #[test]
    fn empty_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            load_dir(dir.path())
                .unwrap_err()
                .to_string()
                .contains("no `*.md` articles")
        );
    }
}
