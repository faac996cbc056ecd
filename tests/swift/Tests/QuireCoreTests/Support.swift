// Fixtures shared by the Swift tests: paths from the environment written by
// tests/swift/prepare.sh (target/swift-tests/env.sh), bundles opened once, fresh
// directories, highlight helpers, running the quire CLI, and a CRC-32.
import Foundation
import QuireCore
import XCTest

let stopId = "consent-during-sex-stop-means-stop"
let processId = "consent-is-a-process"

enum Env {
    static func variable(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            fatalError("\(name) is not set: run tests/swift/prepare.sh, then `source target/swift-tests/env.sh`")
        }
        return value
    }

    static let cli = variable("QUIRE_CLI")
    static let builtinPath = variable("QUIRE_BUILTIN_BUNDLE")
    static let generatedPath = variable("QUIRE_GENERATED_BUNDLE")
    static let exports = variable("QUIRE_EXPORTS")
    static let testSources = variable("QUIRE_TEST_SOURCES")
    static let work = URL(fileURLWithPath: variable("QUIRE_WORK"))

    /// The built-in corpus, opened once and shared (as an app would).
    static let builtin: ArticleBundle = try! ArticleBundle.open(path: builtinPath)
    /// 300 generated articles, for ranking and paging comparisons.
    static let generated: ArticleBundle = try! ArticleBundle.open(path: generatedPath)

    /// A fresh, empty directory under the work directory.
    static func newDir(_ name: String) -> URL {
        let dir = work.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

func dbFile(_ dir: URL) -> URL { dir.appendingPathComponent("quire-user.sqlite3") }

/// The text of `r` in `text`, cut by its UTF-16 offsets (NSRange, as UIKit/AppKit use).
func utf16Slice(_ text: String, _ r: TextRange) -> String {
    let range = NSRange(location: Int(r.utf16Start), length: Int(r.utf16End - r.utf16Start))
    return (text as NSString).substring(with: range)
}

/// The text of `r` in `text`, cut by String.Index built from the UTF-16 offsets.
func indexSlice(_ text: String, _ r: TextRange) -> String {
    let from = String.Index(utf16Offset: Int(r.utf16Start), in: text)
    let to = String.Index(utf16Offset: Int(r.utf16End), in: text)
    return String(text[from..<to])
}

/// The text of `r` in `text`, cut by its Unicode scalar offsets (what the core reports).
func scalarSlice(_ text: String, _ r: TextRange) -> String {
    let scalars = Array(text.unicodeScalars)
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[Int(r.start)..<Int(r.end)])
    return String(view)
}

/// Every range selects the same, non-blank text in all three ways of cutting.
func checkRanges(_ text: String, _ ranges: [TextRange], file: StaticString = #filePath, line: UInt = #line) {
    for r in ranges {
        XCTAssertLessThan(r.start, r.end, "empty range in '\(text)'", file: file, line: line)
        let a = scalarSlice(text, r)
        XCTAssertEqual(a, utf16Slice(text, r), file: file, line: line)
        XCTAssertEqual(a, indexSlice(text, r), file: file, line: line)
        XCTAssertFalse(a.trimmingCharacters(in: .whitespaces).isEmpty, file: file, line: line)
    }
}

/// Runs a program; returns (status, stdout, stderr).
func runProcess(_ args: [String]) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: args[0])
    p.arguments = Array(args.dropFirst())
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Builds a bundle from Markdown articles with the quire CLI.
func buildBundle(_ name: String, _ articles: [String: String]) throws -> String {
    let dir = Env.newDir(name)
    let corpus = dir.appendingPathComponent("corpus")
    try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    for (file, text) in articles {
        try text.write(to: corpus.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    let out = dir.appendingPathComponent("\(name).quire").path
    let (status, _, err) = try runProcess([Env.cli, "build", corpus.path, "-o", out])
    XCTAssertEqual(status, 0, err)
    return out
}

/// CRC-32 (IEEE), as the bundle header uses.
func crc32(_ bytes: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// Collects failures from many threads, to assert on once they are done.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ s: String) {
        lock.lock()
        items.append(s)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
