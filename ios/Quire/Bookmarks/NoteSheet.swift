import SwiftUI

/// The sheet that edits a bookmark's note (optional), from the article and from the
/// bookmarks list; "Remove bookmark" when there is one to remove.
struct NoteSheet: View {
    let title: String
    @State var note: String
    let onSave: (String) -> Void
    var onRemove: (() -> Void)?
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    ZStack(alignment: .topLeading) {
                        if note.isEmpty {
                            Text("Note (optional)")
                                .foregroundColor(.secondary)
                                .padding(.top, 8)
                                .padding(.leading, 4)
                                .accessibilityHidden(true)
                        }
                        PrivateTextView(label: "Note (optional)", text: $note, identifier: "noteField")
                            .frame(minHeight: 120)
                    }
                } footer: {
                    Text("Notes stay on this phone. Discreet display hides them in lists.")
                }
                if let onRemove {
                    Section {
                        Button("Remove bookmark", role: .destructive) {
                            onRemove()
                            dismiss()
                        }
                        .accessibilityIdentifier("removeBookmark")
                    }
                }
            }
            .modifier(SheetChrome(title: title, saveIdentifier: "saveNote") {
                onSave(note)
                dismiss()
            })
        }
    }
}
