import UIKit

/// The home-screen icons the reader can choose: Quire's own, or a neutral one. The name
/// under the icon stays the app's display name ("Quire", itself neutral): iOS lets an app
/// change its icon, not its name.
enum AppIcon: String, CaseIterable, Identifiable {
    case quire
    case notes
    case journal

    var id: String { rawValue }

    /// What the settings show.
    var label: String {
        switch self {
        case .quire: return "Quire"
        case .notes: return "Notes"
        case .journal: return "Journal"
        }
    }

    /// The alternate icon's name (ASSETCATALOG_COMPILER_ALTERNATE_APPICON_NAMES in
    /// project.yml); nil for the primary icon.
    var iconName: String? {
        switch self {
        case .quire: return nil
        case .notes: return "AppIconNotes"
        case .journal: return "AppIconJournal"
        }
    }

    /// The icon shown now.
    @MainActor
    static var current: AppIcon {
        let name = UIApplication.shared.alternateIconName
        return allCases.first { $0.iconName == name } ?? .quire
    }

    /// Whether this device lets the app change its icon.
    @MainActor
    static var supported: Bool { UIApplication.shared.supportsAlternateIcons }

    /// Switches the home-screen icon (the system tells the reader it changed); true when
    /// it did.
    @MainActor
    static func choose(_ icon: AppIcon) async -> Bool {
        guard supported, icon != current else { return icon == current }
        return await withCheckedContinuation { continuation in
            UIApplication.shared.setAlternateIconName(icon.iconName) { error in
                continuation.resume(returning: error == nil)
            }
        }
    }
}
