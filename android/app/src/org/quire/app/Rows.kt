package org.quire.app

import android.content.Context
import android.view.Gravity
import android.view.View
import android.widget.LinearLayout
import org.quire.core.ListItem

/** Rows of the lists (results, title suggestions, bookmarks, related, recent). */
object Rows {
    /** The pack id of the articles that come with the app. */
    const val BUILTIN_PACK = "quire-builtin"

    /**
     * A clickable row for [item]: its title (or neutral label), the snippet with the
     * matched words marked, and "no longer available" for an article the bundle lost.
     */
    fun item(context: Context, item: ListItem, onClick: ((ListItem) -> Unit)?): LinearLayout {
        val row = base(context)
        // Results mark their snippet; title suggestions their title.
        val titleMarks = if (item.snippet.isEmpty()) item.highlights else emptyList()
        row.addView(
            Ui.text(context, 17f, bold = true).apply {
                text = Marks.marked(context, item.title, titleMarks)
                tag = TITLE_TAG
            },
        )
        // A pack's article says where it is from (never under discreet display: the
        // core leaves the name out then), the built-in articles need no such line.
        if (item.packName.isNotEmpty() && item.packId != BUILTIN_PACK) {
            row.addView(
                Ui.text(context, 13f, R.color.accent).apply {
                    text = context.getString(R.string.pack_from, item.packName)
                    id = R.id.pack_name
                    setPadding(0, Ui.dp(context, 2), 0, 0)
                },
            )
        }
        if (item.snippet.isNotEmpty()) {
            row.addView(
                Ui.text(context, 15f, R.color.text_secondary).apply {
                    text = Marks.marked(context, item.snippet, item.highlights)
                    setLineSpacing(0f, 1.2f)
                    maxLines = 4
                    ellipsize = android.text.TextUtils.TruncateAt.END
                    setPadding(0, Ui.dp(context, 4), 0, 0)
                },
            )
        }
        if (!item.available) {
            row.addView(
                Ui.text(context, 14f, R.color.text_secondary).apply {
                    setText(R.string.unavailable)
                    setTypeface(typeface, android.graphics.Typeface.ITALIC)
                    setPadding(0, Ui.dp(context, 4), 0, 0)
                },
            )
        }
        if (onClick != null && item.available) {
            row.setOnClickListener { onClick(item) }
        } else {
            row.isClickable = false
            row.isFocusable = true // TalkBack still reads it
        }
        return row
    }

    /** A one-line clickable row (a recent search). */
    fun line(context: Context, text: String, onClick: () -> Unit): LinearLayout =
        base(context).apply {
            addView(Ui.text(context, 16f).apply { this.text = text })
            setOnClickListener { onClick() }
        }

    /** An empty row: a 48 dp minimum, padding, a ripple, read by TalkBack as one item. */
    fun base(context: Context): LinearLayout =
        LinearLayout(context).apply {
            orientation = LinearLayout.VERTICAL
            gravity = Gravity.CENTER_VERTICAL
            minimumHeight = Ui.dp(context, Ui.TOUCH_DP)
            val h = Ui.dp(context, 16)
            val v = Ui.dp(context, 12)
            setPadding(h, v, h, v)
            background = Ui.rowBackground(context)
            isFocusable = true
            importantForAccessibility = View.IMPORTANT_FOR_ACCESSIBILITY_YES
            layoutParams = LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP)
        }

    /** A thin line between rows. */
    fun divider(context: Context): View =
        View(context).apply {
            setBackgroundColor(context.getColor(R.color.divider))
            layoutParams = LinearLayout.LayoutParams(Ui.MATCH, maxOf(1, Ui.dp(context, 1) / 2)).apply {
                marginStart = Ui.dp(context, 16)
                marginEnd = Ui.dp(context, 16)
            }
        }

    /** A block of explanation for an empty list: a title and a line of text. */
    fun empty(context: Context, title: String, body: String?): LinearLayout =
        LinearLayout(context).apply {
            orientation = LinearLayout.VERTICAL
            val pad = Ui.dp(context, 16)
            setPadding(pad, Ui.dp(context, 32), pad, Ui.dp(context, 24))
            addView(Ui.text(context, 20f, bold = true).apply { text = title })
            if (body != null) {
                addView(
                    Ui.text(context, 16f, R.color.text_secondary).apply {
                        text = body
                        setLineSpacing(0f, 1.25f)
                        setPadding(0, Ui.dp(context, 8), 0, 0)
                    },
                )
            }
        }

    /** Tag of a row's title view (tests find titles by it). */
    const val TITLE_TAG = "title"
}
