import Foundation

/// Numbers each request of a screen that asks as the reader types: an answer to older
/// text is dropped, and a request already stale when the core's queue reaches it is
/// skipped (`isLatest`, from either thread).
final class RequestSequence: @unchecked Sendable {
    private let lock = NSLock()
    private var latest = 0

    /// A number for a new request; every earlier one is now stale.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        latest += 1
        return latest
    }

    /// Whether `n` is still the newest request (any thread).
    func isLatest(_ n: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return n == latest
    }
}
