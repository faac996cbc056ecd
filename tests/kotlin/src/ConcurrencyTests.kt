// Many threads on one bundle and one store, as an app's background pool would use them.
package org.quire.tests

import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.quire.core.ArticleBundle
import org.quire.core.SearchOptions

/** Starts [n] threads running [body] together, waits for all, rethrows the first failure. */
fun inParallel(n: Int, body: (Int) -> Unit) {
    val start = CountDownLatch(1)
    val errors = ConcurrentLinkedQueue<Throwable>()
    val threads = (0 until n).map { i ->
        Thread {
            start.await()
            try {
                body(i)
            } catch (t: Throwable) {
                errors += t
            }
        }.apply { start() }
    }
    start.countDown()
    threads.forEach { it.join(120_000) }
    assertTrue(threads.none { it.isAlive }, "a thread is stuck (deadlock?)")
    errors.firstOrNull()?.let { throw AssertionError("${errors.size} thread(s) failed; first: $it", it) }
}

fun registerConcurrencyTests(s: Suite) {
    s.test("8 threads searching and bookmarking at once") {
        val (store, _) = freshStore("parallel")
        val queries = listOf("consent", "painful sex", "withdrawing consent", "stop", "communicat", "relatoinship", "\"safe word\"")
        val expected = queries.associateWith { Env.generated.search(it, SearchOptions()) }
        val rounds = 60
        val searches = AtomicInteger()
        store.use {
            inParallel(8) { t ->
                for (i in 0 until rounds) {
                    val q = queries[(t + i) % queries.size]
                    assertEquals(expected[q], Env.generated.search(q, SearchOptions()), "same answer under load")
                    searches.incrementAndGet()
                    it.addBookmark("t$t-$i", "note $t/$i", if (i % 2 == 0) "even" else null)
                    it.setProgress("t$t-$i", i / rounds.toDouble())
                    if (i % 10 == 9) it.removeBookmark("t$t-${i - 1}")
                    if (i % 15 == 0) it.bookmarksFlagged(Env.generated)
                    it.bookmark("t$t-$i")
                }
            }
            val ids = it.bookmarks().map { b -> b.articleId }.toSet()
            val want = (0 until 8).flatMap { t -> (0 until rounds).filter { i -> i % 10 != 8 }.map { i -> "t$t-$i" } }.toSet()
            assertEquals(want, ids)
            assertEquals(8 * rounds, it.allProgress().size)
            assertEquals(8 * rounds, searches.get())
            assertEquals(want.size, it.bookmarksFlagged(Env.generated).count { f -> f.missing })
        }
    }

    s.test("close() while 4 threads search: no crash; freed once the calls in flight drain") {
        // UniFFI's close() marks the object closed and frees the Rust side when the last
        // call in flight returns. While other threads still have calls in flight, a new
        // call may still start and succeed (it sees a live object); once they drain, every
        // call throws IllegalStateException. Either way each call gets a right answer or
        // that exception, never a crash or a wrong answer.
        val bundle = ArticleBundle.open(Env.generatedPath.path)
        val want = bundle.search("consent", SearchOptions(limit = 5u))
        val ok = AtomicLong()
        val refused = AtomicInteger()
        val stop = AtomicBoolean(false)
        val running = CountDownLatch(4)
        val errors = ConcurrentLinkedQueue<Throwable>()
        val threads = (0 until 4).map {
            Thread {
                running.countDown()
                while (!stop.get()) {
                    try {
                        assertEquals(want, bundle.search("consent", SearchOptions(limit = 5u)))
                        ok.incrementAndGet()
                    } catch (e: IllegalStateException) {
                        refused.incrementAndGet()
                    } catch (t: Throwable) {
                        errors += t
                        break
                    }
                }
            }.apply { start() }
        }
        running.await()
        Thread.sleep(50)
        bundle.close()
        Thread.sleep(100)
        stop.set(true)
        threads.forEach { it.join(30_000) }
        assertTrue(threads.none { it.isAlive })
        assertTrue(errors.isEmpty(), "unexpected: ${errors.firstOrNull()}")
        assertTrue(ok.get() > 0)
        assertFailsWith<IllegalStateException> { bundle.search("consent", SearchOptions()) }
        println("        $ok searches answered, $refused refused after close()")
    }
}
