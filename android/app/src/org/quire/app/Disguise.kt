package org.quire.app

import android.app.Activity
import android.app.ActivityManager
import android.content.ComponentName
import android.content.Context
import android.content.pm.PackageManager
import android.os.Build

/**
 * The name and icon the home screen shows: one `<activity-alias>` of the search screen per
 * choice (AndroidManifest.xml), exactly one of them enabled. Switching enables the new
 * alias before disabling the old one, so the app is never without a launcher entry. The
 * package manager keeps the choice; the app stores nothing about it.
 */
object Disguise {
    enum class Name(val alias: String, val labelId: Int, val iconId: Int) {
        QUIRE("org.quire.app.LauncherQuire", R.string.app_name, R.mipmap.ic_launcher_quire),
        NOTES("org.quire.app.LauncherNotes", R.string.disguise_notes, R.mipmap.ic_launcher_notes),
        JOURNAL("org.quire.app.LauncherJournal", R.string.disguise_journal, R.mipmap.ic_launcher_journal),
    }

    /** The name the home screen shows now. */
    fun current(context: Context): Name {
        val pm = context.packageManager
        return Name.entries.firstOrNull { name ->
            when (pm.getComponentEnabledSetting(component(context, name))) {
                PackageManager.COMPONENT_ENABLED_STATE_ENABLED -> true
                // Never switched: the manifest's default, which enables only QUIRE.
                PackageManager.COMPONENT_ENABLED_STATE_DEFAULT -> name == Name.QUIRE
                else -> false
            }
        } ?: Name.QUIRE
    }

    /** Makes [chosen] the home screen's entry (the launcher may take a moment to follow). */
    fun choose(context: Context, chosen: Name) {
        val pm = context.packageManager
        pm.setComponentEnabledSetting(
            component(context, chosen),
            PackageManager.COMPONENT_ENABLED_STATE_ENABLED,
            PackageManager.DONT_KILL_APP,
        )
        for (other in Name.entries) {
            if (other == chosen) continue
            pm.setComponentEnabledSetting(
                component(context, other),
                PackageManager.COMPONENT_ENABLED_STATE_DISABLED,
                PackageManager.DONT_KILL_APP,
            )
        }
        if (context is Activity) applyTaskLabel(context)
    }

    fun component(context: Context, name: Name): ComponentName = ComponentName(context.packageName, name.alias)

    /** The app switcher shows the chosen name for the app's task (its thumbnail is blank). */
    fun applyTaskLabel(activity: Activity) {
        val label = activity.getString(current(activity).labelId)
        if (Build.VERSION.SDK_INT >= 33) {
            activity.setTaskDescription(ActivityManager.TaskDescription.Builder().setLabel(label).build())
        } else {
            setLabelBefore33(activity, label)
        }
    }

    @Suppress("DEPRECATION") // The only constructor before Android 13.
    private fun setLabelBefore33(activity: Activity, label: String) {
        activity.setTaskDescription(ActivityManager.TaskDescription(label))
    }
}
