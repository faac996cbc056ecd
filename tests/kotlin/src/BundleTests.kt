// ArticleBundle: opening (path, descriptor, bytes), the catalog, articles, search, title
// suggestions, related articles, and the highlight ranges in both units.
package org.quire.tests

import java.io.File
import java.nio.charset.CharacterCodingException
import java.time.Instant
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import org.quire.core.ArticleBundle
import org.quire.core.SearchOptions
import org.quire.core.TextRange
import org.quire.core.quireVersion

const val STOP_ID = "consent-during-sex-stop-means-stop"
const val PROCESS_ID = "consent-is-a-process"

/** The text of [r] in [text], cut by its UTF-16 offsets (what Kotlin and Android use). */
fun utf16Slice(text: String, r: TextRange): String = text.substring(r.utf16Start.toInt(), r.utf16End.toInt())

/** The text of [r] in [text], cut by its Unicode scalar offsets (what the core reports). */
fun scalarSlice(text: String, r: TextRange): String {
    val from = text.offsetByCodePoints(0, r.start.toInt())
    val to = text.offsetByCodePoints(0, r.end.toInt())
    return text.substring(from, to)
}

/** Both units of every range select the same, non-blank text. */
fun checkRanges(text: String, ranges: List<TextRange>) {
    for (r in ranges) {
        assertTrue(r.start < r.end, "empty range $r in '$text'")
        assertEquals(scalarSlice(text, r), utf16Slice(text, r), "units disagree for $r in '$text'")
        assertTrue(utf16Slice(text, r).isNotBlank())
    }
}

/** Builds a bundle from Markdown articles with the quire CLI. */
fun buildBundle(name: String, articles: Map<String, String>): File {
    val dir = Env.newDir(name)
    val corpus = File(dir, "corpus").apply { mkdirs() }
    for ((file, text) in articles) File(corpus, file).writeText(text)
    val out = File(dir, "$name.quire")
    val (status, _, err) = runProcess(Env.cli.path, "build", corpus.path, "-o", out.path)
    assertEquals(0, status, "quire build failed: $err")
    return out
}

fun registerBundleTests(s: Suite) {
    s.test("quireVersion names a semantic version") {
        assertTrue(Regex("""\d+\.\d+\.\d+.*""").matches(quireVersion()), quireVersion())
    }

    s.test("open by path: info and articleCount describe the bundle") {
        val info = Env.builtin.info()
        assertEquals("quire-builtin", info.corpusId)
        assertEquals("test", info.corpusVersion)
        assertEquals(2uL, info.articleCount)
        assertEquals(2uL, Env.builtin.articleCount())
        assertEquals(Env.builtinPath.length().toULong(), info.sizeBytes)
        assertTrue(Regex("""\d+\.\d+""").matches(info.formatVersion), info.formatVersion)
        assertTrue(info.generator.startsWith("quire"), info.generator)
        Instant.parse(info.builtAt) // RFC 3339 UTC
    }

    s.test("verify passes on a good bundle") {
        Env.builtin.verify()
        Env.generated.verify()
    }

    s.test("list, contains and meta agree") {
        val list = Env.builtin.list()
        assertEquals(listOf(STOP_ID, PROCESS_ID).sorted(), list.map { it.id })
        for (m in list) {
            assertEquals(m, Env.builtin.meta(m.id))
            assertTrue(Env.builtin.contains(m.id))
            assertTrue(m.title.isNotBlank() && m.summary.isNotBlank() && m.tags.isNotEmpty())
        }
        assertFalse(Env.builtin.contains("no-such-article"))
        val process = Env.builtin.meta(PROCESS_ID)
        assertEquals("2025-09-16", process.published)
        assertContains(process.tags, "consent")
        assertTrue(process.source!!.contains("Psychology Today"))
        assertEquals(null, Env.builtin.meta(STOP_ID).published)
    }

    s.test("article gives Markdown and plain text") {
        val a = Env.builtin.article(PROCESS_ID)
        assertEquals(Env.builtin.meta(PROCESS_ID), a.meta)
        assertTrue(a.markdown.contains("- Look inside yourself"), "Markdown keeps the list")
        assertTrue(a.plainText.contains("Look inside yourself"))
        assertFalse(a.plainText.contains("- Look inside yourself"), "plain text has no list markers")
        assertFalse(a.plainText.startsWith("---"), "no front matter")
    }

    s.test("open by file descriptor at an offset (an uncompressed APK asset)") {
        val bytes = Env.builtinPath.readBytes()
        val packed = File(Env.newDir("fd"), "app.apk")
        val prefix = ByteArray(4096) { (it * 7).toByte() }
        packed.writeBytes(prefix + bytes + ByteArray(100))
        val libc = LibC.instance
        val fd = libc.open(packed.path, LibC.O_RDONLY)
        val bundle = try {
            ArticleBundle.openFd(fd, prefix.size.toULong(), bytes.size.toULong())
        } finally {
            libc.close(fd) // the library keeps its own duplicate
        }
        bundle.use {
            it.verify()
            assertEquals(Env.builtin.info(), it.info().copy(sizeBytes = Env.builtinPath.length().toULong()))
            assertEquals(STOP_ID, it.search("stop", SearchOptions()).hits.first().id)
            assertEquals(Env.builtin.article(STOP_ID), it.article(STOP_ID))
        }
    }

    s.test("open from bytes") {
        ArticleBundle.fromBytes(Env.builtinPath.readBytes()).use {
            it.verify()
            assertEquals(Env.builtin.info(), it.info())
            assertEquals(Env.builtin.list(), it.list())
        }
    }

    s.test("search: ranked hits with snippets, highlights in both units") {
        val r = Env.builtin.search("stop", SearchOptions())
        assertEquals("stop", r.query)
        assertTrue(r.total >= 1uL)
        assertEquals(STOP_ID, r.hits.first().id)
        assertFalse(r.corrected)
        for (h in r.hits) {
            assertTrue(h.snippet.isNotBlank() && h.highlights.isNotEmpty() && h.score > 0f)
            checkRanges(h.snippet, h.highlights)
            assertEquals(Env.builtin.meta(h.id).title, h.title)
        }
        val scores = r.hits.map { it.score }
        assertEquals(scores.sortedDescending(), scores, "best first")
    }

    s.test("search: word forms, typos with a suggestion, prefixes") {
        // "withdrawing" and "withdrawal" share a stem.
        val forms = Env.generated.search("withdrawing consent", SearchOptions(limit = 3u))
        assertTrue(forms.total > 0uL)
        val typo = Env.builtin.search("consnet", SearchOptions())
        assertTrue(typo.total > 0uL, "typo tolerated")
        assertTrue(typo.corrected)
        assertEquals("consent", typo.suggestion)
        val prefix = Env.builtin.search("differentiat", SearchOptions())
        assertEquals(listOf(PROCESS_ID), prefix.hits.map { it.id })
    }

    s.test("search: known words are never corrected; words no article uses are named") {
        assertEquals("en", Env.builtin.info().language)
        // "keep" is English, though the articles only say "kept": no "deep" for it.
        val keep = Env.builtin.search("partner wanted me to keep going tomorrow", SearchOptions())
        assertEquals(null, keep.suggestion)
        assertFalse(keep.corrected)
        assertEquals(listOf("tomorrow"), keep.without)
        assertEquals(STOP_ID, keep.hits.first().id)
        // "unwanted" is never turned into "wanted".
        val unwanted = Env.builtin.search("unwanted", SearchOptions())
        assertEquals(null, unwanted.suggestion)
        // The thesaurus: "revoke" finds "withdrawal", marked in the snippet.
        val revoke = Env.builtin.search("revoke consent", SearchOptions())
        assertEquals(STOP_ID, revoke.hits.first().id)
        val h = revoke.hits.first()
        val marked = h.highlights.map { h.snippet.substring(it.utf16Start.toInt(), it.utf16End.toInt()).lowercase() }
        assertTrue("withdrawal" in marked, "marked: $marked")
        assertEquals(emptyList(), revoke.without)
    }

    s.test("search: paging by offset and limit, total independent of the page") {
        val all = Env.generated.search("sex", SearchOptions(limit = 20u))
        assertTrue(all.total > 20uL, "need more than one page, got ${all.total}")
        val p1 = Env.generated.search("sex", SearchOptions(limit = 10u, offset = 0u))
        val p2 = Env.generated.search("sex", SearchOptions(limit = 10u, offset = 10u))
        assertEquals(all.hits.map { it.id }, (p1.hits + p2.hits).map { it.id })
        assertEquals(all.total, p2.total)
        val clamped = Env.generated.search("sex", SearchOptions(limit = 1000u))
        assertEquals(100, clamped.hits.size, "limit clamped to 100")
        val past = Env.generated.search("sex", SearchOptions(offset = 5000u))
        assertTrue(past.hits.isEmpty())
        val countOnly = Env.generated.search("sex", SearchOptions(limit = 0u))
        assertTrue(countOnly.hits.isEmpty())
        assertEquals(all.total, countOnly.total, "limit 0 gives the total alone")
    }

    s.test("search: tag filter keeps only articles with every tag") {
        val tagged = Env.builtin.search("consent", SearchOptions(tags = listOf("Differentiation")))
        assertEquals(listOf(PROCESS_ID), tagged.hits.map { it.id })
        val both = Env.builtin.search("consent", SearchOptions(tags = listOf("consent", "myths")))
        assertEquals(listOf(STOP_ID), both.hits.map { it.id })
        val none = Env.builtin.search("consent", SearchOptions(tags = listOf("no-such-tag")))
        assertEquals(0uL, none.total)
    }

    s.test("search: any text is a query, none throws") {
        val hostile = listOf(
            "", " ", "- *", "a:(^", "\"unbalanced", "\"\"", "*", "AND OR NOT", "🙂🙂",
            "x".repeat(10_000), "consent ".repeat(500), "\u0000", "日本語の検索", "\uD83D\uDE42",
        )
        for (q in hostile) Env.generated.search(q, SearchOptions())
        assertEquals(0uL, Env.builtin.search("", SearchOptions()).total)
    }

    s.test("a string that is not valid UTF-16 (lone surrogate) is refused before Rust, cleanly") {
        // A shell that cuts typed text at a UTF-16 index can split an emoji. UniFFI's
        // Kotlin encoder refuses such a string with a CharacterCodingException; nothing
        // reaches Rust, and the library is unaffected.
        val cut = "consent 🙂".substring(0, 9)
        assertFailsWith<CharacterCodingException> { Env.builtin.search(cut, SearchOptions()) }
        assertEquals(2uL, Env.builtin.search("consent", SearchOptions()).total)
    }

    s.test("highlights: UTF-16 ranges differ from scalar ones after emoji, both right") {
        val file = buildBundle(
            "emoji",
            mapOf(
                "zebra.md" to """
                    ---
                    id: zebra
                    title: "🙂 Zebracorn notes"
                    tags: [test]
                    summary: "A test article."
                    ---

                    🙂🙂 𝒳 The word zebracorn appears after emoji, then café 🙂 zebracorn again.
                """.trimIndent() + "\n",
            ),
        )
        ArticleBundle.open(file.path).use { b ->
            val hit = b.search("zebracorn", SearchOptions()).hits.single()
            assertTrue(hit.highlights.size >= 2, "${hit.highlights}")
            checkRanges(hit.snippet, hit.highlights)
            for (r in hit.highlights) {
                assertEquals("zebracorn", utf16Slice(hit.snippet, r).lowercase())
            }
            assertTrue(hit.highlights.any { it.utf16Start != it.start }, "emoji shift UTF-16 offsets")
            val title = b.suggestTitles("zebrac", 5u).single()
            checkRanges(title.title, title.highlights)
            assertEquals("Zebracorn", utf16Slice(title.title, title.highlights.single()))
            assertNotEquals(title.highlights.single().start, title.highlights.single().utf16Start)
        }
    }

    s.test("suggestTitles: titles for what has been typed so far") {
        val s1 = Env.builtin.suggestTitles("consent pro", 5u)
        assertEquals(PROCESS_ID, s1.first().id)
        for (t in s1) {
            assertEquals(Env.builtin.meta(t.id).title, t.title)
            checkRanges(t.title, t.highlights)
        }
        assertEquals(1, Env.generated.suggestTitles("s", 1u).size)
        assertTrue(Env.builtin.suggestTitles("", 5u).isEmpty())
        assertTrue(Env.builtin.suggestTitles("consent", 0u).isEmpty())
    }

    s.test("related: other articles, closest first, never itself") {
        val r = Env.builtin.related(PROCESS_ID, 5u)
        assertEquals(listOf(STOP_ID), r.map { it.meta.id })
        assertEquals(Env.builtin.meta(STOP_ID), r.single().meta)
        val g = Env.generated.related("gen-7-000004", 10u)
        assertEquals(10, g.size)
        assertFalse(g.any { it.meta.id == "gen-7-000004" })
        assertEquals(g.map { it.score }.sortedDescending(), g.map { it.score })
    }
}
