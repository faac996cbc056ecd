import Foundation
import QuireCore

/// Article packs: the built-in articles and every installed pack, a pack file checked
/// whole by the core before the reader is asked anything, then added with the reader's
/// answer (trusting a new publisher after seeing its fingerprint, an unsigned file "anyway",
/// an older version), and removed.
@MainActor
final class PacksViewModel: ObservableObject {
    /// A checked file and what adding it would do, waiting for the reader's answer.
    struct Pending: Identifiable {
        let id = UUID()
        let url: URL
        let offer: PackOffer

        /// What the reader is agreeing to by confirming.
        var options: InstallOptions {
            let p = offer.pack
            return InstallOptions(
                trustPublisher: p.publisher != nil && !offer.trusted,
                allowUnsigned: p.publisher == nil,
                allowDowngrade: offer.installedVersion.map { p.version < $0 } ?? false
            )
        }

        var title: String { "Add “\(offer.pack.name)”?" }

        var message: String {
            let p = offer.pack
            let what: String
            switch offer.installedVersion {
            case nil: what = "\(p.articles) articles, version \(p.version)."
            case let v? where p.version > v:
                what = "Updates version \(v) to version \(p.version). Your bookmarks and reading places are kept."
            case let v? where p.version < v: what = "Version \(p.version) is older than the version \(v) you have."
            case _?: what = "You have this version (\(p.version)) already; it will be added again."
            }
            let who: String
            if let key = p.publisher {
                who = offer.trusted
                    ? "Signed by a publisher you trust:\n\(key)"
                    : "Signed by a publisher you have not added from before. Its key:\n\n\(key)\n\nAdd it only if this matches the key the publisher gave you."
            } else {
                who = "Not signed: anyone could have made or changed this file. Add it only if you trust where it came from."
            }
            return what + "\n\n" + who
        }

        var confirm: String {
            let p = offer.pack
            if p.publisher == nil { return "Add anyway" }
            if !offer.trusted { return "Trust and add" }
            if let v = offer.installedVersion, p.version < v { return "Add older version" }
            return "Add"
        }
    }

    @Published private(set) var packs: [PackSummary] = []
    @Published var pending: Pending?
    private let app: AppModel

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        do {
            packs = try await app.core.run { try $0.packs() }
        } catch {
            app.failed(error)
        }
    }

    /// Checks the file the reader picked; on success asks them (`pending`).
    func picked(_ result: Result<URL, Error>) async {
        guard case .success(let url) = result else {
            app.show(Wording.fileFailed)
            return
        }
        do {
            let offer = try await app.core.run { reader in
                try Self.scoped(url) { try reader.inspectPack(path: $0) }
            }
            pending = Pending(url: url, offer: offer)
        } catch {
            show(error)
        }
    }

    /// Adds the pending pack with what the reader agreed to.
    func confirm() async {
        guard let p = pending else { return }
        pending = nil
        do {
            let options = p.options
            let (done, all) = try await app.core.write { reader in
                (try Self.scoped(p.url) { try reader.installPack(path: $0, options: options) }, try reader.packs())
            }
            packs = all
            app.show(done.previousVersion == nil
                ? "Added “\(done.pack.name)”."
                : "Updated “\(done.pack.name)” to version \(done.pack.version).")
        } catch {
            show(error)
        }
    }

    func remove(_ pack: PackSummary) async {
        do {
            packs = try await app.core.write { reader in
                try reader.removePack(id: pack.id)
                return try reader.packs()
            }
            app.show("Removed “\(pack.name)”.")
        } catch {
            app.failed(error)
        }
    }

    private func show(_ error: Error) {
        switch error as? QuireError {
        case .BadSignature?:
            app.show("This file was changed after its publisher signed it. It was not added.")
        case .DamagedBundle?, .NotABundle?, .UnsupportedBundleVersion?:
            app.show("This file is damaged or not an article pack. It was not added.")
        case .NotAPack?:
            app.show("This file holds articles but is not a pack. It was not added.")
        case .PackConflict?:
            app.show("A pack with this name from another publisher is already here. Remove it first.")
        default:
            app.failed(error)
        }
    }

    /// Runs `work` on the path of a file the picker handed over, inside its security scope.
    private nonisolated static func scoped<T>(_ url: URL, _ work: (String) throws -> T) throws -> T {
        let scoped = url.startAccessingSecurityScopedResource()
        defer { if scoped { url.stopAccessingSecurityScopedResource() } }
        return try work(url.path)
    }
}
