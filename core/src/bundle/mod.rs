//! The single-file corpus bundle (`.quire`): writer, reader and format.
//!
//! A bundle holds everything a reader needs: the catalog of articles, their compressed
//! bodies, the vocabulary and the search index. Opening one is cheap (map the file,
//! check the header, manifest and checksum table, open the index in place); every
//! byte is checked against its block checksum the first time it is read, and each
//! article body against its own checksum when it is decompressed. [`Bundle::verify`]
//! checks everything at once, for bundles that did not ship with the app.
//!
//! ```
//! use quire_core::bundle::{self, Bundle, BuildOptions};
//! use quire_core::corpus::Article;
//!
//! let article = Article {
//!     id: "hello".into(),
//!     title: "Hello".into(),
//!     source: None,
//!     published: None,
//!     tags: vec!["greeting".into()],
//!     summary: "A greeting.".into(),
//!     body: "Hello, *world*.".into(),
//! };
//! let bytes = bundle::build_bytes(vec![article], &BuildOptions::default())?;
//! let bundle = Bundle::from_bytes(bytes)?;
//! bundle.verify()?;
//! assert_eq!(bundle.article("hello")?.plain_text, "Hello, world.");
//! # Ok::<(), quire_core::Error>(())
//! ```

pub mod catalog;
mod directory;
pub mod format;
mod storage;
mod writer;

use std::collections::HashMap;
use std::fs::File;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::directory::OwnedBytes;
use tantivy::directory::footer::Footer;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::search::analysis::{self, ANALYZER_NAME, ANALYZER_VERSION};
use crate::search::schema::{self, Fields};
use crate::{Error, Result};
use catalog::{CATALOG_HEADER_LEN, ENTRY_LEN, EntryMeta, RawEntry};
use directory::BundleDirectory;
use format::{
    Header, INDEX_PREFIX, Manifest, SECTION_BODIES, SECTION_CATALOG, SECTION_VOCAB, crc32,
};
use storage::{Checksums, Prefetch, Section};
pub use writer::{
    BuildOptions, BuildStats, MAX_BODY_LEN, build_bytes, build_file, encode_body, write_bundle,
};

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

/// An open bundle. `Send + Sync`: share it between threads behind an `Arc`.
pub struct Bundle {
    bytes: OwnedBytes,
    header: Header,
    manifest: Manifest,
    catalog: Section,
    count: usize,
    bodies: Section,
    vocab: tantivy_fst::Map<OwnedBytes>,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    index_sections: Vec<Section>,
    checks: Arc<Checksums>,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bundle")
            .field("corpus", &self.manifest.corpus)
            .field("articles", &self.count)
            .finish()
    }
}

impl Bundle {
    /// Opens the bundle file at `path`.
    pub fn open(path: &Path) -> Result<Bundle> {
        let file =
            File::open(path).map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
        let len = file
            .metadata()
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?
            .len();
        let (bytes, prefetch) = storage::map_file(&file, 0, len)?;
        let mut bundle = Bundle::from_owned_bytes(bytes, prefetch)?;
        bundle.path = Some(path.to_path_buf());
        Ok(bundle)
    }

    /// Opens a bundle stored at `offset..offset + len` of an open file, such as an
    /// uncompressed Android asset. The descriptor is duplicated; the caller keeps
    /// ownership of `fd` and may close it.
    #[cfg(unix)]
    pub fn open_fd(fd: std::os::fd::RawFd, offset: u64, len: u64) -> Result<Bundle> {
        use std::os::fd::BorrowedFd;
        if fd < 0 {
            return Err(Error::InvalidArgument(format!(
                "invalid file descriptor {fd}"
            )));
        }
        // SAFETY: the caller promises `fd` is open for the duration of this call; we
        // only borrow it to duplicate it.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        let owned = borrowed
            .try_clone_to_owned()
            .map_err(|e| Error::io("duplicating the bundle descriptor", e))?;
        let file = File::from(owned);
        let file_len = file
            .metadata()
            .map_err(|e| Error::io("reading the bundle descriptor", e))?
            .len();
        if offset.checked_add(len).is_none_or(|end| end > file_len) {
            return Err(Error::InvalidArgument(format!(
                "bundle range {offset}+{len} lies outside the {file_len}-byte file"
            )));
        }
        let (bytes, prefetch) = storage::map_file(&file, offset, len)?;
        Bundle::from_owned_bytes(bytes, prefetch)
    }

    /// Opens a bundle held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Bundle> {
        Bundle::from_owned_bytes(storage::owned(bytes), Prefetch::default())
    }

    fn from_owned_bytes(bytes: OwnedBytes, prefetch: Prefetch) -> Result<Bundle> {
        let data = bytes.as_slice();
        let header = Header::decode(
            &data[..data.len().min(format::HEADER_LEN)],
            data.len() as u64,
        )?;
        let manifest_bytes = &data[header.manifest_offset as usize
            ..(header.manifest_offset + header.manifest_len) as usize];
        if crc32(manifest_bytes) != header.manifest_crc {
            return Err(Error::damaged("manifest", "manifest checksum mismatch"));
        }
        let manifest = Manifest::parse(manifest_bytes, data.len() as u64)?;
        if manifest.analysis.name != ANALYZER_NAME || manifest.analysis.version != ANALYZER_VERSION
        {
            return Err(Error::damaged(
                "manifest",
                format!(
                    "the index was built with analysis {} v{}; this version of Quire reads {ANALYZER_NAME} v{ANALYZER_VERSION}",
                    manifest.analysis.name, manifest.analysis.version
                ),
            ));
        }
        let checks = Arc::new(Checksums::new(bytes.clone(), &manifest, prefetch)?);
        let section = |name: &str| -> Result<Section> {
            let entry = manifest
                .section(name)
                .ok_or_else(|| Error::damaged("manifest", format!("no `{name}` section")))?;
            Ok(Section::new(&bytes, entry.clone(), checks.clone()))
        };
        let catalog = section(SECTION_CATALOG)?;
        let bodies = section(SECTION_BODIES)?;
        let count = check_catalog(&catalog, manifest.article_count)?;
        let vocab_section = section(SECTION_VOCAB)?;
        let vocab_bytes = vocab_section.read(0..vocab_section.len())?;
        let vocab = guard_damage("vocab", || {
            tantivy_fst::raw::Fst::new(vocab_bytes)
                .map(tantivy_fst::Map::from)
                .map_err(|e| Error::damaged("vocab", format!("not a valid vocabulary: {e}")))
        })?;

        let mut index_sections = Vec::new();
        let mut files = HashMap::new();
        for entry in &manifest.sections {
            if let Some(name) = entry.name.strip_prefix(INDEX_PREFIX) {
                let s = Section::new(&bytes, entry.clone(), checks.clone());
                files.insert(PathBuf::from(name), s.clone());
                index_sections.push(s);
            }
        }
        if !files.contains_key(Path::new("meta.json")) {
            return Err(Error::damaged("manifest", "the index has no meta.json"));
        }
        let directory = BundleDirectory::new(files);
        let (index, reader, fields) = guard_damage("index", || open_index(directory, count))?;
        Ok(Bundle {
            bytes,
            header,
            manifest,
            catalog,
            count,
            bodies,
            vocab,
            index,
            reader,
            fields,
            index_sections,
            checks,
            path: None,
        })
    }

    /// Checks every checksum of the bundle: each block of each section, each article
    /// body, and the footer checksum tantivy keeps in each index file. Reads the whole
    /// file; run it once on a bundle that did not ship with the app.
    pub fn verify(&self) -> Result<()> {
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
        used.push((
            self.header.manifest_offset,
            self.header.manifest_offset + self.header.manifest_len,
        ));
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

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The format version of the file, as `(major, minor)`.
    pub fn format_version(&self) -> (u16, u16) {
        (self.header.major, self.header.minor)
    }

    /// Size of the bundle in bytes.
    pub fn size(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// The path the bundle was opened from, if it was opened by path.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when the bundle has no articles (never, for a bundle Quire wrote).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

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
        let (mut head, _) = self.body_bytes(ord, false)?;
        head.drain(..4);
        String::from_utf8(head).map_err(|_| body_damage(ord, "text is not UTF-8"))
    }

    /// Decompresses and checks the whole body of the article at `ord`: (Markdown,
    /// plain text).
    fn body(&self, ord: usize) -> Result<(String, String)> {
        let (mut plain, head_len) = self.body_bytes(ord, true)?;
        let markdown = plain.split_off(head_len);
        plain.drain(..4);
        let to_string =
            |v: Vec<u8>| String::from_utf8(v).map_err(|_| body_damage(ord, "text is not UTF-8"));
        Ok((to_string(markdown)?, to_string(plain)?))
    }

    /// Decompresses the body record of the article at `ord` (its head alone, or with
    /// `whole` all of it), checks it against its CRC-32 and its plain-text length field,
    /// and returns it with the head's length.
    fn body_bytes(&self, ord: usize, whole: bool) -> Result<(Vec<u8>, usize)> {
        use miniz_oxide::inflate::TINFLStatus;
        use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
        let b = self.entry(ord)?.0.body;
        if b.raw_len as usize > MAX_BODY_LEN || b.head_len < 4 || b.head_len > b.raw_len {
            return Err(body_damage(ord, "implausible lengths"));
        }
        let (len, crc) = if whole {
            (b.raw_len, b.crc32)
        } else {
            (b.head_len, b.head_crc32)
        };
        let start =
            usize::try_from(b.offset).map_err(|_| body_damage(ord, "offset out of range"))?;
        let end = start
            .checked_add(b.compressed_len as usize)
            .ok_or_else(|| body_damage(ord, "offset out of range"))?;
        let compressed = self.bodies.read_unchecked(start..end)?;
        let mut out = vec![0u8; len as usize];
        let mut state = Box::<DecompressorOxide>::default();
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, _, written) = decompress(&mut state, compressed, &mut out, 0, flags);
        let complete = match status {
            TINFLStatus::Done => written == out.len(),
            TINFLStatus::HasMoreOutput => !whole && written == out.len(),
            _ => false,
        };
        if !complete {
            return Err(body_damage(ord, &format!("cannot decompress ({status:?})")));
        }
        if crc32(&out) != crc {
            return Err(body_damage(ord, "checksum mismatch"));
        }
        if format::u32_at(&out, 0) != b.head_len - 4 {
            return Err(body_damage(ord, "bad length"));
        }
        Ok((out, b.head_len as usize))
    }

    fn entry(&self, ord: usize) -> Result<(RawEntry, OwnedBytes)> {
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

    /// The vocabulary: every surface word of the corpus with the number of articles
    /// that use it.
    pub fn vocabulary(&self) -> &tantivy_fst::Map<OwnedBytes> {
        &self.vocab
    }

    /// The search index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The one reader of the index, kept for the life of the bundle.
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The fields of the index.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }
}

/// A damaged article body.
fn body_damage(ord: usize, detail: &str) -> Error {
    Error::damaged(SECTION_BODIES, format!("article #{ord}: {detail}"))
}

/// Runs `f` on bundle data, turning a panic into a damaged-bundle error for `section`.
fn guard_damage<T>(section: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::damaged(section, "the data is inconsistent")))
}

/// Runs `f`, turning a panic (tantivy on inconsistent index data, or a bug) into
/// [`Error::Internal`], so that one bad call never takes the app down. The panic's
/// message is not kept: it may quote article text.
pub(crate) fn guard<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(Error::Internal(format!("{what} failed unexpectedly"))),
    }
}

fn check_catalog(catalog: &Section, article_count: u64) -> Result<usize> {
    let head = catalog.read(0..CATALOG_HEADER_LEN.min(catalog.len()))?;
    if head.len() < CATALOG_HEADER_LEN {
        return Err(Error::damaged(SECTION_CATALOG, "catalog is too short"));
    }
    let count = format::u32_at(head.as_slice(), 0) as u64;
    if count != article_count {
        return Err(Error::damaged(
            SECTION_CATALOG,
            format!("catalog has {count} articles, manifest says {article_count}"),
        ));
    }
    let count = count as usize;
    if CATALOG_HEADER_LEN + count * ENTRY_LEN > catalog.len() {
        return Err(Error::damaged(
            SECTION_CATALOG,
            "catalog entries run past the section",
        ));
    }
    Ok(count)
}

fn open_index(directory: BundleDirectory, count: usize) -> Result<(Index, IndexReader, Fields)> {
    let damaged = |e: tantivy::TantivyError| Error::damaged("index", e.to_string());
    let mut index = Index::open(directory).map_err(damaged)?;
    let fields = schema::check(&index.schema())?;
    index.set_tokenizers(analysis::tokenizer_manager());
    let metas = index.searchable_segment_metas().map_err(damaged)?;
    if metas.len() != 1 || metas[0].max_doc() as usize != count || metas[0].num_deleted_docs() != 0
    {
        return Err(Error::damaged(
            "index/meta.json",
            format!(
                "expected one segment of {count} documents, found {} segment(s)",
                metas.len()
            ),
        ));
    }
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(damaged)?;
    if reader.searcher().num_docs() as usize != count {
        return Err(Error::damaged(
            "index",
            "document count does not match the catalog",
        ));
    }
    Ok((index, reader, fields))
}

/// Checks the CRC-32 tantivy keeps in the footer of an index file.
fn check_footer(section: &Section) -> Result<()> {
    let bytes = section.read(0..section.len())?;
    let file = tantivy::directory::FileSlice::new(Arc::new(bytes));
    let damaged = |detail: String| Error::damaged(&section.entry.name, detail);
    let (footer, body) =
        Footer::extract_footer(file).map_err(|e| damaged(format!("bad index footer: {e}")))?;
    let body = body.read_bytes().map_err(|e| damaged(e.to_string()))?;
    if crc32(body.as_slice()) != footer.crc {
        return Err(damaged("index file checksum mismatch".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;

    fn corpus_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
    }

    fn built() -> Vec<u8> {
        build_bytes(
            corpus::load_dir(&corpus_dir()).unwrap(),
            &BuildOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn round_trips_the_built_in_corpus() {
        let articles = corpus::load_dir(&corpus_dir()).unwrap();
        let bundle = Bundle::from_bytes(built()).unwrap();
        bundle.verify().unwrap();
        assert_eq!(bundle.len(), articles.len());
        for a in &articles {
            let text = bundle.article(&a.id).unwrap();
            assert_eq!(text.markdown, a.body);
            assert_eq!(text.meta.title, a.title);
            assert_eq!(text.meta.tags, a.tags);
            assert_eq!(text.meta.published, a.published);
            assert_eq!(text.plain_text, corpus::markdown::to_plain(&a.body).text);
        }
        let listed: Vec<String> = bundle.list().unwrap().into_iter().map(|m| m.id).collect();
        let mut ids: Vec<String> = articles.iter().map(|a| a.id.clone()).collect();
        ids.sort();
        assert_eq!(listed, ids);
        assert!(matches!(
            bundle.article("no-such-article"),
            Err(Error::ArticleNotFound(_))
        ));
        assert!(bundle.vocabulary().get("withdrawal").is_some());
        assert_eq!(
            bundle.reader().searcher().num_docs() as usize,
            articles.len()
        );
    }

    #[test]
    fn opens_by_path_and_by_descriptor_range() {
        use std::io::Write;
        use std::os::fd::AsRawFd;
        let bytes = built();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.quire");
        std::fs::write(&path, &bytes).unwrap();
        let by_path = Bundle::open(&path).unwrap();
        by_path.verify().unwrap();
        assert_eq!(by_path.path(), Some(path.as_path()));

        // Embedded at an odd offset inside a larger file, as an Android asset would be.
        let packed = dir.path().join("pack.bin");
        let mut f = std::fs::File::create(&packed).unwrap();
        let prefix = vec![7u8; 70_001];
        f.write_all(&prefix).unwrap();
        f.write_all(&bytes).unwrap();
        f.write_all(b"trailing data").unwrap();
        drop(f);
        let f = std::fs::File::open(&packed).unwrap();
        let by_fd =
            Bundle::open_fd(f.as_raw_fd(), prefix.len() as u64, bytes.len() as u64).unwrap();
        drop(f);
        by_fd.verify().unwrap();
        assert_eq!(by_fd.list().unwrap(), by_path.list().unwrap());
        assert!(matches!(
            Bundle::open_fd(-1, 0, 10),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn truncation_and_bit_flips_are_named() {
        let bytes = built();
        let bundle = Bundle::from_bytes(bytes.clone()).unwrap();
        let manifest = bundle.manifest().clone();
        for cut in [0, 10, 64, bytes.len() / 2, bytes.len() - 1] {
            let err = Bundle::from_bytes(bytes[..cut].to_vec()).unwrap_err();
            assert!(
                matches!(err, Error::NotABundle(_) | Error::DamagedBundle { .. }),
                "cut {cut}: {err}"
            );
        }
        for s in &manifest.sections {
            let mut damaged = bytes.clone();
            damaged[(s.offset + s.length / 2) as usize] ^= 0x10;
            let result = Bundle::from_bytes(damaged).and_then(|b| b.verify());
            match result {
                Err(Error::DamagedBundle { section, .. }) => {
                    assert!(
                        section == s.name || section == "index",
                        "flip in {} reported as {section}",
                        s.name
                    )
                }
                other => panic!("flip in {} gave {other:?}", s.name),
            }
        }
    }
}
