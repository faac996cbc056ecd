package org.quire.app

import android.app.AlertDialog
import android.view.ViewGroup
import android.widget.EditText
import android.widget.ImageButton
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.settle
import org.quire.app.TestSupport.tap
import org.quire.app.TestSupport.textOf
import org.quire.app.TestSupport.type
import org.quire.app.TestSupport.views
import org.quire.core.ReaderSettings
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowDialog

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class BookmarksTest {
    private fun row(a: BookmarksActivity, id: String): ViewGroup =
        views(a.list).first { it.tag == id } as ViewGroup

    private fun button(row: ViewGroup, description: String): ImageButton =
        views(row).filterIsInstance<ImageButton>().first { it.contentDescription.startsWith(description) }

    @Test
    fun emptyListExplainsHowToBookmark() {
        launch(BookmarksActivity::class.java).use { c ->
            assertNotNull(textOf(c.get().list, "No bookmarks yet"))
        }
    }

    @Test
    fun searchEditAndRemoveWithUndo() {
        core {
            it.addBookmark(STOP_ID, "read again before Friday")
            it.addBookmark(PROCESS_ID, null)
        }
        launch(BookmarksActivity::class.java).use { c ->
            val a = c.get()
            assertEquals(setOf(STOP_ID, PROCESS_ID), a.items.map { it.item.articleId }.toSet())
            type(a.field, "proc")
            assertEquals(listOf(PROCESS_ID), a.items.map { it.item.articleId })
            type(a.field, "")

            // Edit the note.
            tap(button(row(a, STOP_ID), "Edit note"))
            val dialog = ShadowDialog.getLatestDialog() as AlertDialog
            val note = dialog.findViewById<EditText>(R.id.note_field)!!
            assertEquals("read again before Friday", note.text.toString())
            note.setText("changed my mind")
            assertTrue(dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick())
            settle()
            assertNotNull(textOf(a.list, "changed my mind"))
            assertEquals("changed my mind", core { it.bookmarks() }.first { it.item.articleId == STOP_ID }.note)

            // Remove, then undo: back with its note and date.
            val created = core { it.bookmarks() }.first { it.item.articleId == STOP_ID }.createdAt
            tap(button(row(a, STOP_ID), "Remove bookmark"))
            assertEquals(listOf(PROCESS_ID), a.items.map { it.item.articleId })
            assertTrue(TestSupport.shown(a.messageBar))
            assertEquals("Undo", a.messageBar.action.text.toString())
            tap(a.messageBar.action)
            val back = a.items.first { it.item.articleId == STOP_ID }
            assertEquals("changed my mind", back.note)
            assertEquals(created, back.createdAt)
        }
    }

    @Test
    fun anArticleNoLongerAvailableIsShownAsSuchAndKept() {
        core {
            it.addBookmark(STOP_ID, "my note")
            it.importJson(it.exportJson().replace(STOP_ID, "removed-by-an-update"))
            it.removeBookmark(STOP_ID)
        }
        launch(BookmarksActivity::class.java).use { c ->
            val a = c.get()
            val item = a.items.single()
            assertFalse(item.item.available)
            val row = row(a, "removed-by-an-update")
            assertNotNull(textOf(row, "No longer available"))
            assertNotNull("its note is kept", textOf(row, "my note"))
            val text = row.getChildAt(0)
            assertFalse("it does not open", text.isClickable)
            assertNull(shadowOf(a).peekNextStartedActivity())
        }
    }

    @Test
    fun discreetDisplayShowsLabelsAndNoNotes() {
        core {
            it.addBookmark(STOP_ID, "private words")
            it.setSettings(ReaderSettings(discreetDisplay = true))
        }
        launch(BookmarksActivity::class.java).use { c ->
            val a = c.get()
            val label = core { it.discreetLabel(STOP_ID) }
            assertNotNull(textOf(a.list, label))
            assertNull(textOf(a.list, "Consent"))
            assertNull(textOf(a.list, "private words"))
            assertNotNull(textOf(a.list, "Has a note"))
            // The hidden note cannot be edited blind.
            assertTrue(views(row(a, STOP_ID)).filterIsInstance<ImageButton>().none { it.contentDescription.startsWith("Edit note") })
        }
    }
}
