// ArticleBundle: opening (path, descriptor, bytes), the catalog, articles, search, title
// suggestions, related articles, and the highlight ranges in both units.
import Foundation
import QuireCore
import XCTest

final class BundleTests: XCTestCase {
    func testQuireVersion() {
        XCTAssertNotNil(quireVersion().range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression))
    }

    func testOpenByPathInfoAndArticleCount() throws {
        let info = Env.builtin.info()
        XCTAssertEqual(info.corpusId, "quire-builtin")
        XCTAssertEqual(info.corpusVersion, "test")
        XCTAssertEqual(info.articleCount, 2)
        XCTAssertEqual(Env.builtin.articleCount(), 2)
        let size = try FileManager.default.attributesOfItem(atPath: Env.builtinPath)[.size] as! NSNumber
        XCTAssertEqual(info.sizeBytes, size.uint64Value)
        XCTAssertTrue(info.generator.hasPrefix("quire"))
        XCTAssertNotNil(ISO8601DateFormatter().date(from: info.builtAt), info.builtAt)
    }

    func testVerify() throws {
        try Env.builtin.verify()
        try Env.generated.verify()
    }

    func testListContainsMeta() throws {
        let list = try Env.builtin.list()
        XCTAssertEqual(list.map(\.id), [stopId, processId].sorted())
        for m in list {
            XCTAssertEqual(try Env.builtin.meta(id: m.id), m)
            XCTAssertTrue(try Env.builtin.contains(id: m.id))
        }
        XCTAssertFalse(try Env.builtin.contains(id: "no-such-article"))
        let process = try Env.builtin.meta(id: processId)
        XCTAssertEqual(process.published, "2025-09-16")
        XCTAssertTrue(process.tags.contains("consent"))
        XCTAssertNil(try Env.builtin.meta(id: stopId).published)
    }

    func testArticleMarkdownAndPlainText() throws {
        let a = try Env.builtin.article(id: processId)
        XCTAssertEqual(a.meta, try Env.builtin.meta(id: processId))
        XCTAssertTrue(a.markdown.contains("- Look inside yourself"))
        XCTAssertTrue(a.plainText.contains("Look inside yourself"))
        XCTAssertFalse(a.plainText.contains("- Look inside yourself"))
    }

    func testOpenFdAtAnOffset() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Env.builtinPath))
        let packed = Env.newDir("fd").appendingPathComponent("app.pack")
        let prefix = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try (prefix + bytes + Data(count: 100)).write(to: packed)
        let fd = open(packed.path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let bundle: ArticleBundle
        do {
            defer { close(fd) } // the library keeps its own duplicate
            bundle = try ArticleBundle.openFd(fd: fd, offset: UInt64(prefix.count), length: UInt64(bytes.count))
        }
        try bundle.verify()
        XCTAssertEqual(bundle.info(), Env.builtin.info())
        XCTAssertEqual(try bundle.search(query: "stop", options: SearchOptions()).hits.first?.id, stopId)
        XCTAssertEqual(try bundle.article(id: stopId), try Env.builtin.article(id: stopId))
    }

    func testFromBytes() throws {
        let bundle = try ArticleBundle.fromBytes(bytes: Data(contentsOf: URL(fileURLWithPath: Env.builtinPath)))
        try bundle.verify()
        XCTAssertEqual(bundle.info(), Env.builtin.info())
        XCTAssertEqual(try bundle.list(), try Env.builtin.list())
    }

    func testSearchRankedHitsWithHighlights() throws {
        let r = try Env.builtin.search(query: "stop", options: SearchOptions())
        XCTAssertEqual(r.query, "stop")
        XCTAssertEqual(r.hits.first?.id, stopId)
        XCTAssertFalse(r.corrected)
        for h in r.hits {
            XCTAssertFalse(h.snippet.isEmpty)
            XCTAssertFalse(h.highlights.isEmpty)
            checkRanges(h.snippet, h.highlights)
        }
        let scores = r.hits.map(\.score)
        XCTAssertEqual(scores, scores.sorted(by: >))
    }

    // The benchmark-only call of feature bench-timing: the time it returns is spent
    // inside the call, on the same search.
    func testSearchTyposAndPrefixes() throws {
        let typo = try Env.builtin.search(query: "consnet", options: SearchOptions())
        XCTAssertGreaterThan(typo.total, 0)
        XCTAssertTrue(typo.corrected)
        XCTAssertEqual(typo.suggestion, "consent")
        let prefix = try Env.builtin.search(query: "differentiat", options: SearchOptions())
        XCTAssertEqual(prefix.hits.map(\.id), [processId])
    }

    func testSearchPaging() throws {
        let all = try Env.generated.search(query: "sex", options: SearchOptions(limit: 20))
        XCTAssertGreaterThan(all.total, 20)
        let p1 = try Env.generated.search(query: "sex", options: SearchOptions(limit: 10, offset: 0))
        let p2 = try Env.generated.search(query: "sex", options: SearchOptions(limit: 10, offset: 10))
        XCTAssertEqual(all.hits.map(\.id), (p1.hits + p2.hits).map(\.id))
        XCTAssertEqual(p2.total, all.total)
        XCTAssertEqual(try Env.generated.search(query: "sex", options: SearchOptions(limit: 1000)).hits.count, 100)
        XCTAssertTrue(try Env.generated.search(query: "sex", options: SearchOptions(offset: 5000)).hits.isEmpty)
        let countOnly = try Env.generated.search(query: "sex", options: SearchOptions(limit: 0))
        XCTAssertTrue(countOnly.hits.isEmpty)
        XCTAssertEqual(countOnly.total, all.total, "limit 0 gives the total alone")
    }

    func testSearchTagFilter() throws {
        let tagged = try Env.builtin.search(query: "consent", options: SearchOptions(tags: ["Differentiation"]))
        XCTAssertEqual(tagged.hits.map(\.id), [processId])
        let both = try Env.builtin.search(query: "consent", options: SearchOptions(tags: ["consent", "myths"]))
        XCTAssertEqual(both.hits.map(\.id), [stopId])
        XCTAssertEqual(try Env.builtin.search(query: "consent", options: SearchOptions(tags: ["no-such-tag"])).total, 0)
    }

    func testAnyTextIsAQuery() throws {
        // Swift strings are always valid Unicode, so the lone-surrogate case of the Kotlin
        // tests cannot be written here.
        let hostile = ["", " ", "- *", "a:(^", "\"unbalanced", "\"\"", "*", "AND OR NOT", "🙂🙂",
                       String(repeating: "x", count: 10_000), String(repeating: "consent ", count: 500),
                       "\u{0000}", "日本語の検索", "🙂"]
        for q in hostile { _ = try Env.generated.search(query: q, options: SearchOptions()) }
        XCTAssertEqual(try Env.builtin.search(query: "", options: SearchOptions()).total, 0)
    }

    func testHighlightsAfterEmoji() throws {
        let path = try buildBundle("emoji", [
            "zebra.md": """
            ---
            id: zebra
            title: "🙂 Zebracorn notes"
            tags: [test]
            summary: "A test article."
            ---

            🙂🙂 𝒳 The word zebracorn appears after emoji, then café 🙂 zebracorn again.

            """,
        ])
        let b = try ArticleBundle.open(path: path)
        let hits = try b.search(query: "zebracorn", options: SearchOptions()).hits
        XCTAssertEqual(hits.count, 1)
        let hit = hits[0]
        XCTAssertGreaterThanOrEqual(hit.highlights.count, 2)
        checkRanges(hit.snippet, hit.highlights)
        for r in hit.highlights { XCTAssertEqual(utf16Slice(hit.snippet, r).lowercased(), "zebracorn") }
        XCTAssertTrue(hit.highlights.contains { $0.utf16Start != $0.start })
        let titles = try b.suggestTitles(text: "zebrac", limit: 5)
        XCTAssertEqual(titles.count, 1)
        checkRanges(titles[0].title, titles[0].highlights)
        XCTAssertEqual(indexSlice(titles[0].title, titles[0].highlights[0]), "Zebracorn")
    }

    func testSuggestTitles() throws {
        let s = try Env.builtin.suggestTitles(text: "consent pro", limit: 5)
        XCTAssertEqual(s.first?.id, processId)
        for t in s { checkRanges(t.title, t.highlights) }
        XCTAssertEqual(try Env.generated.suggestTitles(text: "s", limit: 1).count, 1)
        XCTAssertTrue(try Env.builtin.suggestTitles(text: "", limit: 5).isEmpty)
    }

    func testRelated() throws {
        let r = try Env.builtin.related(id: processId, limit: 5)
        XCTAssertEqual(r.map(\.meta.id), [stopId])
        let g = try Env.generated.related(id: "gen-7-000004", limit: 10)
        XCTAssertEqual(g.count, 10)
        XCTAssertFalse(g.contains { $0.meta.id == "gen-7-000004" })
        XCTAssertEqual(g.map(\.score), g.map(\.score).sorted(by: >))
    }
}
