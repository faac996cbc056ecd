import CoreGraphics
import Foundation
import QuireCore

/// A block of the article, ready to draw: the core's text as an attributed string (spans
/// and marked words), and what its kind asks of the layout.
struct DrawnBlock: Identifiable {
    /// The block's index in the article (the core's positions count blocks).
    let id: Int
    let kind: BlockKind
    let text: AttributedString
    /// For a list item: its bullet or number; nil for a continued paragraph.
    let marker: String?
    /// Unicode scalars in the block's text (positions count scalars).
    let scalars: Int

    init(index: Int, block: ArticleBlock, marks: [TextRange]) {
        id = index
        kind = block.kind
        text = Marks.block(block, marks: marks)
        scalars = block.text.unicodeScalars.count
        if case .listItem(let ordinal, let depth, let continued) = block.kind, !continued {
            marker = ordinal.map { "\($0)." } ?? (depth % 2 == 0 ? "•" : "◦")
        } else {
            marker = nil
        }
    }
}

/// Where each block is on screen, as the article view reports it while scrolling, and the
/// reading position it stands for. Not published: it changes with every frame.
final class PositionTracker {
    /// Each block's vertical extent, in the scroll view's visible coordinates (0: the top
    /// of the screen).
    var frames: [Int: CGRect] = [:]

    /// The block at the top of the screen, and how far into it the screen's top is, in
    /// scalars (estimated from the share of its height scrolled past).
    func position(in blocks: [DrawnBlock]) -> ReadingPosition? {
        let visible = frames.filter { $0.value.maxY > 0 }.sorted { $0.key < $1.key }
        guard let top = visible.first, top.key < blocks.count else { return nil }
        let index = top.key
        let frame = top.value
        var offset = 0
        if frame.minY < 0, frame.height > 0 {
            let share = min(1, -frame.minY / frame.height)
            offset = Int((Double(blocks[index].scalars) * Double(share)).rounded(.down))
        }
        return ReadingPosition(block: UInt32(index), offset: UInt32(offset), fraction: 0)
    }
}

/// An article: its blocks with the searched words marked, scrolled to the first of them
/// or else to where the reader left it; the position saved on leaving; its bookmark with
/// an optional note (removal undoable); related articles.
@MainActor
final class ArticleViewModel: ObservableObject {
    let id: String
    let highlight: String?

    @Published private(set) var opened: OpenedArticle?
    @Published private(set) var blocks: [DrawnBlock] = []
    @Published private(set) var bookmark: Bookmark?
    /// The article is not in the bundle (an update removed it).
    @Published private(set) var unavailable = false
    /// The block to scroll to once drawn (the view clears it after scrolling).
    @Published var scrollTarget: Int?

    let tracker = PositionTracker()
    private let app: AppModel
    /// The unlock count the article was loaded at (it loads again only after an unlock).
    private var loadedAt: Int?

    init(app: AppModel, id: String, highlight: String?) {
        self.app = app
        self.id = id
        self.highlight = highlight
    }

    /// Opens the article (once, and again after an unlock that followed a refusal).
    func load() async {
        guard loadedAt != app.unlocks || opened == nil else { return }
        let id = self.id
        let highlight = self.highlight
        do {
            let (article, drawn) = try await app.core.write { reader -> (OpenedArticle, [DrawnBlock]) in
                // Opening records history when the reader turned it on: a write.
                let article = try reader.openArticle(id: id, highlight: highlight)
                var marks: [Int: [TextRange]] = [:]
                for m in article.view.matches { marks[Int(m.block), default: []].append(m.range) }
                let drawn = article.view.blocks.enumerated().map { i, block in
                    DrawnBlock(index: i, block: block, marks: marks[i] ?? [])
                }
                return (article, drawn)
            }
            loadedAt = app.unlocks
            opened = article
            blocks = drawn
            bookmark = article.bookmark
            if let first = article.view.firstMatch {
                scrollTarget = Int(first.block)
            } else if let resume = article.resume {
                scrollTarget = Int(resume.position.block)
            }
        } catch QuireError.ArticleNotFound {
            unavailable = true
        } catch {
            app.failed(error)
        }
    }

    /// Saves where the reader is (leaving the screen, or the app going to the background).
    /// Nothing is saved after quick exit or while the lock shows.
    func savePosition() async {
        guard opened != nil, !app.exited, !app.locked, let position = tracker.position(in: blocks) else { return }
        let id = self.id
        do {
            _ = try await app.core.write { try $0.savePosition(id: id, position: position) }
        } catch {
            app.failed(error)
        }
    }

    /// The article screen was left for good (not for another article on top of it).
    func close() {
        app.core.send { $0.closeArticle() }
    }

    /// Bookmarks the article, or changes its note (empty: no note).
    func saveBookmark(note: String) async {
        let id = self.id
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = bookmark?.folder
        do {
            let item = try await app.core.write { try $0.addBookmark(id: id, note: trimmed.isEmpty ? nil : trimmed) }
            bookmark = Bookmark(articleId: id, createdAt: item.createdAt, note: item.note, folder: folder)
            app.show("Bookmarked")
        } catch {
            app.failed(error)
        }
    }

    /// Removes the bookmark, with "Undo" for a few seconds.
    func removeBookmark() async {
        let id = self.id
        do {
            guard let removed = try await app.core.write({ try $0.removeBookmark(id: id) }) else { return }
            bookmark = nil
            app.show("Bookmark removed", actionTitle: "Undo", seconds: 6) { [weak self] in
                Task { await self?.restore(removed) }
            }
        } catch {
            app.failed(error)
        }
    }

    private func restore(_ removed: Bookmark) async {
        do {
            _ = try await app.core.write { try $0.restoreBookmark(bookmark: removed) }
            bookmark = removed
        } catch {
            app.failed(error)
        }
    }
}
