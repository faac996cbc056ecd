import SwiftUI
import UIKit

/// The lock, drawn over every screen while the core says it must show. Quick exit stays
/// in reach; the screens below are hidden from sight and from VoiceOver.
struct LockScreen: View {
    @EnvironmentObject private var app: AppModel
    @StateObject private var model: LockViewModel
    @State private var confirmingErase = false

    init(app: AppModel) {
        _model = StateObject(wrappedValue: LockViewModel(app: app))
    }

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(spacing: 20) {
                    Text("Enter your PIN")
                        .font(.title2.weight(.bold))
                        .accessibilityAddTraits(.isHeader)
                        .padding(.top, 48)
                    PrivateTextField(
                        label: "PIN or passphrase",
                        text: $model.pin,
                        secure: true,
                        returnKey: .go,
                        identifier: "lockPinField",
                        focusOnAppear: true,
                        onSubmit: { Task { await model.attempt() } }
                    )
                    .frame(minHeight: 44)
                    .padding(.horizontal, 12)
                    .background(Color(.secondarySystemBackground))
                    .cornerRadius(10)
                    // The countdown of the core's wait, redrawn every second.
                    TimelineView(.periodic(from: Date(), by: 1)) { context in
                        let left = model.secondsLeft(at: context.date)
                        VStack(spacing: 12) {
                            Button {
                                Task { await model.attempt() }
                            } label: {
                                Text("Unlock").frame(maxWidth: .infinity, minHeight: 44)
                            }
                            .buttonStyle(.borderedProminent)
                            .disabled(model.pin.isEmpty || model.busy || left > 0)
                            .accessibilityIdentifier("unlockButton")
                            let wait = left > 0 ? "Try again in \(left) s." : ""
                            if !model.status.isEmpty || !wait.isEmpty {
                                Text([model.status, wait].filter { !$0.isEmpty }.joined(separator: " "))
                                    .foregroundColor(.red)
                                    .multilineTextAlignment(.center)
                                    .accessibilityIdentifier("lockStatus")
                            }
                        }
                    }
                    if model.deviceAuthAllowed {
                        Button("Use Face ID, Touch ID or the passcode") {
                            Task { await model.deviceAuth() }
                        }
                        .accessibilityIdentifier("unlockDevice")
                    }
                    Button("Forgot the PIN? Erase everything") { confirmingErase = true }
                        .foregroundColor(.secondary)
                        .padding(.top, 12)
                        .accessibilityIdentifier("forgotPin")
                }
                .padding(.horizontal, 32)
                .frame(maxWidth: 480)
                .frame(maxWidth: .infinity)
            }
            .navigationTitle("Locked")
            .navigationBarTitleDisplayMode(.inline)
            .quickExitToolbar()
            .eraseAllAlert(isPresented: $confirmingErase) { Task { await model.eraseEverything() } }
        }
        .accessibilityIdentifier("lockScreen")
        .task { await model.refresh() }
    }
}
