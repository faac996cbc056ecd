//! The store's files on disk: their names, the damaged copies set aside during a repair,
//! and removal that overwrites before it unlinks.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Name of the store's SQLite database inside the data directory.
pub const DB_FILE_NAME: &str = "quire-user.sqlite3";

/// Suffixes SQLite adds to a database's name for its companion files.
const COMPANION_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Prefix and suffix of a damaged database set aside while it is salvaged:
/// `quire-user.damaged-<n>.sqlite3`, with its own `-wal`/`-shm`/`-journal`.
const DAMAGED_PREFIX: &str = "quire-user.damaged-";
const DAMAGED_SUFFIX: &str = ".sqlite3";

/// Name a database takes while it is being wiped.
const WIPING_FILE_NAME: &str = "quire-user.wiping.sqlite3";

/// Empty file created and removed at once to tell a read-only directory from other
/// failures to open the database.
const PROBE_FILE_NAME: &str = ".quire-user.probe";

/// The main database path in `dir`.
pub(crate) fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE_NAME)
}

/// A database path plus its companion files, the main file first.
fn with_companions(db: &Path) -> Vec<PathBuf> {
    let mut out = vec![db.to_path_buf()];
    for suffix in COMPANION_SUFFIXES {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        out.push(PathBuf::from(name));
    }
    out
}

/// Damaged databases waiting in `dir` to be salvaged, oldest (lowest number) first.
pub(crate) fn damaged_dbs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found: Vec<(u64, PathBuf)> = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error("listing the data directory", e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| io_error("listing the data directory", e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(n) = damaged_number(name) {
            found.push((n, entry.path()));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, p)| p).collect())
}

/// `Some(n)` when `name` is `quire-user.damaged-<n>.sqlite3` (not a companion file).
fn damaged_number(name: &str) -> Option<u64> {
    let n = name
        .strip_prefix(DAMAGED_PREFIX)?
        .strip_suffix(DAMAGED_SUFFIX)?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// Every file of the store that exists in `dir`: the database and its companions, damaged
/// copies waiting to be salvaged and their companions, the files of an interrupted wipe,
/// and the write probe.
pub(crate) fn store_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut candidates = with_companions(&db_path(dir));
    candidates.extend(with_companions(&dir.join(WIPING_FILE_NAME)));
    for damaged in damaged_dbs(dir)? {
        candidates.extend(with_companions(&damaged));
    }
    candidates.push(dir.join(PROBE_FILE_NAME));
    Ok(candidates
        .into_iter()
        .filter(|p| fs::symlink_metadata(p).is_ok())
        .collect())
}

/// Creates the data directory if needed (owner-only on Unix).
pub(crate) fn ensure_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| io_error("creating the data directory", e))
}

/// Makes sure the database file exists and only its owner can read it: created empty
/// with mode 0600 (SQLite gives its `-wal` and `-shm` files the mode of the database),
/// and tightened to 0600 if an earlier version left it readable by others. Failures to
/// tighten (a read-only file system) are left for SQLite to report.
pub(crate) fn make_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
            }
            Ok(_) => {}
            Err(_) => {
                let _ = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Moves the main database and its companions aside under the next free damaged name, so
/// that a fresh database can take its place and the old one can be salvaged. Renames only:
/// nothing with user data is deleted, and an interrupted move is finished by
/// [`finish_set_aside`] at the next open.
pub(crate) fn set_aside(dir: &Path) -> Result<PathBuf> {
    let next = damaged_dbs(dir)?
        .iter()
        .filter_map(|p| damaged_number(p.file_name()?.to_str()?))
        .max()
        .map_or(1, |n| n + 1);
    let target = dir.join(format!("{DAMAGED_PREFIX}{next}{DAMAGED_SUFFIX}"));
    // The main file first: once it has moved, any companion left behind is an orphan that
    // `finish_set_aside` attaches to this set.
    rename_if_exists(&db_path(dir), &target)?;
    move_companions(dir, &target)?;
    sync_dir(dir);
    Ok(target)
}

/// Finishes a set-aside interrupted between moving the main file and moving its
/// companions. SQLite never leaves a `-wal` or `-journal` without its database, so such
/// orphans belong to the newest damaged copy; if there is none, they belong to nothing and
/// must not be replayed into a fresh database, so they are removed.
pub(crate) fn finish_set_aside(dir: &Path) -> Result<()> {
    let main = db_path(dir);
    if main.exists() {
        return Ok(());
    }
    let companions = with_companions(&main);
    if !companions[1..].iter().any(|p| p.exists()) {
        return Ok(());
    }
    match damaged_dbs(dir)?.pop() {
        Some(newest) => move_companions(dir, &newest)?,
        None => {
            for orphan in &companions[1..] {
                secure_remove(orphan)?;
            }
        }
    }
    sync_dir(dir);
    Ok(())
}

fn move_companions(dir: &Path, target: &Path) -> Result<()> {
    let from = with_companions(&db_path(dir));
    let to = with_companions(target);
    for (src, dst) in from.iter().zip(&to).skip(1) {
        if src.as_os_str().to_string_lossy().ends_with("-shm") {
            // The shared-memory index holds no user data and is rebuilt from the WAL.
            remove_if_exists(src)?;
        } else if dst.exists() {
            secure_remove(src)?;
        } else {
            rename_if_exists(src, dst)?;
        }
    }
    Ok(())
}

fn rename_if_exists(src: &Path, dst: &Path) -> Result<()> {
    match fs::rename(src, dst) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("setting the damaged database aside", e)),
    }
}

/// Overwrites a damaged database and its companions with zeros, then removes them.
pub(crate) fn remove_db_files(db: &Path) -> Result<()> {
    for path in with_companions(db) {
        secure_remove(&path)?;
    }
    if let Some(dir) = db.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Removes every file of the store in `dir`, overwriting each before unlinking it.
///
/// The wipe is atomic for the reader's data: the live database is first renamed out of
/// the way (its companions first, the main file last), so a wipe interrupted at any
/// moment leaves either the whole store or none of it, never a half-zeroed database
/// that a later open would salvage in part. Renamed files not yet removed are removed
/// by the next open ([`finish_wipe`]).
pub(crate) fn wipe_dir(dir: &Path) -> Result<()> {
    finish_wipe(dir)?;
    let live = with_companions(&db_path(dir));
    let doomed = with_companions(&dir.join(WIPING_FILE_NAME));
    for i in (1..live.len()).chain(std::iter::once(0)) {
        match fs::rename(&live[i], &doomed[i]) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error("moving the store aside to wipe it", e)),
        }
    }
    sync_dir(dir);
    finish_wipe(dir)?;
    for path in store_files(dir)? {
        secure_remove(&path)?;
    }
    sync_dir(dir);
    Ok(())
}

/// Overwrites and removes the files of an interrupted wipe, if any.
pub(crate) fn finish_wipe(dir: &Path) -> Result<()> {
    for path in with_companions(&dir.join(WIPING_FILE_NAME)) {
        secure_remove(&path)?;
    }
    Ok(())
}

/// Overwrites `path` with zeros (flushed to disk), then unlinks it. Missing files are fine.
///
/// On flash storage and copy-on-write file systems an overwrite does not guarantee that
/// the old blocks are erased; it does guarantee that no file, and no read of a file that
/// still holds an old descriptor, shows the old bytes.
pub(crate) fn secure_remove(path: &Path) -> Result<()> {
    match OpenOptions::new().write(true).open(path) {
        Ok(mut file) => {
            // Overwriting is best-effort (a full copy-on-write disk may refuse it); the
            // unlink below is what must succeed.
            let _ = overwrite_with_zeros(&mut file);
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(_) => {}
    }
    remove_if_exists(path)
}

fn overwrite_with_zeros(file: &mut File) -> io::Result<()> {
    let len = file.metadata()?.len();
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    file.sync_all()?;
    file.set_len(0)?;
    file.sync_all()
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("removing a file of the store", e)),
    }
}

/// Flushes a directory's entries (renames and unlinks) to disk; best-effort.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Tells why the database could not be opened in `dir` when SQLite only says "cannot
/// open": creates and removes an empty probe file. `Ok(())` means the directory is
/// writable.
pub(crate) fn probe_writable(dir: &Path) -> Result<()> {
    let probe = dir.join(PROBE_FILE_NAME);
    match OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&probe)
    {
        Ok(file) => {
            drop(file);
            remove_if_exists(&probe)
        }
        Err(e) => Err(io_error("writing to the data directory", e)),
    }
}

/// Maps an I/O error to the typed storage errors where one applies.
pub(crate) fn io_error(context: &str, e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            Error::StorageReadOnly(format!("{context}: {e}"))
        }
        io::ErrorKind::StorageFull => Error::StorageFull(format!("{context}: {e}")),
        _ => Error::io(context, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_names_are_recognised_and_companions_are_not() {
        assert_eq!(damaged_number("quire-user.damaged-3.sqlite3"), Some(3));
        assert_eq!(damaged_number("quire-user.damaged-3.sqlite3-wal"), None);
        assert_eq!(damaged_number("quire-user.damaged-.sqlite3"), None);
        assert_eq!(damaged_number("quire-user.damaged-x.sqlite3"), None);
        assert_eq!(damaged_number(DB_FILE_NAME), None);
    }

    #[test]
    fn set_aside_numbers_sets_and_wipe_removes_everything() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(db_path(dir.path()), b"one").unwrap();
        fs::write(dir.path().join("quire-user.sqlite3-wal"), b"wal").unwrap();
        fs::write(dir.path().join("quire-user.sqlite3-shm"), b"shm").unwrap();
        let first = set_aside(dir.path()).unwrap();
        assert!(first.ends_with("quire-user.damaged-1.sqlite3"));
        assert_eq!(fs::read(&first).unwrap(), b"one");
        assert!(dir.path().join("quire-user.damaged-1.sqlite3-wal").exists());
        assert!(!dir.path().join("quire-user.sqlite3-shm").exists());
        fs::write(db_path(dir.path()), b"two").unwrap();
        let second = set_aside(dir.path()).unwrap();
        assert!(second.ends_with("quire-user.damaged-2.sqlite3"));
        assert_eq!(
            damaged_dbs(dir.path()).unwrap(),
            vec![first, second.clone()]
        );
        // An interrupted set-aside: the main file moved, its WAL did not.
        fs::write(dir.path().join("quire-user.sqlite3-wal"), b"orphan").unwrap();
        finish_set_aside(dir.path()).unwrap();
        assert!(!dir.path().join("quire-user.sqlite3-wal").exists());
        assert_eq!(
            fs::read(dir.path().join("quire-user.damaged-2.sqlite3-wal")).unwrap(),
            b"orphan"
        );
        fs::write(dir.path().join("unrelated.txt"), b"keep").unwrap();
        wipe_dir(dir.path()).unwrap();
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("unrelated.txt")]);
    }
}
