import Combine
import UIKit

/// Whether the screen is being recorded, mirrored or sent over AirPlay
/// (`UIScreen.isCaptured`, updated by `UIScreen.capturedDidChangeNotification`). While it
/// is, the app shows its privacy cover instead of its content.
@MainActor
final class ScreenCapture: ObservableObject {
    @Published private(set) var isCaptured = false
    private var observer: NSObjectProtocol?

    init() {
        observer = NotificationCenter.default.addObserver(
            forName: UIScreen.capturedDidChangeNotification,
            object: nil,
            queue: .main
        ) { [weak self] _ in
            Task { @MainActor in self?.refresh() }
        }
    }

    deinit {
        if let observer { NotificationCenter.default.removeObserver(observer) }
    }

    /// Reads the state again from the app's screens (also when the scene becomes active:
    /// a capture may have started while the app was away).
    func refresh() {
        isCaptured = UIApplication.shared.connectedScenes
            .compactMap { ($0 as? UIWindowScene)?.screen }
            .contains { $0.isCaptured }
    }
}
