// The article screen's model against the real library, and the drawing of the core's
// text: every block drawn, the searched words marked where the core says, the first one
// scrolled to, the position saved and restored, a bookmark with a note (removal undone),
// an article that is gone; spans, emoji offsets, links and table cells.
import QuireCore
import SwiftUI
import XCTest
@testable import Quire

@MainActor
final class ArticleViewModelTests: XCTestCase {
    func testBlocksAreDrawnWithTheSearchedWordsMarkedAndTheFirstScrolledTo() async throws {
        let (app, _) = Fixture.app("article")
        let model = ArticleViewModel(app: app, id: stopId, highlight: "withdrawing consent")
        await model.load()
        let view = try XCTUnwrap(model.opened).view
        XCTAssertEqual(model.blocks.count, view.blocks.count)
        XCTAssertEqual(model.blocks.map(\.id), Array(0..<view.blocks.count))
        let first = try XCTUnwrap(view.firstMatch)
        XCTAssertEqual(model.scrollTarget, Int(first.block))
        // Each block's marks are the core's matches of that block, and only those.
        for (i, block) in view.blocks.enumerated() {
            let expected = view.matches.filter { Int($0.block) == i }.map { cut(block.text, $0.range).lowercased() }
            XCTAssertEqual(markedWords(model.blocks[i].text).joined(), expected.joined(), "block \(i)")
            // The drawn text is the core's, character for character.
            XCTAssertEqual(String(model.blocks[i].text.characters), block.text)
        }
        let marked = model.blocks.flatMap { markedWords($0.text) }
        XCTAssertTrue(marked.contains { $0.hasPrefix("withdraw") } && marked.contains { $0.hasPrefix("consent") }, "\(marked)")
        XCTAssertTrue(model.blocks.contains { if case .heading = $0.kind { return true } else { return false } })
        XCTAssertNil(model.bookmark)
        XCTAssertFalse(model.unavailable)
    }

    func testListItemsGetTheirMarkerInTheMarginNotInTheText() async throws {
        let (app, _) = Fixture.app("article-list")
        let model = ArticleViewModel(app: app, id: processId, highlight: nil)
        await model.load()
        let items = model.blocks.filter { if case .listItem = $0.kind { return true } else { return false } }
        XCTAssertFalse(items.isEmpty)
        for item in items {
            if case .listItem(let ordinal, _, let continued) = item.kind {
                if continued {
                    XCTAssertNil(item.marker)
                } else if let ordinal {
                    XCTAssertEqual(item.marker, "\(ordinal).")
                } else {
                    XCTAssertTrue(item.marker == "•" || item.marker == "◦")
                }
            }
        }
        XCTAssertNil(model.scrollTarget, "nothing searched, never read: from the top")
    }

    func testThePositionSavedOnLeavingIsRestored() async throws {
        let (app, _) = Fixture.app("article-position")
        let reading = ArticleViewModel(app: app, id: stopId, highlight: nil)
        await reading.load()
        let count = reading.blocks.count
        let top = count / 2
        // Block `top` half scrolled past the top of the screen; the ones above it gone.
        for i in 0..<count {
            let y = CGFloat(i - top) * 100 - 50
            reading.tracker.frames[i] = CGRect(x: 0, y: y, width: 320, height: 100)
        }
        let position = try XCTUnwrap(reading.tracker.position(in: reading.blocks))
        XCTAssertEqual(Int(position.block), top)
        XCTAssertEqual(Int(position.offset), reading.blocks[top].scalars / 2)
        await reading.savePosition()

        let again = ArticleViewModel(app: app, id: stopId, highlight: nil)
        await again.load()
        let resume = try XCTUnwrap(again.opened?.resume)
        XCTAssertEqual(resume.restored, .exact)
        XCTAssertEqual(Int(resume.position.block), top)
        XCTAssertEqual(again.scrollTarget, top)
    }

    func testNothingIsSavedAfterQuickExit() async throws {
        let (app, _) = Fixture.app("article-exit")
        let reading = ArticleViewModel(app: app, id: stopId, highlight: nil)
        await reading.load()
        reading.tracker.frames[3] = CGRect(x: 0, y: -10, width: 320, height: 100)
        await app.quickExit().value
        await reading.savePosition()
        app.leaveNeutralScreen()
        let again = ArticleViewModel(app: app, id: stopId, highlight: nil)
        await again.load()
        XCTAssertNil(again.opened?.resume)
    }

    func testBookmarkWithANoteThenRemoveAndUndo() async throws {
        let (app, _) = Fixture.app("article-bookmark")
        let model = ArticleViewModel(app: app, id: stopId, highlight: nil)
        await model.load()
        await model.saveBookmark(note: "  for the talk on Sunday  ")
        XCTAssertEqual(model.bookmark?.note, "for the talk on Sunday")
        XCTAssertEqual(app.message?.text, "Bookmarked")
        let saved = try await app.core.run { try $0.bookmarks() }
        XCTAssertEqual(saved.map(\.item.articleId), [stopId])
        XCTAssertEqual(saved.first?.note, "for the talk on Sunday")

        await model.removeBookmark()
        XCTAssertNil(model.bookmark)
        XCTAssertEqual(app.message?.actionTitle, "Undo")
        app.messageAction()
        await eventually("the bookmark is back") { model.bookmark != nil }
        let back = try await app.core.run { try $0.bookmarks() }
        XCTAssertEqual(back.first?.createdAt, saved.first?.createdAt)
        XCTAssertEqual(back.first?.note, "for the talk on Sunday")

        // Reopened, the article knows its bookmark.
        let reopened = ArticleViewModel(app: app, id: stopId, highlight: nil)
        await reopened.load()
        XCTAssertEqual(reopened.bookmark?.note, "for the talk on Sunday")
    }

    func testAnArticleThatIsGoneSaysSo() async throws {
        let (app, _) = Fixture.app("article-gone")
        let model = ArticleViewModel(app: app, id: "removed-by-an-update", highlight: nil)
        await model.load()
        XCTAssertTrue(model.unavailable)
        XCTAssertNil(model.opened)
        XCTAssertNil(app.message, "not an error: the screen says it")
    }

    // MARK: - drawing the core's text

    func testSpansAndMarksLandOnTheirWordsAfterAnEmoji() throws {
        // "🙂" is two UTF-16 units: the offsets the core gives count them.
        let text = "🙂 a bold word and code"
        func range(_ word: String) -> TextRange {
            let ns = (text as NSString).range(of: word)
            let start = (text as NSString).substring(to: ns.location).unicodeScalars.count
            return TextRange(
                start: UInt32(start), end: UInt32(start + word.unicodeScalars.count),
                utf16Start: UInt32(ns.location), utf16End: UInt32(ns.location + ns.length)
            )
        }
        let block = ArticleBlock(kind: .paragraph, text: text, spans: [
            TextSpan(range: range("bold"), style: .strong),
            TextSpan(range: range("code"), style: .code),
            TextSpan(range: range("a bold word"), style: .emphasis),
        ])
        let drawn = Marks.block(block, marks: [range("word")])
        XCTAssertEqual(String(drawn.characters), text)
        XCTAssertEqual(markedWords(drawn), ["word"])
        func intent(_ word: String) -> InlinePresentationIntent? {
            let r = try! XCTUnwrap(Marks.attributedRange(range(word), in: drawn))
            return drawn[r].runs.first?.inlinePresentationIntent
        }
        XCTAssertEqual(intent("bold"), [.emphasized, .stronglyEmphasized], "nested spans keep both")
        XCTAssertEqual(intent("code"), .code)
        XCTAssertEqual(intent("word"), [.emphasized, .stronglyEmphasized], "a mark is bold too")
    }

    func testLinksToArticlesStayInTheAppAndOthersAreAddresses() throws {
        let inApp = try XCTUnwrap(ArticleLink.url(for: .article(id: "consent-is-a-process")))
        XCTAssertEqual(ArticleLink.articleId(inApp), "consent-is-a-process")
        let outside = try XCTUnwrap(ArticleLink.url(for: .external(url: "https://example.org/page")))
        XCTAssertNil(ArticleLink.articleId(outside))
        XCTAssertEqual(outside.host, "example.org")
        let block = ArticleBlock(kind: .paragraph, text: "see this", spans: [
            TextSpan(range: TextRange(start: 4, end: 8, utf16Start: 4, utf16End: 8), style: .link(target: .article(id: "x"))),
        ])
        let drawn = Marks.block(block, marks: [])
        XCTAssertEqual(drawn.runs.compactMap { $0.link }, [ArticleLink.url(for: .article(id: "x"))!])
    }

    func testTableRowsSplitIntoCellsKeepingTheirSpans() {
        let block = ArticleBlock(kind: .tableRow(header: false, cells: 3), text: "one\ttwo\tthree", spans: [
            TextSpan(range: TextRange(start: 4, end: 7, utf16Start: 4, utf16End: 7), style: .strong),
        ])
        let cells = Marks.cells(Marks.block(block, marks: []))
        XCTAssertEqual(cells.map { String($0.characters) }, ["one", "two", "three"])
        XCTAssertEqual(cells[1].runs.first?.inlinePresentationIntent, .stronglyEmphasized)
        XCTAssertNil(cells[0].runs.first?.inlinePresentationIntent)
    }
}
