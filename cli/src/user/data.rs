//! Where the reader's data lives, and opening the store there: created only by commands
//! that save something.

use std::path::{Path, PathBuf};

use quire_core::store::Store;

use super::args::DataDirArg;
use super::wording::describe_recovery;
use crate::Failure;

/// Environment variable naming the data directory when `--data-dir` is not given.
const DATA_DIR_ENV: &str = "QUIRE_DATA_DIR";

/// `--data-dir`, else `$QUIRE_DATA_DIR`, else the platform's data directory + `quire`.
pub(crate) fn data_dir(arg: &DataDirArg) -> Result<PathBuf, Failure> {
    if let Some(dir) = &arg.data_dir {
        if dir.as_os_str().is_empty() {
            return Err(Failure("--data-dir is empty".into()));
        }
        return Ok(dir.clone());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir().map(|d| d.join("quire")).ok_or_else(|| {
        Failure(format!(
            "cannot tell where to keep your data on this system; pass --data-dir DIR or set \
             {DATA_DIR_ENV}"
        ))
    })
}

/// Makes every file this process creates from now on (the database, its WAL and
/// shared-memory files) readable by the owner only, whatever the directory's permissions:
/// `--data-dir` may name a directory that others can list.
pub(crate) fn owner_only_files() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail and touches
    // no memory. This process runs one command and creates no file others should read.
    unsafe {
        libc::umask(0o077);
    }
}

/// Opens (creating if needed, with an owner-only directory) the store in `dir`, telling
/// the reader on stderr if it had to be repaired.
pub(super) fn open_store(dir: &Path) -> Result<Store, Failure> {
    let opened =
        Store::open(dir).map_err(|e| format!("opening your data in {}: {e}", dir.display()))?;
    if let Some(report) = &opened.recovery {
        eprintln!("quire: {}", describe_recovery(report, dir));
    }
    Ok(opened.store)
}

/// The files of the store in `dir` (none if `dir` does not exist).
pub(super) fn store_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    Store::files(dir).map_err(|e| Failure(format!("reading your data in {}: {e}", dir.display())))
}

/// The store in `dir` if one exists; `None`, creating nothing, if there is none.
pub(super) fn open_existing_store(dir: &Path) -> Result<Option<Store>, Failure> {
    if store_files(dir)?.is_empty() {
        return Ok(None);
    }
    open_store(dir).map(Some)
}
