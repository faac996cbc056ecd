//! The open bundle: the [`Bundle`] type, opening it from a file, a descriptor range or
//! memory (header, manifest, checksum table, catalog, vocabulary and index are checked
//! on the way), and its parts for the layers above.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::{CompositeFile, OwnedBytes};
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::{Index, IndexReader, ReloadPolicy};

use super::catalog::{CATALOG_HEADER_LEN, ENTRY_LEN};
use super::directory::BundleDirectory;
use super::docstore;
use super::format::PackInfo;
use super::format::{
    self, Header, INDEX_PREFIX, Manifest, SECTION_BODIES, SECTION_CATALOG, SECTION_LEXICON,
    SECTION_THESAURUS, SECTION_VOCAB, crc32,
};
use super::signature::{self, PublisherKey, Trailer};
use super::storage::{self, Checksums, Prefetch, Section};
use crate::error::guard_damage;
use crate::index::analysis::{self, ANALYZER_VERSION, Language};
use crate::index::schema::{self, Fields};
use crate::index::{Analyzers, Lexicon, Thesaurus};
use crate::{Error, Result};

/// An open bundle. `Send + Sync`: share it between threads behind an `Arc`.
pub struct Bundle {
    pub(super) bytes: OwnedBytes,
    pub(super) header: Header,
    pub(super) manifest: Manifest,
    pub(super) catalog: Section,
    pub(super) count: usize,
    pub(super) bodies: Section,
    vocab: tantivy_fst::Map<OwnedBytes>,
    lexicon: Option<Lexicon>,
    thesaurus: Option<Thesaurus>,
    language: Language,
    index: Index,
    reader: IndexReader,
    positions: Arc<Positions>,
    fields: Fields,
    pub(super) index_sections: Vec<Section>,
    pub(super) checks: Arc<Checksums>,
    pub(super) trailer: Option<Trailer>,
    path: Option<PathBuf>,
}

/// What a bundle's signature says, once checked ([`Bundle::check_signature`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCheck {
    /// No signature, and no publisher key named: an unsigned bundle.
    Unsigned,
    /// Signed by this publisher key, and no byte changed since.
    Signed(PublisherKey),
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
    /// uncompressed Android asset. The descriptor is duplicated: the caller keeps
    /// ownership of `fd` and may close it once this returns.
    #[cfg(unix)]
    pub fn open_fd(fd: std::os::fd::BorrowedFd<'_>, offset: u64, len: u64) -> Result<Bundle> {
        let owned = fd
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
        let trailer =
            Trailer::decode(&data[(header.manifest_offset + header.manifest_len) as usize..])?;
        let language = manifest.language;
        if manifest.analysis.name != language.analyzer_name()
            || manifest.analysis.version != ANALYZER_VERSION
        {
            return Err(Error::damaged(
                "manifest",
                format!(
                    "the index was built with analysis {} v{}; this version of Quire reads {} v{ANALYZER_VERSION} for language `{language}`",
                    manifest.analysis.name,
                    manifest.analysis.version,
                    language.analyzer_name()
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
        let optional = |name: &str| manifest.section(name).map(|_| section(name)).transpose();
        let lexicon = match optional(SECTION_LEXICON)? {
            Some(s) => {
                let bytes = s.read(0..s.len())?;
                Some(guard_damage(SECTION_LEXICON, || {
                    Lexicon::open(bytes, language)
                })?)
            }
            None => None,
        };
        let thesaurus = match optional(SECTION_THESAURUS)? {
            Some(s) => Some(Thesaurus::from_bytes(&s.read(0..s.len())?)?),
            None => None,
        };

        let mut index_sections = Vec::new();
        let mut files = HashMap::new();
        for entry in &manifest.sections {
            if let Some(name) = entry.name.strip_prefix(INDEX_PREFIX) {
                let s = Section::new(&bytes, entry.clone(), checks.clone());
                if name.ends_with(".store") {
                    guard_damage(&entry.name, || docstore::check(&s))?;
                }
                files.insert(PathBuf::from(name), s.clone());
                index_sections.push(s);
            }
        }
        if !files.contains_key(Path::new("meta.json")) {
            return Err(Error::damaged("manifest", "the index has no meta.json"));
        }
        let directory = BundleDirectory::new(files);
        let (index, reader, positions, fields) =
            guard_damage("index", || open_index(directory, count, language))?;
        Ok(Bundle {
            bytes,
            header,
            manifest,
            catalog,
            count,
            bodies,
            vocab,
            lexicon,
            thesaurus,
            language,
            index,
            reader,
            positions: Arc::new(positions),
            fields,
            index_sections,
            checks,
            trailer,
            path: None,
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The pack this bundle is, when it is one.
    pub fn pack(&self) -> Option<&PackInfo> {
        self.manifest.pack.as_ref()
    }

    /// The id its articles are filed under: its pack id, or for a plain bundle its
    /// corpus id (`quire-builtin` for the articles built into the apps).
    pub fn pack_id(&self) -> &str {
        self.pack()
            .map(|p| p.id.as_str())
            .unwrap_or(&self.manifest.corpus.id)
    }

    /// Its signature trailer, if it has one (unchecked: see [`Bundle::check_signature`]).
    pub fn trailer(&self) -> Option<&Trailer> {
        self.trailer.as_ref()
    }

    /// Checks the publisher's signature: the SHA-256 of every byte before the trailer
    /// against the one signed, and the signature against the key the manifest names.
    /// Reads the whole file once. A pack that names a key but lost its trailer, or has a
    /// trailer but names no key, fails like a forged one ([`Error::BadSignature`]).
    pub fn check_signature(&self) -> Result<SignatureCheck> {
        let key = match self.pack().and_then(|p| p.publisher_key.as_deref()) {
            Some(text) => Some(PublisherKey::parse(text).map_err(|_| {
                Error::BadSignature("the publisher key in the manifest is not 64 hex digits".into())
            })?),
            None => None,
        };
        match (key, &self.trailer) {
            (None, None) => Ok(SignatureCheck::Unsigned),
            (None, Some(_)) => Err(Error::BadSignature(
                "the bundle is signed but names no publisher key".into(),
            )),
            (Some(_), None) => Err(Error::BadSignature(
                "the pack names a publisher key but its signature is missing".into(),
            )),
            (Some(key), Some(trailer)) => {
                let end = (self.header.manifest_offset + self.header.manifest_len) as usize;
                if signature::digest(&self.bytes.as_slice()[..end]) != trailer.digest {
                    return Err(Error::BadSignature(
                        "the file changed after it was signed (SHA-256 mismatch)".into(),
                    ));
                }
                key.verify(trailer)?;
                Ok(SignatureCheck::Signed(key))
            }
        }
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

    /// The language of its articles, which its analysis follows.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Analysers of the bundle's language, for one thread.
    pub fn analyzers(&self) -> Analyzers {
        Analyzers::new(self.language)
    }

    /// The words of its language, when the bundle has a lexicon.
    pub fn lexicon(&self) -> Option<&Lexicon> {
        self.lexicon.as_ref()
    }

    /// Its thesaurus, when it has one.
    pub fn thesaurus(&self) -> Option<&Thesaurus> {
        self.thesaurus.as_ref()
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

    /// The positions file of the index's one segment, for search nodes that read
    /// positions themselves.
    pub(crate) fn positions(&self) -> &Arc<Positions> {
        &self.positions
    }
}

/// The positions file (`.pos`) of a bundle's one index segment, split by field: what a
/// search node needs to read the positions of a term itself, walking its postings
/// list (see `search::close`).
#[derive(Clone, Debug)]
pub(crate) struct Positions {
    /// The segment the file belongs to: the file is only for readers of that segment.
    pub(crate) segment: SegmentId,
    pub(crate) file: CompositeFile,
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

fn open_index(
    directory: BundleDirectory,
    count: usize,
    language: Language,
) -> Result<(Index, IndexReader, Positions, Fields)> {
    let mut index = Index::open(directory).map_err(Error::index)?;
    let fields = schema::check(&index.schema(), language)?;
    index.set_tokenizers(analysis::tokenizer_manager());
    let metas = index.searchable_segment_metas().map_err(Error::index)?;
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
        .map_err(Error::index)?;
    if reader.searcher().num_docs() as usize != count {
        return Err(Error::damaged(
            "index",
            "document count does not match the catalog",
        ));
    }
    // The segment reader above has opened the same file the same way, so this cannot
    // fail on bytes it accepted.
    let segment = index.segment(metas[0].clone());
    let file = segment
        .open_read(SegmentComponent::Positions)
        .map_err(Error::index)?;
    let positions = Positions {
        segment: segment.id(),
        file: CompositeFile::open(&file).map_err(Error::index)?,
    };
    Ok((index, reader, positions, fields))
}
