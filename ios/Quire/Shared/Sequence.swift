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

/// The requests of a screen that asks the core as the reader types (search, bookmarks):
/// each new one makes the earlier ones stale, and the tests can wait for the last.
@MainActor
final class AsYouType {
    private let sequence = RequestSequence()
    private var last: Task<Void, Never>?

    /// Starts `work` for the newest text. `isLatest` says, on any thread, whether it still
    /// is the newest: check it before asking the core and before showing the answer.
    func ask(_ work: @escaping @MainActor (_ isLatest: @escaping @Sendable () -> Bool) async -> Void) {
        let n = sequence.next()
        let sequence = self.sequence
        last = Task { await work { sequence.isLatest(n) } }
    }

    /// Waits until the last request asked for has been answered.
    func settle() async {
        while let task = last {
            await task.value
            if last == task { last = nil }
        }
    }
}
