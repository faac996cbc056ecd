//! The sandbox the user-data tests run the real `quire` binary in: a home directory, a data
//! directory (not created until a command saves something) and small bundles built with
//! `quire build`.

// Each test crate uses part of it.
#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// A note whose text must never show up where it should not.
pub const NOTE_MARKER: &str = "private-note-7f3a9c";

/// One run of the binary.
pub struct Run {
    /// The exit status was 0.
    pub ok: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    pub fn from(out: Output) -> Run {
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Panics unless the run succeeded with nothing on stderr.
    pub fn success(self, what: &str) -> Run {
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
    pub fn one_line_failure(self, what: &str) -> String {
        assert!(!self.ok, "{what} succeeded: {}", self.stdout);
        assert_one_line(&self.stderr, what);
        self.stderr.trim_end().to_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).expect("stdout is JSON")
    }
}

/// Panics unless `stderr` is exactly one line, `quire: …`, without a panic.
pub fn assert_one_line(stderr: &str, what: &str) {
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
pub struct Env {
    /// The sandbox itself: `home`, `data`, the bundles and whatever a test adds.
    pub tmp: TempDir,
    /// The data directory, passed as `--data-dir` by [`Env::user`].
    pub data: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("home")).unwrap();
        let data = tmp.path().join("data");
        Env { tmp, data }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `quire` with a sandboxed home, no `QUIRE_DATA_DIR` and no colour.
    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_quire"));
        c.env_remove("QUIRE_DATA_DIR")
            .env("HOME", self.path("home"))
            .env("XDG_DATA_HOME", self.path("home/xdg-data"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command().args(args).output().unwrap())
    }

    /// `quire <args> --data-dir <data>`.
    pub fn user(&self, args: &[&str]) -> Run {
        let mut c = self.command();
        c.args(args).arg("--data-dir").arg(&self.data);
        Run::from(c.output().unwrap())
    }

    /// Builds a bundle named `name` holding articles with these (id, title).
    pub fn bundle(&self, name: &str, articles: &[(&str, &str)]) -> String {
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
    pub fn full_bundle(&self) -> String {
        self.bundle(
            "full",
            &[
                ("alpha", "Alpha: Asking First"),
                ("beta", "Beta: Changing Your Mind"),
            ],
        )
    }

    pub fn bookmarks_json(&self, bundle: &str) -> Vec<Value> {
        match self
            .user(&["bookmarks", "--json", "--bundle", bundle])
            .success("quire bookmarks --json")
            .json()
        {
            Value::Array(items) => items,
            other => panic!("bookmarks --json is not an array: {other}"),
        }
    }

    pub fn export_json(&self) -> Value {
        self.user(&["export"]).success("quire export").json()
    }

    /// Every file under the data directory (empty if it does not exist).
    pub fn data_files(&self) -> Vec<PathBuf> {
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

/// The bookmark of article `id` in a `quire bookmarks --json` list.
pub fn find<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|b| b["article_id"] == id)
        .unwrap_or_else(|| panic!("no bookmark {id} in {items:?}"))
}
