// One search through Kotlin/JNA, timed as the shells make it: the generated UniFFI
// bindings over the release cdylib. Run by bench/kotlin/run.sh for quire-bench, which
// times the same searches in Rust in a process of its own, alternating the two.
//
// Usage: Bench <bundle> <queries file, one a line> <warm-up calls> <timed calls>
// Prints one JSON object: the latency of each timed search (query i is line i % lines)
// and of as many bare calls (articleCount), in microseconds.
package org.quire.bench

import java.io.File
import org.quire.core.ArticleBundle
import org.quire.core.SearchOptions

fun main(args: Array<String>) {
    require(args.size == 4) { "usage: Bench <bundle> <queries> <warmup> <count>" }
    val queries = File(args[1]).readLines().filter { it.isNotEmpty() }
    val warmup = args[2].toInt()
    val count = args[3].toInt()
    val options = SearchOptions(limit = 10u, offset = 0u, tags = emptyList())
    var sink = 0L
    ArticleBundle.open(args[0]).use { bundle ->
        // Warm-up: let the JIT compile the JNA path and the generated lifting code.
        repeat(warmup) {
            sink += bundle.search(queries[it % queries.size], options).hits.size
            sink += bundle.articleCount().toLong()
        }
        val search = DoubleArray(count)
        val bare = DoubleArray(count)
        for (i in 0 until count) {
            val q = queries[i % queries.size]
            var t0 = System.nanoTime()
            sink += bundle.search(q, options).hits.size
            search[i] = (System.nanoTime() - t0) / 1000.0
            t0 = System.nanoTime()
            sink += bundle.articleCount().toLong()
            bare[i] = (System.nanoTime() - t0) / 1000.0
        }
        fun json(xs: DoubleArray) = xs.joinToString(",", "[", "]") { "%.3f".format(it) }
        println("{\"search_us\":${json(search)},\"bare_us\":${json(bare)},\"sink\":$sink}")
    }
}
