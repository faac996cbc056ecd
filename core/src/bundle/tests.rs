//! Tests of opening and verifying bundles.

use std::path::{Path, PathBuf};

use super::*;
use crate::Error;
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
    use std::os::fd::AsFd;
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
    let by_fd = Bundle::open_fd(f.as_fd(), prefix.len() as u64, bytes.len() as u64).unwrap();
    drop(f);
    by_fd.verify().unwrap();
    assert_eq!(by_fd.list().unwrap(), by_path.list().unwrap());
    // A range running past the end of the file is refused before anything is mapped.
    let f = std::fs::File::open(&packed).unwrap();
    assert!(matches!(
        Bundle::open_fd(f.as_fd(), prefix.len() as u64 + 1, bytes.len() as u64 + 100),
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

/// Reading a body's plain text a piece at a time gives prefixes of the whole text, ending
/// on character boundaries, and the whole text at the end.
#[test]
fn plain_text_is_read_in_prefixes() {
    let article = |id: &str, body: String| corpus::Article {
        id: id.into(),
        title: id.into(),
        source: None,
        published: None,
        tags: vec![],
        summary: String::new(),
        body,
    };
    let accented = "Ünïcödé wörds, “quotes” and 🙂 emoji: consent matters. ".repeat(200);
    let articles = vec![
        article("accented", accented),
        article("heading", "# Just a heading".into()),
        article("short", "One line.".into()),
    ];
    let bundle =
        Bundle::from_bytes(build_bytes(articles, &BuildOptions::default()).unwrap()).unwrap();
    for ord in 0..bundle.len() {
        // The whole body, decompressed in one go by the article's own path.
        let whole = bundle.article_at(ord).unwrap().plain_text;
        assert_eq!(bundle.plain_text_at(ord).unwrap(), whole);
        for step in [1, 7, 100, 1024, usize::MAX] {
            let mut reader = bundle.plain_text_reader(ord).unwrap();
            let mut want = 0usize;
            assert_eq!(reader.text(), "");
            loop {
                reader.read_to(want).unwrap();
                let text = reader.text();
                assert!(whole.starts_with(text), "ord {ord}, step {step}");
                assert!(text.len() >= want.min(whole.len()).saturating_sub(3));
                if reader.is_complete() {
                    reader.read_to(0).unwrap();
                    assert_eq!(reader.text(), whole);
                    break;
                }
                want = want.saturating_add(step);
            }
        }
    }
}

/// A damaged body is a typed error from the reader: at the start, when its compressed
/// bytes fail their block checksum.
#[test]
fn damaged_bodies_fail_in_the_reader() {
    let bytes = built();
    let bundle = Bundle::from_bytes(bytes.clone()).unwrap();
    let bodies = bundle
        .manifest()
        .sections
        .iter()
        .find(|s| s.name == format::SECTION_BODIES)
        .unwrap()
        .clone();
    let mut damaged = bytes.clone();
    damaged[(bodies.offset + 20) as usize] ^= 0x40;
    let bundle = Bundle::from_bytes(damaged).unwrap();
    let err = bundle.plain_text_reader(0).and_then(|mut r| r.read_to(10));
    assert!(
        matches!(&err, Err(Error::DamagedBundle { section, .. }) if section == "bodies"),
        "{err:?}"
    );
}
