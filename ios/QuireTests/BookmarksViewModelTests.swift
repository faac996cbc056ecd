// The bookmarks screen's model against the real library: newest first, search by title
// and note, a note edited, removal undone with the same note and date, an unavailable
// article kept, discreet display.
import QuireCore
import XCTest
@testable import Quire

@MainActor
final class BookmarksViewModelTests: XCTestCase {
    func testListSearchEditRemoveAndUndo() async throws {
        let (app, _) = Fixture.app("bookmarks")
        let model = BookmarksViewModel(app: app)
        await model.load()
        XCTAssertTrue(model.loaded)
        XCTAssertTrue(model.items.isEmpty, "an empty list says so")

        _ = try await app.core.write { try $0.addBookmark(id: stopId, note: "for the talk on Sunday") }
        try await Task.sleep(nanoseconds: 5_000_000)
        _ = try await app.core.write { try $0.addBookmark(id: processId, note: nil) }
        await model.load()
        XCTAssertEqual(model.items.map(\.item.articleId), [processId, stopId], "newest first")

        model.text = "sunday"
        await model.settle()
        XCTAssertEqual(model.items.map(\.item.articleId), [stopId])
        model.text = "proc"
        await model.settle()
        XCTAssertEqual(model.items.map(\.item.articleId), [processId])
        model.text = "nothing-like-this"
        await model.settle()
        XCTAssertTrue(model.items.isEmpty)
        model.text = ""
        await model.settle()
        XCTAssertEqual(model.items.count, 2)

        let talk = try XCTUnwrap(model.items.first { $0.item.articleId == stopId })
        await model.editNote(talk, note: "changed")
        XCTAssertEqual(model.items.first { $0.item.articleId == stopId }?.note, "changed")

        await model.remove(talk)
        XCTAssertEqual(model.items.map(\.item.articleId), [processId])
        XCTAssertEqual(app.message?.text, "Bookmark removed")
        app.messageAction()
        await eventually("the bookmark is back") { model.items.count == 2 }
        let back = try XCTUnwrap(model.items.first { $0.item.articleId == stopId })
        XCTAssertEqual(back.note, "changed")
        XCTAssertEqual(back.createdAt, talk.createdAt)
    }

    func testAnUnavailableArticleIsKeptWithItsNote() async throws {
        let (app, _) = Fixture.app("bookmarks-gone")
        _ = try await app.core.write { try $0.addBookmark(id: processId, note: "kept") }
        let json = try await app.core.run { try $0.exportJson() }
        _ = try await app.core.write {
            try $0.importJson(json: json.replacingOccurrences(of: processId, with: "removed-by-an-update"))
        }
        let model = BookmarksViewModel(app: app)
        await model.load()
        let gone = try XCTUnwrap(model.items.first { $0.item.articleId == "removed-by-an-update" })
        XCTAssertFalse(gone.item.available)
        XCTAssertEqual(gone.note, "kept")
    }

    func testDiscreetDisplayShowsLabelsAndOnlyThatANoteExists() async throws {
        let (app, _) = Fixture.app("bookmarks-discreet")
        _ = try await app.core.write { try $0.addBookmark(id: stopId, note: "private words") }
        try await app.core.write { try $0.setSettings(settings: ReaderSettings(discreetDisplay: true)) }
        let model = BookmarksViewModel(app: app)
        await model.load()
        let item = try XCTUnwrap(model.items.first)
        XCTAssertTrue(item.item.discreet)
        XCTAssertFalse(item.item.title.contains("onsent"), item.item.title)
        XCTAssertNil(item.note)
        XCTAssertTrue(item.hasNote)
    }
}
