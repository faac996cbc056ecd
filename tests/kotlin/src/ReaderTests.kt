// Reader: the one object an app opens. Search as you type, articles as native blocks
// with the searched words marked, positions that survive a reopen, bookmarks with notes
// (search, undo, unavailable articles), discreet display, the app lock (back-off across
// a reopen, erase after N, the PIN in no file), quick exit, and bad input.
package org.quire.tests

import java.io.File
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.quire.core.BlockKind
import org.quire.core.LinkTarget
import org.quire.core.LockOptions
import org.quire.core.PinCheck
import org.quire.core.QuireException
import org.quire.core.Reader
import org.quire.core.ReaderSettings
import org.quire.core.ReadingPosition
import org.quire.core.Restored
import org.quire.core.SearchRequest
import org.quire.core.SpanStyle

/** A reader on the built-in bundle and a fresh data directory. */
fun freshReader(name: String): Pair<Reader, File> {
    val dir = Env.newDir(name)
    return Reader.open(Env.builtinPath.path, dir.path) to dir
}

/** The text of [range] in [text], cut with the UTF-16 offsets Kotlin strings use. */
fun cut(text: String, start: UInt, end: UInt): String = text.substring(start.toInt(), end.toInt())

/** Every byte of every file under [dir]. */
fun allBytes(dir: File): ByteArray =
    dir.walkTopDown().filter { it.isFile }.map { it.readBytes() }.fold(ByteArray(0)) { a, b -> a + b }

fun ByteArray.containsBytes(needle: ByteArray): Boolean =
    (0..size - needle.size).any { i -> needle.indices.all { this[i + it] == needle[it] } }

fun registerReaderTests(s: Suite) {
    s.test("reader search: right article first, words marked, titles, nothing recorded while typing") {
        val (reader, _) = freshReader("reader-search")
        reader.use {
            it.setSettings(ReaderSettings(recentSearchesEnabled = true))
            val page = it.search(SearchRequest(text = "withdrawing consent", suggestions = 3u))
            assertEquals(STOP_ID, page.hits.first().articleId)
            val hit = page.hits.first()
            assertTrue(hit.highlights.isNotEmpty())
            val marked = hit.highlights.map { r -> cut(hit.snippet, r.utf16Start, r.utf16End).lowercase() }
            assertTrue(marked.any { w -> w.startsWith("withdraw") } && marked.any { w -> w.startsWith("consent") }, "$marked")
            assertFalse(hit.discreet)
            assertTrue(page.without.isEmpty())
            val partial = it.search(SearchRequest(text = "withdrawing consent yesterday"))
            assertEquals(listOf("yesterday"), partial.without)
            assertEquals(STOP_ID, partial.hits.first().articleId)
            assertTrue(it.recentSearches().isEmpty(), "a search as you type is not recorded")
            val titles = it.search(SearchRequest(text = "consent is a pro", limit = 0u, suggestions = 3u)).titles
            assertEquals(PROCESS_ID, titles.first().articleId)
            assertTrue(titles.first().highlights.isNotEmpty())
            it.search(SearchRequest(text = "withdrawing consent", submitted = true))
            assertEquals(listOf("withdrawing consent"), it.recentSearches().map { r -> r.query })
            assertEquals("withdrawing consent", it.lastQuery())
        }
    }

    s.test("reader article: native blocks, spans, every searched word found, first match") {
        val (reader, _) = freshReader("reader-article")
        reader.use {
            val opened = it.openArticle(STOP_ID, "withdrawing consent")
            val view = opened.view
            assertEquals(STOP_ID, view.id)
            assertTrue(view.readingMinutes >= 1u)
            assertTrue(view.blocks.any { b -> b.kind is BlockKind.Heading })
            assertTrue(view.blocks.count { b -> b.kind is BlockKind.Paragraph } > 5)
            // No Markdown markup is left in the text.
            assertTrue(view.blocks.none { b -> b.text.contains("**") || b.text.startsWith("## ") })
            assertTrue(view.matches.size >= 3, "${view.matches.size} matches")
            for (m in view.matches) {
                val w = cut(view.blocks[m.block.toInt()].text, m.range.utf16Start, m.range.utf16End).lowercase()
                assertTrue(w.startsWith("withdraw") || w.startsWith("consent"), w)
            }
            assertEquals(view.matches.first(), view.firstMatch)
            for (b in view.blocks) for (sp in b.spans) {
                assertTrue(sp.range.utf16End.toInt() <= b.text.length)
                if (sp.style is SpanStyle.Link) assertNotNull((sp.style as SpanStyle.Link).target)
            }
            assertNull(opened.resume)
            assertNull(opened.bookmark)
            assertEquals(STOP_ID, it.openArticleId())
            val plain = it.openArticle(PROCESS_ID, null).view
            assertTrue(plain.matches.isEmpty() && plain.firstMatch == null)
            assertTrue(plain.blocks.any { b -> b.kind is BlockKind.ListItem })
            it.closeArticle()
            assertNull(it.openArticleId())
            // The link type is there for the shells even when this corpus has no links.
            assertEquals("x", (LinkTarget.Article("x") as LinkTarget.Article).id)
        }
    }

    s.test("reader position: saved, clamped, restored exactly after a reopen") {
        val (reader, dir) = freshReader("reader-position")
        val kept = reader.use {
            val view = it.openArticle(STOP_ID, null).view
            val block = (view.blocks.size / 2).toUInt()
            val kept = it.savePosition(STOP_ID, ReadingPosition(block = block, offset = 3u, fraction = 0.0))
            assertEquals(block, kept.block)
            assertTrue(kept.fraction > 0.2 && kept.fraction < 0.8, "${kept.fraction}")
            val clamped = it.savePosition(PROCESS_ID, ReadingPosition(block = 9999u, offset = 9999u))
            assertEquals(1.0, clamped.fraction)
            kept
        }
        Reader.open(Env.builtinPath.path, dir.path).use {
            val resume = assertNotNull(it.openArticle(STOP_ID, null).resume)
            assertEquals(Restored.EXACT, resume.restored)
            assertEquals(kept.block, resume.position.block)
            assertEquals(3u, resume.position.offset)
            assertRecent(resume.lastRead)
        }
    }

    s.test("reader bookmarks: note, search by title and note, edit, remove with undo, unavailable kept") {
        val (reader, _) = freshReader("reader-bookmarks")
        reader.use {
            val added = it.addBookmark(STOP_ID, "read again before Friday")
            assertEquals(STOP_ID, added.item.articleId)
            assertTrue(added.item.title.startsWith("Consent During Sex"))
            it.addBookmark(PROCESS_ID, null)
            assertEquals(listOf(STOP_ID), it.searchBookmarks("friday").map { b -> b.item.articleId })
            assertEquals(listOf(PROCESS_ID), it.searchBookmarks("proc").map { b -> b.item.articleId })
            assertEquals(2, it.searchBookmarks("").size)
            assertTrue(it.searchBookmarks("nothing-like-this").isEmpty())
            val edited = assertNotNull(it.setBookmarkNote(STOP_ID, "changed"))
            assertEquals("changed", edited.note)
            assertEquals(added.createdAt, edited.createdAt)
            assertNull(it.setBookmarkNote("not-bookmarked", "x"))
            val removed = assertNotNull(it.removeBookmark(STOP_ID))
            assertEquals(listOf(PROCESS_ID), it.bookmarks().map { b -> b.item.articleId })
            val back = it.restoreBookmark(removed)
            assertEquals(added.createdAt, back.createdAt)
            assertEquals("changed", back.note)
            assertEquals(setOf(STOP_ID, PROCESS_ID), it.bookmarks().map { b -> b.item.articleId }.toSet())
            assertFailsWith<QuireException.ArticleNotFound> { it.addBookmark("no-such-article", null) }
            // An article an update removed: kept, flagged, labelled.
            val json = it.exportJson().replace(PROCESS_ID, "removed-by-an-update")
            it.importJson(json)
            val gone = it.bookmarks().single { b -> b.item.articleId == "removed-by-an-update" }
            assertFalse(gone.item.available)
            assertEquals(it.discreetLabel("removed-by-an-update"), gone.item.title)
        }
    }

    s.test("reader discreet display: labels, no snippets, no notes in lists; real title once opened") {
        val (reader, _) = freshReader("reader-discreet")
        reader.use {
            it.addBookmark(STOP_ID, "private words")
            it.setSettings(ReaderSettings(discreetDisplay = true, historyEnabled = true, recentSearchesEnabled = true))
            assertTrue(it.settings().discreetDisplay)
            val page = it.search(SearchRequest(text = "withdrawing consent", suggestions = 2u, submitted = true))
            for (h in page.hits + page.titles) {
                assertTrue(h.discreet)
                assertEquals(it.discreetLabel(h.articleId), h.title)
                assertEquals("", h.snippet)
                assertTrue(h.highlights.isEmpty())
                assertFalse(h.title.contains("onsent"), h.title)
            }
            val b = it.bookmarks().single()
            assertNull(b.note)
            assertTrue(b.hasNote)
            assertEquals(it.discreetLabel(STOP_ID), b.item.title)
            val opened = it.openArticle(STOP_ID, null)
            assertTrue(opened.view.title.startsWith("Consent During Sex"), "the real title once opened")
            assertTrue(opened.related.all { r -> r.discreet })
            assertEquals(it.discreetLabel(STOP_ID), it.history().single().item.title)
            assertTrue(it.recentSearches().all { r -> r.label != r.query })
        }
    }

    s.test("reader lock: PIN set, locked calls refused, wrong PINs back off across a reopen, PIN in no file") {
        val pin = "plum-orchard-7731"
        val (reader, dir) = freshReader("reader-lock")
        reader.use {
            assertFalse(it.lockStatus().pinSet)
            assertEquals(PinCheck.NoPin, it.unlock("anything"))
            it.setPin(null, pin)
            it.addBookmark(STOP_ID, "note")
            assertTrue(it.lockStatus().pinSet && !it.lockStatus().locked)
            assertFailsWith<QuireException.InvalidArgument> { it.setPin(pin, "12") }
            assertFailsWith<QuireException.WrongPin> { it.setPin("wrong-pin", "4321") }
            it.lockNow()
            assertTrue(it.lockStatus().locked)
            assertFailsWith<QuireException.Locked> { it.search(SearchRequest(text = "consent")) }
            assertFailsWith<QuireException.Locked> { it.bookmarks() }
            assertFailsWith<QuireException.Locked> { it.exportJson() }
            assertNull(it.lastQuery())
            // One wrong attempt was made above (setPin); two more are free, then waits.
            assertTrue(it.unlock("0000") is PinCheck.Wrong)
            val third = it.unlock("0001")
            assertTrue(third is PinCheck.Wrong && third.retryAfterMs > 0u, "$third")
            val soon = it.unlock(pin)
            assertTrue(soon is PinCheck.TooSoon, "$soon")
            assertTrue(it.lockStatus().retryAfterMs > 0u)
        }
        Reader.open(Env.builtinPath.path, dir.path).use {
            assertTrue(it.lockStatus().locked, "a cold start with a PIN is locked")
            val again = it.unlock(pin)
            assertTrue(again is PinCheck.TooSoon, "the back-off survives a restart: $again")
            Thread.sleep((again as PinCheck.TooSoon).retryAfterMs.toLong() + 50)
            assertEquals(PinCheck.Unlocked, it.unlock(pin))
            assertEquals(0u, it.lockStatus().failedAttempts)
            assertEquals(1, it.bookmarks().size)
            it.setLockOptions(pin, LockOptions(relockAfterSecs = 0u, deviceAuth = true))
            it.appBackgrounded()
            assertTrue(it.appForegrounded(), "relock at once")
            assertTrue(it.unlockWithDeviceAuth())
            assertFalse(it.lockStatus().locked)
            it.setPin(pin, "new-pin-2468")
            it.removePin("new-pin-2468")
            assertFalse(it.lockStatus().pinSet)
            it.setPin(null, pin)
        }
        val bytes = allBytes(dir)
        assertFalse(bytes.containsBytes(pin.toByteArray()), "the PIN is in a file of ${dir.path}")
        assertFalse(bytes.containsBytes("new-pin-2468".toByteArray()))
    }

    s.test("reader lock: erase after N wrong attempts wipes everything") {
        val (reader, dir) = freshReader("reader-erase")
        reader.use {
            it.setPin(null, "2580")
            it.setLockOptions("2580", LockOptions(eraseAfter = 3u))
            it.addBookmark(STOP_ID, "secret note text")
            it.lockNow()
            val first = it.unlock("1111")
            assertEquals(PinCheck.Wrong(0u, 2u), first)
            assertEquals(PinCheck.Wrong(0u, 1u), it.unlock("2222"))
            assertEquals(PinCheck.Erased, it.unlock("3333"))
            assertFalse(it.lockStatus().pinSet)
            assertTrue(it.bookmarks().isEmpty())
        }
        assertFalse(allBytes(dir).containsBytes("secret note text".toByteArray()))
    }

    s.test("reader quick exit: the session is gone, recent searches cleared when chosen, locked with a PIN") {
        val (reader, _) = freshReader("reader-quick-exit")
        reader.use {
            it.setSettings(ReaderSettings(recentSearchesEnabled = true, clearRecentSearchesOnQuickExit = true))
            it.search(SearchRequest(text = "painful sex", submitted = true))
            it.openArticle(PROCESS_ID, "painful sex")
            assertEquals("painful sex", it.lastQuery())
            assertEquals(PROCESS_ID, it.openArticleId())
            it.quickExit()
            assertNull(it.lastQuery())
            assertNull(it.openArticleId())
            assertTrue(it.recentSearches().isEmpty())
            it.setPin(null, "9753")
            it.quickExit()
            assertTrue(it.lockStatus().locked)
            assertTrue(it.appForegrounded())
            assertEquals(PinCheck.Unlocked, it.unlock("9753"))
        }
    }

    s.test("reader: erase all, odd input, unknown ids, opened by descriptor, 8 threads") {
        val (reader, dir) = freshReader("reader-odd")
        reader.use {
            for (q in listOf("", "\"", "- *", "a:(^", "💬💬", "x".repeat(10_000), "withdr")) {
                it.search(SearchRequest(text = q, suggestions = 5u))
            }
            assertFailsWith<QuireException.ArticleNotFound> { it.openArticle("no-such-article", null) }
            assertFailsWith<QuireException.ArticleNotFound> { it.savePosition("no-such-article", ReadingPosition(block = 0u)) }
            assertNull(it.removeBookmark("no-such-article"))
            it.addBookmark(STOP_ID, null)
            it.eraseAll()
            assertTrue(it.bookmarks().isEmpty())
            assertTrue(it.history().isEmpty())
            it.clearHistory()
            it.clearRecentSearches()
            assertEquals(null, it.recovery())
            val pool = Executors.newFixedThreadPool(8)
            val jobs = (0 until 8).map { t ->
                pool.submit {
                    repeat(50) { i ->
                        it.search(SearchRequest(text = if (i % 2 == 0) "consent" else "stop means stop"))
                        it.addBookmark(if (t % 2 == 0) STOP_ID else PROCESS_ID, "t$t")
                        it.openArticle(STOP_ID, "consent")
                        it.bookmarks()
                    }
                }
            }
            jobs.forEach { j -> j.get(60, TimeUnit.SECONDS) }
            pool.shutdown()
            assertEquals(2, it.bookmarks().size)
        }
        val fd = LibC.instance.open(Env.builtinPath.path, LibC.O_RDONLY)
        try {
            Reader.openFd(fd, 0uL, Env.builtinPath.length().toULong(), dir.path).use {
                assertEquals(STOP_ID, it.search(SearchRequest(text = "withdrawing consent")).hits.first().articleId)
            }
        } finally {
            LibC.instance.close(fd)
        }
    }
}
