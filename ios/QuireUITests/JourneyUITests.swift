// The reader's main ways through the app, by its screens alone, on a simulator: search
// "withdrawing consent", the right article first, bookmark it with a note, find it in the
// bookmarks, quick exit; and a PIN set in the settings locking the app after the
// background. Each step's screen is attached to the results (XCTAttachment, kept when
// the test passes) and, when QUIRE_SCREENSHOT_DIR is set (xcodebuild passes
// TEST_RUNNER_QUIRE_SCREENSHOT_DIR on), also written there as PNG.
import XCTest

final class JourneyUITests: XCTestCase {
    private var app: XCUIApplication!

    override func setUpWithError() throws {
        continueAfterFailure = false
        app = XCUIApplication()
        // Starts from empty data, without animations (QuireApp.swift).
        app.launchArguments = ["--quire-ui-testing"]
        app.launch()
    }

    func testSearchReadBookmarkWithANoteFindItQuickExit() throws {
        let field = app.textFields["searchField"]
        XCTAssertTrue(field.waitForExistence(timeout: 15), "the search screen opens ready to type")
        enter("withdrawing consent", into: field)

        let first = element("result-0")
        XCTAssertTrue(first.waitForExistence(timeout: 10))
        XCTAssertTrue(first.label.contains("Consent During Sex"), "the right article first: \(first.label)")
        screenshot("1-search")

        first.tap()
        let title = element("articleTitle")
        XCTAssertTrue(title.waitForExistence(timeout: 10))
        XCTAssertTrue(title.label.hasPrefix("Consent During Sex"), title.label)
        screenshot("2-article")

        app.buttons["bookmarkButton"].tap()
        let note = app.textViews["noteField"]
        XCTAssertTrue(note.waitForExistence(timeout: 5))
        enter("for the talk on Sunday", into: note)
        screenshot("3-bookmark-note")
        app.buttons["saveNote"].tap()
        XCTAssertTrue(element("messageText").waitForExistence(timeout: 5))
        XCTAssertEqual(element("messageText").label, "Bookmarked")

        app.navigationBars.buttons.element(boundBy: 0).tap() // back to search
        app.buttons["openBookmarks"].tap()
        let bookmark = element("bookmark-0")
        XCTAssertTrue(bookmark.waitForExistence(timeout: 10))
        XCTAssertTrue(bookmark.label.contains("Consent During Sex"), bookmark.label)
        XCTAssertTrue(bookmark.label.contains("for the talk on Sunday"), bookmark.label)
        enter("sunday", into: app.textFields["bookmarksSearch"])
        XCTAssertTrue(element("bookmark-0").waitForExistence(timeout: 5))
        screenshot("4-bookmarks")

        app.buttons["quickExit"].tap()
        XCTAssertTrue(element("neutralScreen").waitForExistence(timeout: 5), "a neutral screen at once")
        XCTAssertFalse(app.textFields["bookmarksSearch"].exists)
        XCTAssertFalse(app.staticTexts["for the talk on Sunday"].exists)
        screenshot("5-quick-exit")

        // Coming back starts afresh: the search is forgotten.
        element("neutralOpen").tap()
        let fresh = app.textFields["searchField"]
        XCTAssertTrue(fresh.waitForExistence(timeout: 10))
        let shown = (fresh.value as? String) ?? ""
        XCTAssertTrue(shown.isEmpty || shown == fresh.placeholderValue, "the field is empty: \(shown)")
    }

    func testAPinLocksTheAppAfterTheBackground() throws {
        XCTAssertTrue(app.buttons["openSettings"].waitForExistence(timeout: 15))
        app.buttons["openSettings"].tap()
        let setPin = app.buttons["setPin"]
        XCTAssertTrue(setPin.waitForExistence(timeout: 10))
        setPin.tap()
        let pin = app.secureTextFields["newPin"]
        XCTAssertTrue(pin.waitForExistence(timeout: 5))
        enter("2580", into: pin)
        enter("2580", into: app.secureTextFields["confirmPin"])
        screenshot("6-set-pin")
        app.buttons["saveLock"].tap()
        XCTAssertTrue(element("messageText").waitForExistence(timeout: 10))
        XCTAssertEqual(element("messageText").label, "PIN set")

        XCUIDevice.shared.press(.home)
        sleep(2)
        app.activate()

        let lockField = app.secureTextFields["lockPinField"]
        XCTAssertTrue(lockField.waitForExistence(timeout: 10), "the lock shows after the background")
        XCTAssertFalse(app.buttons["setPin"].exists, "nothing of the screen below is in reach")
        XCTAssertTrue(app.buttons["quickExit"].exists, "quick exit stays in reach")
        screenshot("7-lock")

        enter("0000", into: lockField)
        app.buttons["unlockButton"].tap()
        XCTAssertTrue(element("lockStatus").waitForExistence(timeout: 10))
        XCTAssertTrue(element("lockStatus").label.hasPrefix("Wrong PIN."), element("lockStatus").label)
        screenshot("8-lock-wrong")

        enter("2580", into: lockField)
        app.buttons["unlockButton"].tap()
        XCTAssertTrue(app.buttons["setPin"].waitForExistence(timeout: 10), "back where the reader was")
        XCTAssertFalse(lockField.exists)
    }

    // MARK: - helpers

    /// The element with an accessibility identifier, whatever its type.
    private func element(_ identifier: String) -> XCUIElement {
        app.descendants(matching: .any).matching(identifier: identifier).firstMatch
    }

    private func enter(_ text: String, into field: XCUIElement) {
        field.tap()
        field.typeText(text)
    }

    /// Attaches the screen to the test's results and, if asked, writes it as a PNG.
    private func screenshot(_ name: String) {
        let shot = XCUIScreen.main.screenshot()
        let attachment = XCTAttachment(screenshot: shot)
        attachment.name = name
        attachment.lifetime = .keepAlways
        add(attachment)
        if let dir = ProcessInfo.processInfo.environment["QUIRE_SCREENSHOT_DIR"], !dir.isEmpty {
            let folder = URL(fileURLWithPath: dir, isDirectory: true)
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? shot.pngRepresentation.write(to: folder.appendingPathComponent("\(name).png"))
        }
    }
}
