//! The [`Library`]: the built-in bundle and every installed pack, opened together,
//! and searched as one (`install.rs` installs, updates and removes packs).
//!
//! On disk, in the reader's data directory:
//!
//! ```text
//! packs/<id>.quire              one file per installed pack, named by its pack id
//! packs/trusted-publishers      the publisher keys the reader accepted, one a line
//! packs/.incoming-….partial     a pack being copied in (never opened; removed at open)
//! ```
//!
//! A pack becomes visible only by the rename of its fully copied, synced and verified
//! file onto `<id>.quire`, followed by a sync of the directory; removing it is one
//! unlink and a sync. So a process killed at any point leaves the old state or the new
//! one: the old file, the new file, or none, each complete.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::identity::BUILTIN_PACK_ID;
use crate::bundle::Bundle;
use crate::bundle::signature::PublisherKey;
use crate::index::Language;
use crate::search::{self, SearchOptions, SearchResults, TitleSuggestion};
use crate::{Error, Result};

/// The directory of installed packs, inside the reader's data directory.
pub const PACKS_DIR: &str = "packs";
/// Extension of an installed pack's file.
pub(super) const PACK_EXT: &str = "quire";
/// Extension of a pack being copied in.
pub(super) const PARTIAL_EXT: &str = "partial";

/// Where an article is: its pack and its id in that pack. Written as one string, the
/// article reference the apps and the reader's data use: the id alone for the built-in
/// articles (so data kept before packs existed needs no rewrite), `pack-id/article-id`
/// for a pack's. Neither kind of id can hold a `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleRef<'a> {
    /// The pack id.
    pub pack: &'a str,
    /// The article id within the pack.
    pub id: &'a str,
}

impl<'a> ArticleRef<'a> {
    /// Reads an article reference.
    pub fn parse(reference: &'a str) -> ArticleRef<'a> {
        match reference.split_once('/') {
            Some((pack, id)) => ArticleRef { pack, id },
            None => ArticleRef {
                pack: BUILTIN_PACK_ID,
                id: reference,
            },
        }
    }

    /// The reference of article `id` of pack `pack`.
    pub fn format(pack: &str, id: &str) -> String {
        if pack == BUILTIN_PACK_ID {
            id.to_string()
        } else {
            format!("{pack}/{id}")
        }
    }
}

/// What the library says about one pack (the built-in one included).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackSummary {
    /// Pack id ([`BUILTIN_PACK_ID`] for the built-in articles).
    pub id: String,
    /// Name to show.
    pub name: String,
    /// Version (0 for the built-in articles, which ship with the app).
    pub version: u64,
    /// Language of its articles.
    pub language: Language,
    /// Number of articles.
    pub articles: u64,
    /// Size of the file, in bytes.
    pub bytes: u64,
    /// The publisher key's fingerprint, for a signed pack.
    pub publisher: Option<String>,
    /// True for the built-in articles (never removed).
    pub builtin: bool,
}

/// A file in the packs directory that did not open: listed, never searched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DamagedPack {
    /// The pack id its file name gives.
    pub id: String,
    /// Why it did not open.
    pub error: String,
}

/// The built-in articles and every installed pack. Immutable: installing or removing
/// returns what changed, and [`Library::reload`] opens the new state.
#[derive(Debug)]
pub struct Library {
    pub(super) builtin: Arc<Bundle>,
    pub(super) packs: Vec<Arc<Bundle>>,
    pub(super) damaged: Vec<DamagedPack>,
    /// The packs directory, when there is a data directory.
    pub(super) dir: Option<PathBuf>,
}

impl Library {
    /// The built-in articles alone, with nowhere to install packs.
    pub fn builtin_only(builtin: Arc<Bundle>) -> Library {
        Library {
            builtin,
            packs: Vec::new(),
            damaged: Vec::new(),
            dir: None,
        }
    }

    /// Opens the built-in bundle and the packs installed in `data_dir`'s `packs/` (none
    /// when it does not exist; nothing is created). Leftovers of an interrupted install
    /// are removed; a pack file that does not open is listed in [`Library::damaged`].
    pub fn open(builtin: Arc<Bundle>, data_dir: &Path) -> Result<Library> {
        let dir = data_dir.join(PACKS_DIR);
        let mut packs = Vec::new();
        let mut damaged = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => Some(entries),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
        };
        for entry in entries.into_iter().flatten() {
            let entry = entry.map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name.ends_with(&format!(".{PARTIAL_EXT}")) {
                // Half-copied by an install that never finished: never opened.
                let _ = fs::remove_file(&path);
                continue;
            }
            let Some(id) = name.strip_suffix(&format!(".{PACK_EXT}")) else {
                continue;
            };
            match open_installed(&path, id) {
                Ok(bundle) => packs.push(Arc::new(bundle)),
                Err(e) => damaged.push(DamagedPack {
                    id: id.to_string(),
                    error: e.to_string(),
                }),
            }
        }
        packs.sort_by(|a: &Arc<Bundle>, b| a.pack_id().cmp(b.pack_id()));
        damaged.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Library {
            builtin,
            packs,
            damaged,
            dir: Some(dir),
        })
    }

    /// The library as it is on disk now (after an install or removal).
    pub fn reload(&self) -> Result<Library> {
        match &self.dir {
            Some(dir) => Library::open(self.builtin.clone(), dir.parent().unwrap_or(dir)),
            None => Ok(Library::builtin_only(self.builtin.clone())),
        }
    }

    /// The built-in bundle.
    pub fn builtin(&self) -> &Arc<Bundle> {
        &self.builtin
    }

    /// Every pack, the built-in one first, then the installed ones by id.
    pub fn packs(&self) -> Vec<PackSummary> {
        std::iter::once(summary(&self.builtin, true))
            .chain(self.packs.iter().map(|b| summary(b, false)))
            .collect()
    }

    /// The name of pack `id`, when it is installed (or built in).
    pub fn pack_name(&self, id: &str) -> Option<String> {
        self.bundle(id).map(|b| name_of(b, id == BUILTIN_PACK_ID))
    }

    /// Pack files that did not open.
    pub fn damaged(&self) -> &[DamagedPack] {
        &self.damaged
    }

    /// The bundle of pack `id` ([`BUILTIN_PACK_ID`] for the built-in one).
    pub fn bundle(&self, id: &str) -> Option<&Arc<Bundle>> {
        if id == BUILTIN_PACK_ID {
            return Some(&self.builtin);
        }
        self.packs
            .binary_search_by(|b| b.pack_id().cmp(id))
            .ok()
            .map(|i| &self.packs[i])
    }

    /// The bundle holding the article `reference` names, and its id there. An
    /// uninstalled pack or a missing article is [`Error::ArticleNotFound`].
    pub fn resolve<'r>(&self, reference: &'r str) -> Result<(&Arc<Bundle>, ArticleRef<'r>)> {
        let r = ArticleRef::parse(reference);
        match self.bundle(r.pack) {
            Some(b) if b.contains(r.id)? => Ok((b, r)),
            _ => Err(Error::ArticleNotFound(reference.to_string())),
        }
    }

    /// The searched bundles with their pack ids: all, or only those `packs` names
    /// (unknown ids are ignored; an empty list means all).
    fn selected(&self, packs: &[String]) -> Vec<(&str, &Bundle)> {
        std::iter::once((BUILTIN_PACK_ID, self.builtin.as_ref()))
            .chain(self.packs.iter().map(|b| (b.pack_id(), b.as_ref())))
            .filter(|(id, _)| packs.is_empty() || packs.iter().any(|p| p == id))
            .collect()
    }

    /// Searches every pack (or those `packs` names) as one: one ranked list, each hit's
    /// `id` an article reference and its `pack` the pack id (see
    /// [`search::search_all`]).
    pub fn search(
        &self,
        text: &str,
        options: &SearchOptions,
        packs: &[String],
    ) -> Result<SearchResults> {
        let selected = self.selected(packs);
        if selected.is_empty() {
            return Ok(SearchResults::empty(text));
        }
        let mut results = search::search_all(&selected, text, options)?;
        for hit in &mut results.hits {
            hit.id = ArticleRef::format(&hit.pack, &hit.id);
        }
        Ok(results)
    }

    /// Title suggestions from every pack (or those `packs` names), best first, with
    /// article references for ids.
    pub fn suggest_titles(
        &self,
        text: &str,
        limit: usize,
        packs: &[String],
    ) -> Result<Vec<TitleSuggestion>> {
        let selected = self.selected(packs);
        let mut out = search::suggest_all(&selected, text, limit)?;
        for t in &mut out {
            t.id = ArticleRef::format(&t.pack, &t.id);
        }
        Ok(out)
    }
}

fn open_installed(path: &Path, id: &str) -> Result<Bundle> {
    let bundle = Bundle::open(path)?;
    match bundle.pack() {
        Some(p) if p.id == id => Ok(bundle),
        _ => Err(Error::NotAPack(format!(
            "{} does not hold pack `{id}`",
            path.display()
        ))),
    }
}

/// The name shown for bundle `b`.
fn name_of(b: &Bundle, builtin: bool) -> String {
    match b.pack() {
        Some(p) => p.name.clone(),
        None if builtin => "Built-in articles".to_string(),
        None => b.manifest().corpus.id.clone(),
    }
}

/// What the library says of bundle `b`.
pub(super) fn summary(b: &Bundle, builtin: bool) -> PackSummary {
    let pack = b.pack();
    PackSummary {
        id: if builtin {
            BUILTIN_PACK_ID.to_string()
        } else {
            b.pack_id().to_string()
        },
        name: name_of(b, builtin),
        version: pack.map_or(0, |p| p.version),
        language: b.language(),
        articles: b.len() as u64,
        bytes: b.size(),
        publisher: pack
            .and_then(|p| p.publisher_key.as_deref())
            .and_then(|k| PublisherKey::parse(k).ok())
            .map(|k| k.fingerprint()),
        builtin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_pack_and_bare_ids_the_builtin_articles() {
        assert_eq!(
            ArticleRef::parse("org.x/consent"),
            ArticleRef {
                pack: "org.x",
                id: "consent"
            }
        );
        assert_eq!(ArticleRef::parse("consent").pack, BUILTIN_PACK_ID);
        assert_eq!(ArticleRef::format(BUILTIN_PACK_ID, "consent"), "consent");
        assert_eq!(ArticleRef::format("org.x", "consent"), "org.x/consent");
        for r in ["consent", "org.x/consent"] {
            let p = ArticleRef::parse(r);
            assert_eq!(ArticleRef::format(p.pack, p.id), r);
        }
    }
}
