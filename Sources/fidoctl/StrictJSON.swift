import Foundation
import WebAuthn

/// The rule for every JSON document fidoctl reads (server answers, the phone's state, the
/// software authenticator's state, request options, batch lines): it is parsed strictly first
/// with WebAuthn's ``JSONNode/parse(_:)`` — valid UTF-8, one value, no trailing bytes, no member
/// given twice, at most 64 levels deep — so that `{"deviceId":"X","deviceId":"Y"}` is refused
/// rather than read as whichever copy a lenient decoder keeps.
enum StrictJSON {
    /// Why `bytes` is not strict JSON, as a clause ("a member is given twice…"), or nil when it is.
    static func refusal(_ bytes: [UInt8]) -> String? {
        do {
            _ = try JSONNode.parse(bytes)
            return nil
        } catch {
            // JSONNode names only the byte; Foundation tells a syntax error from what only the
            // strict rules refuse.
            let lenient = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            return lenient
                ? "a member is given twice in one object (or it nests deeper than 64 levels)"
                : "it is not well-formed JSON (\(error.message.replacingOccurrences(of: "The JSON is malformed", with: "malformed").dropLast()))"
        }
    }

    /// `bytes` as a JSON object, after the strict check.
    ///
    /// - Returns: the object, or the reason it is refused (``refusal(_:)``, or "it is not a JSON object").
    static func object(_ bytes: [UInt8]) -> Result<[String: Any], Refused> {
        if let reason = Self.refusal(bytes) { return .failure(Refused(reason: reason)) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            return .failure(Refused(reason: "it is not a JSON object"))
        }
        return .success(object)
    }

    /// Why a document was refused.
    struct Refused: Error {
        var reason: String
    }
}
