//! The `quire` binary end to end: the README's main job, building, verifying and
//! damaging a 10,000-article bundle, corpus errors, the JSON output, and a reader that
//! closes the pipe early.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const STOP_TITLE: &str = "Consent During Sex: Why 'Stop' Always Means Stop, No Exceptions";

fn quire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run quire")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A failed command: non-zero exit, exactly one line on stderr, no panic.
fn assert_one_line_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(
        !o.status.success(),
        "expected failure, got success: {}",
        stdout(o)
    );
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err:?}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert!(err.contains(needle), "{err:?} does not mention {needle:?}");
}

/// A command on damaged input: it may succeed or fail, but never panic, and a failure
/// is one line.
fn assert_no_panic(o: &Output) {
    let err = stderr(o);
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    assert!(o.status.code().is_some(), "killed by a signal");
    if !o.status.success() {
        assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    }
}

#[test]
fn the_main_job_finds_the_stop_article_first() {
    let o = quire(&["search", "withdrawing consent"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with(&format!("1. {STOP_TITLE}")), "{out}");
    // Without a terminal, matched words are marked with brackets.
    assert!(out.contains("[withdrawal] of [consent]"), "{out}");
}

#[test]
fn json_output_is_one_object_with_character_offsets() {
    let o = quire(&["search", "--json", "withdrawing", "consent"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert_eq!(text.trim_end().lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let obj = v.as_object().unwrap();
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["hits", "query", "suggestion", "total", "without"]);
    assert_eq!(v["query"], "withdrawing consent");
    assert!(v["suggestion"].is_null());
    assert_eq!(v["without"], serde_json::json!([]));
    let hit = &v["hits"][0];
    let mut hit_keys: Vec<&str> = hit
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    hit_keys.sort();
    assert_eq!(
        hit_keys,
        ["highlights", "id", "pack", "score", "snippet", "title"]
    );
    assert_eq!(hit["pack"], "quire-builtin");
    assert_eq!(hit["title"], STOP_TITLE);
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            snippet[a..b].iter().collect()
        })
        .collect();
    assert_eq!(marked, ["withdrawal", "consent"]);

    let typo = quire(&["search", "--json", "consnet"]);
    let v: serde_json::Value = serde_json::from_slice(&typo.stdout).unwrap();
    assert_eq!(v["suggestion"], "consent");
    assert!(v["total"].as_u64().unwrap() >= 1);
}

#[test]
fn odd_queries_are_answered() {
    for q in ["- *", "a:(^", "\"unbalanced", "🙂", "-", "\u{202e}"] {
        let o = quire(&["search", "--json", q]);
        assert!(o.status.success(), "{q}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(v["total"].is_u64(), "{q}");
    }
    let long = "consent ".repeat(1300);
    assert!(quire(&["search", "--json", &long]).status.success());
}

#[test]
fn help_explains_the_query_syntax() {
    let o = quire(&["search", "--help"]);
    let out = stdout(&o);
    assert!(
        out.contains("\"words in quotes\"") && out.contains("-word"),
        "{out}"
    );
    let top = stdout(&quire(&["--help"]));
    for cmd in ["build", "verify", "list", "read", "search", "gen"] {
        assert!(top.contains(cmd), "{cmd} missing from --help");
    }
}

#[test]
fn list_and_read_the_built_in_articles() {
    let o = quire(&["list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["consent-during-sex-stop-means-stop", "consent-is-a-process"]
    );
    let read = stdout(&quire(&["read", "consent-is-a-process"]));
    assert!(read.starts_with("Consent Is A Process\n"), "{read}");
    assert!(
        read.contains("Psychology Today") && read.contains("• Look inside yourself"),
        "{read}"
    );
    assert!(!read.contains("Recent Blogs") && !read.contains("newsletter"));
    assert_one_line_error(
        &quire(&["read", "no-such-article"]),
        "no article with id `no-such-article`",
    );
}

/// A command whose reader went away (`quire list | head -1`) ends with status 0 and says
/// nothing, as ripgrep does.
fn assert_quiet_success(o: &Output, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{what}: {} with stderr {:?}",
        o.status,
        stderr(o)
    );
    assert_eq!(stderr(o), "", "{what}");
}

#[test]
fn a_reader_that_stops_after_one_line_ends_quire_quietly() {
    let dir = tmp();
    let corpus = dir.path().join("c");
    let o = quire(&["gen", "--count", "3000", "-o", corpus.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bundle = dir.path().join("3k.quire");
    let b = bundle.to_str().unwrap();
    let o = quire(&["build", corpus.to_str().unwrap(), "-o", b]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Far more than a pipe holds (64 KiB on Linux) plus what the reader buffers, so
    // `quire` is still writing when the reader goes away.
    let whole = quire(&["list", "--bundle", b]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    assert!(
        whole.stdout.len() > 160 * 1024,
        "{} bytes",
        whole.stdout.len()
    );

    let commands: [&[&str]; 2] = [&["list", "--bundle", b], &["list", "--json", "--bundle", b]];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run quire");
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        reader.read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{args:?}: no first line");
        drop(reader);
        assert_quiet_success(&child.wait_with_output().unwrap(), &args.join(" "));
    }
}

#[test]
fn every_command_writing_into_a_closed_pipe_ends_quietly() {
    let data = tmp();
    let d = data.path().to_str().unwrap();
    let id = "consent-is-a-process";
    let o = quire(&["bookmark", "add", id, "--note", "n", "--data-dir", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let commands: [&[&str]; 13] = [
        &["list"],
        &["list", "--json"],
        &["read", id],
        &["read", "--plain", id],
        &["search", "consent"],
        &["search", "--json", "consent"],
        &["suggest", "cons"],
        &["related", id],
        &["bookmarks", "--data-dir", d],
        &["bookmarks", "--json", "--data-dir", d],
        &["progress", id, "--data-dir", d],
        &["export", "--data-dir", d],
        &["bookmark", "add", id, "--folder", "f", "--data-dir", d],
    ];
    for args in commands {
        // The reading end is closed before `quire` starts: its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(writer)
            .stderr(Stdio::piped())
            .spawn()
            .expect("run quire");
        assert_quiet_success(&child.wait_with_output().unwrap(), &args.join(" "));
    }
    // The write that printed into the closed pipe was still made.
    let listed = quire(&["bookmarks", "--json", "--data-dir", d]);
    let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(v[0]["folder"], "f");
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn a_broken_front_matter_is_one_line_with_file_and_line() {
    let dir = tmp();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("good.md"),
        "---\nid: good\ntitle: Good\n---\nBody.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("bad.md"),
        "---\nid: bad\ntitle: \"Unclosed\n---\nBody.\n",
    )
    .unwrap();
    let out = dir.path().join("x.quire");
    let o = quire(&[
        "build",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "bad.md:3: unclosed double quote");
    assert!(!out.exists(), "no bundle is left behind");
}

fn write_copy(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn ten_thousand_articles_build_verify_and_damage_is_named() {
    let dir = tmp();
    let corpus = dir.path().join("c10k");
    let o = quire(&["gen", "--count", "10000", "-o", corpus.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bundle = dir.path().join("10k.quire");

    // On a terminal (a pseudo-terminal from `script`), the build shows a progress bar.
    let cmd = format!(
        "{} build {} -o {}",
        env!("CARGO_BIN_EXE_quire"),
        corpus.display(),
        bundle.display()
    );
    let o = Command::new("script")
        .args(["-qefc", &cmd, "/dev/null"])
        .output()
        .expect("script(1) from util-linux");
    assert!(o.status.success(), "{}", stdout(&o));
    let tty = stdout(&o);
    assert!(
        tty.contains('%') && tty.contains("indexing"),
        "no progress bar in {tty:?}"
    );
    let summary = tty
        .lines()
        .rev()
        .find(|l| l.contains("built"))
        .unwrap()
        .to_string();
    assert!(
        summary.contains("10000 articles") && summary.contains(" s"),
        "{summary}"
    );

    let o = quire(&["verify", bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("ok:"));

    let bytes = std::fs::read(&bundle).unwrap();
    let manifest = serde_json::from_slice::<serde_json::Value>(&{
        let off = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
        let len = u64::from_le_bytes(bytes[24..32].try_into().unwrap()) as usize;
        bytes[off..off + len].to_vec()
    })
    .unwrap();

    // Truncated: named at open.
    let cut = write_copy(dir.path(), "cut.quire", &bytes[..bytes.len() * 2 / 3]);
    assert_one_line_error(&quire(&["verify", cut.to_str().unwrap()]), "damaged bundle");
    // A flipped byte in each section: verify names that section; other commands never panic.
    for section in manifest["sections"].as_array().unwrap() {
        let name = section["name"].as_str().unwrap();
        let (offset, length) = (
            section["offset"].as_u64().unwrap(),
            section["length"].as_u64().unwrap(),
        );
        let mut damaged = bytes.clone();
        damaged[(offset + length / 3) as usize] ^= 0x04;
        let path = write_copy(dir.path(), "flipped.quire", &damaged);
        let p = path.to_str().unwrap();
        assert_one_line_error(&quire(&["verify", p]), &format!("section `{name}`"));
        for args in [
            vec!["search", "--bundle", p, "partner communication"],
            vec!["list", "--bundle", p],
            vec!["read", "--bundle", p, "gen-42-000001"],
        ] {
            assert_no_panic(&quire(&args));
        }
    }
    // A damaged header or manifest is caught before anything else.
    let mut damaged = bytes.clone();
    damaged[40] ^= 1;
    let p = write_copy(dir.path(), "header.quire", &damaged);
    assert_one_line_error(
        &quire(&["search", "--bundle", p.to_str().unwrap(), "x"]),
        "section `header`",
    );
    let not_bundle = write_copy(
        dir.path(),
        "text.quire",
        b"just some text, not a bundle at all\n",
    );
    assert_one_line_error(
        &quire(&["verify", not_bundle.to_str().unwrap()]),
        "not a Quire bundle",
    );
    assert_one_line_error(
        &quire(&["verify", "/no/such/file.quire"]),
        "/no/such/file.quire",
    );
}

#[test]
fn read_json_is_the_article_view_the_apps_draw() {
    let o = quire(&[
        "read",
        "--json",
        "consent-during-sex-stop-means-stop",
        "--highlight",
        "withdrawing consent",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["id"], "consent-during-sex-stop-means-stop");
    let blocks = v["blocks"].as_array().unwrap();
    assert!(blocks.iter().any(|b| b["kind"]["type"] == "heading"));
    let matches = v["matches"].as_array().unwrap();
    assert!(matches.len() >= 3, "{matches:?}");
    // Each match names a block and a character range of its text.
    for m in matches {
        let text = blocks[m["block"].as_u64().unwrap() as usize]["text"]
            .as_str()
            .unwrap();
        let word: String = text
            .chars()
            .skip(m["start"].as_u64().unwrap() as usize)
            .take((m["end"].as_u64().unwrap() - m["start"].as_u64().unwrap()) as usize)
            .collect();
        let word = word.to_lowercase();
        assert!(
            word.starts_with("withdraw") || word.starts_with("consent"),
            "{word}"
        );
    }
    let unknown = quire(&["read", "--json", "no-such-article"]);
    assert_one_line_error(&unknown, "no-such-article");
}

#[test]
fn known_words_are_never_corrected_and_words_left_out_are_named() {
    // The examples, on the built-in articles.
    let o = quire(&["search", "unwanted touching"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        !out.contains("Showing results for") && !out.contains("Did you mean"),
        "{out}"
    );
    assert!(out.starts_with(&format!("1. {STOP_TITLE}")), "{out}");
    let o = quire(&["search", "partner wanted me to keep going"]);
    let out = stdout(&o);
    assert!(
        !out.contains("deep"),
        "keep is not corrected to deep: {out}"
    );
    assert!(
        out.contains("[kept] [going]"),
        "the thesaurus marks what it found: {out}"
    );
    // A word no article uses is named, in the text and in the JSON.
    let o = quire(&["search", "partner wanted me to keep going yesterday"]);
    let out = stdout(&o);
    assert!(
        out.starts_with("No article has every word. Results without: yesterday\n"),
        "{out}"
    );
    let o = quire(&[
        "search",
        "--json",
        "partner wanted me to keep going yesterday",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["without"], serde_json::json!(["yesterday"]));
    assert!(v["suggestion"].is_null());
    // A real misspelling still gets its "did you mean".
    let out = stdout(&quire(&["search", "consnet"]));
    assert!(out.starts_with("Showing results for: consent"), "{out}");
    // The thesaurus: "revoke" finds "withdrawal", "coercion" finds "push".
    let out = stdout(&quire(&["search", "revoke consent"]));
    assert!(out.starts_with(&format!("1. {STOP_TITLE}")), "{out}");
    assert!(out.contains("[withdrawal] of [consent]"), "{out}");
    assert!(stdout(&quire(&["search", "coercion"])).contains("[push]"));
}

#[test]
fn build_takes_a_language_a_word_list_and_a_thesaurus() {
    let dir = tmp();
    let es = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/es");
    let bundle = dir.path().join("es.quire");
    let b = bundle.to_str().unwrap();
    let o = quire(&["build", es.to_str().unwrap(), "-o", b, "--language", "es"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("built ") && out.contains("3 articles"),
        "{out}"
    );
    assert!(
        out.contains("language es (Spanish), word list of "),
        "{out}"
    );
    assert!(out.contains("thesaurus of "), "{out}");
    // Spanish forms meet, the thesaurus works, Spanish words are not "corrected".
    let o = quire(&["search", "--bundle", b, "--json", "me obligaron"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["hits"][0]["id"], "presion-y-culpa");
    assert!(v["suggestion"].is_null());
    let out = stdout(&quire(&[
        "search",
        "--bundle",
        b,
        "retirando consentimiento",
    ]));
    assert!(out.starts_with("1. Retirar el consentimiento"), "{out}");
    // No word list: a word the articles do not use may be "corrected" again.
    let bare = dir.path().join("bare.quire");
    let o = quire(&[
        "build",
        es.to_str().unwrap(),
        "-o",
        bare.to_str().unwrap(),
        "--language",
        "es",
        "--no-lexicon",
    ]);
    assert!(stdout(&o).contains("no word list"), "{}", stdout(&o));
    // A language Quire does not know, and a missing word list, are one-line errors.
    let o = quire(&["build", es.to_str().unwrap(), "-o", b, "--language", "fr"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("unknown language `fr` (known: en, es)"),
        "{}",
        stderr(&o)
    );
    let o = quire(&[
        "build",
        es.to_str().unwrap(),
        "-o",
        b,
        "--lexicon",
        "/nonexistent/words",
    ]);
    assert_one_line_error(&o, "reading the word list /nonexistent/words");
}

#[test]
fn a_malformed_thesaurus_names_its_line() {
    let dir = tmp();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    let name = "consent-is-a-process.md";
    std::fs::copy(corpus.join(name), dir.path().join(name)).unwrap();
    std::fs::write(
        dir.path().join("thesaurus.txt"),
        "# ok\nrevoke, withdraw\nlonely\n",
    )
    .unwrap();
    let out = dir.path().join("b.quire");
    let o = quire(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_one_line_error(&o, "thesaurus.txt:3: a group needs two or more entries");
    assert!(!out.exists(), "no bundle is written");
}

#[test]
fn the_article_view_marks_thesaurus_words_and_whole_phrases_only() {
    let marked = |id: &str, q: &str| -> Vec<String> {
        let o = quire(&["read", "--json", id, "--highlight", q]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        let blocks = v["blocks"].as_array().unwrap();
        v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let text = blocks[m["block"].as_u64().unwrap() as usize]["text"]
                    .as_str()
                    .unwrap();
                let (a, b) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
                text.chars()
                    .skip(a as usize)
                    .take((b - a) as usize)
                    .collect::<String>()
                    .to_lowercase()
            })
            .collect()
    };
    // "revoke" is not in the article; its thesaurus word "withdrawal" is marked.
    let words = marked("consent-during-sex-stop-means-stop", "revoke");
    assert!(words.contains(&"withdrawal".to_string()), "{words:?}");
    // "people pleasing" expands to the phrase "self betrayal": marked where it stands
    // whole, and "self" alone ("differentiation of self") is not marked.
    let words = marked("consent-is-a-process", "people pleasing");
    assert!(words.contains(&"betrayal".to_string()), "{words:?}");
    let selfs = words.iter().filter(|w| *w == "self").count();
    let betrayals = words.iter().filter(|w| *w == "betrayal").count();
    assert_eq!(selfs, betrayals, "{words:?}");
}
