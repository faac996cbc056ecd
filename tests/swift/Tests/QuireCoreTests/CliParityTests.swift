// A search called from Swift returns the same hits, in the same order, with the same
// snippets, highlights and scores, as `quire search --json` on the same bundle file.
import Foundation
import QuireCore
import XCTest

struct CliHit: Decodable {
    let id: String
    let title: String
    let score: Double
    let snippet: String
    let highlights: [[UInt32]]
}

struct CliResults: Decodable {
    let query: String
    let total: UInt64
    let hits: [CliHit]
    let suggestion: String?
    let corrected: Bool?
}

final class CliParityTests: XCTestCase {
    func cliSearch(_ bundle: String, _ query: String, limit: Int, offset: Int, tags: [String]) throws -> CliResults {
        var args = [Env.cli, "search", "--bundle", bundle, "--json", "--limit", "\(limit)", "--offset", "\(offset)"]
        for t in tags { args += ["--tag", t] }
        args.append(query)
        let (status, out, err) = try runProcess(args)
        XCTAssertEqual(status, 0, err)
        return try JSONDecoder().decode(CliResults.self, from: Data(out.utf8))
    }

    func testSearchMatchesTheCli() throws {
        let cases: [(String, Int, Int, [String])] = [
            ("withdrawing consent", 10, 0, []),
            ("painful sex", 25, 0, []),
            ("changed my mind", 10, 0, []),
            ("stop", 10, 0, []),
            ("relatoinship trust", 10, 0, []),
            ("communicat", 10, 0, []),
            ("\"emotional intimacy\"", 10, 0, []),
            ("consent -pain", 10, 0, []),
            ("sex", 7, 14, []),
            ("consent", 10, 0, ["consent"]),
            ("zzzzqqq", 10, 0, []),
            ("🙂 consent café", 10, 0, []),
        ]
        var compared = 0
        for (path, bundle) in [(Env.generatedPath, Env.generated), (Env.builtinPath, Env.builtin)] {
            for (query, limit, offset, tags) in cases {
                let label = "\(path) '\(query)'"
                let cli = try cliSearch(path, query, limit: limit, offset: offset, tags: tags)
                let ffi = try bundle.search(query: query, options: SearchOptions(limit: UInt32(limit), offset: UInt32(offset), tags: tags))
                XCTAssertEqual(cli.query, ffi.query, label)
                XCTAssertEqual(cli.total, ffi.total, label)
                XCTAssertEqual(cli.suggestion, ffi.suggestion, label)
                if let corrected = cli.corrected { XCTAssertEqual(corrected, ffi.corrected, label) }
                XCTAssertEqual(cli.hits.map(\.id), ffi.hits.map(\.id), label)
                for (c, f) in zip(cli.hits, ffi.hits) {
                    XCTAssertEqual(c.title, f.title, label)
                    XCTAssertEqual(c.snippet, f.snippet, label)
                    XCTAssertEqual(Float(c.score), f.score, label)
                    XCTAssertEqual(c.highlights, f.highlights.map { [$0.start, $0.end] }, label)
                    checkRanges(f.snippet, f.highlights)
                }
                compared += ffi.hits.count
            }
        }
        XCTAssertGreaterThan(compared, 100)
    }
}
