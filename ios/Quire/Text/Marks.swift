import Foundation
import QuireCore
import SwiftUI

/// Text from the core as `AttributedString`s for SwiftUI's `Text`: the searched words
/// marked (bold on the mark colour), and an article block's spans (emphasis, strong, code,
/// strikethrough, links). Offsets are the core's UTF-16 ones, so the text is the core's
/// exactly and every range lands where the core meant it.
enum Marks {
    /// The colour behind a marked word (Assets: "Mark", light and dark).
    static let markColor = Color("Mark")

    /// `text` with `ranges` marked.
    static func marked(_ text: String, _ ranges: [TextRange]) -> AttributedString {
        var out = AttributedString(text)
        mark(&out, ranges)
        return out
    }

    /// Marks `ranges` of `out` (whose characters are the core's text).
    static func mark(_ out: inout AttributedString, _ ranges: [TextRange]) {
        for r in ranges {
            guard let range = attributedRange(r, in: out) else { continue }
            out[range].backgroundColor = markColor
            addIntent(.stronglyEmphasized, to: range, in: &out)
        }
    }

    /// An article block's text with its spans drawn and `marks` marked.
    static func block(_ block: ArticleBlock, marks: [TextRange]) -> AttributedString {
        var out = AttributedString(block.text)
        for span in block.spans {
            guard let range = attributedRange(span.range, in: out) else { continue }
            switch span.style {
            case .emphasis: addIntent(.emphasized, to: range, in: &out)
            case .strong: addIntent(.stronglyEmphasized, to: range, in: &out)
            case .code: addIntent(.code, to: range, in: &out)
            case .strikethrough: addIntent(.strikethrough, to: range, in: &out)
            case .link(let target): out[range].link = ArticleLink.url(for: target)
            }
        }
        mark(&out, marks)
        return out
    }

    /// The range of `out` that the core's UTF-16 offsets name; nil if it falls outside.
    static func attributedRange(_ r: TextRange, in out: AttributedString) -> Range<AttributedString.Index>? {
        let ns = NSRange(location: Int(r.utf16Start), length: Int(r.utf16End) - Int(r.utf16Start))
        return Range(ns, in: out)
    }

    /// Adds `intent` to every run of `range` (spans nest: bold inside italics stays both).
    private static func addIntent(_ intent: InlinePresentationIntent, to range: Range<AttributedString.Index>,
                                  in out: inout AttributedString) {
        let runs = out[range].runs.map(\.range)
        for run in runs {
            let current = out[run].inlinePresentationIntent ?? []
            out[run].inlinePresentationIntent = current.union(intent)
        }
    }

    /// The cells of a table row (the core separates them with tabs), spans kept.
    static func cells(_ row: AttributedString) -> [AttributedString] {
        var cells: [AttributedString] = []
        var start = row.startIndex
        var i = row.startIndex
        while i < row.endIndex {
            let next = row.characters.index(after: i)
            if row.characters[i] == "\t" {
                cells.append(AttributedString(row[start..<i]))
                start = next
            }
            i = next
        }
        cells.append(AttributedString(row[start..<row.endIndex]))
        return cells
    }
}

/// Links inside articles: another article opens in the app (a `quire-article:` URL of
/// the app's own, never opened by the system); an address outside asks first.
enum ArticleLink {
    static let scheme = "quire-article"

    static func url(for target: LinkTarget) -> URL? {
        switch target {
        case .article(let id):
            let escaped = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id
            return URL(string: "\(scheme):\(escaped)")
        case .external(let url):
            return URL(string: url)
        }
    }

    /// The article id of an in-app link; nil for an address outside.
    static func articleId(_ url: URL) -> String? {
        guard url.scheme == scheme else { return nil }
        let rest = url.absoluteString.dropFirst(scheme.count + 1)
        return String(rest).removingPercentEncoding
    }
}
