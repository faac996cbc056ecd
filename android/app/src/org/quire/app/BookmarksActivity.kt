package org.quire.app

import android.app.AlertDialog
import android.graphics.Typeface
import android.text.Editable
import android.text.TextWatcher
import android.view.Gravity
import android.view.View
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ScrollView
import org.quire.core.BookmarkItem

/**
 * The bookmarks: newest first, searchable by title and note, each note editable, removal
 * undoable. Under discreet display the rows show neutral labels and only that a note
 * exists; an article no longer in the bundle is shown as such and kept.
 */
class BookmarksActivity : BaseActivity() {
    override val titleId = R.string.bookmarks_title

    lateinit var field: EditText
        private set
    lateinit var list: LinearLayout
        private set

    /** The bookmarks on screen (tests read them). */
    var items: List<BookmarkItem> = emptyList()
        private set

    private var sequence = 0

    override fun buildContent(): View {
        field = Ui.privateField(this, R.string.bookmarks_search_hint).apply {
            id = R.id.bookmarks_search
            background = android.graphics.drawable.GradientDrawable().apply {
                setColor(getColor(R.color.surface))
                setStroke(Ui.dp(this@BookmarksActivity, 1), getColor(R.color.divider))
                cornerRadius = Ui.dp(this@BookmarksActivity, 28).toFloat()
            }
            setPadding(Ui.dp(this@BookmarksActivity, 20), 0, Ui.dp(this@BookmarksActivity, 20), 0)
            addTextChangedListener(object : TextWatcher {
                override fun beforeTextChanged(s: CharSequence?, start: Int, count: Int, after: Int) {}

                override fun onTextChanged(s: CharSequence?, start: Int, before: Int, count: Int) {}

                override fun afterTextChanged(s: Editable?) = refresh()
            })
        }
        list = LinearLayout(this).apply {
            id = R.id.bookmarks_list
            orientation = LinearLayout.VERTICAL
            setPadding(0, 0, 0, Ui.dp(this@BookmarksActivity, 96))
        }
        return LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            val pad = Ui.dp(this@BookmarksActivity, 12)
            addView(field, LinearLayout.LayoutParams(Ui.MATCH, Ui.dp(this@BookmarksActivity, 52)).apply { setMargins(pad, pad, pad, Ui.dp(this@BookmarksActivity, 4)) })
            addView(ScrollView(this@BookmarksActivity).apply { addView(list) }, LinearLayout.LayoutParams(Ui.MATCH, 0, 1f))
        }
    }

    override fun load() = refresh()

    override fun onRestart() {
        super.onRestart()
        // Back from an article whose bookmark may have changed.
        if (lockView == null) refresh()
    }

    /** Lists the bookmarks matching the search field (all when it is empty). */
    fun refresh() {
        val n = ++sequence
        val text = field.text.toString()
        call({ r -> if (text.isBlank()) r.bookmarks() else r.searchBookmarks(text) }) { found ->
            if (n == sequence) draw(found, text)
        }
    }

    private fun draw(found: List<BookmarkItem>, text: String) {
        items = found
        list.removeAllViews()
        if (found.isEmpty()) {
            list.addView(
                if (text.isBlank()) {
                    Rows.empty(this, getString(R.string.bookmarks_empty_title), getString(R.string.bookmarks_empty))
                } else {
                    Rows.empty(this, getString(R.string.bookmarks_no_match, text), null)
                }.apply { id = R.id.empty_state },
            )
            return
        }
        for ((i, b) in found.withIndex()) {
            if (i > 0) list.addView(Rows.divider(this))
            list.addView(row(b))
        }
    }

    private fun row(b: BookmarkItem): View {
        val item = b.item
        val text = Rows.item(this, item) { startActivity(ArticleActivity.intent(this, it.articleId, null)) }
        // Rows.item says "no longer available"; a bookmark adds that it is kept.
        if (!item.available) {
            (text.getChildAt(text.childCount - 1) as? android.widget.TextView)?.setText(R.string.unavailable_kept)
        }
        val note = b.note
        if (note != null) {
            text.addView(
                Ui.text(this, 15f, R.color.text_secondary).apply {
                    this.text = note
                    maxLines = 3
                    ellipsize = android.text.TextUtils.TruncateAt.END
                    setPadding(0, Ui.dp(this@BookmarksActivity, 4), 0, 0)
                },
                1,
            )
        } else if (b.hasNote) {
            text.addView(
                Ui.text(this, 14f, R.color.text_secondary).apply {
                    setText(R.string.has_note)
                    setTypeface(typeface, Typeface.ITALIC)
                    setPadding(0, Ui.dp(this@BookmarksActivity, 4), 0, 0)
                },
                1,
            )
        }
        text.setPadding(Ui.dp(this, 16), text.paddingTop, Ui.dp(this, 4), text.paddingBottom)
        return LinearLayout(this).apply {
            orientation = LinearLayout.HORIZONTAL
            gravity = Gravity.CENTER_VERTICAL
            tag = item.articleId
            addView(text, LinearLayout.LayoutParams(0, Ui.WRAP, 1f))
            // A hidden note (discreet display) cannot be shown for editing: edit it with
            // discreet display off.
            if (note != null || !b.hasNote) {
                addView(
                    Ui.iconButton(this@BookmarksActivity, R.drawable.ic_edit, R.string.edit_note) { editNote(b) }.apply {
                        contentDescription = getString(R.string.edit_note_for, item.title)
                    },
                )
            }
            addView(
                Ui.iconButton(this@BookmarksActivity, R.drawable.ic_delete, R.string.remove_bookmark) { remove(b) }.apply {
                    contentDescription = getString(R.string.remove_bookmark_for, item.title)
                },
                LinearLayout.LayoutParams(Ui.dp(this@BookmarksActivity, Ui.TOUCH_DP), Ui.dp(this@BookmarksActivity, Ui.TOUCH_DP)).apply {
                    marginEnd = Ui.dp(this@BookmarksActivity, 8)
                },
            )
        }
    }

    /** Edits (or, emptied, removes) the note of [b]. */
    fun editNote(b: BookmarkItem) {
        val box = Ui.dialogColumn(this)
        val note = Ui.privateField(this, R.string.note_hint, multiLine = true).apply {
            id = R.id.note_field
            setText(b.note ?: "")
            minLines = 2
            maxLines = 6
        }
        box.addView(note, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
        Ui.show(
            AlertDialog.Builder(this)
                .setTitle(R.string.edit_note)
                .setView(box)
                .setNegativeButton(R.string.cancel, null)
                .setPositiveButton(R.string.save) { _, _ ->
                    val text = note.text.toString().trim().ifEmpty { null }
                    call({ it.setBookmarkNote(b.item.articleId, text) }) { refresh() }
                },
        )
        note.requestFocus()
    }

    /** Removes [b], with "Undo" for a few seconds. */
    fun remove(b: BookmarkItem) {
        call({ it.removeBookmark(b.item.articleId) }) { removed ->
            refresh()
            if (removed != null) {
                messageBar.show(getString(R.string.bookmark_removed), getString(R.string.undo), 6000) {
                    call({ it.restoreBookmark(removed) }) { refresh() }
                }
            }
        }
    }
}
