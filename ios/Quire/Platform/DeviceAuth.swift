import LocalAuthentication

/// The device's own authentication (Face ID, Touch ID or the device passcode), offered on
/// the lock screen when the reader allowed it. Success only lets the core unlock
/// (`unlockWithDeviceAuth()`); the core decides whether that is allowed.
enum DeviceAuth {
    /// Whether the device can authenticate its owner at all (a passcode is set).
    static func available() -> Bool {
        LAContext().canEvaluatePolicy(.deviceOwnerAuthentication, error: nil)
    }

    /// Asks the system to authenticate the device owner; true when it succeeded.
    static func authenticate(reason: String) async -> Bool {
        let context = LAContext()
        return await withCheckedContinuation { continuation in
            context.evaluatePolicy(.deviceOwnerAuthentication, localizedReason: reason) { success, _ in
                continuation.resume(returning: success)
            }
        }
    }
}
