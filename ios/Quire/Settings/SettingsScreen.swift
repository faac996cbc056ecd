import QuireCore
import SwiftUI
import UniformTypeIdentifiers

/// The settings screen. Every switch writes to the core at once and shows what the core
/// kept; history and recent searches are off until the reader turns them on.
struct SettingsScreen: View {
    @EnvironmentObject private var app: AppModel
    @StateObject private var model: SettingsViewModel
    @State private var lockSheet: LockSheetKind?
    @State private var export: ExportDocument?
    @State private var exporting = false
    @State private var importing = false
    @State private var confirmingErase = false
    @State private var icon = AppIcon.quire

    init(app: AppModel) {
        _model = StateObject(wrappedValue: SettingsViewModel(app: app))
    }

    private var pinSet: Bool { model.lock?.pinSet == true }

    var body: some View {
        Form {
            privacy
            lock
            appIcon
            articles
            data
        }
        .disabled(model.settings == nil)
        .navigationTitle("Settings")
        .quickExitToolbar()
        .loadsAfterUnlock(app) {
            icon = AppIcon.current
            await model.load()
        }
        .sheet(item: $lockSheet) { kind in LockSheet(kind: kind, model: model) }
        .fileExporter(
            isPresented: $exporting,
            document: export,
            contentType: .json,
            defaultFilename: Self.exportName()
        ) { result in
            model.exported(result)
            export = nil
        }
        .fileImporter(isPresented: $importing, allowedContentTypes: [.json, .plainText, .data]) { result in
            Task { await model.importFile(result) }
        }
        .eraseAllAlert(isPresented: $confirmingErase) { Task { await model.eraseAll() } }
    }

    private var privacy: some View {
        Section {
            Toggle("Keep a reading history", isOn: setting(\.historyEnabled))
                .accessibilityIdentifier("historyToggle")
            Toggle("Keep recent searches", isOn: setting(\.recentSearchesEnabled))
                .accessibilityIdentifier("recentToggle")
            Picker("Forget history and searches after", selection: retention) {
                Text("1 day").tag(1)
                Text("7 days").tag(7)
                Text("30 days").tag(30)
                Text("Never").tag(0)
            }
            Toggle("Discreet display", isOn: setting(\.discreetDisplay))
                .accessibilityIdentifier("discreetToggle")
            Toggle("Quick exit clears recent searches", isOn: setting(\.clearRecentSearchesOnQuickExit))
        } header: {
            Text("Privacy")
        } footer: {
            Text("History and recent searches are off by default; turning one off deletes it. Only searches you submit are kept. Discreet display shows neutral labels instead of titles, and no snippets or notes, in every list.")
        }
    }

    private var lock: some View {
        Section {
            Button(pinSet ? "Change PIN" : "Set a PIN or passphrase") { lockSheet = .setPin }
                .accessibilityIdentifier("setPin")
            if pinSet {
                Button("Lock options") { lockSheet = .options }
                    .accessibilityIdentifier("lockOptions")
                Button("Remove PIN", role: .destructive) { lockSheet = .removePin }
                    .accessibilityIdentifier("removePin")
            }
        } header: {
            Text("App lock")
        } footer: {
            Text(pinSet ? "On. Asked when the app opens or comes back." : "Off. Ask for a PIN when the app opens.")
        }
    }

    private var appIcon: some View {
        Section {
            Picker("Icon on the home screen", selection: $icon) {
                ForEach(AppIcon.allCases) { choice in
                    Text(choice.label).tag(choice)
                }
            }
            .disabled(!AppIcon.supported)
            .onChange(of: icon) { chosen in
                Task {
                    if !(await AppIcon.choose(chosen)) { icon = AppIcon.current }
                }
            }
        } header: {
            Text("App icon")
        } footer: {
            Text("A neutral icon can stand in for Quire's. The name under it stays “Quire”.")
        }
    }

    private var articles: some View {
        Section {
            NavigationLink(value: Route.packs) { Text("Article packs") }
                .accessibilityIdentifier("packs")
        } header: {
            Text("Articles")
        } footer: {
            Text("Add articles from a clinic, a charity or a school.")
        }
    }

    private var data: some View {
        Section {
            Button("Export my data") {
                Task {
                    export = await model.exportDocument()
                    exporting = export != nil
                }
            }
            .accessibilityIdentifier("export")
            Button("Import data") { importing = true }
                .accessibilityIdentifier("import")
            Button("Erase all my data", role: .destructive) { confirmingErase = true }
                .accessibilityIdentifier("eraseAll")
        } header: {
            Text("Your data")
        } footer: {
            Text("An export holds your bookmarks, notes, positions and settings, in a file you choose. Never the PIN.")
        }
    }

    /// A switch bound to one of the reader's settings.
    private func setting(_ key: WritableKeyPath<ReaderSettings, Bool>) -> Binding<Bool> {
        Binding(
            get: { model.settings?[keyPath: key] ?? false },
            set: { on in Task { await model.change { $0[keyPath: key] = on } } }
        )
    }

    /// "Forget after" in days, 0 for never.
    private var retention: Binding<Int> {
        Binding(
            get: { Int(model.retentionDays ?? 0) },
            set: { days in Task { await model.setRetention(days == 0 ? nil : UInt32(days)) } }
        )
    }

    /// A neutral file name: it shows in the file picker and in the Files app.
    static func exportName(_ date: Date = Date()) -> String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "yyyy-MM-dd"
        return "backup-\(format.string(from: date))"
    }
}
