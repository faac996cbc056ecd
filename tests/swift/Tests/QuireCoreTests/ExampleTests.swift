// The README's Swift example, compiled and run as a test so it stays true.
import Foundation
import QuireCore
import XCTest

// ---- README example (start) ----
// Blocking calls: run them off the main thread (a detached Task, or an actor of your own).
func readmeExample(bundlePath: String, dataDir: URL) throws -> [String] {
    let bundle = try ArticleBundle.open(path: bundlePath)
    let store = try UserStore.open(dir: dataDir.path)
    let results = try bundle.search(query: "withdrawing consent", options: SearchOptions(limit: 10))
    var lines: [String] = []
    for hit in results.hits {
        // Highlights in UTF-16 units: NSRanges for NSAttributedString (or String.Index).
        let bold = hit.highlights.map {
            NSRange(location: Int($0.utf16Start), length: Int($0.utf16End - $0.utf16Start))
        }
        lines.append("\(hit.title): \(bold.map { (hit.snippet as NSString).substring(with: $0) })")
    }
    if let first = results.hits.first {
        _ = try store.addBookmark(articleId: first.id, note: "read later", folder: nil)
    }
    do {
        _ = try bundle.article(id: "no-such-id")
    } catch QuireError.ArticleNotFound {
        // Show "this article is no longer available".
    }
    return lines
}
// ---- README example (end) ----

final class ExampleTests: XCTestCase {
    func testReadmeExampleRuns() throws {
        let dir = Env.newDir("readme")
        XCTAssertFalse(try readmeExample(bundlePath: Env.builtinPath, dataDir: dir).isEmpty)
        XCTAssertEqual(try UserStore.open(dir: dir.path).bookmarks().first?.note, "read later")
    }
}
