//! The user-data commands that move or remove the data (`export`, `import`, `wipe`) and
//! where it is kept (`--data-dir`, `QUIRE_DATA_DIR`, permissions, repair), run through the
//! real `quire` binary against temporary data directories and small bundles.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::{Env, NOTE_MARKER, Run, assert_one_line};
use serde_json::Value;

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
