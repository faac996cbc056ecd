//! A read-only tantivy [`Directory`] serving the index files straight from the bundle.
//!
//! Every read goes through the bundle's checksum table: tantivy never sees a byte that
//! was not checked. Nothing is copied out, no lock file is taken and nothing can be
//! written.

use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::footer::Footer;
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
};

use super::storage::Section;

/// The index files of one bundle, by file name.
#[derive(Clone, Debug)]
pub struct BundleDirectory {
    files: Arc<HashMap<PathBuf, Section>>,
}

impl BundleDirectory {
    /// A directory over these sections, keyed by index file name (`meta.json`, `….idx`).
    pub fn new(files: HashMap<PathBuf, Section>) -> Self {
        BundleDirectory {
            files: Arc::new(files),
        }
    }

    fn section(&self, path: &Path) -> Result<&Section, OpenReadError> {
        self.files
            .get(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
}

fn read_only(path: &Path) -> Arc<io::Error> {
    Arc::new(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("bundle index is read-only (write to {})", path.display()),
    ))
}

fn to_io(e: crate::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// One index file: a bundle section whose reads are checked.
#[derive(Debug)]
struct SectionFile(Section);

/// The index file in `section`, read lazily: only the blocks a read touches are checked.
fn file_slice(section: &Section) -> FileSlice {
    FileSlice::new(Arc::new(SectionFile(section.clone())))
}

/// The footer tantivy writes at the end of the index file in `section`, and the file's
/// body before it (not read yet).
pub(super) fn index_footer(section: &Section) -> crate::Result<(Footer, FileSlice)> {
    Footer::extract_footer(file_slice(section))
        .map_err(|e| crate::Error::damaged(&section.entry.name, format!("bad index footer: {e}")))
}

impl HasLen for SectionFile {
    fn len(&self) -> usize {
        self.0.len()
    }
}

impl FileHandle for SectionFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.0.read(range).map_err(to_io)
    }
}

impl Directory for BundleDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        Ok(Arc::new(SectionFile(self.section(path)?.clone())))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: read_only(path),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: read_only(path),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let section = self.section(path)?;
        section
            .read(0..section.len())
            .map(|b| b.as_slice().to_vec())
            .map_err(|e| OpenReadError::IoError {
                io_error: Arc::new(to_io(e)),
                filepath: path.to_path_buf(),
            })
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            read_only(path).to_string(),
        ))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        // Readers take tantivy's meta lock; nothing can change a bundle, so the lock is
        // granted without creating any file.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _cb: WatchCallback) -> tantivy::Result<WatchHandle> {
        // The bundle never changes: there is nothing to watch.
        Ok(WatchHandle::empty())
    }
}
