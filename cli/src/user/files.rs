//! The files the user-data commands read and write: an import, read with a size limit, and
//! an export, written atomically and readable by its owner only.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

use crate::render;

/// Largest file `quire import` reads (an export of 100,000 bookmarks with notes is a few
/// tens of MB).
const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads an export from `file`, or from standard input when `from_stdin`, refusing one
/// larger than [`MAX_IMPORT_BYTES`].
pub(super) fn read_export(file: &Path, from_stdin: bool) -> io::Result<String> {
    let mut text = String::new();
    let limit = MAX_IMPORT_BYTES + 1;
    if from_stdin {
        io::stdin().lock().take(limit).read_to_string(&mut text)?;
    } else {
        fs::File::open(file)?
            .take(limit)
            .read_to_string(&mut text)?;
    }
    if text.len() as u64 > MAX_IMPORT_BYTES {
        return Err(io::Error::other(format!(
            "larger than {}, too large to be a Quire export",
            render::bytes(MAX_IMPORT_BYTES)
        )));
    }
    Ok(text)
}

/// Writes `bytes` to `path` atomically (a temporary file in the same directory, flushed,
/// then renamed over `path`), readable and writable by the owner only.
pub(super) fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file name"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".{}-{attempt}.tmp", std::process::id()));
        let tmp = dir.join(tmp_name);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // Make the rename itself durable.
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
