//! What Quire checks of tantivy's document store before tantivy opens it.
//!
//! Nothing is stored in Quire's index, yet every segment has a document store, and
//! opening the segment reads the store's skip index: a count of layers, then the end
//! offset of each layer. Tantivy reserves room for the whole count before it reads the
//! first offset, so a count that is wrong by a few bits (the fuzz tests made one asking
//! for 576 PB) aborts the process: a failed allocation is not a panic that
//! [`guard_damage`](crate::error::guard_damage) could catch. The block checksums catch
//! accidental damage; this check contains a crafted file whose checksums agree.
//!
//! The layout checked here (tantivy 0.27, doc store version 1 and 2), from the end of
//! the file: tantivy's own footer; the store footer of 28 bytes (version `u32`, offset
//! of the skip index `u64`, compressor id `u8`, 15 reserved bytes); between that offset
//! and the store footer, the skip index.

use tantivy::HasLen;

use super::directory::index_footer;
use super::storage::Section;
use crate::{Error, Result};

/// Length of the store footer that precedes tantivy's own footer.
const STORE_FOOTER_LEN: usize = 28;

/// The doc store versions tantivy 0.27 reads.
const VERSIONS: [u32; 2] = [1, 2];

/// Checks the store footer and the skip index's layer table of one `.store` file: the
/// version is one tantivy reads, the skip index lies inside the file, the layer count
/// fits in the bytes that follow it and every layer ends inside the skip index, after
/// the one before.
pub(super) fn check(section: &Section) -> Result<()> {
    let damaged = |detail: &str| Error::damaged(&section.entry.name, detail.to_string());
    // Only the file's end is read: the skip index, the store footer, tantivy's footer.
    let (_, body) = index_footer(section)?;
    let read = |range: std::ops::Range<usize>| {
        body.slice(range)
            .read_bytes()
            .map_err(|e| Error::damaged(&section.entry.name, e.to_string()))
    };
    let footer_at = body
        .len()
        .checked_sub(STORE_FOOTER_LEN)
        .ok_or_else(|| damaged("the document store is shorter than its footer"))?;
    let footer = read(footer_at..body.len())?;
    let footer = footer.as_slice();
    let version = u32::from_le_bytes(footer[..4].try_into().expect("4 bytes"));
    if !VERSIONS.contains(&version) {
        return Err(damaged("unknown document store version"));
    }
    let offset = u64::from_le_bytes(footer[4..12].try_into().expect("8 bytes"));
    let start = usize::try_from(offset)
        .ok()
        .filter(|&start| start <= footer_at)
        .ok_or_else(|| damaged("the skip index starts outside the document store"))?;
    check_layers(read(start..footer_at)?.as_slice()).map_err(damaged)
}

/// Checks the layer table at the start of a skip index: a count, then as many
/// increasing end offsets into the layers that follow the table.
fn check_layers(mut index: &[u8]) -> std::result::Result<(), &'static str> {
    let count = read_vint(&mut index).ok_or("the skip index's layer count is cut short")?;
    // Each offset takes at least one byte: a count beyond the bytes left is damage,
    // caught before tantivy reserves memory for it.
    if count > index.len() as u64 {
        return Err("the skip index counts more layers than it has bytes");
    }
    let mut ends = Vec::with_capacity(count as usize);
    for _ in 0..count {
        ends.push(read_vint(&mut index).ok_or("a skip index layer offset is cut short")?);
    }
    let mut start = 0;
    for end in ends {
        if end < start || end > index.len() as u64 {
            return Err("a skip index layer lies outside the skip index");
        }
        start = end;
    }
    Ok(())
}

/// Reads one of tantivy's variable-length integers (7 bits a byte, low bits first,
/// the last byte marked by its high bit), at most ten bytes long.
pub(crate) fn read_vint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 != 0 {
            *bytes = &bytes[i + 1..];
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{check_layers, read_vint};

    #[test]
    fn vints_read_as_tantivy_writes_them() {
        let mut bytes: &[u8] = &[0x85, 0x01, 0x81, 0x7f];
        assert_eq!(read_vint(&mut bytes), Some(5));
        // 1 + (1 << 7): the low seven bits first, the last byte marked.
        assert_eq!(read_vint(&mut bytes), Some(129));
        assert_eq!(read_vint(&mut bytes), None, "no final byte");
        assert_eq!(
            read_vint(&mut &[0u8; 11][..]),
            None,
            "longer than ten bytes"
        );
    }

    #[test]
    fn layer_tables_are_bounded_by_their_bytes() {
        // Two layers of 3 and 2 bytes.
        assert_eq!(check_layers(&[0x82, 0x83, 0x85, 1, 2, 3, 4, 5]), Ok(()));
        assert_eq!(check_layers(&[0x80]), Ok(()), "no layer at all");
        assert!(check_layers(&[]).is_err());
        // A count of 2^56 in an index of a few bytes: the damage the fuzz test found.
        let huge = [0, 0, 0, 0, 0, 0, 0, 0, 0x81, 0x80];
        assert!(check_layers(&huge).is_err());
        assert!(
            check_layers(&[0x82, 0x83, 0x86, 1, 2, 3, 4, 5]).is_err(),
            "past the end"
        );
        assert!(
            check_layers(&[0x82, 0x84, 0x83, 1, 2, 3, 4, 5]).is_err(),
            "backwards"
        );
    }
}
