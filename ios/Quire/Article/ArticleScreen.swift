import QuireCore
import SwiftUI

/// Each drawn block's frame in the article's scroll view, reported while scrolling.
struct BlockFrames: PreferenceKey {
    static let defaultValue: [Int: CGRect] = [:]

    static func reduce(value: inout [Int: CGRect], nextValue: () -> [Int: CGRect]) {
        value.merge(nextValue()) { $1 }
    }
}

/// The article screen: the core's blocks drawn natively, the searched words marked and
/// the first scrolled to (else the place the reader left), the position saved on leaving,
/// a bookmark with an optional note, related articles, and links (another article opens
/// here; an address outside asks first).
struct ArticleScreen: View {
    @EnvironmentObject private var app: AppModel
    @Environment(\.scenePhase) private var scenePhase
    @Environment(\.openURL) private var systemOpenURL
    @StateObject private var model: ArticleViewModel
    @State private var editingBookmark = false
    @State private var leavingFor: URL?

    private static let space = "article"

    init(app: AppModel, id: String, highlight: String?) {
        _model = StateObject(wrappedValue: ArticleViewModel(app: app, id: id, highlight: highlight))
    }

    var body: some View {
        content
            .navigationTitle(model.opened?.view.title ?? "")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .navigationBarTrailing) {
                    Button { editingBookmark = true } label: {
                        Image(systemName: model.bookmark == nil ? "bookmark" : "bookmark.fill")
                    }
                    .disabled(model.opened == nil)
                    .accessibilityLabel(model.bookmark == nil ? "Bookmark this article" : "Edit bookmark")
                    .accessibilityIdentifier("bookmarkButton")
                }
            }
            .quickExitToolbar()
            .sheet(isPresented: $editingBookmark) { noteSheet }
            .alert(
                "Open this link outside the app?",
                isPresented: Binding(get: { leavingFor != nil }, set: { if !$0 { leavingFor = nil } }),
                presenting: leavingFor
            ) { url in
                Button("Cancel", role: .cancel) {}
                Button("Open") { systemOpenURL(url) }
            } message: { url in
                Text("\(url.host ?? url.absoluteString) will open in your browser. The website will know that someone visited it, and your browser may remember it.")
            }
            .environment(\.openURL, OpenURLAction { url in follow(url) })
            .loadsAfterUnlock(app) { await model.load() }
            .onChange(of: scenePhase) { phase in
                if phase != .active { Task { await model.savePosition() } }
            }
            .onDisappear {
                Task { await model.savePosition() }
                let route = Route.article(id: model.id, highlight: model.highlight)
                if !app.path.contains(route) { model.close() }
            }
    }

    @ViewBuilder
    private var content: some View {
        if model.unavailable {
            EmptyState(title: "This article is no longer available.")
        } else if let article = model.opened {
            ScrollViewReader { proxy in
                ScrollView {
                    VStack(alignment: .leading, spacing: 0) {
                        header(article.view)
                        ForEach(model.blocks) { block in
                            BlockView(block: block)
                                .id(block.id)
                                .background(GeometryReader { geometry in
                                    Color.clear.preference(
                                        key: BlockFrames.self,
                                        value: [block.id: geometry.frame(in: .named(Self.space))]
                                    )
                                })
                        }
                        footer(article)
                    }
                    .padding(.horizontal, 20)
                    .padding(.bottom, 48)
                    .frame(maxWidth: 720, alignment: .leading)
                    .frame(maxWidth: .infinity)
                }
                .coordinateSpace(name: Self.space)
                .onPreferenceChange(BlockFrames.self) { frames in model.tracker.frames = frames }
                .onChange(of: model.scrollTarget) { target in
                    guard let target else { return }
                    DispatchQueue.main.async {
                        proxy.scrollTo(target, anchor: .top)
                        model.scrollTarget = nil
                    }
                }
                .accessibilityIdentifier("articleScroll")
            }
        } else {
            ProgressView()
                .accessibilityLabel("Opening the article")
        }
    }

    private func header(_ view: QuireCore.ArticleView) -> some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(view.title)
                .font(.largeTitle.weight(.bold))
                .accessibilityAddTraits(.isHeader)
                .accessibilityIdentifier("articleTitle")
                .textSelection(.enabled)
            Text(([view.published].compactMap { $0 } + ["\(view.readingMinutes) min read"]).joined(separator: " · "))
                .font(.subheadline)
                .foregroundColor(.secondary)
            if !view.summary.isEmpty {
                Text(view.summary)
                    .font(.title3)
                    .foregroundColor(.secondary)
                    .textSelection(.enabled)
            }
        }
        .padding(.top, 12)
        .padding(.bottom, 20)
    }

    @ViewBuilder
    private func footer(_ article: OpenedArticle) -> some View {
        if let source = article.view.source {
            Text(source)
                .font(.footnote)
                .foregroundColor(.secondary)
                .padding(.top, 24)
                .textSelection(.enabled)
        }
        if !article.related.isEmpty {
            Text("Related articles")
                .font(.title3.weight(.semibold))
                .accessibilityAddTraits(.isHeader)
                .padding(.top, 32)
                .padding(.bottom, 4)
            ForEach(Array(article.related.enumerated()), id: \.offset) { _, item in
                NavigationLink(value: Route.article(id: item.articleId, highlight: nil)) {
                    ListItemRow(item: item)
                }
                .buttonStyle(.plain)
                Divider()
            }
        }
    }

    private var noteSheet: some View {
        NoteSheet(
            title: model.bookmark == nil ? "Bookmark this article" : "Edit bookmark",
            note: model.bookmark?.note ?? "",
            onSave: { note in Task { await model.saveBookmark(note: note) } },
            onRemove: model.bookmark == nil ? nil : { Task { await model.removeBookmark() } }
        )
    }

    /// A tapped link: another article opens in the app; an address outside asks first.
    private func follow(_ url: URL) -> OpenURLAction.Result {
        if let id = ArticleLink.articleId(url) {
            app.path.append(.article(id: id, highlight: nil))
        } else {
            leavingFor = url
        }
        return .handled
    }
}
