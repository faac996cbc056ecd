// Every QuireError case, produced for real and caught as itself.
import Foundation
import QuireCore
import XCTest

/// A copy of the built-in bundle to damage.
func bundleCopy(_ name: String) throws -> URL {
    let f = Env.newDir(name).appendingPathComponent("copy.quire")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Env.builtinPath), to: f)
    return f
}

/// A store directory holding one bookmark, closed (the last reference released).
func closedStoreWithBookmark(_ name: String) throws -> URL {
    let dir = Env.newDir(name)
    do { _ = try UserStore.open(dir: dir.path).addBookmark(articleId: stopId, note: "kept", folder: nil) }
    return dir
}

func isRoot() -> Bool { geteuid() == 0 }

final class ErrorTests: XCTestCase {
    func testArticleNotFound() {
        XCTAssertThrowsError(try Env.builtin.article(id: "no-such-article")) { error in
            guard case QuireError.ArticleNotFound(let id) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "no-such-article")
        }
        XCTAssertThrowsError(try Env.builtin.meta(id: "no-such-article")) { error in
            guard case QuireError.ArticleNotFound = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Env.builtin.related(id: "no-such-article", limit: 3)) { error in
            guard case QuireError.ArticleNotFound = error else { return XCTFail("\(error)") }
        }
    }

    func testNotABundle() throws {
        let text = Env.newDir("not-a-bundle").appendingPathComponent("notes.txt")
        try "just some notes, not a bundle at all".write(to: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ArticleBundle.open(path: text.path)) { error in
            guard case QuireError.NotABundle = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try ArticleBundle.fromBytes(bytes: Data(count: 1000))) { error in
            guard case QuireError.NotABundle = error else { return XCTFail("\(error)") }
        }
    }

    func testUnsupportedBundleVersion() throws {
        let f = try bundleCopy("future")
        var bytes = try Data(contentsOf: f)
        bytes[8] = 99 // major format version, little-endian u16 at 8..<10
        bytes[9] = 0
        let crc = crc32(bytes.subdata(in: 0..<60)) // header checksum over 0..<60
        for i in 0..<4 { bytes[60 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        try bytes.write(to: f)
        XCTAssertThrowsError(try ArticleBundle.open(path: f.path)) { error in
            guard case QuireError.UnsupportedBundleVersion(let found, let supported) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(found, 99)
            XCTAssertEqual(supported, 1)
        }
    }

    func testDamagedBundle() throws {
        let truncated = try bundleCopy("truncated")
        let bytes = try Data(contentsOf: truncated)
        try bytes.prefix(bytes.count * 2 / 3).write(to: truncated)
        XCTAssertThrowsError(try ArticleBundle.open(path: truncated.path)) { error in
            guard case QuireError.DamagedBundle(let section, _) = error else { return XCTFail("\(error)") }
            XCTAssertFalse(section.isEmpty)
        }
        let flipped = try bundleCopy("flipped")
        var data = try Data(contentsOf: flipped)
        data[data.count / 2] ^= 0x10
        try data.write(to: flipped)
        XCTAssertThrowsError(try ArticleBundle.open(path: flipped.path).verify()) { error in
            guard case QuireError.DamagedBundle = error else { return XCTFail("\(error)") }
        }
    }

    func testInvalidArgument() throws {
        let store = try UserStore.open(dir: Env.newDir("invalid").path)
        let calls: [() throws -> Void] = [
            { _ = try store.addBookmark(articleId: "", note: nil, folder: nil) },
            { _ = try store.addBookmark(articleId: String(repeating: "x", count: 513), note: nil, folder: nil) },
            { _ = try store.setProgress(articleId: stopId, position: 1.5) },
            { _ = try store.setProgress(articleId: stopId, position: .nan) },
            { _ = try store.recordArticleOpened(articleId: "") },
            { _ = try store.setting(key: "") },
            { try store.setSetting(key: "quire.history", value: "on") },
            { _ = try store.removeSetting(key: String(repeating: "k", count: 300)) },
            { try store.setPrivacySettings(settings: PrivacySettings(historyEnabled: true, historyRetentionDays: 0)) },
            { _ = try ArticleBundle.openFd(fd: -1, offset: 0, length: 100) },
        ]
        for (i, call) in calls.enumerated() {
            XCTAssertThrowsError(try call(), "call \(i)") { error in
                guard case QuireError.InvalidArgument = error else { return XCTFail("call \(i): \(error)") }
            }
        }
        XCTAssertTrue(try store.bookmarks().isEmpty)
        let fd = open(Env.builtinPath, O_RDONLY)
        defer { close(fd) }
        let size = try FileManager.default.attributesOfItem(atPath: Env.builtinPath)[.size] as! NSNumber
        XCTAssertThrowsError(try ArticleBundle.openFd(fd: fd, offset: 10, length: size.uint64Value)) { error in
            guard case QuireError.InvalidArgument(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("outside"), detail)
        }
    }

    func testIo() {
        let missing = Env.work.appendingPathComponent("missing.quire").path
        XCTAssertThrowsError(try ArticleBundle.open(path: missing)) { error in
            guard case QuireError.Io(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("missing.quire"), detail)
        }
    }

    func testNewerUserData() throws {
        let dir = try closedStoreWithBookmark("newer")
        let handle = try FileHandle(forWritingTo: dbFile(dir))
        try handle.seek(toOffset: 60) // SQLite keeps PRAGMA user_version at offset 60
        handle.write(Data([0, 0, 0, 99]))
        try handle.close()
        let before = try Data(contentsOf: dbFile(dir))
        XCTAssertThrowsError(try UserStore.open(dir: dir.path)) { error in
            guard case QuireError.NewerUserData(let found, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(found, 99)
        }
        XCTAssertEqual(try Data(contentsOf: dbFile(dir)), before, "left byte for byte")
        try wipeUserStoreDir(dir: dir.path)
        XCTAssertTrue(try UserStore.open(dir: dir.path).bookmarks().isEmpty)
    }

    func testNewerExportAndInvalidExport() throws {
        let store = try UserStore.open(dir: Env.newDir("import-errors").path)
        XCTAssertThrowsError(try store.importJson(json: #"{"format_version": 99}"#)) { error in
            guard case QuireError.NewerExport(let found, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(found, 99)
        }
        XCTAssertThrowsError(try store.importJson(json: "not json")) { error in
            guard case QuireError.InvalidExport = error else { return XCTFail("\(error)") }
        }
    }

    func testStorageAfterWipe() throws {
        let store = try UserStore.open(dir: Env.newDir("wiped").path)
        try store.wipe()
        XCTAssertThrowsError(try store.bookmarks()) { error in
            guard case QuireError.Storage(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("wiped"), detail)
        }
    }

    func testStorageReadOnly() throws {
        // Permission bits bind every user but root (the macOS runner is not root).
        if isRoot() { throw XCTSkip("root ignores permission bits; the Kotlin tests cover EROFS") }
        let dir = try closedStoreWithBookmark("read-only")
        let fm = FileManager.default
        try fm.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dbFile(dir).path)
        try fm.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        defer {
            try? fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            try? fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dbFile(dir).path)
        }
        let before = try Data(contentsOf: dbFile(dir))
        XCTAssertThrowsError(try UserStore.open(dir: dir.path)) { error in
            guard case QuireError.StorageReadOnly = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try Data(contentsOf: dbFile(dir)), before)
    }

    func testStorageFull() throws {
        // The workflow mounts a small disk image and names it in QUIRE_SMALL_VOLUME.
        guard let volume = ProcessInfo.processInfo.environment["QUIRE_SMALL_VOLUME"], !volume.isEmpty else {
            throw XCTSkip("set QUIRE_SMALL_VOLUME to a small, empty, writable volume")
        }
        let dir = URL(fileURLWithPath: volume).appendingPathComponent("store-\(UUID().uuidString)")
        let store = try UserStore.open(dir: dir.path)
        let note = String(repeating: "n", count: 4000)
        var acknowledged = 0
        var full: Error?
        while acknowledged < 100_000 {
            do {
                _ = try store.addBookmark(articleId: "article-\(acknowledged)", note: note, folder: nil)
                acknowledged += 1
            } catch {
                full = error
                break
            }
        }
        guard case QuireError.StorageFull = try XCTUnwrap(full) else { return XCTFail("\(String(describing: full))") }
        let ids = Set(try store.bookmarks().map(\.articleId))
        for i in 0..<acknowledged { XCTAssertTrue(ids.contains("article-\(i)"), "lost article-\(i)") }
        try? store.wipe()
    }
}
