// Object lifetimes (close, use after close) and panics: each arrives as an exception and
// the library keeps working.
package org.quire.tests

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.quire.core.ArticleBundle
import org.quire.core.InternalException
import org.quire.core.QuireException
import org.quire.core.SearchOptions
import org.quire.core.UserStore
import org.quire.core.panicUnguardedForTests

fun registerLifecycleTests(s: Suite) {
    s.test("ArticleBundle after close(): IllegalStateException, no crash") {
        val b = ArticleBundle.open(Env.builtinPath.path)
        assertEquals(2uL, b.articleCount())
        b.close()
        assertFailsWith<IllegalStateException> { b.search("consent", SearchOptions()) }
        assertFailsWith<IllegalStateException> { b.articleCount() }
        assertFailsWith<IllegalStateException> { b.article(STOP_ID) }
        b.close() // closing twice is harmless
        assertFailsWith<IllegalStateException> { b.info() }
    }

    s.test("UserStore after close(): IllegalStateException; the directory reopens") {
        val (store, dir) = freshStore("closed")
        store.addBookmark(STOP_ID, "kept", null)
        store.close()
        assertFailsWith<IllegalStateException> { store.bookmarks() }
        assertFailsWith<IllegalStateException> { store.addBookmark(PROCESS_ID, null, null) }
        store.close()
        UserStore.open(dir.path).use { assertEquals("kept", it.bookmark(STOP_ID)!!.note) }
    }

    s.test("use {} closes; two stores on two directories are independent") {
        val (a, _) = freshStore("use-a")
        val (b, _) = freshStore("use-b")
        a.use { it.addBookmark(STOP_ID, null, null) }
        b.use { assertTrue(it.bookmarks().isEmpty()) }
        assertFailsWith<IllegalStateException> { a.bookmarks() }
    }

    s.test("a panic in a bundle call arrives as QuireException.Internal; the bundle keeps working") {
        println("        (the panic messages Rust prints to stderr in the next three tests are expected)")
        ArticleBundle.open(Env.builtinPath.path).use { b ->
            repeat(3) {
                val e = assertFailsWith<QuireException.Internal> { b.panicForTests() }
                assertTrue(e.detail.contains("failed unexpectedly"), e.detail)
                assertTrue(!e.detail.contains("test panic"), "the panic message does not cross: ${e.detail}")
            }
            assertEquals(STOP_ID, b.search("stop", SearchOptions()).hits.first().id)
            b.verify()
        }
    }

    s.test("a panic inside the core (store) arrives as Internal; the store keeps working") {
        val (store, _) = freshStore("panic")
        store.use {
            it.addBookmark(STOP_ID, "before", null) // the core calls back per bookmark
            assertFailsWith<QuireException.Internal> { it.panicForTests() }
            assertFailsWith<QuireException.Internal> { it.panicForTests() }
            it.addBookmark(PROCESS_ID, "after", null)
            assertEquals(setOf(STOP_ID, PROCESS_ID), it.bookmarks().map { b -> b.articleId }.toSet())
            assertEquals(2, it.bookmarksFlagged(Env.builtin).size)
        }
    }

    s.test("a panic outside any guard arrives as UniFFI's InternalException") {
        repeat(2) { assertFailsWith<InternalException> { panicUnguardedForTests() } }
        assertEquals(2uL, Env.builtin.search("consent", SearchOptions()).total)
    }
}
