// Every call the library exports is called by these tests: the list comes from the
// library's own symbols (written by tests/swift/prepare.sh), so a new export without a
// Swift test fails here.
import Foundation
import XCTest

func camel(_ snake: String) -> String {
    let parts = snake.split(separator: "_").map(String.init)
    return parts.enumerated().map { i, w in i == 0 ? w : w.prefix(1).uppercased() + w.dropFirst() }.joined()
}

final class CoverageTests: XCTestCase {
    func testEveryExportedCallIsCalled() throws {
        let symbols = try String(contentsOfFile: Env.exports, encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { $0.hasPrefix("uniffi_quire_ffi_fn_") }
        let objects = symbols.filter { $0.hasPrefix("uniffi_quire_ffi_fn_clone_") }
            .map { String($0.dropFirst("uniffi_quire_ffi_fn_clone_".count)) }
        XCTAssertGreaterThanOrEqual(objects.count, 2)
        let dir = URL(fileURLWithPath: Env.testSources)
        let source = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
        var missing: [String] = []
        var checked = 0
        for sym in symbols {
            let rest = String(sym.dropFirst("uniffi_quire_ffi_fn_".count))
            if rest.hasPrefix("clone_") || rest.hasPrefix("free_") { continue }
            let call: String
            if rest.hasPrefix("func_") {
                call = camel(String(rest.dropFirst("func_".count))) + "("
            } else {
                let kind = rest.prefix { $0 != "_" }
                let tail = String(rest.dropFirst(kind.count + 1))
                guard let obj = objects.first(where: { tail.hasPrefix($0 + "_") }) else {
                    XCTFail("no object for \(sym)")
                    continue
                }
                let name = camel(String(tail.dropFirst(obj.count + 1)))
                // Methods are called as `.name(`; constructors as `Type.name(`.
                call = "." + name + "("
            }
            checked += 1
            if !source.contains(call) { missing.append("\(sym) (looked for `\(call)`)") }
        }
        XCTAssertGreaterThanOrEqual(checked, 40)
        XCTAssertEqual(missing, [], "exported but never called from the Swift tests")
    }
}
