package org.quire.app

import android.app.Activity
import android.app.Dialog
import android.graphics.Bitmap
import android.graphics.Canvas
import java.io.File
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.settle
import org.quire.app.TestSupport.type
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode
import org.robolectric.shadows.ShadowDialog

/**
 * Renders every screen with Robolectric's native graphics (real Skia) into
 * `-Dquire.screenshotDir` (docs/screenshots/android/ from test.sh): search with results,
 * the article, bookmarks, settings and the lock, light and dark.
 */
@RunWith(RobolectricTestRunner::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE)
@Config(sdk = [35], application = TestApp::class, qualifiers = "w360dp-h720dp-xhdpi")
class ScreenshotTest {
    @Test
    fun light() = everyScreen("")

    @Test
    @Config(qualifiers = "+night")
    fun dark() = everyScreen("-dark")

    private fun everyScreen(suffix: String) {
        core {
            it.addBookmark(STOP_ID, "Read again before Friday. The part about saying stop.")
            it.addBookmark(PROCESS_ID, null)
        }
        launch(SearchActivity::class.java).use { c ->
            shoot(c.get(), "search-empty$suffix")
            type(c.get().field, "withdrawing consent")
            c.get().field.setSelection(c.get().field.text.length)
            shoot(c.get(), "search$suffix")
            type(c.get().field, "partner wanted me to keep going yesterday")
            c.get().field.setSelection(c.get().field.text.length)
            shoot(c.get(), "search-without$suffix")
        }
        launch(ArticleActivity::class.java, ArticleActivity.intent(TestSupport.app, STOP_ID, "withdrawing consent")).use {
            shoot(it.get(), "article$suffix")
            it.get().editBookmark()
            settle()
            shoot(it.get(), "bookmark-dialog$suffix", ShadowDialog.getLatestDialog())
        }
        launch(ArticleActivity::class.java, ArticleActivity.intent(TestSupport.app, PROCESS_ID, null)).use {
            shoot(it.get(), "article-top$suffix")
            // Its lists: bullets drawn in the margin, a nested list indented.
            val a = it.get()
            val firstItem = a.opened!!.view.blocks.indexOfFirst { b -> b.kind is org.quire.core.BlockKind.ListItem }
            a.scrollToBlock(firstItem - 1, 0, margin = 0)
            shoot(a, "article-list$suffix")
        }
        launch(BookmarksActivity::class.java).use { shoot(it.get(), "bookmarks$suffix") }
        launch(SettingsActivity::class.java).use { shoot(it.get(), "settings$suffix") }
        launch(PacksActivity::class.java).use { c ->
            val a = c.get()
            a.inspect(android.net.Uri.fromFile(testPack("clinic-v1.quire")))
            settle()
            shoot(a, "pack-offer$suffix", ShadowDialog.getLatestDialog())
            (ShadowDialog.getLatestDialog() as android.app.AlertDialog).getButton(android.app.AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            a.messageBar.hide()
            shoot(a, "packs$suffix")
        }
        launch(SearchActivity::class.java).use { c ->
            type(c.get().field, "copper coil")
            c.get().field.setSelection(c.get().field.text.length)
            shoot(c.get(), "search-pack$suffix")
        }
        core { it.removePack("org.example.clinic") }
        core {
            it.setPin(null, "2468")
            it.setLockOptions("2468", org.quire.core.LockOptions(deviceAuth = true))
            it.lockNow()
        }
        launch(SearchActivity::class.java).use { c ->
            val lock = c.get().lockView!!
            lock.pinField.setText("1357")
            lock.unlockButton.performClick()
            settle()
            shoot(c.get(), "lock$suffix")
        }
    }

    /** Draws [activity]'s window, and [dialog]'s over it on a scrim, as the screen shows them. */
    private fun shoot(activity: Activity, name: String, dialog: Dialog? = null) {
        settle()
        val root = activity.window.decorView
        val bitmap = Bitmap.createBitmap(root.width, root.height, Bitmap.Config.ARGB_8888)
        val canvas = Canvas(bitmap)
        root.draw(canvas)
        if (dialog != null) {
            canvas.drawColor(0x99000000.toInt())
            val d = dialog.window!!.decorView
            canvas.save()
            canvas.translate((root.width - d.width) / 2f, (root.height - d.height) / 2f)
            d.draw(canvas)
            canvas.restore()
        }
        val dir = File(System.getProperty("quire.screenshotDir") ?: "build/screenshots")
        dir.mkdirs()
        val file = File(dir, "$name.png")
        file.outputStream().use { bitmap.compress(Bitmap.CompressFormat.PNG, 100, it) }
        assertTrue("$file written", file.length() > 0)
        val colors = HashSet<Int>()
        for (y in 0 until bitmap.height step 2) for (x in 0 until bitmap.width step 2) colors.add(bitmap.getPixel(x, y))
        // A blank or single-colour frame has 1-2 colours; anti-aliased text has dozens.
        assertTrue("$name has ${colors.size} colours: rendered nothing?", colors.size > 20)
    }
}
