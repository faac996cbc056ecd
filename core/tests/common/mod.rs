//! Helpers shared by the integration tests: the built-in bundle, a reproducible PRNG, and
//! resealing a deliberately damaged bundle so its checksums match again.

#![allow(dead_code)]

use std::path::Path;

use quire_core::bundle::format::{HEADER_LEN, Header, crc32};
use quire_core::bundle::{self, BuildOptions};
use quire_core::corpus;

/// Prints a line of figures and keeps it in `target/tmp/reliability/<name>.txt`, from
/// where the test command (`tests/run-all`) shows every reliability figure after the
/// tests have run.
pub fn figures(name: &str, line: &str) {
    println!("{line}");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reliability");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), format!("{line}\n"));
}

/// The repository's `corpus/` directory.
pub fn corpus_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"))
}

/// A bundle of the built-in articles.
pub fn built_in_bundle() -> Vec<u8> {
    bundle::build_bytes(
        corpus::load_dir(corpus_dir()).unwrap(),
        &BuildOptions::default(),
    )
    .unwrap()
}

/// SplitMix64: small, fast and reproducible from its seed.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Recomputes every checksum of a bundle (blocks, table, manifest, header) so that
/// damage made to its sections passes verification, as a pack from a hostile source
/// would. Returns false, leaving `bytes` alone, when the header or manifest is itself
/// unreadable.
pub fn reseal(bytes: &mut Vec<u8>) -> bool {
    let Ok(header) = Header::decode(&bytes[..HEADER_LEN.min(bytes.len())], bytes.len() as u64)
    else {
        return false;
    };
    let m_start = header.manifest_offset as usize;
    let Ok(mut manifest) = serde_json::from_slice::<serde_json::Value>(
        &bytes[m_start..m_start + header.manifest_len as usize],
    ) else {
        return false;
    };
    let (Some(block), Some(table_offset), Some(sections)) = (
        manifest["block_size"].as_u64(),
        manifest["checksums"]["offset"].as_u64(),
        manifest["sections"].as_array(),
    ) else {
        return false;
    };
    let mut table = Vec::new();
    for s in sections {
        let (Some(off), Some(len)) = (s["offset"].as_u64(), s["length"].as_u64()) else {
            return false;
        };
        let Some(data) = bytes.get(off as usize..(off + len) as usize) else {
            return false;
        };
        for chunk in data.chunks(block.max(1) as usize) {
            table.extend_from_slice(&crc32(chunk).to_le_bytes());
        }
    }
    let Some(slot) = bytes.get_mut(table_offset as usize..table_offset as usize + table.len())
    else {
        return false;
    };
    slot.copy_from_slice(&table);
    manifest["checksums"]["crc32"] = crc32(&table).into();
    manifest["checksums"]["length"] = (table.len() as u64).into();
    let json = serde_json::to_vec(&manifest).unwrap();
    bytes.truncate(m_start);
    bytes.extend_from_slice(&json);
    let h = Header {
        manifest_len: json.len() as u64,
        manifest_crc: crc32(&json),
        ..header
    };
    bytes[..HEADER_LEN].copy_from_slice(&h.encode());
    true
}

/// A random seed from the clock (odd, so that xorshift generators accept it), printed so
/// that a failing run of a kill test can be told apart and replayed.
pub fn printed_seed() -> u64 {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed:#x}");
    seed
}

/// Runs this test binary again as a child running only test `name` (the child side of a
/// kill test), with `envs` set, stdout piped and stderr inherited.
pub fn spawn_child(name: &str, envs: &[(&str, &std::ffi::OsStr)]) -> std::process::Child {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", name, "--nocapture", "--test-threads=1", "-q"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit());
    for (k, v) in envs {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

/// Kills child `pid` with SIGKILL.
pub fn sigkill(pid: u32) {
    // SAFETY: kill(2) on our own child's pid; the child is not reaped until `wait`, so the
    // pid cannot have been reused.
    let rc = unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
    assert_eq!(rc, 0, "kill failed");
}
