package org.quire.app

import android.app.AlertDialog
import android.text.style.BackgroundColorSpan
import android.widget.EditText
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.launchNext
import org.quire.app.TestSupport.settle
import org.quire.app.TestSupport.spanned
import org.quire.app.TestSupport.tap
import org.quire.app.TestSupport.textOf
import org.quire.app.TestSupport.type
import org.quire.core.ReaderSettings
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowDialog

/**
 * The reader's way through the app, by its screens only: search "withdrawing consent" on a
 * bus, read the best article first with its words marked, bookmark it with a note, find it
 * again in bookmarks, and see it under "Recently read" once history is on.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class, qualifiers = "w360dp-h640dp-xhdpi")
class JourneyTest {
    @Test
    fun searchReadBookmarkFindAgain() {
        TestSupport.core { it.setSettings(ReaderSettings(historyEnabled = true)) }
        launch(SearchActivity::class.java).use { search ->
            val s = search.get()
            type(s.field, "withdrawing consent")
            val first = s.list.getChildAt(0)
            assertTrue(textOf(first, "Consent During Sex") != null)
            tap(first)
            launchNext(s, ArticleActivity::class.java).use { article ->
                val a = article.get()
                val view = assertNotNull(a.opened).view
                assertEquals(STOP_ID, view.id)
                val marked = a.drawn.mapNotNull { it.text }.flatMap { spanned(it, BackgroundColorSpan::class.java) }.map { it.lowercase() }
                assertTrue("$marked", marked.any { it.startsWith("withdraw") } && marked.any { it.startsWith("consent") })
                assertTrue("scrolled to the first match", a.scroll.scrollY > 0)

                tap(a.bookmarkButton)
                val dialog = ShadowDialog.getLatestDialog() as AlertDialog
                dialog.findViewById<EditText>(R.id.note_field)!!.setText("for the talk on Sunday")
                assertTrue(dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick())
                settle()
                assertEquals("Bookmarked", a.messageBar.message.text.toString())
                article.pause().stop().destroy()
            }
            settle()
            s.field.text.clear()
            settle()
            assertTrue("recently read, now that history is on", textOf(s.list, "Recently read") != null)
            assertTrue(textOf(s.list, "Consent During Sex") != null)

            tap(s.findViewById<android.view.View>(R.id.open_bookmarks)!!)
            launchNext(s, BookmarksActivity::class.java).use { bookmarks ->
                val b = bookmarks.get()
                assertEquals(listOf(STOP_ID), b.items.map { it.item.articleId })
                assertTrue(textOf(b.list, "for the talk on Sunday") != null)
                type(b.field, "sunday")
                assertEquals(listOf(STOP_ID), b.items.map { it.item.articleId })
            }
        }
    }
}
