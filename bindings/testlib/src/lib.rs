//! # quire-ffi-testlib
//!
//! The bindings of `quire-ffi` with the test-only calls of its `test-panic` feature,
//! linked as a library of its own name, `quire_ffi_tests` (`libquire_ffi_tests.so`,
//! `.dylib` and `.a`), for the Kotlin tests (`tests/kotlin/run.sh`) and the Swift tests
//! (`tests/swift/prepare.sh`). Never shipped: the apps link `libquire_ffi`, which
//! `bindings/checks.sh` checks has no test-only call.
//!
//! It adds no code. Re-exporting `quire-ffi` links its exported calls and UniFFI's
//! metadata into this library, so UniFFI's library mode generates the same bindings
//! from it as from `libquire_ffi` (namespace `quire_ffi`, configured by
//! `bindings/uniffi.toml`), plus the test-only calls. The generated Kotlin loads
//! `quire_ffi` by default; the tests point it at this library with the JVM property
//! `uniffi.component.quire_ffi.libraryOverride=quire_ffi_tests`. The Swift tests link
//! `libquire_ffi_tests.a` by name in their module map.

pub use quire_ffi::*;
