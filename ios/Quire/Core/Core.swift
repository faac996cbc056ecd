import Foundation
import QuireCore

/// The one `Reader` of the process, used from one serial background queue.
///
/// Every Reader call blocks (a search takes about a millisecond, opening an article or
/// hashing a PIN tens of milliseconds), so no screen calls it on the main thread: `run`
/// hands the work to this object's queue, in the order asked, and resumes the caller with
/// the answer. The reader is opened there too, by the first call.
final class Core: @unchecked Sendable {
    private let queue = DispatchQueue(label: "org.quire.core", qos: .userInitiated)
    private let open: () throws -> Reader
    private let afterWrite: () -> Void

    /// Touched on `queue` only.
    private var reader: Reader?

    /// - Parameters:
    ///   - open: opens the reader (on the core's queue, at the first call).
    ///   - afterWrite: runs on the core's queue after each call made with `write`
    ///     (the app sets the data files' backup exclusion and protection again).
    init(open: @escaping () throws -> Reader, afterWrite: @escaping () -> Void = {}) {
        self.open = open
        self.afterWrite = afterWrite
    }

    /// Runs `work` with the reader on the core's queue and returns its answer.
    func run<T>(_ work: @escaping (Reader) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work(try self.opened()) })
            }
        }
    }

    /// As `run`, for work that changes the reader's data.
    func write<T>(_ work: @escaping (Reader) throws -> T) async throws -> T {
        try await run { reader in
            defer { self.afterWrite() }
            return try work(reader)
        }
    }

    /// Queues `work` and does not wait for it (cheap calls whose answer nobody needs).
    func send(_ work: @escaping (Reader) throws -> Void) {
        queue.async { _ = try? work(try self.opened()) }
    }

    private func opened() throws -> Reader {
        if let reader { return reader }
        let fresh = try open()
        reader = fresh
        return fresh
    }
}
