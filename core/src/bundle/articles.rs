//! The articles of an open bundle: catalog entries found by position or id, and bodies
//! decompressed and checked against their checksums.

use std::ops::Range;

use chrono::NaiveDate;
use miniz_oxide::inflate::core::DecompressorOxide;
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

    /// The plain-text body of the article at `ord`. Only the plain-text part of the
    /// compressed body is decompressed and checked.
    pub fn plain_text_at(&self, ord: usize) -> Result<String> {
        let mut reader = self.plain_text_reader(ord)?;
        reader.read_to(usize::MAX)?;
        Ok(reader.text().to_string())
    }

    /// The plain-text body of the article at `ord`, to be decompressed only as far as
    /// it is read: a snippet usually needs its first kilobyte or two. The compressed
    /// bytes are checked against the bundle's block checksums before any is inflated,
    /// and the text against its own checksum once it has been read to the end.
    pub fn plain_text_reader(&self, ord: usize) -> Result<PlainTextReader> {
        let (b, range) = self.body_record(ord)?;
        Ok(PlainTextReader {
            ord,
            compressed: self.bodies.read(range)?,
            read: 0,
            out: Vec::with_capacity(b.head_len as usize),
            len: b.head_len as usize,
            crc: b.head_crc32,
            valid: 4,
            state: None,
            failed: false,
        })
    }

    /// Decompresses and checks the whole body of the article at `ord`: (Markdown,
    /// plain text).
    pub(super) fn body(&self, ord: usize) -> Result<(String, String)> {
        let (mut plain, head_len) = self.body_bytes(ord)?;
        let markdown = plain.split_off(head_len);
        plain.drain(..4);
        let to_string =
            |v: Vec<u8>| String::from_utf8(v).map_err(|_| body_damage(ord, "text is not UTF-8"));
        Ok((to_string(markdown)?, to_string(plain)?))
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

    /// Decompresses the whole body record of the article at `ord`, checks it against
    /// its CRC-32 and its plain-text length field, and returns it with the head's length.
    fn body_bytes(&self, ord: usize) -> Result<(Vec<u8>, usize)> {
        use miniz_oxide::inflate::TINFLStatus;
        use miniz_oxide::inflate::core::{decompress, inflate_flags};
        let (b, range) = self.body_record(ord)?;
        let compressed = self.bodies.read_unchecked(range)?;
        let mut out = vec![0u8; b.raw_len as usize];
        let mut state = Inflater::take();
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, _, written) = decompress(&mut state, compressed, &mut out, 0, flags);
        if !matches!(status, TINFLStatus::Done) || written != out.len() {
            return Err(body_damage(ord, &format!("cannot decompress ({status:?})")));
        }
        Inflater::give_back(state);
        if crc32(&out) != b.crc32 {
            return Err(body_damage(ord, "checksum mismatch"));
        }
        if format::u32_at(&out, 0) != b.head_len - 4 {
            return Err(body_damage(ord, "bad length"));
        }
        Ok((out, b.head_len as usize))
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

/// An article's plain text, decompressed as far as it has been asked for
/// ([`Bundle::plain_text_reader`]).
pub struct PlainTextReader {
    ord: usize,
    /// The compressed body (plain text, then Markdown), its blocks checked.
    compressed: OwnedBytes,
    /// Compressed bytes consumed so far.
    read: usize,
    /// The decompressed head so far: the plain text's 4-byte length, then the text.
    out: Vec<u8>,
    /// Length of the whole head.
    len: usize,
    /// The head's checksum.
    crc: u32,
    /// End of the text known to be valid UTF-8 (from byte 4 of `out`).
    valid: usize,
    /// The inflater, between reads.
    state: Option<Box<DecompressorOxide>>,
    /// Set by the first error.
    failed: bool,
}

impl PlainTextReader {
    /// Decompresses the text to at least `at_least` bytes (or to the end). After an
    /// error, every call fails.
    pub fn read_to(&mut self, at_least: usize) -> Result<()> {
        if self.failed {
            return Err(body_damage(self.ord, "damaged"));
        }
        self.extend(at_least).inspect_err(|_| self.failed = true)
    }

    /// The text decompressed so far. It ends on a character boundary.
    pub fn text(&self) -> &str {
        // SAFETY: `out[4..valid]` is valid UTF-8: each part of it was checked (in
        // `extend`, as it was decompressed), and parts that end and begin on character
        // boundaries join into valid UTF-8. `out` only grows, and bytes before `valid`
        // never change.
        // Before the first read, nothing (not even the length field) is decompressed.
        self.out
            .get(4..self.valid)
            .map_or("", |text| unsafe { std::str::from_utf8_unchecked(text) })
    }

    fn extend(&mut self, at_least: usize) -> Result<()> {
        use miniz_oxide::inflate::TINFLStatus;
        use miniz_oxide::inflate::core::{decompress, inflate_flags};
        let want = at_least.saturating_add(4).min(self.len);
        if self.out.len() >= want {
            return Ok(());
        }
        let have = self.out.len();
        self.out.resize(want, 0);
        let state = self.state.get_or_insert_with(Inflater::take);
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, consumed, written) = decompress(
            state,
            &self.compressed.as_slice()[self.read..],
            &mut self.out,
            have,
            flags,
        );
        self.read += consumed;
        let filled = have + written == want;
        let ok = match status {
            TINFLStatus::Done => filled && want == self.len,
            TINFLStatus::HasMoreOutput => filled,
            _ => false,
        };
        if !ok {
            return Err(body_damage(
                self.ord,
                &format!("cannot decompress ({status:?})"),
            ));
        }
        if have < 4 && format::u32_at(&self.out, 0) as usize != self.len - 4 {
            return Err(body_damage(self.ord, "bad length"));
        }
        if want == self.len {
            if let Some(state) = self.state.take() {
                Inflater::give_back(state);
            }
            if crc32(&self.out) != self.crc {
                return Err(body_damage(self.ord, "checksum mismatch"));
            }
        }
        match std::str::from_utf8(&self.out[self.valid..]) {
            Ok(_) => self.valid = self.out.len(),
            // A character cut at the end of what is decompressed so far.
            Err(e) if e.error_len().is_none() && want < self.len => self.valid += e.valid_up_to(),
            Err(_) => return Err(body_damage(self.ord, "text is not UTF-8")),
        }
        Ok(())
    }

    /// True once the whole text has been decompressed.
    pub fn is_complete(&self) -> bool {
        self.out.len() == self.len
    }
}

impl Drop for PlainTextReader {
    fn drop(&mut self) {
        // A text read in part leaves its inflater mid-stream: the next stream resets it.
        if let Some(state) = self.state.take() {
            Inflater::give_back(state);
        }
    }
}

/// A spare inflater per thread: a page of hits inflates ten bodies, and a new inflater
/// is about 10 kB to allocate and clear.
struct Inflater;

thread_local! {
    static SPARE_INFLATER: std::cell::RefCell<Option<Box<DecompressorOxide>>> =
        const { std::cell::RefCell::new(None) };
}

impl Inflater {
    /// An inflater ready for a new stream.
    fn take() -> Box<DecompressorOxide> {
        match SPARE_INFLATER.with(|s| s.borrow_mut().take()) {
            Some(mut state) => {
                state.init();
                state
            }
            None => Box::default(),
        }
    }

    /// Keeps `state` for the next stream on this thread.
    fn give_back(state: Box<DecompressorOxide>) {
        SPARE_INFLATER.with(|s| *s.borrow_mut() = Some(state));
    }
}
