package org.quire.app

import android.os.Handler
import android.os.Looper
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import org.quire.core.Reader

/**
 * The one [Reader] of the process, used from one background thread.
 *
 * Every Reader call blocks (search takes about a millisecond, opening an article or
 * hashing a PIN tens), so the screens never call it on the main thread: [call] runs the
 * work on this object's single worker thread, in the order asked, and hands the result to
 * the main thread. The reader is opened there too, by the first call, with [open].
 */
class Core(private val open: () -> Reader) : AutoCloseable {
    private val worker: ExecutorService = Executors.newSingleThreadExecutor { r ->
        Thread(r, "quire-core").apply { isDaemon = true }
    }
    private val main = Handler(Looper.getMainLooper())
    private val pending = AtomicInteger()

    /** Touched on the worker thread only. */
    private var reader: Reader? = null

    /**
     * Whether a PIN was set, as last seen by the worker: read on the main thread to cover
     * the screens at once when the app goes to the background.
     */
    @Volatile
    var pinSet: Boolean = false
        private set

    /**
     * What the screens assume about the lock, on the main thread: true from the moment it
     * may have locked (the app left with a PIN set, a call was refused, quick exit) until
     * the core says otherwise. A screen that starts while this is true shows the lock at
     * once, before asking the core.
     */
    @Volatile
    var locked: Boolean = false

    /** The app may have locked (it went to the background, or quick exit). */
    fun mayHaveLocked() {
        if (pinSet) locked = true
    }

    /** Runs [work] with the reader on the worker thread, then [done] on the main thread. */
    fun <T> call(work: (Reader) -> T, done: (Result<T>) -> Unit = {}) {
        pending.incrementAndGet()
        worker.execute {
            val result = try {
                Result.success(work(reader()))
            } catch (e: Exception) {
                Result.failure(e)
            }
            main.post {
                try {
                    done(result)
                } finally {
                    pending.decrementAndGet()
                }
            }
        }
    }

    /** Refreshes [pinSet]; call it from worker code after the lock changed. */
    fun notePin(reader: Reader) {
        pinSet = try {
            reader.lockStatus().pinSet
        } catch (e: Exception) {
            pinSet
        }
    }

    /** True while work or its answer is still on its way (tests wait for it to settle). */
    val busy: Boolean
        get() = pending.get() > 0

    private fun reader(): Reader =
        reader ?: open().also {
            reader = it
            notePin(it)
        }

    /** Closes the reader after the work already asked for. */
    override fun close() {
        if (worker.isShutdown) return
        worker.execute {
            reader?.close()
            reader = null
        }
        worker.shutdown()
    }
}
