import QuireCore
import SwiftUI

/// The bookmarks screen: a search field, the list (newest first) with notes, swipe or
/// VoiceOver actions to edit a note or remove a bookmark (with undo), and unavailable
/// articles shown as such.
struct BookmarksScreen: View {
    @EnvironmentObject private var app: AppModel
    @StateObject private var model: BookmarksViewModel
    @State private var editing: BookmarkItem?

    init(app: AppModel) {
        _model = StateObject(wrappedValue: BookmarksViewModel(app: app))
    }

    var body: some View {
        List {
            Section {
                PrivateTextField(
                    label: "Search bookmarks",
                    text: $model.text,
                    returnKey: .search,
                    identifier: "bookmarksSearch"
                )
                .frame(minHeight: 44)
            }
            Section {
                if model.loaded && model.items.isEmpty {
                    if model.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        EmptyState(
                            title: "No bookmarks yet",
                            detail: "Open an article and tap the bookmark button to keep it here, with a note if you like."
                        )
                    } else {
                        EmptyState(title: "No bookmarks match “\(model.text)”.")
                    }
                }
                ForEach(Array(model.items.enumerated()), id: \.element.item.articleId) { i, bookmark in
                    row(bookmark)
                        .accessibilityIdentifier("bookmark-\(i)")
                }
            }
        }
        .listStyle(.insetGrouped)
        .navigationTitle("Bookmarks")
        .quickExitToolbar()
        .loadsAfterUnlock(app) { await model.load() }
        .sheet(item: $editing) { bookmark in
            NoteSheet(
                title: "Edit note",
                note: bookmark.note ?? "",
                onSave: { note in Task { await model.editNote(bookmark, note: note) } }
            )
        }
    }

    @ViewBuilder
    private func row(_ bookmark: BookmarkItem) -> some View {
        let item = bookmark.item
        // A hidden note (discreet display) cannot be edited blind: edit it with discreet
        // display off.
        let canEdit = bookmark.note != nil || !bookmark.hasNote
        let label = ListItemRow(
            item: item,
            detail: Self.detail(bookmark),
            unavailableText: "No longer available. Kept with your note."
        )
        Group {
            if item.available {
                NavigationLink(value: Route.article(id: item.articleId, highlight: nil)) { label }
            } else {
                label
            }
        }
        .swipeActions(edge: .trailing) {
            Button(role: .destructive) {
                Task { await model.remove(bookmark) }
            } label: {
                Label("Remove", systemImage: "trash")
            }
            if canEdit {
                Button {
                    editing = bookmark
                } label: {
                    Label("Edit note", systemImage: "square.and.pencil")
                }
            }
        }
        // VoiceOver offers the swipe actions as the row's actions.
    }

    private static func detail(_ bookmark: BookmarkItem) -> Text? {
        if let note = bookmark.note { return Text(note) }
        if bookmark.hasNote { return Text("Has a note").italic() }
        return nil
    }
}

extension BookmarkItem: Identifiable {
    var id: String { item.articleId }
}
