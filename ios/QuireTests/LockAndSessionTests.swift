// The lock screen's model and the app model against the real library: wrong PINs and the
// core's wait, the right PIN, "forgot the PIN", a refused call showing the lock, the lock
// after the background (at once with a PIN, never without), the privacy cover, quick exit.
import QuireCore
import SwiftUI
import XCTest
@testable import Quire

@MainActor
final class LockAndSessionTests: XCTestCase {
    /// An app model with a PIN set and the lock engaged.
    private func lockedApp(_ name: String, pin: String = "2580") async throws -> AppModel {
        let (app, _) = Fixture.app(name)
        try await app.core.write { (reader: Reader) -> Void in
            try reader.setPin(current: nil, newPin: pin)
            try reader.lockNow()
        }
        await app.start()
        XCTAssertTrue(app.locked)
        XCTAssertTrue(app.pinSet)
        return app
    }

    func testWrongPinsBackOffThenTheRightOneUnlocks() async throws {
        let app = try await lockedApp("lock-wrong")
        let model = LockViewModel(app: app)
        await model.refresh()
        XCTAssertTrue(app.locked)
        XCTAssertFalse(model.deviceAuthAllowed)

        var waited = false
        for wrong in ["0000", "0001", "0002"] {
            model.pin = wrong
            await model.attempt()
            XCTAssertTrue(model.status.hasPrefix(Wording.wrongPin), model.status)
            XCTAssertEqual(model.pin, "", "the field is cleared after each attempt")
            if model.secondsLeft() > 0 { waited = true }
        }
        XCTAssertTrue(waited, "the core asks for a wait after a few wrong attempts")
        model.pin = "2580"
        XCTAssertFalse(model.canAttempt, "no attempt before the wait is over")
        let unlocksBefore = app.unlocks
        try await Task.sleep(nanoseconds: UInt64(model.secondsLeft() + 1) * 1_000_000_000)
        await model.attempt()
        XCTAssertFalse(app.locked)
        XCTAssertEqual(app.unlocks, unlocksBefore + 1, "screens load again after an unlock")
    }

    func testDeviceAuthenticationIsOfferedOnlyWhenTheReaderAllowedIt() async throws {
        let app = try await lockedApp("lock-device")
        let before = LockViewModel(app: app)
        await before.refresh()
        XCTAssertFalse(before.deviceAuthAllowed)
        try await app.core.write { (reader: Reader) -> Void in
            _ = try reader.unlock(pin: "2580")
            try reader.setLockOptions(current: "2580", options: LockOptions(deviceAuth: true))
            try reader.lockNow()
        }
        let after = LockViewModel(app: app)
        await after.refresh()
        XCTAssertTrue(after.deviceAuthAllowed)
    }

    func testForgotThePinErasesEverything() async throws {
        let app = try await lockedApp("lock-forgot")
        let model = LockViewModel(app: app)
        await model.eraseEverything()
        XCTAssertFalse(app.locked)
        XCTAssertFalse(app.pinSet)
        let status = try await app.core.run { try $0.lockStatus() }
        XCTAssertFalse(status.pinSet)
    }

    func testACallRefusedAsLockedShowsTheLock() async throws {
        let app = try await lockedApp("lock-refused")
        app.unlocked() // as if the screens believed it open
        let search = SearchViewModel(app: app)
        search.text = "consent"
        await search.settle()
        XCTAssertTrue(app.locked)
        XCTAssertNil(search.page)
    }

    func testWithAPinTheLockShowsAtOnceAfterTheBackground() async throws {
        let app = try await lockedApp("lock-background")
        let lock = LockViewModel(app: app)
        lock.pin = "2580"
        await lock.attempt()
        XCTAssertFalse(app.locked)

        app.sceneChanged(to: .inactive)
        XCTAssertTrue(app.covered, "the app switcher's snapshot shows the cover")
        app.sceneChanged(to: .background)
        XCTAssertTrue(app.locked, "shown before the app is seen again")
        await app.sceneChanged(to: .active)?.value
        XCTAssertFalse(app.covered)
        XCTAssertTrue(app.locked, "relock at once is the default")
    }

    func testWithoutAPinThereIsNoLock() async throws {
        let (app, _) = Fixture.app("lock-none")
        await app.start()
        XCTAssertFalse(app.locked)
        app.sceneChanged(to: .inactive)
        app.sceneChanged(to: .background)
        XCTAssertFalse(app.locked)
        await app.sceneChanged(to: .active)?.value
        XCTAssertFalse(app.locked)
        XCTAssertFalse(app.covered)
    }

    func testQuickExitLeavesANeutralScreenAndForgetsTheSession() async throws {
        let (app, _) = Fixture.app("quick-exit")
        await app.start()
        try await app.core.write {
            try $0.setSettings(settings: ReaderSettings(recentSearchesEnabled: true, clearRecentSearchesOnQuickExit: true))
        }
        _ = try await app.core.write { try $0.search(request: SearchRequest(text: "painful sex", submitted: true)) }
        _ = try await app.core.write { try $0.openArticle(id: processId, highlight: "painful sex") }
        app.path = [.bookmarks, .article(id: processId, highlight: "painful sex")]
        app.show("Bookmarked")
        let session = app.session

        let exit = app.quickExit()
        XCTAssertTrue(app.exited, "the neutral screen shows at once")
        XCTAssertEqual(app.path, [])
        XCTAssertNil(app.message)
        XCTAssertNotEqual(app.session, session, "every screen is built anew")
        await exit.value
        let (last, open, recent) = try await app.core.run { reader in
            (reader.lastQuery(), reader.openArticleId(), try reader.recentSearches())
        }
        XCTAssertNil(last)
        XCTAssertNil(open)
        XCTAssertTrue(recent.isEmpty)
        XCTAssertFalse(app.locked, "no PIN, no lock")
        app.leaveNeutralScreen()
        XCTAssertFalse(app.exited)
    }

    func testQuickExitWithAPinLocks() async throws {
        let app = try await lockedApp("quick-exit-pin")
        app.unlocked()
        await app.quickExit().value
        XCTAssertTrue(app.locked)
        let status = try await app.core.run { try $0.lockStatus() }
        XCTAssertTrue(status.locked)
    }

    func testFailuresAreToldInTheAppsOwnWords() {
        let (app, _) = Fixture.app("failures")
        app.failed(QuireError.StorageFull(detail: "disk says no"))
        XCTAssertEqual(app.message?.text, Wording.storageFull)
        app.failed(QuireError.DamagedBundle(section: "catalog", detail: "checksum"))
        XCTAssertEqual(app.message?.text, Wording.cannotOpenArticles)
        app.failed(QuireError.Internal(detail: "a developer's words"))
        XCTAssertEqual(app.message?.text, Wording.somethingWentWrong)
        XCTAssertFalse(app.locked)
        app.failed(QuireError.Locked)
        XCTAssertTrue(app.locked)
        XCTAssertNil(app.message)
        XCTAssertEqual(Wording.pinRefused(QuireError.WrongPin(retryAfterMs: 1500)), "Wrong PIN. Try again in 2 s.")
    }

    func testStartingForTheUITestsErasesEverything() async throws {
        let (app, _) = Fixture.app("start-erase")
        _ = try await app.core.write { try $0.addBookmark(id: stopId, note: nil) }
        await app.start(eraseFirst: true)
        XCTAssertTrue(app.started)
        let left = try await app.core.run { try $0.bookmarks() }
        XCTAssertTrue(left.isEmpty)
    }
}
