//! The article catalog: fixed-size entries sorted by id, read in place from the bundle.
//!
//! ```text
//! u32 count, u32 reserved (0)
//! count × 40-byte entries, sorted by id (bytewise):
//!   u32 meta offset (from the start of the meta area)   u32 meta length
//!   u64 body offset (from the start of the bodies section)
//!   u32 compressed body length   u32 raw body length
//!   u32 head length (bytes of the raw body up to the end of the plain text)
//!   u32 CRC-32 of the head   u32 CRC-32 of the whole raw body
//!   i32 published, days since 1970-01-01 (i32::MIN when unknown)
//! meta area: one record an article, each a sequence of u32-length-prefixed UTF-8
//! strings: id, title, source (empty when unknown), summary, then u32 tag count and
//! that many strings.
//! ```
//!
//! An article's ordinal (its position in this sorted list) is also its document id in the
//! single-segment search index.

use chrono::NaiveDate;

use super::format::{u32_at, u64_at};
use crate::{Error, Result};

/// Bytes of one catalog entry.
pub const ENTRY_LEN: usize = 40;
/// Bytes before the first entry.
pub const CATALOG_HEADER_LEN: usize = 8;
const NO_DATE: i32 = i32::MIN;

/// Where an article body lies and how to check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyRef {
    /// Offset from the start of the bodies section.
    pub offset: u64,
    /// Compressed length.
    pub compressed_len: u32,
    /// Length once decompressed.
    pub raw_len: u32,
    /// Length of the head: the plain-text part, decompressed alone for snippets.
    pub head_len: u32,
    /// CRC-32 of the head.
    pub head_crc32: u32,
    /// CRC-32 of the whole decompressed body.
    pub crc32: u32,
}

/// Catalog metadata of one article, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryMeta {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Attribution, when known.
    pub source: Option<String>,
    /// One-line summary.
    pub summary: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Publication date, when known.
    pub published: Option<NaiveDate>,
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

/// Writes a catalog. `entries` must already be sorted by id.
pub fn encode(entries: &[(EntryMeta, BodyRef)]) -> Vec<u8> {
    let mut meta = Vec::new();
    let mut table = Vec::with_capacity(CATALOG_HEADER_LEN + entries.len() * ENTRY_LEN);
    table.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    table.extend_from_slice(&0u32.to_le_bytes());
    for (m, body) in entries {
        let start = meta.len();
        for s in [
            &m.id,
            &m.title,
            m.source.as_deref().unwrap_or(""),
            &m.summary,
        ] {
            put_str(&mut meta, s);
        }
        meta.extend_from_slice(&(m.tags.len() as u32).to_le_bytes());
        for t in &m.tags {
            put_str(&mut meta, t);
        }
        let days = m
            .published
            .map(|d| {
                (d - epoch())
                    .num_days()
                    .clamp(i32::MIN as i64 + 1, i32::MAX as i64) as i32
            })
            .unwrap_or(NO_DATE);
        table.extend_from_slice(&(start as u32).to_le_bytes());
        table.extend_from_slice(&((meta.len() - start) as u32).to_le_bytes());
        table.extend_from_slice(&body.offset.to_le_bytes());
        table.extend_from_slice(&body.compressed_len.to_le_bytes());
        table.extend_from_slice(&body.raw_len.to_le_bytes());
        table.extend_from_slice(&body.head_len.to_le_bytes());
        table.extend_from_slice(&body.head_crc32.to_le_bytes());
        table.extend_from_slice(&body.crc32.to_le_bytes());
        table.extend_from_slice(&days.to_le_bytes());
    }
    table.extend_from_slice(&meta);
    table
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A decoded view of one fixed-size entry.
#[derive(Debug, Clone, Copy)]
pub struct RawEntry {
    /// Offset of the meta record in the meta area.
    pub meta_offset: u32,
    /// Length of the meta record.
    pub meta_len: u32,
    /// The body.
    pub body: BodyRef,
    /// Days since 1970-01-01, or `i32::MIN`.
    pub published_days: i32,
}

/// Decodes the entry at `ord` from the entry table bytes (`ENTRY_LEN` bytes).
pub fn decode_entry(b: &[u8]) -> RawEntry {
    RawEntry {
        meta_offset: u32_at(b, 0),
        meta_len: u32_at(b, 4),
        body: BodyRef {
            offset: u64_at(b, 8),
            compressed_len: u32_at(b, 16),
            raw_len: u32_at(b, 20),
            head_len: u32_at(b, 24),
            head_crc32: u32_at(b, 28),
            crc32: u32_at(b, 32),
        },
        published_days: u32_at(b, 36) as i32,
    }
}

/// Decodes a meta record; any inconsistency is reported as damage to the catalog.
pub fn decode_meta(record: &[u8], published_days: i32) -> Result<EntryMeta> {
    let mut cursor = Cursor {
        bytes: record,
        pos: 0,
    };
    let id = cursor.string()?;
    let title = cursor.string()?;
    let source = cursor.string()?;
    let summary = cursor.string()?;
    let tag_count = cursor.u32()? as usize;
    if tag_count > record.len() / 4 {
        return Err(damage("tag count exceeds the record"));
    }
    let mut tags = Vec::with_capacity(tag_count);
    for _ in 0..tag_count {
        tags.push(cursor.string()?);
    }
    if cursor.pos != record.len() {
        return Err(damage("trailing bytes in an article record"));
    }
    let published = if published_days == NO_DATE {
        None
    } else {
        Some(
            epoch()
                .checked_add_signed(chrono::Duration::days(published_days as i64))
                .ok_or_else(|| damage("publication date out of range"))?,
        )
    };
    Ok(EntryMeta {
        id,
        title,
        source: Some(source).filter(|s| !s.is_empty()),
        summary,
        tags,
        published,
    })
}

/// Reads the id of a meta record without decoding the rest.
pub fn decode_id(record: &[u8]) -> Result<&str> {
    let mut cursor = Cursor {
        bytes: record,
        pos: 0,
    };
    cursor.str()
}

fn damage(detail: &str) -> Error {
    Error::damaged("catalog", detail)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn u32(&mut self) -> Result<u32> {
        let end = self
            .pos
            .checked_add(4)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| damage("record is cut short"))?;
        let v = u32_at(self.bytes, self.pos);
        self.pos = end;
        Ok(v)
    }

    fn str(&mut self) -> Result<&'a str> {
        let len = self.u32()? as usize;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| damage("string runs past its record"))?;
        let s = std::str::from_utf8(&self.bytes[self.pos..end])
            .map_err(|_| damage("string is not UTF-8"))?;
        self.pos = end;
        Ok(s)
    }

    fn string(&mut self) -> Result<String> {
        self.str().map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip() {
        let meta = EntryMeta {
            id: "a".into(),
            title: "Título".into(),
            source: None,
            summary: "s".into(),
            tags: vec!["x".into(), "y-z".into()],
            published: NaiveDate::from_ymd_opt(1969, 12, 31),
        };
        let body = BodyRef {
            offset: 9,
            compressed_len: 3,
            raw_len: 5,
            head_len: 4,
            head_crc32: 7,
            crc32: 42,
        };
        let bytes = encode(&[(meta.clone(), body)]);
        assert_eq!(u32_at(&bytes, 0), 1);
        let raw = decode_entry(&bytes[CATALOG_HEADER_LEN..CATALOG_HEADER_LEN + ENTRY_LEN]);
        assert_eq!(raw.body, body);
        let area = &bytes[CATALOG_HEADER_LEN + ENTRY_LEN..];
        let record = &area[raw.meta_offset as usize..(raw.meta_offset + raw.meta_len) as usize];
        assert_eq!(decode_meta(record, raw.published_days).unwrap(), meta);
        assert_eq!(decode_id(record).unwrap(), "a");
    }

    #[test]
    fn damaged_records_are_errors() {
        let meta = EntryMeta {
            id: "a".into(),
            title: "t".into(),
            source: Some("s".into()),
            summary: String::new(),
            tags: vec![],
            published: None,
        };
        let bytes = encode(&[(
            meta,
            BodyRef {
                offset: 0,
                compressed_len: 0,
                raw_len: 0,
                head_len: 0,
                head_crc32: 0,
                crc32: 0,
            },
        )]);
        let record = &bytes[CATALOG_HEADER_LEN + ENTRY_LEN..];
        for cut in 0..record.len() {
            assert!(decode_meta(&record[..cut], NO_DATE).is_err());
        }
        let mut bad = record.to_vec();
        bad[0] = 0xff;
        assert!(decode_meta(&bad, NO_DATE).is_err());
        assert!(decode_meta(record, i32::MAX).is_err());
    }
}
