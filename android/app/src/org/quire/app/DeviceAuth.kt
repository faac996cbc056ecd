package org.quire.app

import android.content.Context
import android.hardware.biometrics.BiometricManager
import android.hardware.biometrics.BiometricPrompt
import android.os.Build
import android.os.CancellationSignal

/**
 * The device's own authentication (fingerprint, face, or the screen lock) through the
 * framework's [BiometricPrompt]. The core decides whether it may unlock
 * (`unlockWithDeviceAuth()`); this only asks the system.
 */
object DeviceAuth {
    /** Whether the device can authenticate its owner at all (a screen lock is set). */
    fun available(context: Context): Boolean {
        val keyguard = context.getSystemService(android.app.KeyguardManager::class.java)
        if (Build.VERSION.SDK_INT >= 30) {
            val manager = context.getSystemService(BiometricManager::class.java) ?: return false
            return manager.canAuthenticate(AUTHENTICATORS) == BiometricManager.BIOMETRIC_SUCCESS
        }
        return keyguard?.isDeviceSecure == true
    }

    /** Shows the system's prompt; [onSuccess] runs on the main thread if it succeeds. */
    fun authenticate(activity: BaseActivity, onSuccess: () -> Unit) {
        val builder = BiometricPrompt.Builder(activity).setTitle(activity.getString(R.string.device_auth_title))
        when {
            Build.VERSION.SDK_INT >= 30 -> builder.setAllowedAuthenticators(AUTHENTICATORS)
            Build.VERSION.SDK_INT == 29 -> allowCredential29(builder)
            else -> builder.setNegativeButton(activity.getString(R.string.cancel), activity.mainExecutor) { _, _ -> }
        }
        builder.build().authenticate(
            CancellationSignal(),
            activity.mainExecutor,
            object : BiometricPrompt.AuthenticationCallback() {
                override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                    onSuccess()
                }
            },
        )
    }

    @Suppress("DEPRECATION") // Android 10's only way to offer the screen lock as well.
    private fun allowCredential29(builder: BiometricPrompt.Builder) {
        builder.setDeviceCredentialAllowed(true)
    }

    private const val AUTHENTICATORS =
        BiometricManager.Authenticators.BIOMETRIC_STRONG or BiometricManager.Authenticators.DEVICE_CREDENTIAL
}
