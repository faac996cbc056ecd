// One search through Kotlin/JNA, timed as the shells make it: the generated UniFFI
// bindings over the release cdylib (built with the benchmark-only call
// timedSearchForTests). Run by bench/kotlin/run.sh for quire-bench.
//
// Usage: Bench <bundle> <queries file, one a line> <warm-up calls> <timed calls>
// Prints one JSON object, in microseconds: the latency of each timed search through the
// bindings (query i is line i % lines); the time the same search took inside the
// library, measured by the library (timedSearchForTests, called just before or just
// after it, in turn, in the same process); as many bare calls (articleCount: two JNA
// calls, the handle's clone and the call) and calls with one string argument
// (contains: a third JNA call allocates the string's buffer); what a JNA call costs by
// itself (the contract-version call: no argument, no call status) and what allocating
// the call status each generated call passes costs (a JNA Structure); and decoding one
// page of 10 hits from its serialized form in the JVM alone (the generated lifting code).
package org.quire.bench

import java.io.File
import java.nio.ByteBuffer
import java.nio.ByteOrder
import org.quire.core.ArticleBundle
import org.quire.core.FfiConverterTypeSearchResults
import org.quire.core.IntegrityCheckingUniffiLib
import org.quire.core.SearchOptions
import org.quire.core.SearchResults
import org.quire.core.UniffiRustCallStatus

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
            sink += bundle.timedSearchForTests(queries[it % queries.size], options).toLong()
        }
        val search = DoubleArray(count)
        val inside = DoubleArray(count)
        val bare = DoubleArray(count)
        val withString = DoubleArray(count)
        val rawCall = DoubleArray(count)
        val status = DoubleArray(count)
        for (i in 0 until count) {
            val q = queries[i % queries.size]
            // Which of the two runs first alternates, so neither is always the one to
            // find the caches warm.
            if (i % 2 == 1) inside[i] = bundle.timedSearchForTests(q, options).toDouble() / 1000.0
            var t0 = System.nanoTime()
            sink += bundle.search(q, options).hits.size
            search[i] = (System.nanoTime() - t0) / 1000.0
            if (i % 2 == 0) inside[i] = bundle.timedSearchForTests(q, options).toDouble() / 1000.0
            t0 = System.nanoTime()
            sink += bundle.articleCount().toLong()
            bare[i] = (System.nanoTime() - t0) / 1000.0
            t0 = System.nanoTime()
            if (bundle.contains(q)) sink++
            withString[i] = (System.nanoTime() - t0) / 1000.0
            t0 = System.nanoTime()
            sink += IntegrityCheckingUniffiLib.ffi_quire_ffi_uniffi_contract_version()
            rawCall[i] = (System.nanoTime() - t0) / 1000.0
            t0 = System.nanoTime()
            sink += UniffiRustCallStatus.ByValue().code
            status[i] = (System.nanoTime() - t0) / 1000.0
        }
        val page = queries.map { bundle.search(it, options) }.maxBy { it.hits.size }
        val decode = DoubleArray(count)
        for (i in 0 until count) {
            decode[i] = decodeMicros(page, 200)
        }
        sink += page.hits.size
        fun json(xs: DoubleArray) = xs.joinToString(",", "[", "]") { "%.3f".format(it) }
        println(
            "{\"search_us\":${json(search)},\"inside_us\":${json(inside)}," +
                "\"bare_us\":${json(bare)},\"string_call_us\":${json(withString)}," +
                "\"raw_call_us\":${json(rawCall)},\"status_us\":${json(status)}," +
                "\"decode_us\":${json(decode)},\"decode_hits\":${page.hits.size},\"sink\":$sink}"
        )
    }
}

// Mean time of decoding `page` from the bytes the library sends, over `times` decodes:
// what the generated code does with a search's result once it is back from Rust.
fun decodeMicros(page: SearchResults, times: Int): Double {
    val size = FfiConverterTypeSearchResults.allocationSize(page).toInt()
    val buf = ByteBuffer.allocateDirect(size).order(ByteOrder.BIG_ENDIAN)
    FfiConverterTypeSearchResults.write(page, buf)
    var hits = 0
    val t0 = System.nanoTime()
    repeat(times) {
        buf.rewind()
        hits += FfiConverterTypeSearchResults.read(buf).hits.size
    }
    val mean = (System.nanoTime() - t0) / 1000.0 / times
    check(hits == times * page.hits.size)
    return mean
}
