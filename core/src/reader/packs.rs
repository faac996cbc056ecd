//! Content packs from the app: listing them, checking a pack file before asking the
//! reader, installing, updating and removing, each refused while the lock screen shows.

use std::io::Read;

use super::open::{Reader, locked};
use crate::Result;
use crate::pack::{DamagedPack, InstallOptions, Installed, PackOffer, PackSummary};

impl Reader {
    /// Every pack: the built-in articles first, then the installed packs by id.
    pub fn packs(&self) -> Result<Vec<PackSummary>> {
        self.check_unlocked()?;
        Ok(self.library().packs())
    }

    /// Installed pack files that did not open (damaged since they were installed); they
    /// are left out of search until removed or installed again.
    pub fn damaged_packs(&self) -> Result<Vec<DamagedPack>> {
        self.check_unlocked()?;
        Ok(self.library().damaged().to_vec())
    }

    /// Checks a pack file completely (every checksum and the signature) and says what
    /// installing it would do: name, version, publisher fingerprint, whether it is
    /// trusted and what version is installed. Changes nothing; show it, then call
    /// [`Reader::install_pack`] with the reader's answer.
    pub fn inspect_pack(&self, source: &mut dyn Read) -> Result<PackOffer> {
        self.check_unlocked()?;
        let _one = locked(&self.installing);
        self.library().inspect(source)
    }

    /// Installs or updates a pack from `source` (see [`crate::pack::Library::install`]):
    /// all of it checked before any of it is visible; search sees it when this returns.
    /// Bookmarks, progress and history of its articles (kept from an earlier version, or
    /// from before a removal) apply again.
    pub fn install_pack(
        &self,
        source: &mut dyn Read,
        options: &InstallOptions,
    ) -> Result<Installed> {
        self.check_unlocked()?;
        let _one = locked(&self.installing);
        let installed = self.library().install(source, options)?;
        self.reload_library()?;
        Ok(installed)
    }

    /// Removes installed pack `id`. Its bookmarks, progress and history are kept and
    /// shown as unavailable until it is installed again.
    pub fn remove_pack(&self, id: &str) -> Result<()> {
        self.check_unlocked()?;
        let _one = locked(&self.installing);
        self.library().remove(id)?;
        self.reload_library()
    }
}
