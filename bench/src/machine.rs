//! The machine the benchmark runs on, the memory of this process, and the page cache.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::Path;

use serde::Serialize;

/// What the report says about the machine.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// CPU model, from `/proc/cpuinfo`.
    pub cpu: String,
    /// Logical CPUs available to this process.
    pub cores: usize,
    /// Total memory, from `/proc/meminfo`, in bytes.
    pub memory_bytes: u64,
    /// The block device under the work directory, its size and whether it is rotational.
    pub disk: String,
    /// Kernel release, from `/proc/sys/kernel/osrelease`.
    pub kernel: String,
    /// SQLite version linked (bundled by rusqlite).
    pub sqlite: String,
    /// `release` or `debug` (whether debug assertions are on).
    pub build: String,
    /// Load averages (1, 5, 15 min) when the run started.
    pub load_at_start: String,
}

impl Machine {
    /// Describes this machine; `work` is the directory the benchmark writes to.
    pub fn describe(work: &Path) -> Machine {
        let cpu = read("/proc/cpuinfo")
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, m)| m.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let memory_bytes = read("/proc/meminfo")
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024);
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_bytes,
            disk: disk_of(work),
            kernel: read("/proc/sys/kernel/osrelease").trim().to_string(),
            sqlite: rusqlite::version().to_string(),
            build: if cfg!(debug_assertions) {
                "debug".into()
            } else {
                "release".into()
            },
            load_at_start: load_average(),
        }
    }
}

/// The load averages from `/proc/loadavg` (1, 5 and 15 minutes).
pub fn load_average() -> String {
    read("/proc/loadavg")
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// "vda: 256 GiB, virtio, non-rotational"-style description of the disk holding `dir`.
fn disk_of(dir: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(dir) else {
        return "unknown".into();
    };
    let dev = meta.dev();
    let (major, minor) = (libc::major(dev), libc::minor(dev));
    let sys = format!("/sys/dev/block/{major}:{minor}");
    let Ok(real) = std::fs::canonicalize(&sys) else {
        return format!("device {major}:{minor}");
    };
    // A partition's queue settings live with its parent disk.
    let disk_dir = if real.join("partition").exists() {
        real.parent().map(Path::to_path_buf).unwrap_or(real.clone())
    } else {
        real.clone()
    };
    let name = disk_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sectors: u64 = read(&format!("{}/size", disk_dir.display()))
        .trim()
        .parse()
        .unwrap_or(0);
    let rotational = read(&format!("{}/queue/rotational", disk_dir.display()));
    let model = read(&format!("{}/device/model", disk_dir.display()))
        .trim()
        .to_string();
    let kind = if name.starts_with("vd") {
        "virtio block device".to_string()
    } else if model.is_empty() {
        "block device".to_string()
    } else {
        model
    };
    format!(
        "{name}: {} GiB {kind}, queue/rotational={}",
        sectors * 512 / (1 << 30),
        rotational.trim()
    )
}

/// This process's anonymous resident memory (`RssAnon` of `/proc/self/status`), bytes.
pub fn rss_anon() -> u64 {
    read("/proc/self/status")
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Memory of this process, bytes: the fields of `/proc/self/status` and
/// `/proc/self/smaps_rollup` the report shows side by side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Memory {
    /// Resident anonymous memory (heap, stacks, SQLite's page cache): `RssAnon`.
    pub anon: u64,
    /// Resident file-backed memory (the binary, libraries, mapped bundles): `RssFile`.
    pub file: u64,
    /// Proportional set size (shared pages divided among their users): `Pss`.
    pub pss: u64,
    /// Peak resident set size so far: `VmHWM`.
    pub hwm: u64,
}

impl Memory {
    /// This process's now.
    pub fn now() -> Memory {
        let status = read("/proc/self/status");
        let rollup = read("/proc/self/smaps_rollup");
        let field = |text: &str, name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .map_or(0, |kb| kb * 1024)
        };
        Memory {
            anon: field(&status, "RssAnon:"),
            file: field(&status, "RssFile:"),
            pss: field(&rollup, "Pss:"),
            hwm: field(&status, "VmHWM:"),
        }
    }
}

/// Major page faults of this process so far (pages that had to be read from the disk).
pub fn major_faults() -> u64 {
    // SAFETY: getrusage fills the struct we pass; zeroed is a valid initial value.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return 0;
        }
        usage.ru_majflt as u64
    }
}

/// Bytes this process has caused to be read from the storage layer so far
/// (`read_bytes` of `/proc/self/io`; page-cache hits and read-ahead included).
pub fn storage_read_bytes() -> u64 {
    read("/proc/self/io")
        .lines()
        .find_map(|l| l.strip_prefix("read_bytes:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Drops `path` from the page cache (`posix_fadvise(DONTNEED)` after `fsync`), so that the
/// next reader reads it from the disk. Only this file is evicted; no root needed. Pages
/// mapped by a live process stay, so call it when nothing has the file open.
pub fn evict(path: &Path) -> io::Result<()> {
    let file = File::open(path)?;
    file.sync_all()?;
    // SAFETY: a plain syscall on a descriptor we own.
    let rc = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(())
}

/// The share (0–1) of `path`'s pages in the page cache, from `mincore(2)`.
pub fn resident_share(path: &Path) -> io::Result<f64> {
    let file = File::open(path)?;
    let len = file.metadata()?.len() as usize;
    if len == 0 {
        return Ok(0.0);
    }
    // SAFETY: we map the file read-only and private, only to ask the kernel which of its
    // pages are cached; the mapping is never read and is unmapped before returning.
    unsafe {
        let addr = libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        );
        if addr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let page = libc::sysconf(libc::_SC_PAGESIZE) as usize;
        let pages = len.div_ceil(page);
        let mut vec = vec![0u8; pages];
        let rc = libc::mincore(addr, len, vec.as_mut_ptr());
        let err = io::Error::last_os_error();
        libc::munmap(addr, len);
        if rc != 0 {
            return Err(err);
        }
        Ok(vec.iter().filter(|&&b| b & 1 == 1).count() as f64 / pages as f64)
    }
}
