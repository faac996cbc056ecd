package org.quire.app

import java.io.File
import org.junit.Assert.assertEquals
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.core.SearchRequest
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

/** The built-in bundle: an uncompressed APK asset, opened in place by file descriptor. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class AssetBundleTest {
    @Test
    fun theAssetIsStoredUncompressedAndOpensByDescriptor() {
        val app = TestSupport.app
        // openFd refuses a compressed asset: this one is stored as is.
        app.assets.openFd(AssetBundle.ASSET_NAME).use { fd ->
            assertEquals(File(TestSupport.bundlePath).length(), fd.length)
        }
        AssetBundle().open(app, File(app.cacheDir, "asset-reader")).use { reader ->
            val page = reader.search(SearchRequest(text = "withdrawing consent"))
            assertEquals(STOP_ID, page.hits.first().articleId)
        }
    }
}
