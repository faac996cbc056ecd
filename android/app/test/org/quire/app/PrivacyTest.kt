package org.quire.app

import android.app.AlertDialog
import android.content.pm.ApplicationInfo
import android.content.pm.PackageManager
import android.text.InputType
import android.view.WindowManager
import android.view.inputmethod.EditorInfo
import android.widget.EditText
import java.io.File
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.tap
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowDialog
import org.xmlpull.v1.XmlPullParser

/** Privacy by construction: what the manifest, the windows and the fields allow. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class PrivacyTest {
    private val screens = listOf(
        SearchActivity::class.java,
        ArticleActivity::class.java,
        BookmarksActivity::class.java,
        SettingsActivity::class.java,
    )

    private fun secure(flags: Int) = flags and WindowManager.LayoutParams.FLAG_SECURE != 0

    private fun intentFor(type: Class<out BaseActivity>) =
        if (type == ArticleActivity::class.java) ArticleActivity.intent(TestSupport.app, STOP_ID, null) else null

    @Test
    fun everyScreensWindowIsSecure() {
        for (type in screens) {
            launch(type, intentFor(type)).use { c ->
                assertTrue("${type.simpleName} has FLAG_SECURE", secure(c.get().window.attributes.flags))
            }
        }
    }

    @Test
    fun everyDialogsWindowIsSecure() {
        core { it.addBookmark(STOP_ID, "note") }
        launch(ArticleActivity::class.java, ArticleActivity.intent(TestSupport.app, STOP_ID, null)).use { c ->
            tap(c.get().bookmarkButton)
            assertTrue("bookmark dialog", secure(ShadowDialog.getLatestDialog().window!!.attributes.flags))
        }
        launch(SettingsActivity::class.java).use { c ->
            val a = c.get()
            for (row in listOf(a.forgetRow, a.pinRow, a.disguiseRow, a.eraseRow)) {
                tap(row)
                val d = ShadowDialog.getLatestDialog() as AlertDialog
                assertTrue("settings dialog", secure(d.window!!.attributes.flags))
                d.dismiss()
            }
        }
        launch(BookmarksActivity::class.java).use { c ->
            val edit = TestSupport.views(c.get().list).first { it.contentDescription?.startsWith("Edit note") == true }
            tap(edit)
            assertTrue("note dialog", secure(ShadowDialog.getLatestDialog().window!!.attributes.flags))
        }
    }

    /** The keyboard learns nothing from any field, and no field is autofilled or kept. */
    @Test
    fun textFieldsTeachTheKeyboardNothing() {
        core { it.addBookmark(STOP_ID, "note") }
        val fields = ArrayList<EditText>()
        launch(SearchActivity::class.java).use { fields += TestSupport.views(it.get().root).filterIsInstance<EditText>() }
        launch(BookmarksActivity::class.java).use { c ->
            fields += TestSupport.views(c.get().root).filterIsInstance<EditText>()
            tap(TestSupport.views(c.get().list).first { it.contentDescription?.startsWith("Edit note") == true })
            fields += TestSupport.views(ShadowDialog.getLatestDialog().window!!.decorView).filterIsInstance<EditText>()
        }
        launch(ArticleActivity::class.java, ArticleActivity.intent(TestSupport.app, STOP_ID, null)).use { c ->
            tap(c.get().bookmarkButton)
            fields += TestSupport.views(ShadowDialog.getLatestDialog().window!!.decorView).filterIsInstance<EditText>()
        }
        launch(SettingsActivity::class.java).use { c ->
            for (dialog in listOf(c.get().setPinDialog(), c.get().lockOptionsDialog(), c.get().removePinDialog())) {
                fields += TestSupport.views(dialog.window!!.decorView).filterIsInstance<EditText>()
            }
        }
        core {
            it.setPin(null, "2468")
            it.lockNow()
        }
        launch(SearchActivity::class.java).use { fields += TestSupport.views(assertNotNull(it.get().lockView)).filterIsInstance<EditText>() }
        assertTrue("${fields.size} fields", fields.size >= 9)
        for (f in fields) {
            val name = f.hint
            assertTrue("$name: no personalised learning", f.imeOptions and EditorInfo.IME_FLAG_NO_PERSONALIZED_LEARNING != 0)
            assertTrue("$name: no suggestions", f.inputType and InputType.TYPE_TEXT_FLAG_NO_SUGGESTIONS != 0)
            assertTrue("$name: not autofilled", f.importantForAutofill == android.view.View.IMPORTANT_FOR_AUTOFILL_NO_EXCLUDE_DESCENDANTS)
            assertTrue("$name: not kept in the saved state", !f.isSaveEnabled)
        }
    }

    /** The APK that aapt2 linked is the one Robolectric loaded: package, SDKs, no permission. */
    @Test
    fun theManifestAsksForNoPermissionAndNoBackup() {
        val app = RuntimeEnvironment.getApplication()
        assertEquals("org.quire.app", app.packageName)
        val info = app.applicationInfo
        assertEquals(28, info.minSdkVersion)
        assertEquals(35, info.targetSdkVersion)
        assertEquals("allowBackup=false", 0, info.flags and ApplicationInfo.FLAG_ALLOW_BACKUP)
        val pkg = app.packageManager.getPackageInfo(app.packageName, PackageManager.GET_PERMISSIONS)
        assertNull("no permissions requested", pkg.requestedPermissions)
        // And none hiding in the linked manifest itself.
        val tags = HashSet<String>()
        app.assets.openXmlResourceParser("AndroidManifest.xml").use { xml ->
            while (xml.next() != XmlPullParser.END_DOCUMENT) if (xml.eventType == XmlPullParser.START_TAG) tags.add(xml.name)
        }
        assertTrue(tags.none { it.startsWith("uses-permission") || it == "permission" })
    }

    /**
     * Robolectric parses the APK with the legacy PackageParser, which does not read
     * android:dataExtractionRules (ApplicationInfo.dataExtractionRulesRes stays 0), so this
     * reads the linked binary manifest itself, and the rules file it points to.
     */
    @Test
    fun dataExtractionRulesExcludeEverything() {
        val app = RuntimeEnvironment.getApplication()
        var rules = 0
        var allowBackup: Boolean? = null
        app.assets.openXmlResourceParser("AndroidManifest.xml").use { xml ->
            while (xml.next() != XmlPullParser.END_DOCUMENT) {
                if (xml.eventType == XmlPullParser.START_TAG && xml.name == "application") {
                    rules = xml.getAttributeResourceValue(ANDROID_NS, "dataExtractionRules", 0)
                    allowBackup = xml.getAttributeBooleanValue(ANDROID_NS, "allowBackup", true)
                }
            }
        }
        assertEquals(R.xml.data_extraction_rules, rules)
        assertEquals(false, allowBackup)
        val sections = ArrayList<String>()
        val excluded = HashSet<String>()
        app.resources.getXml(rules).use { xml ->
            while (xml.next() != XmlPullParser.END_DOCUMENT) {
                if (xml.eventType != XmlPullParser.START_TAG) continue
                if (xml.depth == 2) sections.add(xml.name)
                if (xml.name == "exclude") excluded.add(sections.last() + ":" + xml.getAttributeValue(null, "domain"))
            }
        }
        assertEquals(listOf("cloud-backup", "device-transfer"), sections)
        for (s in sections) for (d in listOf("root", "file", "database", "sharedpref", "external")) assertTrue("$s excludes $d", "$s:$d" in excluded)
    }

    /** The reader's data lives in the no-backup directory. */
    @Test
    fun userDataIsInTheNoBackupDirectory() {
        core { it.addBookmark(STOP_ID, "note") }
        val app = TestSupport.app
        assertEquals(File(app.noBackupFilesDir, "quire"), app.readerDir)
        assertTrue(app.readerDir.listFiles()!!.isNotEmpty())
    }

    /** Nothing is written to logcat or stdout: no android.util.Log, println or stack traces. */
    @Test
    fun theAppSourcesNeverLog() {
        val dir = File(System.getProperty("quire.appSources") ?: error("-Dquire.appSources is not set"))
        val sources = dir.walkTopDown().filter { it.isFile && it.name.endsWith(".kt") }.toList()
        assertTrue(sources.size >= 10)
        val banned = Regex("""\bLog\.[a-z]+\(|android\.util\.Log\b|\bprintln\(|\bprint\(|System\.(out|err)|printStackTrace\(""")
        for (f in sources) {
            f.readLines().forEachIndexed { i, line ->
                assertTrue("${f.name}:${i + 1} logs: $line", !banned.containsMatchIn(line))
            }
        }
    }

    private companion object {
        const val ANDROID_NS = "http://schemas.android.com/apk/res/android"
    }
}
