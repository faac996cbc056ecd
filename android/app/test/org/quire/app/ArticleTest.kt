package org.quire.app

import android.app.AlertDialog
import android.content.Intent
import android.text.style.BackgroundColorSpan
import android.text.style.ClickableSpan
import android.text.style.StrikethroughSpan
import android.text.style.StyleSpan
import android.text.style.TypefaceSpan
import android.util.TypedValue
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.launchNext
import org.quire.app.TestSupport.settle
import org.quire.app.TestSupport.spanned
import org.quire.app.TestSupport.tap
import org.quire.app.TestSupport.textOf
import org.quire.core.ArticleBlock
import org.quire.core.BlockKind
import org.quire.core.LinkTarget
import org.quire.core.Restored
import org.quire.core.SpanStyle
import org.quire.core.TextRange
import org.quire.core.TextSpan
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowDialog

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class, qualifiers = "w360dp-h640dp-xhdpi")
class ArticleTest {
    private fun open(id: String, highlight: String?) = launch(ArticleActivity::class.java, ArticleActivity.intent(TestSupport.app, id, highlight))

    @Test
    fun blocksAreDrawnWithTheSearchedWordsMarkedAndTheFirstScrolledTo() {
        open(STOP_ID, "withdrawing consent").use { c ->
            val a = c.get()
            val view = assertNotNull(a.opened).view
            assertEquals(view.blocks.size, a.drawn.size)
            assertTrue(textOf(a.column, view.title) != null)
            // Headings are headings for TalkBack; every block's text is selectable.
            val headings = view.blocks.indices.filter { view.blocks[it].kind is BlockKind.Heading }
            assertTrue(headings.isNotEmpty())
            for (i in headings) assertTrue(assertNotNull(a.drawn[i].text).isAccessibilityHeading)
            for (d in a.drawn) d.text?.let { assertTrue("selectable", it.isTextSelectable) }
            // Every match is marked, with the core's UTF-16 offsets.
            for (m in view.matches) {
                val tv = assertNotNull(a.drawn[m.block.toInt()].text)
                val marked = spanned(tv, BackgroundColorSpan::class.java).map { it.lowercase() }
                val word = tv.text.substring(m.range.utf16Start.toInt(), m.range.utf16End.toInt()).lowercase()
                assertTrue("$word in $marked", word in marked)
            }
            // The first match is on screen.
            val first = assertNotNull(view.firstMatch)
            val tv = assertNotNull(a.drawn[first.block.toInt()].text)
            val top = ArticleActivity.topIn(tv, a.column)
            assertTrue("first match below the top: scrolled (${a.scroll.scrollY})", top < a.scroll.height || a.scroll.scrollY > 0)
            assertTrue("first match on screen", top + tv.height > a.scroll.scrollY && top < a.scroll.scrollY + a.scroll.height)
        }
    }

    @Test
    fun thePositionIsSavedOnLeavingAndRestoredOnReturn() {
        val block: Int
        open(PROCESS_ID, null).use { c ->
            val a = c.get()
            assertEquals(0, a.scroll.scrollY)
            // A block far enough from the end to be scrolled to the top of the screen.
            val maxScroll = a.column.height - a.scroll.height
            block = a.drawn.indices.last { ArticleActivity.topIn(a.drawn[it].view, a.column) in 1..maxScroll }
            a.scrollToBlock(block, 0, margin = 0)
            assertEquals(block.toUInt(), a.currentPosition().block)
            c.pause().stop()
            settle()
        }
        val resume = assertNotNull(core { it.openArticle(PROCESS_ID, null) }.resume)
        assertEquals(Restored.EXACT, resume.restored)
        assertEquals(block.toUInt(), resume.position.block)
        open(PROCESS_ID, null).use { c ->
            val a = c.get()
            assertTrue("scrolled back", a.scroll.scrollY > 0)
            assertEquals(block.toUInt(), a.currentPosition().block)
        }
    }

    @Test
    fun bookmarkWithANoteThenFindItInBookmarks() {
        open(STOP_ID, null).use { c ->
            val a = c.get()
            assertEquals("Bookmark this article", a.bookmarkButton.contentDescription)
            tap(a.bookmarkButton)
            val dialog = ShadowDialog.getLatestDialog() as AlertDialog
            dialog.findViewById<android.widget.EditText>(R.id.note_field)!!.setText("read again before Friday")
            assertTrue(dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick())
            settle()
            assertEquals("Edit bookmark", a.bookmarkButton.contentDescription)
            assertEquals("read again before Friday", core { it.bookmarks() }.single().note)
        }
        launch(BookmarksActivity::class.java).use { c ->
            val b = c.get()
            assertNotNull(textOf(b.list, "Consent During Sex"))
            assertNotNull(textOf(b.list, "read again before Friday"))
            TestSupport.type(b.field, "friday")
            assertEquals(listOf(STOP_ID), b.items.map { it.item.articleId })
        }
    }

    @Test
    fun relatedArticlesAreListedAtTheEndAndOpen() {
        open(STOP_ID, null).use { c ->
            val a = c.get()
            val related = assertNotNull(a.opened).related
            assertTrue(related.isNotEmpty())
            val heading = assertNotNull(textOf(a.column, "Related articles"))
            val row = textOf(a.column, related.first().title)!!.parent as android.view.View
            assertTrue(a.column.indexOfChild(row) > a.column.indexOfChild(heading))
            tap(row)
            launchNext(a, ArticleActivity::class.java).use { next ->
                assertEquals(related.first().articleId, assertNotNull(next.get().opened).view.id)
            }
        }
    }

    @Test
    fun spansAndLinksAreDrawnNatively() {
        open(PROCESS_ID, null).use { c ->
            val a = c.get()
            val text = "See also stop means stop, or visit example.org now. Done code old"
            fun r(from: String): TextRange {
                val i = text.indexOf(from)
                return TextRange(i.toUInt(), (i + from.length).toUInt(), i.toUInt(), (i + from.length).toUInt())
            }
            val block = ArticleBlock(
                kind = BlockKind.Paragraph,
                text = text,
                spans = listOf(
                    TextSpan(r("stop means stop"), SpanStyle.Link(LinkTarget.Article(STOP_ID))),
                    TextSpan(r("example.org"), SpanStyle.Link(LinkTarget.External("https://example.org/page"))),
                    TextSpan(r("See"), SpanStyle.Emphasis),
                    TextSpan(r("Done"), SpanStyle.Strong),
                    TextSpan(r("code"), SpanStyle.Code),
                    TextSpan(r("old"), SpanStyle.Strikethrough),
                ),
            )
            val drawn = ArticleRenderer(a) { target ->
                when (target) {
                    is LinkTarget.Article -> a.startActivity(ArticleActivity.intent(a, target.id, null))
                    is LinkTarget.External -> {}
                }
            }.draw(block, listOf(r("visit")))
            val tv = assertNotNull(drawn.text)
            assertEquals(text, tv.text.toString())
            assertEquals(listOf("Done", "See"), spanned(tv, StyleSpan::class.java).filter { it != "visit" }.sorted())
            assertEquals(listOf("code"), spanned(tv, TypefaceSpan::class.java))
            assertEquals(listOf("old"), spanned(tv, StrikethroughSpan::class.java))
            assertEquals(listOf("visit"), spanned(tv, BackgroundColorSpan::class.java).filter { it == "visit" })
            assertTrue(tv.movementMethod is android.text.method.LinkMovementMethod)
            assertTrue(tv.isTextSelectable)
            val links = (tv.text as android.text.Spanned).getSpans(0, text.length, ClickableSpan::class.java)
            assertEquals(2, links.size)
            // An internal link opens the article in the app.
            links.first { (it as ArticleRenderer.LinkSpan).target is LinkTarget.Article }.onClick(tv)
            assertEquals(STOP_ID, shadowOf(a).nextStartedActivity.getStringExtra(ArticleActivity.EXTRA_ID))
        }
    }

    @Test
    fun anExternalLinkAsksBeforeLeaving() {
        open(PROCESS_ID, null).use { c ->
            val a = c.get()
            a.followLink(LinkTarget.External("https://example.org/page"))
            assertNull("nothing opened before the reader agrees", shadowOf(a).peekNextStartedActivity())
            val dialog = ShadowDialog.getLatestDialog() as AlertDialog
            assertTrue(dialog.window!!.attributes.flags and android.view.WindowManager.LayoutParams.FLAG_SECURE != 0)
            assertTrue(dialog.getButton(AlertDialog.BUTTON_POSITIVE).performClick())
            settle()
            val sent = assertNotNull(shadowOf(a).nextStartedActivity)
            assertEquals(Intent.ACTION_VIEW, sent.action)
            assertEquals("https://example.org/page", sent.dataString)
        }
    }

    @Test
    fun systemFontScaleIsFollowed() {
        RuntimeEnvironment.setFontScale(1.5f)
        open(PROCESS_ID, null).use { c ->
            val a = c.get()
            val body = a.drawn.first { it.text != null && assertNotNull(a.opened).view.blocks[a.drawn.indexOf(it)].kind is BlockKind.Paragraph }.text!!
            // Android 14+ scales large text less than linearly: larger by well over a third.
            val unscaled = Ui.BODY_SP * a.resources.displayMetrics.density
            assertTrue("${body.textSize} vs $unscaled", body.textSize > unscaled * 1.3f)
            assertEquals(TypedValue.COMPLEX_UNIT_SP, body.textSizeUnit)
        }
    }

    @Test
    fun anArticleNoLongerInTheBundleSaysSo() {
        open("removed-by-an-update", null).use { c ->
            assertNotNull(textOf(c.get().column, "no longer available"))
        }
    }
}
