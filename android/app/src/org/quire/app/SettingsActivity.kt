package org.quire.app

import android.app.AlertDialog
import android.content.Intent
import android.net.Uri
import android.text.SpannableStringBuilder
import android.text.Spanned
import android.text.style.AbsoluteSizeSpan
import android.text.style.ForegroundColorSpan
import android.view.View
import android.widget.CompoundButton
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.RadioButton
import android.widget.RadioGroup
import android.widget.ScrollView
import android.widget.Switch
import android.widget.TextView
import java.io.IOException
import java.time.LocalDate
import org.quire.core.ImportSummary
import org.quire.core.LockOptions
import org.quire.core.LockStatus
import org.quire.core.QuireException
import org.quire.core.Reader
import org.quire.core.ReaderSettings

/**
 * Settings: history and recent searches (off by default) and when they forget themselves,
 * discreet display, quick exit's clearing, the app lock (a PIN from the core; device
 * authentication as an option), the home screen's name and icon, export and import
 * through the system's file picker, and erasing everything.
 */
class SettingsActivity : BaseActivity() {
    override val titleId = R.string.settings_title

    lateinit var history: Switch
        private set
    lateinit var recent: Switch
        private set
    lateinit var discreet: Switch
        private set
    lateinit var clearOnExit: Switch
        private set
    lateinit var forgetRow: LinearLayout
        private set
    lateinit var pinRow: LinearLayout
        private set
    lateinit var removePinRow: LinearLayout
        private set
    lateinit var lockOptionsRow: LinearLayout
        private set
    lateinit var disguiseRow: LinearLayout
        private set
    lateinit var packsRow: LinearLayout
        private set
    lateinit var exportRow: LinearLayout
        private set
    lateinit var importRow: LinearLayout
        private set
    lateinit var eraseRow: LinearLayout
        private set

    private lateinit var forgetValue: TextView
    private lateinit var pinTitle: TextView
    private lateinit var pinSummary: TextView
    private lateinit var disguiseValue: TextView

    /** What the core said (tests read it). */
    var settings: ReaderSettings? = null
        private set
    var lock: LockStatus? = null
        private set

    /** True while the switches are set from the core's values (no writes back). */
    private var binding = false

    override fun buildContent(): View {
        val col = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(0, 0, 0, Ui.dp(this@SettingsActivity, 96))
        }
        col.addView(sectionHeading(R.string.section_privacy))
        history = switchRow(col, R.string.history_enabled, R.string.history_enabled_summary) { s, on -> s.copy(historyEnabled = on) }
        recent = switchRow(col, R.string.recent_enabled, R.string.recent_enabled_summary) { s, on -> s.copy(recentSearchesEnabled = on) }
        forgetRow = choiceRow(col, R.string.auto_forget).also { forgetValue = it.getChildAt(1) as TextView }
        forgetRow.setOnClickListener { chooseRetention() }
        discreet = switchRow(col, R.string.discreet_display, R.string.discreet_display_summary) { s, on -> s.copy(discreetDisplay = on) }
        clearOnExit = switchRow(col, R.string.clear_on_exit, null) { s, on -> s.copy(clearRecentSearchesOnQuickExit = on) }

        col.addView(sectionHeading(R.string.section_lock))
        pinRow = choiceRow(col, R.string.lock_off).also {
            pinTitle = it.getChildAt(0) as TextView
            pinSummary = it.getChildAt(1) as TextView
        }
        pinRow.setOnClickListener { setPinDialog() }
        removePinRow = choiceRow(col, R.string.lock_remove).apply {
            getChildAt(1).visibility = View.GONE
            setOnClickListener { removePinDialog() }
        }
        lockOptionsRow = choiceRow(col, R.string.lock_options).apply {
            getChildAt(1).visibility = View.GONE
            setOnClickListener { lockOptionsDialog() }
        }

        col.addView(sectionHeading(R.string.section_disguise))
        disguiseRow = choiceRow(col, R.string.disguise_row).also { disguiseValue = it.getChildAt(1) as TextView }
        disguiseRow.setOnClickListener { chooseDisguise() }

        col.addView(sectionHeading(R.string.section_articles))
        packsRow = choiceRow(col, R.string.packs_row).apply {
            (getChildAt(1) as TextView).setText(R.string.packs_row_summary)
            setOnClickListener { startActivity(Intent(this@SettingsActivity, PacksActivity::class.java)) }
        }

        col.addView(sectionHeading(R.string.section_data))
        exportRow = choiceRow(col, R.string.export).apply {
            (getChildAt(1) as TextView).setText(R.string.export_summary)
            setOnClickListener { startExport() }
        }
        importRow = choiceRow(col, R.string.import_data).apply {
            getChildAt(1).visibility = View.GONE
            setOnClickListener { startImport() }
        }
        eraseRow = choiceRow(col, R.string.erase).apply {
            (getChildAt(0) as TextView).setTextColor(getColor(R.color.error))
            (getChildAt(1) as TextView).setText(R.string.erase_summary)
            setOnClickListener { confirmErase() }
        }
        return ScrollView(this).apply { addView(col) }
    }

    override fun load() {
        showDisguise()
        call({ r -> Pair(r.settings(), r.lockStatus()) }) { (s, l) ->
            settings = s
            lock = l
            bind()
        }
    }

    private fun bind() {
        val s = settings ?: return
        binding = true
        history.isChecked = s.historyEnabled
        recent.isChecked = s.recentSearchesEnabled
        discreet.isChecked = s.discreetDisplay
        clearOnExit.isChecked = s.clearRecentSearchesOnQuickExit
        binding = false
        forgetValue.text = getString(retentionLabel(s.historyRetentionDays ?: s.recentSearchesRetentionDays))
        val pinSet = lock?.pinSet == true
        pinTitle.setText(if (pinSet) R.string.lock_change else R.string.lock_off)
        pinSummary.setText(if (pinSet) R.string.lock_on_summary else R.string.lock_off_summary)
        removePinRow.visibility = if (pinSet) View.VISIBLE else View.GONE
        lockOptionsRow.visibility = if (pinSet) View.VISIBLE else View.GONE
    }

    private fun change(edit: (ReaderSettings) -> ReaderSettings) {
        val s = settings ?: return
        val next = edit(s)
        settings = next
        call({ r ->
            r.setSettings(next)
            r.settings()
        }) {
            settings = it
            bind()
        }
    }

    // ---- rows --------------------------------------------------------------------------

    private fun sectionHeading(textId: Int): TextView =
        Ui.heading(this, textId).apply {
            setPadding(Ui.dp(this@SettingsActivity, 16), Ui.dp(this@SettingsActivity, 24), Ui.dp(this@SettingsActivity, 16), Ui.dp(this@SettingsActivity, 4))
        }

    /**
     * A switch whose own text is its title and, on a second smaller line, its explanation:
     * one touch target and one TalkBack announcement for both, with no gap between them.
     */
    private fun switchRow(
        col: LinearLayout,
        titleId: Int,
        summaryId: Int?,
        edit: (ReaderSettings, Boolean) -> ReaderSettings,
    ): Switch {
        val pad = Ui.dp(this, 16)
        val sw = Switch(this).apply {
            text = switchText(titleId, summaryId)
            textSize = 17f
            setTextColor(getColor(R.color.text_primary))
            minHeight = Ui.dp(this@SettingsActivity, Ui.TOUCH_DP)
            switchPadding = pad
            setPadding(pad, Ui.dp(this@SettingsActivity, 10), pad, Ui.dp(this@SettingsActivity, 10))
            setOnCheckedChangeListener { _: CompoundButton, on: Boolean -> if (!binding) change { edit(it, on) } }
        }
        col.addView(sw, LinearLayout.LayoutParams(Ui.MATCH, Ui.WRAP))
        return sw
    }

    private fun switchText(titleId: Int, summaryId: Int?): CharSequence {
        if (summaryId == null) return getString(titleId)
        val title = getString(titleId)
        val text = SpannableStringBuilder(title).append('\n').append(getString(summaryId))
        val start = title.length + 1
        val flags = Spanned.SPAN_EXCLUSIVE_EXCLUSIVE
        text.setSpan(AbsoluteSizeSpan(14, true), start, text.length, flags)
        text.setSpan(ForegroundColorSpan(getColor(R.color.text_secondary)), start, text.length, flags)
        return text
    }

    /** A clickable row: a title and a line of value or explanation. */
    private fun choiceRow(col: LinearLayout, titleId: Int): LinearLayout {
        val row = Rows.base(this)
        row.addView(Ui.text(this, 17f).apply { setText(titleId) })
        row.addView(Ui.text(this, 14f, R.color.text_secondary).apply { setPadding(0, Ui.dp(this@SettingsActivity, 2), 0, 0) })
        col.addView(row)
        return row
    }

    // ---- auto-forget -------------------------------------------------------------------

    private fun retentionLabel(days: UInt?): Int = when (days) {
        null -> R.string.forget_never
        1u -> R.string.forget_1
        7u -> R.string.forget_7
        else -> R.string.forget_30
    }

    private fun chooseRetention() {
        val choices = listOf<UInt?>(1u, 7u, 30u, null)
        val current = settings?.let { it.historyRetentionDays ?: it.recentSearchesRetentionDays }
        val labels = choices.map { getString(retentionLabel(it)) }.toTypedArray()
        Ui.show(
            AlertDialog.Builder(this)
                .setTitle(R.string.auto_forget)
                .setSingleChoiceItems(labels, choices.indexOf(current).coerceAtLeast(0)) { dialog, which ->
                    val days = choices[which]
                    change { it.copy(historyRetentionDays = days, recentSearchesRetentionDays = days) }
                    dialog.dismiss()
                }
                .setNegativeButton(R.string.cancel, null),
        )
    }

    // ---- the lock ----------------------------------------------------------------------

    private fun pinField(hintId: Int): EditText =
        Ui.privateField(this, hintId, password = true).apply { tag = getString(hintId) }

    private fun errorLine(): TextView =
        Ui.text(this, 14f, R.color.error).apply {
            visibility = View.GONE
            setPadding(0, Ui.dp(this@SettingsActivity, 8), 0, 0)
            accessibilityLiveRegion = View.ACCESSIBILITY_LIVE_REGION_POLITE
        }

    /** The wording for a PIN the core refused. */
    private fun pinError(e: Throwable): String = when (e) {
        is QuireException.WrongPin ->
            getString(R.string.wrong_pin) +
                if (e.retryAfterMs > 0u) " " + getString(R.string.wait_seconds, ((e.retryAfterMs.toLong() + 999) / 1000).toInt()) else ""
        is QuireException.InvalidArgument -> getString(R.string.pin_too_short)
        else -> getString(R.string.something_went_wrong)
    }

    /**
     * Shows [builder]'s dialog with a Save button that runs [onSave] and stays open until
     * [onSave] calls the given `done` (so a wrong PIN can be typed again).
     */
    private fun validatingDialog(builder: AlertDialog.Builder, onSave: (done: () -> Unit) -> Unit): AlertDialog {
        builder.setPositiveButton(R.string.save, null).setNegativeButton(R.string.cancel, null)
        val dialog = Ui.show(builder)
        dialog.getButton(AlertDialog.BUTTON_POSITIVE).setOnClickListener { onSave { dialog.dismiss() } }
        return dialog
    }

    fun setPinDialog(): AlertDialog {
        val pinSet = lock?.pinSet == true
        val box = Ui.dialogColumn(this)
        val current = pinField(R.string.current_pin)
        val new = pinField(R.string.new_pin)
        val again = pinField(R.string.confirm_pin)
        val error = errorLine()
        if (pinSet) box.addView(current)
        box.addView(new)
        box.addView(again)
        box.addView(error)
        return validatingDialog(AlertDialog.Builder(this).setTitle(if (pinSet) R.string.lock_change else R.string.lock_off).setView(box)) { done ->
            val pin = new.text.toString()
            val old = if (pinSet) current.text.toString() else null
            when {
                pin.length < 4 -> showError(error, getString(R.string.pin_too_short))
                pin != again.text.toString() -> showError(error, getString(R.string.pins_differ))
                else -> changeLock(error, done, R.string.pin_set) { r ->
                    r.setPin(old, pin)
                    core.notePin(r)
                }
            }
        }
    }

    fun removePinDialog(): AlertDialog {
        val box = Ui.dialogColumn(this)
        val current = pinField(R.string.current_pin)
        val error = errorLine()
        box.addView(current)
        box.addView(error)
        return validatingDialog(AlertDialog.Builder(this).setTitle(R.string.lock_remove).setView(box)) { done ->
            val pin = current.text.toString()
            changeLock(error, done, R.string.pin_removed) { r ->
                r.removePin(pin)
                core.notePin(r)
            }
        }
    }

    fun lockOptionsDialog(): AlertDialog {
        val status = lock
        val box = Ui.dialogColumn(this)
        val current = pinField(R.string.current_pin)
        box.addView(current)
        box.addView(Ui.text(this, 15f, R.color.text_secondary).apply {
            setText(R.string.relock_after)
            setPadding(0, Ui.dp(this@SettingsActivity, 16), 0, 0)
        })
        val delays = listOf(0u, 30u, 60u, 300u)
        val delayLabels = listOf(R.string.relock_0, R.string.relock_30, R.string.relock_60, R.string.relock_300)
        val group = RadioGroup(this)
        delays.forEachIndexed { i, secs ->
            group.addView(
                RadioButton(this).apply {
                    id = View.generateViewId()
                    setText(delayLabels[i])
                    textSize = 16f
                    minHeight = Ui.dp(this@SettingsActivity, Ui.TOUCH_DP)
                    tag = secs
                    isChecked = (status?.relockAfterSecs ?: 0u) == secs
                },
            )
        }
        box.addView(group)
        val device = Switch(this).apply {
            setText(R.string.device_auth)
            textSize = 16f
            minHeight = Ui.dp(this@SettingsActivity, Ui.TOUCH_DP)
            isChecked = status?.deviceAuth == true
            isEnabled = isChecked || DeviceAuth.available(this@SettingsActivity)
        }
        box.addView(device)
        val erase = Switch(this).apply {
            setText(R.string.erase_after)
            textSize = 16f
            minHeight = Ui.dp(this@SettingsActivity, Ui.TOUCH_DP)
            isChecked = status?.eraseAfter != null
        }
        box.addView(erase)
        val error = errorLine()
        box.addView(error)
        return validatingDialog(AlertDialog.Builder(this).setTitle(R.string.lock_options).setView(ScrollView(this).apply { addView(box) })) { done ->
            val checked = group.findViewById<RadioButton>(group.checkedRadioButtonId)
            val options = LockOptions(
                eraseAfter = if (erase.isChecked) ERASE_AFTER else null,
                relockAfterSecs = (checked?.tag as? UInt) ?: 0u,
                deviceAuth = device.isChecked,
            )
            val pin = current.text.toString()
            changeLock(error, done, R.string.lock_options_saved) { r -> r.setLockOptions(pin, options) }
        }
    }

    /**
     * Runs a change of the lock on the core's thread, then reads the lock's new status: on
     * success the dialog closes and the screen says [savedId]; a refusal (wrong PIN, a wait)
     * stays in the dialog's [error] line.
     */
    private fun changeLock(error: TextView, done: () -> Unit, savedId: Int, change: (Reader) -> Unit) {
        core.call({ r ->
            change(r)
            r.lockStatus()
        }) { result ->
            if (isDestroyed) return@call
            result.onSuccess {
                lock = it
                bind()
                done()
                messageBar.show(getString(savedId))
            }.onFailure { showError(error, pinError(it)) }
        }
    }

    private fun showError(line: TextView, text: String) {
        line.text = text
        line.visibility = View.VISIBLE
    }

    // ---- disguise ----------------------------------------------------------------------

    private fun showDisguise() {
        disguiseValue.text = getString(R.string.disguise_summary, getString(Disguise.current(this).labelId))
    }

    private fun chooseDisguise() {
        val names = Disguise.Name.entries
        val labels = names.map { getString(it.labelId) }.toTypedArray()
        Ui.show(
            AlertDialog.Builder(this)
                .setTitle(R.string.section_disguise)
                .setSingleChoiceItems(labels, names.indexOf(Disguise.current(this))) { dialog, which ->
                    Disguise.choose(this, names[which])
                    showDisguise()
                    dialog.dismiss()
                }
                .setNegativeButton(R.string.cancel, null),
        )
    }

    // ---- export, import, erase ---------------------------------------------------------

    fun startExport() {
        val intent = Intent(Intent.ACTION_CREATE_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType("application/json")
            // A neutral file name: it shows in the file picker and in file managers.
            .putExtra(Intent.EXTRA_TITLE, "backup-${LocalDate.now()}.json")
        startActivityForResult(intent, REQUEST_EXPORT)
    }

    fun startImport() {
        val intent = Intent(Intent.ACTION_OPEN_DOCUMENT)
            .addCategory(Intent.CATEGORY_OPENABLE)
            .setType("*/*")
            .putExtra(Intent.EXTRA_MIME_TYPES, arrayOf("application/json", "text/plain", "application/octet-stream"))
        startActivityForResult(intent, REQUEST_IMPORT)
    }

    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        super.onActivityResult(requestCode, resultCode, data)
        val uri = data?.data
        if (resultCode != RESULT_OK || uri == null) return
        when (requestCode) {
            REQUEST_EXPORT -> export(uri)
            REQUEST_IMPORT -> import(uri)
        }
    }

    private fun export(uri: Uri) {
        val resolver = contentResolver
        call({ r ->
            val json = r.exportJson()
            val out = resolver.openOutputStream(uri, "wt") ?: throw IOException("no output stream")
            out.use { it.write(json.toByteArray(Charsets.UTF_8)) }
        }) { messageBar.show(getString(R.string.exported)) }
    }

    private fun import(uri: Uri) {
        val resolver = contentResolver
        call({ r ->
            val input = resolver.openInputStream(uri) ?: throw IOException("no input stream")
            val bytes = input.use { it.readBytes(MAX_IMPORT_BYTES) }
            r.importJson(String(bytes, Charsets.UTF_8)) to r.settings()
        }) { (summary, s) ->
            settings = s
            bind()
            messageBar.show(importedText(summary), millis = 6000)
        }
    }

    private fun importedText(s: ImportSummary): String =
        getString(R.string.imported, s.bookmarks.toInt(), s.progress.toInt(), s.settings.toInt())

    override fun failed(error: Throwable) {
        when (error) {
            is QuireException.InvalidExport -> messageBar.show(getString(R.string.import_failed))
            is QuireException.NewerExport -> messageBar.show(getString(R.string.import_newer))
            is IOException, is SecurityException -> messageBar.show(getString(R.string.file_failed))
            else -> super.failed(error)
        }
    }

    private fun confirmErase() {
        Ui.show(
            AlertDialog.Builder(this)
                .setTitle(R.string.erase_confirm_title)
                .setMessage(R.string.erase_confirm)
                .setNegativeButton(R.string.cancel, null)
                .setPositiveButton(R.string.erase_confirm_button) { _, _ ->
                    call({ r ->
                        r.eraseAll()
                        core.notePin(r)
                    }) {
                        messageBar.show(getString(R.string.erased))
                        load()
                    }
                },
        )
    }

    companion object {
        const val REQUEST_EXPORT = 41
        const val REQUEST_IMPORT = 42

        /** Wrong attempts before everything is erased, when the reader turns that on. */
        val ERASE_AFTER: UInt = 10u

        /** Largest export file read (a real export is a few kilobytes a hundred bookmarks). */
        const val MAX_IMPORT_BYTES = 32 * 1024 * 1024

        private fun java.io.InputStream.readBytes(limit: Int): ByteArray {
            val out = java.io.ByteArrayOutputStream()
            val buffer = ByteArray(64 * 1024)
            while (true) {
                val n = read(buffer)
                if (n < 0) break
                out.write(buffer, 0, n)
                if (out.size() > limit) throw IOException("file too large")
            }
            return out.toByteArray()
        }
    }
}
