package org.quire.app

import android.content.Context
import java.io.File
import org.quire.core.Reader

/** Where the built-in articles come from: the one seam between the app and its bundle. */
fun interface BundleSource {
    /** Opens the reader on the bundle and the reader's data in [readerDir]. Blocking. */
    fun open(context: Context, readerDir: File): Reader
}

/**
 * The bundle shipped in the APK as an uncompressed asset, read in place through its file
 * descriptor (the core duplicates the descriptor, so it is closed here at once).
 */
class AssetBundle(private val name: String = ASSET_NAME) : BundleSource {
    override fun open(context: Context, readerDir: File): Reader =
        context.assets.openFd(name).use { asset ->
            val pfd = asset.parcelFileDescriptor
            Reader.openFd(pfd.fd, asset.startOffset.toULong(), asset.length.toULong(), readerDir.path)
        }

    companion object {
        /** The asset's name; the build stores it uncompressed (aapt2 `-0 quire`). */
        const val ASSET_NAME = "builtin.quire"
    }
}

/** A bundle file on disk (tests, and bundles a reader imported). */
class FileBundle(private val path: String) : BundleSource {
    override fun open(context: Context, readerDir: File): Reader = Reader.open(path, readerDir.path)
}
