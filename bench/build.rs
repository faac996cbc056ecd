//! Compiles the small C++ shim over Xapian (bench/xapian/shim.cc) when Xapian's
//! development files are found through pkg-config (`xapian-core`, Debian's
//! `libxapian-dev`), and tells the crate with `cfg(quire_bench_xapian)`. Without them the
//! benchmark still builds and reports Xapian as not measured. `QUIRE_BENCH_NO_XAPIAN=1`
//! turns the detection off.

use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(quire_bench_xapian)");
    println!("cargo::rerun-if-changed=xapian/shim.cc");
    println!("cargo::rerun-if-env-changed=QUIRE_BENCH_NO_XAPIAN");
    println!("cargo::rerun-if-env-changed=PKG_CONFIG_PATH");
    if std::env::var_os("QUIRE_BENCH_NO_XAPIAN").is_some_and(|v| v != "0") {
        println!("cargo::warning=Xapian turned off by QUIRE_BENCH_NO_XAPIAN");
        return;
    }
    let pkg = |arg: &str| -> Option<String> {
        let out = Command::new("pkg-config")
            .args([arg, "xapian-core"])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let (Some(cflags), Some(libs)) = (pkg("--cflags"), pkg("--libs")) else {
        println!(
            "cargo::warning=Xapian not found (pkg-config xapian-core): building without it \
             (bench/install-deps.sh installs libxapian-dev)"
        );
        return;
    };
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .file("xapian/shim.cc")
        .flag_if_supported("-std=c++17")
        .warnings(false);
    for flag in cflags.split_whitespace() {
        build.flag(flag);
    }
    build.compile("quire_bench_xapian");
    for part in libs.split_whitespace() {
        if let Some(dir) = part.strip_prefix("-L") {
            println!("cargo::rustc-link-search=native={dir}");
        } else if let Some(lib) = part.strip_prefix("-l") {
            println!("cargo::rustc-link-lib={lib}");
        }
    }
    println!("cargo::rustc-cfg=quire_bench_xapian");
}
