import QuireCore
import SwiftUI
import UIKit

/// Which change of the app lock a sheet makes.
enum LockSheetKind: String, Identifiable {
    case setPin
    case removePin
    case options

    var id: String { rawValue }
}

/// Sets, changes or removes the PIN or passphrase, or changes the lock's options (behind
/// the current PIN). The core hashes the PIN and counts wrong attempts; the sheet stays
/// open, saying what was wrong, until a change is accepted.
struct LockSheet: View {
    let kind: LockSheetKind
    @ObservedObject var model: SettingsViewModel
    @Environment(\.dismiss) private var dismiss

    @State private var current = ""
    @State private var pin = ""
    @State private var again = ""
    @State private var relock: UInt32 = 0
    @State private var deviceAuth = false
    @State private var eraseAfter = false
    @State private var problem: String?
    @State private var saving = false

    private var pinSet: Bool { model.lock?.pinSet == true }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    if kind != .setPin || pinSet {
                        pinField("Current PIN", $current, "currentPin")
                    }
                    if kind == .setPin {
                        pinField("New PIN or passphrase (4 or more characters)", $pin, "newPin")
                        pinField("Type it again", $again, "confirmPin")
                    }
                } footer: {
                    if let problem {
                        Text(problem)
                            .foregroundColor(.red)
                            .accessibilityIdentifier("lockSheetProblem")
                    }
                }
                if kind == .options {
                    Section("Lock again after") {
                        Picker("Lock again after", selection: $relock) {
                            Text("Immediately").tag(UInt32(0))
                            Text("30 seconds").tag(UInt32(30))
                            Text("1 minute").tag(UInt32(60))
                            Text("5 minutes").tag(UInt32(300))
                        }
                        .pickerStyle(.inline)
                        .labelsHidden()
                    }
                    Section {
                        Toggle("Unlock with Face ID, Touch ID or the device passcode", isOn: $deviceAuth)
                            .disabled(!deviceAuth && !DeviceAuth.available())
                        Toggle("Erase everything after \(SettingsViewModel.eraseAfter) wrong attempts", isOn: $eraseAfter)
                    }
                }
            }
            .modifier(SheetChrome(title: title, saveIdentifier: "saveLock", saveDisabled: saving) {
                Task { await save() }
            })
            .onAppear {
                relock = model.lock?.relockAfterSecs ?? 0
                deviceAuth = model.lock?.deviceAuth ?? false
                eraseAfter = model.lock?.eraseAfter != nil
            }
        }
    }

    private var title: String {
        switch kind {
        case .setPin: return pinSet ? "Change PIN" : "Set a PIN"
        case .removePin: return "Remove PIN"
        case .options: return "Lock options"
        }
    }

    private func pinField(_ label: String, _ text: Binding<String>, _ identifier: String) -> some View {
        PrivateTextField(label: label, text: text, secure: true, returnKey: .next, identifier: identifier)
            .frame(minHeight: 44)
    }

    private func save() async {
        saving = true
        defer { saving = false }
        let refused: String?
        switch kind {
        case .setPin:
            refused = await model.setPin(current: pinSet ? current : nil, new: pin, again: again)
        case .removePin:
            refused = await model.removePin(current: current)
        case .options:
            refused = await model.setLockOptions(
                current: current, relockAfterSecs: relock, deviceAuth: deviceAuth, eraseAfterWrongAttempts: eraseAfter
            )
        }
        if let refused {
            problem = refused
            UIAccessibility.post(notification: .announcement, argument: refused)
        } else {
            dismiss()
        }
    }
}
