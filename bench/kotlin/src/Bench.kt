// One search from Kotlin, timed as the Android shell makes it: Reader.searchDirect (one
// direct JNA call, bindings/kotlin/org/quire/core/DirectSearch.kt) over the release
// cdylib, built with the benchmark-only call Reader.timedSearchForTests. Beside it, the
// same search through the generated UniFFI bindings (Reader.search). Run by
// bench/kotlin/run.sh for quire-bench.
//
// Usage: Bench <bundle> <queries file, one a line> <warm-up calls> <timed calls>
// Prints one JSON object, in microseconds: for each timed search (query i is line
// i % lines, top 10 with snippets), its latency through searchDirect, and the time the
// same search took inside the library, measured by the library (timedSearchForTests,
// called just before or just after it, in turn, in the same process); then, in a loop
// of their own, the same through the generated Reader.search; as many bare calls (articleCount: two
// JNA calls, the handle's clone and the call) and calls with one string argument
// (contains: a third JNA call allocates the string's buffer); what a JNA call costs by
// itself (the contract-version call: no argument, no call status) and what allocating
// the call status each generated call passes costs (a JNA Structure); and decoding one
// page of hits from its serialized form in the JVM alone (the generated reading code).
package org.quire.bench

import java.io.File
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import org.quire.core.ArticleBundle
import org.quire.core.FfiConverterTypeSearchPage
import org.quire.core.IntegrityCheckingUniffiLib
import org.quire.core.Reader
import org.quire.core.SearchPage
import org.quire.core.SearchRequest
import org.quire.core.UniffiRustCallStatus
import org.quire.core.searchDirect

fun main(args: Array<String>) {
    require(args.size == 4) { "usage: Bench <bundle> <queries> <warmup> <count>" }
    val queries = File(args[1]).readLines().filter { it.isNotEmpty() }
    val requests = queries.map { SearchRequest(text = it, limit = 10u) }
    val warmup = args[2].toInt()
    val count = args[3].toInt()
    var sink = 0L
    val dataDir = Files.createTempDirectory("quire-kotlin-bench").toFile()
    try {
        Reader.open(args[0], dataDir.path).use { reader ->
            ArticleBundle.open(args[0]).use { bundle ->
                sink += measure(reader, bundle, requests, warmup, count)
            }
        }
    } finally {
        dataDir.deleteRecursively()
    }
    System.err.println("sink $sink")
}

fun measure(reader: Reader, bundle: ArticleBundle, requests: List<SearchRequest>, warmup: Int, count: Int): Long {
    var sink = 0L
    // Warm-up: let the JIT compile both paths and the generated reading code.
    repeat(warmup) {
        val r = requests[it % requests.size]
        sink += reader.searchDirect(r).hits.size
        sink += reader.search(r).hits.size
        sink += bundle.articleCount().toLong()
        sink += reader.timedSearchForTests(r).toLong()
    }
    val direct = DoubleArray(count)
    val generated = DoubleArray(count)
    val inside = DoubleArray(count)
    val insideGenerated = DoubleArray(count)
    val bare = DoubleArray(count)
    val withString = DoubleArray(count)
    val rawCall = DoubleArray(count)
    val status = DoubleArray(count)
    // Search i timed through `search` into through[i], and the same search timed inside
    // the library into inside[i], just before or just after it: which runs first
    // alternates, so neither is always the one to find the caches warm.
    fun timeBeside(i: Int, through: DoubleArray, inside: DoubleArray, search: (SearchRequest) -> Int) {
        val r = requests[i % requests.size]
        if (i % 2 == 1) inside[i] = reader.timedSearchForTests(r).toDouble() / 1000.0
        val t0 = System.nanoTime()
        sink += search(r)
        through[i] = (System.nanoTime() - t0) / 1000.0
        if (i % 2 == 0) inside[i] = reader.timedSearchForTests(r).toDouble() / 1000.0
    }
    System.gc() // the warm-up's garbage, collected before anything is timed
    // The app's path alone first: the generated calls below leave garbage (a JNA
    // structure per call) that the app's own searches would not have to collect.
    for (i in 0 until count) timeBeside(i, direct, inside) { reader.searchDirect(it).hits.size }
    for (i in 0 until count) {
        val r = requests[i % requests.size]
        timeBeside(i, generated, insideGenerated) { reader.search(it).hits.size }
        var t0 = System.nanoTime()
        sink += bundle.articleCount().toLong()
        bare[i] = (System.nanoTime() - t0) / 1000.0
        t0 = System.nanoTime()
        if (bundle.contains(r.text)) sink++
        withString[i] = (System.nanoTime() - t0) / 1000.0
        t0 = System.nanoTime()
        sink += IntegrityCheckingUniffiLib.ffi_quire_ffi_uniffi_contract_version()
        rawCall[i] = (System.nanoTime() - t0) / 1000.0
        t0 = System.nanoTime()
        sink += UniffiRustCallStatus.ByValue().code
        status[i] = (System.nanoTime() - t0) / 1000.0
    }
    val page = requests.map { reader.searchDirect(it) }.maxBy { it.hits.size }
    val decode = DoubleArray(count) { decodeMicros(page, 200) }
    sink += page.hits.size
    fun json(xs: DoubleArray) = xs.joinToString(",", "[", "]") { "%.3f".format(it) }
    println(
        "{\"direct_us\":${json(direct)},\"generated_us\":${json(generated)}," +
            "\"inside_us\":${json(inside)},\"inside_generated_us\":${json(insideGenerated)}," +
            "\"bare_us\":${json(bare)},\"string_call_us\":${json(withString)}," +
            "\"raw_call_us\":${json(rawCall)},\"status_us\":${json(status)}," +
            "\"decode_us\":${json(decode)},\"decode_hits\":${page.hits.size},\"sink\":$sink}"
    )
    return sink
}

// Mean time of decoding `page` from the bytes the library sends, over `times` decodes:
// what the Kotlin side does with a search's reply once it is back from Rust.
fun decodeMicros(page: SearchPage, times: Int): Double {
    val size = FfiConverterTypeSearchPage.allocationSize(page).toInt()
    val buf = ByteBuffer.allocateDirect(size).order(ByteOrder.BIG_ENDIAN)
    FfiConverterTypeSearchPage.write(page, buf)
    var hits = 0
    val t0 = System.nanoTime()
    repeat(times) {
        buf.rewind()
        hits += FfiConverterTypeSearchPage.read(buf).hits.size
    }
    val mean = (System.nanoTime() - t0) / 1000.0 / times
    check(hits == times * page.hits.size)
    return mean
}
