package org.quire.app

import android.app.Activity
import android.app.AlertDialog
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.widget.EditText
import java.io.File
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
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
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowDialog

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class SettingsTest {
    private fun fields(dialog: AlertDialog): List<EditText> =
        TestSupport.views(dialog.window!!.decorView).filterIsInstance<EditText>()

    @Test
    fun everythingIsOffByDefaultAndTheSwitchesWriteToTheCore() {
        launch(SettingsActivity::class.java).use { c ->
            val a = c.get()
            for (s in listOf(a.history, a.recent, a.discreet, a.clearOnExit)) assertFalse(s.isChecked)
            tap(a.history)
            tap(a.recent)
            tap(a.clearOnExit)
            val s = core { it.settings() }
            assertTrue(s.historyEnabled && s.recentSearchesEnabled && s.clearRecentSearchesOnQuickExit)
            assertFalse(s.discreetDisplay)
            // Auto-forget: one choice for history and recent searches.
            tap(a.forgetRow)
            val dialog = ShadowDialog.getLatestDialog() as AlertDialog
            dialog.listView.performItemClick(dialog.listView.getChildAt(1), 1, 1)
            settle()
            val after = core { it.settings() }
            assertEquals(7u, after.historyRetentionDays)
            assertEquals(7u, after.recentSearchesRetentionDays)
            assertNotNull(textOf(a.forgetRow, "7 days"))
        }
    }

    @Test
    fun discreetDisplayChangesWhatSearchShows() {
        launch(SettingsActivity::class.java).use { c -> tap(c.get().discreet) }
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            type(a.field, "withdrawing consent")
            val hit = assertNotNull(a.page).hits.first()
            assertTrue(hit.discreet)
            assertEquals(core { it.discreetLabel(STOP_ID) }, hit.title)
            assertEquals(null, textOf(a.list, "Consent During Sex"))
            assertNotNull(textOf(a.list, hit.title))
        }
    }

    @Test
    fun theDisguiseSwitchesTheEnabledAlias() {
        launch(SettingsActivity::class.java).use { c ->
            val a = c.get()
            val pm = a.packageManager
            assertEquals(Disguise.Name.QUIRE, Disguise.current(a))
            assertNotNull(textOf(a.disguiseRow, "Quire"))
            tap(a.disguiseRow)
            val dialog = ShadowDialog.getLatestDialog() as AlertDialog
            dialog.listView.performItemClick(dialog.listView.getChildAt(1), 1, 1)
            settle()
            assertEquals(
                PackageManager.COMPONENT_ENABLED_STATE_ENABLED,
                pm.getComponentEnabledSetting(Disguise.component(a, Disguise.Name.NOTES)),
            )
            for (other in listOf(Disguise.Name.QUIRE, Disguise.Name.JOURNAL)) {
                assertEquals(PackageManager.COMPONENT_ENABLED_STATE_DISABLED, pm.getComponentEnabledSetting(Disguise.component(a, other)))
            }
            assertEquals(Disguise.Name.NOTES, Disguise.current(a))
            assertNotNull(textOf(a.disguiseRow, "Notes"))
            // Every alias opens the search screen.
            for (name in Disguise.Name.entries) {
                val info = pm.getActivityInfo(Disguise.component(a, name), PackageManager.MATCH_DISABLED_COMPONENTS)
                assertEquals(SearchActivity::class.java.name, info.targetActivity)
            }
        }
    }

    @Test
    fun exportThenImportRoundTripsThroughTheFilePicker() {
        core { it.addBookmark(STOP_ID, "read again before Friday") }
        val file = File(RuntimeEnvironment.getApplication().cacheDir, "picked.json")
        launch(SettingsActivity::class.java).use { c ->
            val a = c.get()
            tap(a.exportRow)
            val asked = shadowOf(a).nextStartedActivityForResult
            assertEquals(Intent.ACTION_CREATE_DOCUMENT, asked.intent.action)
            assertEquals("application/json", asked.intent.type)
            assertTrue(asked.intent.getStringExtra(Intent.EXTRA_TITLE)!!.startsWith("backup-"))
            shadowOf(a).receiveResult(asked.intent, Activity.RESULT_OK, Intent().setData(Uri.fromFile(file)))
            settle()
            val json = file.readText()
            assertTrue(json.contains(STOP_ID) && json.contains("read again before Friday"))

            core { it.eraseAll() }
            assertTrue(core { it.bookmarks() }.isEmpty())

            tap(a.importRow)
            val open = shadowOf(a).nextStartedActivityForResult
            assertEquals(Intent.ACTION_OPEN_DOCUMENT, open.intent.action)
            shadowOf(a).receiveResult(open.intent, Activity.RESULT_OK, Intent().setData(Uri.fromFile(file)))
            settle()
            assertEquals("read again before Friday", core { it.bookmarks() }.single().note)
            assertTrue(a.messageBar.message.text.toString(), a.messageBar.message.text.startsWith("Imported. Bookmarks: 1,"))
        }
    }

    @Test
    fun aFileThatIsNotAnExportIsRefused() {
        val file = File(RuntimeEnvironment.getApplication().cacheDir, "not-an-export.json")
        file.writeText("{\"hello\": 1}")
        launch(SettingsActivity::class.java).use { c ->
            val a = c.get()
            tap(a.importRow)
            val open = shadowOf(a).nextStartedActivityForResult
            shadowOf(a).receiveResult(open.intent, Activity.RESULT_OK, Intent().setData(Uri.fromFile(file)))
            settle()
            assertTrue(a.messageBar.message.text.contains("not a Quire export"))
        }
    }

    @Test
    fun eraseAllAsksFirst() {
        core { it.addBookmark(STOP_ID, "note") }
        launch(SettingsActivity::class.java).use { c ->
            val a = c.get()
            tap(a.eraseRow)
            val dialog = ShadowDialog.getLatestDialog() as AlertDialog
            assertTrue(dialog.isShowing)
            assertEquals(1, core { it.bookmarks() }.size)
            assertTrue(dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick())
            settle()
            assertTrue(core { it.bookmarks() }.isEmpty())
            assertEquals("All your data is erased.", a.messageBar.message.text.toString())
        }
    }

    @Test
    fun aPinIsSetChangedCheckedAndItsOptionsSaved() {
        launch(SettingsActivity::class.java).use { c ->
            val a = c.get()
            assertFalse(TestSupport.shown(a.removePinRow))
            var dialog = a.setPinDialog()
            var f = fields(dialog)
            f[0].setText("2468")
            f[1].setText("2469")
            dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            assertTrue("mismatch keeps the dialog", dialog.isShowing)
            assertNotNull(textOf(dialog.window!!.decorView, "differ"))
            f[1].setText("2468")
            dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            assertFalse(dialog.isShowing)
            assertTrue(core { it.lockStatus() }.pinSet)
            assertTrue(TestSupport.shown(a.removePinRow) && TestSupport.shown(a.lockOptionsRow))

            // Options need the PIN: a wrong one is refused and counted.
            dialog = a.lockOptionsDialog()
            f = fields(dialog)
            f[0].setText("0000")
            val switches = TestSupport.views(dialog.window!!.decorView).filterIsInstance<android.widget.Switch>()
            switches.last().isChecked = true // erase after 10
            dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            assertTrue(dialog.isShowing)
            assertNotNull(textOf(dialog.window!!.decorView, "Wrong PIN"))
            f[0].setText("2468")
            val radios = TestSupport.views(dialog.window!!.decorView).filterIsInstance<android.widget.RadioButton>()
            radios[1].isChecked = true // 30 seconds
            dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            assertFalse(dialog.isShowing)
            val lock = core { it.lockStatus() }
            assertEquals(30u, lock.relockAfterSecs)
            assertEquals(SettingsActivity.ERASE_AFTER, lock.eraseAfter)

            dialog = a.removePinDialog()
            fields(dialog)[0].setText("2468")
            dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick()
            settle()
            assertFalse(core { it.lockStatus() }.pinSet)
            assertFalse(TestSupport.shown(a.removePinRow))
        }
    }
}
