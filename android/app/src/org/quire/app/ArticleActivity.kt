package org.quire.app

import android.app.AlertDialog
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.view.View
import android.view.ViewGroup
import android.view.ViewTreeObserver
import android.widget.ImageButton
import android.widget.LinearLayout
import android.widget.ScrollView
import org.quire.core.Bookmark
import org.quire.core.LinkTarget
import org.quire.core.OpenedArticle
import org.quire.core.QuireException
import org.quire.core.ReadingPosition
import org.quire.core.TextRange

/**
 * An article, drawn from the core's blocks: the searched words marked and the first one
 * scrolled to, or else the place the reader left; the position saved on leaving; a
 * bookmark with an optional note; related articles at the end.
 */
class ArticleActivity : BaseActivity() {
    override val titleId = R.string.article_title

    lateinit var scroll: ScrollView
        private set
    lateinit var column: LinearLayout
        private set
    lateinit var bookmarkButton: ImageButton
        private set

    /** What the core answered (tests read it). */
    var opened: OpenedArticle? = null
        private set

    /** The drawn blocks, by block index. */
    val drawn = ArrayList<ArticleRenderer.Drawn>()

    private val articleId: String
        get() = intent.getStringExtra(EXTRA_ID) ?: ""
    private val highlight: String?
        get() = intent.getStringExtra(EXTRA_HIGHLIGHT)

    private var bookmark: Bookmark? = null
    private val renderer by lazy { ArticleRenderer(this, ::followLink) }

    override fun addToolbarActions(bar: LinearLayout) {
        bookmarkButton = Ui.iconButton(this, R.drawable.ic_bookmark_border, R.string.bookmark_add) { editBookmark() }.apply {
            id = R.id.bookmark_button
            isEnabled = false
        }
        bar.addView(bookmarkButton)
    }

    override fun buildContent(): View {
        column = LinearLayout(this).apply {
            id = R.id.article_blocks
            orientation = LinearLayout.VERTICAL
            val pad = Ui.dp(this@ArticleActivity, 20)
            setPadding(pad, Ui.dp(this@ArticleActivity, 8), pad, Ui.dp(this@ArticleActivity, 48))
        }
        scroll = ScrollView(this).apply {
            id = R.id.article_scroll
            addView(column, ViewGroup.LayoutParams(Ui.MATCH, Ui.WRAP))
        }
        return scroll
    }

    override fun load() {
        call({ it.openArticle(articleId, highlight) }) { draw(it) }
    }

    override fun failed(error: Throwable) {
        if (error is QuireException.ArticleNotFound && opened == null) {
            column.removeAllViews()
            column.addView(Rows.empty(this, getString(R.string.article_unavailable), null))
        } else {
            super.failed(error)
        }
    }

    private fun draw(article: OpenedArticle) {
        opened = article
        val view = article.view
        // The toolbar names the article once its title has scrolled away.
        toolbarTitle.text = view.title
        toolbarTitle.setTextSize(android.util.TypedValue.COMPLEX_UNIT_SP, 18f)
        column.removeAllViews()
        drawn.clear()
        column.addView(
            Ui.text(this, 26f, bold = true).apply {
                text = view.title
                isAccessibilityHeading = true
                setLineSpacing(0f, 1.15f)
                setTextIsSelectable(true)
                setPadding(0, Ui.dp(this@ArticleActivity, 12), 0, Ui.dp(this@ArticleActivity, 6))
            },
        )
        val meta = listOfNotNull(view.published, getString(R.string.reading_minutes, view.readingMinutes.toInt()))
        column.addView(Ui.text(this, 14f, R.color.text_secondary).apply { text = meta.joinToString(" · ") })
        if (view.summary.isNotEmpty()) {
            column.addView(
                Ui.text(this, 18f, R.color.text_secondary).apply {
                    text = view.summary
                    setLineSpacing(0f, 1.3f)
                    setTextIsSelectable(true)
                    setPadding(0, Ui.dp(this@ArticleActivity, 12), 0, Ui.dp(this@ArticleActivity, 20))
                },
            )
        }
        val marks = HashMap<Int, MutableList<TextRange>>()
        for (m in view.matches) marks.getOrPut(m.block.toInt()) { ArrayList() }.add(m.range)
        view.blocks.forEachIndexed { i, block ->
            val d = renderer.draw(block, marks[i] ?: emptyList(), view.blocks.getOrNull(i + 1))
            drawn.add(d)
            column.addView(d.view)
        }
        view.source?.let { source ->
            column.addView(
                Ui.text(this, 14f, R.color.text_secondary).apply {
                    text = source
                    setTextIsSelectable(true)
                    setPadding(0, Ui.dp(this@ArticleActivity, 24), 0, 0)
                },
            )
        }
        if (article.related.isNotEmpty()) {
            column.addView(Ui.heading(this, R.string.related).apply { setPadding(0, Ui.dp(this@ArticleActivity, 32), 0, Ui.dp(this@ArticleActivity, 4)) })
            for (item in article.related) {
                column.addView(
                    Rows.item(this, item) { startActivity(intent(this, it.articleId, null)) }.apply {
                        // The column's padding already insets the rows.
                        setPadding(0, paddingTop, 0, paddingBottom)
                    },
                )
            }
        }
        setBookmark(article.bookmark)
        placeOnceLaidOut(article)
    }

    /** Scrolls to the first searched word, or else to where the reader left off. */
    private fun placeOnceLaidOut(article: OpenedArticle) {
        val first = article.view.firstMatch
        val resume = article.resume?.position
        if (first == null && resume == null) return
        column.viewTreeObserver.addOnGlobalLayoutListener(object : ViewTreeObserver.OnGlobalLayoutListener {
            override fun onGlobalLayout() {
                if (column.height == 0) return
                column.viewTreeObserver.removeOnGlobalLayoutListener(this)
                if (first != null) {
                    scrollToBlock(first.block.toInt(), first.range.utf16Start.toInt(), margin = Ui.dp(this@ArticleActivity, 48))
                } else if (resume != null) {
                    val text = article.view.blocks.getOrNull(resume.block.toInt())?.text ?: ""
                    scrollToBlock(resume.block.toInt(), utf16Of(text, resume.offset.toInt()), margin = 0)
                }
            }
        })
    }

    /** Scrolls so that the line holding [utf16] of block [index] is [margin] below the top. */
    fun scrollToBlock(index: Int, utf16: Int, margin: Int) {
        val d = drawn.getOrNull(index) ?: return
        var y = topIn(d.view, column)
        val tv = d.text
        val layout = tv?.layout
        if (tv != null && layout != null) {
            y += topIn(tv, d.view) + tv.totalPaddingTop + layout.getLineTop(layout.getLineForOffset(utf16.coerceIn(0, tv.text.length)))
        }
        scroll.scrollTo(0, (y - margin).coerceAtLeast(0))
    }

    /** Where the top of the screen is: the block there, and the offset of its top line. */
    fun currentPosition(): ReadingPosition {
        val y = scroll.scrollY
        for ((i, d) in drawn.withIndex()) {
            val top = topIn(d.view, column)
            if (top + d.view.height <= y) continue
            val tv = d.text
            val layout = tv?.layout
            var offset = 0
            if (tv != null && layout != null && y > top) {
                val inner = y - top - topIn(tv, d.view) - tv.totalPaddingTop
                val line = layout.getLineForVertical(inner.coerceAtLeast(0))
                // A line partly above the top: the next one is the first fully read.
                val start = if (layout.getLineTop(line) < inner && line + 1 < layout.lineCount) layout.getLineStart(line + 1) else layout.getLineStart(line)
                offset = tv.text.toString().codePointCount(0, start)
            }
            return ReadingPosition(block = i.toUInt(), offset = offset.toUInt(), fraction = 0.0)
        }
        return ReadingPosition(block = maxOf(0, drawn.size - 1).toUInt(), offset = 0u, fraction = 1.0)
    }

    override fun onPause() {
        super.onPause()
        val article = opened ?: return
        if (lockView != null || exiting) return
        val position = currentPosition()
        call({ it.savePosition(article.view.id, position) })
    }

    override fun onDestroy() {
        if (isFinishing) core.call({ it.closeArticle() })
        super.onDestroy()
    }

    // ---- bookmark ----------------------------------------------------------------------

    private fun setBookmark(b: Bookmark?) {
        bookmark = b
        bookmarkButton.isEnabled = true
        bookmarkButton.setImageResource(if (b != null) R.drawable.ic_bookmark else R.drawable.ic_bookmark_border)
        bookmarkButton.contentDescription = getString(if (b != null) R.string.bookmark_edit else R.string.bookmark_add)
    }

    /** The bookmark dialog: an optional note; Remove when already bookmarked. */
    fun editBookmark() {
        val article = opened ?: return
        val id = article.view.id
        val current = bookmark
        val box = Ui.dialogColumn(this)
        val note = Ui.privateField(this, R.string.note_hint, multiLine = true).apply {
            this.id = R.id.note_field
            setText(current?.note ?: "")
            minLines = 2
            maxLines = 6
        }
        box.addView(note, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
        val builder = AlertDialog.Builder(this)
            .setTitle(if (current != null) R.string.bookmark_edit else R.string.bookmark_add)
            .setView(box)
            .setNegativeButton(R.string.cancel, null)
            .setPositiveButton(R.string.save) { _, _ ->
                val text = note.text.toString().trim().ifEmpty { null }
                call({ it.addBookmark(id, text) }) { item ->
                    setBookmark(Bookmark(articleId = id, createdAt = item.createdAt, note = item.note, folder = current?.folder))
                    messageBar.show(getString(R.string.bookmark_saved))
                }
            }
        if (current != null) {
            builder.setNeutralButton(R.string.remove_bookmark) { _, _ ->
                call({ it.removeBookmark(id) }) { removed ->
                    setBookmark(null)
                    if (removed != null) {
                        messageBar.show(getString(R.string.bookmark_removed), getString(R.string.undo), 6000) {
                            call({ it.restoreBookmark(removed) }) { setBookmark(removed) }
                        }
                    }
                }
            }
        }
        Ui.show(builder)
        note.requestFocus()
    }

    // ---- links -------------------------------------------------------------------------

    /** A tapped link: another article opens here; an address outside asks first. */
    fun followLink(target: LinkTarget) {
        when (target) {
            is LinkTarget.Article -> startActivity(intent(this, target.id, null))
            is LinkTarget.External -> confirmLeaving(target.url)
        }
    }

    /** A link out of the app: say where it goes and what leaving means, then open it. */
    private fun confirmLeaving(url: String) {
        Ui.show(
            AlertDialog.Builder(this)
                .setTitle(R.string.leave_app_title)
                .setMessage(getString(R.string.leave_app_message, Uri.parse(url).host ?: url))
                .setNegativeButton(R.string.cancel, null)
                .setPositiveButton(R.string.open_link) { _, _ ->
                    try {
                        startActivity(Intent(Intent.ACTION_VIEW, Uri.parse(url)).addCategory(Intent.CATEGORY_BROWSABLE))
                    } catch (e: ActivityNotFoundException) {
                        messageBar.show(getString(R.string.something_went_wrong))
                    }
                },
        )
    }

    companion object {
        const val EXTRA_ID = "org.quire.app.ARTICLE"
        const val EXTRA_HIGHLIGHT = "org.quire.app.HIGHLIGHT"

        fun intent(context: Context, id: String, highlight: String?): Intent =
            Intent(context, ArticleActivity::class.java).putExtra(EXTRA_ID, id).apply {
                if (highlight != null) putExtra(EXTRA_HIGHLIGHT, highlight)
            }

        /** The UTF-16 index of scalar [codePoints] into [text], clamped to the text. */
        fun utf16Of(text: String, codePoints: Int): Int {
            val n = text.codePointCount(0, text.length)
            return text.offsetByCodePoints(0, codePoints.coerceIn(0, n))
        }

        /** [view]'s top relative to [ancestor]. */
        fun topIn(view: View, ancestor: View): Int {
            var y = 0
            var v: View? = view
            while (v != null && v !== ancestor) {
                y += v.top
                v = v.parent as? View
            }
            return y
        }
    }
}
