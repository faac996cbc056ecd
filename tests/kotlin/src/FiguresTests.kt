// Latency of typical calls as the shells make them (through JNA, debug build of the
// library with optimised dependencies). Printed for docs/adr/0020, not asserted: these
// machines are shared and noisy, and the benchmark owns the targets.
package org.quire.tests

import org.quire.core.SearchOptions

fun percentiles(nanos: LongArray): String {
    nanos.sort()
    fun p(q: Double) = nanos[((nanos.size - 1) * q).toInt()] / 1000.0
    return "p50 %.0f µs, p90 %.0f µs, p99 %.0f µs".format(p(0.5), p(0.9), p(0.99))
}

fun <T> timed(n: Int, body: (Int) -> T): LongArray = LongArray(n) { i ->
    val t0 = System.nanoTime()
    body(i)
    System.nanoTime() - t0
}

fun registerFiguresTests(s: Suite) {
    s.test("figures: latency of calls from Kotlin (printed, not asserted)") {
        val queries = listOf("consent", "painful sex", "withdrawing consent", "relatoinship", "communicat")
        repeat(200) { Env.generated.search(queries[it % queries.size], SearchOptions()) } // warm up
        val search = timed(1000) { Env.generated.search(queries[it % queries.size], SearchOptions()) }
        val suggest = timed(1000) { Env.generated.suggestTitles(queries[it % queries.size], 5u) }
        val info = timed(1000) { Env.generated.articleCount() }
        val article = timed(300) { Env.generated.article("gen-7-%06d".format(1 + it % 300)) }
        val (store, _) = freshStore("figures")
        val bookmark = store.use { st -> timed(200) { st.addBookmark("a-$it", "note", null) } }
        println("        search (300 articles, top 10 with snippets): ${percentiles(search)}")
        println("        suggestTitles: ${percentiles(suggest)}")
        println("        article (read and check one body): ${percentiles(article)}")
        println("        articleCount (a bare call across JNA): ${percentiles(info)}")
        println("        addBookmark (durable, one fsync): ${percentiles(bookmark)}")
    }
}
