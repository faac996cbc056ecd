// Lifetimes (Swift frees objects with ARC: there is no close(), so no use-after-close) and
// panics: each arrives as a thrown error and the library keeps working.
import Foundation
import QuireCore
import XCTest

final class LifecycleTests: XCTestCase {
    func testBundleIsFreedWithItsLastReference() throws {
        weak var weakBundle: ArticleBundle?
        do {
            let b = try ArticleBundle.open(path: Env.builtinPath)
            weakBundle = b
            XCTAssertEqual(b.articleCount(), 2)
        }
        XCTAssertNil(weakBundle)
    }

    func testStoreIsClosedWithItsLastReference() throws {
        let dir = Env.newDir("released")
        weak var weakStore: UserStore?
        do {
            let s = try UserStore.open(dir: dir.path)
            weakStore = s
            _ = try s.addBookmark(articleId: stopId, note: "kept", folder: nil)
        }
        XCTAssertNil(weakStore)
        // Closing the database checkpointed and removed its WAL.
        let wal = dir.appendingPathComponent("quire-user.sqlite3-wal").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: wal))
        XCTAssertEqual(try UserStore.open(dir: dir.path).bookmark(articleId: stopId)?.note, "kept")
    }

    func testPanicInABundleCallIsInternal() throws {
        let b = try ArticleBundle.open(path: Env.builtinPath)
        for _ in 0..<3 {
            XCTAssertThrowsError(try b.panicForTests()) { error in
                guard case QuireError.Internal(let detail) = error else { return XCTFail("\(error)") }
                XCTAssertFalse(detail.contains("test panic"), "the panic message does not cross")
            }
        }
        XCTAssertEqual(try b.search(query: "stop", options: SearchOptions()).hits.first?.id, stopId)
    }

    func testPanicInsideTheCoreIsInternal() throws {
        let store = try UserStore.open(dir: Env.newDir("panic").path)
        _ = try store.addBookmark(articleId: stopId, note: "before", folder: nil)
        XCTAssertThrowsError(try store.panicForTests()) { error in
            guard case QuireError.Internal = error else { return XCTFail("\(error)") }
        }
        _ = try store.addBookmark(articleId: processId, note: "after", folder: nil)
        XCTAssertEqual(Set(try store.bookmarks().map(\.articleId)), [stopId, processId])
    }

    func testUnguardedPanicIsThrownByUniFFI() throws {
        // UniFFI's own error type for panics is fileprivate in the generated code: it is
        // thrown, and is not a QuireError.
        for _ in 0..<2 {
            XCTAssertThrowsError(try panicUnguardedForTests()) { error in
                XCTAssertFalse(error is QuireError, "\(error)")
            }
        }
        XCTAssertEqual(try Env.builtin.search(query: "consent", options: SearchOptions()).total, 2)
    }
}
