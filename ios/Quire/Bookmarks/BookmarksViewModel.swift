import Foundation
import QuireCore

/// The bookmarks: newest first, searchable by title and note words, each note editable,
/// removal undoable. Under discreet display the core gives neutral labels and only says
/// that a note exists; an article no longer in the bundle is listed as such, and kept.
@MainActor
final class BookmarksViewModel: ObservableObject {
    /// The search field; every change lists the matching bookmarks.
    @Published var text = "" {
        didSet { if text != oldValue { refresh() } }
    }
    @Published private(set) var items: [BookmarkItem] = []
    @Published private(set) var loaded = false

    private let app: AppModel
    private let typing = AsYouType()

    init(app: AppModel) {
        self.app = app
    }

    func load() async {
        refresh()
        await settle()
    }

    /// Lists the bookmarks matching the field (all of them when it is empty).
    func refresh() {
        let text = self.text
        let everything = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let app = self.app
        typing.ask { [weak self] isLatest in
            do {
                let found = try await app.core.run { reader in
                    try everything ? reader.bookmarks() : reader.searchBookmarks(text: text)
                }
                guard let self, isLatest() else { return }
                self.items = found
                self.loaded = true
            } catch {
                app.failed(error)
            }
        }
    }

    /// Waits until the last listing asked for is on screen.
    func settle() async {
        await typing.settle()
    }

    /// Changes (or, emptied, removes) the note of `item`'s bookmark.
    func editNote(_ item: BookmarkItem, note: String) async {
        let id = item.item.articleId
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try await app.core.write { try $0.setBookmarkNote(id: id, note: trimmed.isEmpty ? nil : trimmed) }
            refresh()
            await settle()
        } catch {
            app.failed(error)
        }
    }

    /// Removes `item`'s bookmark, with "Undo" for a few seconds.
    func remove(_ item: BookmarkItem) async {
        let id = item.item.articleId
        do {
            let removed = try await app.core.write { try $0.removeBookmark(id: id) }
            refresh()
            await settle()
            guard let removed else { return }
            app.show("Bookmark removed", actionTitle: "Undo", seconds: 6) { [weak self] in
                Task { await self?.restore(removed) }
            }
        } catch {
            app.failed(error)
        }
    }

    /// Puts a removed bookmark back as it was (same note, same date).
    func restore(_ bookmark: Bookmark) async {
        do {
            _ = try await app.core.write { try $0.restoreBookmark(bookmark: bookmark) }
            refresh()
            await settle()
        } catch {
            app.failed(error)
        }
    }
}
