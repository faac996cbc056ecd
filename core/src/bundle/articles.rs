//! The articles of an open bundle: catalog entries found by position or id, and bodies
//! decompressed and checked against their checksums.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::directory::OwnedBytes;

use super::catalog::{self, BodyRef, CATALOG_HEADER_LEN, ENTRY_LEN, EntryMeta, RawEntry};
use super::format::{self, SECTION_BODIES, SECTION_CATALOG, crc32};
use super::{Bundle, MAX_BODY_LEN};
use crate::{Error, Result};

/// An article's catalog entry: everything but the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleMeta {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Attribution.
    pub source: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Tags.
    pub tags: Vec<String>,
    /// One-line summary.
    pub summary: String,
}

impl From<EntryMeta> for ArticleMeta {
    fn from(m: EntryMeta) -> Self {
        ArticleMeta {
            id: m.id,
            title: m.title,
            source: m.source,
            published: m.published,
            tags: m.tags,
            summary: m.summary,
        }
    }
}

/// A whole article, read and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleText {
    /// Its catalog entry.
    #[serde(flatten)]
    pub meta: ArticleMeta,
    /// The body in Markdown.
    pub markdown: String,
    /// The body as plain text: paragraphs separated by blank lines, no markup.
    pub plain_text: String,
}

impl Bundle {
    /// Catalog entry of the article at `ord` (its position in id order).
    pub fn meta_at(&self, ord: usize) -> Result<ArticleMeta> {
        let (raw, record) = self.entry(ord)?;
        catalog::decode_meta(record.as_slice(), raw.published_days).map(ArticleMeta::from)
    }

    /// Every article's catalog entry, in id order.
    pub fn list(&self) -> Result<Vec<ArticleMeta>> {
        (0..self.count).map(|ord| self.meta_at(ord)).collect()
    }

    /// Position of the article `id` in the catalog, if present.
    pub fn ord_of(&self, id: &str) -> Result<Option<usize>> {
        let (mut lo, mut hi) = (0usize, self.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (_, record) = self.entry(mid)?;
            match catalog::decode_id(record.as_slice())?.cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(Some(mid)),
            }
        }
        Ok(None)
    }

    /// True when the bundle has an article with this id.
    pub fn contains(&self, id: &str) -> Result<bool> {
        Ok(self.ord_of(id)?.is_some())
    }

    /// The catalog entry of the article `id`.
    pub fn meta(&self, id: &str) -> Result<ArticleMeta> {
        let ord = self
            .ord_of(id)?
            .ok_or_else(|| Error::ArticleNotFound(id.to_string()))?;
        self.meta_at(ord)
    }

    /// The whole article `id`, its body checked against its checksum.
    pub fn article(&self, id: &str) -> Result<ArticleText> {
        let ord = self
            .ord_of(id)?
            .ok_or_else(|| Error::ArticleNotFound(id.to_string()))?;
        self.article_at(ord)
    }

    /// The whole article at `ord`.
    pub fn article_at(&self, ord: usize) -> Result<ArticleText> {
        let meta = self.meta_at(ord)?;
        let (markdown, plain_text) = self.body(ord)?;
        Ok(ArticleText {
            meta,
            markdown,
            plain_text,
        })
    }

    /// The plain-text body of the article at `ord`, checked against the plain text's
    /// own checksum.
    pub fn plain_text_at(&self, ord: usize) -> Result<String> {
        let mut reader = self.plain_text_reader(ord)?;
        reader.read_to(usize::MAX)?;
        Ok(reader.text().to_string())
    }

    /// The plain-text body of the article at `ord`, to be read only as far as a
    /// snippet needs: usually its first kilobyte or two. The compressed bytes are
    /// checked against the bundle's block checksums, and the text against its own
    /// checksum, at the first read.
    pub fn plain_text_reader(&self, ord: usize) -> Result<PlainTextReader> {
        let (b, range) = self.body_record(ord)?;
        Ok(PlainTextReader {
            ord,
            compressed: Some(self.bodies.read(range)?),
            raw_len: b.raw_len as usize,
            head_len: b.head_len as usize,
            crc: b.head_crc32,
            text: String::new(),
            shown: 0,
            failed: false,
        })
    }

    /// Decompresses and checks the whole body of the article at `ord` (against its
    /// CRC-32 and its plain-text length field): (Markdown, plain text).
    pub(super) fn body(&self, ord: usize) -> Result<(String, String)> {
        let (b, range) = self.body_record(ord)?;
        let compressed = self.bodies.read_unchecked(range)?;
        with_inflated(ord, compressed, b.raw_len as usize, |raw| {
            if crc32(raw) != b.crc32 {
                return Err(body_damage(ord, "checksum mismatch"));
            }
            if format::u32_at(raw, 0) != b.head_len - 4 {
                return Err(body_damage(ord, "bad length"));
            }
            let (head, markdown) = raw.split_at(b.head_len as usize);
            let to_string = |v: &[u8]| {
                std::str::from_utf8(v)
                    .map(str::to_owned)
                    .map_err(|_| body_damage(ord, "text is not UTF-8"))
            };
            Ok((to_string(markdown)?, to_string(&head[4..])?))
        })
    }

    /// The body record of the article at `ord`: its catalog reference, checked for
    /// plausible lengths, and its byte range in the bodies section.
    fn body_record(&self, ord: usize) -> Result<(BodyRef, Range<usize>)> {
        let b = self.entry(ord)?.0.body;
        if b.raw_len as usize > MAX_BODY_LEN || b.head_len < 4 || b.head_len > b.raw_len {
            return Err(body_damage(ord, "implausible lengths"));
        }
        let start =
            usize::try_from(b.offset).map_err(|_| body_damage(ord, "offset out of range"))?;
        let end = start
            .checked_add(b.compressed_len as usize)
            .ok_or_else(|| body_damage(ord, "offset out of range"))?;
        Ok((b, start..end))
    }

    pub(super) fn entry(&self, ord: usize) -> Result<(RawEntry, OwnedBytes)> {
        if ord >= self.count {
            return Err(Error::InvalidArgument(format!(
                "article #{ord} out of range (bundle has {})",
                self.count
            )));
        }
        let at = CATALOG_HEADER_LEN + ord * ENTRY_LEN;
        let raw = catalog::decode_entry(self.catalog.read(at..at + ENTRY_LEN)?.as_slice());
        let area = CATALOG_HEADER_LEN + self.count * ENTRY_LEN;
        let start = area.checked_add(raw.meta_offset as usize);
        let end = start
            .and_then(|s| s.checked_add(raw.meta_len as usize))
            .filter(|&e| e <= self.catalog.len());
        let (Some(start), Some(end)) = (start, end) else {
            return Err(Error::damaged(
                SECTION_CATALOG,
                format!("article #{ord}: record out of bounds"),
            ));
        };
        Ok((raw, self.catalog.read(start..end)?))
    }
}

/// A damaged article body.
fn body_damage(ord: usize, detail: &str) -> Error {
    Error::damaged(SECTION_BODIES, format!("article #{ord}: {detail}"))
}

/// An article's plain text, shown as far as it has been asked for
/// ([`Bundle::plain_text_reader`]).
///
/// The first read inflates the whole body record (plain text and Markdown) at once:
/// libdeflate does that in about half the time a streaming inflater takes to give the
/// first part of it (docs/adr/0026). What is shown still grows only as asked, so that a
/// snippet scans no more of the text than it needs.
pub struct PlainTextReader {
    ord: usize,
    /// The compressed body (plain text, then Markdown), its blocks checked; `None`
    /// once inflated.
    compressed: Option<OwnedBytes>,
    /// Length of the whole record, inflated.
    raw_len: usize,
    /// Length of the head: the plain text's 4-byte length field, then the text.
    head_len: usize,
    /// The head's checksum.
    crc: u32,
    /// The whole plain text, once inflated and checked.
    text: String,
    /// Bytes of `text` shown so far (a character boundary).
    shown: usize,
    /// Set by the first error.
    failed: bool,
}

impl PlainTextReader {
    /// Shows the text to at least `at_least` bytes (or to the end). After an error,
    /// every call fails.
    pub fn read_to(&mut self, at_least: usize) -> Result<()> {
        if self.failed {
            return Err(body_damage(self.ord, "damaged"));
        }
        if let Some(compressed) = self.compressed.take() {
            self.text = self
                .inflate(&compressed)
                .inspect_err(|_| self.failed = true)?;
        }
        let mut end = at_least.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        self.shown = self.shown.max(end);
        Ok(())
    }

    /// The text shown so far. It ends on a character boundary.
    pub fn text(&self) -> &str {
        &self.text[..self.shown]
    }

    /// True once the whole text has been shown.
    pub fn is_complete(&self) -> bool {
        self.compressed.is_none() && self.shown == self.text.len()
    }

    /// The plain text of the record `compressed`, checked against the head's length
    /// field, checksum and UTF-8.
    fn inflate(&self, compressed: &OwnedBytes) -> Result<String> {
        with_inflated(self.ord, compressed.as_slice(), self.raw_len, |raw| {
            let head = &raw[..self.head_len];
            if format::u32_at(head, 0) as usize != self.head_len - 4 {
                return Err(body_damage(self.ord, "bad length"));
            }
            if crc32(head) != self.crc {
                return Err(body_damage(self.ord, "checksum mismatch"));
            }
            std::str::from_utf8(&head[4..])
                .map(str::to_owned)
                .map_err(|_| body_damage(self.ord, "text is not UTF-8"))
        })
    }
}

/// Inflates the body record `compressed` of article `ord`, which must be exactly
/// `raw_len` bytes (raw DEFLATE), into this thread's scratch buffer, and hands it to
/// `read`.
fn with_inflated<T>(
    ord: usize,
    compressed: &[u8],
    raw_len: usize,
    read: impl FnOnce(&[u8]) -> Result<T>,
) -> Result<T> {
    SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        let Spare { inflater, scratch } = &mut *spare;
        if scratch.len() < raw_len {
            scratch.resize(raw_len, 0);
        }
        let out = &mut scratch[..raw_len];
        let written = inflater
            .get_or_insert_with(libdeflater::Decompressor::new)
            .deflate_decompress(compressed, out);
        let result = match written {
            Ok(n) if n == raw_len => read(out),
            Ok(n) => Err(body_damage(
                ord,
                &format!("cannot decompress ({n} bytes instead of {raw_len})"),
            )),
            Err(e) => Err(body_damage(ord, &format!("cannot decompress ({e})"))),
        };
        if scratch.len() > SCRATCH_KEPT {
            *scratch = Vec::new();
        }
        result
    })
}

/// The most scratch memory a thread keeps between bodies (a longer one is inflated into
/// memory given back after it).
const SCRATCH_KEPT: usize = 256 << 10;

/// A thread's inflater and scratch buffer, kept between bodies: a page of hits inflates
/// ten, and a new inflater is about 10 kB to allocate.
struct Spare {
    inflater: Option<libdeflater::Decompressor>,
    scratch: Vec<u8>,
}

thread_local! {
    static SPARE: std::cell::RefCell<Spare> = const {
        std::cell::RefCell::new(Spare {
            inflater: None,
            scratch: Vec::new(),
        })
    };
}
