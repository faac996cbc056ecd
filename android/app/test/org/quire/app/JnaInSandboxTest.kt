package org.quire.app

import com.sun.jna.Library
import com.sun.jna.Native
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * The UniFFI bindings load the Rust cdylib with JNA from inside Robolectric's sandbox class
 * loader. These load libc by name, and a library found only through `-Djna.library.path`
 * (test.sh puts a `libquireprobe.so` link to the system zlib there), in two sandboxes: the
 * default one and the native-graphics one, each with its own class loader.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class JnaInSandboxTest {
    interface LibC : Library {
        fun getpid(): Int
    }

    interface Probe : Library {
        fun zlibVersion(): String
    }

    @Test
    fun loadsLibcAndCallsGetpid() {
        val libc = Native.load("c", LibC::class.java)
        assertEquals(ProcessHandle.current().pid().toInt(), libc.getpid())
    }

    @Test
    fun loadsFromJnaLibraryPath() = probe()

    @Test
    @GraphicsMode(GraphicsMode.Mode.NATIVE)
    fun loadsFromJnaLibraryPathInASecondSandbox() = probe()

    private fun probe() {
        val path = System.getProperty("jna.library.path")
        assertTrue("jna.library.path is set", !path.isNullOrEmpty())
        val version = Native.load("quireprobe", Probe::class.java).zlibVersion()
        assertTrue("zlib version '$version'", version.matches(Regex("""\d+\.\d+.*""")))
        // Robolectric never acquires com.sun.*: JNA (and the native libraries it loaded) is the
        // application class loader's, one copy shared by every sandbox, while this test class
        // (like the bindings' classes would be) is loaded anew by each sandbox.
        val system = ClassLoader.getSystemClassLoader()
        assertTrue("JNA is the application's", Native::class.java.classLoader === system)
        assertTrue("the test is the sandbox's", javaClass.classLoader !== system)
    }
}
