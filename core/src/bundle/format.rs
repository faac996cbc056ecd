//! The byte layout of a `.quire` bundle. `docs/bundle-format.md` is the prose
//! specification; this module is its one implementation.
//!
//! ```text
//! [header: 64 bytes][section]…[section][checksums][manifest JSON][signature trailer]
//! ```
//!
//! The signature trailer (since format 1.2, packs only) is described in
//! [`signature`](super::signature).
//!
//! All integers are little-endian. Sections start at multiples of [`SECTION_ALIGN`].

use serde::{Deserialize, Serialize};

pub use crate::index::analysis::{Analysis, Language};
use crate::{Error, Result};

/// First eight bytes of every bundle. The high byte catches 7-bit transfers, the CR LF
/// pair catches line-ending conversion.
pub const MAGIC: [u8; 8] = *b"\x89QUIRE\r\n";
/// Major format version this code writes and reads. A reader refuses other majors.
pub const FORMAT_MAJOR: u16 = 1;
/// Minor format version this code writes. Minor versions only add optional manifest
/// fields or sections, so any minor of a known major is read.
///
/// * 1.1: the manifest's `language`, the `lexicon` and `thesaurus` sections.
/// * 1.2: the manifest's `pack` (a pack's identity and publisher key) and the signature
///   trailer after the manifest.
pub const FORMAT_MINOR: u16 = 2;
/// Size of the fixed header.
pub const HEADER_LEN: usize = 64;
/// Every section starts at a multiple of this.
pub const SECTION_ALIGN: u64 = 64;
/// Size of a checksum block: each section is checksummed in blocks of this many bytes.
pub const BLOCK_SIZE: u64 = 64 * 1024;
/// Upper bound on the manifest size; anything larger is damage.
pub const MAX_MANIFEST_LEN: u64 = 16 * 1024 * 1024;

/// Name of the article catalog section.
pub const SECTION_CATALOG: &str = "catalog";
/// Name of the compressed article bodies section.
pub const SECTION_BODIES: &str = "bodies";
/// Name of the vocabulary section (an FST of every surface word and its document count).
pub const SECTION_VOCAB: &str = "vocab";
/// Name of the optional lexicon section (an FST set of the words of the language; since
/// format 1.1).
pub const SECTION_LEXICON: &str = "lexicon";
/// Name of the optional thesaurus section (JSON; since format 1.1).
pub const SECTION_THESAURUS: &str = "thesaurus";
/// Prefix of the sections holding the files of the tantivy index.
pub const INDEX_PREFIX: &str = "index/";

/// CRC-32 (IEEE) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The fixed 64-byte header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Major format version.
    pub major: u16,
    /// Minor format version.
    pub minor: u16,
    /// Offset of the manifest from the start of the bundle.
    pub manifest_offset: u64,
    /// Length of the manifest in bytes.
    pub manifest_len: u64,
    /// CRC-32 of the manifest bytes.
    pub manifest_crc: u32,
}

impl Header {
    /// Encodes the header: magic, versions, flags (0), manifest offset, length and
    /// checksum, reserved zeros, and the CRC-32 of the first 60 bytes.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[0..8].copy_from_slice(&MAGIC);
        h[8..10].copy_from_slice(&self.major.to_le_bytes());
        h[10..12].copy_from_slice(&self.minor.to_le_bytes());
        // 12..16: flags, zero in format 1.
        h[16..24].copy_from_slice(&self.manifest_offset.to_le_bytes());
        h[24..32].copy_from_slice(&self.manifest_len.to_le_bytes());
        h[32..36].copy_from_slice(&self.manifest_crc.to_le_bytes());
        // 36..60: reserved, zero.
        let crc = crc32(&h[..60]);
        h[60..64].copy_from_slice(&crc.to_le_bytes());
        h
    }

    /// Decodes and checks a header read from the first bytes of a file of `file_len` bytes.
    pub fn decode(bytes: &[u8], file_len: u64) -> Result<Header> {
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            return Err(Error::NotABundle(
                "the file does not start with the Quire magic bytes".into(),
            ));
        }
        if bytes.len() < HEADER_LEN {
            return Err(Error::damaged(
                "header",
                format!("file is {} bytes, shorter than the header", bytes.len()),
            ));
        }
        let stored_crc = u32_at(bytes, 60);
        let major = u16::from_le_bytes([bytes[8], bytes[9]]);
        if stored_crc != crc32(&bytes[..60]) {
            return Err(Error::damaged("header", "header checksum mismatch"));
        }
        if major != FORMAT_MAJOR {
            return Err(Error::UnsupportedBundleVersion {
                found: major,
                supported: FORMAT_MAJOR,
            });
        }
        let header = Header {
            major,
            minor: u16::from_le_bytes([bytes[10], bytes[11]]),
            manifest_offset: u64_at(bytes, 16),
            manifest_len: u64_at(bytes, 24),
            manifest_crc: u32_at(bytes, 32),
        };
        let end = header.manifest_offset.checked_add(header.manifest_len);
        if header.manifest_offset < HEADER_LEN as u64
            || header.manifest_len > MAX_MANIFEST_LEN
            || end.is_none_or(|end| end > file_len)
        {
            return Err(Error::damaged(
                "manifest",
                format!(
                    "manifest at {}+{} lies outside the {file_len}-byte file (truncated?)",
                    header.manifest_offset, header.manifest_len
                ),
            ));
        }
        Ok(header)
    }
}

/// Reads a little-endian `u32` at `at`. The caller guarantees the bounds.
pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

/// Reads a little-endian `u64` at `at`. The caller guarantees the bounds.
pub fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// Where a section lies in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionEntry {
    /// Section name (`catalog`, `bodies`, `vocab`, `index/meta.json`…).
    pub name: String,
    /// Offset from the start of the bundle; a multiple of [`SECTION_ALIGN`].
    pub offset: u64,
    /// Length in bytes.
    pub length: u64,
    /// Index of the section's first entry in the checksum table. The section has
    /// `ceil(length / block_size)` consecutive entries.
    pub first_block: u64,
}

/// Where the checksum table lies, with its own checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksumTable {
    /// Offset from the start of the bundle.
    pub offset: u64,
    /// Length in bytes: four bytes (CRC-32, little-endian) a block.
    pub length: u64,
    /// CRC-32 of the whole table.
    pub crc32: u32,
}

/// Identity of the corpus a bundle was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusInfo {
    /// Stable corpus identifier (`quire-builtin`).
    pub id: String,
    /// Corpus version chosen by whoever built it.
    pub version: String,
}

/// The identity of a content pack, written from the publisher's `pack.toml` (since
/// format 1.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    /// Stable pack id: lower-case letters, digits, `.` and `-` (`org.example.clinic`).
    /// Bookmarks refer to the pack's articles by it.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// Version number; an installed pack is only replaced by a higher one.
    pub version: u64,
    /// The publisher's Ed25519 public key (64 hex digits) when the pack is signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_key: Option<String>,
}

/// The manifest: a JSON object describing the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version as `major.minor`, repeated from the header for readers of the JSON.
    pub format: String,
    /// The corpus this bundle holds.
    pub corpus: CorpusInfo,
    /// The language of its articles, which its analysis follows (since format 1.1;
    /// English when absent).
    #[serde(default)]
    pub language: Language,
    /// The pack this bundle is, when it is one (since format 1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<PackInfo>,
    /// Build time, RFC 3339 UTC.
    pub built_at: String,
    /// Name and version of the program that wrote it.
    pub generator: String,
    /// Number of articles.
    pub article_count: u64,
    /// Text analysis of the index.
    pub analysis: Analysis,
    /// Checksum block size in bytes.
    pub block_size: u64,
    /// The checksum table.
    pub checksums: ChecksumTable,
    /// Every section, in file order.
    pub sections: Vec<SectionEntry>,
}

impl Manifest {
    /// Parses and checks a manifest: sections inside the file, aligned, not overlapping,
    /// each covered by the checksum table, and the required sections present.
    pub fn parse(bytes: &[u8], file_len: u64) -> Result<Manifest> {
        let manifest: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| Error::damaged("manifest", format!("not a valid manifest: {e}")))?;
        if manifest.block_size == 0 || manifest.block_size > 1 << 30 {
            return Err(Error::damaged(
                "manifest",
                format!("block size {} is out of range", manifest.block_size),
            ));
        }
        let table = &manifest.checksums;
        if table.length % 4 != 0
            || table
                .offset
                .checked_add(table.length)
                .is_none_or(|end| end > file_len)
        {
            return Err(Error::damaged(
                "checksums",
                "checksum table lies outside the file (truncated?)",
            ));
        }
        let blocks_in_table = table.length / 4;
        let mut prev_end = HEADER_LEN as u64;
        for s in &manifest.sections {
            let end = s.offset.checked_add(s.length);
            if s.offset % SECTION_ALIGN != 0
                || s.offset < prev_end
                || end.is_none_or(|end| end > file_len)
            {
                return Err(Error::damaged(
                    &s.name,
                    format!(
                        "section at {}+{} lies outside the {file_len}-byte file or overlaps another (truncated?)",
                        s.offset, s.length
                    ),
                ));
            }
            let blocks = s.length.div_ceil(manifest.block_size);
            if s.first_block
                .checked_add(blocks)
                .is_none_or(|end| end > blocks_in_table)
            {
                return Err(Error::damaged(
                    &s.name,
                    "section is not covered by the checksum table",
                ));
            }
            prev_end = s.offset + s.length;
        }
        for required in [SECTION_CATALOG, SECTION_BODIES, SECTION_VOCAB] {
            if manifest.section(required).is_none() {
                return Err(Error::damaged(
                    "manifest",
                    format!("required section `{required}` is missing"),
                ));
            }
        }
        Ok(manifest)
    }

    /// The section with this name.
    pub fn section(&self, name: &str) -> Option<&SectionEntry> {
        self.sections.iter().find(|s| s.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            major: FORMAT_MAJOR,
            minor: FORMAT_MINOR,
            manifest_offset: 128,
            manifest_len: 10,
            manifest_crc: 7,
        }
    }

    #[test]
    fn header_round_trips() {
        let h = header();
        assert_eq!(Header::decode(&h.encode(), 138).unwrap(), h);
    }

    #[test]
    fn header_damage_is_typed() {
        let bytes = header().encode();
        assert!(matches!(
            Header::decode(b"hello world", 100),
            Err(Error::NotABundle(_))
        ));
        assert!(matches!(
            Header::decode(&bytes[..20], 100),
            Err(Error::DamagedBundle { .. })
        ));
        for bit in 64..(60 * 8) {
            let mut b = bytes;
            b[bit / 8] ^= 1 << (bit % 8);
            match Header::decode(&b, 138) {
                Err(Error::DamagedBundle { section, .. }) => assert_eq!(section, "header"),
                other => panic!("bit {bit}: {other:?}"),
            }
        }
        // Manifest beyond the end of the file: truncated.
        assert!(
            matches!(Header::decode(&bytes, 137), Err(Error::DamagedBundle { section, .. }) if section == "manifest")
        );
    }

    #[test]
    fn other_major_versions_are_refused() {
        let mut h = header();
        h.major = 2;
        assert!(matches!(
            Header::decode(&h.encode(), 138),
            Err(Error::UnsupportedBundleVersion {
                found: 2,
                supported: 1
            })
        ));
    }
}
