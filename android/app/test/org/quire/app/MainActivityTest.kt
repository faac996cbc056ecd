package org.quire.app

import android.content.pm.ApplicationInfo
import android.content.pm.PackageManager
import android.view.WindowManager
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.xmlpull.v1.XmlPullParser

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class MainActivityTest {
    @Test
    fun windowIsSecure() {
        Robolectric.buildActivity(MainActivity::class.java).setup().use { controller ->
            val flags = controller.get().window.attributes.flags
            assertTrue("FLAG_SECURE is set", flags and WindowManager.LayoutParams.FLAG_SECURE != 0)
        }
    }

    @Test
    fun typingAndClickingChangesTheGreeting() {
        Robolectric.buildActivity(MainActivity::class.java).setup().use { controller ->
            val activity = controller.get()
            assertEquals("Quire", activity.greeting.text.toString()) // R.string.app_name
            activity.input.setText("Ada")
            assertTrue(activity.button.performClick())
            assertNotEquals("Quire", activity.greeting.text.toString())
            assertEquals("Hello, Ada!", activity.greeting.text.toString())
        }
    }

    /** The APK that aapt2 linked is the one Robolectric loaded: package, SDKs, backup rules. */
    @Test
    fun manifestIsTheApps() {
        val app = RuntimeEnvironment.getApplication()
        assertEquals("org.quire.app", app.packageName)
        val info = app.applicationInfo
        assertEquals(28, info.minSdkVersion)
        assertEquals(35, info.targetSdkVersion)
        assertEquals("allowBackup=false", 0, info.flags and ApplicationInfo.FLAG_ALLOW_BACKUP)
        val pkg = app.packageManager.getPackageInfo(app.packageName, PackageManager.GET_PERMISSIONS)
        assertNull("no permissions requested", pkg.requestedPermissions)
    }

    /**
     * Robolectric parses the APK with the legacy PackageParser, which does not read
     * android:dataExtractionRules (ApplicationInfo.dataExtractionRulesRes stays 0), so this
     * reads the linked binary manifest itself, and the rules file it points to.
     */
    @Test
    fun dataExtractionRulesAreLinked() {
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
        app.resources.getXml(rules).use { xml ->
            while (xml.next() != XmlPullParser.END_DOCUMENT) {
                if (xml.eventType == XmlPullParser.START_TAG && xml.depth == 2) sections.add(xml.name)
            }
        }
        assertEquals(listOf("cloud-backup", "device-transfer"), sections)
    }

    private companion object {
        const val ANDROID_NS = "http://schemas.android.com/apk/res/android"
    }
}
