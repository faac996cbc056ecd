// The settings screen's model against the real library: everything off by default, each
// switch written to the core, auto-forget on both lists, the PIN and the lock's options
// (refused with a wrong PIN), export then import, a file that is not an export, erase all.
import QuireCore
import XCTest
@testable import Quire

@MainActor
final class SettingsViewModelTests: XCTestCase {
    func testEverythingIsOffByDefaultAndEachSwitchWritesToTheCore() async throws {
        let (app, _) = Fixture.app("settings")
        let model = SettingsViewModel(app: app)
        await model.load()
        XCTAssertEqual(model.settings, ReaderSettings())
        XCTAssertEqual(model.lock?.pinSet, false)

        await model.change { $0.historyEnabled = true }
        await model.change { $0.discreetDisplay = true }
        await model.setRetention(7)
        let kept = try await app.core.run { try $0.settings() }
        XCTAssertTrue(kept.historyEnabled)
        XCTAssertTrue(kept.discreetDisplay)
        XCTAssertFalse(kept.recentSearchesEnabled)
        XCTAssertEqual(kept.historyRetentionDays, 7)
        XCTAssertEqual(kept.recentSearchesRetentionDays, 7)
        XCTAssertEqual(model.retentionDays, 7)
        XCTAssertEqual(model.settings, kept)
        await model.setRetention(nil)
        XCTAssertNil(model.retentionDays)
    }

    func testPinIsCheckedThenSetThenItsOptionsNeedIt() async throws {
        let (app, _) = Fixture.app("settings-pin")
        let model = SettingsViewModel(app: app)
        await model.load()
        let tooShort = await model.setPin(current: nil, new: "12", again: "12")
        XCTAssertEqual(tooShort, Wording.pinTooShort)
        let differ = await model.setPin(current: nil, new: "2468", again: "2469")
        XCTAssertEqual(differ, Wording.pinsDiffer)
        let ok = await model.setPin(current: nil, new: "2468", again: "2468")
        XCTAssertNil(ok)
        XCTAssertEqual(model.lock?.pinSet, true)
        XCTAssertTrue(app.pinSet)

        let refused = await model.setLockOptions(current: "1357", relockAfterSecs: 60, deviceAuth: false, eraseAfterWrongAttempts: true)
        XCTAssertTrue(refused?.hasPrefix(Wording.wrongPin) == true, refused ?? "accepted")
        let saved = await model.setLockOptions(current: "2468", relockAfterSecs: 60, deviceAuth: false, eraseAfterWrongAttempts: true)
        XCTAssertNil(saved)
        XCTAssertEqual(model.lock?.relockAfterSecs, 60)
        XCTAssertEqual(model.lock?.eraseAfter, SettingsViewModel.eraseAfter)

        let removed = await model.removePin(current: "2468")
        XCTAssertNil(removed)
        XCTAssertEqual(model.lock?.pinSet, false)
        XCTAssertFalse(app.pinSet)
    }

    func testExportThenImportRoundTripsAndAStrangerFileIsRefused() async throws {
        let (app, dir) = Fixture.app("settings-export")
        let model = SettingsViewModel(app: app)
        await model.load()
        _ = try await app.core.write { try $0.addBookmark(id: stopId, note: "exported note") }
        let exported = await model.exportDocument()
        let document = try XCTUnwrap(exported)
        XCTAssertTrue(document.json.contains(stopId))
        XCTAssertTrue(SettingsScreen.exportName(Date(timeIntervalSince1970: 0)).hasPrefix("backup-19"))

        await model.eraseAll()
        let erased = try await app.core.run { try $0.bookmarks() }
        XCTAssertTrue(erased.isEmpty)

        let file = dir.deletingLastPathComponent().appendingPathComponent("export-\(UUID().uuidString).json")
        try Data(document.json.utf8).write(to: file)
        await model.importFile(.success(file))
        let back = try await app.core.run { try $0.bookmarks() }
        XCTAssertEqual(back.map(\.item.articleId), [stopId])
        XCTAssertEqual(back.first?.note, "exported note")
        XCTAssertTrue(app.message?.text.hasPrefix("Imported. Bookmarks: 1") == true, app.message?.text ?? "no message")

        let stranger = dir.deletingLastPathComponent().appendingPathComponent("stranger-\(UUID().uuidString).json")
        try Data("{\"hello\": 1}".utf8).write(to: stranger)
        await model.importFile(.success(stranger))
        XCTAssertEqual(app.message?.text, Wording.importNotAnExport)
        await model.importFile(.failure(CocoaError(.fileReadNoPermission)))
        XCTAssertEqual(app.message?.text, Wording.fileFailed)
    }

    func testEraseAllRemovesThePinToo() async throws {
        let (app, _) = Fixture.app("settings-erase")
        let model = SettingsViewModel(app: app)
        await model.load()
        _ = await model.setPin(current: nil, new: "9753", again: "9753")
        await model.eraseAll()
        XCTAssertEqual(model.lock?.pinSet, false)
        XCTAssertEqual(app.message?.text, "All your data is erased.")
    }
}
