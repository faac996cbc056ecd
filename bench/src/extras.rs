//! Figures measured outside the engines: the shipped library's size, and the cost of
//! crossing from Kotlin into Rust.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::run::Config;

/// The release cdylib the apps ship.
#[derive(Debug, Clone, Serialize)]
pub struct Cdylib {
    /// The file measured.
    pub path: String,
    /// Its size as built.
    pub built_bytes: u64,
    /// Its size after `strip --strip-all` of a copy.
    pub stripped_bytes: u64,
}

impl Cdylib {
    /// Measures the library at `path`, stripping a copy in `work`.
    pub fn measure(path: &Path, work: &Path) -> Result<Cdylib, String> {
        let built_bytes = std::fs::metadata(path)
            .map_err(|e| {
                format!(
                    "{}: {e} (build it with `cargo build --release -p quire-ffi`)",
                    path.display()
                )
            })?
            .len();
        let copy = work.join("cdylib-stripped.so");
        std::fs::copy(path, &copy).map_err(|e| format!("copying {}: {e}", path.display()))?;
        let status = Command::new("strip")
            .arg("--strip-all")
            .arg(&copy)
            .status()
            .map_err(|e| format!("running strip: {e}"))?;
        if !status.success() {
            return Err(format!("strip failed: {status}"));
        }
        let stripped_bytes = std::fs::metadata(&copy).map_err(|e| e.to_string())?.len();
        let _ = std::fs::remove_file(&copy);
        Ok(Cdylib {
            path: path.display().to_string(),
            built_bytes,
            stripped_bytes,
        })
    }
}

/// One search through Kotlin/JNA against the same search in Rust.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kotlin {
    /// Not yet measured.
    pub note: String,
}

impl Kotlin {
    /// One line for the report.
    pub fn summary(&self) -> String {
        self.note.clone()
    }

    /// Extra microseconds of the Kotlin call over the Rust one, at the median.
    pub fn extra_us(&self) -> f64 {
        f64::NAN
    }

    /// Runs the Kotlin benchmark command.
    pub fn measure(_cmd: &str, _config: &Config, _start: Instant) -> Result<Kotlin, String> {
        Err("the Kotlin benchmark is not written yet".into())
    }
}
