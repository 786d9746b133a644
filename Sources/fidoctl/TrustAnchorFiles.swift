import Foundation
import WebAuthn
import X509

/// PEM certificate files named on the command line (`--trust-anchors`, `--trust-anchors-for`,
/// `--mds-root`): read through ``InputReader`` and parsed at once, so a missing or unreadable
/// file is exit 66 and one that holds no PEM certificate exit 65, before any verification.
enum TrustAnchorFiles {
    /// The file's text, checked to hold at least one PEM certificate.
    static func text(_ path: String, what: String) throws(CommandFailure) -> String {
        let text = try InputReader.text(path, limit: InputReader.smallFileLimit, what: what)
        do {
            _ = try TrustAnchors.certificates(fromPEM: text)
        } catch {
            throw CommandFailure(.dataError, "Cannot use \(what) \(Terminal.escaped(path)): \(error.message)")
        }
        return text
    }

    /// The file's certificates.
    static func certificates(_ path: String, what: String) throws(CommandFailure) -> [Certificate] {
        let text = try Self.text(path, what: what)
        do {
            return try TrustAnchors.certificates(fromPEM: text)
        } catch {
            throw CommandFailure(.dataError, "Cannot use \(what) \(Terminal.escaped(path)): \(error.message)")
        }
    }
}
