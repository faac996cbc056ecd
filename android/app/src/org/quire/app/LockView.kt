package org.quire.app

import android.app.AlertDialog
import android.os.SystemClock
import android.view.Gravity
import android.view.View
import android.view.inputmethod.EditorInfo
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import org.quire.core.LockStatus
import org.quire.core.PinCheck

/**
 * The lock screen, drawn over a screen's content (and its toolbar) while the core says the
 * lock must show: the PIN or passphrase, the wait after wrong attempts (counted by the
 * core, across restarts), device authentication when the reader allowed it, and "erase
 * everything" for a forgotten PIN. Quick exit stays in reach.
 */
class LockView(private val activity: BaseActivity) : LinearLayout(activity) {
    val pinField: EditText
    val unlockButton: Button
    val status: TextView
    val deviceButton: Button
    val eraseButton: Button

    /** [SystemClock.uptimeMillis] before which no attempt is sent. */
    private var waitUntil = 0L
    private val tick = Runnable { showWait() }
    private var lastWrong: String? = null

    init {
        id = R.id.lock_view
        orientation = VERTICAL
        isClickable = true // nothing below it can be touched
        setBackgroundColor(activity.getColor(R.color.background))
        importantForAccessibility = IMPORTANT_FOR_ACCESSIBILITY_YES
        val bar = LinearLayout(activity).apply {
            orientation = HORIZONTAL
            gravity = Gravity.CENTER_VERTICAL
            setBackgroundColor(activity.getColor(R.color.bar))
            minimumHeight = Ui.dp(activity, 56)
            setPadding(Ui.dp(activity, 16), 0, Ui.dp(activity, 8), 0)
            addView(
                Ui.text(activity, 20f, bold = true).apply {
                    setText(R.string.lock_title)
                    isAccessibilityHeading = true
                },
                LayoutParams(0, Ui.WRAP, 1f),
            )
            addView(activity.quickExitButton(), LayoutParams(Ui.WRAP, Ui.dp(activity, Ui.TOUCH_DP)))
        }
        addView(bar, LayoutParams(Ui.MATCH, Ui.WRAP))

        val column = LinearLayout(activity).apply {
            orientation = VERTICAL
            gravity = Gravity.CENTER_HORIZONTAL
            val pad = Ui.dp(activity, 32)
            setPadding(pad, Ui.dp(activity, 48), pad, pad)
        }
        column.addView(
            Ui.centered(Ui.text(activity, 24f, bold = true)).apply {
                setText(R.string.lock_prompt)
                isAccessibilityHeading = true
            },
            LayoutParams(Ui.MATCH, Ui.WRAP),
        )
        pinField = Ui.privateField(activity, R.string.pin_hint, password = true).apply {
            id = R.id.pin_field
            imeOptions = EditorInfo.IME_FLAG_NO_PERSONALIZED_LEARNING or EditorInfo.IME_ACTION_GO
            setOnEditorActionListener { _, _, _ ->
                attempt()
                true
            }
        }
        column.addView(pinField, LayoutParams(Ui.MATCH, Ui.WRAP).apply { topMargin = Ui.dp(activity, 24) })
        unlockButton = Ui.button(activity, R.string.unlock, filled = true) { attempt() }.apply { id = R.id.unlock }
        column.addView(unlockButton, LayoutParams(Ui.MATCH, Ui.dp(activity, Ui.TOUCH_DP)).apply { topMargin = Ui.dp(activity, 16) })
        status = Ui.centered(Ui.text(activity, 16f, R.color.error)).apply {
            id = R.id.lock_status
            accessibilityLiveRegion = ACCESSIBILITY_LIVE_REGION_POLITE
            setPadding(0, Ui.dp(activity, 16), 0, 0)
        }
        column.addView(status, LayoutParams(Ui.MATCH, Ui.WRAP))
        deviceButton = Ui.button(activity, R.string.unlock_device) { deviceAuth() }.apply {
            id = R.id.unlock_device
            visibility = View.GONE
        }
        column.addView(deviceButton, LayoutParams(Ui.MATCH, Ui.WRAP).apply { topMargin = Ui.dp(activity, 16) })
        eraseButton = Ui.button(activity, R.string.forgot_pin) { confirmErase() }.apply {
            id = R.id.forgot_pin
            setTextColor(activity.getColor(R.color.text_secondary))
        }
        column.addView(eraseButton, LayoutParams(Ui.MATCH, Ui.WRAP).apply { topMargin = Ui.dp(activity, 24) })
        addView(ScrollView(activity).apply { addView(column) }, LayoutParams(Ui.MATCH, 0, 1f))
    }

    /** Asks the core for the lock's state: the wait, device authentication, or unlocked. */
    fun refresh() {
        activity.core.call({ it.lockStatus() }) { result ->
            if (activity.isDestroyed) return@call
            result.onSuccess(::show).onFailure { status.setText(R.string.something_went_wrong) }
        }
    }

    private fun show(lock: LockStatus) {
        if (!lock.locked) {
            activity.unlocked()
            return
        }
        deviceButton.visibility = if (lock.deviceAuth) View.VISIBLE else View.GONE
        if (lock.retryAfterMs > 0u) startWait(lock.retryAfterMs)
        if (!pinField.hasFocus()) pinField.requestFocus()
    }

    /** Stops the countdown (the view is going). */
    fun stop() {
        removeCallbacks(tick)
    }

    fun attempt() {
        val pin = pinField.text.toString()
        if (pin.isEmpty() || SystemClock.uptimeMillis() < waitUntil) return
        pinField.text.clear()
        unlockButton.isEnabled = false
        activity.core.call({ r -> r.unlock(pin).also { activity.core.notePin(r) } }) { result ->
            if (activity.isDestroyed) return@call
            unlockButton.isEnabled = true
            result.onSuccess(::answered).onFailure { status.setText(R.string.something_went_wrong) }
        }
    }

    private fun answered(check: PinCheck) {
        when (check) {
            is PinCheck.Unlocked, is PinCheck.NoPin -> activity.unlocked()
            is PinCheck.Wrong -> {
                val left = check.attemptsBeforeErase
                lastWrong = activity.getString(R.string.wrong_pin) +
                    (if (left != null) " " + activity.getString(R.string.attempts_left, left.toInt()) else "")
                status.text = lastWrong
                if (check.retryAfterMs > 0u) startWait(check.retryAfterMs)
            }
            is PinCheck.TooSoon -> startWait(check.retryAfterMs)
            is PinCheck.Erased -> {
                activity.unlocked()
                activity.messageBar.show(activity.getString(R.string.data_erased_by_lock), millis = 8000)
            }
        }
    }

    private fun startWait(ms: ULong) {
        waitUntil = SystemClock.uptimeMillis() + ms.toLong()
        showWait()
    }

    /** Shows the seconds left and keeps Unlock off until then; ticks every second. */
    private fun showWait() {
        removeCallbacks(tick)
        val left = waitUntil - SystemClock.uptimeMillis()
        if (left <= 0) {
            unlockButton.isEnabled = true
            status.text = lastWrong ?: ""
            return
        }
        unlockButton.isEnabled = false
        val seconds = ((left + 999) / 1000).toInt()
        val wait = activity.getString(R.string.wait_seconds, seconds)
        status.text = if (lastWrong != null) "$lastWrong $wait" else wait
        val untilNextSecond = left % 1000L
        postDelayed(tick, if (untilNextSecond == 0L) 1000L else untilNextSecond)
    }

    private fun deviceAuth() {
        DeviceAuth.authenticate(activity) {
            activity.core.call({ it.unlockWithDeviceAuth() }) { result ->
                if (!activity.isDestroyed && result.getOrDefault(false)) activity.unlocked()
            }
        }
    }

    private fun confirmErase() {
        Ui.show(
            AlertDialog.Builder(activity)
                .setTitle(R.string.erase_confirm_title)
                .setMessage(R.string.erase_confirm)
                .setNegativeButton(R.string.cancel, null)
                .setPositiveButton(R.string.erase_confirm_button) { _, _ ->
                    activity.core.call({ r -> r.eraseAll().also { activity.core.notePin(r) } }) { result ->
                        if (activity.isDestroyed) return@call
                        if (result.isSuccess) {
                            activity.unlocked()
                            activity.messageBar.show(activity.getString(R.string.erased))
                        } else {
                            status.setText(R.string.something_went_wrong)
                        }
                    }
                },
        )
    }
}
