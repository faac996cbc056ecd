package org.quire.app

import android.app.Activity
import android.os.Bundle
import android.view.WindowManager
import android.widget.Button
import android.widget.EditText
import android.widget.FrameLayout
import android.widget.LinearLayout
import android.widget.TextView

/**
 * Placeholder screen that proves the toolchain: framework classes only (no AndroidX), views
 * built in code. Resources (strings, themes, xml) come from res/ through Debian's aapt2, so
 * `R` exists; there is just no layout XML here.
 */
class MainActivity : Activity() {
    lateinit var greeting: TextView
        private set
    lateinit var input: EditText
        private set
    lateinit var button: Button
        private set

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Keep the screen out of screenshots, the recents thumbnail and screen casts.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)

        val pad = (16 * resources.displayMetrics.density).toInt()
        greeting = TextView(this).apply {
            id = ID_GREETING
            text = getString(R.string.app_name)
            textSize = 24f
        }
        input = EditText(this).apply {
            id = ID_INPUT
            hint = "Your name"
            setSingleLine()
        }
        button = Button(this).apply {
            id = ID_BUTTON
            text = "Greet"
            setOnClickListener { greeting.text = greetingFor(input.text.toString()) }
        }
        val column = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(pad, pad, pad, pad)
            addView(greeting, LinearLayout.LayoutParams(MATCH, WRAP))
            addView(input, LinearLayout.LayoutParams(MATCH, WRAP))
            addView(button, LinearLayout.LayoutParams(WRAP, WRAP))
        }
        // targetSdk 35 draws edge to edge: the outer frame takes the system bars' insets as
        // padding so the column stays clear of them.
        val root = FrameLayout(this).apply {
            fitsSystemWindows = true
            addView(column, FrameLayout.LayoutParams(MATCH, MATCH))
        }
        setContentView(root)
    }

    companion object {
        // Fixed view ids (no layout XML); below 0x01000000, so they never collide with
        // aapt-generated ids.
        const val ID_GREETING = 0x0000_1001
        const val ID_INPUT = 0x0000_1002
        const val ID_BUTTON = 0x0000_1003
        private const val MATCH = LinearLayout.LayoutParams.MATCH_PARENT
        private const val WRAP = LinearLayout.LayoutParams.WRAP_CONTENT

        fun greetingFor(name: String): String =
            if (name.isBlank()) "Hello!" else "Hello, ${name.trim()}!"
    }
}
