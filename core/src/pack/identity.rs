//! A pack's identity as its publisher writes it: `pack.toml` beside the articles.
//!
//! ```toml
//! id = "org.example.clinic"
//! name = "Example Clinic: Consent"
//! version = 3
//! language = "en"
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::bundle::format::PackInfo;
use crate::index::Language;
use crate::{Error, Result};

/// Name of the identity file in a pack's source directory.
pub const PACK_TOML: &str = "pack.toml";
/// The pack id of the articles built into the apps; no installed pack may take it.
pub const BUILTIN_PACK_ID: &str = "quire-builtin";
/// Longest pack id, in bytes.
pub const MAX_PACK_ID_LEN: usize = 64;
/// Longest pack name, in bytes.
pub const MAX_PACK_NAME_LEN: usize = 200;

/// What `pack.toml` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackIdentity {
    /// Stable id (see [`check_pack_id`]).
    pub id: String,
    /// Name shown to readers.
    pub name: String,
    /// Version number; updates must raise it.
    pub version: u64,
    /// Language of the articles.
    pub language: Language,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackToml {
    id: String,
    name: String,
    version: u64,
    language: String,
}

impl PackIdentity {
    /// Parses the text of a `pack.toml` (`file` names it in errors).
    pub fn parse(text: &str, file: &Path) -> Result<PackIdentity> {
        let bad = |message: String| Error::Corpus {
            file: file.to_path_buf(),
            line: None,
            message,
        };
        let raw: PackToml = basic_toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        check_pack_id(&raw.id).map_err(|e| bad(e.to_string()))?;
        let name = raw.name.trim().to_string();
        if name.is_empty() || name.len() > MAX_PACK_NAME_LEN || name.chars().any(char::is_control) {
            return Err(bad(format!(
                "`name` must be 1 to {MAX_PACK_NAME_LEN} bytes of text on one line"
            )));
        }
        let language = Language::from_code(&raw.language).ok_or_else(|| {
            let known: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
            bad(format!(
                "unknown language `{}` (known: {})",
                raw.language,
                known.join(", ")
            ))
        })?;
        Ok(PackIdentity {
            id: raw.id,
            name,
            version: raw.version,
            language,
        })
    }

    /// Reads `DIR/pack.toml`, if there is one.
    pub fn load_dir(dir: &Path) -> Result<Option<PackIdentity>> {
        let path = dir.join(PACK_TOML);
        match std::fs::read_to_string(&path) {
            Ok(text) => PackIdentity::parse(&text, &path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    /// The manifest's record of it (the publisher key is added when signing).
    pub fn to_info(&self) -> PackInfo {
        PackInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            version: self.version,
            publisher_key: None,
        }
    }
}

/// A pack id is 1 to [`MAX_PACK_ID_LEN`] bytes of lower-case ASCII letters, digits, `.`
/// and `-`, starting and ending with a letter or digit, with no `..`. It names the pack's
/// file, so it can never be a path.
pub fn check_pack_id(id: &str) -> Result<()> {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = !id.is_empty()
        && id.len() <= MAX_PACK_ID_LEN
        && id.chars().all(|c| alnum(c) || c == '.' || c == '-')
        && id.starts_with(alnum)
        && id.ends_with(alnum)
        && !id.contains("..");
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument(format!(
            "pack id `{}` must be 1 to {MAX_PACK_ID_LEN} lower-case letters, digits, `.` or `-`, starting and ending with a letter or digit",
            id.escape_debug()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_toml_parses_and_bad_ones_say_why() {
        let file = Path::new("pack.toml");
        let id = PackIdentity::parse(
            "id = \"org.example.clinic\"\nname = \"Clinic\"\nversion = 3\nlanguage = \"es\"\n",
            file,
        )
        .unwrap();
        assert_eq!(id.id, "org.example.clinic");
        assert_eq!((id.version, id.language), (3, Language::Spanish));
        for (text, why) in [
            ("id = \"x\"\nname = \"n\"\nversion = 1\n", "language"),
            (
                "id = \"X/../y\"\nname = \"n\"\nversion = 1\nlanguage = \"en\"",
                "pack id",
            ),
            (
                "id = \"a\"\nname = \"n\"\nversion = -1\nlanguage = \"en\"",
                "version",
            ),
            (
                "id = \"a\"\nname = \"n\"\nversion = 1\nlanguage = \"xx\"",
                "unknown language",
            ),
            (
                "id = \"a\"\nname = \"\"\nversion = 1\nlanguage = \"en\"",
                "name",
            ),
            (
                "id = \"a\"\nname = \"n\"\nversion = 1\nlanguage = \"en\"\nextra = 1",
                "extra",
            ),
        ] {
            let e = PackIdentity::parse(text, file).unwrap_err().to_string();
            assert!(
                e.starts_with("pack.toml: ") && e.contains(why),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn pack_ids_are_never_paths() {
        for good in ["a", "org.example.clinic", "quire-builtin", "x1-2.y"] {
            check_pack_id(good).unwrap();
        }
        let long = "a".repeat(MAX_PACK_ID_LEN + 1);
        for bad in [
            "", ".", "..", "a..b", "../x", "a/b", "A", "a.", "-a", "a b", "é", &long,
        ] {
            assert!(check_pack_id(bad).is_err(), "{bad}");
        }
    }
}
