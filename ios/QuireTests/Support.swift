// What the view-model tests share: an app model on the real library, the app's own
// built-in bundle and a fresh data directory; waiting for the main actor to settle.
import Foundation
import QuireCore
import SwiftUI
import XCTest
@testable import Quire

let stopId = "consent-during-sex-stop-means-stop"
let processId = "consent-is-a-process"

@MainActor
enum Fixture {
    /// The bundle the app ships (the tests run inside the app).
    static var bundlePath: String {
        guard let path = Bundle.main.path(forResource: "builtin", ofType: "quire") else {
            fatalError("builtin.quire is not in the app: run ios/build-xcframework.sh before xcodegen")
        }
        return path
    }

    /// A fresh, empty data directory.
    static func newDir(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("quire-tests", isDirectory: true)
            .appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
    }

    /// An app model whose core opens the built-in bundle and `dir` (fresh by default),
    /// as the app's does, with the same backup exclusion after every write.
    static func app(_ name: String, dir: URL? = nil) -> (AppModel, URL) {
        let dir = dir ?? newDir(name)
        let bundle = bundlePath
        let core = Core(
            open: {
                try DataLocation.prepare(dir)
                return try Reader.open(bundlePath: bundle, dataDir: dir.path)
            },
            afterWrite: { try? DataLocation.protect(dir) }
        )
        return (AppModel(core: core), dir)
    }
}

extension XCTestCase {
    /// Waits (up to `timeout` seconds) until `condition` holds on the main actor, then
    /// asserts it.
    @MainActor
    func eventually(_ what: String, timeout: TimeInterval = 5, file: StaticString = #filePath, line: UInt = #line,
                    _ condition: () -> Bool) async {
        let end = Date().addingTimeInterval(timeout)
        while !condition() && Date() < end {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertTrue(condition(), what, file: file, line: line)
    }
}

/// The text of `range` in `text`, cut by its UTF-16 offsets (as the marks are drawn).
func cut(_ text: String, _ range: TextRange) -> String {
    let ns = NSRange(location: Int(range.utf16Start), length: Int(range.utf16End) - Int(range.utf16Start))
    return (text as NSString).substring(with: ns)
}

/// The marked stretches of `text` (those on the mark colour), in order.
func markedWords(_ text: AttributedString) -> [String] {
    text.runs.filter { $0.backgroundColor == Marks.markColor }
        .map { String(text[$0.range].characters).lowercased() }
}
