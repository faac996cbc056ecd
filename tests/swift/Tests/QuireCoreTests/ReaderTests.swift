// Reader: the one object an app opens (the Swift side of tests/kotlin/src/ReaderTests.kt).
// Search as you type, articles as native blocks with the searched words marked, positions
// that survive a reopen, bookmarks with notes (search, undo, unavailable articles),
// discreet display, the app lock (back-off across a reopen, erase after N, the PIN in no
// file), quick exit, and bad input.
import Foundation
import QuireCore
import XCTest

/// A reader on the built-in bundle and a fresh data directory.
func freshReader(_ name: String) throws -> (Reader, URL) {
    let dir = Env.newDir(name)
    return (try Reader.open(bundlePath: Env.builtinPath, dataDir: dir.path), dir)
}

/// Every byte of every regular file under `dir`, one after the other.
func allBytes(_ dir: URL) -> Data {
    var all = Data()
    let walk = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = walk?.nextObject() as? URL {
        let regular = (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile ?? false
        if regular, let bytes = try? Data(contentsOf: url) { all.append(bytes) }
    }
    return all
}

/// Whether `text`'s UTF-8 bytes are somewhere in `data`.
func holds(_ data: Data, _ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }

func isHeading(_ k: BlockKind) -> Bool { if case .heading = k { return true } else { return false } }
func isParagraph(_ k: BlockKind) -> Bool { if case .paragraph = k { return true } else { return false } }
func isListItem(_ k: BlockKind) -> Bool { if case .listItem = k { return true } else { return false } }

/// Fails unless `error` is the QuireError `matches` accepts.
func expectQuireError(_ error: Error, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                      _ matches: (QuireError) -> Bool) {
    guard let e = error as? QuireError, matches(e) else {
        return XCTFail("expected \(what), got \(error)", file: file, line: line)
    }
}

final class ReaderTests: XCTestCase {
    func testSearchRightArticleFirstWordsMarkedNothingRecordedWhileTyping() throws {
        let (reader, _) = try freshReader("reader-search")
        try reader.setSettings(settings: ReaderSettings(recentSearchesEnabled: true))
        let page = try reader.search(request: SearchRequest(text: "withdrawing consent", suggestions: 3))
        let hit = try XCTUnwrap(page.hits.first)
        XCTAssertEqual(hit.articleId, stopId)
        XCTAssertFalse(hit.highlights.isEmpty)
        checkRanges(hit.snippet, hit.highlights)
        let marked = hit.highlights.map { utf16Slice(hit.snippet, $0).lowercased() }
        XCTAssertTrue(marked.contains { $0.hasPrefix("withdraw") } && marked.contains { $0.hasPrefix("consent") }, "\(marked)")
        XCTAssertFalse(hit.discreet)
        XCTAssertTrue(try reader.recentSearches().isEmpty, "a search as you type is not recorded")

        let titles = try reader.search(request: SearchRequest(text: "consent is a pro", limit: 0, suggestions: 3)).titles
        XCTAssertEqual(titles.first?.articleId, processId)
        XCTAssertFalse(titles.first?.highlights.isEmpty ?? true)
        checkRanges(titles[0].title, titles[0].highlights)

        _ = try reader.search(request: SearchRequest(text: "withdrawing consent", submitted: true))
        XCTAssertEqual(try reader.recentSearches().map(\.query), ["withdrawing consent"])
        XCTAssertEqual(reader.lastQuery(), "withdrawing consent")
    }

    func testDirectSearchKeysAreOnePerReaderAndTheTimedSearchSearches() throws {
        // Swift searches through the generated calls; the key is Kotlin's one-call
        // search's, but it is the library's and the same on every platform.
        let (first, _) = try freshReader("reader-key-1")
        let (second, _) = try freshReader("reader-key-2")
        XCTAssertEqual(first.directSearchKey(), first.directSearchKey())
        XCTAssertNotEqual(first.directSearchKey(), second.directSearchKey())
        let start = DispatchTime.now().uptimeNanoseconds
        let inside = try first.timedSearchForTests(request: SearchRequest(text: "withdrawing consent"))
        let wall = DispatchTime.now().uptimeNanoseconds - start
        XCTAssertGreaterThan(inside, 0)
        XCTAssertLessThan(inside, wall)
    }

    func testArticleBlocksSpansEveryMatchFirstMatch() throws {
        let (reader, _) = try freshReader("reader-article")
        let opened = try reader.openArticle(id: stopId, highlight: "withdrawing consent")
        let view = opened.view
        XCTAssertEqual(view.id, stopId)
        XCTAssertGreaterThanOrEqual(view.readingMinutes, 1)
        XCTAssertTrue(view.blocks.contains { isHeading($0.kind) })
        XCTAssertGreaterThan(view.blocks.filter { isParagraph($0.kind) }.count, 5)
        // No Markdown markup is left in the text.
        XCTAssertFalse(view.blocks.contains { $0.text.contains("**") || $0.text.hasPrefix("## ") })
        XCTAssertGreaterThanOrEqual(view.matches.count, 3, "\(view.matches.count) matches")
        for m in view.matches {
            let text = view.blocks[Int(m.block)].text
            checkRanges(text, [m.range])
            let w = utf16Slice(text, m.range).lowercased()
            XCTAssertTrue(w.hasPrefix("withdraw") || w.hasPrefix("consent"), w)
        }
        XCTAssertEqual(view.firstMatch, view.matches.first)
        for b in view.blocks {
            for sp in b.spans {
                XCTAssertLessThanOrEqual(Int(sp.range.utf16End), b.text.utf16.count)
                if case .link(let target) = sp.style {
                    switch target {
                    case .article(let id): XCTAssertFalse(id.isEmpty)
                    case .external(let url): XCTAssertFalse(url.isEmpty)
                    }
                }
            }
        }
        XCTAssertNil(opened.resume)
        XCTAssertNil(opened.bookmark)
        XCTAssertEqual(reader.openArticleId(), stopId)

        let plain = try reader.openArticle(id: processId, highlight: nil).view
        XCTAssertTrue(plain.matches.isEmpty)
        XCTAssertNil(plain.firstMatch)
        XCTAssertTrue(plain.blocks.contains { isListItem($0.kind) })
        reader.closeArticle()
        XCTAssertNil(reader.openArticleId())
        // The link type is there for the shells even when this corpus has no links.
        if case .article(let id) = LinkTarget.article(id: "x") { XCTAssertEqual(id, "x") } else { XCTFail() }
    }

    func testPositionSavedClampedRestoredExactlyAfterAReopen() throws {
        let dir = Env.newDir("reader-position")
        let kept: ReadingPosition
        do {
            let reader = try Reader.open(bundlePath: Env.builtinPath, dataDir: dir.path)
            let view = try reader.openArticle(id: stopId, highlight: nil).view
            let block = UInt32(view.blocks.count / 2)
            kept = try reader.savePosition(id: stopId, position: ReadingPosition(block: block, offset: 3, fraction: 0))
            XCTAssertEqual(kept.block, block)
            XCTAssertTrue(kept.fraction > 0.2 && kept.fraction < 0.8, "\(kept.fraction)")
            let clamped = try reader.savePosition(id: processId, position: ReadingPosition(block: 9999, offset: 9999))
            XCTAssertEqual(clamped.fraction, 1.0)
        }
        let again = try Reader.open(bundlePath: Env.builtinPath, dataDir: dir.path)
        let resume = try XCTUnwrap(try again.openArticle(id: stopId, highlight: nil).resume)
        XCTAssertEqual(resume.restored, .exact)
        XCTAssertEqual(resume.position.block, kept.block)
        XCTAssertEqual(resume.position.offset, 3)
        assertRecent(resume.lastRead)
    }

    func testBookmarksNoteSearchEditRemoveUndoUnavailableKept() throws {
        let (reader, _) = try freshReader("reader-bookmarks")
        let added = try reader.addBookmark(id: stopId, note: "read again before Friday")
        XCTAssertEqual(added.item.articleId, stopId)
        XCTAssertTrue(added.item.title.hasPrefix("Consent During Sex"), added.item.title)
        _ = try reader.addBookmark(id: processId, note: nil)
        XCTAssertEqual(try reader.searchBookmarks(text: "friday").map(\.item.articleId), [stopId])
        XCTAssertEqual(try reader.searchBookmarks(text: "proc").map(\.item.articleId), [processId])
        XCTAssertEqual(try reader.searchBookmarks(text: "").count, 2)
        XCTAssertTrue(try reader.searchBookmarks(text: "nothing-like-this").isEmpty)

        let edited = try XCTUnwrap(try reader.setBookmarkNote(id: stopId, note: "changed"))
        XCTAssertEqual(edited.note, "changed")
        XCTAssertEqual(edited.createdAt, added.createdAt)
        XCTAssertNil(try reader.setBookmarkNote(id: "not-bookmarked", note: "x"))

        let removed = try XCTUnwrap(try reader.removeBookmark(id: stopId))
        XCTAssertEqual(try reader.bookmarks().map(\.item.articleId), [processId])
        let back = try reader.restoreBookmark(bookmark: removed)
        XCTAssertEqual(back.createdAt, added.createdAt)
        XCTAssertEqual(back.note, "changed")
        XCTAssertEqual(Set(try reader.bookmarks().map(\.item.articleId)), [stopId, processId])
        XCTAssertThrowsError(try reader.addBookmark(id: "no-such-article", note: nil)) { error in
            expectQuireError(error, "ArticleNotFound") { if case .ArticleNotFound = $0 { return true }; return false }
        }

        // An article an update removed: kept, flagged, labelled.
        let json = try reader.exportJson().replacingOccurrences(of: processId, with: "removed-by-an-update")
        _ = try reader.importJson(json: json)
        let gone = try XCTUnwrap(try reader.bookmarks().first { $0.item.articleId == "removed-by-an-update" })
        XCTAssertFalse(gone.item.available)
        XCTAssertEqual(gone.item.title, reader.discreetLabel(id: "removed-by-an-update"))
    }

    func testDiscreetDisplayLabelsNoSnippetsNoNotesRealTitleOnceOpened() throws {
        let (reader, _) = try freshReader("reader-discreet")
        _ = try reader.addBookmark(id: stopId, note: "private words")
        try reader.setSettings(settings: ReaderSettings(historyEnabled: true, recentSearchesEnabled: true, discreetDisplay: true))
        XCTAssertTrue(try reader.settings().discreetDisplay)
        let page = try reader.search(request: SearchRequest(text: "withdrawing consent", suggestions: 2, submitted: true))
        for h in page.hits + page.titles {
            XCTAssertTrue(h.discreet)
            XCTAssertEqual(h.title, reader.discreetLabel(id: h.articleId))
            XCTAssertEqual(h.snippet, "")
            XCTAssertTrue(h.highlights.isEmpty)
            XCTAssertFalse(h.title.contains("onsent"), h.title)
        }
        let b = try XCTUnwrap(try reader.bookmarks().first)
        XCTAssertNil(b.note)
        XCTAssertTrue(b.hasNote)
        XCTAssertEqual(b.item.title, reader.discreetLabel(id: stopId))
        let opened = try reader.openArticle(id: stopId, highlight: nil)
        XCTAssertTrue(opened.view.title.hasPrefix("Consent During Sex"), "the real title once opened")
        XCTAssertTrue(opened.related.allSatisfy(\.discreet))
        XCTAssertEqual(try reader.history().map(\.item.title), [reader.discreetLabel(id: stopId)])
        XCTAssertTrue(try reader.recentSearches().allSatisfy { $0.label != $0.query })
    }

    func testLockRefusesCallsBacksOffAcrossAReopenKeepsThePinInNoFile() throws {
        let pin = "plum-orchard-7731"
        let dir = Env.newDir("reader-lock")
        do {
            let reader = try Reader.open(bundlePath: Env.builtinPath, dataDir: dir.path)
            XCTAssertFalse(try reader.lockStatus().pinSet)
            XCTAssertEqual(try reader.unlock(pin: "anything"), .noPin)
            try reader.setPin(current: nil, newPin: pin)
            _ = try reader.addBookmark(id: stopId, note: "note")
            XCTAssertTrue(try reader.lockStatus().pinSet)
            XCTAssertFalse(try reader.lockStatus().locked)
            XCTAssertThrowsError(try reader.setPin(current: pin, newPin: "12")) { error in
                expectQuireError(error, "InvalidArgument") { if case .InvalidArgument = $0 { return true }; return false }
            }
            XCTAssertThrowsError(try reader.setPin(current: "wrong-pin", newPin: "4321")) { error in
                expectQuireError(error, "WrongPin") { if case .WrongPin = $0 { return true }; return false }
            }
            try reader.lockNow()
            XCTAssertTrue(try reader.lockStatus().locked)
            let locked: (QuireError) -> Bool = { if case .Locked = $0 { return true }; return false }
            XCTAssertThrowsError(try reader.search(request: SearchRequest(text: "consent"))) { expectQuireError($0, "Locked", locked) }
            XCTAssertThrowsError(try reader.bookmarks()) { expectQuireError($0, "Locked", locked) }
            XCTAssertThrowsError(try reader.exportJson()) { expectQuireError($0, "Locked", locked) }
            XCTAssertNil(reader.lastQuery())
            // One wrong attempt was made above (setPin); two more are free, then waits.
            guard case .wrong = try reader.unlock(pin: "0000") else { return XCTFail("not wrong") }
            let third = try reader.unlock(pin: "0001")
            guard case .wrong(let retryAfterMs, _) = third, retryAfterMs > 0 else { return XCTFail("\(third)") }
            let soon = try reader.unlock(pin: pin)
            guard case .tooSoon = soon else { return XCTFail("\(soon)") }
            XCTAssertGreaterThan(try reader.lockStatus().retryAfterMs, 0)
        }
        do {
            let reader = try Reader.open(bundlePath: Env.builtinPath, dataDir: dir.path)
            XCTAssertTrue(try reader.lockStatus().locked, "a cold start with a PIN is locked")
            let again = try reader.unlock(pin: pin)
            guard case .tooSoon(let wait) = again else { return XCTFail("the back-off survives a restart: \(again)") }
            Thread.sleep(forTimeInterval: Double(wait + 50) / 1000)
            XCTAssertEqual(try reader.unlock(pin: pin), .unlocked)
            XCTAssertEqual(try reader.lockStatus().failedAttempts, 0)
            XCTAssertEqual(try reader.bookmarks().count, 1)
            try reader.setLockOptions(current: pin, options: LockOptions(relockAfterSecs: 0, deviceAuth: true))
            reader.appBackgrounded()
            XCTAssertTrue(try reader.appForegrounded(), "relock at once")
            XCTAssertTrue(try reader.unlockWithDeviceAuth())
            XCTAssertFalse(try reader.lockStatus().locked)
            try reader.setPin(current: pin, newPin: "new-pin-2468")
            try reader.removePin(current: "new-pin-2468")
            XCTAssertFalse(try reader.lockStatus().pinSet)
            try reader.setPin(current: nil, newPin: pin)
        }
        let bytes = allBytes(dir)
        XCTAssertFalse(holds(bytes, pin), "the PIN is in a file of \(dir.path)")
        XCTAssertFalse(holds(bytes, "new-pin-2468"))
    }

    func testEraseAfterNWrongAttemptsWipesEverything() throws {
        let (reader, dir) = try freshReader("reader-erase")
        try reader.setPin(current: nil, newPin: "2580")
        try reader.setLockOptions(current: "2580", options: LockOptions(eraseAfter: 3))
        _ = try reader.addBookmark(id: stopId, note: "secret note text")
        try reader.lockNow()
        XCTAssertEqual(try reader.unlock(pin: "1111"), .wrong(retryAfterMs: 0, attemptsBeforeErase: 2))
        XCTAssertEqual(try reader.unlock(pin: "2222"), .wrong(retryAfterMs: 0, attemptsBeforeErase: 1))
        XCTAssertEqual(try reader.unlock(pin: "3333"), .erased)
        XCTAssertFalse(try reader.lockStatus().pinSet)
        XCTAssertTrue(try reader.bookmarks().isEmpty)
        XCTAssertFalse(holds(allBytes(dir), "secret note text"))
    }

    func testQuickExitForgetsTheSessionClearsRecentSearchesLocksWithAPin() throws {
        let (reader, _) = try freshReader("reader-quick-exit")
        try reader.setSettings(settings: ReaderSettings(recentSearchesEnabled: true, clearRecentSearchesOnQuickExit: true))
        _ = try reader.search(request: SearchRequest(text: "painful sex", submitted: true))
        _ = try reader.openArticle(id: processId, highlight: "painful sex")
        XCTAssertEqual(reader.lastQuery(), "painful sex")
        XCTAssertEqual(reader.openArticleId(), processId)
        try reader.quickExit()
        XCTAssertNil(reader.lastQuery())
        XCTAssertNil(reader.openArticleId())
        XCTAssertTrue(try reader.recentSearches().isEmpty)
        try reader.setPin(current: nil, newPin: "9753")
        try reader.quickExit()
        XCTAssertTrue(try reader.lockStatus().locked)
        XCTAssertTrue(try reader.appForegrounded())
        XCTAssertEqual(try reader.unlock(pin: "9753"), .unlocked)
    }

    func testEraseAllOddInputUnknownIdsDescriptorEightThreads() throws {
        let (reader, dir) = try freshReader("reader-odd")
        for q in ["", "\"", "- *", "a:(^", "💬💬", String(repeating: "x", count: 10_000), "withdr"] {
            _ = try reader.search(request: SearchRequest(text: q, suggestions: 5))
        }
        let notFound: (QuireError) -> Bool = { if case .ArticleNotFound = $0 { return true }; return false }
        XCTAssertThrowsError(try reader.openArticle(id: "no-such-article", highlight: nil)) { expectQuireError($0, "ArticleNotFound", notFound) }
        XCTAssertThrowsError(try reader.savePosition(id: "no-such-article", position: ReadingPosition(block: 0))) {
            expectQuireError($0, "ArticleNotFound", notFound)
        }
        XCTAssertNil(try reader.removeBookmark(id: "no-such-article"))
        _ = try reader.addBookmark(id: stopId, note: nil)
        try reader.eraseAll()
        XCTAssertTrue(try reader.bookmarks().isEmpty)
        XCTAssertTrue(try reader.history().isEmpty)
        try reader.clearHistory()
        try reader.clearRecentSearches()
        XCTAssertNil(reader.recovery())

        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            do {
                for i in 0..<50 {
                    _ = try reader.search(request: SearchRequest(text: i % 2 == 0 ? "consent" : "stop means stop"))
                    _ = try reader.addBookmark(id: t % 2 == 0 ? stopId : processId, note: "t\(t)")
                    _ = try reader.openArticle(id: stopId, highlight: "consent")
                    _ = try reader.bookmarks()
                }
            } catch {
                failures.add("thread \(t): \(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(try reader.bookmarks().count, 2)

        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: Env.builtinPath)[.size] as? NSNumber)
        let fd = open(Env.builtinPath, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) } // the library keeps its own duplicate
        let byFd = try Reader.openFd(fd: fd, offset: 0, length: size.uint64Value, dataDir: dir.path)
        XCTAssertEqual(try byFd.search(request: SearchRequest(text: "withdrawing consent")).hits.first?.articleId, stopId)
    }
}
