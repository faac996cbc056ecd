//! The user-data commands that keep bookmarks and reading progress (`bookmark`,
//! `bookmarks`, `progress`), run through the real `quire` binary against temporary data
//! directories and small bundles built with `quire build`. Export, import, wipe and the
//! data directory are in `user_data_files.rs`.

mod common;

use std::fs;

use common::{Env, NOTE_MARKER, Run, find};
use serde_json::Value;

#[test]
fn bookmark_add_list_remove_round_trip() {
    let env = Env::new();
    let bundle = env.full_bundle();
    let added = env
        .user(&[
            "bookmark",
            "add",
            "alpha",
            "--note",
            NOTE_MARKER,
            "--folder",
            "later",
            "--bundle",
            &bundle,
        ])
        .success("bookmark add alpha");
    assert!(
        added.stdout.contains("Alpha: Asking First"),
        "{}",
        added.stdout
    );
    env.user(&["bookmark", "add", "beta", "--bundle", &bundle])
        .success("bookmark add beta");

    let items = env.bookmarks_json(&bundle);
    assert_eq!(items.len(), 2);
    // Newest first.
    assert_eq!(items[0]["article_id"], "beta");
    let alpha = find(&items, "alpha");
    let fields: Vec<&str> = alpha
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "article_id",
            "created_at",
            "folder",
            "missing",
            "note",
            "title"
        ]
    );
    assert_eq!(alpha["title"], "Alpha: Asking First");
    assert_eq!(alpha["missing"], false);
    assert_eq!(alpha["note"], NOTE_MARKER);
    assert_eq!(alpha["folder"], "later");
    assert!(
        alpha["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{alpha}"
    );
    let beta = find(&items, "beta");
    assert_eq!(beta["note"], Value::Null);
    assert_eq!(beta["folder"], Value::Null);

    let text = env
        .user(&["bookmarks", "--bundle", &bundle])
        .success("bookmarks");
    for expected in [
        "Alpha: Asking First",
        "Beta: Changing Your Mind",
        NOTE_MARKER,
    ] {
        assert!(text.stdout.contains(expected), "{}", text.stdout);
    }
    let in_folder = env
        .user(&[
            "bookmarks",
            "--folder",
            "later",
            "--json",
            "--bundle",
            &bundle,
        ])
        .success("bookmarks --folder")
        .json();
    assert_eq!(in_folder.as_array().unwrap().len(), 1);

    // Adding again changes only what is passed: the note stays, the folder changes, the
    // date is kept.
    env.user(&[
        "bookmark", "add", "alpha", "--folder", "done", "--bundle", &bundle,
    ])
    .success("bookmark add alpha again");
    let again = env.bookmarks_json(&bundle);
    let alpha2 = find(&again, "alpha");
    assert_eq!(alpha2["note"], NOTE_MARKER);
    assert_eq!(alpha2["folder"], "done");
    assert_eq!(alpha2["created_at"], alpha["created_at"]);
    // An empty note clears it.
    env.user(&[
        "bookmark", "add", "alpha", "--note", "", "--bundle", &bundle,
    ])
    .success("clearing the note");
    assert_eq!(
        find(&env.bookmarks_json(&bundle), "alpha")["note"],
        Value::Null
    );

    env.user(&["bookmark", "remove", "alpha"])
        .success("bookmark remove");
    let left = env.bookmarks_json(&bundle);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["article_id"], "beta");
    let line = env
        .user(&["bookmark", "remove", "alpha"])
        .one_line_failure("removing a removed bookmark");
    assert!(line.contains("alpha"), "{line}");
}

#[test]
fn bookmark_of_an_article_gone_from_the_bundle_is_listed_as_missing() {
    let env = Env::new();
    let full = env.full_bundle();
    let without_beta = env.bundle("update", &[("alpha", "Alpha: Asking First")]);
    env.user(&[
        "bookmark",
        "add",
        "beta",
        "--note",
        NOTE_MARKER,
        "--bundle",
        &full,
    ])
    .success("bookmark add beta");
    env.user(&["bookmark", "add", "alpha", "--bundle", &full])
        .success("bookmark add alpha");
    env.user(&["progress", "beta", "30%", "--bundle", &full])
        .success("progress beta");

    let items = env.bookmarks_json(&without_beta);
    assert_eq!(items.len(), 2, "a bookmark was dropped: {items:?}");
    let beta = find(&items, "beta");
    assert_eq!(beta["missing"], true);
    assert_eq!(beta["title"], Value::Null);
    assert_eq!(beta["note"], NOTE_MARKER);
    assert_eq!(find(&items, "alpha")["missing"], false);

    let text = env
        .user(&["bookmarks", "--bundle", &without_beta])
        .success("bookmarks");
    assert!(text.stdout.contains("[missing] beta"), "{}", text.stdout);
    assert!(
        text.stdout.contains("Alpha: Asking First"),
        "{}",
        text.stdout
    );

    // Its progress is still shown; a new position for it is refused.
    let shown = env
        .user(&["progress", "beta", "--bundle", &without_beta])
        .success("progress beta");
    assert!(shown.stdout.contains("30%"), "{}", shown.stdout);
    env.user(&["progress", "beta", "0.5", "--bundle", &without_beta])
        .one_line_failure("progress for a missing article");

    // Still missing with the old bundle back in place? No: it is found again.
    assert_eq!(find(&env.bookmarks_json(&full), "beta")["missing"], false);

    // A missing article's bookmark can be removed.
    env.user(&["bookmark", "remove", "beta"])
        .success("removing the missing bookmark");
    assert_eq!(env.bookmarks_json(&without_beta).len(), 1);
}

#[test]
fn unknown_article_ids_are_refused_and_nothing_is_saved() {
    let env = Env::new();
    let bundle = env.full_bundle();
    for args in [
        vec!["bookmark", "add", "no-such-article", "--bundle", &bundle],
        vec!["bookmark", "add", "no-such-article"],
        vec!["progress", "no-such-article", "0.5", "--bundle", &bundle],
        vec!["progress", "no-such-article", "--bundle", &bundle],
    ] {
        let line = env.user(&args).one_line_failure(&args.join(" "));
        assert!(line.contains("no-such-article"), "{line}");
        assert!(line.contains("no article"), "{line}");
    }
    assert!(
        !env.data.exists(),
        "refused commands created {}",
        env.data.display()
    );
}

#[test]
fn progress_is_saved_read_back_and_checked() {
    let env = Env::new();
    let bundle = env.full_bundle();
    let none = env
        .user(&["progress", "alpha", "--bundle", &bundle])
        .success("progress before any");
    assert!(none.stdout.contains("not started"), "{}", none.stdout);

    env.user(&["progress", "alpha", "0.25", "--bundle", &bundle])
        .success("progress 0.25");
    let got = env
        .user(&["progress", "alpha", "--bundle", &bundle])
        .success("progress");
    assert!(got.stdout.contains("25%"), "{}", got.stdout);

    let set = env
        .user(&["progress", "alpha", "40%", "--bundle", &bundle])
        .success("progress 40%");
    assert!(set.stdout.contains("40%"), "{}", set.stdout);
    let progress = &env.export_json()["progress"];
    assert_eq!(progress[0]["article_id"], "alpha");
    assert_eq!(progress[0]["position"], 0.4);

    for bad in [
        "1.5", "40", "-0.1", "101%", "-5%", "abc", "NaN", "inf", "", "%",
    ] {
        let line = env
            .user(&["progress", "alpha", bad, "--bundle", &bundle])
            .one_line_failure(&format!("progress {bad:?}"));
        assert!(line.contains("position"), "{line}");
    }
    // The saved position is untouched by the refused ones.
    assert_eq!(env.export_json()["progress"][0]["position"], 0.4);

    for (given, stored) in [("0", 0.0), ("100%", 1.0), ("1", 1.0), ("12.5%", 0.125)] {
        env.user(&["progress", "beta", given, "--bundle", &bundle])
            .success(&format!("progress {given}"));
        let p = env.export_json()["progress"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["article_id"] == "beta")
            .cloned()
            .unwrap();
        assert_eq!(p["position"], stored, "{given}");
    }
}

#[test]
fn notes_are_shown_without_terminal_control_characters() {
    let env = Env::new();
    let bundle = env.full_bundle();
    env.user(&[
        "bookmark",
        "add",
        "alpha",
        "--note",
        "a\x1b[2Jb",
        "--bundle",
        &bundle,
    ])
    .success("add");
    let text = env
        .user(&["bookmarks", "--bundle", &bundle])
        .success("bookmarks");
    assert!(!text.stdout.contains('\x1b'), "{:?}", text.stdout);
    assert_eq!(env.bookmarks_json(&bundle)[0]["note"], "a\x1b[2Jb");
}

#[test]
fn errors_are_one_line_without_a_panic() {
    let env = Env::new();
    let bundle = env.full_bundle();
    let not_json = env.path("not-json.txt");
    fs::write(&not_json, "this is not an export\n{").unwrap();
    let newer = env.path("newer.json");
    fs::write(
        &newer,
        r#"{"format_version": 99, "exported_at": "2030-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let bad_position = env.path("bad-position.json");
    fs::write(
        &bad_position,
        r#"{"format_version": 1, "exported_at": "2026-01-01T00:00:00Z",
            "progress": [{"article_id": "alpha", "position": 7.0,
                          "last_opened": "2026-01-01T00:00:00Z"}]}"#,
    )
    .unwrap();
    let missing = env.path("missing.json");
    let no_dir = env.path("no/such/dir/out.json");
    let cases: Vec<Vec<&str>> = vec![
        vec!["import", missing.to_str().unwrap()],
        vec!["import", not_json.to_str().unwrap()],
        vec!["import", newer.to_str().unwrap()],
        vec!["import", bad_position.to_str().unwrap()],
        vec!["export", "-o", no_dir.to_str().unwrap()],
        vec![
            "bookmark",
            "add",
            "alpha",
            "--bundle",
            missing.to_str().unwrap(),
        ],
        vec!["bookmarks", "--bundle", not_json.to_str().unwrap()],
        vec!["bookmark", "add", "nope", "--bundle", &bundle],
        vec!["progress", "alpha", "2", "--bundle", &bundle],
        vec!["wipe"],
    ];
    for args in &cases {
        env.user(args).one_line_failure(&args.join(" "));
    }
    let line = env
        .user(&["import", newer.to_str().unwrap()])
        .one_line_failure("newer import");
    assert!(line.contains("newer"), "{line}");
    // A refused import changes nothing.
    assert!(env.export_json()["progress"].as_array().unwrap().is_empty());

    // A data directory that is a file.
    let file = env.path("a-file");
    fs::write(&file, "x").unwrap();
    let run = env
        .command()
        .args([
            "bookmark",
            "add",
            "alpha",
            "--bundle",
            &bundle,
            "--data-dir",
        ])
        .arg(&file)
        .output()
        .unwrap();
    Run::from(run).one_line_failure("data dir is a file");
}
