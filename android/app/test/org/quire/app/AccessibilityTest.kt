package org.quire.app

import android.widget.ImageButton
import android.widget.TextView
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.type
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config

/** TalkBack labels, 48 dp touch targets and WCAG AA contrast, light and dark. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class, qualifiers = "w360dp-h640dp-xhdpi")
class AccessibilityTest {
    /** Every screen, filled: results, an article, bookmarks, settings, the lock. */
    private fun eachScreen(check: (BaseActivity) -> Unit) {
        core {
            it.addBookmark(STOP_ID, "read again")
            it.addBookmark(PROCESS_ID, null)
        }
        launch(SearchActivity::class.java).use { c ->
            type(c.get().field, "withdrawing consent")
            check(c.get())
        }
        launch(ArticleActivity::class.java, ArticleActivity.intent(TestSupport.app, STOP_ID, "withdrawing consent")).use { check(it.get()) }
        launch(BookmarksActivity::class.java).use { check(it.get()) }
        launch(SettingsActivity::class.java).use { check(it.get()) }
        core {
            it.setPin(null, "2468")
            it.lockNow()
        }
        launch(SearchActivity::class.java).use { check(it.get()) }
    }

    @Test
    fun everyTouchTargetIsAtLeast48dp() {
        eachScreen { a ->
            val min = 48 * a.resources.displayMetrics.density - 0.5f
            var checked = 0
            for (v in TestSupport.views(a.window.decorView)) {
                if (!TestSupport.shown(v) || !v.isClickable) continue
                // Selectable text is clickable for the selection handles, not a button.
                if (v is TextView && v.isTextSelectable) continue
                if (v === a.window.decorView || v === a.lockView) continue
                checked++
                assertTrue("${a.javaClass.simpleName}: $v is ${v.width}x${v.height}px", v.width >= min && v.height >= min)
            }
            assertTrue("${a.javaClass.simpleName}: $checked targets", checked >= 2)
        }
    }

    @Test
    fun everyIconButtonHasALabel() {
        eachScreen { a ->
            for (v in TestSupport.views(a.window.decorView).filterIsInstance<ImageButton>()) {
                assertTrue("${a.javaClass.simpleName}: $v", !v.contentDescription.isNullOrBlank())
            }
            val exit = a.quickExitButton
            assertTrue(exit.contentDescription.isNotBlank())
        }
    }

    @Test
    fun colourPairsPassWcagAa() = contrast()

    @Test
    @Config(qualifiers = "+night")
    fun colourPairsPassWcagAaInTheDark() = contrast()

    private fun contrast() {
        val c = RuntimeEnvironment.getApplication()
        fun col(id: Int) = c.getColor(id)
        val pairs = listOf(
            "text on background" to (R.color.text_primary to R.color.background),
            "secondary text on background" to (R.color.text_secondary to R.color.background),
            "text on bar" to (R.color.text_primary to R.color.bar),
            "secondary on bar" to (R.color.text_secondary to R.color.bar),
            "text on surface" to (R.color.text_primary to R.color.surface),
            "secondary on surface" to (R.color.text_secondary to R.color.surface),
            "accent on background" to (R.color.accent to R.color.background),
            "accent on surface" to (R.color.accent to R.color.surface),
            "button text on accent" to (R.color.on_accent to R.color.accent),
            "marked words" to (R.color.mark_text to R.color.mark_background),
            "error on background" to (R.color.error to R.color.background),
            "error on surface" to (R.color.error to R.color.surface),
            "message bar" to (R.color.background to R.color.text_primary),
            "code" to (R.color.text_primary to R.color.code_background),
            "quote" to (R.color.text_secondary to R.color.background),
            "icons on bar (3:1 for graphics)" to (R.color.icon to R.color.bar),
        )
        for ((name, pair) in pairs) {
            val ratio = ratio(col(pair.first), col(pair.second))
            val needed = if (name.contains("3:1")) 3.0 else 4.5
            assertTrue("$name: ${"%.2f".format(ratio)}:1", ratio >= needed)
        }
    }

    companion object {
        /** WCAG 2 contrast ratio of two opaque colours. */
        fun ratio(a: Int, b: Int): Double {
            val la = luminance(a)
            val lb = luminance(b)
            return (maxOf(la, lb) + 0.05) / (minOf(la, lb) + 0.05)
        }

        private fun luminance(c: Int): Double {
            fun ch(v: Int): Double {
                val s = v / 255.0
                return if (s <= 0.03928) s / 12.92 else Math.pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * ch((c shr 16) and 0xFF) + 0.7152 * ch((c shr 8) and 0xFF) + 0.0722 * ch(c and 0xFF)
        }
    }
}
