//! The bytes of an open bundle (a memory map or a buffer) and their checksums.

use std::fs::File;
use std::ops::{Deref, Range};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::directory::OwnedBytes;

use super::format::{Manifest, SectionEntry, crc32, u32_at};
use crate::{Error, Result};

/// Where the bytes of a bundle live.
enum Backing {
    /// A read-only map of (part of) a file; `start..start + len` is the bundle.
    Map {
        map: memmap2::Mmap,
        start: usize,
        len: usize,
    },
    /// An owned buffer.
    Owned(Vec<u8>),
}

/// The bundle's bytes behind an `Arc`, so tantivy's `OwnedBytes` can share them.
struct Shared(Arc<Backing>);

impl Deref for Shared {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &*self.0 {
            Backing::Map { map, start, len } => &map[*start..*start + *len],
            Backing::Owned(v) => v,
        }
    }
}

// SAFETY: the slice returned by `deref` lives in the `Arc`'s heap allocation or in the
// mapping it owns; neither moves when `Shared` moves, and neither is ever mutated.
unsafe impl stable_deref_trait::StableDeref for Shared {}

/// Read-ahead control over a mapped bundle (nothing for a bundle held in memory).
///
/// A bundle is mapped with `MADV_RANDOM`: a page fault then reads that page alone,
/// instead of the kernel's read-around window (up to `read_ahead_kb`, 8 MiB on some
/// machines), which made a cold open read 29 MB of a 360 MB bundle to use 1 MB of it.
/// Each block is announced with `MADV_WILLNEED` just before its first check, so the
/// kernel reads it in one request rather than one page fault at a time.
#[derive(Clone, Default)]
pub struct Prefetch(Option<Arc<Backing>>);

impl Prefetch {
    /// Starts reading `range` of the bundle into the page cache.
    fn will_need(&self, range: Range<u64>) {
        #[cfg(unix)]
        if let Some(Backing::Map { map, start, .. }) = self.0.as_deref() {
            // Advice only: an error changes nothing but speed.
            let _ = map.advise_range(
                memmap2::Advice::WillNeed,
                start + range.start as usize,
                (range.end - range.start) as usize,
            );
        }
        #[cfg(not(unix))]
        let _ = range;
    }
}

/// Maps `len` bytes of `file` from `offset`, read-only, for random access (see
/// [`Prefetch`]).
pub fn map_file(file: &File, offset: u64, len: u64) -> Result<(OwnedBytes, Prefetch)> {
    let page = page_size();
    let aligned = offset - offset % page;
    let start = (offset - aligned) as usize;
    let len_usize = usize::try_from(len)
        .map_err(|_| Error::InvalidArgument("bundle too large to map".into()))?;
    if len == 0 {
        return Ok((owned(Vec::new()), Prefetch::default()));
    }
    // SAFETY: the map is read-only. Bundles are immutable files; a bundle truncated or
    // rewritten under a live map is outside our contract, as with every mmap reader.
    let map = unsafe {
        memmap2::MmapOptions::new()
            .offset(aligned)
            .len(start + len_usize)
            .map(file)
    }
    .map_err(|e| Error::io("mapping the bundle", e))?;
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Random);
    let backing = Arc::new(Backing::Map {
        map,
        start,
        len: len_usize,
    });
    Ok((
        OwnedBytes::new(Shared(backing.clone())),
        Prefetch(Some(backing)),
    ))
}

/// Wraps an owned buffer.
pub fn owned(bytes: Vec<u8>) -> OwnedBytes {
    OwnedBytes::new(Shared(Arc::new(Backing::Owned(bytes))))
}

fn page_size() -> u64 {
    // Every platform Quire ships on uses 4 KiB or 16 KiB pages; 64 KiB alignment covers all.
    64 * 1024
}

/// The checksum table and which blocks have already been checked.
///
/// Sections are checked lazily, one block the first time any byte of it is read, so that
/// opening is cheap and no byte reaches tantivy or a reader unchecked.
pub struct Checksums {
    bundle: OwnedBytes,
    prefetch: Prefetch,
    table: OwnedBytes,
    block_size: u64,
    checked: Vec<AtomicU64>,
}

impl Checksums {
    /// Checks the table against its own checksum and wraps it.
    pub fn new(bundle: OwnedBytes, manifest: &Manifest, prefetch: Prefetch) -> Result<Checksums> {
        let t = &manifest.checksums;
        prefetch.will_need(t.offset..t.offset + t.length);
        let table = bundle.slice(t.offset as usize..(t.offset + t.length) as usize);
        if crc32(table.as_slice()) != t.crc32 {
            return Err(Error::damaged(
                "checksums",
                "checksum table checksum mismatch",
            ));
        }
        let blocks = (t.length / 4) as usize;
        let checked = (0..blocks.div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect();
        Ok(Checksums {
            bundle,
            prefetch,
            table,
            block_size: manifest.block_size,
            checked,
        })
    }

    /// Checks the blocks of `section` covering `range` (relative to the section).
    pub fn check(&self, section: &SectionEntry, range: Range<u64>) -> Result<()> {
        if range.start > range.end || range.end > section.length {
            return Err(Error::damaged(
                &section.name,
                format!(
                    "read of {range:?} past the section's {} bytes",
                    section.length
                ),
            ));
        }
        if range.start == range.end {
            return Ok(());
        }
        let first = range.start / self.block_size;
        let last = (range.end - 1) / self.block_size;
        if let Some(unchecked) = (first..=last).find(|&b| !self.is_checked(section, b)) {
            let start = section.offset + unchecked * self.block_size;
            let end = (section.offset + (last + 1) * self.block_size)
                .min(section.offset + section.length);
            self.prefetch.will_need(start..end);
        }
        for block in first..=last {
            self.check_block(section, block)?;
        }
        Ok(())
    }

    /// Checks every block of `section`, even those checked before.
    pub fn check_all(&self, section: &SectionEntry) -> Result<()> {
        for block in 0..section.length.div_ceil(self.block_size) {
            self.compare(section, block)?;
        }
        Ok(())
    }

    fn is_checked(&self, section: &SectionEntry, block: u64) -> bool {
        let global = (section.first_block + block) as usize;
        self.checked[global / 64].load(Ordering::Acquire) & (1u64 << (global % 64)) != 0
    }

    fn check_block(&self, section: &SectionEntry, block: u64) -> Result<()> {
        if self.is_checked(section, block) {
            return Ok(());
        }
        self.compare(section, block)?;
        let global = (section.first_block + block) as usize;
        self.checked[global / 64].fetch_or(1u64 << (global % 64), Ordering::AcqRel);
        Ok(())
    }

    fn compare(&self, section: &SectionEntry, block: u64) -> Result<()> {
        let start = section.offset + block * self.block_size;
        let end = (start + self.block_size).min(section.offset + section.length);
        let global = (section.first_block + block) as usize;
        let expected = u32_at(self.table.as_slice(), global * 4);
        if crc32(&self.bundle.as_slice()[start as usize..end as usize]) != expected {
            return Err(Error::damaged(
                &section.name,
                format!(
                    "checksum mismatch in block {block} (bytes {}..{} of the section)",
                    start - section.offset,
                    end - section.offset
                ),
            ));
        }
        Ok(())
    }
}

/// A section's bytes with lazy checking.
#[derive(Clone)]
pub struct Section {
    /// Where it lies.
    pub entry: SectionEntry,
    bytes: OwnedBytes,
    checks: Arc<Checksums>,
}

impl std::fmt::Debug for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Section({} @ {}+{})",
            self.entry.name, self.entry.offset, self.entry.length
        )
    }
}

impl Section {
    /// The section `entry` of `bundle` (already bounds-checked by the manifest).
    pub fn new(bundle: &OwnedBytes, entry: SectionEntry, checks: Arc<Checksums>) -> Section {
        let bytes = bundle.slice(entry.offset as usize..(entry.offset + entry.length) as usize);
        Section {
            entry,
            bytes,
            checks,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// `range` of the section after checking its blocks.
    pub fn read(&self, range: Range<usize>) -> Result<OwnedBytes> {
        self.checks
            .check(&self.entry, range.start as u64..range.end as u64)?;
        Ok(self.bytes.slice(range))
    }

    /// `range` of the section without checking: for data with a checksum of its own.
    pub fn read_unchecked(&self, range: Range<usize>) -> Result<&[u8]> {
        self.bytes.as_slice().get(range.clone()).ok_or_else(|| {
            Error::damaged(
                &self.entry.name,
                format!(
                    "read of {range:?} past the section's {} bytes",
                    self.bytes.len()
                ),
            )
        })
    }

    /// Checks every block of the section.
    pub fn check_all(&self) -> Result<()> {
        self.checks.check_all(&self.entry)
    }
}
