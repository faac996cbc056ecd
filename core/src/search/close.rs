//! Two stems' postings lists in one field, moved together to the articles where the
//! stems stand close (next to each other, or within a distance), with their positions
//! there, and the matches counted as tantivy's two-term phrase scorer counts them.
//!
//! Where both stems are in most articles, each list is walked article by article
//! ([`Walk`]) and its positions read straight from the positions file, keeping their
//! offset as it goes: tantivy's list finds the offset on every read by adding up the
//! term frequencies before the article in its block, a loop of another length each
//! time, whose exit the processor mispredicts (ADR 25).

use tantivy::directory::FileSlice;
use tantivy::error::DataCorruption;
use tantivy::index::InvertedIndexReader;
use tantivy::positions::PositionReader;
use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, HasLen, TERMINATED, TantivyError};

use crate::bundle::read_vint;

/// A field's two lists are walked ([`Walk`]) when both stems are in at least one
/// article in this many: nearly every block of both lists is then read anyway.
const WALK_SHARE: u64 = 4;

/// Whether lists of `infos` are common enough, in a segment of `max_doc` articles, to
/// be walked rather than sought.
pub(super) fn walks(infos: &[&TermInfo], max_doc: u32) -> bool {
    infos
        .iter()
        .all(|info| u64::from(info.doc_freq) * WALK_SHARE >= u64::from(max_doc))
}

/// The two lists of a field, of one kind or the other: chosen once per call, so that
/// the loops inside work on one kind of list each. Boxed: each is a few kilobytes of
/// decoded blocks.
pub(super) struct Lists(Kind);

/// Which kind of lists a field has.
enum Kind {
    /// Tantivy's lists: they seek past blocks without a match.
    Sought(Box<Close<SegmentPostings>>),
    /// The lists of two common stems, walked.
    Walked(Box<Close<Walk>>),
}

/// Calls the same method of whichever kind of lists `$lists` (a [`Kind`]) holds.
macro_rules! either {
    ($lists:expr, $close:ident => $call:expr) => {
        match $lists {
            Kind::Sought($close) => $call,
            Kind::Walked($close) => $call,
        }
    };
}

impl Lists {
    /// The two lists of `infos` in a field's index: walked with the field's part of the
    /// positions `file`, else tantivy's; `widest` is the widest distance that counts as
    /// close.
    pub(super) fn open(
        index: &InvertedIndexReader,
        infos: [&TermInfo; 2],
        file: Option<&FileSlice>,
        widest: u32,
    ) -> tantivy::Result<Lists> {
        Ok(Lists(match file {
            Some(file) => {
                let walk = |info: &TermInfo| -> tantivy::Result<Walk> {
                    Ok(Walk {
                        postings: index
                            .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?,
                        positions: open_positions(file, info)?,
                        offset: 0,
                    })
                };
                Kind::Walked(Box::new(Close::new(
                    [walk(infos[0])?, walk(infos[1])?],
                    widest,
                )))
            }
            None => {
                let seek = |info: &TermInfo| {
                    index
                        .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
                };
                Kind::Sought(Box::new(Close::new(
                    [seek(infos[0])?, seek(infos[1])?],
                    widest,
                )))
            }
        }))
    }

    /// The current document of both lists (where the stems stand close).
    pub(super) fn doc(&self) -> DocId {
        either!(&self.0, close => close.lists[0].current())
    }

    /// Moves to the first document from `target` on where the stems stand close.
    pub(super) fn find(&mut self, target: DocId) -> DocId {
        either!(&mut self.0, close => close.find(target))
    }

    /// Whether the stems stand close in `target` itself: `target`, else a bound below
    /// which they do nowhere from `target` on.
    pub(super) fn at(&mut self, target: DocId) -> DocId {
        either!(&mut self.0, close => close.at(target))
    }

    /// The shorter list's length.
    pub(super) fn size_hint(&self) -> u32 {
        either!(&self.0, close => close.lists[0].estimate().min(close.lists[1].estimate()))
    }

    /// The positions read in the current document: the first stem's one on, and the
    /// second's.
    pub(super) fn positions(&self) -> (&[u32], &[u32]) {
        either!(&self.0, close => (&close.first[..], &close.second[..]))
    }
}

/// Both stems' lists in one field, moved to documents where the stems stand within
/// `widest` of each other.
struct Close<L> {
    lists: [L; 2],
    widest: u32,
    /// Positions in the current document: the first stem's, one on (where the second
    /// would stand right after it), and the second's.
    first: Vec<u32>,
    second: Vec<u32>,
}

impl<L: Cursor> Close<L> {
    fn new(lists: [L; 2], widest: u32) -> Self {
        Close {
            lists,
            widest,
            first: Vec::new(),
            second: Vec::new(),
        }
    }

    /// Moves to the first document from `target` on where the stems stand within the
    /// widest distance, and returns it.
    fn find(&mut self, target: DocId) -> DocId {
        let mut doc = self.lists[0].seek_to(target);
        loop {
            if doc == TERMINATED {
                return TERMINATED;
            }
            let other = self.lists[1].seek_to(doc);
            if other != doc {
                doc = self.lists[0].seek_to(other);
                continue;
            }
            if self.stand_close() {
                return doc;
            }
            doc = self.lists[0].step();
        }
    }

    /// Whether the stems stand within the widest distance in document `target` itself,
    /// looking at no other document: `target` if so, else a bound below which the pair
    /// is nowhere from `target` on.
    fn at(&mut self, target: DocId) -> DocId {
        let first = self.lists[0].seek_to(target);
        let second = self.lists[1].seek_to(target);
        if first != target || second != target {
            return first.max(second).max(target + 1);
        }
        if self.stand_close() {
            target
        } else {
            target + 1
        }
    }

    /// Whether the stems stand within the widest distance in the document both lists
    /// are on, whose positions it reads.
    fn stand_close(&mut self) -> bool {
        self.lists[0].read_positions(1, &mut self.first);
        self.lists[1].read_positions(0, &mut self.second);
        if self.widest == 0 {
            count_adjacent(&self.first, &self.second) > 0
        } else {
            count_within(&self.first, &self.second, self.widest) > 0
        }
    }
}

/// A stem's postings in one field, with its positions.
trait Cursor {
    /// The current document.
    fn current(&self) -> DocId;
    /// Moves to the next document, and returns it.
    fn step(&mut self) -> DocId;
    /// Moves to the first document from `target` on (never back), and returns it.
    fn seek_to(&mut self, target: DocId) -> DocId;
    /// The list's length.
    fn estimate(&self) -> u32;
    /// The positions in the current document, each plus `shift`, into `out`.
    fn read_positions(&mut self, shift: u32, out: &mut Vec<u32>);
}

impl Cursor for SegmentPostings {
    fn current(&self) -> DocId {
        self.doc()
    }

    fn step(&mut self) -> DocId {
        self.advance()
    }

    fn seek_to(&mut self, target: DocId) -> DocId {
        let doc = self.doc();
        if doc >= target {
            doc
        } else {
            self.seek(target)
        }
    }

    fn estimate(&self) -> u32 {
        self.size_hint()
    }

    fn read_positions(&mut self, shift: u32, out: &mut Vec<u32>) {
        self.positions_with_offset(shift, out);
    }
}

/// A stem's positions in `file` (a field's part of the positions file), where its term
/// info says they are. Damage that would make tantivy's slicing panic (a range outside
/// the file, more blocks than bytes) is an error instead.
fn open_positions(file: &FileSlice, info: &TermInfo) -> tantivy::Result<PositionReader> {
    let range = info.positions_range.clone();
    let damaged = || {
        TantivyError::DataCorruption(DataCorruption::comment_only(
            "a term's positions are cut short or lie outside the positions file",
        ))
    };
    if range.start > range.end || range.end > file.len() {
        return Err(damaged());
    }
    let bytes = file.slice(range).read_bytes()?;
    // The data starts with its number of bit-packed blocks, one width byte each.
    let mut header = bytes.as_slice();
    match read_vint(&mut header) {
        Some(blocks) if blocks <= header.len() as u64 => {}
        _ => return Err(damaged()),
    }
    Ok(PositionReader::open(bytes)?)
}

/// A postings list walked one article at a time, keeping where the article's
/// positions start among the stem's (the term frequencies of the articles before it
/// added up), and reading them from the positions file itself.
struct Walk {
    /// Documents and term frequencies, without positions.
    postings: SegmentPostings,
    positions: PositionReader,
    /// Where the current article's positions start.
    offset: u64,
}

impl Cursor for Walk {
    fn current(&self) -> DocId {
        self.postings.doc()
    }

    fn step(&mut self) -> DocId {
        if self.postings.doc() == TERMINATED {
            return TERMINATED;
        }
        self.offset += u64::from(self.postings.term_freq());
        self.postings.advance()
    }

    fn seek_to(&mut self, target: DocId) -> DocId {
        let mut doc = self.postings.doc();
        while doc < target {
            doc = self.step();
        }
        doc
    }

    fn estimate(&self) -> u32 {
        self.postings.size_hint()
    }

    fn read_positions(&mut self, shift: u32, out: &mut Vec<u32>) {
        out.clear();
        out.resize(self.postings.term_freq() as usize, 0);
        self.positions.read(self.offset, out);
        // Stored as gaps from the previous position.
        let mut at = shift;
        for p in out.iter_mut() {
            at += *p;
            *p = at;
        }
    }
}

/// How many positions the two sorted lists share: the matches of a two-term phrase,
/// the first term's positions taken one on.
pub(super) fn count_adjacent(first: &[u32], second: &[u32]) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while let (Some(&a), Some(&b)) = (first.get(i), second.get(j)) {
        if a < b {
            i += 1;
        } else if a > b {
            j += 1;
        } else {
            count += 1;
            i += 1;
            j += 1;
        }
    }
    count
}

/// The matches of a two-term phrase with `slop`, counted as tantivy's phrase scorer
/// counts them: walking both lists, a position of the second term within `slop` of the
/// first term's current one is a match, paired with the last position of the first
/// term not after it; both then move on.
pub(super) fn count_within(first: &[u32], second: &[u32], slop: u32) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while let (Some(&a), Some(&b)) = (first.get(i), second.get(j)) {
        if a.abs_diff(b) <= slop {
            while first.get(i + 1).is_some_and(|&next| next <= b) {
                i += 1;
            }
            count += 1;
            i += 1;
            j += 1;
        } else if a < b {
            i += 1;
        } else {
            j += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_counted_as_a_two_term_phrase_counts_them() {
        // The first term's positions are taken one on: 4 and 8 stand for 3 and 7.
        assert_eq!(count_adjacent(&[4, 8, 20], &[4, 9, 20]), 2);
        assert_eq!(count_adjacent(&[], &[1]), 0);
        // Within 3 either way; each position of either list pairs once.
        assert_eq!(
            count_within(&[10], &[7, 12, 13], 3),
            1,
            "one first-term position"
        );
        assert_eq!(
            count_within(&[2, 3, 4], &[4], 3),
            1,
            "the last one not after it"
        );
        assert_eq!(count_within(&[2, 20], &[4, 22, 40], 3), 2);
        assert_eq!(count_within(&[2], &[9], 3), 0);
        assert_eq!(count_within(&[2], &[5], 3), 1);
        // 1 pairs with 3 by way of the first term's 3 (the last not after it), which
        // is then spent: 4 finds no partner.
        assert_eq!(count_within(&[1, 3], &[3, 4], 3), 1);
    }

    /// A walk opens a stem's positions only where its term info and the data agree:
    /// a range past the file, or more bit-packed blocks than bytes, is an error, not a
    /// panic in tantivy's slicing. (Sound data, read and compared with tantivy's own
    /// lists, is the walked half of the pair tests in `pair.rs`.)
    #[test]
    fn damaged_positions_are_an_error_for_a_walk() {
        let info = |positions_range| TermInfo {
            doc_freq: 1,
            postings_range: 0..0,
            positions_range,
        };
        let file = FileSlice::from(vec![0x85u8, 7, 0x82]);
        assert!(open_positions(&file, &info(2..10)).is_err(), "past the end");
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = info(2..1);
        assert!(open_positions(&file, &backwards).is_err(), "backwards");
        // 0x85: five blocks (a number's last byte has its high bit set), two bytes left.
        assert!(
            open_positions(&file, &info(0..3)).is_err(),
            "too many blocks"
        );
        // 0x82: two blocks, no byte left.
        assert!(
            open_positions(&file, &info(2..3)).is_err(),
            "blocks without bytes"
        );
        // No number at all.
        assert!(
            open_positions(&file, &info(1..2)).is_err(),
            "a number cut short"
        );
        // 0x80: no blocks, then the rest.
        assert!(open_positions(&FileSlice::from(vec![0x80u8, 0x82]), &info(0..2)).is_ok());
    }
}
