package org.quire.app

import android.app.Activity
import android.app.AlertDialog
import android.content.Intent
import android.net.Uri
import java.io.File
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.settle
import org.quire.app.TestSupport.tap
import org.quire.app.TestSupport.textOf
import org.quire.app.TestSupport.type
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowDialog

/** The packs the Kotlin step built and signed beside the test bundle. */
fun testPack(name: String): File = File(File(TestSupport.bundlePath).parentFile, name)

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class PacksTest {
    /** Picks [file] in the (simulated) system file picker of [a]. */
    private fun pick(a: PacksActivity, file: File): AlertDialog? {
        tap(a.addRow)
        val asked = shadowOf(a).nextStartedActivityForResult
        assertEquals(Intent.ACTION_OPEN_DOCUMENT, asked.intent.action)
        shadowOf(a).receiveResult(asked.intent, Activity.RESULT_OK, Intent().setData(Uri.fromFile(file)))
        settle()
        return ShadowDialog.getLatestDialog() as? AlertDialog
    }

    private fun message(d: AlertDialog): String =
        TestSupport.texts(d.window!!.decorView).joinToString("\n") { it.text.toString() }

    @Test
    fun aPackIsCheckedShownWithItsFingerprintAddedSearchedUpdatedAndRemoved() {
        launch(PacksActivity::class.java).use { c ->
            val a = c.get()
            assertEquals(listOf("quire-builtin"), a.packs.map { it.id })
            assertTrue(textOf(a.list, "Comes with the app") != null)

            val offer = pick(a, testPack("clinic-v1.quire"))!!
            val fingerprint = a.offer!!.pack.publisher!!
            val text = message(offer)
            assertTrue(text, text.contains("Add “Example Clinic”?"))
            assertTrue(text, text.contains(fingerprint) && text.contains("not added from before"))
            assertEquals("Trust and add", offer.getButton(AlertDialog.BUTTON_POSITIVE).text.toString())
            assertTrue(core { it.packs() }.size == 1)
            assertTrue(offer.getButton(AlertDialog.BUTTON_POSITIVE).performClick())
            settle()
            assertEquals(listOf("quire-builtin", "org.example.clinic"), a.packs.map { it.id })
            assertEquals("Added “Example Clinic”.", a.messageBar.message.text.toString())
            assertTrue(textOf(a.list, "version 1 · Publisher key $fingerprint") != null)

            // The update: the same publisher, asked only to confirm.
            val update = pick(a, testPack("clinic-v2.quire"))!!
            assertTrue(message(update).contains("Updates version 1 to version 2"))
            assertEquals("Add", update.getButton(AlertDialog.BUTTON_POSITIVE).text.toString())
            update.getButton(AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            assertEquals(2uL, a.packs[1].version)
        }
        // Results from the pack say where they come from.
        launch(SearchActivity::class.java).use { c ->
            type(c.get().field, "copper coil")
            val hit = c.get().page!!.hits.first()
            assertEquals("org.example.clinic/emergency-contraception", hit.articleId)
            assertTrue(textOf(c.get().list, "From Example Clinic") != null)
            // The built-in articles carry no such line.
            type(c.get().field, "withdrawing consent")
            assertEquals(STOP_ID, c.get().page!!.hits.first().articleId)
        }
        core { it.addBookmark("org.example.clinic/sti-testing", null) }
        launch(PacksActivity::class.java).use { c ->
            val a = c.get()
            val dialog = a.confirmRemove(a.packs[1])
            assertTrue(message(dialog).contains("bookmarks in it are kept"))
            dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            assertEquals(listOf("quire-builtin"), a.packs.map { it.id })
        }
        val kept = core { it.bookmarks() }.single()
        assertTrue(!kept.item.available)
    }

    @Test
    fun unsignedTamperedAndForeignFilesAreNamedForWhatTheyAre() {
        launch(PacksActivity::class.java).use { c ->
            val a = c.get()
            val unsigned = pick(a, testPack("unsigned.quire"))!!
            assertTrue(message(unsigned).contains("Not signed: anyone could have made or changed this file"))
            assertEquals("Add anyway", unsigned.getButton(AlertDialog.BUTTON_POSITIVE).text.toString())
            unsigned.dismiss()

            val bytes = testPack("clinic-v1.quire").readBytes()
            bytes[bytes.size - 40] = (bytes[bytes.size - 40].toInt() xor 1).toByte()
            val tampered = File(a.cacheDir, "tampered.quire").apply { writeBytes(bytes) }
            pick(a, tampered)
            assertEquals("This file was changed after its publisher signed it. It was not added.", a.messageBar.message.text.toString())

            pick(a, File(TestSupport.bundlePath))
            assertEquals("This file holds articles but is not a pack. It was not added.", a.messageBar.message.text.toString())
            val junk = File(a.cacheDir, "notes.txt").apply { writeText("shopping list") }
            pick(a, junk)
            assertEquals("This file is damaged or not an article pack. It was not added.", a.messageBar.message.text.toString())
            assertEquals(1, core { it.packs() }.size)
        }
    }
}
