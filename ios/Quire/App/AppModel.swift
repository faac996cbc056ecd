import Foundation
import QuireCore
import SwiftUI
import UIKit

/// A screen of the navigation stack.
enum Route: Hashable {
    case article(id: String, highlight: String?)
    case bookmarks
    case settings
    case packs
}

/// A message at the bottom of the screen, with an optional action ("Undo").
struct Message: Identifiable {
    let id = UUID()
    let text: String
    let actionTitle: String?
    let action: (() -> Void)?
}

/// What every screen shares: the core, the navigation path, the lock, the privacy
/// cover, quick exit and its neutral screen, and the message bar. Screens report
/// failures here (`failed`); a refusal because the reader is locked shows the lock.
@MainActor
final class AppModel: ObservableObject {
    let core: Core

    @Published var path: [Route] = []
    /// The lock screen shows (over the screens, which are hidden from sight and VoiceOver).
    @Published private(set) var locked = false
    /// Quick exit was used: a neutral screen shows until the reader comes back.
    @Published private(set) var exited = false
    /// The scene is not active (app switcher, control centre, a system sheet): the
    /// privacy cover shows, so the switcher's snapshot shows nothing.
    @Published private(set) var covered = false
    /// The first call has answered (until then nothing but a plain screen shows: with a
    /// PIN set, a cold start shows only the lock).
    @Published private(set) var started = false
    /// Changes at quick exit: every screen is built again, its state dropped.
    @Published private(set) var session = UUID()
    /// Changes at each unlock: screens whose calls were refused load again.
    @Published private(set) var unlocks = 0
    @Published private(set) var message: Message?

    /// Whether a PIN is set, as last seen (read when the app leaves, to lock at once).
    private(set) var pinSet = false
    /// The report of a repaired database has been shown (once a process).
    var recoveryShown = false
    private var inBackground = false
    private var messageTimer: Task<Void, Never>?

    init(core: Core) {
        self.core = core
    }

    /// The app's model: the built-in bundle from the app's resources, the data in
    /// Application Support (see `DataLocation`).
    static func forApp() -> AppModel {
        let core = Core(
            open: {
                guard let bundle = Bundle.main.path(forResource: "builtin", ofType: "quire") else {
                    throw QuireError.NotABundle(detail: "builtin.quire is missing from the app")
                }
                try DataLocation.prepare()
                return try Reader.open(bundlePath: bundle, dataDir: DataLocation.directory.path)
            },
            afterWrite: { try? DataLocation.protect() }
        )
        return AppModel(core: core)
    }

    /// First call, at launch: whether the lock must show. `eraseFirst` (UI tests only)
    /// starts from empty data.
    func start(eraseFirst: Bool = false) async {
        do {
            let status = try await core.write { reader -> LockStatus in
                if eraseFirst { try reader.eraseAll() }
                return try reader.lockStatus()
            }
            pinSet = status.pinSet
            locked = status.locked
        } catch {
            failed(error)
        }
        started = true
    }

    // MARK: - failures and messages

    /// A call to the core failed: the lock when it was refused as locked, else a message.
    func failed(_ error: Error) {
        if case QuireError.Locked? = error as? QuireError {
            lockShows()
        } else if let text = Wording.failure(error) {
            show(text)
        }
    }

    /// Shows `text` for a few seconds (VoiceOver reads it out).
    func show(_ text: String, actionTitle: String? = nil, seconds: Double = 4, action: (() -> Void)? = nil) {
        let shown = Message(text: text, actionTitle: actionTitle, action: action)
        message = shown
        UIAccessibility.post(notification: .announcement, argument: text)
        messageTimer?.cancel()
        messageTimer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            if !Task.isCancelled, self?.message?.id == shown.id { self?.message = nil }
        }
    }

    /// The message's action was tapped.
    func messageAction() {
        let action = message?.action
        message = nil
        action?()
    }

    // MARK: - the lock

    /// The lock must show (a refused call, the core's answer, or the app came back).
    func lockShows() {
        locked = true
        message = nil
    }

    /// The reader unlocked: screens load again.
    func unlocked() {
        locked = false
        unlocks += 1
    }

    /// Whether a PIN is set, after the lock was changed.
    func notePin(_ set: Bool) {
        pinSet = set
    }

    // MARK: - the scene

    /// The scene's phase changed. Returns the check with the core on the way back to the
    /// foreground, if one was started (tests wait for it).
    @discardableResult
    func sceneChanged(to phase: ScenePhase) -> Task<Void, Never>? {
        switch phase {
        case .active:
            covered = false
            guard inBackground else { return nil }
            inBackground = false
            return Task {
                do {
                    let mustLock = try await core.run { try $0.appForegrounded() }
                    if mustLock {
                        lockShows()
                    } else if locked {
                        // Shown at once on the way back; the core says it may go.
                        locked = false
                    }
                } catch {
                    failed(error)
                }
            }
        case .inactive:
            covered = true
        case .background:
            covered = true
            if !inBackground {
                inBackground = true
                core.send { $0.appBackgrounded() }
                // With a PIN the lock shows at once on return, until the core answers.
                if pinSet { lockShows() }
            }
        @unknown default:
            covered = true
        }
        return nil
    }

    // MARK: - quick exit

    /// Quick exit: a neutral screen at once, every screen and its state dropped, the
    /// core's session forgotten (and the lock engaged when a PIN is set). iOS has no
    /// public way for an app to quit itself, so the app stays open on the neutral screen.
    @discardableResult
    func quickExit() -> Task<Void, Never> {
        exited = true
        path = []
        message = nil
        session = UUID()
        if pinSet { locked = true }
        return Task {
            do {
                try await core.write { try $0.quickExit() }
            } catch {
                failed(error)
            }
        }
    }

    /// The reader left the neutral screen: a fresh search screen, or the lock.
    func leaveNeutralScreen() {
        exited = false
    }
}
