import QuireCore
import SwiftUI

/// The first screen: a search field ready to type, results as the reader types, "did you
/// mean", title suggestions and the matched words marked; before anything is typed, a
/// welcome and, when kept, recent searches and recently read articles.
struct SearchScreen: View {
    @EnvironmentObject private var app: AppModel
    @StateObject private var model: SearchViewModel

    init(app: AppModel) {
        _model = StateObject(wrappedValue: SearchViewModel(app: app))
    }

    var body: some View {
        List {
            Section {
                PrivateTextField(
                    label: "Search articles",
                    text: $model.text,
                    returnKey: .search,
                    identifier: "searchField",
                    focusOnAppear: true,
                    onSubmit: model.submit
                )
                .frame(minHeight: 44)
            }
            if let page = model.page {
                results(page)
            } else {
                idle
            }
        }
        .listStyle(.insetGrouped)
        .navigationTitle("Search")
        .toolbar {
            ToolbarItemGroup(placement: .navigationBarLeading) {
                Button { app.path.append(.bookmarks) } label: {
                    Image(systemName: "bookmark")
                }
                .accessibilityLabel("Bookmarks")
                .accessibilityIdentifier("openBookmarks")
                Button { app.path.append(.settings) } label: {
                    Image(systemName: "gearshape")
                }
                .accessibilityLabel("Settings")
                .accessibilityIdentifier("openSettings")
            }
        }
        .quickExitToolbar()
        .loadsAfterUnlock(app) { await model.load() }
    }

    @ViewBuilder
    private func results(_ page: SearchPage) -> some View {
        if let fix = page.suggestion {
            Section {
                if page.corrected {
                    (Text("Showing results for ") + Text(fix).bold())
                        .foregroundColor(.secondary)
                } else {
                    Button {
                        model.useSuggestion()
                    } label: {
                        Text("Did you mean ") + Text(fix).bold().underline() + Text("?")
                    }
                    .accessibilityIdentifier("didYouMean")
                }
            }
        }
        if !page.without.isEmpty && !page.hits.isEmpty {
            Section {
                (Text("No article has every word. Results without: ")
                    + Text(page.without.joined(separator: ", ")).bold())
                    .foregroundColor(.secondary)
                    .accessibilityIdentifier("resultsWithout")
            }
        }
        if !page.titles.isEmpty {
            Section("Titles") {
                ForEach(Array(page.titles.enumerated()), id: \.offset) { i, item in
                    articleLink(item, highlight: nil)
                        .accessibilityIdentifier("title-\(i)")
                }
            }
        }
        if page.hits.isEmpty {
            Section {
                EmptyState(
                    title: "No articles match “\(page.query)”.",
                    detail: "Try fewer words, or other words for the same thing."
                )
            }
        } else {
            Section {
                ForEach(Array(page.hits.enumerated()), id: \.offset) { i, item in
                    articleLink(item, highlight: page.query)
                        .accessibilityIdentifier("result-\(i)")
                }
            } header: {
                Text(page.total == 1 ? "1 article" : "\(page.total) articles")
                    .accessibilityIdentifier("resultCount")
            }
        }
    }

    @ViewBuilder
    private var idle: some View {
        Section {
            EmptyState(
                title: "Read privately",
                detail: "Type a few words to search the articles. Everything stays on this phone: nothing you type or read is sent anywhere."
            )
        }
        if !model.recent.isEmpty {
            Section("Recent searches") {
                ForEach(Array(model.recent.enumerated()), id: \.offset) { _, recent in
                    Button(recent.label) { model.text = recent.query }
                        .privacySensitive()
                }
            }
        }
        if !model.history.isEmpty {
            Section("Recently read") {
                ForEach(Array(model.history.enumerated()), id: \.offset) { _, entry in
                    articleLink(entry.item, highlight: nil)
                }
            }
        }
    }

    @ViewBuilder
    private func articleLink(_ item: ListItem, highlight: String?) -> some View {
        if item.available {
            NavigationLink(value: Route.article(id: item.articleId, highlight: highlight)) {
                ListItemRow(item: item)
            }
        } else {
            ListItemRow(item: item)
        }
    }
}
