// UserStore: bookmarks (and flagged against a bundle), reading progress, opt-in history
// and recent searches, privacy and custom settings, export/import, wipe, and the repair
// report of a damaged database.
package org.quire.tests

import java.io.File
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.quire.core.ImportSummary
import org.quire.core.PrivacySettings
import org.quire.core.UserStore
import org.quire.core.wipeUserStoreDir

/** The SQLite file of the store in [dir]. */
fun dbFile(dir: File): File = File(dir, "quire-user.sqlite3")

/** Opens a store in a fresh directory. */
fun freshStore(name: String): Pair<UserStore, File> {
    val dir = Env.newDir(name)
    return UserStore.open(dir.path) to dir
}

fun assertRecent(t: Instant) {
    val age = Duration.between(t, Instant.now()).abs()
    assertTrue(age < Duration.ofMinutes(5), "time $t is not now")
}

fun registerStoreTests(s: Suite) {
    s.test("open a fresh store: empty, no recovery report, private defaults") {
        val (store, dir) = freshStore("fresh")
        store.use {
            assertNull(it.recovery())
            assertTrue(it.bookmarks().isEmpty())
            assertTrue(it.allProgress().isEmpty())
            assertEquals(PrivacySettings(), it.privacySettings())
            assertFalse(it.privacySettings().historyEnabled || it.privacySettings().recentSearchesEnabled)
            assertTrue(it.customSettings().isEmpty())
        }
        assertTrue(dbFile(dir).exists())
    }

    s.test("bookmarks: add, replace note, read, list newest first, remove") {
        val (store, _) = freshStore("bookmarks")
        store.use {
            val b = it.addBookmark(STOP_ID, "read again", "later")
            assertEquals(STOP_ID, b.articleId)
            assertEquals("read again", b.note)
            assertEquals("later", b.folder)
            assertRecent(b.createdAt)
            assertEquals(b, it.bookmark(STOP_ID))
            Thread.sleep(2)
            it.addBookmark(PROCESS_ID, null, null)
            assertEquals(listOf(PROCESS_ID, STOP_ID), it.bookmarks().map { m -> m.articleId })
            // Re-adding replaces note and folder, keeps the date; empty means none.
            val again = it.addBookmark(STOP_ID, "", null)
            assertEquals(b.createdAt, again.createdAt)
            assertNull(again.note)
            assertNull(it.bookmark(STOP_ID)!!.folder)
            assertTrue(it.removeBookmark(STOP_ID))
            assertFalse(it.removeBookmark(STOP_ID))
            assertNull(it.bookmark(STOP_ID))
            assertEquals(listOf(PROCESS_ID), it.bookmarks().map { m -> m.articleId })
        }
    }

    s.test("bookmarksFlagged marks ids the bundle lacks, drops none") {
        val (store, _) = freshStore("flagged")
        store.use {
            it.addBookmark(STOP_ID, null, null)
            it.addBookmark("removed-by-an-update", "still mine", null)
            val flagged = it.bookmarksFlagged(Env.builtin).associate { f -> f.bookmark.articleId to f.missing }
            assertEquals(mapOf(STOP_ID to false, "removed-by-an-update" to true), flagged)
            assertEquals(2, it.bookmarks().size)
        }
    }

    s.test("progress: set, read, list most recent first, remove") {
        val (store, _) = freshStore("progress")
        store.use {
            val p = it.setProgress(STOP_ID, 0.25)
            assertEquals(0.25, p.position)
            assertRecent(p.lastOpened)
            Thread.sleep(2)
            it.setProgress(PROCESS_ID, 1.0)
            assertEquals(p, it.progress(STOP_ID))
            assertEquals(listOf(PROCESS_ID, STOP_ID), it.allProgress().map { r -> r.articleId })
            assertEquals(0.123456789, it.setProgress(STOP_ID, 0.1234567891234).position)
            assertTrue(it.removeProgress(PROCESS_ID))
            assertFalse(it.removeProgress(PROCESS_ID))
            assertNull(it.progress(PROCESS_ID))
        }
    }

    s.test("history is off by default, recorded once on, cleared when turned off") {
        val (store, _) = freshStore("history")
        store.use {
            assertFalse(it.recordArticleOpened(STOP_ID))
            assertTrue(it.history().isEmpty())
            it.setPrivacySettings(PrivacySettings(historyEnabled = true, historyRetentionDays = 30u))
            assertEquals(30u, it.privacySettings().historyRetentionDays)
            assertTrue(it.recordArticleOpened(STOP_ID))
            Thread.sleep(2)
            assertTrue(it.recordArticleOpened(PROCESS_ID))
            val h = it.history()
            assertEquals(listOf(PROCESS_ID, STOP_ID), h.map { e -> e.articleId })
            assertRecent(h.first().openedAt)
            it.clearHistory()
            assertTrue(it.history().isEmpty())
            it.recordArticleOpened(STOP_ID)
            it.setPrivacySettings(PrivacySettings())
            assertTrue(it.history().isEmpty(), "turning history off deletes it")
        }
    }

    s.test("recent searches are off by default, recorded once on, cleared") {
        val (store, _) = freshStore("searches")
        store.use {
            assertFalse(it.recordSearch("painful sex"))
            it.setPrivacySettings(PrivacySettings(recentSearchesEnabled = true))
            assertTrue(it.recordSearch("  painful sex "))
            Thread.sleep(2)
            assertTrue(it.recordSearch("changed my mind"))
            assertFalse(it.recordSearch("   "))
            Thread.sleep(2)
            assertTrue(it.recordSearch("painful sex"))
            val r = it.recentSearches()
            assertEquals(listOf("painful sex", "changed my mind"), r.map { e -> e.query })
            assertRecent(r.first().searchedAt)
            it.clearRecentSearches()
            assertTrue(it.recentSearches().isEmpty())
        }
    }

    s.test("custom settings: set, read, list, remove") {
        val (store, _) = freshStore("settings")
        store.use {
            assertNull(it.setting("theme"))
            it.setSetting("theme", "dark")
            it.setSetting("cover-titles", "on")
            assertEquals("dark", it.setting("theme"))
            assertEquals(mapOf("theme" to "dark", "cover-titles" to "on"), it.customSettings())
            assertTrue(it.removeSetting("theme"))
            assertFalse(it.removeSetting("theme"))
            assertEquals(mapOf("cover-titles" to "on"), it.customSettings())
        }
    }

    s.test("export and import: round trip into another store, idempotent") {
        val (a, _) = freshStore("export-a")
        val (b, _) = freshStore("export-b")
        val json = a.use {
            it.addBookmark(STOP_ID, "note with ünïcödé and \"quotes\"", "f")
            it.setProgress(PROCESS_ID, 0.5)
            it.setSetting("theme", "dark")
            it.setPrivacySettings(PrivacySettings(recentSearchesEnabled = true))
            it.recordSearch("consent")
            it.exportJson()
        }
        assertTrue(json.contains("\"format_version\""))
        b.use {
            val summary = it.importJson(json)
            assertEquals(ImportSummary(bookmarks = 1uL, progress = 1uL, history = 0uL, recentSearches = 1uL, settings = 2uL), summary)
            assertEquals("note with ünïcödé and \"quotes\"", it.bookmark(STOP_ID)!!.note)
            assertEquals(0.5, it.progress(PROCESS_ID)!!.position)
            assertEquals("dark", it.setting("theme"))
            assertEquals(listOf("consent"), it.recentSearches().map { r -> r.query })
            assertEquals(ImportSummary(0uL, 0uL, 0uL, 0uL, 0uL), it.importJson(json), "idempotent")
        }
    }

    s.test("wipe deletes every file; the directory opens afresh") {
        val (store, dir) = freshStore("wipe")
        store.addBookmark(STOP_ID, "secret note", null)
        store.wipe()
        assertTrue(dir.listFiles()!!.isEmpty(), "left: ${dir.listFiles()!!.map { it.name }}")
        store.close()
        UserStore.open(dir.path).use { assertTrue(it.bookmarks().isEmpty()) }
    }

    s.test("wipeUserStoreDir removes a closed store's files") {
        val (store, dir) = freshStore("wipe-dir")
        store.use { it.addBookmark(STOP_ID, "secret note", null) }
        assertTrue(dbFile(dir).exists())
        wipeUserStoreDir(dir.path)
        assertTrue(dir.listFiles()!!.isEmpty(), "left: ${dir.listFiles()!!.map { it.name }}")
    }

    s.test("a damaged database is repaired and reported, never refused") {
        val (store, dir) = freshStore("damaged")
        store.use { it.addBookmark(STOP_ID, null, null) }
        dbFile(dir).writeBytes(ByteArray(8192) { (it * 31 + 7).toByte() })
        UserStore.open(dir.path).use {
            val report = assertNotNull(it.recovery())
            assertTrue(report.cause.isNotBlank())
            assertTrue(report.lostAnything)
            assertEquals(0uL, report.bookmarks.kept)
            assertTrue(report.damagedFilesLeft.isEmpty())
            // The fresh store works.
            it.addBookmark(PROCESS_ID, null, null)
            assertEquals(1, it.bookmarks().size)
        }
        UserStore.open(dir.path).use { assertNull(it.recovery(), "reported once") }
    }
}
