//! The thesaurus: the reader's plain words mapped to the words the articles use.
//!
//! It is written with the articles, as `thesaurus.txt` in the corpus directory, and
//! compiled into the bundle's optional `thesaurus` section. Search adds the expansions
//! of a typed word to it, at a lower weight than the word itself, and marks them in
//! snippets and in the article view like any other match. The format (also in
//! `docs/bundle-format.md`):
//!
//! ```text
//! # A comment. Blank lines are skipped.
//! # A group: words or short phrases (up to 4 words) that mean the same thing. Each one
//! # typed also searches all the others.
//! withdraw, revoke, take back
//! # A one-way expansion: what is typed on the left also searches what is on the right,
//! # not the other way round.
//! coercion, coerced => pressure, pushed, talked into
//! ```
//!
//! Entries are analysed like the articles (lowercase, accents folded, stemmed), so
//! "revoking" finds the entry "revoke".

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Analyzers;
use crate::{Error, Result};

/// The file of a corpus directory holding its thesaurus.
pub const THESAURUS_FILE: &str = "thesaurus.txt";
/// Most words in one entry of the thesaurus.
pub const MAX_ENTRY_WORDS: usize = 4;
/// Most expansions of one entry.
pub const MAX_EXPANSIONS: usize = 24;
/// Most lines of a thesaurus file.
pub const MAX_LINES: usize = 10_000;

/// A compiled thesaurus: stemmed entry → the stemmed entries it also searches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thesaurus {
    /// Number of groups and one-way lines it was written with.
    lines: usize,
    /// Entries, by their stems.
    entries: BTreeMap<Vec<String>, Vec<Vec<String>>>,
}

impl Thesaurus {
    /// Compiles the text of a thesaurus file (`file` names it in errors). A malformed
    /// line is an [`Error::Corpus`] naming the line.
    pub fn parse(text: &str, file: &Path, analyzers: &mut Analyzers) -> Result<Thesaurus> {
        let err = |line: usize, message: String| Error::Corpus {
            file: file.to_path_buf(),
            line: Some(line),
            message,
        };
        let mut out = Thesaurus::default();
        for (n, line) in text.lines().enumerate() {
            let n = n + 1;
            if n > MAX_LINES {
                return Err(err(n, format!("a thesaurus has at most {MAX_LINES} lines")));
            }
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut entries = |part: &str| -> Result<Vec<Vec<String>>> {
                let mut found: Vec<Vec<String>> = Vec::new();
                for entry in part.split(',').map(str::trim) {
                    let stems = analyzers.stems(entry);
                    if stems.is_empty() {
                        return Err(err(n, format!("`{entry}` has no word to search")));
                    }
                    if stems.len() > MAX_ENTRY_WORDS {
                        return Err(err(
                            n,
                            format!("`{entry}` has more than {MAX_ENTRY_WORDS} words"),
                        ));
                    }
                    if !found.contains(&stems) {
                        found.push(stems);
                    }
                }
                Ok(found)
            };
            let pairs: Vec<(Vec<String>, Vec<Vec<String>>)> = match line.split_once("=>") {
                Some((_, right)) if right.contains("=>") => {
                    return Err(err(n, "a line has at most one `=>`".into()));
                }
                Some((left, right)) => {
                    let right = entries(right)?;
                    entries(left)?
                        .into_iter()
                        .map(|key| (key, right.clone()))
                        .collect()
                }
                None => {
                    let group = entries(line)?;
                    if group.len() < 2 {
                        return Err(err(
                            n,
                            "a group needs two or more entries, separated by commas".into(),
                        ));
                    }
                    group
                        .iter()
                        .map(|key| (key.clone(), group.clone()))
                        .collect()
                }
            };
            for (key, expansions) in pairs {
                let known = out.entries.entry(key.clone()).or_default();
                for e in expansions {
                    if e != key && !known.contains(&e) {
                        known.push(e);
                    }
                }
                if known.len() > MAX_EXPANSIONS {
                    return Err(err(
                        n,
                        format!(
                            "`{}` has more than {MAX_EXPANSIONS} expansions",
                            key.join(" ")
                        ),
                    ));
                }
            }
            out.lines += 1;
        }
        out.entries.retain(|_, e| !e.is_empty());
        Ok(out)
    }

    /// Reads the thesaurus of a corpus directory: `None` when it has no
    /// [`THESAURUS_FILE`].
    pub fn load_dir(dir: &Path, analyzers: &mut Analyzers) -> Result<Option<Thesaurus>> {
        let path = dir.join(THESAURUS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Thesaurus::parse(&text, &path, analyzers).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io {
                context: format!("reading {}", path.display()),
                source: e,
            }),
        }
    }

    /// The bytes of the bundle's `thesaurus` section (JSON: `{"lines": N, "entries":
    /// [[stems, [expansion stems…]]…]}`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let stored = Stored {
            lines: self.lines,
            entries: self
                .entries
                .iter()
                .map(|(k, e)| (k.clone(), e.clone()))
                .collect(),
        };
        serde_json::to_vec(&stored).expect("strings and numbers always encode")
    }

    /// Reads a `thesaurus` section; damaged bytes are a typed error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Thesaurus> {
        let stored: Stored = serde_json::from_slice(bytes)
            .map_err(|e| Error::damaged("thesaurus", format!("not a valid thesaurus: {e}")))?;
        let t = Thesaurus {
            lines: stored.lines,
            entries: stored.entries.into_iter().collect(),
        };
        let well_formed = t.entries.iter().all(|(k, e)| {
            (1..=MAX_ENTRY_WORDS).contains(&k.len())
                && e.len() <= MAX_EXPANSIONS
                && e.iter().all(|x| (1..=MAX_ENTRY_WORDS).contains(&x.len()))
        });
        if !well_formed {
            return Err(Error::damaged("thesaurus", "an entry is out of bounds"));
        }
        Ok(t)
    }

    /// What the entry `stems` also searches, if it is an entry.
    pub fn expansions(&self, stems: &[String]) -> Option<&[Vec<String>]> {
        self.entries.get(stems).map(Vec::as_slice)
    }

    /// Number of entries (each word or phrase that expands).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when it has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of groups and one-way lines it was written with.
    pub fn lines(&self) -> usize {
        self.lines
    }
}

/// The section's encoding.
#[derive(Serialize, Deserialize)]
struct Stored {
    lines: usize,
    entries: Vec<(Vec<String>, Vec<Vec<String>>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Thesaurus> {
        Thesaurus::parse(text, Path::new("thesaurus.txt"), &mut Analyzers::default())
    }

    fn stems(text: &str) -> Vec<String> {
        Analyzers::default().stems(text)
    }

    #[test]
    fn groups_and_one_way_lines() {
        let t = parse(
            "# comment\n\nwithdraw, revoke, take back\ncoercion, coerced => pressure, talked into\n",
        )
        .unwrap();
        assert_eq!(t.lines(), 2);
        let revoke = t.expansions(&stems("revoking")).unwrap();
        assert!(revoke.contains(&stems("withdraw")));
        assert!(revoke.contains(&stems("take back")));
        assert!(!revoke.contains(&stems("revoke")), "not itself");
        assert!(
            t.expansions(&stems("take back"))
                .unwrap()
                .contains(&stems("revoke"))
        );
        let coerced = t.expansions(&stems("coerced")).unwrap();
        assert_eq!(coerced, [stems("pressure"), stems("talked into")]);
        assert_eq!(t.expansions(&stems("pressure")), None, "one way only");
        let back = Thesaurus::from_bytes(&t.to_bytes()).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        for (text, line, says) in [
            ("ok, fine\nlonely\n", 2, "two or more"),
            ("a => b => c\n", 1, "one `=>`"),
            ("x, , y\n", 1, "no word"),
            ("one two three four five, six\n", 1, "more than 4 words"),
            ("🙂, smile\n", 1, "no word"),
        ] {
            match parse(text) {
                Err(Error::Corpus {
                    line: Some(l),
                    message,
                    ..
                }) => {
                    assert_eq!(l, line, "{text}");
                    assert!(message.contains(says), "{message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn damaged_sections_are_typed_errors() {
        for bytes in [&b"{"[..], b"[]", br#"{"lines":1,"entries":[[[],[["a"]]]]}"#] {
            assert!(matches!(
                Thesaurus::from_bytes(bytes),
                Err(Error::DamagedBundle { .. })
            ));
        }
    }
}
