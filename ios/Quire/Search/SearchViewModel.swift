import Foundation
import QuireCore

/// The search screen: results as the reader types (answers to older text dropped),
/// "did you mean", title suggestions, and with nothing typed the recent searches and
/// recently read articles (only when the reader turned those on).
@MainActor
final class SearchViewModel: ObservableObject {
    /// The text in the field; every change is a search.
    @Published var text = "" {
        didSet { if text != oldValue { query(submitted: false) } }
    }
    /// The answer on screen; nil with nothing typed.
    @Published private(set) var page: SearchPage?
    @Published private(set) var recent: [RecentItem] = []
    @Published private(set) var history: [HistoryItem] = []

    private let app: AppModel
    private let typing = AsYouType()

    init(app: AppModel) {
        self.app = app
    }

    /// Loads the screen: the repair report once, then the session's last search (none
    /// after quick exit), or the idle lists.
    func load() async {
        let app = self.app
        do {
            if !app.recoveryShown {
                let report = try await app.core.run { $0.recovery() }
                app.recoveryShown = true
                if report?.lostAnything == true { app.show(Wording.dataRepaired, seconds: 10) }
            }
            let last = try await app.core.run { $0.lastQuery() }
            if let last, text.isEmpty {
                text = last
            } else {
                query(submitted: false)
            }
        } catch {
            app.failed(error)
        }
        await settle()
    }

    /// The reader pressed search: the same search, recorded if recent searches are on.
    func submit() {
        query(submitted: true)
    }

    /// Puts the "did you mean" words in the field (only when the results are not already
    /// for them).
    func useSuggestion() {
        guard let page, let fix = page.suggestion, !page.corrected else { return }
        text = fix
    }

    /// Waits until the last search asked for has been answered.
    func settle() async {
        await typing.settle()
    }

    private func query(submitted: Bool) {
        let text = self.text
        let app = self.app
        typing.ask { [weak self] isLatest in
            do {
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    let (recent, history) = try await app.core.run { reader in
                        (try reader.recentSearches(), try reader.history())
                    }
                    guard let self, isLatest() else { return }
                    self.page = nil
                    self.recent = Array(recent.prefix(5))
                    self.history = Array(history.prefix(5))
                    return
                }
                let request = SearchRequest(text: text, limit: 20, suggestions: 3, submitted: submitted)
                let answer = try await app.core.run { reader -> SearchPage? in
                    // Stale before its turn came: skip it (a submitted search still counts).
                    guard submitted || isLatest() else { return nil }
                    return try reader.search(request: request)
                }
                if let answer, isLatest() { self?.page = answer }
            } catch {
                app.failed(error)
            }
        }
    }
}
