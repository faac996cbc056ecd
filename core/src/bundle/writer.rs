//! Building a bundle from articles.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, FileHandle, RamDirectory, TerminatingWrite, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::{Index, TantivyDocument};

use super::catalog::{self, BodyRef, EntryMeta};
use super::format::{
    BLOCK_SIZE, ChecksumTable, CorpusInfo, FORMAT_MAJOR, FORMAT_MINOR, HEADER_LEN, Header,
    INDEX_PREFIX, Manifest, PackInfo, SECTION_ALIGN, SECTION_BODIES, SECTION_CATALOG,
    SECTION_LEXICON, SECTION_THESAURUS, SECTION_VOCAB, SectionEntry, crc32,
};
use super::signature::SigningKey;
use crate::corpus::{self, Article, markdown};
use crate::index::analysis::{self, Analyzers, Language};
use crate::index::{Lexicon, Thesaurus, schema};
use crate::{Error, Result};

/// Largest article body accepted, in bytes of Markdown plus plain text.
pub const MAX_BODY_LEN: usize = 16 * 1024 * 1024;

/// What to record about the corpus, and how much memory indexing may use.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Stable corpus identifier written to the manifest.
    pub corpus_id: String,
    /// Corpus version written to the manifest.
    pub corpus_version: String,
    /// Build time written to the manifest.
    pub built_at: DateTime<Utc>,
    /// Memory budget of the indexer, in bytes.
    pub index_memory_bytes: usize,
    /// The language of the articles: the analysis follows it.
    pub language: Language,
    /// The word list of the language (one word per line), compiled into the bundle's
    /// lexicon so that search corrects only misspelled words; `None` for no lexicon
    /// (search then treats the articles' words as the only known ones).
    pub lexicon: Option<String>,
    /// The thesaurus written with the articles; `None` for none.
    pub thesaurus: Option<Thesaurus>,
    /// The pack this bundle is (from the publisher's `pack.toml`); `None` for a plain
    /// bundle. Its `publisher_key` is set from `sign_with`.
    pub pack: Option<PackInfo>,
    /// The publisher's key that signs the bundle ([`build_file`] and [`build_bytes`]
    /// append the signature trailer; [`write_bundle`] leaves it to its caller).
    pub sign_with: Option<SigningKey>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            corpus_id: "local".into(),
            corpus_version: "1".into(),
            built_at: Utc::now(),
            index_memory_bytes: 512 * 1024 * 1024,
            language: Language::English,
            lexicon: None,
            thesaurus: None,
            pack: None,
            sign_with: None,
        }
    }
}

/// Figures about a finished build.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildStats {
    /// Articles in the bundle.
    pub articles: usize,
    /// Bytes of Markdown (title, summary and body) that went in.
    pub input_bytes: u64,
    /// Size of the bundle file.
    pub bundle_bytes: u64,
    /// Bytes of the compressed bodies section.
    pub bodies_bytes: u64,
    /// Bytes of all index sections.
    pub index_bytes: u64,
    /// Distinct surface words in the vocabulary.
    pub vocabulary_words: usize,
    /// Keys of the lexicon: its words and their stems (0 without one).
    pub lexicon_words: usize,
    /// Bytes of the lexicon section.
    pub lexicon_bytes: u64,
    /// Entries of the thesaurus (0 without one).
    pub thesaurus_entries: usize,
}

/// Builds a bundle into `out`, calling `progress(done, total)` as articles are indexed.
/// With [`BuildOptions::sign_with`] the manifest names the publisher key, and the caller
/// appends the trailer ([`SigningKey::sign`] over every byte written); until then the
/// bundle reads as one whose signature was removed.
pub fn write_bundle<W: Write + Seek>(
    mut articles: Vec<Article>,
    options: &BuildOptions,
    out: W,
    mut progress: impl FnMut(usize, usize),
) -> Result<BuildStats> {
    corpus::check_articles(&articles)?;
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    let total = articles.len();
    let language = options.language;
    let (schema, fields) = schema::schema(language);
    let ram = RamDirectory::create();
    // One segment, documents in insertion order: a document's id is its catalog position.
    let mut writer = Index::builder()
        .schema(schema)
        .tokenizers(analysis::tokenizer_manager())
        .single_segment_index_writer::<TantivyDocument>(ram.clone(), options.index_memory_bytes)
        .map_err(index_err)?;
    let mut stats = BuildStats {
        articles: total,
        ..BuildStats::default()
    };
    let mut analyzers = Analyzers::new(language);
    let lexicon = match &options.lexicon {
        Some(list) => Some(Lexicon::build(list, &mut analyzers)?),
        None => None,
    };
    let mut vocab: BTreeMap<String, u64> = BTreeMap::new();
    let mut doc_words: HashSet<String> = HashSet::new();
    let mut bodies: Vec<u8> = Vec::new();
    let mut entries = Vec::with_capacity(total);
    for (ord, article) in articles.into_iter().enumerate() {
        stats.input_bytes +=
            (article.title.len() + article.summary.len() + article.body.len()) as u64;
        let plain = markdown::to_plain(&article.body);
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.title, &article.title);
        doc.add_text(fields.headings, plain.headings.join("\n"));
        doc.add_text(fields.summary, &article.summary);
        doc.add_text(fields.body, &plain.text);
        for tag in &article.tags {
            doc.add_text(fields.tags, tag);
            doc.add_text(fields.tag, tag);
        }
        writer.add_document(doc).map_err(index_err)?;

        doc_words.clear();
        for text in [
            article.title.as_str(),
            article.summary.as_str(),
            plain.text.as_str(),
        ] {
            doc_words.extend(analyzers.surfaces(text));
        }
        for tag in &article.tags {
            doc_words.extend(analyzers.surfaces(tag));
        }
        for word in doc_words.drain() {
            *vocab.entry(word).or_insert(0) += 1;
        }

        let (body, head_len) = encode_body(&article.body, &plain.text);
        if body.len() > MAX_BODY_LEN {
            return Err(Error::InvalidArgument(format!(
                "article `{}` is {} bytes, more than the {MAX_BODY_LEN} allowed",
                article.id,
                body.len()
            )));
        }
        let compressed = miniz_oxide::deflate::compress_to_vec(&body, COMPRESSION_LEVEL);
        let body_ref = BodyRef {
            offset: bodies.len() as u64,
            compressed_len: compressed.len() as u32,
            raw_len: body.len() as u32,
            head_len: head_len as u32,
            head_crc32: crc32(&body[..head_len]),
            crc32: crc32(&body),
        };
        bodies.extend_from_slice(&compressed);
        let Article {
            id,
            title,
            source,
            published,
            tags,
            summary,
            ..
        } = article;
        entries.push((
            EntryMeta {
                id,
                title,
                source,
                summary,
                tags,
                published,
            },
            body_ref,
        ));
        progress(ord + 1, total);
    }
    writer.finalize().map_err(index_err)?;
    stats.vocabulary_words = vocab.len();
    let vocab_fst = {
        let mut b = tantivy_fst::MapBuilder::memory();
        for (word, count) in &vocab {
            b.insert(word, *count)
                .map_err(|e| Error::Index(format!("building the vocabulary: {e}")))?;
        }
        b.into_inner()
            .map_err(|e| Error::Index(format!("building the vocabulary: {e}")))?
    };
    drop(vocab);

    let capture = CaptureDirectory::default();
    ram.persist(&capture).map_err(index_err)?;
    let index_files = capture.into_files();

    let mut out = SectionWriter::new(out)?;
    out.section(SECTION_CATALOG, &catalog::encode(&entries))?;
    drop(entries);
    stats.bodies_bytes = bodies.len() as u64;
    out.section(SECTION_BODIES, &bodies)?;
    drop(bodies);
    out.section(SECTION_VOCAB, &vocab_fst)?;
    if let Some(lexicon) = &lexicon {
        stats.lexicon_bytes = lexicon.as_bytes().len() as u64;
        stats.lexicon_words = lexicon.len();
        out.section(SECTION_LEXICON, lexicon.as_bytes())?;
    }
    if let Some(thesaurus) = &options.thesaurus {
        stats.thesaurus_entries = thesaurus.len();
        out.section(SECTION_THESAURUS, &thesaurus.to_bytes())?;
    }
    for (name, bytes) in &index_files {
        stats.index_bytes += bytes.len() as u64;
        out.section(&format!("{INDEX_PREFIX}{name}"), bytes)?;
    }
    let manifest_corpus = CorpusInfo {
        id: options.corpus_id.clone(),
        version: options.corpus_version.clone(),
    };
    let pack = options.pack.clone().map(|mut p| {
        p.publisher_key = options.sign_with.as_ref().map(|k| k.public().to_string());
        p
    });
    stats.bundle_bytes = out.finish(
        manifest_corpus,
        language,
        pack,
        options.built_at,
        total as u64,
    )?;
    Ok(stats)
}

/// Builds a bundle file at `path`. The file appears complete or not at all: it is
/// written next to its destination, synced, then renamed over it.
pub fn build_file(
    articles: Vec<Article>,
    options: &BuildOptions,
    path: &Path,
    progress: impl FnMut(usize, usize),
) -> Result<BuildStats> {
    let tmp = temp_path(path);
    let result = (|| {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(|e| Error::io(format!("creating {}", tmp.display()), e))?;
        let mut buffered = io::BufWriter::with_capacity(1 << 20, file);
        let mut stats = write_bundle(articles, options, &mut buffered, progress)?;
        let mut file = buffered
            .into_inner()
            .map_err(|e| Error::io(format!("writing {}", tmp.display()), e.into_error()))?;
        if let Some(key) = &options.sign_with {
            let digest = file_digest(&mut file)
                .map_err(|e| Error::io(format!("reading back {}", tmp.display()), e))?;
            let trailer = key.sign_digest(digest).encode();
            file.write_all(&trailer)
                .map_err(|e| Error::io(format!("signing {}", tmp.display()), e))?;
            stats.bundle_bytes += trailer.len() as u64;
        }
        file.sync_all()
            .map_err(|e| Error::io(format!("syncing {}", tmp.display()), e))?;
        std::fs::rename(&tmp, path)
            .map_err(|e| Error::io(format!("renaming to {}", path.display()), e))?;
        Ok(stats)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Builds a bundle in memory (signed when [`BuildOptions::sign_with`] says so).
pub fn build_bytes(articles: Vec<Article>, options: &BuildOptions) -> Result<Vec<u8>> {
    let mut cursor = io::Cursor::new(Vec::new());
    write_bundle(articles, options, &mut cursor, |_, _| {})?;
    let mut bytes = cursor.into_inner();
    if let Some(key) = &options.sign_with {
        let trailer = key.sign(&bytes).encode();
        bytes.extend_from_slice(&trailer);
    }
    Ok(bytes)
}

/// SHA-256 of a file from its start to where it ends now; leaves it positioned at its end.
fn file_digest(file: &mut std::fs::File) -> io::Result<[u8; 32]> {
    use sha2::Digest;
    file.seek(SeekFrom::Start(0))?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().into())
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{}.partial", std::process::id()));
    path.with_file_name(name)
}

/// Deflate level of article bodies (0–10).
const COMPRESSION_LEVEL: u8 = 9;

/// The raw body record: `u32` length of the plain text, the plain text, then the
/// Markdown. Returns it with the length of its head (everything up to the end of the
/// plain text), which snippets decompress alone.
pub fn encode_body(markdown: &str, plain: &str) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(4 + markdown.len() + plain.len());
    out.extend_from_slice(&(plain.len() as u32).to_le_bytes());
    out.extend_from_slice(plain.as_bytes());
    let head = out.len();
    out.extend_from_slice(markdown.as_bytes());
    (out, head)
}

fn index_err(e: impl std::fmt::Display) -> Error {
    Error::Index(e.to_string())
}

/// Writes aligned sections with their block checksums, then the table, manifest and header.
struct SectionWriter<W: Write + Seek> {
    out: W,
    pos: u64,
    sections: Vec<SectionEntry>,
    blocks: Vec<u8>,
}

impl<W: Write + Seek> SectionWriter<W> {
    fn new(mut out: W) -> Result<Self> {
        out.write_all(&[0u8; HEADER_LEN]).map_err(write_err)?;
        Ok(SectionWriter {
            out,
            pos: HEADER_LEN as u64,
            sections: Vec::new(),
            blocks: Vec::new(),
        })
    }

    fn pad(&mut self) -> Result<()> {
        let padding = self.pos.next_multiple_of(SECTION_ALIGN) - self.pos;
        self.out
            .write_all(&vec![0u8; padding as usize])
            .map_err(write_err)?;
        self.pos += padding;
        Ok(())
    }

    fn section(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.pad()?;
        let first_block = (self.blocks.len() / 4) as u64;
        for block in bytes.chunks(BLOCK_SIZE as usize) {
            self.blocks.extend_from_slice(&crc32(block).to_le_bytes());
        }
        self.out.write_all(bytes).map_err(write_err)?;
        self.sections.push(SectionEntry {
            name: name.to_string(),
            offset: self.pos,
            length: bytes.len() as u64,
            first_block,
        });
        self.pos += bytes.len() as u64;
        Ok(())
    }

    fn finish(
        mut self,
        corpus: CorpusInfo,
        language: Language,
        pack: Option<PackInfo>,
        built_at: DateTime<Utc>,
        article_count: u64,
    ) -> Result<u64> {
        self.pad()?;
        let checksums = ChecksumTable {
            offset: self.pos,
            length: self.blocks.len() as u64,
            crc32: crc32(&self.blocks),
        };
        self.out.write_all(&self.blocks).map_err(write_err)?;
        self.pos += self.blocks.len() as u64;
        // The lowest minor that holds what was written: 1.2 only for a pack.
        let minor = if pack.is_some() { FORMAT_MINOR } else { 1 };
        let manifest = Manifest {
            format: format!("{FORMAT_MAJOR}.{minor}"),
            corpus,
            language,
            pack,
            built_at: built_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            generator: concat!("quire-core ", env!("CARGO_PKG_VERSION")).to_string(),
            article_count,
            analysis: analysis::manifest_analysis(language),
            block_size: BLOCK_SIZE,
            checksums,
            sections: std::mem::take(&mut self.sections),
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Error::Index(format!("encoding the manifest: {e}")))?;
        let header = Header {
            major: FORMAT_MAJOR,
            minor,
            manifest_offset: self.pos,
            manifest_len: json.len() as u64,
            manifest_crc: crc32(&json),
        };
        self.out.write_all(&json).map_err(write_err)?;
        self.pos += json.len() as u64;
        self.out.seek(SeekFrom::Start(0)).map_err(write_err)?;
        self.out.write_all(&header.encode()).map_err(write_err)?;
        self.out
            .seek(SeekFrom::Start(self.pos))
            .map_err(write_err)?;
        self.out.flush().map_err(write_err)?;
        Ok(self.pos)
    }
}

fn write_err(e: io::Error) -> Error {
    Error::io("writing the bundle", e)
}

/// A write-only tantivy directory that keeps what is written, to copy an index's files
/// out of a [`RamDirectory`] (the only way tantivy lists them).
#[derive(Debug, Clone, Default)]
struct CaptureDirectory {
    files: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
}

impl CaptureDirectory {
    /// The index files: `meta.json` and the segment files. Tantivy's bookkeeping files
    /// (`.managed.json`, lock files) and temporary files are left out.
    fn into_files(self) -> Vec<(String, Vec<u8>)> {
        let files = std::mem::take(&mut *self.files.lock().unwrap_or_else(|p| p.into_inner()));
        files
            .into_iter()
            .filter(|(name, _)| !name.starts_with('.') && !name.ends_with(".temp"))
            .collect()
    }
}

struct CaptureWriter {
    name: String,
    buf: Vec<u8>,
    files: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
}

impl Write for CaptureWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl TerminatingWrite for CaptureWriter {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(
            std::mem::take(&mut self.name),
            std::mem::take(&mut self.buf),
        );
        Ok(())
    }
}

fn unsupported() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "capture directory is write-only",
    )
}

impl Directory for CaptureDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        Err(OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::FileDoesNotExist(path.to_path_buf()))
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        Ok(files.contains_key(&path.to_string_lossy().into_owned()))
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let writer = CaptureWriter {
            name: path.to_string_lossy().into_owned(),
            buf: Vec::new(),
            files: self.files.clone(),
        };
        Ok(io::BufWriter::new(Box::new(writer)))
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        Err(OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(unsupported())
    }
    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }
    fn watch(&self, _cb: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
