package org.quire.app

import android.app.Activity
import android.content.Intent
import android.os.Looper
import android.text.Spanned
import android.view.View
import android.view.ViewGroup
import android.widget.EditText
import android.widget.TextView
import java.time.Duration
import org.robolectric.Robolectric
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ActivityController

/**
 * The app under test with its one seam replaced: the bundle is the test bundle file
 * (`-Dquire.testBundle`, built from the corpus) instead of the APK asset. The core is the
 * real library, loaded through JNA.
 */
class TestApp : QuireApp() {
    override fun bundleSource(): BundleSource = FileBundle(TestSupport.bundlePath)

    override fun onTerminate() {
        core.close()
        super.onTerminate()
    }
}

/** Article ids of the built-in corpus. */
const val STOP_ID = "consent-during-sex-stop-means-stop"
const val PROCESS_ID = "consent-is-a-process"

object TestSupport {
    val bundlePath: String
        get() = System.getProperty("quire.testBundle") ?: error("-Dquire.testBundle is not set (run android/test.sh)")

    val app: TestApp
        get() = RuntimeEnvironment.getApplication() as TestApp

    /**
     * Lets the core's thread and the main thread finish what they were asked: runs the main
     * looper until no call to the core is on its way.
     */
    fun settle() {
        val main = shadowOf(Looper.getMainLooper())
        val deadline = System.nanoTime() + 30_000_000_000L
        do {
            main.idle()
            if (!app.core.busy) break
            Thread.sleep(1)
        } while (System.nanoTime() < deadline)
        check(!app.core.busy) { "the core did not settle within 30 s" }
        main.idle()
    }

    /** Advances the main looper's clock (timers: message bar, countdown). */
    fun advance(millis: Long) {
        shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(millis))
    }

    /** Runs [work] on the core's thread, as the app does, and returns its answer. */
    fun <T> core(work: (org.quire.core.Reader) -> T): T {
        var out: Result<T>? = null
        app.core.call(work) { out = it }
        settle()
        return out!!.getOrThrow()
    }

    fun <A : Activity> launch(type: Class<A>, intent: Intent? = null): ActivityController<A> {
        val controller = if (intent == null) Robolectric.buildActivity(type) else Robolectric.buildActivity(type, intent)
        controller.setup()
        settle()
        return controller
    }

    /** The next activity the app started, launched (its intent as given). */
    fun <A : Activity> launchNext(from: Activity, type: Class<A>): ActivityController<A> {
        val next = shadowOf(from).nextStartedActivity ?: error("nothing was started")
        check(next.component?.className == type.name) { "started ${next.component}, not ${type.name}" }
        return launch(type, next)
    }

    fun type(field: EditText, text: String) {
        field.setText(text)
        settle()
    }

    fun views(root: View): List<View> {
        val out = ArrayList<View>()
        fun walk(v: View) {
            out.add(v)
            if (v is ViewGroup) for (i in 0 until v.childCount) walk(v.getChildAt(i))
        }
        walk(root)
        return out
    }

    fun shown(v: View): Boolean {
        var x: View? = v
        while (x != null) {
            if (x.visibility != View.VISIBLE) return false
            x = x.parent as? View
        }
        return true
    }

    fun texts(root: View): List<TextView> = views(root).filterIsInstance<TextView>().filter { shown(it) }

    fun textOf(root: View, contains: String): TextView? = texts(root).firstOrNull { it.text.toString().contains(contains) }

    /** The parts of [tv]'s text covered by spans of [type]. */
    fun <S> spanned(tv: TextView, type: Class<S>): List<String> {
        val text = tv.text as? Spanned ?: return emptyList()
        return text.getSpans(0, text.length, type).map { text.subSequence(text.getSpanStart(it), text.getSpanEnd(it)).toString() }
    }

    /** Clicks [view] the way a finger would (the view must be clickable and enabled). */
    fun tap(view: View) {
        check(view.isClickable) { "$view is not clickable" }
        check(view.isEnabled) { "$view is disabled" }
        check(shown(view)) { "$view is not on screen" }
        // A switch handles its click without a listener (performClick then says false).
        view.performClick()
        settle()
    }
}

/** [value], failing the test when it is null (JUnit's assertNotNull returns nothing). */
fun <T : Any> assertNotNull(value: T?): T = value ?: throw AssertionError("expected a value, got null")

fun <T : Any> assertNotNull(message: String, value: T?): T = value ?: throw AssertionError("$message: got null")
