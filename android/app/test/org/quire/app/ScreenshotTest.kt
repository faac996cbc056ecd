package org.quire.app

import android.graphics.Bitmap
import android.graphics.Canvas
import android.view.View
import java.io.File
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * Renders the screen with Robolectric's native graphics (real Skia via the nativeruntime
 * library) and writes PNGs to the `quire.screenshotDir` system property (default
 * build/screenshots).
 */
@RunWith(RobolectricTestRunner::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE)
@Config(sdk = [35], qualifiers = "w360dp-h640dp-xhdpi")
class ScreenshotTest {
    @Test
    fun light() = shoot("hello")

    @Test
    @Config(qualifiers = "+night")
    fun dark() = shoot("hello-night")

    private fun shoot(name: String) {
        Robolectric.buildActivity(MainActivity::class.java).setup().use { controller ->
            val activity = controller.get()
            activity.input.setText("Ada")
            activity.button.performClick()
            val root: View = activity.window.decorView
            val bitmap = Bitmap.createBitmap(root.width, root.height, Bitmap.Config.ARGB_8888)
            root.draw(Canvas(bitmap))
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
}
