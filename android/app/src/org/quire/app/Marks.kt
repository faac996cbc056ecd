package org.quire.app

import android.content.Context
import android.graphics.Typeface
import android.text.Spannable
import android.text.SpannableString
import android.text.style.BackgroundColorSpan
import android.text.style.ForegroundColorSpan
import android.text.style.StyleSpan
import org.quire.core.TextRange

/** The searched words, marked where the core says (UTF-16 offsets, as Kotlin strings). */
object Marks {
    /** [text] with [ranges] marked: bold, on the mark colour. */
    fun marked(context: Context, text: String, ranges: List<TextRange>): CharSequence {
        if (ranges.isEmpty()) return text
        val s = SpannableString(text)
        for (r in ranges) mark(context, s, r)
        return s
    }

    /** Marks one range of [s]; ranges out of the text are clamped, empty ones skipped. */
    fun mark(context: Context, s: Spannable, r: TextRange) {
        val start = r.utf16Start.toInt().coerceIn(0, s.length)
        val end = r.utf16End.toInt().coerceIn(start, s.length)
        if (start == end) return
        s.setSpan(BackgroundColorSpan(context.getColor(R.color.mark_background)), start, end, FLAGS)
        s.setSpan(ForegroundColorSpan(context.getColor(R.color.mark_text)), start, end, FLAGS)
        s.setSpan(StyleSpan(Typeface.BOLD), start, end, FLAGS)
    }

    private const val FLAGS = Spannable.SPAN_EXCLUSIVE_EXCLUSIVE
}
