package org.quire.app

import android.view.View
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.quire.app.TestSupport.advance
import org.quire.app.TestSupport.core
import org.quire.app.TestSupport.launch
import org.quire.app.TestSupport.settle
import org.quire.app.TestSupport.tap
import org.quire.app.TestSupport.type
import org.quire.core.LockOptions
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], application = TestApp::class)
class LockTest {
    private val pin = "plum-7731"

    private fun enter(lock: LockView, text: String) {
        lock.pinField.setText(text)
        tap(lock.unlockButton)
    }

    @Test
    fun aColdStartWithAPinShowsTheLockAndNothingElse() {
        // An earlier run of the app set a PIN (the app's own reader is not open yet).
        org.quire.core.Reader.open(TestSupport.bundlePath, TestSupport.app.readerDir.path).use {
            it.setPin(null, pin)
            it.addBookmark(STOP_ID, "note")
        }
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            val lock = assertNotNull(a.lockView)
            assertTrue(lock.pinField.hasFocus())
            assertEquals(View.INVISIBLE, a.content.visibility)
            assertNull("nothing searched behind the lock", a.page)
            enter(lock, pin)
            assertNull(a.lockView)
            assertTrue(a.field.hasFocus())
        }
    }

    @Test
    fun theLockCoversTheScreenAfterTheBackgroundAndWrongPinsBackOff() {
        core {
            it.setPin(null, pin)
            TestSupport.app.core.notePin(it)
        }
        launch(SearchActivity::class.java).use { c ->
            val a = c.get()
            assertNull("unlocked: the PIN was just set", a.lockView)
            type(a.field, "withdrawing consent")
            assertTrue(a.page != null)

            // The app goes to the background, and comes back.
            c.pause().stop()
            settle()
            c.restart().start().resume()
            settle()
            val lock = assertNotNull("the lock shows on return", a.lockView)
            assertTrue(TestSupport.shown(lock))
            assertEquals(View.INVISIBLE, a.content.visibility)
            assertEquals(View.INVISIBLE, a.toolbar.visibility)
            assertTrue("quick exit stays in reach", TestSupport.views(lock).any { it.id == R.id.quick_exit && TestSupport.shown(it) })
            assertTrue(core { it.lockStatus() }.locked)

            // Three free wrong attempts, then a wait the core counts.
            enter(lock, "0000")
            assertTrue(lock.status.text.startsWith("Wrong PIN."))
            assertTrue(lock.unlockButton.isEnabled)
            enter(lock, "0001")
            enter(lock, "0002")
            assertTrue(lock.status.text.toString(), lock.status.text.contains("Try again in 2 s."))
            assertFalse("Unlock waits", lock.unlockButton.isEnabled)
            advance(1000)
            assertTrue(lock.status.text.toString(), lock.status.text.contains("Try again in 1 s."))
            // The core counts real time: wait it out, then the right PIN opens.
            Thread.sleep(2100)
            advance(1500)
            assertTrue(lock.unlockButton.isEnabled)
            enter(lock, pin)
            assertNull(a.lockView)
            assertEquals(View.VISIBLE, a.content.visibility)
            assertFalse(core { it.lockStatus() }.locked)
        }
    }

    @Test
    fun aScreenOpenedWhileLockedShowsTheLockAndLoadsAfterUnlock() {
        core {
            it.addBookmark(STOP_ID, "note")
            it.setPin(null, pin)
            it.lockNow()
        }
        launch(BookmarksActivity::class.java).use { c ->
            val a = c.get()
            val lock = assertNotNull(a.lockView)
            assertTrue(a.items.isEmpty())
            enter(lock, pin)
            assertNull(a.lockView)
            assertEquals(listOf(STOP_ID), a.items.map { it.item.articleId })
        }
    }

    @Test
    fun deviceAuthenticationIsOfferedOnlyWhenAllowed() {
        core {
            it.setPin(null, pin)
            it.lockNow()
        }
        launch(SearchActivity::class.java).use { c ->
            assertFalse(TestSupport.shown(assertNotNull(c.get().lockView).deviceButton))
        }
        core {
            it.unlock(pin)
            it.setLockOptions(pin, LockOptions(deviceAuth = true))
            it.lockNow()
        }
        launch(SearchActivity::class.java).use { c ->
            val lock = assertNotNull(c.get().lockView)
            assertTrue(TestSupport.shown(lock.deviceButton))
            assertEquals("Use fingerprint or screen lock", lock.deviceButton.text.toString())
        }
    }

    @Test
    fun forgotThePinErasesEverythingAfterConfirmation() {
        core {
            it.addBookmark(STOP_ID, "note")
            it.setPin(null, pin)
            it.lockNow()
        }
        launch(SearchActivity::class.java).use { c ->
            val lock = assertNotNull(c.get().lockView)
            tap(lock.eraseButton)
            val dialog = org.robolectric.shadows.ShadowDialog.getLatestDialog() as android.app.AlertDialog
            assertTrue(dialog.getButton(android.app.AlertDialog.BUTTON_POSITIVE).performClick())
            settle()
            assertNull(c.get().lockView)
            assertFalse(core { it.lockStatus() }.pinSet)
            assertTrue(core { it.bookmarks() }.isEmpty())
        }
    }
}
