// Reader.search in one direct JNA call (bindings/src/direct.rs, docs/adr/0022): compiled
// with the generated bindings of package org.quire.core, by the apps and by the tests.
package org.quire.core

import com.sun.jna.Native
import java.nio.ByteBuffer
import java.util.Collections
import java.util.WeakHashMap

/**
 * Searches exactly as [Reader.search] does (same request, same page, same
 * [QuireException]s), in one call across to the library instead of the generated
 * bindings' five, each of which allocates a JNA structure: what the search screen
 * calls as the reader types. Thread-safe and blocking: call it off the UI thread.
 *
 * @throws IllegalStateException when the reader was closed, as [Reader.search] does.
 */
@Throws(QuireException::class)
fun Reader.searchDirect(request: SearchRequest): SearchPage = DirectSearch.search(this, request)

/** The library's two C functions for [searchDirect], and its per-thread buffers. */
internal object DirectSearch {
    /** What a thread's reply buffer holds before a longer reply makes it grow. */
    const val FIRST_REPLY_CAPACITY = 16 * 1024
    private const val REPLY_PAGE: Byte = 0
    private const val REPLY_ERROR: Byte = 1

    init {
        // The library the generated bindings load (the tests point them at theirs).
        val name = System.getProperty("uniffi.component.quire_ffi.libraryOverride") ?: "quire_ffi"
        Native.register(DirectSearch::class.java, name)
    }

    external fun quire_direct_search(key: Long, request: ByteBuffer, requestLen: Int, out: ByteBuffer, outCapacity: Int): Int
    external fun quire_direct_reply(out: ByteBuffer, outCapacity: Int): Int

    /** Each reader's key, asked once (one generated call); weak, like the readers. */
    private val keys: MutableMap<Reader, Long> = Collections.synchronizedMap(WeakHashMap())

    /** Direct buffers: JNA passes their addresses, so nothing is copied on the way. */
    internal class Buffers {
        var request: ByteBuffer = ByteBuffer.allocateDirect(1024)
        var reply: ByteBuffer = ByteBuffer.allocateDirect(FIRST_REPLY_CAPACITY)
    }

    internal val buffers: ThreadLocal<Buffers> = ThreadLocal.withInitial { Buffers() }

    private fun atLeast(size: Int): Int = Integer.highestOneBit(maxOf(size, 1) - 1 or 1) shl 1

    fun search(reader: Reader, request: SearchRequest): SearchPage {
        check(!reader.uniffiIsDestroyed) { "Reader object has already been destroyed" }
        val key = keys[reader] ?: reader.directSearchKey().toLong().also { keys[reader] = it }
        val b = buffers.get()
        val size = FfiConverterTypeSearchRequest.allocationSize(request).toInt()
        if (b.request.capacity() < size) b.request = ByteBuffer.allocateDirect(atLeast(size))
        // JNA passes a buffer's address at its position: both are passed at 0.
        val req = b.request
        req.clear()
        FfiConverterTypeSearchRequest.write(request, req)
        req.flip()
        b.reply.clear()
        var n = quire_direct_search(key, req, req.limit(), b.reply, b.reply.capacity())
        if (n > b.reply.capacity()) {
            // Longer than any reply before on this thread: the library kept it.
            b.reply = ByteBuffer.allocateDirect(atLeast(n))
            n = quire_direct_reply(b.reply, b.reply.capacity())
        }
        if (n < 1) throw InternalException("no reply from the library's search")
        val reply = b.reply
        reply.limit(n)
        return when (reply.get()) {
            REPLY_PAGE -> FfiConverterTypeSearchPage.read(reply)
            REPLY_ERROR -> throw FfiConverterTypeQuireError.read(reply)
            else -> throw InternalException("unreadable reply from the library's search")
        }
    }
}
