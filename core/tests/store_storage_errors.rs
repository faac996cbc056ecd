//! Storage that cannot be written: a read-only data directory and a full disk give typed
//! errors ([`Error::StorageReadOnly`], [`Error::StorageFull`]) and never delete anything.
//!
//! These tests run as root on the build machines, and root ignores permission bits: a
//! `chmod 0555` directory does not stop root from writing. So that the typed-error paths
//! are really exercised, the test re-executes its own binary as a child (with
//! `--exact store_storage_child` and `QUIRE_STORE_CHILD_MODE` set) that makes the storage
//! genuinely unwritable before opening the store:
//!
//! * `nobody`: the child drops to uid/gid 65534, for which `chmod 0555`/`0444` applies
//!   (SQLite sees `EACCES`);
//! * `ro-mount`: the child enters a private mount namespace and bind-mounts the data
//!   directory read-only (SQLite sees `EROFS`, which binds root too);
//! * `full`: the child mounts a 1 MiB tmpfs on an empty data directory and adds bookmarks
//!   until the disk is full (`ENOSPC`).
//!
//! When not root, the `chmod` case runs in-process and the full-disk test is skipped (a
//! mount namespace needs root), saying so on stderr. A child that cannot set up its
//! namespace prints `SKIP` and the parent says so; as root, the full-disk case has no
//! other way to run, so a skipped `full` child fails its test.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use quire_core::Error;
use quire_core::store::{DB_FILE_NAME, Store};

const MODE_ENV: &str = "QUIRE_STORE_CHILD_MODE";
const DIR_ENV: &str = "QUIRE_STORE_CHILD_DIR";

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn cstr(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

/// Gives this thread its own mount namespace in which mounts do not propagate back.
fn private_mount_namespace() -> Result<(), String> {
    // SAFETY: plain system calls with valid, NUL-terminated arguments.
    unsafe {
        if libc::unshare(libc::CLONE_NEWNS) != 0 {
            return Err(format!("unshare: {}", std::io::Error::last_os_error()));
        }
        let root = c"/";
        if libc::mount(
            std::ptr::null(),
            root.as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ) != 0
        {
            return Err(format!(
                "make / private: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    Ok(())
}

fn mount_checked(
    src: Option<&CString>,
    target: &CString,
    fstype: Option<&std::ffi::CStr>,
    flags: libc::c_ulong,
    data: Option<&std::ffi::CStr>,
) -> Result<(), String> {
    // SAFETY: valid, NUL-terminated strings or null pointers, as mount(2) expects.
    let rc = unsafe {
        libc::mount(
            src.map_or(std::ptr::null(), |s| s.as_ptr()),
            target.as_ptr(),
            fstype.map_or(std::ptr::null(), |s| s.as_ptr()),
            flags,
            data.map_or(std::ptr::null(), |s| s.as_ptr().cast()),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(format!("mount: {}", std::io::Error::last_os_error()))
    }
}

fn skip(reason: String) {
    println!("SKIP {reason}");
}

fn assert_read_only_and_kept(dir: &Path, new_dir: &Path) {
    let db = dir.join(DB_FILE_NAME);
    let before = std::fs::read(&db).unwrap();
    match Store::open(dir) {
        Err(Error::StorageReadOnly(_)) => {}
        other => panic!("expected StorageReadOnly, got {other:?}"),
    }
    // A store that does not exist yet, in an unwritable directory.
    match Store::open(new_dir) {
        Err(Error::StorageReadOnly(_)) => {}
        other => panic!("expected StorageReadOnly for a new store, got {other:?}"),
    }
    // Wiping cannot delete anything either, and says why.
    match Store::wipe_dir(dir) {
        Err(Error::StorageReadOnly(_)) => {}
        other => panic!("expected StorageReadOnly from wipe, got {other:?}"),
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "file kept as it was");
    println!("OK");
}

/// The child, when re-executed by the tests below; returns at once otherwise.
#[test]
fn store_storage_child() {
    let (Some(mode), Some(dir)) = (std::env::var_os(MODE_ENV), std::env::var_os(DIR_ENV)) else {
        return;
    };
    let dir = PathBuf::from(dir);
    match mode.to_str().unwrap() {
        "nobody" => {
            // SAFETY: plain system calls; dropping privileges for the rest of this process.
            unsafe {
                assert_eq!(libc::setgroups(0, std::ptr::null()), 0);
                assert_eq!(libc::setgid(65534), 0);
                assert_eq!(libc::setuid(65534), 0);
            }
            assert_read_only_and_kept(&dir, &dir.join("new"));
        }
        "ro-mount" => {
            if let Err(e) = private_mount_namespace() {
                return skip(e);
            }
            let target = cstr(&dir);
            if let Err(e) = mount_checked(Some(&target), &target, None, libc::MS_BIND, None) {
                return skip(e);
            }
            if let Err(e) = mount_checked(
                None,
                &target,
                None,
                libc::MS_BIND | libc::MS_REMOUNT | libc::MS_RDONLY,
                None,
            ) {
                return skip(e);
            }
            // `empty` exists (created before the mount) but holds no store yet.
            assert_read_only_and_kept(&dir, &dir.join("empty"));
        }
        "full" => {
            if let Err(e) = private_mount_namespace() {
                return skip(e);
            }
            if let Err(e) = mount_checked(
                Some(&CString::new("tmpfs").unwrap()),
                &cstr(&dir),
                Some(c"tmpfs"),
                0,
                Some(c"size=1m,mode=0700"),
            ) {
                return skip(e);
            }
            fill_disk(&dir);
        }
        other => panic!("unknown mode {other}"),
    }
}

fn fill_disk(dir: &Path) {
    let store = Store::open(dir).unwrap().store;
    let note = "n".repeat(2000);
    let mut acknowledged = Vec::new();
    let error = loop {
        let id = format!("article-{:05}", acknowledged.len());
        match store.add_bookmark(&id, Some(&note), None) {
            Ok(_) => acknowledged.push(id),
            Err(e) => break e,
        }
        assert!(acknowledged.len() < 100_000, "the disk never filled up");
    };
    assert!(
        matches!(error, Error::StorageFull(_)),
        "expected StorageFull, got {error:?}"
    );
    assert!(!acknowledged.is_empty());
    // Everything acknowledged is still there, and the file too.
    let stored = store.bookmarks().unwrap();
    assert_eq!(stored.len(), acknowledged.len());
    assert!(dir.join(DB_FILE_NAME).exists());
    // Other writes fail the same typed way, or succeed; reads keep working.
    for result in [
        store.set_progress("article-00000", 0.5).map(|_| ()),
        store.set_setting("theme", &"t".repeat(50_000)),
    ] {
        assert!(
            matches!(result, Ok(()) | Err(Error::StorageFull(_))),
            "{result:?}"
        );
    }
    assert_eq!(store.bookmarks().unwrap().len(), acknowledged.len());
    drop(store);
    // Reopening on the full disk: no repair, nothing deleted.
    match Store::open(dir) {
        Ok(opened) => {
            assert!(opened.recovery.is_none());
            for id in &acknowledged {
                assert!(opened.store.bookmark(id).unwrap().is_some(), "{id} lost");
            }
        }
        Err(Error::StorageFull(_)) => {}
        Err(other) => panic!("reopening a full disk: {other:?}"),
    }
    assert!(dir.join(DB_FILE_NAME).exists());
    println!(
        "OK {} bookmarks acknowledged before the disk was full",
        acknowledged.len()
    );
}

/// Runs the child in `mode` on `dir`; returns its stdout, or its `SKIP` line if it could not
/// set up its storage.
fn run_child(mode: &str, dir: &Path) -> Result<String, String> {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store_storage_child",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(MODE_ENV, mode)
        .env(DIR_ENV, dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "child {mode} failed: {}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(line) = stdout.lines().find(|l| l.starts_with("SKIP")) {
        println!("{mode}: {line}");
        return Err(line.to_owned());
    }
    let ok = stdout.lines().find(|l| l.starts_with("OK"));
    assert!(ok.is_some(), "child {mode} did not finish:\n{stdout}");
    println!("{mode}: {}", ok.unwrap());
    Ok(stdout)
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn store_read_only_directory_gives_a_typed_error_and_keeps_the_file() {
    if std::env::var_os(MODE_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap().store;
    store
        .add_bookmark("withdrawing-consent", Some("keep me"), None)
        .unwrap();
    drop(store);
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let db = dir.path().join(DB_FILE_NAME);
    let before = std::fs::read(&db).unwrap();

    set_mode(&db, 0o444);
    set_mode(&dir.path().join("empty"), 0o555);
    set_mode(dir.path(), 0o555);
    let mut exercised = Vec::new();
    if is_root() {
        if run_child("nobody", dir.path()).is_ok() {
            exercised.push("EACCES as nobody");
        }
        if run_child("ro-mount", dir.path()).is_ok() {
            exercised.push("EROFS on a read-only bind mount");
        }
    } else {
        assert_read_only_and_kept(dir.path(), &dir.path().join("empty"));
        exercised.push("EACCES");
    }
    set_mode(dir.path(), 0o755);
    set_mode(&dir.path().join("empty"), 0o755);
    set_mode(&db, 0o644);
    assert!(!exercised.is_empty(), "no read-only case could run");
    println!("read-only paths exercised: {exercised:?}");

    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "file kept byte for byte"
    );
    let store = Store::open(dir.path()).unwrap().store;
    assert_eq!(
        store
            .bookmark("withdrawing-consent")
            .unwrap()
            .unwrap()
            .note
            .as_deref(),
        Some("keep me")
    );
}

#[test]
fn store_full_disk_gives_a_typed_error_and_keeps_what_was_acknowledged() {
    if std::env::var_os(MODE_ENV).is_some() {
        return;
    }
    if !is_root() {
        eprintln!(
            "store_full_disk_gives_a_typed_error_and_keeps_what_was_acknowledged: SKIPPED, \
             not root: mounting a small tmpfs needs root, so the full-disk case did not run"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // As root the 1 MiB tmpfs must mount: a child that skipped did not exercise anything.
    if let Err(skipped) = run_child("full", dir.path()) {
        panic!("running as root, yet the full-disk case did not run: {skipped}");
    }
}
