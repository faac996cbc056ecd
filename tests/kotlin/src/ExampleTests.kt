// The README's Kotlin example, compiled (-Werror) and run as a test so it stays true.
package org.quire.tests

import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.quire.core.ArticleBundle
import org.quire.core.QuireException
import org.quire.core.SearchOptions
import org.quire.core.UserStore

// ---- README example (start) ----
// Blocking calls: run them off the UI thread, e.g. inside withContext(Dispatchers.IO) { … }.
fun readmeExample(bundlePath: String, dataDir: String): List<String> {
    val titles = mutableListOf<String>()
    ArticleBundle.open(bundlePath).use { bundle ->
        UserStore.open(dataDir).use { store ->
            val results = bundle.search("withdrawing consent", SearchOptions(limit = 10u))
            for (hit in results.hits) {
                // Highlights in UTF-16 units, ready for SpannableString / AnnotatedString.
                val bold = hit.highlights.map { it.utf16Start.toInt() until it.utf16End.toInt() }
                titles += "${hit.title}: ${bold.map { hit.snippet.substring(it) }}"
            }
            results.hits.firstOrNull()?.let { store.addBookmark(it.id, note = "read later", folder = null) }
            try {
                bundle.article("no-such-id")
            } catch (e: QuireException.ArticleNotFound) {
                // Show "this article is no longer available".
            }
        }
    }
    return titles
}
// ---- README example (end) ----

fun registerExampleTests(s: Suite) {
    s.test("the README example runs") {
        val dir = Env.newDir("readme")
        val titles = readmeExample(Env.builtinPath.path, dir.path)
        assertTrue(titles.isNotEmpty())
        UserStore.open(dir.path).use { assertEquals("read later", it.bookmarks().single().note) }
    }
}
