import Foundation

/// An id or token that goes into a device API path as one segment (`/api/push/inbox/{pushToken}`,
/// `/api/push/transactions/{id}/answer`): it comes from outside (the server's answers, the
/// state file, the command line), so it is checked first — not empty, at most ``maxLength``
/// bytes, only ASCII letters, digits, `-`, `_` and `:` (what UUIDs, mfa-server's local push
/// tokens and APNs/FCM tokens use; no `/`, `?`, `%`, `.` or `..`) — and percent-encoded as one
/// segment, so no value can walk to another endpoint.
enum PushPathSegment {
    /// The longest id or token taken.
    static let maxLength = 256

    /// Why `value` cannot be a path segment, or nil when it can.
    static func refusal(_ value: String) -> String? {
        guard !value.isEmpty else { return "it is empty" }
        guard value.utf8.count <= Self.maxLength else { return "it is longer than \(Self.maxLength) bytes" }
        guard value.unicodeScalars.allSatisfy(Self.isAllowed) else {
            return "it holds characters other than ASCII letters, digits, -, _ and :"
        }
        return nil
    }

    /// `value` percent-encoded as one path segment (after ``refusal(_:)`` passed, the same text).
    static func encoded(_ value: String) -> String {
        var allowed = CharacterSet()
        allowed.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ":": true
        default: false
        }
    }
}
