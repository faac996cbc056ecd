import QuireCore
import SwiftUI

/// One item of a list (a result, a title suggestion, a bookmark, a recently read or
/// related article): its title or neutral label, the snippet with the matched words
/// marked, and "no longer available" for an article that is not in the bundle.
struct ListItemRow: View {
    let item: ListItem
    /// A line under the title (a bookmark's note, or "Has a note").
    var detail: Text?
    var unavailableText = "No longer available"

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            // Title suggestions mark their title; results their snippet.
            Text(item.snippet.isEmpty ? Marks.marked(item.title, item.highlights) : AttributedString(item.title))
                .font(.headline)
                .foregroundColor(item.available ? .primary : .secondary)
            // A pack's article says where it is from (the core leaves the name out under
            // discreet display); the built-in articles need no such line.
            if !item.packName.isEmpty && item.packId != "quire-builtin" {
                Text("From \(item.packName)")
                    .font(.footnote)
                    .foregroundColor(.accentColor)
            }
            if !item.snippet.isEmpty {
                Text(Marks.marked(item.snippet, item.highlights))
                    .font(.subheadline)
                    .foregroundColor(.secondary)
                    .lineLimit(4)
                    .privacySensitive()
            }
            if let detail {
                detail
                    .font(.subheadline)
                    .foregroundColor(.secondary)
                    .lineLimit(3)
                    .privacySensitive()
            }
            if !item.available {
                Text(unavailableText)
                    .font(.footnote)
                    .foregroundColor(.secondary)
            }
        }
        .padding(.vertical, 4)
        .frame(maxWidth: .infinity, alignment: .leading)
        .contentShape(Rectangle())
        .accessibilityElement(children: .combine)
    }
}

/// A plain message in place of a list (nothing typed, no results, no bookmarks).
struct EmptyState: View {
    let title: String
    var detail: String?

    var body: some View {
        VStack(spacing: 8) {
            Text(title)
                .font(.title3.weight(.semibold))
                .multilineTextAlignment(.center)
                .accessibilityAddTraits(.isHeader)
            if let detail {
                Text(detail)
                    .font(.body)
                    .foregroundColor(.secondary)
                    .multilineTextAlignment(.center)
            }
        }
        .frame(maxWidth: .infinity)
        .padding(.vertical, 24)
        .accessibilityElement(children: .combine)
        .accessibilityIdentifier("emptyState")
    }
}

/// The quick exit button: in every screen's toolbar and on the lock screen.
struct QuickExitButton: View {
    @EnvironmentObject private var app: AppModel

    var body: some View {
        Button("Exit") { app.quickExit() }
            .buttonStyle(.borderedProminent)
            .tint(Color("Exit"))
            .accessibilityLabel("Quick exit: leave the app now")
            .accessibilityIdentifier("quickExit")
    }
}

extension View {
    /// The toolbar item every screen has: quick exit, always in sight.
    @MainActor
    func quickExitToolbar() -> some View {
        toolbar {
            ToolbarItem(placement: .navigationBarTrailing) { QuickExitButton() }
        }
    }

    /// Loads the screen when it first shows and again after each unlock (a call refused
    /// while locked is asked again).
    @MainActor
    func loadsAfterUnlock(_ app: AppModel, _ load: @escaping @MainActor () async -> Void) -> some View {
        task(id: app.unlocks) { await load() }
    }
}

extension View {
    /// The confirmation before erasing all the reader's data (settings, lock screen).
    @MainActor
    func eraseAllAlert(isPresented: Binding<Bool>, erase: @escaping () -> Void) -> some View {
        alert("Erase all your data?", isPresented: isPresented) {
            Button("Cancel", role: .cancel) {}
            Button("Erase", role: .destructive, action: erase)
        } message: {
            Text("This deletes your bookmarks, notes, reading positions, history, recent searches, settings and the PIN from this phone. It cannot be undone.")
        }
    }
}

/// What the app's sheets share: an inline title, Cancel (closes the sheet) and Save.
struct SheetChrome: ViewModifier {
    let title: String
    let saveIdentifier: String
    var saveDisabled = false
    let onSave: () -> Void
    @Environment(\.dismiss) private var dismiss

    func body(content: Content) -> some View {
        content
            .navigationTitle(title)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("Cancel") { dismiss() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button("Save", action: onSave)
                        .disabled(saveDisabled)
                        .accessibilityIdentifier(saveIdentifier)
                }
            }
    }
}
