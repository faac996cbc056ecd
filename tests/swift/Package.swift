// swift-tools-version:5.9
// The Swift tests of the Quire bindings. This file is copied into target/swift-tests/ by
// tests/swift/prepare.sh, next to the generated bindings and the Rust staticlib; run
// `swift test` there (see .github/workflows/swift.yml). It is not built from tests/swift/.
import PackageDescription

let package = Package(
    name: "QuireCore",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "QuireCore", targets: ["QuireCore"]),
    ],
    targets: [
        // The C side of the bindings: the generated header, and a module map that links
        // lib/libquire_ffi.a (plus the system libraries rustc asks for).
        .systemLibrary(name: "QuireCoreFFI", path: "Sources/QuireCoreFFI"),
        // The generated Swift bindings.
        .target(
            name: "QuireCore",
            dependencies: ["QuireCoreFFI"],
            path: "Sources/QuireCore",
            linkerSettings: [.unsafeFlags(["-L\(Context.packageDirectory)/lib"])]
        ),
        .testTarget(
            name: "QuireCoreTests",
            dependencies: ["QuireCore"],
            path: "Tests/QuireCoreTests",
            linkerSettings: [.unsafeFlags(["-L\(Context.packageDirectory)/lib"])]
        ),
    ],
    swiftLanguageVersions: [.v5]
)
