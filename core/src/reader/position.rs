//! Where the reader is in an article, in a form that survives a new screen size, a new
//! font size and a new version of the article.
//!
//! A position is a block index plus a character offset inside that block (what the
//! shell sees at the top of the screen, whatever its layout), and the fraction of the
//! article's text before that point. What is saved also remembers a checksum of the
//! block and of the whole article, so that after a pack update the position falls back
//! in steps: the same place when nothing changed, the same paragraph found again when
//! it moved, and the same share of the article when it is gone.

use serde::{Deserialize, Serialize};

use super::blocks::Block;
pub use crate::store::PositionAnchor;

/// A place in an article's blocks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReadingPosition {
    /// Index of the block at the top of the screen.
    pub block: u32,
    /// Characters (Unicode scalar values) into that block.
    pub offset: u32,
    /// Share of the article's text before this point, `0.0..=1.0`.
    pub fraction: f64,
}

impl ReadingPosition {
    /// The start of the article.
    pub const START: ReadingPosition = ReadingPosition {
        block: 0,
        offset: 0,
        fraction: 0.0,
    };
}

/// A position as the store keeps it: the fraction, and the anchor (block, offset and
/// the checksums of the block and the article) that finds the place again after the
/// text changes. Positions saved before anchors existed have none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SavedPosition {
    /// Share of the article before the place.
    pub fraction: f64,
    /// The place and what identifies it, when known.
    pub anchor: Option<PositionAnchor>,
}

/// How a saved position was found again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Restored {
    /// The article is unchanged: the exact place.
    Exact,
    /// The article changed, and the block was found again (maybe elsewhere).
    SameBlock,
    /// The block is gone: the same share of the article.
    Fraction,
}

/// The checksum of an article's blocks, to tell whether it changed.
pub fn fingerprint(blocks: &[Block]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    for b in blocks {
        h.update(b.text.as_bytes());
        h.update(&[0]);
    }
    h.finalize()
}

fn block_crc(block: &Block) -> u32 {
    crc32fast::hash(block.text.as_bytes())
}

fn chars(block: &Block) -> u32 {
    block.text.chars().count() as u32
}

/// Checks and completes a position the shell reports: the block and offset clamped into
/// the article, the fraction recomputed from them (the shell's own fraction is used
/// only when the blocks are empty). Never fails.
pub fn normalize(blocks: &[Block], position: ReadingPosition) -> ReadingPosition {
    if blocks.is_empty() {
        let fraction = if position.fraction.is_finite() {
            position.fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        return ReadingPosition {
            block: 0,
            offset: 0,
            fraction,
        };
    }
    let block = (position.block as usize).min(blocks.len() - 1);
    let offset = position.offset.min(chars(&blocks[block]));
    let total: u64 = blocks.iter().map(|b| chars(b) as u64).sum();
    let before: u64 = blocks[..block].iter().map(|b| chars(b) as u64).sum::<u64>() + offset as u64;
    let fraction = if total == 0 {
        block as f64 / blocks.len() as f64
    } else {
        before as f64 / total as f64
    };
    ReadingPosition {
        block: block as u32,
        offset,
        fraction: fraction.clamp(0.0, 1.0),
    }
}

/// What to save for `position` in `blocks`: the position clamped into the article,
/// its fraction recomputed, and its anchor.
pub fn save(blocks: &[Block], position: ReadingPosition) -> SavedPosition {
    let position = normalize(blocks, position);
    SavedPosition {
        fraction: position.fraction,
        anchor: Some(PositionAnchor {
            block: position.block,
            offset: position.offset,
            block_crc: blocks
                .get(position.block as usize)
                .map(block_crc)
                .unwrap_or(0),
            article_crc: fingerprint(blocks),
        }),
    }
}

/// The place in `blocks` (maybe a newer version of the article) that `saved` refers
/// to, and how it was found. Never fails: at worst the same share of the article.
pub fn restore(blocks: &[Block], saved: &SavedPosition) -> (ReadingPosition, Restored) {
    let Some(anchor) = saved.anchor else {
        return (at_fraction(blocks, saved.fraction), Restored::Fraction);
    };
    let p = ReadingPosition {
        block: anchor.block,
        offset: anchor.offset,
        fraction: saved.fraction,
    };
    if fingerprint(blocks) == anchor.article_crc {
        return (normalize(blocks, p), Restored::Exact);
    }
    // The same block text, nearest to where it was.
    let found = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| !b.text.is_empty() && block_crc(b) == anchor.block_crc)
        .min_by_key(|(i, _)| (*i as i64 - p.block as i64).unsigned_abs());
    if let Some((i, _)) = found {
        let at = ReadingPosition {
            block: i as u32,
            offset: p.offset,
            fraction: p.fraction,
        };
        return (normalize(blocks, at), Restored::SameBlock);
    }
    (at_fraction(blocks, saved.fraction), Restored::Fraction)
}

/// The place `fraction` of the way through the text of `blocks`.
pub fn at_fraction(blocks: &[Block], fraction: f64) -> ReadingPosition {
    let fraction = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let total: u64 = blocks.iter().map(|b| chars(b) as u64).sum();
    let target = (fraction * total as f64).round() as u64;
    let mut before = 0u64;
    for (i, b) in blocks.iter().enumerate() {
        let n = chars(b) as u64;
        if before + n > target || i + 1 == blocks.len() {
            let offset = target.saturating_sub(before).min(n) as u32;
            return normalize(
                blocks,
                ReadingPosition {
                    block: i as u32,
                    offset,
                    fraction,
                },
            );
        }
        before += n;
    }
    normalize(
        blocks,
        ReadingPosition {
            fraction,
            ..ReadingPosition::START
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::blocks::to_blocks;

    fn doc(paragraphs: &[&str]) -> Vec<Block> {
        to_blocks(&paragraphs.join("\n\n"), &|_| None)
    }

    #[test]
    fn unchanged_article_restores_exactly() {
        let blocks = doc(&["first paragraph", "second one here", "third"]);
        let p = ReadingPosition {
            block: 1,
            offset: 7,
            fraction: 0.9,
        };
        let saved = save(&blocks, p);
        // The fraction is recomputed from the block and offset: 15 + 7 of 35 characters.
        assert!((saved.fraction - 22.0 / 35.0).abs() < 1e-9);
        let (back, how) = restore(&blocks, &saved);
        assert_eq!(how, Restored::Exact);
        assert_eq!((back.block, back.offset), (1, 7));
    }

    #[test]
    fn moved_block_is_found_again() {
        let old = doc(&["intro", "the part I was reading", "end"]);
        let saved = save(
            &old,
            ReadingPosition {
                block: 1,
                offset: 4,
                fraction: 0.0,
            },
        );
        let new = doc(&[
            "a new intro",
            "and a new section",
            "intro",
            "the part I was reading",
            "end",
        ]);
        let (back, how) = restore(&new, &saved);
        assert_eq!(how, Restored::SameBlock);
        assert_eq!((back.block, back.offset), (3, 4));
    }

    #[test]
    fn rewritten_article_falls_back_to_the_fraction() {
        let old = doc(&["aaaa", "bbbb", "cccc", "dddd"]);
        let saved = save(
            &old,
            ReadingPosition {
                block: 2,
                offset: 0,
                fraction: 0.0,
            },
        );
        assert!((saved.fraction - 0.5).abs() < 1e-9);
        let new = doc(&["xxxxxxxx", "yyyyyyyy"]);
        let (back, how) = restore(&new, &saved);
        assert_eq!(how, Restored::Fraction);
        assert_eq!((back.block, back.offset), (1, 0));
    }

    #[test]
    fn out_of_range_and_empty_never_fail() {
        let blocks = doc(&["only"]);
        let n = normalize(
            &blocks,
            ReadingPosition {
                block: 99,
                offset: 99,
                fraction: f64::NAN,
            },
        );
        assert_eq!((n.block, n.offset), (0, 4));
        assert_eq!(n.fraction, 1.0);
        let saved = save(&blocks, ReadingPosition::START);
        let (p, _) = restore(&[], &saved);
        assert_eq!(p, ReadingPosition::START);
        let p = at_fraction(&[], f64::INFINITY);
        assert_eq!(p.block, 0);
        // A position saved before anchors existed: its fraction.
        let old = SavedPosition {
            fraction: 0.99,
            anchor: None,
        };
        let blocks = doc(&["aaaa", "bbbb"]);
        let (p, how) = restore(&blocks, &old);
        assert_eq!((p.block, how), (1, Restored::Fraction));
    }
}
