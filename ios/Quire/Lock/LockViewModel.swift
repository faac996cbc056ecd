import Foundation
import QuireCore

/// The lock screen: the PIN or passphrase, the core's answer (wrong, the wait after wrong
/// attempts, the attempts left before everything is erased), device authentication when
/// the reader allowed it, and erasing everything for a forgotten PIN.
@MainActor
final class LockViewModel: ObservableObject {
    @Published var pin = ""
    /// What the last attempt said ("Wrong PIN. 2 attempts left…"); empty before one.
    @Published private(set) var status = ""
    /// No attempt is sent before this moment (the core's back-off, which survives a
    /// restart); nil when there is no wait.
    @Published private(set) var waitUntil: Date?
    @Published private(set) var deviceAuthAllowed = false
    @Published private(set) var busy = false

    private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    /// Asks the core for the lock's state: unlocked already, the wait, device auth.
    func refresh() async {
        do {
            let lock = try await app.core.run { try $0.lockStatus() }
            guard lock.locked else { return app.unlocked() }
            deviceAuthAllowed = lock.deviceAuth
            if lock.retryAfterMs > 0 { wait(lock.retryAfterMs) }
        } catch {
            status = Wording.somethingWentWrong
        }
    }

    /// Seconds still to wait at `now` (0: an attempt may be made).
    func secondsLeft(at now: Date = Date()) -> Int {
        guard let waitUntil, waitUntil > now else { return 0 }
        return Int(waitUntil.timeIntervalSince(now).rounded(.up))
    }

    var canAttempt: Bool { !pin.isEmpty && !busy && secondsLeft() == 0 }

    func attempt() async {
        guard canAttempt else { return }
        let typed = pin
        pin = ""
        busy = true
        defer { busy = false }
        do {
            let answer = try await app.core.write { reader -> (PinCheck, Bool) in
                let check = try reader.unlock(pin: typed)
                return (check, try reader.lockStatus().pinSet)
            }
            app.notePin(answer.1)
            answered(answer.0)
        } catch {
            status = Wording.somethingWentWrong
        }
    }

    private func answered(_ check: PinCheck) {
        switch check {
        case .unlocked, .noPin:
            status = ""
            app.unlocked()
        case .wrong(let retryAfterMs, let attemptsBeforeErase):
            var text = Wording.wrongPin
            if let left = attemptsBeforeErase {
                text += " \(left) attempts left before everything is erased."
            }
            status = text
            if retryAfterMs > 0 { wait(retryAfterMs) }
        case .tooSoon(let retryAfterMs):
            wait(retryAfterMs)
        case .erased:
            status = ""
            app.unlocked()
            app.show("Too many wrong attempts: all data was erased.", seconds: 8)
        }
    }

    private func wait(_ ms: UInt64) {
        waitUntil = Date().addingTimeInterval(Double(ms) / 1000)
    }

    /// Face ID, Touch ID or the device passcode, then the core's consent.
    func deviceAuth() async {
        guard deviceAuthAllowed else { return }
        guard await DeviceAuth.authenticate(reason: "Unlock the app") else { return }
        do {
            if try await app.core.run({ try $0.unlockWithDeviceAuth() }) { app.unlocked() }
        } catch {
            status = Wording.somethingWentWrong
        }
    }

    /// "Forgot the PIN?": erases everything (allowed on the lock screen).
    func eraseEverything() async {
        do {
            try await app.core.write { try $0.eraseAll() }
            app.notePin(false)
            app.unlocked()
            app.show("All your data is erased.")
        } catch {
            status = Wording.somethingWentWrong
        }
    }
}
