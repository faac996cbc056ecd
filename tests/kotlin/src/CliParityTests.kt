// A search called from Kotlin returns the same hits, in the same order, with the same
// snippets, highlights and scores, as `quire search --json` on the same bundle file.
package org.quire.tests

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.quire.core.ArticleBundle
import org.quire.core.SearchOptions
import org.quire.core.SearchResults

/** `quire search --json` with these options. */
fun cliSearch(bundle: File, query: String, limit: Int, offset: Int, tags: List<String>): Json {
    val args = mutableListOf(Env.cli.path, "search", "--bundle", bundle.path, "--json",
        "--limit", "$limit", "--offset", "$offset")
    for (t in tags) args += listOf("--tag", t)
    args += query
    val (status, out, err) = runProcess(*args.toTypedArray())
    assertEquals(0, status, "quire search failed for '$query': $err")
    return Json.parse(out)
}

fun assertSameAsCli(label: String, cli: Json, ffi: SearchResults) {
    assertEquals(cli["query"].str, ffi.query, label)
    assertEquals(cli["total"].long.toULong(), ffi.total, "$label: total")
    val suggestion = cli["suggestion"].let { if (it.isNull) null else it.str }
    assertEquals(suggestion, ffi.suggestion, "$label: suggestion")
    if (cli.has("corrected")) assertEquals((cli["corrected"] as Json.Bool).value, ffi.corrected, "$label: corrected")
    assertEquals(cli["without"].arr.map { it.str }, ffi.without, "$label: without")
    val hits = cli["hits"].arr
    assertEquals(hits.map { it["id"].str }, ffi.hits.map { it.id }, "$label: ids in order")
    for ((c, f) in hits.zip(ffi.hits)) {
        assertEquals(c["title"].str, f.title, "$label: title of ${f.id}")
        assertEquals(c["snippet"].str, f.snippet, "$label: snippet of ${f.id}")
        assertEquals(c["score"].float, f.score, "$label: score of ${f.id}")
        val ranges = c["highlights"].arr.map { r -> r.arr[0].long to r.arr[1].long }
        assertEquals(ranges, f.highlights.map { it.start.toLong() to it.end.toLong() }, "$label: highlights of ${f.id}")
        checkRanges(f.snippet, f.highlights)
    }
}

fun registerCliParityTests(s: Suite) {
    s.test("search from Kotlin == quire search --json (same hits, order, snippets)") {
        data class Case(val query: String, val limit: Int = 10, val offset: Int = 0, val tags: List<String> = emptyList())
        val cases = listOf(
            Case("withdrawing consent"),
            Case("painful sex", limit = 25),
            Case("changed my mind"),
            Case("stop"),
            Case("relatoinship trust"), // typo: fuzzy fallback and a suggestion
            Case("communicat"), // unfinished last word
            Case("\"emotional intimacy\""),
            Case("consent -pain"),
            Case("sex", limit = 7, offset = 14),
            Case("consent", tags = listOf("consent")),
            Case("zzzzqqq"),
            Case("🙂 consent café"),
            Case("partner wanted me to keep going yesterday"), // results without a word
            Case("revoke consent"), // the thesaurus
            Case("unwanted touching"), // a known word: never "corrected"
        )
        var compared = 0
        for ((bundleFile, bundle) in listOf(Env.generatedPath to Env.generated, Env.builtinPath to Env.builtin)) {
            for (c in cases) {
                val cli = cliSearch(bundleFile, c.query, c.limit, c.offset, c.tags)
                val ffi = bundle.search(c.query, SearchOptions(c.limit.toUInt(), c.offset.toUInt(), c.tags))
                assertSameAsCli("${bundleFile.name} '${c.query}' $c", cli, ffi)
                compared += ffi.hits.size
            }
        }
        assertTrue(compared > 100, "compared only $compared hits")
        // A bundle opened separately from the same file answers the same too.
        ArticleBundle.open(Env.generatedPath.path).use { again ->
            assertEquals(Env.generated.search("consent", SearchOptions()), again.search("consent", SearchOptions()))
        }
    }
}
