import SwiftUI
import UIKit

/// Quire: a private, offline reader. The Rust core (through its Swift bindings) decides
/// everything that is not drawing; this app draws it and makes the platform's calls.
/// It has no network code, and logs nothing of what is read or searched.
@main
struct QuireApp: App {
    @StateObject private var app = AppModel.forApp()
    @Environment(\.scenePhase) private var scenePhase

    /// Launched by the UI tests: start from empty data, without animations.
    private static let uiTesting = ProcessInfo.processInfo.arguments.contains("--quire-ui-testing")

    init() {
        if Self.uiTesting { UIView.setAnimationsEnabled(false) }
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(app)
                .task { await app.start(eraseFirst: Self.uiTesting) }
        }
        .onChange(of: scenePhase) { phase in
            app.sceneChanged(to: phase)
        }
    }
}
