import Foundation
import QuireCore
import SwiftUI
import UniformTypeIdentifiers

/// An export in memory, for the system's file exporter (the document picker). It holds
/// the reader's data only until the picker is done.
struct ExportDocument: FileDocument {
    static var readableContentTypes: [UTType] { [.json] }
    let json: String

    init(json: String) {
        self.json = json
    }

    init(configuration: ReadConfiguration) throws {
        json = String(decoding: configuration.file.regularFileContents ?? Data(), as: UTF8.self)
    }

    func fileWrapper(configuration: WriteConfiguration) throws -> FileWrapper {
        FileWrapper(regularFileWithContents: Data(json.utf8))
    }
}

/// Settings: history and recent searches (off by default) and when they forget
/// themselves, discreet display, quick exit's clearing, the app lock (the core's PIN, and
/// device authentication as an option), export and import, erasing everything.
@MainActor
final class SettingsViewModel: ObservableObject {
    /// Wrong attempts before everything is erased, when the reader turns that on.
    static let eraseAfter: UInt32 = 10
    /// The largest export read (a real one is a few kilobytes per hundred bookmarks).
    static let maxImportBytes = 32 * 1024 * 1024
    /// "Forget after" choices, in days; nil: never.
    static let retentions: [UInt32?] = [1, 7, 30, nil]
    /// "Lock again after" choices, in seconds.
    static let relockDelays: [UInt32] = [0, 30, 60, 300]

    @Published private(set) var settings: ReaderSettings?
    @Published private(set) var lock: LockStatus?

    private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            let (settings, lock) = try await app.core.run { reader in
                (try reader.settings(), try reader.lockStatus())
            }
            self.settings = settings
            self.lock = lock
            app.notePin(lock.pinSet)
        } catch {
            app.failed(error)
        }
    }

    /// Changes the settings (turning history or recent searches off deletes them) and
    /// shows what the core kept.
    func change(_ edit: (inout ReaderSettings) -> Void) async {
        guard var next = settings else { return }
        edit(&next)
        settings = next
        let wanted = next
        do {
            settings = try await app.core.write { reader in
                try reader.setSettings(settings: wanted)
                return try reader.settings()
            }
        } catch {
            app.failed(error)
            await load()
        }
    }

    /// "Forget after": both retentions at once.
    var retentionDays: UInt32? {
        settings.flatMap { $0.historyRetentionDays ?? $0.recentSearchesRetentionDays }
    }

    func setRetention(_ days: UInt32?) async {
        await change {
            $0.historyRetentionDays = days
            $0.recentSearchesRetentionDays = days
        }
    }

    // MARK: - the lock

    /// Sets or changes the PIN; the wording of what was wrong, or nil when it was set.
    func setPin(current: String?, new pin: String, again: String) async -> String? {
        guard pin.count >= 4 else { return Wording.pinTooShort }
        guard pin == again else { return Wording.pinsDiffer }
        return await lockChange("PIN set") { try $0.setPin(current: current, newPin: pin) }
    }

    func removePin(current: String) async -> String? {
        await lockChange("PIN removed") { try $0.removePin(current: current) }
    }

    func setLockOptions(current: String, relockAfterSecs: UInt32, deviceAuth: Bool, eraseAfterWrongAttempts: Bool) async -> String? {
        let options = LockOptions(
            eraseAfter: eraseAfterWrongAttempts ? Self.eraseAfter : nil,
            relockAfterSecs: relockAfterSecs,
            deviceAuth: deviceAuth
        )
        return await lockChange("Lock options saved") { try $0.setLockOptions(current: current, options: options) }
    }

    /// Runs a change of the lock; on success the new state and a message, on a refusal
    /// its wording (a wrong PIN counts as a wrong attempt, in the core).
    private func lockChange(_ done: String, _ work: @escaping (Reader) throws -> Void) async -> String? {
        do {
            let status = try await app.core.write { reader -> LockStatus in
                try work(reader)
                return try reader.lockStatus()
            }
            lock = status
            app.notePin(status.pinSet)
            app.show(done)
            return nil
        } catch {
            return Wording.pinRefused(error)
        }
    }

    // MARK: - data

    /// All the reader's data as an export, for the file exporter.
    func exportDocument() async -> ExportDocument? {
        do {
            let json = try await app.core.run { try $0.exportJson() }
            return ExportDocument(json: json)
        } catch {
            app.failed(error)
            return nil
        }
    }

    /// The file exporter finished.
    func exported(_ result: Result<URL, Error>) {
        switch result {
        case .success: app.show("Exported")
        case .failure: app.show(Wording.fileFailed)
        }
    }

    /// The file importer chose `url`: reads it (with the access the picker grants) and
    /// merges it into the reader's data.
    func importFile(_ result: Result<URL, Error>) async {
        guard case .success(let url) = result else {
            app.show(Wording.fileFailed)
            return
        }
        do {
            let json = try Self.read(url)
            let (summary, settings) = try await app.core.write { reader in
                (try reader.importJson(json: json), try reader.settings())
            }
            self.settings = settings
            app.show(Self.importedText(summary), seconds: 6)
        } catch {
            app.failed(error)
        }
    }

    static func importedText(_ s: ImportSummary) -> String {
        "Imported. Bookmarks: \(s.bookmarks), reading positions: \(s.progress), settings: \(s.settings)."
    }

    private static func read(_ url: URL) throws -> String {
        let scoped = url.startAccessingSecurityScopedResource()
        defer { if scoped { url.stopAccessingSecurityScopedResource() } }
        let size = (try url.resourceValues(forKeys: [.fileSizeKey])).fileSize ?? 0
        guard size <= maxImportBytes else { throw CocoaError(.fileReadTooLarge) }
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    /// Erases everything (bookmarks, notes, positions, history, searches, settings, PIN).
    func eraseAll() async {
        do {
            try await app.core.write { try $0.eraseAll() }
            app.show("All your data is erased.")
            await load()
        } catch {
            app.failed(error)
        }
    }
}
