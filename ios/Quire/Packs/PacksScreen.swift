import QuireCore
import SwiftUI
import UniformTypeIdentifiers

/// The article packs screen (Settings > Article packs).
struct PacksScreen: View {
    @EnvironmentObject private var app: AppModel
    @StateObject private var model: PacksViewModel
    @State private var picking = false
    @State private var removing: PackSummary?

    init(app: AppModel) {
        _model = StateObject(wrappedValue: PacksViewModel(app: app))
    }

    var body: some View {
        List {
            Section {
                ForEach(model.packs, id: \.id) { pack in
                    row(pack)
                }
            }
            Section {
                Button("Add a pack from a file") { picking = true }
                    .accessibilityIdentifier("addPack")
            } footer: {
                Text("Checked on this phone before anything is added. Nothing is sent anywhere.")
            }
        }
        .navigationTitle("Article packs")
        .quickExitToolbar()
        .loadsAfterUnlock(app) { await model.load() }
        .fileImporter(isPresented: $picking, allowedContentTypes: [.data]) { result in
            Task { await model.picked(result) }
        }
        .alert(item: $model.pending) { p in
            Alert(
                title: Text(p.title),
                message: Text(p.message),
                primaryButton: .default(Text(p.confirm)) { Task { await model.confirm() } },
                secondaryButton: .cancel()
            )
        }
        .confirmationDialog(
            removing.map { "Remove “\($0.name)”?" } ?? "",
            isPresented: Binding(get: { removing != nil }, set: { if !$0 { removing = nil } }),
            titleVisibility: .visible
        ) {
            Button("Remove", role: .destructive) {
                if let p = removing { Task { await model.remove(p) } }
                removing = nil
            }
        } message: {
            Text("Its articles leave this phone. Your bookmarks in it are kept and come back if you add the pack again.")
        }
    }

    private func row(_ p: PackSummary) -> some View {
        let signer = p.builtin ? "Comes with the app" : (p.publisher.map { "Publisher key \($0)" } ?? "Not signed")
        let line = p.builtin ? "\(p.articles) articles · \(signer)" : "\(p.articles) articles · version \(p.version) · \(signer)"
        return VStack(alignment: .leading, spacing: 2) {
            Text(p.name).font(.headline)
            Text(line).font(.subheadline).foregroundColor(.secondary)
        }
        .accessibilityElement(children: .combine)
        .swipeActions {
            if !p.builtin {
                Button("Remove", role: .destructive) { removing = p }
            }
        }
    }
}
