import SwiftUI
import UIKit

/// The window's content: the screens in a navigation stack, the lock over them when it
/// must show, the neutral screen after quick exit, the message bar, and the privacy cover
/// whenever the scene is not active or the screen is recorded or mirrored.
struct RootView: View {
    @EnvironmentObject private var app: AppModel
    @StateObject private var capture = ScreenCapture()
    @Environment(\.scenePhase) private var scenePhase

    var body: some View {
        ZStack {
            if !app.started {
                PrivacyCover()
            } else if app.exited {
                NeutralScreen()
            } else {
                Screens(app: app)
                    // Quick exit builds every screen anew: their state is dropped.
                    .id(app.session)
                    .opacity(app.locked ? 0 : 1)
                    .accessibilityHidden(app.locked)
                    .allowsHitTesting(!app.locked)
                if app.locked {
                    LockScreen(app: app)
                        .id(app.session)
                }
            }
            if let message = app.message, !app.locked, !app.exited {
                MessageBar(message: message)
            }
            if app.covered || capture.isCaptured {
                PrivacyCover()
            }
        }
        .onChange(of: scenePhase) { phase in
            if phase == .active { capture.refresh() }
        }
    }
}

/// The navigation stack of the app's screens; search is the root.
struct Screens: View {
    @ObservedObject var app: AppModel

    var body: some View {
        NavigationStack(path: $app.path) {
            SearchScreen(app: app)
                .navigationDestination(for: Route.self) { route in
                    switch route {
                    case .article(let id, let highlight):
                        ArticleScreen(app: app, id: id, highlight: highlight)
                    case .bookmarks:
                        BookmarksScreen(app: app)
                    case .settings:
                        SettingsScreen(app: app)
                    case .packs:
                        PacksScreen(app: app)
                    }
                }
        }
    }
}

/// What quick exit leaves: a plain, empty screen that says nothing of the app's content.
/// (iOS has no public way for an app to quit itself; the reader goes home from here.)
struct NeutralScreen: View {
    @EnvironmentObject private var app: AppModel

    var body: some View {
        ZStack(alignment: .bottom) {
            Color(.systemBackground).ignoresSafeArea()
            Button("Open") { app.leaveNeutralScreen() }
                .font(.footnote)
                .foregroundColor(.secondary)
                .padding(.bottom, 24)
                .accessibilityLabel("Open the app again")
                .accessibilityIdentifier("neutralOpen")
        }
        .accessibilityElement(children: .contain)
        .accessibilityIdentifier("neutralScreen")
    }
}

/// The cover that hides the content from the app switcher's snapshot, from screen
/// recordings and from mirrored screens.
struct PrivacyCover: View {
    var body: some View {
        Color(.systemBackground)
            .ignoresSafeArea()
            .accessibilityIdentifier("privacyCover")
    }
}

/// A message at the bottom of the screen, with its action ("Undo") when it has one.
struct MessageBar: View {
    @EnvironmentObject private var app: AppModel
    let message: Message

    var body: some View {
        VStack {
            Spacer()
            HStack(spacing: 12) {
                Text(message.text)
                    .foregroundColor(Color(.systemBackground))
                    .frame(maxWidth: .infinity, alignment: .leading)
                    .accessibilityIdentifier("messageText")
                if let title = message.actionTitle {
                    Button(title) { app.messageAction() }
                        .font(.body.weight(.semibold))
                        .foregroundColor(Color(.systemBackground))
                        .frame(minHeight: 44)
                        .accessibilityIdentifier("messageAction")
                }
            }
            .padding(.horizontal, 16)
            .padding(.vertical, 10)
            .background(Color(.label).opacity(0.92))
            .cornerRadius(12)
            .padding(12)
            .accessibilityElement(children: .contain)
            .accessibilityIdentifier("messageBar")
        }
        .transition(.move(edge: .bottom))
    }
}
