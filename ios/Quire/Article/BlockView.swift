import QuireCore
import SwiftUI
import UIKit

/// One block of an article, drawn natively from the core's text: headings as headings
/// (for VoiceOver too), list items with their bullet or number in the margin (so the text
/// stays the core's), quotes with a bar, code in monospace, table rows as cells, rules.
/// All text follows Dynamic Type and can be selected.
struct BlockView: View {
    let block: DrawnBlock
    @ScaledMetric(relativeTo: .body) private var indent: CGFloat = 24

    var body: some View {
        switch block.kind {
        case .heading(let level):
            Text(block.text)
                .font(Self.headingFont(level))
                .padding(.top, 16)
                .padding(.bottom, 4)
                .accessibilityAddTraits(.isHeader)
                .textSelection(.enabled)
        case .paragraph:
            paragraph(block.text)
        case .listItem(_, let depth, _):
            HStack(alignment: .firstTextBaseline, spacing: 8) {
                Text(block.marker ?? "")
                    .font(.body)
                    .frame(minWidth: indent * 0.75, alignment: .trailing)
                    .accessibilityHidden(block.marker == nil)
                paragraph(block.text)
            }
            .padding(.leading, indent * CGFloat(depth))
        case .quote(let depth):
            HStack(alignment: .top, spacing: 12) {
                ForEach(0..<Int(max(1, min(depth, 4))), id: \.self) { _ in
                    Rectangle()
                        .fill(Color.secondary.opacity(0.5))
                        .frame(width: 3)
                        .accessibilityHidden(true)
                }
                paragraph(block.text)
                    .foregroundColor(.secondary)
            }
        case .code:
            ScrollView(.horizontal) {
                Text(block.text)
                    .font(.system(.callout, design: .monospaced))
                    .padding(12)
                    .textSelection(.enabled)
            }
            .background(Color(.secondarySystemBackground))
            .cornerRadius(8)
            .padding(.vertical, 4)
        case .rule:
            Divider()
                .padding(.vertical, 16)
                .accessibilityHidden(true)
        case .tableRow(let header, _):
            HStack(alignment: .top, spacing: 12) {
                ForEach(Array(Marks.cells(block.text).enumerated()), id: \.offset) { _, cell in
                    Text(cell)
                        .font(header ? .body.weight(.semibold) : .body)
                        .frame(maxWidth: .infinity, alignment: .leading)
                        .textSelection(.enabled)
                }
            }
            .padding(.vertical, 4)
            .accessibilityElement(children: .combine)
        }
    }

    private func paragraph(_ text: AttributedString) -> some View {
        Text(text)
            .font(.body)
            .lineSpacing(4)
            .fixedSize(horizontal: false, vertical: true)
            .padding(.bottom, 8)
            .textSelection(.enabled)
    }

    static func headingFont(_ level: UInt8) -> Font {
        switch level {
        case 1: return .title.weight(.bold)
        case 2: return .title2.weight(.bold)
        case 3: return .title3.weight(.semibold)
        default: return .headline
        }
    }
}
