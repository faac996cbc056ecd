// The platform's privacy calls: the data directory and its files excluded from backups
// after every write, every text field keeping the keyboard from learning, the icons.
import QuireCore
import UIKit
import XCTest
@testable import Quire

@MainActor
final class PlatformTests: XCTestCase {
    func testTheDataAndEveryFileOfItAreExcludedFromBackupsAfterAWrite() async throws {
        let (app, dir) = Fixture.app("backup")
        _ = try await app.core.write { try $0.addBookmark(id: stopId, note: "not for the cloud") }
        XCTAssertTrue(DataLocation.isExcludedFromBackup(dir))
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        XCTAssertFalse(files.isEmpty)
        for file in files {
            XCTAssertTrue(DataLocation.isExcludedFromBackup(file), file.lastPathComponent)
        }
        #if !targetEnvironment(simulator)
        // Data protection exists on devices only.
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path)
        XCTAssertEqual(attributes[.protectionKey] as? FileProtectionType, .complete)
        #endif
    }

    func testTheAppsDataLivesInApplicationSupport() {
        XCTAssertEqual(DataLocation.directory.lastPathComponent, "Quire")
        XCTAssertTrue(DataLocation.directory.path.contains("Library/Application Support"), DataLocation.directory.path)
    }

    func testEveryFieldKeepsTheKeyboardFromLearning() {
        for field in [UITextField() as KeyboardTraits, UITextView() as KeyboardTraits] {
            KeyboardPrivacy.apply(to: field)
            XCTAssertEqual(field.autocorrectionType, .no)
            XCTAssertEqual(field.autocapitalizationType, UITextAutocapitalizationType.none)
            XCTAssertEqual(field.spellCheckingType, .no)
            XCTAssertEqual(field.smartQuotesType, .no)
            XCTAssertEqual(field.smartDashesType, .no)
            XCTAssertEqual(field.smartInsertDeleteType, .no)
        }
    }

    func testTheIconsAreNamedAsTheAssetCatalogNamesThem() {
        XCTAssertNil(AppIcon.quire.iconName)
        XCTAssertEqual(AppIcon.notes.iconName, "AppIconNotes")
        XCTAssertEqual(AppIcon.journal.iconName, "AppIconJournal")
        XCTAssertEqual(AppIcon.allCases.map(\.label), ["Quire", "Notes", "Journal"])
        let icons = Bundle.main.object(forInfoDictionaryKey: "CFBundleIcons") as? [String: Any]
        let alternates = icons?["CFBundleAlternateIcons"] as? [String: Any]
        XCTAssertEqual(Set(alternates?.keys.map { $0 } ?? []), ["AppIconNotes", "AppIconJournal"], "actool declared both")
    }

    func testTheBuiltInBundleShipsInTheApp() throws {
        let size = try FileManager.default.attributesOfItem(atPath: Fixture.bundlePath)[.size] as? NSNumber
        XCTAssertGreaterThan(size?.intValue ?? 0, 1000)
        XCTAssertFalse(Fixture.bundlePath.contains("Application Support"), "read in place from the app's bundle")
    }
}
