// UserStore: bookmarks, progress, opt-in history and recent searches, settings,
// export/import, wipe, and the report of a repaired database.
import Foundation
import QuireCore
import XCTest

func assertRecent(_ d: Date, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertLessThan(abs(d.timeIntervalSinceNow), 300, "\(d) is not now", file: file, line: line)
}

final class StoreTests: XCTestCase {
    func testFreshStore() throws {
        let dir = Env.newDir("fresh")
        let store = try UserStore.open(dir: dir.path)
        XCTAssertNil(store.recovery())
        XCTAssertTrue(try store.bookmarks().isEmpty)
        XCTAssertTrue(try store.allProgress().isEmpty)
        XCTAssertEqual(try store.privacySettings(), PrivacySettings())
        XCTAssertTrue(try store.customSettings().isEmpty)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dbFile(dir).path))
    }

    func testBookmarks() throws {
        let store = try UserStore.open(dir: Env.newDir("bookmarks").path)
        let b = try store.addBookmark(articleId: stopId, note: "read again", folder: "later")
        XCTAssertEqual(b.note, "read again")
        XCTAssertEqual(b.folder, "later")
        assertRecent(b.createdAt)
        XCTAssertEqual(try store.bookmark(articleId: stopId), b)
        Thread.sleep(forTimeInterval: 0.002)
        _ = try store.addBookmark(articleId: processId, note: nil, folder: nil)
        XCTAssertEqual(try store.bookmarks().map(\.articleId), [processId, stopId])
        let again = try store.addBookmark(articleId: stopId, note: "", folder: nil)
        XCTAssertEqual(again.createdAt, b.createdAt)
        XCTAssertNil(again.note)
        XCTAssertTrue(try store.removeBookmark(articleId: stopId))
        XCTAssertFalse(try store.removeBookmark(articleId: stopId))
        XCTAssertNil(try store.bookmark(articleId: stopId))
    }

    func testBookmarksFlagged() throws {
        let store = try UserStore.open(dir: Env.newDir("flagged").path)
        _ = try store.addBookmark(articleId: stopId, note: nil, folder: nil)
        _ = try store.addBookmark(articleId: "removed-by-an-update", note: "still mine", folder: nil)
        let flagged = try store.bookmarksFlagged(bundle: Env.builtin)
        let missing = Dictionary(uniqueKeysWithValues: flagged.map { ($0.bookmark.articleId, $0.missing) })
        XCTAssertEqual(missing, [stopId: false, "removed-by-an-update": true])
    }

    func testProgress() throws {
        let store = try UserStore.open(dir: Env.newDir("progress").path)
        let p = try store.setProgress(articleId: stopId, position: 0.25)
        XCTAssertEqual(p.position, 0.25)
        assertRecent(p.lastOpened)
        Thread.sleep(forTimeInterval: 0.002)
        _ = try store.setProgress(articleId: processId, position: 1.0)
        XCTAssertEqual(try store.progress(articleId: stopId), p)
        XCTAssertEqual(try store.allProgress().map(\.articleId), [processId, stopId])
        XCTAssertTrue(try store.removeProgress(articleId: processId))
        XCTAssertFalse(try store.removeProgress(articleId: processId))
        XCTAssertNil(try store.progress(articleId: processId))
    }

    func testHistoryIsOptIn() throws {
        let store = try UserStore.open(dir: Env.newDir("history").path)
        XCTAssertFalse(try store.recordArticleOpened(articleId: stopId))
        try store.setPrivacySettings(settings: PrivacySettings(historyEnabled: true, historyRetentionDays: 30))
        XCTAssertEqual(try store.privacySettings().historyRetentionDays, 30)
        XCTAssertTrue(try store.recordArticleOpened(articleId: stopId))
        XCTAssertEqual(try store.history().map(\.articleId), [stopId])
        assertRecent(try store.history()[0].openedAt)
        try store.clearHistory()
        XCTAssertTrue(try store.history().isEmpty)
        _ = try store.recordArticleOpened(articleId: stopId)
        try store.setPrivacySettings(settings: PrivacySettings())
        XCTAssertTrue(try store.history().isEmpty, "turning history off deletes it")
    }

    func testRecentSearchesAreOptIn() throws {
        let store = try UserStore.open(dir: Env.newDir("searches").path)
        XCTAssertFalse(try store.recordSearch(query: "painful sex"))
        try store.setPrivacySettings(settings: PrivacySettings(recentSearchesEnabled: true))
        XCTAssertTrue(try store.recordSearch(query: "  painful sex "))
        Thread.sleep(forTimeInterval: 0.002)
        XCTAssertTrue(try store.recordSearch(query: "changed my mind"))
        XCTAssertFalse(try store.recordSearch(query: "   "))
        let recent = try store.recentSearches()
        XCTAssertEqual(recent.map(\.query), ["changed my mind", "painful sex"])
        assertRecent(recent[0].searchedAt)
        try store.clearRecentSearches()
        XCTAssertTrue(try store.recentSearches().isEmpty)
    }

    func testCustomSettings() throws {
        let store = try UserStore.open(dir: Env.newDir("settings").path)
        XCTAssertNil(try store.setting(key: "theme"))
        try store.setSetting(key: "theme", value: "dark")
        try store.setSetting(key: "cover-titles", value: "on")
        XCTAssertEqual(try store.setting(key: "theme"), "dark")
        XCTAssertEqual(try store.customSettings(), ["theme": "dark", "cover-titles": "on"])
        XCTAssertTrue(try store.removeSetting(key: "theme"))
        XCTAssertFalse(try store.removeSetting(key: "theme"))
    }

    func testExportImportRoundTrip() throws {
        let a = try UserStore.open(dir: Env.newDir("export-a").path)
        _ = try a.addBookmark(articleId: stopId, note: "note with ünïcödé and \"quotes\"", folder: "f")
        _ = try a.setProgress(articleId: processId, position: 0.5)
        try a.setSetting(key: "theme", value: "dark")
        try a.setPrivacySettings(settings: PrivacySettings(recentSearchesEnabled: true))
        _ = try a.recordSearch(query: "consent")
        let json = try a.exportJson()
        let b = try UserStore.open(dir: Env.newDir("export-b").path)
        XCTAssertEqual(try b.importJson(json: json),
                       ImportSummary(bookmarks: 1, progress: 1, history: 0, recentSearches: 1, settings: 2))
        XCTAssertEqual(try b.bookmark(articleId: stopId)?.note, "note with ünïcödé and \"quotes\"")
        XCTAssertEqual(try b.progress(articleId: processId)?.position, 0.5)
        XCTAssertEqual(try b.importJson(json: json),
                       ImportSummary(bookmarks: 0, progress: 0, history: 0, recentSearches: 0, settings: 0))
    }

    func testWipe() throws {
        let dir = Env.newDir("wipe")
        do {
            let store = try UserStore.open(dir: dir.path)
            _ = try store.addBookmark(articleId: stopId, note: "secret note", folder: nil)
            try store.wipe()
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
        }
        XCTAssertTrue(try UserStore.open(dir: dir.path).bookmarks().isEmpty)
    }

    func testWipeUserStoreDir() throws {
        let dir = Env.newDir("wipe-dir")
        do { _ = try UserStore.open(dir: dir.path).addBookmark(articleId: stopId, note: "secret", folder: nil) }
        try wipeUserStoreDir(dir: dir.path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testDamagedDatabaseIsRepairedAndReported() throws {
        let dir = Env.newDir("damaged")
        do { _ = try UserStore.open(dir: dir.path).addBookmark(articleId: stopId, note: nil, folder: nil) }
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: dbFile(dir))
        let store = try UserStore.open(dir: dir.path)
        let report = try XCTUnwrap(store.recovery())
        XCTAssertFalse(report.cause.isEmpty)
        XCTAssertTrue(report.lostAnything)
        XCTAssertEqual(report.bookmarks.kept, 0)
        _ = try store.addBookmark(articleId: processId, note: nil, folder: nil)
        XCTAssertEqual(try store.bookmarks().count, 1)
    }
}
