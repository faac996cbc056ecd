package org.quire.app

import android.app.Activity
import android.app.ActivityManager
import android.content.Intent
import android.os.Build
import android.os.Bundle
import android.os.Handler
import android.os.Looper
import android.util.TypedValue
import android.view.Gravity
import android.view.View
import android.view.WindowManager
import android.widget.Button
import android.widget.FrameLayout
import android.widget.LinearLayout
import android.widget.TextView
import org.quire.core.QuireException
import org.quire.core.Reader

/**
 * What every screen shares: a secure window, the toolbar with the always-visible quick exit,
 * the lock screen over the content, a message bar, and calls to the core off the main
 * thread with their answers dropped once the screen is gone.
 */
abstract class BaseActivity : Activity() {
    val app: QuireApp
        get() = application as QuireApp
    val core: Core
        get() = app.core

    lateinit var root: FrameLayout
        private set
    lateinit var toolbar: LinearLayout
        private set
    lateinit var toolbarTitle: TextView
        private set
    lateinit var quickExitButton: Button
        private set
    /** The screen's own views, hidden while the lock shows. */
    lateinit var content: FrameLayout
        private set
    lateinit var messageBar: MessageBar
        private set

    /** The lock screen, when it shows. */
    var lockView: LockView? = null
        private set

    /** Quick exit was pressed: the screen is going, it saves nothing on the way out. */
    var exiting = false
        private set

    /** The screen's content must be (re)loaded once the reader is unlocked. */
    private var needsLoad = true

    protected val main = Handler(Looper.getMainLooper())

    /** The toolbar's title. */
    abstract val titleId: Int

    /** Whether the toolbar has a back button (every screen but search). */
    open val hasBack: Boolean = true

    /** Adds the screen's own icon buttons to the toolbar, before quick exit. */
    open fun addToolbarActions(bar: LinearLayout) {}

    /** Builds the screen's views (no core calls here). */
    abstract fun buildContent(): View

    /** Loads what the screen shows from the core; called again after an unlock. */
    abstract fun load()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Keep every screen out of screenshots, screen recordings, casts and the recents
        // thumbnail.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        if (Build.VERSION.SDK_INT >= 33) setRecentsScreenshotEnabled(false)
        Disguise.applyTaskLabel(this)
        toolbar = buildToolbar()
        content = FrameLayout(this)
        val column = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            addView(toolbar, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
            addView(content, LinearLayout.LayoutParams(Ui.MATCH, 0, 1f))
        }
        messageBar = MessageBar(this)
        // targetSdk 35 draws edge to edge: the root takes the system bars' insets as padding.
        root = FrameLayout(this).apply {
            fitsSystemWindows = true
            setBackgroundColor(getColor(R.color.background))
            importantForAutofill = View.IMPORTANT_FOR_AUTOFILL_NO_EXCLUDE_DESCENDANTS
            addView(column, FrameLayout.LayoutParams(Ui.MATCH, Ui.MATCH))
            addView(messageBar, FrameLayout.LayoutParams(Ui.MATCH, Ui.WRAP, Gravity.BOTTOM).apply {
                val m = Ui.dp(this@BaseActivity, 12)
                setMargins(m, m, m, m)
            })
        }
        content.addView(buildContent(), FrameLayout.LayoutParams(Ui.MATCH, Ui.MATCH))
        setContentView(root)
        if (core.locked) showLock()
        call({ it.lockStatus().locked }) { locked ->
            if (locked) lockRefused() else loadNow()
        }
    }

    override fun onStart() {
        super.onStart()
        if (app.returnedFromBackground()) {
            if (core.locked) showLock()
            call({ it.appForegrounded() }) { mustLock -> if (mustLock) lockRefused() else unlocked() }
        } else if (core.locked) {
            showLock()
        } else if (lockView != null) {
            // Another screen of the app was unlocked meanwhile.
            unlocked()
        }
    }

    // ---- calls to the core -------------------------------------------------------------

    /**
     * Runs [work] on the core's thread; [ok] gets its answer on the main thread unless the
     * screen is gone. A refusal because the reader is locked shows the lock; other failures
     * a message (never the core's detail, which is for developers).
     */
    fun <T> call(work: (Reader) -> T, ok: (T) -> Unit = {}) {
        core.call(work) { result ->
            if (isDestroyed) return@call
            result.fold(ok, ::failed)
        }
    }

    open fun failed(error: Throwable) {
        when (error) {
            is QuireException.Locked -> lockRefused()
            is QuireException.StorageFull -> messageBar.show(getString(R.string.storage_full))
            is QuireException.NotABundle, is QuireException.DamagedBundle, is QuireException.UnsupportedBundleVersion ->
                messageBar.show(getString(R.string.cannot_open_articles))
            else -> messageBar.show(getString(R.string.something_went_wrong))
        }
    }

    private fun loadNow() {
        needsLoad = false
        load()
    }

    /** The core refused a call, or said the lock must show. */
    private fun lockRefused() {
        core.locked = true
        needsLoad = true
        showLock()
    }

    // ---- the lock ----------------------------------------------------------------------

    fun showLock() {
        val view = lockView ?: LockView(this).also {
            lockView = it
            root.addView(it, FrameLayout.LayoutParams(Ui.MATCH, Ui.MATCH))
        }
        content.visibility = View.INVISIBLE
        toolbar.visibility = View.INVISIBLE
        messageBar.hide()
        view.refresh()
    }

    /** The reader is unlocked (by this screen's lock, another's, or the core's answer). */
    fun unlocked() {
        core.locked = false
        lockView?.let {
            it.stop()
            root.removeView(it)
        }
        lockView = null
        content.visibility = View.VISIBLE
        toolbar.visibility = View.VISIBLE
        if (needsLoad) loadNow()
    }

    @Suppress("OVERRIDE_DEPRECATION")
    override fun onBackPressed() {
        // Back on the lock leaves the app, it never reveals the screen below.
        if (lockView != null) moveTaskToBack(true) else finish()
    }

    // ---- quick exit --------------------------------------------------------------------

    /**
     * Quick exit: the core forgets the session (and locks when a PIN is set); every task of
     * the app is removed, its screens with it, and the home screen shows.
     */
    fun quickExit() {
        exiting = true
        core.mayHaveLocked()
        core.call({ it.quickExit() })
        startActivity(
            Intent(Intent.ACTION_MAIN).addCategory(Intent.CATEGORY_HOME).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK),
        )
        getSystemService(ActivityManager::class.java)?.appTasks?.forEach { it.finishAndRemoveTask() }
        finishAndRemoveTask()
    }

    // ---- views -------------------------------------------------------------------------

    private fun buildToolbar(): LinearLayout {
        val bar = LinearLayout(this).apply {
            orientation = LinearLayout.HORIZONTAL
            gravity = Gravity.CENTER_VERTICAL
            setBackgroundColor(getColor(R.color.bar))
            minimumHeight = Ui.dp(this@BaseActivity, 56)
            setPadding(Ui.dp(this@BaseActivity, if (hasBack) 4 else 16), 0, Ui.dp(this@BaseActivity, 8), 0)
        }
        if (hasBack) {
            bar.addView(Ui.iconButton(this, R.drawable.ic_arrow_back, R.string.back) { finish() })
        }
        toolbarTitle = Ui.text(this, 20f, bold = true).apply {
            setText(titleId)
            isAccessibilityHeading = true
            maxLines = 1
            ellipsize = android.text.TextUtils.TruncateAt.END
            setPadding(Ui.dp(this@BaseActivity, if (hasBack) 8 else 0), 0, Ui.dp(this@BaseActivity, 8), 0)
        }
        bar.addView(toolbarTitle, LinearLayout.LayoutParams(0, Ui.WRAP, 1f))
        addToolbarActions(bar)
        quickExitButton = quickExitButton()
        bar.addView(quickExitButton, LinearLayout.LayoutParams(Ui.WRAP, Ui.dp(this, Ui.TOUCH_DP)).apply {
            marginStart = Ui.dp(this@BaseActivity, 4)
        })
        return bar
    }

    /** The quick exit button, also on the lock screen. */
    fun quickExitButton(): Button =
        Ui.button(this, R.string.quick_exit, filled = true) { quickExit() }.apply {
            id = R.id.quick_exit
            contentDescription = getString(R.string.quick_exit_description)
            setTextSize(TypedValue.COMPLEX_UNIT_SP, 15f)
        }
}
