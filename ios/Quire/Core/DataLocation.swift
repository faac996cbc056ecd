import Foundation

/// Where the reader's data lives: Application Support/Quire, excluded from backups and
/// with complete file protection (unreadable while the device is locked).
///
/// Both marks are set again at every launch and after every write: some file operations
/// reset `isExcludedFromBackup`, and SQLite creates its journal files anew.
enum DataLocation {
    /// The directory (not created by reading this).
    static let directory: URL = {
        let base = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        return base.appendingPathComponent("Quire", isDirectory: true)
    }()

    /// Creates the directory if needed and marks it and everything in it.
    static func prepare(_ dir: URL = directory) throws {
        try FileManager.default.createDirectory(
            at: dir,
            withIntermediateDirectories: true,
            attributes: [.protectionKey: FileProtectionType.complete]
        )
        try protect(dir)
    }

    /// Marks `dir` and each file in it: excluded from backups (iCloud, computer, device
    /// transfer), complete file protection.
    static func protect(_ dir: URL = directory) throws {
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        for item in [dir] + files {
            var url = item
            var values = URLResourceValues()
            values.isExcludedFromBackup = true
            try url.setResourceValues(values)
            // The simulator has no data protection; a device applies it.
            try? FileManager.default.setAttributes([.protectionKey: FileProtectionType.complete], ofItemAtPath: url.path)
        }
    }

    /// Whether `url` is marked as excluded from backups (the tests read it).
    static func isExcludedFromBackup(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isExcludedFromBackupKey]))?.isExcludedFromBackup ?? false
    }
}
