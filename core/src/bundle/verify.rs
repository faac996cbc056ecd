//! Checking a whole bundle: every block checksum, every body, every index file's own
//! checksum, and the padding between sections.

use super::Bundle;
use super::directory::index_footer;
use super::format::{self, INDEX_PREFIX, crc32};
use super::storage::Section;
use crate::{Error, Result};

impl Bundle {
    /// Checks every checksum of the bundle: each block of each section, each article
    /// body, and the footer checksum tantivy keeps in each index file. Reads the whole
    /// file; run it once on a bundle that did not ship with the app.
    pub fn verify(&self) -> Result<()> {
        self.check_ids()?;
        for entry in &self.manifest.sections {
            Section::new(&self.bytes, entry.clone(), self.checks.clone()).check_all()?;
        }
        for ord in 0..self.count {
            self.body(ord)?;
        }
        for section in &self.index_sections {
            if section.entry.name == format!("{INDEX_PREFIX}meta.json") {
                continue;
            }
            check_footer(section)?;
        }
        self.check_padding()
    }

    /// Checks that every catalog record decodes, and that the ids are valid and strictly
    /// increasing: no duplicate id (a crafted bundle could otherwise hide an article
    /// behind another).
    fn check_ids(&self) -> Result<()> {
        let mut previous: Option<String> = None;
        for ord in 0..self.count {
            let meta = self.meta_at(ord)?;
            let id = meta.id.as_str();
            if let Err(why) = crate::corpus::check_id(id) {
                return Err(Error::damaged(
                    format::SECTION_CATALOG,
                    format!("article {ord} has an invalid id: {why}"),
                ));
            }
            if previous.as_deref().is_some_and(|p| p >= id) {
                return Err(Error::damaged(
                    format::SECTION_CATALOG,
                    format!("article id `{id}` is out of order or appears twice"),
                ));
            }
            previous = Some(meta.id);
        }
        Ok(())
    }

    /// Checks that every byte outside the header, sections, table and manifest (the
    /// alignment padding) is zero, so that no byte of the file escapes verification.
    fn check_padding(&self) -> Result<()> {
        let data = self.bytes.as_slice();
        let mut used: Vec<(u64, u64)> = self
            .manifest
            .sections
            .iter()
            .map(|s| (s.offset, s.offset + s.length))
            .collect();
        let t = &self.manifest.checksums;
        used.push((0, format::HEADER_LEN as u64));
        used.push((t.offset, t.offset + t.length));
        let manifest_end = self.header.manifest_offset + self.header.manifest_len;
        used.push((self.header.manifest_offset, manifest_end));
        if self.trailer.is_some() {
            used.push((
                manifest_end,
                manifest_end + super::signature::TRAILER_LEN as u64,
            ));
        }
        used.sort_unstable();
        let mut pos = 0u64;
        for (start, end) in used
            .into_iter()
            .chain(std::iter::once((data.len() as u64, data.len() as u64)))
        {
            if start > pos && data[pos as usize..start as usize].iter().any(|&b| b != 0) {
                return Err(Error::damaged(
                    "padding",
                    format!("non-zero bytes between offsets {pos} and {start}"),
                ));
            }
            pos = pos.max(end);
        }
        Ok(())
    }
}

/// Checks the CRC-32 tantivy keeps in the footer of an index file.
fn check_footer(section: &Section) -> Result<()> {
    let damaged = |detail: String| Error::damaged(&section.entry.name, detail);
    let (footer, body) = index_footer(section)?;
    let body = body.read_bytes().map_err(|e| damaged(e.to_string()))?;
    if crc32(body.as_slice()) != footer.crc {
        return Err(damaged("index file checksum mismatch".into()));
    }
    Ok(())
}
