// swift-tools-version:5.9
// The Swift tests of the Quire bindings. This file is copied into target/swift-tests/ by
// tests/swift/prepare.sh, next to the generated bindings and the Rust staticlib; run
// `swift test` there (see .github/workflows/swift.yml). It is not built from tests/swift/.
//
// The C side of the bindings comes one of two ways, whichever prepare.sh left:
// QuireCoreFFI.xcframework (on macOS: the test library packaged by
// ios/build-xcframework.sh --macos, as the iOS app's library is), or else
// Sources/QuireCoreFFI, a module map that links lib/libquire_ffi_tests.a.
import Foundation
import PackageDescription

let root = Context.packageDirectory
let xcframework = FileManager.default.fileExists(atPath: root + "/QuireCoreFFI.xcframework")

let ffi: Target = xcframework
    ? .binaryTarget(name: "QuireCoreFFI", path: "QuireCoreFFI.xcframework")
    // The generated header, and a module map that links the staticlib (plus the system
    // libraries rustc asks for).
    : .systemLibrary(name: "QuireCoreFFI", path: "Sources/QuireCoreFFI")
let linkLib: [LinkerSetting] = xcframework ? [] : [.unsafeFlags(["-L\(root)/lib"])]

let package = Package(
    name: "QuireCore",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "QuireCore", targets: ["QuireCore"]),
    ],
    targets: [
        ffi,
        // The generated Swift bindings.
        .target(
            name: "QuireCore",
            dependencies: ["QuireCoreFFI"],
            path: "Sources/QuireCore",
            linkerSettings: linkLib
        ),
        .testTarget(
            name: "QuireCoreTests",
            dependencies: ["QuireCore"],
            path: "Tests/QuireCoreTests",
            linkerSettings: linkLib
        ),
    ],
    swiftLanguageVersions: [.v5]
)
