// The search screen's model against the real library: the right article first with its
// words marked, answers to older text dropped, "did you mean", the idle lists only when
// the reader keeps them, and the session's last search (not after quick exit).
import QuireCore
import XCTest
@testable import Quire

@MainActor
final class SearchViewModelTests: XCTestCase {
    func testWithdrawingConsentFindsTheRightArticleFirstWithItsWordsMarked() async throws {
        let (app, _) = Fixture.app("search")
        let model = SearchViewModel(app: app)
        await model.load()
        model.text = "withdrawing consent"
        await model.settle()
        let page = try XCTUnwrap(model.page)
        let hit = try XCTUnwrap(page.hits.first)
        XCTAssertEqual(hit.articleId, stopId)
        XCTAssertTrue(hit.title.hasPrefix("Consent During Sex"), hit.title)
        let words = hit.highlights.map { cut(hit.snippet, $0).lowercased() }
        XCTAssertTrue(words.contains { $0.hasPrefix("withdraw") } && words.contains { $0.hasPrefix("consent") }, "\(words)")
        // What the row draws: the same words on the mark colour.
        XCTAssertEqual(markedWords(Marks.marked(hit.snippet, hit.highlights)).joined(), words.joined())
        XCTAssertEqual(page.query, "withdrawing consent")
        XCTAssertGreaterThanOrEqual(page.total, 1)
        let recent = try await app.core.run { try $0.recentSearches() }
        XCTAssertTrue(recent.isEmpty, "typing records nothing")
    }

    func testAnswersToOlderTextAreDropped() async throws {
        let (app, _) = Fixture.app("search-stale")
        let model = SearchViewModel(app: app)
        for prefix in ["w", "wi", "with", "withdr", "withdrawing", "withdrawing con", "withdrawing consent"] {
            model.text = prefix
        }
        await model.settle()
        XCTAssertEqual(model.page?.query, "withdrawing consent")
        XCTAssertEqual(model.page?.hits.first?.articleId, stopId)
    }

    func testDidYouMeanPutsTheCorrectionInTheField() async throws {
        let (app, _) = Fixture.app("search-typo")
        let model = SearchViewModel(app: app)
        model.text = "consnet"
        await model.settle()
        let page = try XCTUnwrap(model.page)
        let fix = try XCTUnwrap(page.suggestion, "a correction for 'consnet'")
        if !page.corrected {
            model.useSuggestion()
            await model.settle()
            XCTAssertEqual(model.text, fix)
            XCTAssertEqual(model.page?.query, fix)
        }
    }

    func testNoResultsSaySoAndOddTextIsAnswered() async throws {
        let (app, _) = Fixture.app("search-odd")
        let model = SearchViewModel(app: app)
        for text in ["\"", "- *", "a:(^", "💬💬", String(repeating: "x", count: 10_000)] {
            model.text = text
            await model.settle()
            XCTAssertNotNil(model.page, text)
        }
        model.text = "zzqxv"
        await model.settle()
        XCTAssertEqual(model.page?.hits.count, 0)
    }

    func testIdleListsShowOnlyWhatTheReaderKeeps() async throws {
        let (app, _) = Fixture.app("search-idle")
        let model = SearchViewModel(app: app)
        model.text = "painful sex"
        model.submit()
        await model.settle()
        model.text = ""
        await model.settle()
        XCTAssertNil(model.page)
        XCTAssertTrue(model.recent.isEmpty, "recent searches are off by default")
        XCTAssertTrue(model.history.isEmpty, "history is off by default")

        try await app.core.write { try $0.setSettings(settings: ReaderSettings(historyEnabled: true, recentSearchesEnabled: true)) }
        model.text = "painful sex"
        model.submit()
        await model.settle()
        _ = try await app.core.write { try $0.openArticle(id: processId, highlight: nil) }
        model.text = ""
        await model.settle()
        XCTAssertEqual(model.recent.map(\.query), ["painful sex"])
        XCTAssertEqual(model.history.map(\.item.articleId), [processId])
    }

    func testTheLastSearchComesBackButNotAfterQuickExit() async throws {
        let (app, _) = Fixture.app("search-last")
        let first = SearchViewModel(app: app)
        first.text = "withdrawing consent"
        await first.settle()
        let rebuilt = SearchViewModel(app: app)
        await rebuilt.load()
        XCTAssertEqual(rebuilt.text, "withdrawing consent")

        await app.quickExit().value
        let afterExit = SearchViewModel(app: app)
        await afterExit.load()
        XCTAssertEqual(afterExit.text, "")
        XCTAssertNil(afterExit.page)
    }
}
