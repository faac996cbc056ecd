// Reader.searchDirect (bindings/kotlin/.../DirectSearch.kt): the search screen's one-call
// search gives what the generated Reader.search gives, errors included, on every thread.
package org.quire.tests

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.quire.core.DirectSearch
import org.quire.core.QuireException
import org.quire.core.Reader
import org.quire.core.ReaderSettings
import org.quire.core.SearchRequest
import org.quire.core.searchDirect

fun registerDirectSearchTests(s: Suite) {
    val requests = listOf(
        SearchRequest(text = "withdrawing consent", suggestions = 3u),
        SearchRequest(text = "consnet"),
        SearchRequest(text = "contra", limit = 3u, offset = 1u),
        SearchRequest(text = "\"saying no\" partner"),
        SearchRequest(text = "consent", tags = listOf("consent")),
        SearchRequest(text = "consent", packs = listOf("quire-builtin")),
        SearchRequest(text = "zzzqqq"),
        SearchRequest(text = "consent", limit = 101u, offset = 5000u),
        SearchRequest(text = ""),
        SearchRequest(text = "🙂 café \u0000 ünïcödé ".repeat(40)),
    )

    s.test("searchDirect: the same pages as search, and the same errors") {
        val (reader, _) = freshReader("direct-same")
        reader.use {
            for (r in requests) assertEquals(it.search(r), it.searchDirect(r), r.text)
            assertEquals(STOP_ID, it.searchDirect(requests[0]).hits.first().articleId)
            // A submitted search is recorded once, whichever path made it.
            it.setSettings(ReaderSettings(recentSearchesEnabled = true))
            it.searchDirect(SearchRequest(text = "saying no", submitted = true))
            assertEquals(listOf("saying no"), it.recentSearches().map { e -> e.query })
            it.setPin(null, "plum-orchard-7731")
            it.lockNow()
            assertFailsWith<QuireException.Locked> { it.searchDirect(requests[0]) }
            it.unlock("plum-orchard-7731")
            assertEquals(it.search(requests[0]), it.searchDirect(requests[0]))
        }
        // Closed: refused as the generated calls refuse it.
        assertFailsWith<IllegalStateException> { reader.searchDirect(requests[0]) }
    }

    s.test("the benchmark's timed reader search (feature bench-timing) times inside the library") {
        val (reader, _) = freshReader("direct-timed")
        reader.use {
            val t0 = System.nanoTime()
            val inside = it.timedSearchForTests(requests[0])
            val wall = System.nanoTime() - t0
            assertTrue(inside > 0uL && inside.toLong() < wall, "inside $inside ns, whole call $wall ns")
            it.lockNow() // no PIN: stays unlocked, and the timed search still searches
            it.setPin(null, "plum-orchard-7731")
            it.lockNow()
            assertFailsWith<QuireException.Locked> { it.timedSearchForTests(requests[0]) }
        }
        assertFailsWith<IllegalStateException> { reader.timedSearchForTests(requests[0]) }
    }

    s.test("searchDirect: a reply longer than the thread's buffer, two readers, eight threads") {
        val dir = Env.newDir("direct-long")
        Reader.open(Env.generatedPath.path, dir.path).use { big ->
            val (small, _) = freshReader("direct-small")
            small.use {
                val long = SearchRequest(text = "partner", limit = 100u)
                val page = big.searchDirect(long)
                assertEquals(100, page.hits.size)
                assertTrue(DirectSearch.buffers.get().reply.capacity() > DirectSearch.FIRST_REPLY_CAPACITY,
                    "the reply did not outgrow the first buffer: the test no longer tests the long path")
                assertEquals(big.search(long), page)
                // Each key names its own reader.
                assertEquals(small.search(requests[0]), small.searchDirect(requests[0]))
                assertEquals(big.search(requests[0]), big.searchDirect(requests[0]))
                assertTrue(big.searchDirect(requests[0]) != small.searchDirect(requests[0]))
                assertEquals(small.directSearchKey(), small.directSearchKey())
                assertTrue(small.directSearchKey() != big.directSearchKey())
                val expected = requests.map { r -> big.search(r) }
                val pool = Executors.newFixedThreadPool(8)
                val jobs = (0 until 8).map { t ->
                    pool.submit<Int> {
                        var n = 0
                        repeat(25) { i ->
                            val k = (t + i) % requests.size
                            assertEquals(expected[k], big.searchDirect(requests[k]))
                            n++
                        }
                        n
                    }
                }
                assertEquals(200, jobs.sumOf { j -> j.get(60, TimeUnit.SECONDS) })
                pool.shutdown()
            }
        }
    }
}
