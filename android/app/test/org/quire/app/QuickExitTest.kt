package org.quire.app

import android.app.ActivityManager
import android.content.Intent
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.tap
import org.quire.app.TestSupport.type
import org.quire.core.ReaderSettings
import org.quire.core.SearchRequest
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowAppTask

/** Quick exit on every screen: the core forgets the session, the task goes, home shows. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class QuickExitTest {
    private fun exitFrom(activity: BaseActivity) {
        // The app's task, as the system lists it.
        val task = ShadowAppTask.newInstance()
        val am = activity.getSystemService(ActivityManager::class.java)
        shadowOf(am).setAppTasks(listOf(task))
        val button = activity.quickExitButton
        assertTrue("quick exit is on screen", TestSupport.shown(button))
        assertEquals("Quick exit: leave the app now", button.contentDescription)
        tap(button)
        assertTrue("the screen is finishing", activity.isFinishing)
        assertTrue("the task is finished and removed", shadowOf(task).isFinishedAndRemoved)
        val home = assertNotNull(shadowOf(activity).nextStartedActivity)
        assertEquals(Intent.ACTION_MAIN, home.action)
        assertTrue(home.hasCategory(Intent.CATEGORY_HOME))
    }

    @Test
    fun fromSearchTheSessionIsForgotten() {
        core { it.setSettings(ReaderSettings(recentSearchesEnabled = true, clearRecentSearchesOnQuickExit = true)) }
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "withdrawing consent")
            core { it.search(SearchRequest(text = "withdrawing consent", submitted = true)) }
            assertEquals(1, core { it.recentSearches() }.size)
            exitFrom(a)
            assertNull(core { it.lastQuery() })
            assertTrue("recent searches cleared, as chosen", core { it.recentSearches() }.isEmpty())
        }
    }

    @Test
    fun fromAnArticle() {
        launch(ArticleActivity::class.java, ArticleActivity.intent(TestSupport.app, STOP_ID, null)).use { c ->
            assertEquals(STOP_ID, core { it.openArticleId() })
            exitFrom(c.get())
            assertNull(core { it.openArticleId() })
        }
    }

    @Test
    fun fromBookmarksAndSettings() {
        launch(BookmarksActivity::class.java).use { exitFrom(it.get()) }
        launch(SettingsActivity::class.java).use { exitFrom(it.get()) }
    }

    @Test
    fun fromTheLockScreenAndTheLockStays() {
        core {
            it.setPin(null, "2468")
            it.lockNow()
        }
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            val lock = assertNotNull(a.lockView)
            val task = ShadowAppTask.newInstance()
            shadowOf(a.getSystemService(ActivityManager::class.java)).setAppTasks(listOf(task))
            val button = TestSupport.views(lock).first { it.id == R.id.quick_exit }
            tap(button)
            assertTrue(a.isFinishing)
            assertTrue(shadowOf(task).isFinishedAndRemoved)
            assertTrue(core { it.lockStatus() }.locked)
        }
    }
}
