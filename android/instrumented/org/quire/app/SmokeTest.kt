package org.quire.app

import android.view.WindowManager
import androidx.test.core.app.ActivityScenario
import androidx.test.ext.junit.runners.AndroidJUnit4
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith

/**
 * The instrumented smoke test (CI, on an emulator): the real APK, its native library for the
 * emulator's ABI, the bundle opened from the APK by file descriptor. Search finds the right
 * article first, the window is secure, quick exit finishes the screen.
 */
@RunWith(AndroidJUnit4::class)
class SmokeTest {
    @Test
    fun searchFindsTheArticleAndQuickExitLeaves() {
        ActivityScenario.launch(SearchActivity::class.java).use { scenario ->
            scenario.onActivity { it.field.setText("withdrawing consent") }
            var first: String? = null
            val deadline = System.currentTimeMillis() + 20_000
            while (first == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(100)
                scenario.onActivity { a -> first = a.page?.hits?.firstOrNull()?.articleId }
            }
            assertEquals("consent-during-sex-stop-means-stop", first)
            scenario.onActivity { a ->
                assertTrue(a.window.attributes.flags and WindowManager.LayoutParams.FLAG_SECURE != 0)
                a.quickExitButton.performClick()
                assertTrue(a.isFinishing)
            }
        }
    }
}
