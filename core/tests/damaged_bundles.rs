//! Damaged bundles: every truncation, 10,000 random single-bit flips, and hostile damage
//! inside the tantivy files with every checksum of the bundle recomputed to match.
//! Opening, verifying, listing, reading and searching each give a typed error or the
//! correct answer; never a panic, an abort, a hang, or text that differs from the
//! original. For hostile damage, "correct" is what a reader can see: such a pack comes
//! from outside the app and is verified when it is imported (DESIGN.md), so a different
//! answer is acceptable only from a bundle that `verify` refuses.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

mod common;

use common::{Rng, built_in_bundle, figures, reseal};
use quire_core::Error;
use quire_core::bundle::Bundle;
use quire_core::search::{SearchOptions, Searcher};

const QUERIES: &[&str] = &[
    "withdrawing consent",
    "self-betrayal",
    "consnet",
    "stop means stop",
    // A quoted phrase of two words in both built-in articles: its lists are walked and
    // its positions read by the core itself (search::close).
    "\"consent is\"",
];

/// One hit as a reader sees it: id, snippet, highlight ranges.
type SeenHit = (String, String, Vec<(u32, u32)>);

/// Everything a reader can observe of a bundle, for comparison with the original.
#[derive(Debug, PartialEq)]
struct Observed {
    list: Vec<quire_core::bundle::ArticleMeta>,
    articles: Vec<quire_core::bundle::ArticleText>,
    searches: Vec<Vec<SeenHit>>,
}

/// What each call gave: a value equal to the original's, or a typed error.
#[derive(Debug, Default)]
struct Tally {
    attempts: usize,
    typed_errors: usize,
    correct: usize,
    panics: usize,
    /// Different answers from a bundle that `verify` refused: a hostile pack is verified
    /// when it is imported and never used, so these never reach a reader.
    wrong_after_failed_verify: usize,
    wrong: Vec<String>,
    slowest: Duration,
}

fn observe_each(bytes: Vec<u8>, original: &Observed, tally: &mut Tally, label: &str) {
    let verified = catch_unwind(AssertUnwindSafe(|| {
        Bundle::from_bytes(bytes.clone()).and_then(|b| b.verify())
    }));
    let verified = matches!(verified, Ok(Ok(())));
    let started = Instant::now();
    tally.attempts += 1;
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
        let b = match Bundle::from_bytes(bytes) {
            Ok(b) => b,
            Err(e) => return Err(kind(&e)),
        };
        let mut result = Ok(());
        let mut record = |same: bool, what: &str| {
            if !same && result.is_ok() {
                result = Err(format!("WRONG {what}"));
            }
        };
        if let Ok(list) = b.list() {
            record(list == original.list, "list");
        }
        for (i, a) in original.articles.iter().enumerate() {
            if let Ok(got) = b.article(&a.meta.id) {
                record(&got == a, &format!("article {i}"));
            }
        }
        for (q, expected) in QUERIES.iter().zip(&original.searches) {
            if let Ok(r) = Searcher::new(&b).search(q, &SearchOptions::default()) {
                let got: Vec<_> = r
                    .hits
                    .into_iter()
                    .map(|h| (h.id, h.snippet, h.highlights))
                    .collect();
                record(&got == expected, &format!("search {q:?}"));
            }
        }
        result
    }));
    let took = started.elapsed();
    tally.slowest = tally.slowest.max(took);
    assert!(
        took < Duration::from_secs(5),
        "{label}: took {took:?} (a hang?)"
    );
    match outcome {
        Err(_) => tally.panics += 1,
        Ok(Ok(())) => tally.correct += 1,
        Ok(Err(e)) if e.starts_with("WRONG") && !verified => tally.wrong_after_failed_verify += 1,
        Ok(Err(e)) if e.starts_with("WRONG") => tally
            .wrong
            .push(format!("{label}: {e} (and verify passed)")),
        Ok(Err(_)) => tally.typed_errors += 1,
    }
}

fn kind(e: &Error) -> String {
    match e {
        Error::NotABundle(_)
        | Error::DamagedBundle { .. }
        | Error::UnsupportedBundleVersion { .. } => "typed".into(),
        other => format!("unexpected error kind: {other}"),
    }
}

fn observe(b: &Bundle) -> Observed {
    Observed {
        list: b.list().unwrap(),
        articles: b
            .list()
            .unwrap()
            .iter()
            .map(|m| b.article(&m.id).unwrap())
            .collect(),
        searches: QUERIES
            .iter()
            .map(|q| {
                Searcher::new(b)
                    .search(q, &SearchOptions::default())
                    .unwrap()
                    .hits
                    .into_iter()
                    .map(|h| (h.id, h.snippet, h.highlights))
                    .collect()
            })
            .collect(),
    }
}

fn report(name: &str, t: &Tally) {
    figures(
        &format!("damaged bundles: {name}"),
        &format!(
            "{name}: {} inputs, {} typed errors, {} correct answers, {} panics, {} wrong, \
         {} different answers from bundles verify refused, slowest {:?}",
            t.attempts,
            t.typed_errors,
            t.correct,
            t.panics,
            t.wrong.len(),
            t.wrong_after_failed_verify,
            t.slowest
        ),
    );
    assert_eq!(t.panics, 0, "{name}: panics");
    assert!(
        t.wrong.is_empty(),
        "{name}: wrong answers:\n{}",
        t.wrong.join("\n")
    );
}

#[test]
fn every_truncation_is_a_typed_error() {
    let bytes = built_in_bundle();
    let mut t = Tally::default();
    for len in 0..bytes.len() {
        t.attempts += 1;
        match catch_unwind(|| Bundle::from_bytes(bytes[..len].to_vec()).map(|_| ())) {
            Ok(Err(e)) if kind(&e) == "typed" => t.typed_errors += 1,
            Ok(Err(e)) => t.wrong.push(format!("len {len}: {e}")),
            Ok(Ok(())) => t.wrong.push(format!("len {len}: truncated bundle opened")),
            Err(_) => t.panics += 1,
        }
    }
    report("truncations", &t);
    assert_eq!(t.typed_errors, bytes.len());
}

#[test]
fn ten_thousand_bit_flips_give_typed_errors_or_the_right_answer() {
    let bytes = built_in_bundle();
    let original = observe(&Bundle::from_bytes(bytes.clone()).unwrap());
    let mut rng = Rng(0x5eed);
    let mut t = Tally::default();
    let mut verify_caught = 0;
    for i in 0..10_000 {
        let bit = rng.below(bytes.len() * 8);
        let mut damaged = bytes.clone();
        damaged[bit / 8] ^= 1 << (bit % 8);
        if Bundle::from_bytes(damaged.clone())
            .and_then(|b| b.verify())
            .is_err()
        {
            verify_caught += 1;
        }
        observe_each(
            damaged,
            &original,
            &mut t,
            &format!("flip #{i} (bit {bit})"),
        );
    }
    report("bit flips", &t);
    assert_eq!(
        t.wrong_after_failed_verify, 0,
        "accidental damage must never change an answer"
    );
    figures(
        "damaged bundles: verify",
        &format!("verify reported {verify_caught} of 10000 bit flips"),
    );
    assert_eq!(
        verify_caught, 10_000,
        "a single-bit flip anywhere in the file fails verification"
    );
}

/// Replaces the content of section `name` in place (same length) and reseals.
fn with_section(bytes: &[u8], name: &str, edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let b = Bundle::from_bytes(bytes.to_vec()).unwrap();
    let s = b.manifest().section(name).unwrap().clone();
    let mut out = bytes.to_vec();
    edit(&mut out[s.offset as usize..(s.offset + s.length) as usize]);
    assert!(reseal(&mut out));
    out
}

#[test]
fn hostile_damage_inside_the_index_files_is_contained() {
    let bytes = built_in_bundle();
    let b = Bundle::from_bytes(bytes.clone()).unwrap();
    let original = observe(&b);
    let index_sections: Vec<(String, u64)> = b
        .manifest()
        .sections
        .iter()
        .filter(|s| s.name.starts_with("index/"))
        .map(|s| (s.name.clone(), s.length))
        .collect();
    drop(b);
    let mut rng = Rng(0xbad);
    let mut t = Tally::default();

    // The resealing itself is sound: an untouched bundle resealed still reads the same.
    let mut same = bytes.clone();
    assert!(reseal(&mut same));
    assert_eq!(observe(&Bundle::from_bytes(same).unwrap()), original);

    for (name, len) in &index_sections {
        let len = *len as usize;
        // Footers: the last 64 bytes of each index file hold tantivy's footer (JSON
        // with the version and CRC, its length and a magic number).
        for i in 0..300 {
            let damaged = with_section(&bytes, name, |s| {
                for _ in 0..1 + rng.below(4) {
                    let at = len - 1 - rng.below(len.min(64));
                    s[at] = rng.next() as u8;
                }
            });
            observe_each(damaged, &original, &mut t, &format!("{name} footer #{i}"));
        }
        // Anywhere in the file, with consistent checksums.
        for i in 0..300 {
            let damaged = with_section(&bytes, name, |s| {
                let at = rng.below(len);
                s[at] ^= 1 << rng.below(8);
            });
            observe_each(damaged, &original, &mut t, &format!("{name} body #{i}"));
        }
    }
    // The document store's skip index, crafted: tantivy reserves memory for whatever
    // layer count it reads, and a failed allocation aborts (the fuzz test found a count
    // asking for 576 PB), so Quire must refuse the file before tantivy reads it.
    let store = &index_sections
        .iter()
        .find(|(name, _)| name.ends_with(".store"))
        .expect("the index has a document store")
        .0;
    for (what, edit) in store_edits() {
        let damaged = with_section(&bytes, store, edit);
        assert!(
            matches!(
                Bundle::from_bytes(damaged.clone()),
                Err(Error::DamagedBundle { .. })
            ),
            "{what}: not refused at open"
        );
        observe_each(damaged, &original, &mut t, what);
    }
    // meta.json rewritten: wrong counts, ids, schema, truncated, not JSON.
    let meta = {
        let b = Bundle::from_bytes(bytes.clone()).unwrap();
        let s = b.manifest().section("index/meta.json").unwrap().clone();
        String::from_utf8(bytes[s.offset as usize..(s.offset + s.length) as usize].to_vec())
            .unwrap()
    };
    let edits: Vec<String> = vec![
        meta.replace("\"max_doc\":2", "\"max_doc\":2000000000"),
        meta.replace("\"max_doc\":2", "\"max_doc\":0"),
        meta.replace("\"max_doc\":2", "\"max_doc\":1"),
        meta.replace("\"title\"", "\"titel\""),
        meta.replace("quire_en", "default"),
        meta.replace("\"text\"", "\"u64\""),
        meta.replacen("\"segment_id\":\"", "\"segment_id\":\"0", 1),
        meta.replace("\"opstamp\":", "\"opstamp\":-"),
        "{}".into(),
        "not json at all".into(),
        meta[..meta.len() / 2].into(),
        String::new(),
    ];
    for (i, m) in edits.into_iter().enumerate() {
        let mut padded = m.into_bytes();
        padded.resize(meta.len(), b' ');
        let damaged = with_section(&bytes, "index/meta.json", |s| s.copy_from_slice(&padded));
        observe_each(damaged, &original, &mut t, &format!("meta.json edit #{i}"));
    }
    report("hostile index damage", &t);
}

/// Where the parts of a document store file lie: the skip index's start and the store
/// footer's (tantivy's own footer, its JSON then two `u32`s, ends the file).
fn store_layout(file: &[u8]) -> (usize, usize) {
    let end = file.len() - 8;
    let json = u32::from_le_bytes(file[end..end + 4].try_into().unwrap()) as usize;
    let footer = end - json - 28;
    let index = u64::from_le_bytes(file[footer + 4..footer + 12].try_into().unwrap());
    (index as usize, footer)
}

/// Crafted damage to a document store, each named.
type StoreEdit = (&'static str, Box<dyn FnOnce(&mut [u8])>);

fn store_edits() -> Vec<StoreEdit> {
    let set_offset = |value: fn(usize) -> u64| {
        move |s: &mut [u8]| {
            let (_, footer) = store_layout(s);
            s[footer + 4..footer + 12].copy_from_slice(&value(footer).to_le_bytes());
        }
    };
    vec![
        (
            // Up to 2^57 - 1 layers: 2^60 bytes to reserve, an abort, not a panic.
            "a layer count as large as the skip index can spell",
            Box::new(|s: &mut [u8]| {
                let (index, footer) = store_layout(s);
                let n = (footer - index).min(9);
                s[index..index + n - 1].fill(0x7f);
                s[index + n - 1] = 0x81;
            }),
        ),
        (
            "a layer ending past the skip index",
            Box::new(|s: &mut [u8]| {
                let (index, footer) = store_layout(s);
                assert!(footer - index >= 3, "room for a count and an offset");
                s[index] = 0x81;
                s[index + 1] = 0x7f;
                s[index + 2] = 0xff;
            }),
        ),
        (
            "a skip index past the end",
            Box::new(set_offset(|_| u64::MAX)),
        ),
        (
            "a skip index inside the store footer",
            Box::new(set_offset(|footer| footer as u64 + 1)),
        ),
        (
            "an unknown store version",
            Box::new(|s: &mut [u8]| {
                let (_, footer) = store_layout(s);
                s[footer..footer + 4].copy_from_slice(&3u32.to_le_bytes());
            }),
        ),
    ]
}
