//! Xapian, the engine Kiwix uses, called in-process through the C++ shim in
//! `bench/xapian/shim.cc` (compiled by `bench/build.rs` when pkg-config finds
//! `xapian-core`). Without Xapian at build time, [`AVAILABLE`] is false and every call
//! returns an error saying so; the run then leaves Xapian out and says why.
//!
//! The database holds what the reader shows, like a bundle: every searched field is
//! indexed (English stemmer, `STEM_SOME`), the plain-text body is the document data for
//! snippets. It is compacted into one file, as a shipped database would be. Queries go
//! through Xapian's `QueryParser` with `AND` as the default operator, phrases on, and the
//! last word a prefix (`FLAG_PARTIAL`, limited to its most frequent completions, as many
//! as Quire takes) when Quire also treats it as one. Snippets are `MSet::snippet`.

use std::path::Path;

use quire_core::corpus::{Article, markdown};

/// Whether this build links Xapian.
pub const AVAILABLE: bool = cfg!(quire_bench_xapian);

/// Why Xapian is missing from this build (empty when it is there).
pub const MISSING: &str = if AVAILABLE {
    ""
} else {
    "this quire-bench was built without Xapian (pkg-config found no xapian-core; \
     bench/install-deps.sh installs libxapian-dev)"
};

/// One hit: article id and snippet (with `\u{2}`…`\u{3}` around matches).
#[derive(Debug, Clone)]
#[allow(
    dead_code,
    reason = "made as an app would need them; the benchmark only counts them"
)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Snippet, markers included.
    pub snippet: String,
}

#[cfg(quire_bench_xapian)]
mod ffi {
    use std::ffi::{CStr, CString, c_char, c_int, c_uint, c_void};

    unsafe extern "C" {
        fn xq_free(p: *mut c_char);
        fn xq_writer_new(path: *const c_char, out: *mut *mut c_void) -> *mut c_char;
        fn xq_writer_add(
            w: *mut c_void,
            id: *const c_char,
            title: *const c_char,
            headings: *const c_char,
            summary: *const c_char,
            body: *const c_char,
            tags: *const c_char,
        ) -> *mut c_char;
        fn xq_writer_finish(w: *mut c_void) -> *mut c_char;
        fn xq_open(path: *const c_char, out: *mut *mut c_void) -> *mut c_char;
        fn xq_close(r: *mut c_void);
        fn xq_search(
            r: *mut c_void,
            query: *const c_char,
            partial: c_int,
            expansions: c_uint,
            limit: c_uint,
            out: *mut *mut c_char,
        ) -> *mut c_char;
    }

    /// Takes a string the shim allocated (an error or a result), freeing it.
    fn take(p: *mut c_char) -> Option<String> {
        if p.is_null() {
            return None;
        }
        // SAFETY: the shim returns NUL-terminated strings from malloc, ours to free once.
        unsafe {
            let s = CStr::from_ptr(p).to_string_lossy().into_owned();
            xq_free(p);
            Some(s)
        }
    }

    fn c(s: &str) -> CString {
        CString::new(s.replace('\0', " ")).expect("no NUL left")
    }

    fn check(err: *mut c_char) -> Result<(), String> {
        match take(err) {
            Some(e) => Err(format!("Xapian: {e}")),
            None => Ok(()),
        }
    }

    pub struct Writer(*mut c_void);

    impl Writer {
        pub fn new(path: &str) -> Result<Writer, String> {
            let mut w = std::ptr::null_mut();
            // SAFETY: valid C string; `w` is written on success only.
            check(unsafe { xq_writer_new(c(path).as_ptr(), &mut w) })?;
            Ok(Writer(w))
        }

        pub fn add(&mut self, fields: [&str; 6]) -> Result<(), String> {
            let f = fields.map(c);
            // SAFETY: the writer is live (finish consumes it); the strings outlive the call.
            check(unsafe {
                xq_writer_add(
                    self.0,
                    f[0].as_ptr(),
                    f[1].as_ptr(),
                    f[2].as_ptr(),
                    f[3].as_ptr(),
                    f[4].as_ptr(),
                    f[5].as_ptr(),
                )
            })
        }

        pub fn finish(self) -> Result<(), String> {
            // SAFETY: frees the writer exactly once; `self` is gone after.
            check(unsafe { xq_writer_finish(self.0) })
        }
    }

    pub struct Reader(*mut c_void);

    impl Reader {
        pub fn open(path: &str) -> Result<Reader, String> {
            let mut r = std::ptr::null_mut();
            // SAFETY: valid C string; `r` is written on success only.
            check(unsafe { xq_open(c(path).as_ptr(), &mut r) })?;
            Ok(Reader(r))
        }

        pub fn search(
            &self,
            query: &str,
            partial: bool,
            expansions: usize,
            limit: usize,
        ) -> Result<String, String> {
            let mut out = std::ptr::null_mut();
            // SAFETY: the reader is live until drop; `out` is written on success only.
            check(unsafe {
                xq_search(
                    self.0,
                    c(query).as_ptr(),
                    c_int::from(partial),
                    expansions as c_uint,
                    limit as c_uint,
                    &mut out,
                )
            })?;
            Ok(take(out).unwrap_or_default())
        }
    }

    impl Drop for Reader {
        fn drop(&mut self) {
            // SAFETY: closes the reader exactly once.
            unsafe { xq_close(self.0) }
        }
    }
}

/// Builds the Xapian database at `path` (one file, replacing it) from `articles`.
#[cfg(quire_bench_xapian)]
pub fn build(path: &Path, articles: &[Article]) -> Result<(), String> {
    let _ = std::fs::remove_file(path);
    let mut w = ffi::Writer::new(&path.to_string_lossy())?;
    for a in articles {
        let plain = markdown::to_plain(&a.body);
        let headings = plain.headings.join("\n");
        let tags = a.tags.join(" ");
        w.add([&a.id, &a.title, &headings, &a.summary, &plain.text, &tags])?;
    }
    w.finish()?;
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds the Xapian database (not in this build: an error).
#[cfg(not(quire_bench_xapian))]
pub fn build(_path: &Path, _articles: &[Article]) -> Result<(), String> {
    let _ = markdown::to_plain;
    Err(MISSING.into())
}

/// An open Xapian database.
pub struct Xapian {
    #[cfg(quire_bench_xapian)]
    reader: ffi::Reader,
}

impl Xapian {
    /// Opens the database at `path`.
    pub fn open(path: &Path) -> Result<Xapian, String> {
        #[cfg(quire_bench_xapian)]
        {
            Ok(Xapian {
                reader: ffi::Reader::open(&path.to_string_lossy())?,
            })
        }
        #[cfg(not(quire_bench_xapian))]
        {
            let _ = path;
            Err(MISSING.into())
        }
    }

    /// The top `limit` hits for `query` (words and "phrases"; the last word a prefix
    /// with `expansions` completions when `partial`).
    pub fn search(
        &self,
        query: &str,
        partial: bool,
        expansions: usize,
        limit: usize,
    ) -> Result<Vec<Hit>, String> {
        #[cfg(quire_bench_xapian)]
        {
            let text = self.reader.search(query, partial, expansions, limit)?;
            Ok(text
                .lines()
                .filter_map(|l| {
                    let (id, snippet) = l.split_once('\t')?;
                    Some(Hit {
                        id: id.to_string(),
                        snippet: snippet.to_string(),
                    })
                })
                .collect())
        }
        #[cfg(not(quire_bench_xapian))]
        {
            let _ = (query, partial, expansions, limit);
            Err(MISSING.into())
        }
    }
}

#[cfg(all(test, quire_bench_xapian))]
mod tests {
    use super::*;

    #[test]
    fn builds_searches_and_snippets() {
        let dir = std::env::temp_dir().join(format!("quire-bench-xapian-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.xapian");
        let article = |id: &str, title: &str, body: &str| Article {
            id: id.into(),
            title: title.into(),
            source: None,
            published: None,
            tags: vec!["consent".into()],
            summary: "A summary.".into(),
            body: body.into(),
        };
        build(
            &path,
            &[
                article(
                    "a",
                    "Withdrawal of consent",
                    "You can withdraw at any time.",
                ),
                article("b", "Something else", "Nothing to see here at all."),
            ],
        )
        .unwrap();
        let x = Xapian::open(&path).unwrap();
        let hits = x.search("withdrawing", false, 12, 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "a");
        assert!(hits[0].snippet.contains('\u{2}'), "{:?}", hits[0].snippet);
        assert_eq!(x.search("noth", true, 12, 10).unwrap()[0].id, "b");
        assert!(x.search("\"any time\"", false, 12, 10).unwrap().len() == 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
