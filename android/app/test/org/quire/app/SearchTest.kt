package org.quire.app

import android.text.InputType
import android.text.style.BackgroundColorSpan
import android.view.inputmethod.EditorInfo
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.settle
import org.quire.app.TestSupport.spanned
import org.quire.app.TestSupport.tap
import org.quire.app.TestSupport.textOf
import org.quire.app.TestSupport.type
import org.quire.core.ReaderSettings
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class SearchTest {
    @Test
    fun opensReadyToTypeWithAWelcome() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            assertTrue("the search field has the focus", a.field.hasFocus())
            assertTrue(a.field.inputType and InputType.TYPE_TEXT_FLAG_NO_SUGGESTIONS != 0)
            assertTrue(a.field.imeOptions and EditorInfo.IME_FLAG_NO_PERSONALIZED_LEARNING != 0)
            assertNotNull("a welcome when nothing is typed", textOf(a.list, "Read privately"))
        }
    }

    @Test
    fun withdrawingConsentShowsTheRightArticleFirstWithItsWordsMarked() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "withdrawing consent")
            val page = assertNotNull(a.page)
            assertEquals(STOP_ID, page.hits.first().articleId)
            val first = a.list.getChildAt(0) as android.view.ViewGroup
            val title = first.getChildAt(0) as android.widget.TextView
            assertTrue(title.text.startsWith("Consent During Sex"))
            val snippet = first.getChildAt(1) as android.widget.TextView
            val marked = spanned(snippet, BackgroundColorSpan::class.java).map { it.lowercase() }
            assertTrue("$marked", marked.any { it.startsWith("withdraw") })
            assertTrue("$marked", marked.any { it.startsWith("consent") })
            assertNotNull(textOf(a.root, "2 articles") ?: textOf(a.root, "1 article"))
        }
    }

    @Test
    fun answersToOlderTextAreDropped() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            // Typed faster than answers come back: only the last text's answer is drawn.
            for (text in listOf("w", "wi", "wit", "with", "withdr", "withdrawing", "consent is a pro")) a.field.setText(text)
            settle()
            assertEquals("consent is a pro", assertNotNull(a.page).query)
        }
    }

    @Test
    fun titleSuggestionsAreMarked() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "consent is a pro")
            val titles = assertNotNull(a.page).titles
            assertEquals(PROCESS_ID, titles.first().articleId)
            assertNotNull(textOf(a.list, "Titles"))
            val row = a.list.getChildAt(1) as android.view.ViewGroup
            assertTrue(spanned(row.getChildAt(0) as android.widget.TextView, BackgroundColorSpan::class.java).isNotEmpty())
        }
    }

    @Test
    fun didYouMeanIsTappable() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "consnet")
            val page = assertNotNull(a.page)
            val fix = assertNotNull("a correction for 'consnet'", page.suggestion)
            assertTrue(TestSupport.shown(a.suggestion))
            if (!page.corrected) {
                tap(a.suggestion)
                assertEquals(fix, a.field.text.toString())
            }
            assertTrue(a.suggestion.text.contains(fix))
        }
    }

    @Test
    fun wordsNoArticleUsesAreNamedNotCorrected() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "partner wanted me to keep going yesterday")
            val page = assertNotNull(a.page)
            assertEquals(listOf("yesterday"), page.without)
            assertNull("keep is English: no correction", page.suggestion)
            assertFalse(TestSupport.shown(a.suggestion))
            assertTrue(TestSupport.shown(a.without))
            assertTrue(a.without.text.toString(), a.without.text.toString().endsWith("Results without: yesterday"))
            type(a.field, "withdrawing consent")
            assertFalse(TestSupport.shown(a.without))
        }
    }

    @Test
    fun noResultsSaySo() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "qqqxxzzy")
            assertNotNull(textOf(a.list, "No articles match"))
        }
    }

    @Test
    fun submittedSearchesAreKeptOnlyWhenTurnedOn() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "withdrawing consent")
            a.field.onEditorAction(EditorInfo.IME_ACTION_SEARCH)
            settle()
            assertTrue("off by default", core { it.recentSearches() }.isEmpty())
            core { it.setSettings(ReaderSettings(recentSearchesEnabled = true)) }
            a.field.onEditorAction(EditorInfo.IME_ACTION_SEARCH)
            settle()
            assertEquals(listOf("withdrawing consent"), core { it.recentSearches() }.map { it.query })
            type(a.field, "")
            val recent = assertNotNull("recent searches on the empty screen", textOf(a.list, "withdrawing consent"))
            tap(recent.parent as android.view.View)
            assertEquals("withdrawing consent", a.field.text.toString())
        }
    }

    @Test
    fun aResultOpensItsArticleWithTheWordsToMark() {
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "withdrawing consent")
            tap(a.list.getChildAt(0))
            val next = assertNotNull(shadowOf(a).nextStartedActivity)
            assertEquals(ArticleActivity::class.java.name, next.component?.className)
            assertEquals(STOP_ID, next.getStringExtra(ArticleActivity.EXTRA_ID))
            assertEquals("withdrawing consent", next.getStringExtra(ArticleActivity.EXTRA_HIGHLIGHT))
        }
    }

    @Test
    fun aRepairedDatabaseIsReportedOnce() {
        // The reader's database file is damaged before the app opens it.
        val dir = TestSupport.app.readerDir
        dir.mkdirs()
        java.io.File(dir, "quire-user.sqlite3").writeBytes(ByteArray(8192) { 0x5A })
        launch(SearchActivity::class.java).use { c ->
            assertTrue(TestSupport.shown(c.get().messageBar))
            assertTrue(c.get().messageBar.message.text.contains("repaired"))
        }
        launch(SearchActivity::class.java).use { c -> assertFalse(TestSupport.shown(c.get().messageBar)) }
    }

    @Test
    fun theLastSearchComesBackOnlyInTheSameSession() {
        launch(SearchActivity::class.java).use { c ->
            type(c.get().field, "withdrawing consent")
        }
        launch(SearchActivity::class.java).use { c ->
            assertEquals("a rebuilt screen keeps the search", "withdrawing consent", c.get().field.text.toString())
            core { it.quickExit() }
        }
        launch(SearchActivity::class.java).use { c ->
            assertEquals("", c.get().field.text.toString())
            assertNull(c.get().page)
            assertFalse(TestSupport.shown(c.get().suggestion))
        }
    }
}
