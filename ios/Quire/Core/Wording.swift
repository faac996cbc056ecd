import Foundation
import QuireCore

/// The app's own words for what went wrong. The core's `detail` texts are for
/// developers and are never shown (nor logged).
enum Wording {
    static let somethingWentWrong = "Something went wrong. Please try again."
    static let cannotOpenArticles = "The articles could not be opened. Reinstalling the app fixes this."
    static let storageFull = "Your phone is out of space. Free some space and try again."
    static let dataRepaired = "Your saved data was damaged and has been repaired. Some bookmarks or notes may be missing."
    static let fileFailed = "The file could not be read or written."
    static let importNotAnExport = "That file is not a Quire export. Nothing was imported."
    static let importNewer = "That file comes from a newer version of the app. Update the app to import it."
    static let wrongPin = "Wrong PIN."
    static let pinTooShort = "Use at least 4 characters."
    static let pinsDiffer = "The two entries differ."

    /// "Try again in N s." for a wait in milliseconds.
    static func wait(ms: UInt64) -> String {
        "Try again in \((ms + 999) / 1000) s."
    }

    /// What the reader is told when a PIN was refused while changing the lock.
    static func pinRefused(_ error: Error) -> String {
        switch error as? QuireError {
        case .WrongPin(let retryAfterMs)?:
            return retryAfterMs > 0 ? "\(wrongPin) \(wait(ms: retryAfterMs))" : wrongPin
        case .InvalidArgument?:
            return pinTooShort
        default:
            return somethingWentWrong
        }
    }

    /// A general failure in plain words; nil for `Locked`, which shows the lock instead.
    static func failure(_ error: Error) -> String? {
        switch error as? QuireError {
        case .Locked?:
            return nil
        case .StorageFull?:
            return storageFull
        case .NotABundle?, .DamagedBundle?, .UnsupportedBundleVersion?:
            return cannotOpenArticles
        case .InvalidExport?:
            return importNotAnExport
        case .NewerExport?:
            return importNewer
        case nil where error is CocoaError:
            return fileFailed
        default:
            return somethingWentWrong
        }
    }
}
