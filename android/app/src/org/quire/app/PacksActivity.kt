package org.quire.app

import android.app.AlertDialog
import android.content.Intent
import android.net.Uri
import android.view.View
import android.widget.LinearLayout
import android.widget.ScrollView
import java.io.IOException
import org.quire.core.InstallOptions
import org.quire.core.PackOffer
import org.quire.core.PackSummary
import org.quire.core.QuireException
import org.quire.core.Reader

/**
 * Content packs: the built-in articles and every installed pack, adding one from a file
 * the reader picks (checked whole by the core before anything is asked), and removing one.
 * A new publisher is trusted only after the reader has seen its key's fingerprint; an
 * unsigned pack, or an older version, is installed only when the reader says so.
 */
class PacksActivity : BaseActivity() {
    override val titleId = R.string.packs_title

    lateinit var list: LinearLayout
        private set
    lateinit var addRow: LinearLayout
        private set

    /** The packs on screen (tests read them). */
    var packs: List<PackSummary> = emptyList()
        private set

    /** The pack file being offered, with what the core found in it (tests read it). */
    var offer: PackOffer? = null
        private set

    override fun buildContent(): View {
        list = LinearLayout(this).apply {
            id = R.id.packs_list
            orientation = LinearLayout.VERTICAL
        }
        addRow = Rows.base(this).apply {
            addView(Ui.text(this@PacksActivity, 17f, R.color.accent, bold = true).apply { setText(R.string.packs_add) })
            addView(
                Ui.text(this@PacksActivity, 14f, R.color.text_secondary).apply {
                    setText(R.string.packs_add_summary)
                    setPadding(0, Ui.dp(this@PacksActivity, 2), 0, 0)
                },
            )
            setOnClickListener { pickFile() }
        }
        val col = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(0, 0, 0, Ui.dp(this@PacksActivity, 96))
            addView(list)
            addView(Rows.divider(this@PacksActivity))
            addView(addRow)
        }
        return ScrollView(this).apply { addView(col) }
    }

    override fun load() {
        call({ r -> r.packs() }) { draw(it) }
    }

    private fun draw(found: List<PackSummary>) {
        packs = found
        list.removeAllViews()
        for ((i, p) in found.withIndex()) {
            if (i > 0) list.addView(Rows.divider(this))
            list.addView(row(p))
        }
    }

    private fun row(p: PackSummary): View {
        val row = Rows.base(this)
        row.addView(Ui.text(this, 17f, bold = true).apply { text = p.name })
        val signer = when {
            p.builtin -> getString(R.string.packs_builtin)
            p.publisher != null -> getString(R.string.packs_publisher, p.publisher)
            else -> getString(R.string.packs_unsigned)
        }
        val line = if (p.builtin) {
            getString(R.string.packs_line_builtin, p.articles.toInt(), signer)
        } else {
            getString(R.string.packs_line, p.articles.toInt(), p.version.toLong(), signer)
        }
        row.addView(
            Ui.text(this, 14f, R.color.text_secondary).apply {
                text = line
                setPadding(0, Ui.dp(this@PacksActivity, 2), 0, 0)
            },
        )
        if (!p.builtin) row.setOnClickListener { confirmRemove(p) }
        return row
    }

    // ---- adding a pack -----------------------------------------------------------------

    fun pickFile() {
        val intent = Intent(Intent.ACTION_OPEN_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType("*/*")
        startActivityForResult(intent, REQUEST_PACK)
    }

    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        super.onActivityResult(requestCode, resultCode, data)
        val uri = data?.data
        if (requestCode == REQUEST_PACK && resultCode == RESULT_OK && uri != null) inspect(uri)
    }

    /**
     * Runs [work] on the pack at [uri]: by descriptor for what the system's file picker
     * returns (`content:` addresses), by path for a `file:` address.
     */
    private fun <T> withPack(uri: Uri, work: (Reader, PackRef) -> T): (Reader) -> T {
        val resolver = contentResolver
        return { r ->
            if (uri.scheme == "file") {
                work(r, PackRef.Path(uri.path ?: throw IOException("no path")))
            } else {
                val pfd = resolver.openFileDescriptor(uri, "r") ?: throw IOException("no descriptor")
                pfd.use { work(r, PackRef.Fd(it.fd)) }
            }
        }
    }

    private sealed class PackRef {
        class Path(val path: String) : PackRef()
        class Fd(val fd: Int) : PackRef()
    }

    /** Checks the file whole, then asks the reader what the core found. */
    fun inspect(uri: Uri) {
        call(
            withPack(uri) { r, ref ->
                when (ref) {
                    is PackRef.Path -> r.inspectPack(ref.path)
                    is PackRef.Fd -> r.inspectPackFd(ref.fd)
                }
            },
        ) { found ->
            offer = found
            confirmInstall(uri, found)
        }
    }

    private fun confirmInstall(uri: Uri, o: PackOffer) {
        val p = o.pack
        val lines = ArrayList<String>()
        val installed = o.installedVersion
        lines += when {
            installed == null -> getString(R.string.packs_offer_new, p.articles.toInt(), p.version.toLong())
            p.version > installed -> getString(R.string.packs_offer_update, installed.toLong(), p.version.toLong())
            p.version < installed -> getString(R.string.packs_offer_older, p.version.toLong(), installed.toLong())
            else -> getString(R.string.packs_offer_same, p.version.toLong())
        }
        val publisher = p.publisher
        lines += when {
            publisher == null -> getString(R.string.packs_offer_unsigned)
            o.trusted -> getString(R.string.packs_offer_trusted, publisher)
            else -> getString(R.string.packs_offer_untrusted, publisher)
        }
        val options = InstallOptions(
            trustPublisher = publisher != null && !o.trusted,
            allowUnsigned = publisher == null,
            allowDowngrade = installed != null && p.version < installed,
        )
        val button = when {
            publisher == null -> R.string.packs_install_anyway
            !o.trusted -> R.string.packs_trust_install
            installed != null && p.version < installed -> R.string.packs_install_older
            else -> R.string.packs_install
        }
        Ui.show(
            AlertDialog.Builder(this)
                .setTitle(getString(R.string.packs_offer_title, p.name))
                .setMessage(lines.joinToString("\n\n"))
                .setNegativeButton(R.string.cancel, null)
                .setPositiveButton(button) { _, _ -> install(uri, options) },
        )
    }

    private fun install(uri: Uri, options: InstallOptions) {
        call(
            withPack(uri) { r, ref ->
                val done = when (ref) {
                    is PackRef.Path -> r.installPack(ref.path, options)
                    is PackRef.Fd -> r.installPackFd(ref.fd, options)
                }
                done to r.packs()
            },
        ) { (done, all) ->
            offer = null
            draw(all)
            val previous = done.previousVersion
            messageBar.show(
                if (previous == null) {
                    getString(R.string.packs_installed, done.pack.name)
                } else {
                    getString(R.string.packs_updated, done.pack.name, done.pack.version.toLong())
                },
            )
        }
    }

    // ---- removing one ------------------------------------------------------------------

    fun confirmRemove(p: PackSummary): AlertDialog =
        Ui.show(
            AlertDialog.Builder(this)
                .setTitle(getString(R.string.packs_remove_title, p.name))
                .setMessage(R.string.packs_remove_message)
                .setNegativeButton(R.string.cancel, null)
                .setPositiveButton(R.string.packs_remove) { _, _ ->
                    call({ r ->
                        r.removePack(p.id)
                        r.packs()
                    }) { all ->
                        draw(all)
                        messageBar.show(getString(R.string.packs_removed, p.name))
                    }
                },
        )

    override fun failed(error: Throwable) {
        when (error) {
            is QuireException.BadSignature -> messageBar.show(getString(R.string.packs_bad_signature))
            is QuireException.DamagedBundle, is QuireException.NotABundle, is QuireException.UnsupportedBundleVersion ->
                messageBar.show(getString(R.string.packs_damaged))
            is QuireException.NotAPack -> messageBar.show(getString(R.string.packs_not_a_pack))
            is QuireException.PackConflict -> messageBar.show(getString(R.string.packs_conflict))
            is IOException, is SecurityException -> messageBar.show(getString(R.string.file_failed))
            else -> super.failed(error)
        }
    }

    companion object {
        const val REQUEST_PACK = 43
    }
}
