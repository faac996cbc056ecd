package org.quire.app

import android.content.Context
import android.graphics.Canvas
import android.graphics.Paint
import android.graphics.Typeface
import android.text.Layout
import android.text.Spannable
import android.text.SpannableString
import android.text.TextPaint
import android.text.method.LinkMovementMethod
import android.text.style.BackgroundColorSpan
import android.text.style.ClickableSpan
import android.text.style.LeadingMarginSpan
import android.text.style.QuoteSpan
import android.text.style.StrikethroughSpan
import android.text.style.StyleSpan
import android.text.style.TabStopSpan
import android.text.style.TypefaceSpan
import android.util.TypedValue
import android.view.View
import android.widget.HorizontalScrollView
import android.widget.LinearLayout
import android.widget.TextView
import org.quire.core.ArticleBlock
import org.quire.core.BlockKind
import org.quire.core.LinkTarget
import org.quire.core.SpanStyle
import org.quire.core.TextRange

/**
 * Draws the core's article blocks as native views: one selectable TextView a block, its
 * spans as framework spans (emphasis, strong, code, strikethrough, links), the searched
 * words marked. The text is the core's exactly (list markers are drawn in the margin), so
 * the core's offsets hold for marks, links and reading positions.
 */
class ArticleRenderer(private val context: Context, private val onLink: (LinkTarget) -> Unit) {
    /** A drawn block: the view placed in the column, and the TextView holding its text. */
    class Drawn(val view: View, val text: TextView?)

    /** Draws [block]; [next] is the block after it (lists keep their items close). */
    fun draw(block: ArticleBlock, marks: List<TextRange>, next: ArticleBlock? = null): Drawn {
        val kind = block.kind
        if (kind is BlockKind.Rule) {
            val rule = View(context).apply {
                setBackgroundColor(context.getColor(R.color.divider))
                importantForAccessibility = View.IMPORTANT_FOR_ACCESSIBILITY_NO
                layoutParams = LinearLayout.LayoutParams(Ui.MATCH, Ui.dp(context, 1)).apply {
                    setMargins(0, Ui.dp(context, 16), 0, Ui.dp(context, 16))
                }
            }
            return Drawn(rule, null)
        }
        val tv = Ui.text(context, Ui.BODY_SP).apply {
            setLineSpacing(0f, 1.45f)
            layoutParams = LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP)
        }
        val s = spanned(block, marks)
        var bottom = 12
        when (kind) {
            is BlockKind.Heading -> {
                tv.setTextSize(TypedValue.COMPLEX_UNIT_SP, headingSp(kind.level.toInt()))
                tv.typeface = Typeface.DEFAULT_BOLD
                tv.setLineSpacing(0f, 1.2f)
                tv.isAccessibilityHeading = true
                tv.setPadding(0, Ui.dp(context, 16), 0, 0)
                bottom = 8
            }
            is BlockKind.ListItem -> {
                val indent = Ui.dp(context, 24)
                val marker = if (kind.continued) null else kind.ordinal?.let { "$it." } ?: if (kind.depth % 2u == 0u) "•" else "◦"
                s.setSpan(MarkerSpan(marker, indent * (kind.depth.toInt() + 1), indent), 0, s.length, Spannable.SPAN_INCLUSIVE_INCLUSIVE)
                // Items of one list sit close; the list ends with a paragraph's space.
                bottom = if (next?.kind is BlockKind.ListItem) 4 else 12
            }
            is BlockKind.Quote -> {
                repeat(kind.depth.toInt().coerceIn(1, 4)) {
                    s.setSpan(
                        QuoteSpan(context.getColor(R.color.quote_stripe), Ui.dp(context, 3), Ui.dp(context, 14)),
                        0,
                        s.length,
                        Spannable.SPAN_INCLUSIVE_INCLUSIVE,
                    )
                }
                tv.setTextColor(context.getColor(R.color.text_secondary))
            }
            is BlockKind.Code -> {
                tv.typeface = Typeface.MONOSPACE
                tv.setTextSize(TypedValue.COMPLEX_UNIT_SP, 15f)
                tv.setLineSpacing(0f, 1.25f)
                tv.setHorizontallyScrolling(true)
                val pad = Ui.dp(context, 12)
                tv.setPadding(pad, pad, pad, pad)
                tv.setBackgroundColor(context.getColor(R.color.code_background))
            }
            is BlockKind.TableRow -> {
                val cell = Ui.dp(context, 140)
                for (i in 1 until kind.cells.toInt()) s.setSpan(TabStopSpan.Standard(cell * i), 0, s.length, Spannable.SPAN_INCLUSIVE_INCLUSIVE)
                if (kind.header) tv.typeface = Typeface.DEFAULT_BOLD
                tv.setHorizontallyScrolling(true)
                tv.setPadding(0, Ui.dp(context, 6), 0, Ui.dp(context, 6))
                bottom = 0
            }
            else -> {}
        }
        tv.text = s
        tv.setTextIsSelectable(true)
        if (block.spans.any { it.style is SpanStyle.Link }) {
            // Links stay tappable in selectable text (LinkMovementMethod can select too).
            tv.movementMethod = LinkMovementMethod.getInstance()
        }
        val horizontal = kind is BlockKind.Code || kind is BlockKind.TableRow
        val view: View = if (horizontal) {
            HorizontalScrollView(context).apply {
                isFillViewport = true
                addView(tv)
            }
        } else {
            tv
        }
        view.layoutParams = LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP).apply { bottomMargin = Ui.dp(context, bottom) }
        return Drawn(view, tv)
    }

    /** The block's text with its styles and [marks] as spans. */
    fun spanned(block: ArticleBlock, marks: List<TextRange>): SpannableString {
        val s = SpannableString(block.text)
        for (span in block.spans) {
            val start = span.range.utf16Start.toInt().coerceIn(0, s.length)
            val end = span.range.utf16End.toInt().coerceIn(start, s.length)
            if (start == end) continue
            val flags = Spannable.SPAN_EXCLUSIVE_EXCLUSIVE
            when (val style = span.style) {
                is SpanStyle.Emphasis -> s.setSpan(StyleSpan(Typeface.ITALIC), start, end, flags)
                is SpanStyle.Strong -> s.setSpan(StyleSpan(Typeface.BOLD), start, end, flags)
                is SpanStyle.Code -> {
                    s.setSpan(TypefaceSpan("monospace"), start, end, flags)
                    s.setSpan(BackgroundColorSpan(context.getColor(R.color.code_background)), start, end, flags)
                }
                is SpanStyle.Strikethrough -> s.setSpan(StrikethroughSpan(), start, end, flags)
                is SpanStyle.Link -> s.setSpan(LinkSpan(style.target), start, end, flags)
            }
        }
        for (m in marks) Marks.mark(context, s, m)
        return s
    }

    /** A link: the accent colour, underlined; opens the article, or asks before leaving. */
    inner class LinkSpan(val target: LinkTarget) : ClickableSpan() {
        override fun onClick(widget: View) = onLink(target)

        override fun updateDrawState(ds: TextPaint) {
            ds.color = context.getColor(R.color.accent)
            ds.isUnderlineText = true
        }
    }

    /** A list item's bullet or number, drawn in the leading margin (not in the text). */
    class MarkerSpan(private val marker: String?, private val margin: Int, private val markerWidth: Int) :
        LeadingMarginSpan {
        override fun getLeadingMargin(first: Boolean): Int = margin

        override fun drawLeadingMargin(
            c: Canvas,
            p: Paint,
            x: Int,
            dir: Int,
            top: Int,
            baseline: Int,
            bottom: Int,
            text: CharSequence,
            start: Int,
            end: Int,
            first: Boolean,
            layout: Layout,
        ) {
            if (marker == null || !first || (text as? android.text.Spanned)?.getSpanStart(this) != start) return
            val width = p.measureText(marker)
            val gap = markerWidth / 3f
            val left = if (dir > 0) x + margin - gap - width else x - margin + gap
            c.drawText(marker, left, baseline.toFloat(), p)
        }
    }

    companion object {
        fun headingSp(level: Int): Float = when (level) {
            1 -> 26f
            2 -> 22f
            3 -> 19f
            else -> 17f
        }
    }
}
