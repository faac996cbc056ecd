// A tiny test harness (there is no JUnit here): named test functions, run one by one,
// each failure caught and reported, a pass/fail count at the end, exit status 1 on any
// failure. Also the fixtures the tests share, a small JSON reader for the CLI's output,
// and the few libc calls the storage tests need (through JNA, which is on the classpath
// anyway).
package org.quire.tests

import com.sun.jna.LastErrorException
import com.sun.jna.Native
import java.io.File
import java.util.concurrent.atomic.AtomicInteger
import kotlin.system.exitProcess
import org.quire.core.ArticleBundle

/** Thrown by a test that cannot run here; reported as SKIP with the reason. */
class Skipped(reason: String) : Exception(reason)

fun skip(reason: String): Nothing = throw Skipped(reason)

/** The registry of tests. Test files add theirs in a `register…` function. */
class Suite {
    val tests = mutableListOf<Pair<String, () -> Unit>>()

    fun test(name: String, body: () -> Unit) {
        require(tests.none { it.first == name }) { "two tests named $name" }
        tests += name to body
    }
}

/** Paths and shared objects given by tests/kotlin/run.sh. */
object Env {
    private fun prop(name: String): String =
        System.getProperty(name) ?: error("system property $name is not set (run tests/kotlin/run.sh)")

    val cli = File(prop("quire.cli"))
    val builtinPath = File(prop("quire.builtinBundle"))
    val generatedPath = File(prop("quire.generatedBundle"))
    /** The content packs: clinic-v1.quire and clinic-v2.quire (signed), unsigned.quire. */
    val packDir = File(prop("quire.packDir"))
    val work = File(prop("quire.work"))
    val testSources = File(prop("quire.testSources"))
    val exports = File(prop("quire.exports"))

    /** The built-in corpus, opened once and shared by the tests (as an app would). */
    val builtin: ArticleBundle by lazy { ArticleBundle.open(builtinPath.path) }

    /** 300 generated articles, for ranking and paging comparisons. */
    val generated: ArticleBundle by lazy { ArticleBundle.open(generatedPath.path) }

    private val dirs = AtomicInteger()

    /** A fresh directory under the work directory. */
    fun newDir(name: String): File {
        val dir = File(work, "${dirs.incrementAndGet()}-$name")
        dir.deleteRecursively()
        check(dir.mkdirs()) { "cannot create $dir" }
        return dir
    }
}

/** The libc calls the tests need. Errors arrive as [LastErrorException] (with errno). */
@Suppress("FunctionName")
interface LibC : com.sun.jna.Library {
    fun geteuid(): Int

    @Throws(LastErrorException::class)
    fun open(path: String, flags: Int): Int

    @Throws(LastErrorException::class)
    fun close(fd: Int): Int

    @Throws(LastErrorException::class)
    fun unshare(flags: Int): Int

    @Throws(LastErrorException::class)
    fun mount(source: String?, target: String, fstype: String?, flags: Long, data: String?): Int

    companion object {
        const val O_RDONLY = 0
        const val CLONE_NEWNS = 0x00020000
        const val MS_RDONLY = 1L
        const val MS_REMOUNT = 32L
        const val MS_BIND = 4096L
        const val MS_REC = 16384L
        const val MS_PRIVATE = 1L shl 18

        val instance: LibC by lazy { Native.load("c", LibC::class.java) }
    }
}

/**
 * Runs [body] on a new thread that first enters a private mount namespace (root only).
 * Mounts made there are seen by that thread alone, so Rust code called from it meets
 * genuinely read-only or full file systems, which root's permission bits cannot provide.
 * Skips the test when the namespace cannot be created (not root, no CAP_SYS_ADMIN).
 */
fun <T> inPrivateMountNamespace(body: (LibC) -> T): T {
    val libc = LibC.instance
    if (libc.geteuid() != 0) skip("needs root for a private mount namespace")
    var result: Result<T>? = null
    val t = Thread {
        result = runCatching {
            try {
                libc.unshare(LibC.CLONE_NEWNS)
                libc.mount(null, "/", null, LibC.MS_REC or LibC.MS_PRIVATE, null)
            } catch (e: LastErrorException) {
                skip("cannot create a private mount namespace (errno ${e.errorCode})")
            }
            body(libc)
        }
    }
    t.start()
    t.join()
    return result!!.getOrThrow()
}

// ---- JSON --------------------------------------------------------------------------

/** A parsed JSON value. Numbers keep their text, so floats compare exactly. */
sealed class Json {
    data class Obj(val fields: Map<String, Json>) : Json()
    data class Arr(val items: List<Json>) : Json()
    data class Str(val value: String) : Json()
    data class Num(val text: String) : Json()
    data class Bool(val value: Boolean) : Json()
    object Null : Json()

    operator fun get(key: String): Json = (this as Obj).fields[key] ?: error("no field $key in $this")
    fun has(key: String): Boolean = this is Obj && key in fields
    val str: String get() = (this as Str).value
    val arr: List<Json> get() = (this as Arr).items
    val long: Long get() = (this as Num).text.toLong()
    val float: Float get() = (this as Num).text.toFloat()
    val isNull: Boolean get() = this === Null

    companion object {
        fun parse(text: String): Json {
            val p = Parser(text)
            val v = p.value()
            p.ws()
            check(p.i == text.length) { "trailing characters at ${p.i}" }
            return v
        }
    }

    private class Parser(val s: String) {
        var i = 0

        fun ws() {
            while (i < s.length && s[i] in " \t\r\n") i++
        }

        fun value(): Json {
            ws()
            return when (val c = s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> Str(string())
                't' -> lit("true", Bool(true))
                'f' -> lit("false", Bool(false))
                'n' -> lit("null", Null)
                else -> if (c == '-' || c.isDigit()) num() else error("unexpected '$c' at $i")
            }
        }

        fun lit(word: String, v: Json): Json {
            check(s.startsWith(word, i)) { "bad literal at $i" }
            i += word.length
            return v
        }

        fun num(): Json {
            val start = i
            while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
            return Num(s.substring(start, i))
        }

        fun string(): String {
            check(s[i] == '"')
            i++
            val out = StringBuilder()
            while (true) {
                val c = s[i++]
                when (c) {
                    '"' -> return out.toString()
                    '\\' -> {
                        when (val e = s[i++]) {
                            'n' -> out.append('\n')
                            't' -> out.append('\t')
                            'r' -> out.append('\r')
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000c')
                            'u' -> {
                                out.append(s.substring(i, i + 4).toInt(16).toChar())
                                i += 4
                            }
                            else -> out.append(e)
                        }
                    }
                    else -> out.append(c)
                }
            }
        }

        fun arr(): Json {
            i++
            val items = mutableListOf<Json>()
            ws()
            if (s[i] == ']') {
                i++
                return Arr(items)
            }
            while (true) {
                items += value()
                ws()
                if (s[i++] == ']') return Arr(items)
            }
        }

        fun obj(): Json {
            i++
            val fields = linkedMapOf<String, Json>()
            ws()
            if (s[i] == '}') {
                i++
                return Obj(fields)
            }
            while (true) {
                ws()
                val k = string()
                ws()
                check(s[i++] == ':')
                fields[k] = value()
                ws()
                if (s[i++] == '}') return Obj(fields)
            }
        }
    }
}

/** Runs a program, returns (exit status, stdout, stderr). */
fun runProcess(vararg command: String): Triple<Int, String, String> {
    val p = ProcessBuilder(*command).start()
    p.outputStream.close()
    var err = ""
    val errReader = Thread { err = p.errorStream.bufferedReader().readText() }
    errReader.start()
    val out = p.inputStream.bufferedReader().readText()
    errReader.join()
    return Triple(p.waitFor(), out, err)
}

// ---- main ----------------------------------------------------------------------------

fun main() {
    val suite = Suite()
    registerBundleTests(suite)
    registerStoreTests(suite)
    registerErrorTests(suite)
    registerLifecycleTests(suite)
    registerConcurrencyTests(suite)
    registerCliParityTests(suite)
    registerCoverageTests(suite)
    registerExampleTests(suite)
    registerReaderTests(suite)
    registerDirectSearchTests(suite)
    registerPackTests(suite)
    registerFiguresTests(suite)

    val filter = System.getProperty("quire.filter").orEmpty()
    val selected = suite.tests.filter { filter.isEmpty() || filter in it.first }
    var passed = 0
    var skipped = 0
    val failed = mutableListOf<String>()
    val started = System.nanoTime()
    for ((name, body) in selected) {
        val t0 = System.nanoTime()
        var detail = ""
        val status = try {
            body()
            passed++
            "PASS"
        } catch (s: Skipped) {
            skipped++
            detail = " -- ${s.message}"
            "SKIP"
        } catch (t: Throwable) {
            failed += name
            val where = t.stackTrace.firstOrNull { it.className.startsWith("org.quire.tests") }
            detail = "\n        $t" + if (where != null) "\n        at ${where.fileName}:${where.lineNumber}" else ""
            "FAIL"
        }
        val ms = (System.nanoTime() - t0) / 1_000_000
        println("  $status  $name  (${ms} ms)$detail")
    }
    val total = (System.nanoTime() - started) / 1_000_000
    println()
    println("Kotlin tests: ${selected.size} run, $passed passed, ${failed.size} failed, $skipped skipped (${total} ms)")
    for (f in failed) println("  failed: $f")
    // Objects still open are freed by the cleaner; exit without waiting for it.
    exitProcess(if (failed.isEmpty() && selected.isNotEmpty()) 0 else 1)
}
