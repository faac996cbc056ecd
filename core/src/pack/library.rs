//! The [`Library`]: the built-in bundle and every installed pack, opened together,
//! with installing, updating and removing packs.
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

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::identity::{BUILTIN_PACK_ID, check_pack_id};
use crate::bundle::signature::PublisherKey;
use crate::bundle::{Bundle, SignatureCheck};
use crate::index::Language;
use crate::search::{self, SearchOptions, SearchResults, TitleSuggestion};
use crate::{Error, Result};

/// The directory of installed packs, inside the reader's data directory.
pub const PACKS_DIR: &str = "packs";
/// The file of accepted publisher keys, inside [`PACKS_DIR`].
pub const TRUST_FILE: &str = "trusted-publishers";
/// Largest pack accepted, in bytes.
pub const MAX_PACK_BYTES: u64 = 4 << 30;
/// Publisher keys trusted without asking: Quire's own. (Its secret half is kept off
/// this repository by whoever signs Quire's packs.)
pub const BUILTIN_PUBLISHER_KEYS: &[&str] =
    &["1c60d4832d8e62a93bf8a0309a11c1dcf8ef98c2a9dc61ead94ff0047aa709a4"];

const PACK_EXT: &str = "quire";
const PARTIAL_EXT: &str = "partial";

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

/// What the reader allows an install to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InstallOptions {
    /// Accept the pack's publisher key (after showing its fingerprint).
    pub trust_publisher: bool,
    /// Install a pack no publisher signed ("install anyway").
    pub allow_unsigned: bool,
    /// Replace an installed pack by a lower version.
    pub allow_downgrade: bool,
}

/// A pack file, checked, and what installing it would do: what the app shows before
/// asking.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackOffer {
    /// The pack.
    pub pack: PackSummary,
    /// The publisher's key (64 hex digits), for a signed pack.
    pub publisher_key: Option<String>,
    /// True when its publisher is trusted already (or it is unsigned: see `pack.publisher`).
    pub trusted: bool,
    /// The version installed now, if this pack id is installed.
    pub installed_version: Option<u64>,
}

/// What an install did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Installed {
    /// The pack as installed.
    pub pack: PackSummary,
    /// The version it replaced, if any.
    pub previous_version: Option<u64>,
    /// True when its publisher key was accepted by this install.
    pub trusted_now: bool,
}

/// The built-in articles and every installed pack. Immutable: installing or removing
/// returns what changed, and [`Library::reload`] opens the new state.
#[derive(Debug)]
pub struct Library {
    builtin: Arc<Bundle>,
    packs: Vec<Arc<Bundle>>,
    damaged: Vec<DamagedPack>,
    dir: Option<PathBuf>,
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
        let builtin = id == BUILTIN_PACK_ID;
        self.bundle(id).map(|b| summary(b, builtin).name)
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

    /// Checks a pack file completely (every checksum, the signature) and says what
    /// installing it would do, changing nothing: what the app shows before asking.
    pub fn inspect(&self, source: &mut dyn Read) -> Result<PackOffer> {
        let staged = self.stage(source)?;
        self.offer(&staged)
    }

    /// Installs a pack read from `source` (a file, or a descriptor the app received):
    /// copied in, fully checked, and made visible at once, or refused with a typed error
    /// and nothing changed. See [`InstallOptions`] for what needs the reader's consent.
    /// Call [`Library::reload`] afterwards to search it.
    pub fn install(&self, source: &mut dyn Read, options: &InstallOptions) -> Result<Installed> {
        let staged = self.stage(source)?;
        let offer = self.offer(&staged)?;
        let id = offer.pack.id.clone();
        match offer.installed_version {
            Some(installed) if offer.pack.version < installed && !options.allow_downgrade => {
                return Err(Error::PackDowngrade {
                    id,
                    installed,
                    offered: offer.pack.version,
                });
            }
            _ => {}
        }
        let trusted_now = match (&offer.publisher_key, offer.trusted) {
            (None, _) if !options.allow_unsigned => return Err(Error::UnsignedPack { id }),
            (Some(_), false) if !options.trust_publisher => {
                return Err(Error::UntrustedPublisher {
                    id,
                    name: offer.pack.name,
                    fingerprint: offer.pack.publisher.unwrap_or_default(),
                });
            }
            (Some(key), false) => {
                self.trust(&PublisherKey::parse(key)?, &offer.pack.name)?;
                true
            }
            _ => false,
        };
        let dir = self.packs_dir()?;
        let path = staged.commit();
        let target = dir.join(format!("{id}.{PACK_EXT}"));
        fs::rename(&path, &target).map_err(|e| {
            let _ = fs::remove_file(&path);
            Error::io(format!("installing {}", target.display()), e)
        })?;
        sync_dir(dir)?;
        Ok(Installed {
            pack: offer.pack,
            previous_version: offer.installed_version,
            trusted_now,
        })
    }

    /// Removes installed pack `id`. Its articles' bookmarks, progress and history stay
    /// in the reader's data (shown as unavailable until the pack comes back). The
    /// built-in articles cannot be removed. Call [`Library::reload`] afterwards.
    pub fn remove(&self, id: &str) -> Result<()> {
        if id == BUILTIN_PACK_ID {
            return Err(Error::PackConflict(
                "the built-in articles are always present".into(),
            ));
        }
        let known = self.bundle(id).is_some() || self.damaged.iter().any(|d| d.id == id);
        if check_pack_id(id).is_err() || !known {
            return Err(Error::PackNotFound(id.to_string()));
        }
        let dir = self.packs_dir()?;
        let path = dir.join(format!("{id}.{PACK_EXT}"));
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::PackNotFound(id.to_string()));
            }
            Err(e) => return Err(Error::io(format!("removing {}", path.display()), e)),
        }
        sync_dir(dir)
    }

    /// The publisher keys the reader accepted (not the built-in ones), with the name
    /// of the pack each was accepted for.
    pub fn trusted_publishers(&self) -> Result<Vec<(PublisherKey, String)>> {
        let Some(dir) = &self.dir else {
            return Ok(Vec::new());
        };
        let text = match fs::read_to_string(dir.join(TRUST_FILE)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("reading the trusted publishers", e)),
        };
        // A line that does not parse trusts nobody.
        Ok(text
            .lines()
            .filter_map(|line| {
                let (key, name) = line.split_once(' ').unwrap_or((line, ""));
                Some((PublisherKey::parse(key).ok()?, name.to_string()))
            })
            .collect())
    }

    fn is_trusted(&self, key: &PublisherKey) -> Result<bool> {
        let builtin = BUILTIN_PUBLISHER_KEYS
            .iter()
            .any(|k| PublisherKey::parse(k).is_ok_and(|k| &k == key));
        Ok(builtin || self.trusted_publishers()?.iter().any(|(k, _)| k == key))
    }

    /// Adds `key` to the accepted publishers, atomically.
    fn trust(&self, key: &PublisherKey, name: &str) -> Result<()> {
        let mut all = self.trusted_publishers()?;
        if all.iter().any(|(k, _)| k == key) {
            return Ok(());
        }
        all.push((*key, name.replace(['\n', '\r'], " ")));
        let text: String = all.iter().map(|(k, n)| format!("{k} {n}\n")).collect();
        let dir = self.packs_dir()?;
        let tmp = dir.join(format!(".{TRUST_FILE}.{}", temp_suffix()));
        let path = dir.join(TRUST_FILE);
        let written = (|| {
            let mut f = File::create_new(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, &path)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(Error::io("saving the trusted publishers", e));
        }
        sync_dir(dir)
    }

    /// The packs directory, created when missing.
    fn packs_dir(&self) -> Result<&Path> {
        let dir = self.dir.as_deref().ok_or_else(|| {
            Error::InvalidArgument("this library has no data directory to install into".into())
        })?;
        fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        Ok(dir)
    }

    /// Copies `source` into a new partial file of the packs directory and checks all of
    /// it: every checksum, the signature, the pack identity.
    fn stage(&self, source: &mut dyn Read) -> Result<Staged> {
        let dir = self.packs_dir()?;
        let path = dir.join(format!(".incoming-{}.{PARTIAL_EXT}", temp_suffix()));
        let mut staged = Staged {
            path,
            bundle: None,
            check: SignatureCheck::Unsigned,
            keep: false,
        };
        let mut file = File::create_new(&staged.path)
            .map_err(|e| Error::io(format!("creating {}", staged.path.display()), e))?;
        let copied = std::io::copy(&mut source.take(MAX_PACK_BYTES + 1), &mut file)
            .map_err(|e| Error::io("copying the pack", e))?;
        if copied > MAX_PACK_BYTES {
            return Err(Error::InvalidArgument(format!(
                "the pack is larger than {} GiB",
                MAX_PACK_BYTES >> 30
            )));
        }
        file.sync_all()
            .map_err(|e| Error::io(format!("syncing {}", staged.path.display()), e))?;
        drop(file);
        let bundle = Bundle::open(&staged.path)?;
        bundle.verify()?;
        staged.check = bundle.check_signature()?;
        let info = bundle
            .pack()
            .ok_or_else(|| Error::NotAPack("the bundle has no pack identity (pack.toml)".into()))?;
        check_pack_id(&info.id).map_err(|e| Error::NotAPack(e.to_string()))?;
        if info.id == BUILTIN_PACK_ID {
            return Err(Error::PackConflict(format!(
                "`{BUILTIN_PACK_ID}` is the id of the built-in articles"
            )));
        }
        staged.bundle = Some(bundle);
        Ok(staged)
    }

    /// What installing `staged` would do.
    fn offer(&self, staged: &Staged) -> Result<PackOffer> {
        let bundle = staged.bundle.as_ref().expect("staged packs are open");
        let pack = summary(bundle, false);
        let installed = self.bundle(&pack.id);
        let key = match staged.check {
            SignatureCheck::Signed(key) => Some(key),
            SignatureCheck::Unsigned => None,
        };
        if let Some(installed) = installed {
            let installed_key = installed.pack().and_then(|p| p.publisher_key.clone());
            match (&installed_key, &key) {
                (Some(old), Some(new)) if *old != new.to_string() => {
                    return Err(Error::PackConflict(format!(
                        "pack `{}` is installed from another publisher; remove it first",
                        pack.id
                    )));
                }
                (Some(_), None) => {
                    return Err(Error::PackConflict(format!(
                        "pack `{}` is installed signed; an unsigned copy cannot replace it",
                        pack.id
                    )));
                }
                _ => {}
            }
        }
        Ok(PackOffer {
            trusted: match &key {
                Some(k) => self.is_trusted(k)?,
                None => false,
            },
            publisher_key: key.map(|k| k.to_string()),
            installed_version: installed.map(|b| b.pack().map_or(0, |p| p.version)),
            pack,
        })
    }
}

/// A pack copied into the packs directory under a partial name; removed when dropped
/// unless installed.
struct Staged {
    path: PathBuf,
    bundle: Option<Bundle>,
    check: SignatureCheck,
    keep: bool,
}

impl Staged {
    /// Closes the staged bundle and hands its file over to be renamed into place (it is
    /// no longer removed on drop).
    fn commit(mut self) -> PathBuf {
        self.bundle = None;
        self.keep = true;
        self.path.clone()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        self.bundle = None;
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
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

fn summary(b: &Bundle, builtin: bool) -> PackSummary {
    let pack = b.pack();
    PackSummary {
        id: if builtin {
            BUILTIN_PACK_ID.to_string()
        } else {
            b.pack_id().to_string()
        },
        name: pack.map_or_else(
            || {
                if builtin {
                    "Built-in articles".to_string()
                } else {
                    b.manifest().corpus.id.clone()
                }
            },
            |p| p.name.clone(),
        ),
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

/// A name part no other install, in this process or another, uses at the same time.
fn temp_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Makes the directory's entries (a rename, an unlink) durable.
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(format!("syncing {}", dir.display()), e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes every installed pack and the accepted publisher keys from `data_dir` (part
/// of erasing the reader's data: which packs someone installed says what they read).
pub fn wipe(data_dir: &Path) -> Result<()> {
    let dir = data_dir.join(PACKS_DIR);
    match fs::remove_dir_all(&dir) {
        Ok(()) => sync_dir(data_dir),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(format!("removing {}", dir.display()), e)),
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

    #[test]
    fn the_builtin_publisher_keys_are_ed25519_keys() {
        for k in BUILTIN_PUBLISHER_KEYS {
            let key = PublisherKey::parse(k).unwrap();
            assert!(ed25519_dalek::VerifyingKey::from_bytes(key.as_bytes()).is_ok());
        }
    }
}
