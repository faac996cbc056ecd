// Eight threads on one bundle and one store, as an app's background work would use them.
import Foundation
import QuireCore
import XCTest

final class ConcurrencyTests: XCTestCase {
    func testEightThreadsSearchingAndBookmarking() throws {
        let store = try UserStore.open(dir: Env.newDir("parallel").path)
        let queries = ["consent", "painful sex", "withdrawing consent", "stop", "communicat", "relatoinship", "\"safe word\""]
        var expected: [String: SearchResults] = [:]
        for q in queries { expected[q] = try Env.generated.search(query: q, options: SearchOptions()) }
        let rounds = 60
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            do {
                for i in 0..<rounds {
                    let q = queries[(t + i) % queries.count]
                    if try Env.generated.search(query: q, options: SearchOptions()) != expected[q] {
                        failures.add("thread \(t): different answer for \(q)")
                    }
                    _ = try store.addBookmark(articleId: "t\(t)-\(i)", note: "note \(t)/\(i)", folder: i % 2 == 0 ? "even" : nil)
                    _ = try store.setProgress(articleId: "t\(t)-\(i)", position: Double(i) / Double(rounds))
                    if i % 10 == 9 { _ = try store.removeBookmark(articleId: "t\(t)-\(i - 1)") }
                    if i % 15 == 0 { _ = try store.bookmarksFlagged(bundle: Env.generated) }
                }
            } catch {
                failures.add("thread \(t): \(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
        var want = Set<String>()
        for t in 0..<8 { for i in 0..<rounds where i % 10 != 8 { want.insert("t\(t)-\(i)") } }
        XCTAssertEqual(Set(try store.bookmarks().map(\.articleId)), want)
        XCTAssertEqual(try store.allProgress().count, 8 * rounds)
    }
}
