//! Embeds the articles of `corpus/` in the binary, so `quire` works with no bundle and
//! no network on its first run.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // At run time, not `env!`: a build script binary can be reused from another checkout.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("../corpus");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/ directory next to cli/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The built-in articles: (file name, contents).\npub const ARTICLES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            f.canonicalize().unwrap().display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    // The thesaurus written with them, if any.
    let thesaurus = dir.join("thesaurus.txt");
    println!("cargo:rerun-if-changed={}", thesaurus.display());
    if thesaurus.exists() {
        writeln!(
            out,
            "/// The built-in thesaurus.\npub const THESAURUS: Option<&str> = Some(include_str!({:?}));",
            thesaurus.canonicalize().unwrap().display().to_string()
        )
        .unwrap();
    } else {
        out.push_str("/// The built-in thesaurus.\npub const THESAURUS: Option<&str> = None;\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_corpus.rs");
    std::fs::write(dest, out).unwrap();
}
