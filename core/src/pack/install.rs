//! Installing, updating and removing packs in a [`Library`]'s directory, with the
//! reader's consent to each publisher (see `library.rs` for the files on disk).

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::identity::{BUILTIN_PACK_ID, check_pack_id};
use super::library::{Library, PACK_EXT, PACKS_DIR, PARTIAL_EXT, PackSummary, summary};
use crate::bundle::signature::PublisherKey;
use crate::bundle::{Bundle, SignatureCheck};
use crate::{Error, Result};

/// The file of accepted publisher keys, inside [`PACKS_DIR`].
pub const TRUST_FILE: &str = "trusted-publishers";
/// Largest pack accepted, in bytes.
pub const MAX_PACK_BYTES: u64 = 4 << 30;
/// Publisher keys trusted without asking: Quire's own. (Its secret half is kept off
/// this repository by whoever signs Quire's packs.)
pub const BUILTIN_PUBLISHER_KEYS: &[&str] =
    &["1c60d4832d8e62a93bf8a0309a11c1dcf8ef98c2a9dc61ead94ff0047aa709a4"];

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

impl Library {
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
    fn the_builtin_publisher_keys_are_ed25519_keys() {
        for k in BUILTIN_PUBLISHER_KEYS {
            let key = PublisherKey::parse(k).unwrap();
            assert!(ed25519_dalek::VerifyingKey::from_bytes(key.as_bytes()).is_ok());
        }
    }
}
