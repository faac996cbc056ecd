// Content packs through the Reader, on real pack files built and signed by the CLI:
// checking a file before asking, trust asked once, install from a path and from a
// descriptor, one search over every pack, updates and removals that keep bookmarks,
// and every refusal as its own exception.
package org.quire.tests

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.quire.core.InstallOptions
import org.quire.core.QuireException
import org.quire.core.SearchRequest

private const val CLINIC = "org.example.clinic"

private fun pack(name: String) = File(Env.packDir, name).path

fun registerPackTests(s: Suite) {
    s.test("packs: inspect, trust asked once, install, search names the pack, update by descriptor, no downgrade") {
        val (reader, dir) = freshReader("packs-install")
        reader.use {
            assertEquals(listOf("quire-builtin"), it.packs().map { p -> p.id })
            val offer = it.inspectPack(pack("clinic-v1.quire"))
            assertEquals(CLINIC, offer.pack.id)
            assertEquals(1uL, offer.pack.version)
            assertFalse(offer.trusted)
            val fingerprint = assertNotNull(offer.pack.publisher)
            assertEquals(64, offer.publisherKey!!.length)
            assertNull(offer.installedVersion)
            assertFalse(File(dir, "packs/$CLINIC.quire").exists(), "inspecting installs nothing")

            val untrusted = assertFailsWith<QuireException.UntrustedPublisher> {
                it.installPack(pack("clinic-v1.quire"), InstallOptions())
            }
            assertEquals(fingerprint, untrusted.fingerprint)
            assertEquals("Example Clinic", untrusted.name)
            val installed = it.installPack(pack("clinic-v1.quire"), InstallOptions(trustPublisher = true))
            assertTrue(installed.trustedNow)
            assertNull(installed.previousVersion)
            assertEquals(listOf("quire-builtin", CLINIC), it.packs().map { p -> p.id })
            assertTrue(it.damagedPacks().isEmpty())

            val page = it.search(SearchRequest(text = "copper coil"))
            val hit = page.hits.first()
            assertEquals("$CLINIC/emergency-contraception", hit.articleId)
            assertEquals(CLINIC, hit.packId)
            assertEquals("Example Clinic", hit.packName)
            val builtinOnly = it.search(SearchRequest(text = "copper coil", packs = listOf("quire-builtin")))
            assertTrue(builtinOnly.hits.none { h -> h.packId == CLINIC })
            // The built-in articles still come first for their own words.
            assertEquals(STOP_ID, it.search(SearchRequest(text = "withdrawing consent")).hits.first().articleId)

            it.addBookmark(hit.articleId, "ask at the pharmacy")
            assertEquals(hit.articleId, it.openArticle(hit.articleId, "coil").view.id)
            it.closeArticle()

            // The update arrives as a descriptor (Android hands files over that way).
            val fd = LibC.instance.open(pack("clinic-v2.quire"), LibC.O_RDONLY)
            val updated = try {
                it.installPackFd(fd, InstallOptions())
            } finally {
                LibC.instance.close(fd)
            }
            assertEquals(1uL, updated.previousVersion)
            assertFalse(updated.trustedNow, "the publisher was trusted already")
            assertEquals(2uL, it.packs()[1].version)
            val kept = it.bookmarks().single()
            assertTrue(kept.item.available)
            assertEquals("ask at the pharmacy", kept.note)

            val down = assertFailsWith<QuireException.PackDowngrade> {
                it.installPack(pack("clinic-v1.quire"), InstallOptions())
            }
            assertEquals(2uL, down.installed)
            assertEquals(1uL, down.offered)
            it.installPack(pack("clinic-v1.quire"), InstallOptions(allowDowngrade = true))
            assertEquals(1uL, it.packs()[1].version)
        }
    }

    s.test("packs: removal keeps bookmarks as unavailable until the pack returns; refusals are typed") {
        val (reader, dir) = freshReader("packs-remove")
        reader.use {
            it.installPack(pack("clinic-v1.quire"), InstallOptions(trustPublisher = true))
            val ref = "$CLINIC/sti-testing"
            it.addBookmark(ref, null)
            it.removePack(CLINIC)
            assertFalse(File(dir, "packs/$CLINIC.quire").exists())
            val gone = it.bookmarks().single()
            assertEquals(ref, gone.item.articleId)
            assertFalse(gone.item.available)
            assertFailsWith<QuireException.ArticleNotFound> { it.openArticle(ref, null) }
            assertFailsWith<QuireException.PackNotFound> { it.removePack(CLINIC) }
            assertFailsWith<QuireException.PackConflict> { it.removePack("quire-builtin") }
            // Back, with the trust kept: no question asked the second time.
            it.installPack(pack("clinic-v1.quire"), InstallOptions())
            assertTrue(it.bookmarks().single().item.available)

            val unsigned = assertFailsWith<QuireException.UnsignedPack> {
                it.installPack(pack("unsigned.quire"), InstallOptions(trustPublisher = true))
            }
            assertEquals("org.example.leaflets", unsigned.id)
            val offer = it.inspectPack(pack("unsigned.quire"))
            assertNull(offer.publisherKey)
            assertNull(offer.pack.publisher)
            it.installPack(pack("unsigned.quire"), InstallOptions(allowUnsigned = true))
            assertEquals(3, it.packs().size)

            // A byte changed in the signature; not a pack; not a bundle; no such file.
            val tampered = File(dir, "tampered.quire")
            val bytes = File(pack("clinic-v2.quire")).readBytes()
            bytes[bytes.size - 40] = (bytes[bytes.size - 40].toInt() xor 1).toByte()
            tampered.writeBytes(bytes)
            assertFailsWith<QuireException.BadSignature> { it.installPack(tampered.path, InstallOptions(trustPublisher = true)) }
            assertFailsWith<QuireException.NotAPack> { it.inspectPack(Env.builtinPath.path) }
            val junk = File(dir, "junk.quire").apply { writeText("not a pack") }
            val fd = LibC.instance.open(junk.path, LibC.O_RDONLY)
            try {
                assertFailsWith<QuireException.NotABundle> { it.inspectPackFd(fd) }
            } finally {
                LibC.instance.close(fd)
            }
            assertFailsWith<QuireException.InvalidArgument> { it.inspectPackFd(-1) }
            assertFailsWith<QuireException.Io> { it.installPack(File(dir, "missing.quire").path, InstallOptions()) }
            assertEquals(3, it.packs().size, "refusals changed nothing")
            assertTrue(File(dir, "packs").listFiles()!!.none { f -> f.name.endsWith(".partial") })

            // Erasing everything takes the packs with it.
            it.eraseAll()
            assertEquals(listOf("quire-builtin"), it.packs().map { p -> p.id })
        }
    }
}
