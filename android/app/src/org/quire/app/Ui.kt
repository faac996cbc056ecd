package org.quire.app

import android.app.AlertDialog
import android.app.Dialog
import android.content.Context
import android.content.res.ColorStateList
import android.graphics.Typeface
import android.graphics.drawable.GradientDrawable
import android.graphics.drawable.RippleDrawable
import android.text.InputType
import android.util.TypedValue
import android.view.Gravity
import android.view.View
import android.view.ViewGroup
import android.view.WindowManager
import android.view.inputmethod.EditorInfo
import android.widget.Button
import android.widget.EditText
import android.widget.ImageButton
import android.widget.LinearLayout
import android.widget.TextView

/** Sizes and views shared by every screen, built in code from the framework's widgets. */
object Ui {
    const val MATCH = ViewGroup.LayoutParams.MATCH_PARENT
    const val WRAP = ViewGroup.LayoutParams.WRAP_CONTENT

    /** The smallest touch target, in dp (Android's and WCAG's 48 dp). */
    const val TOUCH_DP = 48

    /** Body text of articles, in sp (scaled by the system's font size). */
    const val BODY_SP = 17f

    fun dp(context: Context, value: Int): Int = (value * context.resources.displayMetrics.density + 0.5f).toInt()

    fun color(context: Context, id: Int): Int = context.getColor(id)

    fun text(context: Context, sp: Float = 16f, colorId: Int = R.color.text_primary, bold: Boolean = false): TextView =
        TextView(context).apply {
            setTextSize(TypedValue.COMPLEX_UNIT_SP, sp)
            setTextColor(color(context, colorId))
            if (bold) typeface = Typeface.DEFAULT_BOLD
        }

    /** A section heading, announced as a heading by TalkBack. */
    fun heading(context: Context, textId: Int): TextView =
        text(context, 14f, R.color.accent, bold = true).apply {
            setText(textId)
            isAccessibilityHeading = true
            setPadding(0, dp(context, 20), 0, dp(context, 6))
        }

    /** A flat ripple background for clickable rows. */
    fun rowBackground(context: Context): RippleDrawable =
        RippleDrawable(ColorStateList.valueOf(color(context, R.color.divider)), null, GradientDrawable().apply { setColor(0xFFFFFFFF.toInt()) })

    /** A text button (at least 48 dp each way), filled with the accent colour when [filled]. */
    fun button(context: Context, textId: Int, filled: Boolean = false, onClick: (View) -> Unit): Button =
        Button(context, null, 0, android.R.style.Widget_DeviceDefault_Button_Borderless).apply {
            setText(textId)
            isAllCaps = false
            setTextSize(TypedValue.COMPLEX_UNIT_SP, 16f)
            minHeight = dp(context, TOUCH_DP)
            minimumHeight = dp(context, TOUCH_DP)
            minWidth = dp(context, TOUCH_DP)
            minimumWidth = dp(context, TOUCH_DP)
            val pad = dp(context, 16)
            setPadding(pad, 0, pad, 0)
            if (filled) {
                setTextColor(color(context, R.color.on_accent))
                // A 40 dp pill inside the 48 dp touch target.
                background = android.graphics.drawable.InsetDrawable(
                    RippleDrawable(
                        ColorStateList.valueOf(color(context, R.color.divider)),
                        GradientDrawable().apply {
                            setColor(color(context, R.color.accent))
                            cornerRadius = dp(context, 20).toFloat()
                        },
                        null,
                    ),
                    0,
                    dp(context, 4),
                    0,
                    dp(context, 4),
                )
            } else {
                setTextColor(color(context, R.color.accent))
            }
            setOnClickListener(onClick)
        }

    /** An icon button: 48 dp square, labelled for TalkBack by [descriptionId]. */
    fun iconButton(context: Context, iconId: Int, descriptionId: Int, onClick: (View) -> Unit): ImageButton =
        ImageButton(context, null, 0, android.R.style.Widget_DeviceDefault_ImageButton).apply {
            setImageResource(iconId)
            contentDescription = context.getString(descriptionId)
            background = RippleDrawable(ColorStateList.valueOf(color(context, R.color.divider)), null, null)
            scaleType = android.widget.ImageView.ScaleType.CENTER
            minimumWidth = dp(context, TOUCH_DP)
            minimumHeight = dp(context, TOUCH_DP)
            layoutParams = LinearLayout.LayoutParams(dp(context, TOUCH_DP), dp(context, TOUCH_DP))
            setOnClickListener(onClick)
        }

    /**
     * A text field that teaches the keyboard nothing: no suggestions, no personalised
     * learning, no autofill, and its text is not kept in the saved instance state.
     */
    fun privateField(context: Context, hintId: Int, multiLine: Boolean = false, password: Boolean = false): EditText =
        EditText(context).apply {
            setHint(hintId)
            setTextSize(TypedValue.COMPLEX_UNIT_SP, 17f)
            setTextColor(color(context, R.color.text_primary))
            setHintTextColor(color(context, R.color.text_secondary))
            inputType = when {
                password -> InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD or InputType.TYPE_TEXT_FLAG_NO_SUGGESTIONS
                multiLine -> InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_FLAG_MULTI_LINE or
                    InputType.TYPE_TEXT_FLAG_CAP_SENTENCES or InputType.TYPE_TEXT_FLAG_NO_SUGGESTIONS
                else -> InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_FLAG_NO_SUGGESTIONS
            }
            imeOptions = EditorInfo.IME_FLAG_NO_PERSONALIZED_LEARNING or
                EditorInfo.IME_FLAG_NO_EXTRACT_UI or
                if (multiLine) EditorInfo.IME_ACTION_NONE else EditorInfo.IME_ACTION_DONE
            // A password field defaults to monospace: keep the app's font.
            if (password) typeface = Typeface.DEFAULT
            importantForAutofill = View.IMPORTANT_FOR_AUTOFILL_NO_EXCLUDE_DESCENDANTS
            isSaveEnabled = false
            // setSingleLine() sets the height in lines: the 48 dp minimum comes after it.
            if (!multiLine) setSingleLine()
            minHeight = dp(context, TOUCH_DP)
        }

    /** Keeps a dialog's window out of screenshots, screen recordings and casts. */
    fun <D : Dialog> secure(dialog: D): D {
        dialog.window?.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        return dialog
    }

    /** Builds, secures and shows a dialog. */
    fun show(builder: AlertDialog.Builder): AlertDialog {
        val dialog = secure(builder.create())
        dialog.show()
        return dialog
    }

    /** A vertical column with the usual side padding, for dialogs' custom views. */
    fun dialogColumn(context: Context): LinearLayout =
        LinearLayout(context).apply {
            orientation = LinearLayout.VERTICAL
            val pad = dp(context, 24)
            setPadding(pad, dp(context, 8), pad, 0)
        }

    fun centered(view: TextView): TextView = view.apply { gravity = Gravity.CENTER_HORIZONTAL }
}
