//! The [`Reader`] on the built-in articles and a real SQLite file: each screen's call,
//! discreet display, the lock with its back-off across a reopen and its erase, quick
//! exit, bad input and 8 threads.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::Error;
use crate::bundle::{BuildOptions, Bundle, build_bytes};
use crate::corpus;

const STOP: &str = "consent-during-sex-stop-means-stop";
const PROCESS: &str = "consent-is-a-process";

fn bundle() -> Arc<Bundle> {
    let articles =
        corpus::load_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"))).unwrap();
    Arc::new(Bundle::from_bytes(build_bytes(articles, &BuildOptions::default()).unwrap()).unwrap())
}

fn reader(dir: &Path) -> Reader {
    Reader::open(bundle(), dir).unwrap()
}

fn search(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.into(),
        ..SearchRequest::default()
    }
}

/// A moment `secs` after the tests' fixed start, so waits do not depend on how long
/// hashing takes on a busy machine.
fn t(secs: i64) -> DateTime<Utc> {
    static START: std::sync::OnceLock<DateTime<Utc>> = std::sync::OnceLock::new();
    *START.get_or_init(Utc::now) + Duration::seconds(secs)
}

#[test]
fn search_marks_words_and_records_only_what_was_submitted() {
    let dir = tempfile::tempdir().unwrap();
    let r = reader(dir.path());
    r.set_settings(&ReaderSettings {
        recent_searches_enabled: true,
        ..ReaderSettings::default()
    })
    .unwrap();
    let page = r
        .search(&SearchRequest {
            suggestions: 2,
            ..search("withdrawing consent")
        })
        .unwrap();
    assert_eq!(page.hits[0].article_id, STOP);
    assert!(!page.hits[0].highlights.is_empty());
    assert!(r.recent_searches().unwrap().is_empty());
    r.search(&SearchRequest {
        submitted: true,
        ..search("withdrawing consent")
    })
    .unwrap();
    assert_eq!(r.recent_searches().unwrap()[0].query, "withdrawing consent");
    assert_eq!(r.last_query().as_deref(), Some("withdrawing consent"));
}

#[test]
fn article_view_marks_every_form_of_the_searched_words() {
    let b = bundle();
    let view = article_view(&b, STOP, Some("withdrawing consent")).unwrap();
    assert!(view.matches.len() >= 3);
    for m in &view.matches {
        let text: String = view.blocks[m.block as usize]
            .text
            .chars()
            .skip(m.start as usize)
            .take((m.end - m.start) as usize)
            .collect::<String>()
            .to_lowercase();
        assert!(
            text.starts_with("withdraw") || text.starts_with("consent"),
            "{text}"
        );
    }
    // "withdrawing" finds the article's "withdrawal".
    assert!(view.matches.iter().any(|m| {
        view.blocks[m.block as usize]
            .text
            .chars()
            .skip(m.start as usize)
            .take((m.end - m.start) as usize)
            .collect::<String>()
            .eq_ignore_ascii_case("withdrawal")
    }));
    assert_eq!(view.first_match(), view.matches.first().copied());
    // A typo is marked as its correction.
    let fixed = article_view(&b, STOP, Some("withdrawl")).unwrap();
    assert!(!fixed.matches.is_empty());
    // Odd queries mark nothing and fail nothing.
    for q in ["", "\"", "- *", "💬", "zzzzzzzz"] {
        article_view(&b, STOP, Some(q)).unwrap();
    }
    assert!(matches!(
        article_view(&b, "no-such-article", None),
        Err(Error::ArticleNotFound(_))
    ));
}

#[test]
fn positions_survive_a_reopen_and_fall_back_when_unanchored() {
    let dir = tempfile::tempdir().unwrap();
    {
        let r = reader(dir.path());
        let opened = r.open_article(STOP, None).unwrap();
        assert!(opened.resume.is_none());
        let kept = r
            .save_position(
                STOP,
                ReadingPosition {
                    block: 7,
                    offset: 5,
                    fraction: 0.0,
                },
            )
            .unwrap();
        assert_eq!((kept.block, kept.offset), (7, 5));
        assert!(kept.fraction > 0.0);
        // A position from an older app, without an anchor: by its fraction.
        r.store_unchecked().set_progress(PROCESS, 0.5).unwrap();
    }
    let r = reader(dir.path());
    let resume = r.open_article(STOP, None).unwrap().resume.unwrap();
    assert_eq!(resume.restored, Restored::Exact);
    assert_eq!((resume.position.block, resume.position.offset), (7, 5));
    let old = r.open_article(PROCESS, None).unwrap();
    let resume = old.resume.unwrap();
    assert_eq!(resume.restored, Restored::Fraction);
    assert!(resume.position.block > 0);
}

#[test]
fn bookmarks_notes_undo_search_and_unavailable_articles() {
    let dir = tempfile::tempdir().unwrap();
    let r = reader(dir.path());
    let added = r.add_bookmark(STOP, Some("ask Sam")).unwrap();
    r.add_bookmark(PROCESS, None).unwrap();
    assert!(matches!(
        r.add_bookmark("no-such-article", None),
        Err(Error::ArticleNotFound(_))
    ));
    let ids = |v: Vec<BookmarkItem>| -> Vec<String> {
        v.into_iter().map(|b| b.item.article_id).collect()
    };
    assert_eq!(ids(r.search_bookmarks("sam").unwrap()), vec![STOP]);
    assert_eq!(ids(r.search_bookmarks("PROC").unwrap()), vec![PROCESS]);
    let removed = r.remove_bookmark(STOP).unwrap().unwrap();
    assert_eq!(ids(r.bookmarks().unwrap()), vec![PROCESS]);
    let back = r.restore_bookmark(&removed).unwrap();
    assert_eq!(back.created_at, added.created_at);
    assert_eq!(back.note.as_deref(), Some("ask Sam"));
    // An id the bundle lacks (an update removed it) is kept and flagged.
    r.store_unchecked()
        .add_bookmark("gone-in-an-update", Some("still mine"), None)
        .unwrap();
    let gone = r
        .bookmarks()
        .unwrap()
        .into_iter()
        .find(|b| b.item.article_id == "gone-in-an-update")
        .unwrap();
    assert!(!gone.item.available);
    assert_eq!(
        r.set_bookmark_note("gone-in-an-update", None)
            .unwrap()
            .unwrap()
            .note,
        None
    );
}

#[test]
fn discreet_display_labels_every_list() {
    let dir = tempfile::tempdir().unwrap();
    let r = reader(dir.path());
    r.add_bookmark(STOP, Some("private")).unwrap();
    r.set_settings(&ReaderSettings {
        discreet_display: true,
        history_enabled: true,
        recent_searches_enabled: true,
        ..ReaderSettings::default()
    })
    .unwrap();
    let page = r
        .search(&SearchRequest {
            suggestions: 2,
            submitted: true,
            ..search("consent")
        })
        .unwrap();
    for item in page.hits.iter().chain(&page.titles) {
        assert!(item.discreet && item.snippet.is_empty() && item.highlights.is_empty());
        assert_eq!(item.title, discreet::label("", &item.article_id));
    }
    let b = &r.bookmarks().unwrap()[0];
    assert!(b.note.is_none() && b.has_note);
    let opened = r.open_article(STOP, None).unwrap();
    assert!(opened.view.title.starts_with("Consent During Sex"));
    assert!(opened.related.iter().all(|i| i.discreet));
    assert_eq!(
        r.history().unwrap()[0].item.title,
        discreet::label("", STOP)
    );
    assert_eq!(
        r.recent_searches().unwrap()[0].label,
        discreet::SEARCH_LABEL
    );
}

#[test]
fn the_lock_refuses_content_backs_off_across_a_reopen_and_keeps_no_pin() {
    let dir = tempfile::tempdir().unwrap();
    let pin = "blue-heron-5512";
    {
        let r = reader(dir.path());
        r.set_pin(None, pin).unwrap();
        assert!(!r.lock_status().unwrap().locked);
        r.add_bookmark(STOP, None).unwrap();
        r.lock_now().unwrap();
        assert!(matches!(r.bookmarks(), Err(Error::Locked)));
        assert!(matches!(r.search(&search("consent")), Err(Error::Locked)));
        assert!(matches!(r.export_json(), Err(Error::Locked)));
        let now = t(0);
        for i in 0..3 {
            let check = r.unlock_at("0000", now).unwrap();
            assert!(matches!(check, PinCheck::Wrong { .. }), "{i}: {check:?}");
        }
        assert!(matches!(
            r.unlock_at(pin, now),
            Ok(PinCheck::TooSoon {
                retry_after_ms: 2000
            })
        ));
    }
    let r = reader(dir.path());
    assert!(r.lock_status().unwrap().locked, "cold start with a PIN");
    assert!(matches!(
        r.unlock_at(pin, t(1)),
        Ok(PinCheck::TooSoon { .. })
    ));
    assert_eq!(r.unlock_at(pin, t(3)).unwrap(), PinCheck::Unlocked);
    assert_eq!(r.bookmarks().unwrap().len(), 1);
    // Changing needs the current PIN; a wrong one counts.
    assert!(matches!(
        r.set_pin(Some("nope"), "1234"),
        Err(Error::WrongPin { .. })
    ));
    assert_eq!(r.lock_status().unwrap().failed_attempts, 1);
    r.set_pin(Some(pin), "4321").unwrap();
    assert!(matches!(r.remove_pin("1234"), Err(Error::WrongPin { .. })));
    drop(r);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    for secret in [pin, "4321"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} is in a file"
        );
    }
}

#[test]
fn the_lock_follows_the_background_delay() {
    let dir = tempfile::tempdir().unwrap();
    let r = reader(dir.path());
    assert!(!r.app_foregrounded().unwrap(), "no PIN, no lock");
    r.set_pin(None, "2468").unwrap();
    r.set_lock_options(
        "2468",
        LockOptions {
            relock_after_secs: 60,
            ..LockOptions::default()
        },
    )
    .unwrap();
    r.app_backgrounded_at(t(0));
    assert!(!r.app_foregrounded_at(t(59)).unwrap());
    r.app_backgrounded_at(t(100));
    assert!(r.app_foregrounded_at(t(160)).unwrap());
    assert!(!r.unlock_with_device_auth().unwrap(), "not allowed");
    assert_eq!(r.unlock("2468").unwrap(), PinCheck::Unlocked);
    assert!(matches!(
        r.set_lock_options(
            "2468",
            LockOptions {
                erase_after: Some(1),
                ..LockOptions::default()
            }
        ),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn erase_after_n_wrong_attempts_wipes_everything() {
    let dir = tempfile::tempdir().unwrap();
    let r = reader(dir.path());
    r.set_pin(None, "2580").unwrap();
    r.set_lock_options(
        "2580",
        LockOptions {
            erase_after: Some(3),
            ..LockOptions::default()
        },
    )
    .unwrap();
    r.add_bookmark(STOP, Some("a note to lose")).unwrap();
    r.lock_now().unwrap();
    assert_eq!(
        r.unlock("1").unwrap(),
        PinCheck::Wrong {
            retry_after_ms: 0,
            attempts_before_erase: Some(2)
        }
    );
    r.unlock("2").unwrap();
    assert_eq!(r.unlock("3").unwrap(), PinCheck::Erased);
    let status = r.lock_status().unwrap();
    assert!(!status.pin_set && !status.locked);
    assert!(r.bookmarks().unwrap().is_empty());
}

#[test]
fn quick_exit_forgets_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let r = reader(dir.path());
    r.set_settings(&ReaderSettings {
        recent_searches_enabled: true,
        clear_recent_searches_on_quick_exit: true,
        ..ReaderSettings::default()
    })
    .unwrap();
    r.search(&SearchRequest {
        submitted: true,
        ..search("painful sex")
    })
    .unwrap();
    r.open_article(PROCESS, Some("painful sex")).unwrap();
    assert!(r.last_query().is_some() && r.open_article_id().is_some());
    r.quick_exit().unwrap();
    assert!(r.last_query().is_none() && r.open_article_id().is_none());
    assert!(r.recent_searches().unwrap().is_empty());
    r.set_pin(None, "9999").unwrap();
    r.quick_exit().unwrap();
    assert!(r.lock_status().unwrap().locked);
}

#[test]
fn eight_threads_share_one_reader() {
    let dir = tempfile::tempdir().unwrap();
    let r = Arc::new(reader(dir.path()));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let r = r.clone();
            std::thread::spawn(move || {
                for j in 0..40 {
                    let id = if i % 2 == 0 { STOP } else { PROCESS };
                    r.search(&search(if j % 2 == 0 { "consent" } else { "stop" }))
                        .unwrap();
                    r.open_article(id, Some("consent")).unwrap();
                    r.add_bookmark(id, Some(&format!("{i}-{j}"))).unwrap();
                    r.save_position(
                        id,
                        ReadingPosition {
                            block: j,
                            offset: 0,
                            fraction: 0.0,
                        },
                    )
                    .unwrap();
                    r.bookmarks().unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(r.bookmarks().unwrap().len(), 2);
}
