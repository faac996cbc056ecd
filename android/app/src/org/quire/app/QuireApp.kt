package org.quire.app

import android.app.Activity
import android.app.Application
import android.os.Bundle
import java.io.File

/**
 * The process: one [Core] (one Reader on one worker thread) and the count of started
 * screens, which tells the core when the app goes to the background and comes back.
 */
open class QuireApp : Application() {
    /** The reader's data: app-private, never backed up (the no-backup directory). */
    val readerDir: File by lazy { File(noBackupFilesDir, "quire") }

    val core: Core by lazy { Core { bundleSource().open(this, readerDir) } }

    private var started = 0

    /** Whether the reader was told about a repaired database (once a run). */
    var recoveryShown = false

    /** True from the moment the last screen stops until the next one starts. */
    var inBackground = false
        private set

    /** The built-in bundle; tests override this to open a bundle file by path. */
    open fun bundleSource(): BundleSource = AssetBundle()

    override fun onCreate() {
        super.onCreate()
        registerActivityLifecycleCallbacks(Lifecycle())
    }

    private inner class Lifecycle : ActivityLifecycleCallbacks {
        override fun onActivityStarted(activity: Activity) {
            started++
        }

        override fun onActivityStopped(activity: Activity) {
            started--
            if (started == 0 && !activity.isChangingConfigurations) {
                inBackground = true
                core.mayHaveLocked()
                core.call({ it.appBackgrounded() })
            }
        }

        override fun onActivityCreated(activity: Activity, savedInstanceState: Bundle?) {}

        override fun onActivityResumed(activity: Activity) {}

        override fun onActivityPaused(activity: Activity) {}

        override fun onActivitySaveInstanceState(activity: Activity, outState: Bundle) {}

        override fun onActivityDestroyed(activity: Activity) {}
    }

    /** Called by the screen that brings the app back: true once per return. */
    fun returnedFromBackground(): Boolean {
        val was = inBackground
        inBackground = false
        return was
    }
}
