// swift-tools-version:5.9
// The Quire bindings as a Swift package, in two places, both assembled from build output
// (generated code is never committed):
//
// * target/swift-tests/ (tests/swift/prepare.sh): the Swift tests of the bindings, run with
//   `swift test` there (see .github/workflows/swift.yml). Not built from tests/swift/.
// * target/ios/QuireCore/ (ios/build-xcframework.sh): the package the iOS app links
//   (ios/project.yml); it has no Tests/ directory, hence no test target.
//
// The C side of the bindings comes one of two ways, whichever was left next to this file:
// QuireCoreFFI.xcframework (the library, its generated header and a module map, made by
// ios/build-xcframework.sh: for the app, and on macOS for the tests), or else
// Sources/QuireCoreFFI, a module map that links lib/libquire_ffi_tests.a (the tests on a
// machine without Xcode).
import Foundation
import PackageDescription

let root = Context.packageDirectory
let fm = FileManager.default
let xcframework = fm.fileExists(atPath: root + "/QuireCoreFFI.xcframework")
let hasTests = fm.fileExists(atPath: root + "/Tests/QuireCoreTests")

let ffi: Target = xcframework
    ? .binaryTarget(name: "QuireCoreFFI", path: "QuireCoreFFI.xcframework")
    // The generated header, and a module map that links the staticlib (plus the system
    // libraries rustc asks for).
    : .systemLibrary(name: "QuireCoreFFI", path: "Sources/QuireCoreFFI")
let linkLib: [LinkerSetting] = xcframework ? [] : [.unsafeFlags(["-L\(root)/lib"])]

var targets: [Target] = [
    ffi,
    // The generated Swift bindings.
    .target(
        name: "QuireCore",
        dependencies: ["QuireCoreFFI"],
        path: "Sources/QuireCore",
        linkerSettings: linkLib
    ),
]
if hasTests {
    targets.append(.testTarget(
        name: "QuireCoreTests",
        dependencies: ["QuireCore"],
        path: "Tests/QuireCoreTests",
        linkerSettings: linkLib
    ))
}

let package = Package(
    name: "QuireCore",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "QuireCore", targets: ["QuireCore"]),
    ],
    targets: targets,
    swiftLanguageVersions: [.v5]
)
