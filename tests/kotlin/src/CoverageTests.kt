// Every call the library exports is exercised by these tests: the list comes from the
// cdylib's own symbols (`nm -D`, written by run.sh), so a new export without a test fails.
package org.quire.tests

import kotlin.test.assertTrue

fun camel(snake: String): String =
    snake.split('_').mapIndexed { i, w -> if (i == 0) w else w.replaceFirstChar { it.uppercase() } }.joinToString("")

fun registerCoverageTests(s: Suite) {
    s.test("every exported call is called by these tests") {
        val symbols = Env.exports.readLines().map { it.trim() }.filter { it.startsWith("uniffi_quire_ffi_fn_") }
        val objects = symbols.filter { it.startsWith("uniffi_quire_ffi_fn_clone_") }
            .map { it.removePrefix("uniffi_quire_ffi_fn_clone_") }
        assertTrue(objects.size >= 2, "objects: $objects")
        val source = Env.testSources.listFiles()!!.filter { it.name.endsWith(".kt") }.joinToString("\n") { it.readText() }
        val missing = mutableListOf<String>()
        var checked = 0
        for (sym in symbols) {
            val rest = sym.removePrefix("uniffi_quire_ffi_fn_")
            val call = when {
                rest.startsWith("clone_") || rest.startsWith("free_") -> continue
                rest.startsWith("func_") -> camel(rest.removePrefix("func_")) + "("
                rest.startsWith("method_") || rest.startsWith("constructor_") -> {
                    val kind = rest.substringBefore('_')
                    val tail = rest.substringAfter('_')
                    val obj = objects.single { tail.startsWith(it + "_") }
                    val name = camel(tail.removePrefix(obj + "_"))
                    if (kind == "method") ".$name(" else {
                        // ArticleBundle.open( / UserStore.openFd(: the class name from the test sources.
                        val className = Regex("""\b([A-Z]\w*)\.""" + Regex.escape(name) + """\(""")
                            .findAll(source).map { it.groupValues[1] }
                            .firstOrNull { it.lowercase() == obj }
                        if (className != null) "$className.$name(" else "<$obj>.$name("
                    }
                }
                else -> error("unknown export $sym")
            }
            checked++
            if (!source.contains(call)) missing += "$sym (looked for `$call`)"
        }
        assertTrue(checked >= 40, "only $checked exported calls found in ${Env.exports}")
        assertTrue(missing.isEmpty(), "exported but never called from the tests:\n  " + missing.joinToString("\n  "))
        println("        $checked exported calls, each called by the tests")
    }
}
