package org.quire.app

import android.content.Intent
import android.text.Editable
import android.text.SpannableString
import android.text.Spanned
import android.text.TextWatcher
import android.text.style.StyleSpan
import android.text.style.UnderlineSpan
import android.view.Gravity
import android.view.KeyEvent
import android.view.View
import android.view.inputmethod.EditorInfo
import android.view.inputmethod.InputMethodManager
import android.widget.EditText
import android.widget.ImageButton
import android.widget.ImageView
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import java.util.concurrent.atomic.AtomicInteger
import org.quire.core.HistoryItem
import org.quire.core.ListItem
import org.quire.core.RecentItem
import org.quire.core.SearchPage
import org.quire.core.SearchRequest
import org.quire.core.searchDirect

/**
 * The first screen: a search field ready to type, results as the reader types (computed
 * on the core's thread, answers to older text dropped), "did you mean", title suggestions,
 * the matched words marked, and, before anything is typed, recent searches and recently
 * read articles when the reader turned those on.
 */
class SearchActivity : BaseActivity() {
    override val titleId = R.string.search_title
    override val hasBack = false

    lateinit var field: EditText
        private set
    lateinit var clearButton: ImageButton
        private set
    lateinit var suggestion: TextView
        private set
    lateinit var count: TextView
    lateinit var without: TextView
        private set
    /** Rows: titles, results, or the idle lists. */
    lateinit var list: LinearLayout
        private set

    /** The page on screen (tests read it). */
    var page: SearchPage? = null
        private set

    /** Sequence number of the latest text; answers to older ones are dropped. */
    private var sequence = 0
    /** The same number, read by the core's thread to skip searches already stale. */
    private val latest = AtomicInteger()

    override fun addToolbarActions(bar: LinearLayout) {
        bar.addView(
            Ui.iconButton(this, R.drawable.ic_bookmark_border, R.string.open_bookmarks) {
                startActivity(Intent(this, BookmarksActivity::class.java))
            }.apply { id = R.id.open_bookmarks },
        )
        bar.addView(
            Ui.iconButton(this, R.drawable.ic_settings, R.string.open_settings) {
                startActivity(Intent(this, SettingsActivity::class.java))
            }.apply { id = R.id.open_settings },
        )
    }

    override fun buildContent(): View {
        field = Ui.privateField(this, R.string.search_hint).apply {
            id = R.id.search_field
            imeOptions = EditorInfo.IME_FLAG_NO_PERSONALIZED_LEARNING or EditorInfo.IME_ACTION_SEARCH
            background = null
            setPadding(Ui.dp(this@SearchActivity, 8), 0, 0, 0)
            addTextChangedListener(object : TextWatcher {
                override fun beforeTextChanged(s: CharSequence?, start: Int, count: Int, after: Int) {}

                override fun onTextChanged(s: CharSequence?, start: Int, before: Int, count: Int) {}

                override fun afterTextChanged(s: Editable?) {
                    clearButton.visibility = if (s.isNullOrEmpty()) View.INVISIBLE else View.VISIBLE
                    query(s?.toString() ?: "", submitted = false)
                }
            })
            setOnEditorActionListener { _, actionId, event ->
                val enter = event != null && event.keyCode == KeyEvent.KEYCODE_ENTER && event.action == KeyEvent.ACTION_DOWN
                if (actionId == EditorInfo.IME_ACTION_SEARCH || enter) {
                    submit()
                    true
                } else {
                    false
                }
            }
        }
        clearButton = Ui.iconButton(this, R.drawable.ic_close, R.string.clear_search) {
            field.text.clear()
            field.requestFocus()
        }.apply { visibility = View.INVISIBLE }
        val box = LinearLayout(this).apply {
            orientation = LinearLayout.HORIZONTAL
            gravity = Gravity.CENTER_VERTICAL
            background = android.graphics.drawable.GradientDrawable().apply {
                setColor(getColor(R.color.surface))
                setStroke(Ui.dp(this@SearchActivity, 1), getColor(R.color.divider))
                cornerRadius = Ui.dp(this@SearchActivity, 28).toFloat()
            }
            setPadding(Ui.dp(this@SearchActivity, 16), 0, Ui.dp(this@SearchActivity, 4), 0)
            addView(
                ImageView(this@SearchActivity).apply {
                    setImageResource(R.drawable.ic_search)
                    importantForAccessibility = View.IMPORTANT_FOR_ACCESSIBILITY_NO
                },
            )
            addView(field, LinearLayout.LayoutParams(0, Ui.dp(this@SearchActivity, 52), 1f))
            addView(clearButton)
        }
        suggestion = Ui.text(this, 16f, R.color.accent).apply {
            id = R.id.suggestion
            visibility = View.GONE
            minHeight = Ui.dp(this@SearchActivity, Ui.TOUCH_DP)
            gravity = Gravity.CENTER_VERTICAL
            setPadding(Ui.dp(this@SearchActivity, 16), 0, Ui.dp(this@SearchActivity, 16), 0)
        }
        without = Ui.text(this, 14f, R.color.text_secondary).apply {
            id = R.id.without
            visibility = View.GONE
            setPadding(Ui.dp(this@SearchActivity, 16), Ui.dp(this@SearchActivity, 8), Ui.dp(this@SearchActivity, 16), 0)
        }
        count = Ui.text(this, 14f, R.color.text_secondary).apply {
            setPadding(Ui.dp(this@SearchActivity, 16), Ui.dp(this@SearchActivity, 8), 0, Ui.dp(this@SearchActivity, 4))
            visibility = View.GONE
            accessibilityLiveRegion = View.ACCESSIBILITY_LIVE_REGION_POLITE
        }
        list = LinearLayout(this).apply {
            id = R.id.results
            orientation = LinearLayout.VERTICAL
            setPadding(0, 0, 0, Ui.dp(this@SearchActivity, 24))
        }
        val scroll = ScrollView(this).apply {
            isFillViewport = true
            addView(
                LinearLayout(this@SearchActivity).apply {
                    orientation = LinearLayout.VERTICAL
                    addView(suggestion, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
                    addView(without, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
                    addView(count, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
                    addView(list, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
                },
            )
        }
        return LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            val pad = Ui.dp(this@SearchActivity, 12)
            addView(box, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP).apply { setMargins(pad, pad, pad, Ui.dp(this@SearchActivity, 4)) })
            addView(scroll, LinearLayout.LayoutParams(Ui.MATCH, 0, 1f))
        }
    }

    override fun load() {
        field.requestFocus()
        // A damaged database was repaired at open: say so once, in plain words.
        if (!app.recoveryShown) {
            call({ it.recovery() }) { report ->
                app.recoveryShown = true
                if (report != null && report.lostAnything) {
                    messageBar.show(getString(R.string.data_repaired), millis = 10_000)
                }
            }
        }
        // The same session's last search comes back (a rotated screen); none after quick exit.
        call({ it.lastQuery() }) { last ->
            if (last != null && field.text.isEmpty()) {
                field.setText(last)
                field.setSelection(field.text.length)
            } else {
                query(field.text.toString(), submitted = false)
            }
        }
    }

    /** Searches for [text]; the answer is drawn only if no newer text was typed meanwhile. */
    fun query(text: String, submitted: Boolean) {
        val n = ++sequence
        latest.set(n)
        if (text.isBlank()) {
            showIdle(n)
            return
        }
        call({ reader ->
            if (!submitted && latest.get() != n) {
                null // stale before it started: skip it
            } else {
                // One direct call into the library per keystroke (DirectSearch.kt).
                reader.searchDirect(SearchRequest(text = text, limit = 20u, suggestions = 3u, submitted = submitted))
            }
        }) { answer -> if (answer != null && n == sequence) show(answer) }
    }

    /** The reader pressed search: the same search, recorded if recent searches are on. */
    private fun submit() {
        getSystemService(InputMethodManager::class.java)?.hideSoftInputFromWindow(field.windowToken, 0)
        query(field.text.toString(), submitted = true)
    }

    private fun show(answer: SearchPage) {
        page = answer
        list.removeAllViews()
        showSuggestion(answer)
        showWithout(answer)
        count.visibility = View.VISIBLE
        count.text = resources.getQuantityString(R.plurals.result_count, answer.total.toInt(), answer.total.toInt())
        if (answer.titles.isNotEmpty()) {
            list.addView(Ui.heading(this, R.string.titles_heading).apply { setPadding(Ui.dp(this@SearchActivity, 16), Ui.dp(this@SearchActivity, 12), 0, Ui.dp(this@SearchActivity, 4)) })
            for (item in answer.titles) addRow(item, highlight = null)
            list.addView(Ui.heading(this, R.string.results_heading).apply { setPadding(Ui.dp(this@SearchActivity, 16), Ui.dp(this@SearchActivity, 16), 0, Ui.dp(this@SearchActivity, 4)) })
        }
        for (item in answer.hits) addRow(item, highlight = answer.query)
        if (answer.hits.isEmpty()) {
            count.visibility = View.GONE
            list.addView(
                Rows.empty(this, getString(R.string.no_results, answer.query), getString(R.string.no_results_hint)).apply {
                    id = R.id.empty_state
                },
            )
        }
    }

    private fun addRow(item: ListItem, highlight: String?) {
        if (list.childCount > 0 && list.getChildAt(list.childCount - 1) !is TextView) list.addView(Rows.divider(this))
        list.addView(Rows.item(this, item) { openArticle(it.articleId, highlight) })
    }

    /** "No article has every word. Results without: keep", the words in bold. */
    private fun showWithout(answer: SearchPage) {
        if (answer.without.isEmpty() || answer.hits.isEmpty()) {
            without.visibility = View.GONE
            return
        }
        val words = answer.without.joinToString(", ")
        val template = getString(R.string.results_without, "\u0000")
        val at = template.indexOf('\u0000')
        val s = SpannableString(template.replace("\u0000", words))
        s.setSpan(StyleSpan(android.graphics.Typeface.BOLD), at, at + words.length, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE)
        without.text = s
        without.visibility = View.VISIBLE
    }

    private fun showSuggestion(answer: SearchPage) {
        val fix = answer.suggestion
        if (fix == null) {
            suggestion.visibility = View.GONE
            return
        }
        val template = getString(if (answer.corrected) R.string.showing_results_for else R.string.did_you_mean, "\u0000")
        val at = template.indexOf('\u0000')
        val s = SpannableString(template.replace("\u0000", fix))
        s.setSpan(StyleSpan(android.graphics.Typeface.BOLD), at, at + fix.length, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE)
        if (!answer.corrected) s.setSpan(UnderlineSpan(), at, at + fix.length, Spanned.SPAN_EXCLUSIVE_EXCLUSIVE)
        suggestion.text = s
        suggestion.visibility = View.VISIBLE
        if (answer.corrected) {
            suggestion.setTextColor(getColor(R.color.text_secondary))
            suggestion.setOnClickListener(null)
            suggestion.isClickable = false
        } else {
            suggestion.setTextColor(getColor(R.color.accent))
            suggestion.setOnClickListener {
                field.setText(fix)
                field.setSelection(field.text.length)
            }
        }
    }

    /** Nothing typed: a welcome, and the recent searches and reading history if kept. */
    private fun showIdle(n: Int) {
        page = null
        suggestion.visibility = View.GONE
        count.visibility = View.GONE
        call({ r -> Pair(r.recentSearches(), r.history()) }) { (recent, history) ->
            if (n == sequence) drawIdle(recent, history)
        }
    }

    private fun drawIdle(recent: List<RecentItem>, history: List<HistoryItem>) {
        list.removeAllViews()
        list.addView(Rows.empty(this, getString(R.string.search_welcome_title), getString(R.string.search_welcome)).apply { id = R.id.empty_state })
        val pad = Ui.dp(this, 16)
        if (recent.isNotEmpty()) {
            list.addView(Ui.heading(this, R.string.recent_searches).apply { setPadding(pad, pad, pad, Ui.dp(this@SearchActivity, 4)) })
            for (r in recent.take(5)) {
                list.addView(Rows.line(this, r.label) {
                    field.setText(r.query)
                    field.setSelection(field.text.length)
                })
            }
        }
        if (history.isNotEmpty()) {
            list.addView(Ui.heading(this, R.string.recently_read).apply { setPadding(pad, pad, pad, Ui.dp(this@SearchActivity, 4)) })
            for (h in history.take(5)) list.addView(Rows.item(this, h.item) { openArticle(it.articleId, null) })
        }
    }

    private fun openArticle(id: String, highlight: String?) {
        startActivity(ArticleActivity.intent(this, id, highlight))
    }
}
