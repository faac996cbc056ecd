// Every QuireException variant, produced for real and caught as its own type.
package org.quire.tests

import java.io.File
import java.io.RandomAccessFile
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions
import java.util.zip.CRC32
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.quire.core.ArticleBundle
import org.quire.core.PrivacySettings
import org.quire.core.QuireException
import org.quire.core.UserStore
import org.quire.core.wipeUserStoreDir

/** A copy of the built-in bundle to damage. */
fun bundleCopy(name: String): File {
    val f = File(Env.newDir(name), "copy.quire")
    Env.builtinPath.copyTo(f)
    return f
}

/** Writes a 32-bit big-endian integer at [offset] of [file]. */
fun writeIntBE(file: File, offset: Long, value: Int) {
    RandomAccessFile(file, "rw").use {
        it.seek(offset)
        it.writeInt(value)
    }
}

/** A store directory holding one bookmark, closed (its WAL checkpointed into the file). */
fun closedStoreWithBookmark(name: String): File {
    val dir = Env.newDir(name)
    UserStore.open(dir.path).use { it.addBookmark(STOP_ID, "kept", null) }
    return dir
}

fun registerErrorTests(s: Suite) {
    s.test("ArticleNotFound: article, meta, related on an unknown id") {
        val e = assertFailsWith<QuireException.ArticleNotFound> { Env.builtin.article("no-such-article") }
        assertEquals("no-such-article", e.id)
        assertFailsWith<QuireException.ArticleNotFound> { Env.builtin.meta("no-such-article") }
        assertFailsWith<QuireException.ArticleNotFound> { Env.builtin.related("no-such-article", 3u) }
    }

    s.test("NotABundle: a text file, an empty file, bytes") {
        val dir = Env.newDir("not-a-bundle")
        val text = File(dir, "notes.txt").apply { writeText("just some notes, not a bundle at all") }
        assertFailsWith<QuireException.NotABundle> { ArticleBundle.open(text.path) }
        val empty = File(dir, "empty.quire").apply { writeBytes(ByteArray(0)) }
        assertFailsWith<QuireException.NotABundle> { ArticleBundle.open(empty.path) }
        assertFailsWith<QuireException.NotABundle> { ArticleBundle.fromBytes(ByteArray(1000)) }
    }

    s.test("UnsupportedBundleVersion: a header from a future format") {
        val f = bundleCopy("future")
        val bytes = f.readBytes()
        bytes[8] = 99 // major format version, little-endian u16 at 8..10
        bytes[9] = 0
        val crc = CRC32().apply { update(bytes, 0, 60) }.value // header checksum over 0..60
        for (i in 0 until 4) bytes[60 + i] = (crc ushr (8 * i)).toByte()
        f.writeBytes(bytes)
        val e = assertFailsWith<QuireException.UnsupportedBundleVersion> { ArticleBundle.open(f.path) }
        assertEquals(99.toUShort(), e.found)
        assertEquals(1.toUShort(), e.supported)
    }

    s.test("DamagedBundle: truncated at open, a flipped byte at verify") {
        val truncated = bundleCopy("truncated")
        val len = truncated.length()
        RandomAccessFile(truncated, "rw").use { it.setLength(len * 2 / 3) }
        val e = assertFailsWith<QuireException.DamagedBundle> { ArticleBundle.open(truncated.path) }
        assertTrue(e.section.isNotBlank() && e.detail.isNotBlank())

        // One byte flipped in the middle of the bodies: the header and manifest are fine,
        // so open succeeds (it checks only what it reads); verify finds it.
        val flipped = bundleCopy("flipped")
        val bytes = flipped.readBytes()
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 0x10).toByte()
        flipped.writeBytes(bytes)
        val damaged = try {
            ArticleBundle.open(flipped.path).use { it.verify() }
            null
        } catch (e: QuireException.DamagedBundle) {
            e
        }
        assertTrue(damaged != null, "a flipped byte went unnoticed")
        assertTrue(damaged.section.isNotBlank())
    }

    s.test("InvalidArgument: bad ids, positions, keys, retention, descriptors") {
        val (store, _) = freshStore("invalid")
        store.use {
            assertFailsWith<QuireException.InvalidArgument> { it.addBookmark("", null, null) }
            assertFailsWith<QuireException.InvalidArgument> { it.addBookmark("x".repeat(513), null, null) }
            assertFailsWith<QuireException.InvalidArgument> { it.setProgress(STOP_ID, 1.5) }
            assertFailsWith<QuireException.InvalidArgument> { it.setProgress(STOP_ID, Double.NaN) }
            assertFailsWith<QuireException.InvalidArgument> { it.recordArticleOpened("") }
            assertFailsWith<QuireException.InvalidArgument> { it.setting("") }
            assertFailsWith<QuireException.InvalidArgument> { it.setSetting("quire.history", "on") }
            assertFailsWith<QuireException.InvalidArgument> { it.removeSetting("k".repeat(300)) }
            assertFailsWith<QuireException.InvalidArgument> {
                it.setPrivacySettings(PrivacySettings(historyEnabled = true, historyRetentionDays = 0u))
            }
            assertTrue(it.bookmarks().isEmpty(), "nothing written")
        }
        assertFailsWith<QuireException.InvalidArgument> { ArticleBundle.openFd(-1, 0uL, 100uL) }
        val libc = LibC.instance
        val fd = libc.open(Env.builtinPath.path, LibC.O_RDONLY)
        try {
            val e = assertFailsWith<QuireException.InvalidArgument> {
                ArticleBundle.openFd(fd, 10uL, Env.builtinPath.length().toULong())
            }
            assertTrue(e.detail.contains("outside"), e.detail)
        } finally {
            libc.close(fd)
        }
    }

    s.test("Io: a bundle path that does not exist") {
        val e = assertFailsWith<QuireException.Io> { ArticleBundle.open(File(Env.work, "missing.quire").path) }
        assertTrue(e.detail.contains("missing.quire"), e.detail)
    }

    s.test("NewerUserData: a database from a newer app is refused and left untouched") {
        val dir = closedStoreWithBookmark("newer")
        val db = dbFile(dir)
        assertTrue(!File(dir, "quire-user.sqlite3-wal").exists() || File(dir, "quire-user.sqlite3-wal").length() == 0L)
        writeIntBE(db, 60, 99) // SQLite keeps PRAGMA user_version at offset 60 of the header
        val before = db.readBytes()
        val e = assertFailsWith<QuireException.NewerUserData> { UserStore.open(dir.path) }
        assertEquals(99L, e.found)
        assertTrue(e.supported in 1L until 99L)
        assertContentEquals(before, db.readBytes(), "the newer database must be left byte for byte")
        // The way out the app can offer: wipe and start afresh.
        wipeUserStoreDir(dir.path)
        UserStore.open(dir.path).use { assertTrue(it.bookmarks().isEmpty()) }
    }

    s.test("NewerExport and InvalidExport: nothing imported") {
        val (store, _) = freshStore("import-errors")
        store.use {
            val e = assertFailsWith<QuireException.NewerExport> { it.importJson("""{"format_version": 99}""") }
            assertEquals(99u, e.found)
            assertFailsWith<QuireException.InvalidExport> { it.importJson("not json") }
            assertFailsWith<QuireException.InvalidExport> { it.importJson("""{"bookmarks": []}""") }
            val bad = """{"format_version": 1, "exported_at": "2025-01-01T00:00:00Z",
                "bookmarks": [{"article_id": "ok", "created_at": "2025-01-01T00:00:00Z"}],
                "progress": [{"article_id": "x", "position": 7.0, "last_opened": "2025-01-01T00:00:00Z"}]}"""
            assertFailsWith<QuireException.InvalidExport> { it.importJson(bad) }
            assertNull(it.bookmark("ok"), "all or nothing")
        }
    }

    s.test("Storage: calls on a wiped store") {
        val (store, _) = freshStore("wiped")
        store.use {
            it.wipe()
            val e = assertFailsWith<QuireException.Storage> { it.bookmarks() }
            assertTrue(e.detail.contains("wiped"), e.detail)
            assertFailsWith<QuireException.Storage> { it.addBookmark(STOP_ID, null, null) }
        }
    }

    s.test("StorageReadOnly: read-only storage (EROFS as root, EACCES otherwise), nothing deleted") {
        val dir = closedStoreWithBookmark("read-only")
        val before = dbFile(dir).readBytes()
        if (LibC.instance.geteuid() == 0) {
            // Root ignores permission bits: a read-only bind mount binds root too.
            inPrivateMountNamespace { libc ->
                libc.mount(dir.path, dir.path, null, LibC.MS_BIND, null)
                libc.mount(null, dir.path, null, LibC.MS_REMOUNT or LibC.MS_BIND or LibC.MS_RDONLY, null)
                assertFailsWith<QuireException.StorageReadOnly> { UserStore.open(dir.path) }
                // A store that cannot be created at all in a read-only directory, too.
                assertFailsWith<QuireException.StorageReadOnly> { UserStore.open(File(dir, "sub").path) }
            }
        } else {
            val perms = { p: String -> PosixFilePermissions.fromString(p) }
            Files.setPosixFilePermissions(dbFile(dir).toPath(), perms("r--r--r--"))
            Files.setPosixFilePermissions(dir.toPath(), perms("r-xr-xr-x"))
            try {
                assertFailsWith<QuireException.StorageReadOnly> { UserStore.open(dir.path) }
            } finally {
                Files.setPosixFilePermissions(dir.toPath(), perms("rwx------"))
                Files.setPosixFilePermissions(dbFile(dir).toPath(), perms("rw-------"))
            }
        }
        assertContentEquals(before, dbFile(dir).readBytes())
        UserStore.open(dir.path).use { assertEquals("kept", it.bookmark(STOP_ID)!!.note) }
    }

    s.test("StorageFull: a tiny file system fills up (ENOSPC), acknowledged writes stay") {
        val dir = Env.newDir("full")
        inPrivateMountNamespace { libc ->
            libc.mount("tmpfs", dir.path, "tmpfs", 0L, "size=256k,mode=0700")
            UserStore.open(dir.path).use { store ->
                val note = "n".repeat(4000)
                var acknowledged = 0
                val e = assertFailsWith<QuireException.StorageFull> {
                    while (acknowledged < 10_000) {
                        store.addBookmark("article-$acknowledged", note, null)
                        acknowledged++
                    }
                }
                assertTrue(e.detail.isNotBlank())
                assertTrue(acknowledged > 0)
                val ids = store.bookmarks().map { it.articleId }.toSet()
                for (i in 0 until acknowledged) assertTrue("article-$i" in ids, "lost article-$i")
                println("        $acknowledged bookmarks acknowledged before ENOSPC, all $acknowledged still there")
            }
        }
    }
}
