package org.quire.app

import android.content.Context
import android.graphics.drawable.GradientDrawable
import android.os.Handler
import android.os.Looper
import android.view.Gravity
import android.view.View
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView

/**
 * A short message at the bottom of the screen, with an optional action ("Undo"). A view of
 * the screen's own window (so it is covered by FLAG_SECURE, unlike a toast), announced to
 * TalkBack (a polite live region), gone after a few seconds.
 */
class MessageBar(context: Context) : LinearLayout(context) {
    val message: TextView
    val action: Button
    private val main = Handler(Looper.getMainLooper())
    private val hideRunnable = Runnable { hide() }

    init {
        orientation = HORIZONTAL
        gravity = Gravity.CENTER_VERTICAL
        background = GradientDrawable().apply {
            setColor(context.getColor(R.color.text_primary))
            cornerRadius = Ui.dp(context, 8).toFloat()
        }
        setPadding(Ui.dp(context, 16), Ui.dp(context, 4), Ui.dp(context, 4), Ui.dp(context, 4))
        minimumHeight = Ui.dp(context, 48)
        visibility = View.GONE
        elevation = Ui.dp(context, 6).toFloat()
        accessibilityLiveRegion = ACCESSIBILITY_LIVE_REGION_POLITE
        message = Ui.text(context, 15f, R.color.background).apply {
            setPadding(0, Ui.dp(context, 10), Ui.dp(context, 8), Ui.dp(context, 10))
        }
        action = Ui.button(context, R.string.undo) {}.apply {
            setTextColor(context.getColor(R.color.background))
            typeface = android.graphics.Typeface.DEFAULT_BOLD
            visibility = View.GONE
        }
        addView(message, LayoutParams(0, Ui.WRAP, 1f))
        addView(action, LayoutParams(Ui.WRAP, Ui.dp(context, Ui.TOUCH_DP)))
    }

    /** Shows [text] (with an [actionText] button that runs [onAction]) for [millis]. */
    fun show(text: String, actionText: String? = null, millis: Long = 4000, onAction: (() -> Unit)? = null) {
        message.text = text
        if (actionText != null && onAction != null) {
            action.text = actionText
            action.visibility = View.VISIBLE
            action.setOnClickListener {
                hide()
                onAction()
            }
        } else {
            action.visibility = View.GONE
        }
        visibility = View.VISIBLE
        bringToFront()
        main.removeCallbacks(hideRunnable)
        main.postDelayed(hideRunnable, millis)
    }

    fun hide() {
        main.removeCallbacks(hideRunnable)
        visibility = View.GONE
    }
}
