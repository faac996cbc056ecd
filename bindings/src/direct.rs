//! `Reader::search` in one plain C call, for the Kotlin shell (ADR 0022).
//!
//! UniFFI's generated Kotlin crosses JNA four times for one search (the handle's clone,
//! a buffer for the request, the call, freeing the answer), and each crossing allocates
//! a JNA `Structure` for its call status: 6–12 µs apiece on the JVM, about 95 µs a
//! search in all. Search runs as the reader types, so the Kotlin shell searches through
//! the two C functions below instead, which JNA calls by direct mapping with numbers and
//! direct buffers only: one crossing, no structure, no clone.
//!
//! The bytes that cross are UniFFI's own serialization of [`SearchRequest`] (in) and of
//! [`SearchPage`] or [`QuireError`] (out, after one tag byte): the generated Kotlin
//! converters write and read them, so nothing is encoded by hand on either side, and a
//! change to those records changes both ends at once. Everything else goes through the
//! generated bindings; Swift calls the library directly and needs none of this.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use uniffi::{Lift, Lower};

use crate::UniFfiTag;
use crate::error::{QuireError, withhold_panic_messages};
use crate::reader::Reader;
use crate::reader_records::{SearchPage, SearchRequest};

/// The first byte of a reply: a `SearchPage` follows.
pub const REPLY_PAGE: u8 = 0;
/// The first byte of a reply: a `QuireError` follows.
pub const REPLY_ERROR: u8 = 1;

/// The readers the shell has asked a key for, by key. Weak: a reader closed by its app is
/// freed as usual, and its key then finds nothing.
static READERS: Mutex<Vec<(u64, Weak<Reader>)>> = Mutex::new(Vec::new());
/// Keys are never reused, so an old key can never reach a newer reader.
static NEXT_KEY: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// A reply too long for the caller's buffer, until `quire_direct_reply` takes it.
    static PENDING: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The key naming `reader` in [`quire_direct_search`]: the same for the reader's life.
pub(crate) fn key_of(reader: &Arc<Reader>) -> u64 {
    let mut readers = READERS.lock().unwrap_or_else(PoisonError::into_inner);
    // Closed readers go first: after that, a live entry at this address is this reader.
    readers.retain(|(_, r)| r.strong_count() > 0);
    if let Some((key, _)) = readers
        .iter()
        .find(|(_, r)| std::ptr::eq(r.as_ptr(), Arc::as_ptr(reader)))
    {
        return *key;
    }
    let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
    readers.push((key, Arc::downgrade(reader)));
    key
}

fn reader_of(key: u64) -> Option<Arc<Reader>> {
    let readers = READERS.lock().unwrap_or_else(PoisonError::into_inner);
    readers
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, r)| r.upgrade())
}

fn invalid(detail: &str) -> QuireError {
    QuireError::InvalidArgument {
        detail: detail.to_string(),
    }
}

/// Reads one serialized `SearchRequest`, all of `bytes` and nothing more.
fn read_request(bytes: &[u8]) -> Result<SearchRequest, QuireError> {
    let mut rest = bytes;
    match <SearchRequest as Lift<UniFfiTag>>::try_read(&mut rest) {
        Ok(request) if rest.is_empty() => Ok(request),
        _ => Err(invalid("the search request could not be read")),
    }
}

/// The reply to a search by `key` for the serialized request `request`.
pub(crate) fn reply(key: u64, request: &[u8]) -> Vec<u8> {
    encode(
        read_request(request).and_then(|request| match reader_of(key) {
            Some(reader) => reader.search(request),
            None => Err(invalid("this reader is closed")),
        }),
    )
}

/// A reply's bytes: the tag byte, then the page or the error.
fn encode(answer: Result<SearchPage, QuireError>) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    match answer {
        Ok(page) => {
            out.push(REPLY_PAGE);
            <SearchPage as Lower<UniFfiTag>>::write(page, &mut out);
        }
        Err(e) => {
            out.push(REPLY_ERROR);
            <QuireError as Lower<UniFfiTag>>::write(e, &mut out);
        }
    }
    out
}

/// Copies `bytes` to `out` when they fit in `capacity`, or keeps them for
/// `quire_direct_reply`; returns their length either way.
///
/// # Safety
/// `out` is valid for `capacity` bytes of writing (see `quire_direct_search`).
unsafe fn deliver(bytes: Vec<u8>, out: *mut u8, capacity: i32) -> i32 {
    // A reply is at most 100 hits of titles and snippets: far below 2 GiB.
    let len = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
    if !out.is_null() && len <= capacity {
        // SAFETY: `out` is writable for `capacity` ≥ `len` bytes (the caller's
        // contract), and a Rust vector cannot overlap the caller's buffer.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out, bytes.len()) };
    } else {
        PENDING.with(|p| *p.borrow_mut() = bytes);
    }
    len
}

/// Searches the reader `key` names ([`Reader::direct_search_key`]) with the serialized
/// `SearchRequest` at `request`, and writes the reply to `out`: a tag byte, then the
/// serialized `SearchPage` ([`REPLY_PAGE`]) or `QuireError` ([`REPLY_ERROR`]: a closed
/// reader, an unreadable request, a locked app, a panic…). Returns the reply's length.
/// When that is more than `out_capacity`, nothing was written: call
/// [`quire_direct_reply`] on the same thread, with a buffer at least that long.
///
/// # Safety
/// `request` is readable for `request_len` bytes and `out` writable for `out_capacity`
/// bytes, for the duration of the call (either may be null when its length is 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn quire_direct_search(
    key: u64,
    request: *const u8,
    request_len: i32,
    out: *mut u8,
    out_capacity: i32,
) -> i32 {
    withhold_panic_messages();
    PENDING.with(|p| p.borrow_mut().clear());
    let request: &[u8] = match usize::try_from(request_len) {
        Ok(len) if len > 0 && !request.is_null() => {
            // SAFETY: readable for `request_len` bytes (the caller's contract), and
            // only read during this call.
            unsafe { std::slice::from_raw_parts(request, len) }
        }
        _ => &[],
    };
    let bytes = catch_unwind(AssertUnwindSafe(|| reply(key, request))).unwrap_or_else(|_| {
        encode(Err(QuireError::Internal {
            detail: "searching failed unexpectedly".into(),
        }))
    });
    // SAFETY: `out` is writable for `out_capacity` bytes (the caller's contract).
    unsafe { deliver(bytes, out, out_capacity) }
}

/// Writes the reply [`quire_direct_search`] kept on this thread to `out` and returns its
/// length; returns the length without writing when `out_capacity` is too small (the
/// reply is kept), and 0 when no reply is waiting.
///
/// # Safety
/// `out` is writable for `out_capacity` bytes for the duration of the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn quire_direct_reply(out: *mut u8, out_capacity: i32) -> i32 {
    let bytes = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    if bytes.is_empty() {
        return 0;
    }
    // SAFETY: the caller's contract, passed on.
    unsafe { deliver(bytes, out, out_capacity) }
}

#[uniffi::export]
impl Reader {
    /// For the Kotlin shell's `Reader.searchDirect()` only (DirectSearch.kt, which
    /// calls it once per reader): the number that names this reader in the library's
    /// one-call search. The same number for the reader's life; never reused. Cheap.
    pub fn direct_search_key(self: Arc<Self>) -> u64 {
        key_of(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quire_core::bundle::{BuildOptions, Bundle, build_bytes};

    fn open_reader(dir: &std::path::Path) -> Arc<Reader> {
        // The built-in corpus, built once for the module's tests.
        static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let bytes = BYTES.get_or_init(|| {
            let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
            let articles = quire_core::corpus::load_dir(&corpus).unwrap();
            build_bytes(articles, &BuildOptions::default()).unwrap()
        });
        let bundle = Bundle::from_bytes(bytes.clone()).unwrap();
        let inner = quire_core::reader::Reader::open(Arc::new(bundle), dir).unwrap();
        Arc::new(Reader { inner })
    }

    fn search_request(text: &str) -> SearchRequest {
        SearchRequest {
            text: text.into(),
            limit: 5,
            offset: 0,
            tags: vec![],
            suggestions: 2,
            packs: vec![],
            submitted: false,
        }
    }

    /// The request's bytes as the Kotlin converters write them.
    fn request(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        <SearchRequest as Lower<UniFfiTag>>::write(search_request(text), &mut out);
        out
    }

    fn page_of(reply: &[u8]) -> SearchPage {
        assert_eq!(reply[0], REPLY_PAGE, "not a page");
        let mut rest = &reply[1..];
        let page = <SearchPage as Lift<UniFfiTag>>::try_read(&mut rest).unwrap();
        assert!(rest.is_empty(), "bytes after the page");
        page
    }

    fn error_of(reply: &[u8]) -> QuireError {
        assert_eq!(reply[0], REPLY_ERROR, "not an error");
        let mut rest = &reply[1..];
        <QuireError as Lift<UniFfiTag>>::try_read(&mut rest).unwrap()
    }

    fn assert_invalid(reply: &[u8], what: &str) {
        assert!(
            matches!(error_of(reply), QuireError::InvalidArgument { .. }),
            "{what}"
        );
    }

    #[test]
    fn the_direct_reply_is_the_search_the_bindings_make() {
        let dir = tempfile::tempdir().unwrap();
        let reader = open_reader(dir.path());
        let key = key_of(&reader);
        assert_eq!(key_of(&reader), key, "one key for the reader's life");
        for text in [
            "withdrawing consent",
            "consnet",
            "contra",
            "\"saying no\"",
            "",
        ] {
            let direct = page_of(&reply(key, &request(text)));
            let bound = reader.search(search_request(text)).unwrap();
            assert_eq!(direct, bound, "{text}");
        }
        assert!(!page_of(&reply(key, &request("consent"))).hits.is_empty());
    }

    #[test]
    fn bad_keys_and_requests_get_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let reader = open_reader(dir.path());
        let key = key_of(&reader);
        let good = request("consent");
        let mut extra = good.clone();
        extra.push(0);
        for (bytes, what) in [
            (&[][..], "empty"),
            (&good[..good.len() - 1], "cut short"),
            (&[0xff; 40][..], "not a request"),
            (&extra[..], "a byte too many"),
        ] {
            assert_invalid(&reply(key, bytes), what);
        }
        assert_invalid(&reply(0, &good), "no such key");
        // A closed reader's key finds nothing, and a new reader gets a new key.
        drop(reader);
        assert_invalid(&reply(key, &good), "closed reader");
        let dir2 = tempfile::tempdir().unwrap();
        let other = open_reader(dir2.path());
        assert_ne!(key_of(&other), key);
    }

    #[test]
    fn a_reply_too_long_for_the_buffer_waits_for_a_longer_one() {
        let dir = tempfile::tempdir().unwrap();
        let reader = open_reader(dir.path());
        let key = key_of(&reader);
        let req = request("consent");
        let whole = reply(key, &req);
        let mut small = [0u8; 8];
        // SAFETY: the buffers are live and as long as said.
        let n = unsafe {
            quire_direct_search(key, req.as_ptr(), req.len() as i32, small.as_mut_ptr(), 8)
        };
        assert_eq!(n as usize, whole.len());
        assert_eq!(small, [0u8; 8], "nothing written to a buffer too short");
        // Still too short: kept again.
        // SAFETY: as above.
        assert_eq!(unsafe { quire_direct_reply(small.as_mut_ptr(), 8) }, n);
        let mut big = vec![0u8; n as usize];
        // SAFETY: as above.
        assert_eq!(unsafe { quire_direct_reply(big.as_mut_ptr(), n) }, n);
        assert_eq!(big, whole);
        // SAFETY: as above.
        let again = unsafe { quire_direct_reply(big.as_mut_ptr(), n) };
        assert_eq!(again, 0, "taken once");
        // A reply that fits is written at once.
        let mut roomy = vec![0u8; 1 << 16];
        // SAFETY: as above.
        let n = unsafe {
            quire_direct_search(
                key,
                req.as_ptr(),
                req.len() as i32,
                roomy.as_mut_ptr(),
                1 << 16,
            )
        };
        assert_eq!(&roomy[..n as usize], &whole[..]);
        // SAFETY: null pointers with zero lengths are allowed.
        let n = unsafe { quire_direct_search(key, std::ptr::null(), 0, std::ptr::null_mut(), 0) };
        let mut rest = vec![0u8; n as usize];
        // SAFETY: as above.
        unsafe { quire_direct_reply(rest.as_mut_ptr(), n) };
        assert_invalid(&rest, "null request");
    }
}
