//! The user-data commands (`bookmark`, `bookmarks`, `progress`, `export`, `import`,
//! `wipe`), run through the real `quire` binary against temporary data directories and
//! small bundles built with `quire build`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

const NOTE_MARKER: &str = "private-note-7f3a9c";

/// One run of the binary.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Panics unless the run succeeded with nothing on stderr.
    fn success(self, what: &str) -> Run {
        assert!(
            self.ok && self.stderr.is_empty(),
            "{what} failed:\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics unless the run failed with exactly one line, `quire: …`, on stderr and no
    /// panic. Returns that line.
    fn one_line_failure(self, what: &str) -> String {
        assert!(!self.ok, "{what} succeeded: {}", self.stdout);
        assert_one_line(&self.stderr, what);
        self.stderr.trim_end().to_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).expect("stdout is JSON")
    }
}

fn assert_one_line(stderr: &str, what: &str) {
    assert!(
        stderr.ends_with('\n') && stderr.lines().count() == 1,
        "{what}: stderr is not one line: {stderr:?}"
    );
    assert!(
        stderr.starts_with("quire: "),
        "{what}: stderr does not start with `quire: `: {stderr:?}"
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(!stderr.contains("internal error"), "{what}: {stderr}");
}

/// A sandbox: a home directory the binary may use, a data directory (not created) and
/// bundles.
struct Env {
    tmp: TempDir,
    data: PathBuf,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("home")).unwrap();
        let data = tmp.path().join("data");
        Env { tmp, data }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `quire` with a sandboxed home, no `QUIRE_DATA_DIR` and no colour.
    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_quire"));
        c.env_remove("QUIRE_DATA_DIR")
            .env("HOME", self.path("home"))
            .env("XDG_DATA_HOME", self.path("home/xdg-data"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command().args(args).output().unwrap())
    }

    /// `quire <args> --data-dir <data>`.
    fn user(&self, args: &[&str]) -> Run {
        let mut c = self.command();
        c.args(args).arg("--data-dir").arg(&self.data);
        Run::from(c.output().unwrap())
    }

    /// Builds a bundle named `name` holding articles with these (id, title).
    fn bundle(&self, name: &str, articles: &[(&str, &str)]) -> String {
        let dir = self.path(&format!("{name}-corpus"));
        fs::create_dir(&dir).unwrap();
        for (id, title) in articles {
            fs::write(
                dir.join(format!("{id}.md")),
                format!(
                    "---\nid: {id}\ntitle: \"{title}\"\ntags: [consent]\nsummary: \"About {title}.\"\n---\n\n\
                     Asking and listening matter in every relationship. This article, {title}, \
                     is about checking in with a partner.\n"
                ),
            )
            .unwrap();
        }
        let out = self.path(&format!("{name}.quire"));
        let dir_arg = dir.to_str().unwrap().to_owned();
        let out_arg = out.to_str().unwrap().to_owned();
        self.run(&["build", &dir_arg, "-o", &out_arg])
            .success("quire build");
        out_arg
    }

    /// A bundle with `alpha` and `beta`.
    fn full_bundle(&self) -> String {
        self.bundle(
            "full",
            &[
                ("alpha", "Alpha: Asking First"),
                ("beta", "Beta: Changing Your Mind"),
            ],
        )
    }

    fn bookmarks_json(&self, bundle: &str) -> Vec<Value> {
        match self
            .user(&["bookmarks", "--json", "--bundle", bundle])
            .success("quire bookmarks --json")
            .json()
        {
            Value::Array(items) => items,
            other => panic!("bookmarks --json is not an array: {other}"),
        }
    }

    fn export_json(&self) -> Value {
        self.user(&["export"]).success("quire export").json()
    }

    /// Every file under the data directory (empty if it does not exist).
    fn data_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![self.data.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for e in entries {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
        out
    }
}

fn find<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|b| b["article_id"] == id)
        .unwrap_or_else(|| panic!("no bookmark {id} in {items:?}"))
}

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
fn export_wipe_import_gives_back_the_same_data() {
    let env = Env::new();
    let bundle = env.full_bundle();
    env.user(&[
        "bookmark",
        "add",
        "alpha",
        "--note",
        NOTE_MARKER,
        "--folder",
        "f",
        "--bundle",
        &bundle,
    ])
    .success("add alpha");
    env.user(&["bookmark", "add", "beta", "--bundle", &bundle])
        .success("add beta");
    env.user(&["progress", "alpha", "0.333333333", "--bundle", &bundle])
        .success("progress alpha");
    env.user(&["progress", "beta", "100%", "--bundle", &bundle])
        .success("progress beta");

    let before = env.export_json();
    assert_eq!(before["format_version"], 1);
    assert_eq!(before["bookmarks"].as_array().unwrap().len(), 2);
    assert_eq!(before["progress"].as_array().unwrap().len(), 2);

    let file = env.path("backup.json");
    let file_arg = file.to_str().unwrap();
    let wrote = env.user(&["export", "-o", file_arg]).success("export -o");
    assert!(wrote.stdout.contains("2 bookmarks"), "{}", wrote.stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "export file mode {mode:o}");
    }
    // No temporary file is left next to it.
    let siblings: Vec<_> = fs::read_dir(env.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("backup"))
        .collect();
    assert_eq!(siblings, ["backup.json"]);
    let from_file: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(from_file["bookmarks"], before["bookmarks"]);
    assert_eq!(from_file["progress"], before["progress"]);

    env.user(&["wipe", "--yes"]).success("wipe");
    assert!(env.bookmarks_json(&bundle).is_empty());
    assert_eq!(env.export_json()["progress"], Value::Array(Vec::new()));

    let merged = env.user(&["import", file_arg]).success("import");
    assert!(
        merged.stdout.contains("2 bookmarks") && merged.stdout.contains("2 reading positions"),
        "{}",
        merged.stdout
    );
    let after = env.export_json();
    assert_eq!(after["bookmarks"], before["bookmarks"]);
    assert_eq!(after["progress"], before["progress"]);
    assert_eq!(after["settings"], before["settings"]);

    // Importing again changes nothing.
    let again = env.user(&["import", file_arg]).success("import again");
    assert!(again.stdout.contains("nothing new"), "{}", again.stdout);
    assert_eq!(env.export_json()["bookmarks"], before["bookmarks"]);
}

#[test]
fn import_reads_standard_input() {
    let env = Env::new();
    let bundle = env.full_bundle();
    env.user(&[
        "bookmark",
        "add",
        "beta",
        "--note",
        NOTE_MARKER,
        "--bundle",
        &bundle,
    ])
    .success("add beta");
    let export = env.user(&["export"]).success("export").stdout;

    let other = env.path("other-data");
    let mut child = env
        .command()
        .args(["import", "-", "--data-dir"])
        .arg(&other)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(export.as_bytes())
            .unwrap();
    }
    let run = Run::from(child.wait_with_output().unwrap()).success("import -");
    assert!(run.stdout.contains("1 bookmark"), "{}", run.stdout);
    let listed = env
        .command()
        .args(["bookmarks", "--json", "--bundle", &bundle, "--data-dir"])
        .arg(&other)
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["note"], NOTE_MARKER);
}

#[test]
fn wipe_without_yes_refuses_and_keeps_the_data() {
    let env = Env::new();
    let bundle = env.full_bundle();
    env.user(&["bookmark", "add", "alpha", "--bundle", &bundle])
        .success("add");
    let line = env.user(&["wipe"]).one_line_failure("wipe without --yes");
    assert!(line.contains("--yes"), "{line}");
    assert_eq!(env.bookmarks_json(&bundle).len(), 1);
}

#[test]
fn wipe_leaves_no_file_in_the_data_directory() {
    let env = Env::new();
    let bundle = env.full_bundle();
    env.user(&[
        "bookmark",
        "add",
        "alpha",
        "--note",
        NOTE_MARKER,
        "--bundle",
        &bundle,
    ])
    .success("add");
    env.user(&["progress", "alpha", "0.5", "--bundle", &bundle])
        .success("progress");
    assert!(!env.data_files().is_empty());

    let wiped = env.user(&["wipe", "--yes"]).success("wipe --yes");
    assert!(wiped.stdout.contains("wiped"), "{}", wiped.stdout);
    assert_eq!(env.data_files(), Vec::<PathBuf>::new());

    // Wiping nothing is fine too, and listing afterwards creates nothing.
    env.user(&["wipe", "--yes"]).success("second wipe");
    assert!(env.bookmarks_json(&bundle).is_empty());
    assert_eq!(env.data_files(), Vec::<PathBuf>::new());
}

#[test]
fn quire_data_dir_is_honoured_and_data_dir_wins_over_it() {
    let env = Env::new();
    let bundle = env.full_bundle();
    let from_env = env.path("from-env");
    let added = env
        .command()
        .env("QUIRE_DATA_DIR", &from_env)
        .args(["bookmark", "add", "alpha", "--bundle", &bundle])
        .output()
        .unwrap();
    Run::from(added).success("add with QUIRE_DATA_DIR");
    assert!(from_env.join("quire-user.sqlite3").exists());
    assert!(!env.data.exists());

    // --data-dir takes precedence over the variable.
    let listed = env
        .command()
        .env("QUIRE_DATA_DIR", &from_env)
        .args(["bookmarks", "--json", "--bundle", &bundle, "--data-dir"])
        .arg(&env.data)
        .output()
        .unwrap();
    assert_eq!(
        Run::from(listed).success("bookmarks").json(),
        Value::Array(vec![])
    );

    let listed = env
        .command()
        .env("QUIRE_DATA_DIR", &from_env)
        .args(["bookmarks", "--json", "--bundle", &bundle])
        .output()
        .unwrap();
    assert_eq!(
        Run::from(listed).success("bookmarks").json()[0]["article_id"],
        "alpha"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn without_either_the_platform_data_directory_is_used() {
    let env = Env::new();
    let bundle = env.full_bundle();
    env.run(&["bookmark", "add", "alpha", "--bundle", &bundle])
        .success("add");
    assert!(env.path("home/xdg-data/quire/quire-user.sqlite3").exists());
}

#[cfg(unix)]
#[test]
fn the_data_directory_and_database_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let env = Env::new();
    let bundle = env.full_bundle();
    env.user(&["bookmark", "add", "alpha", "--bundle", &bundle])
        .success("add");
    assert_eq!(mode(&env.data), 0o700);
    for f in env.data_files() {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }

    // Even in a directory that others can read, the database is the owner's only.
    let open_dir = env.path("shared");
    fs::create_dir(&open_dir).unwrap();
    fs::set_permissions(&open_dir, fs::Permissions::from_mode(0o755)).unwrap();
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
        .arg(&open_dir)
        .output()
        .unwrap();
    Run::from(run).success("add in a shared directory");
    assert_eq!(mode(&open_dir.join("quire-user.sqlite3")), 0o600);
}

#[test]
fn reading_commands_create_nothing() {
    let env = Env::new();
    let bundle = env.full_bundle();
    assert!(env.bookmarks_json(&bundle).is_empty());
    let text = env
        .user(&["bookmarks", "--bundle", &bundle])
        .success("bookmarks");
    assert!(text.stdout.contains("No bookmarks"), "{}", text.stdout);
    let export = env.export_json();
    assert_eq!(export["bookmarks"], Value::Array(vec![]));
    env.user(&["progress", "alpha", "--bundle", &bundle])
        .success("progress");
    env.user(&["bookmark", "remove", "alpha"])
        .one_line_failure("remove with no store");
    assert!(!env.data.exists(), "a read created {}", env.data.display());
}

#[test]
fn a_damaged_database_is_reported_in_one_line_without_the_readers_text() {
    let env = Env::new();
    let bundle = env.full_bundle();
    env.user(&[
        "bookmark",
        "add",
        "alpha",
        "--note",
        NOTE_MARKER,
        "--bundle",
        &bundle,
    ])
    .success("add");
    let db = env.data.join("quire-user.sqlite3");
    let len = fs::metadata(&db).unwrap().len() as usize;
    fs::write(&db, vec![0x5a; len]).unwrap();

    let run = env.user(&["bookmarks", "--json", "--bundle", &bundle]);
    assert!(run.ok, "{}", run.stderr);
    assert_one_line(&run.stderr, "repair report");
    assert!(run.stderr.contains("damaged"), "{}", run.stderr);
    for private in [NOTE_MARKER, "alpha", "Alpha"] {
        assert!(!run.stderr.contains(private), "{}", run.stderr);
    }
    assert_eq!(run.json(), Value::Array(vec![]));
    // Reported once: the next run is quiet.
    env.user(&["bookmarks", "--bundle", &bundle])
        .success("bookmarks after the repair");
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
