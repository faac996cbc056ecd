import SwiftUI
import UIKit

/// The keyboard settings every text field of the app shares, so that the keyboard learns
/// nothing from what is typed: no autocorrection, spell checking, capitalisation, smart
/// punctuation or inline predictions. (SwiftUI's `TextField` cannot turn off smart
/// punctuation or inline prediction, hence UIKit fields.)
@MainActor
protocol KeyboardTraits: AnyObject {
    var autocorrectionType: UITextAutocorrectionType { get set }
    var autocapitalizationType: UITextAutocapitalizationType { get set }
    var spellCheckingType: UITextSpellCheckingType { get set }
    var smartQuotesType: UITextSmartQuotesType { get set }
    var smartDashesType: UITextSmartDashesType { get set }
    var smartInsertDeleteType: UITextSmartInsertDeleteType { get set }
}

extension UITextField: KeyboardTraits {}
extension UITextView: KeyboardTraits {}

@MainActor
enum KeyboardPrivacy {
    static func apply(to field: KeyboardTraits) {
        field.autocorrectionType = .no
        field.autocapitalizationType = .none
        field.spellCheckingType = .no
        field.smartQuotesType = .no
        field.smartDashesType = .no
        field.smartInsertDeleteType = .no
    }
}

/// A one-line field (search, PIN) with the keyboard kept from learning, Dynamic Type,
/// and the return key wired to `onSubmit`.
struct PrivateTextField: UIViewRepresentable {
    let label: String
    @Binding var text: String
    var secure = false
    var returnKey: UIReturnKeyType = .done
    var identifier: String
    var focusOnAppear = false
    var onSubmit: () -> Void = {}

    func makeUIView(context: Context) -> UITextField {
        let field = UITextField()
        field.placeholder = label
        field.accessibilityLabel = label
        field.accessibilityIdentifier = identifier
        field.font = .preferredFont(forTextStyle: .body)
        field.adjustsFontForContentSizeCategory = true
        field.isSecureTextEntry = secure
        field.returnKeyType = returnKey
        field.clearButtonMode = secure ? .never : .whileEditing
        KeyboardPrivacy.apply(to: field)
        if #available(iOS 17.0, *) {
            field.inlinePredictionType = .no
        }
        field.delegate = context.coordinator
        field.addTarget(context.coordinator, action: #selector(Coordinator.changed(_:)), for: .editingChanged)
        field.setContentCompressionResistancePriority(.defaultLow, for: .horizontal)
        return field
    }

    func updateUIView(_ field: UITextField, context: Context) {
        context.coordinator.parent = self
        if field.text != text { field.text = text }
        if focusOnAppear, !context.coordinator.focusedOnce {
            context.coordinator.focusedOnce = true
            DispatchQueue.main.async { field.becomeFirstResponder() }
        }
    }

    func makeCoordinator() -> Coordinator { Coordinator(self) }

    final class Coordinator: NSObject, UITextFieldDelegate {
        var parent: PrivateTextField
        var focusedOnce = false

        init(_ parent: PrivateTextField) { self.parent = parent }

        @objc func changed(_ field: UITextField) {
            parent.text = field.text ?? ""
        }

        func textFieldShouldReturn(_ field: UITextField) -> Bool {
            parent.onSubmit()
            return true
        }
    }
}

/// A multi-line field for notes, with the same keyboard privacy and a placeholder.
struct PrivateTextView: UIViewRepresentable {
    let label: String
    @Binding var text: String
    var identifier: String

    func makeUIView(context: Context) -> UITextView {
        let view = UITextView()
        view.accessibilityLabel = label
        view.accessibilityIdentifier = identifier
        view.font = .preferredFont(forTextStyle: .body)
        view.adjustsFontForContentSizeCategory = true
        view.backgroundColor = .clear
        view.isScrollEnabled = true
        KeyboardPrivacy.apply(to: view)
        if #available(iOS 17.0, *) {
            view.inlinePredictionType = .no
        }
        view.delegate = context.coordinator
        DispatchQueue.main.async { view.becomeFirstResponder() }
        return view
    }

    func updateUIView(_ view: UITextView, context: Context) {
        context.coordinator.parent = self
        if view.text != text { view.text = text }
    }

    func makeCoordinator() -> Coordinator { Coordinator(self) }

    final class Coordinator: NSObject, UITextViewDelegate {
        var parent: PrivateTextView

        init(_ parent: PrivateTextView) { self.parent = parent }

        func textViewDidChange(_ view: UITextView) {
            parent.text = view.text
        }
    }
}
