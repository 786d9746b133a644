import Foundation

/// A `fidokit-push://enroll?ticket=…&secret=…&server=…` URI, parsed strictly: the scheme and
/// host in any case; `ticket`, `secret` and `server` each exactly once and not empty; escapes
/// well formed and no control characters (NUL included) once decoded; `server` an http(s) URL
/// with a host and, if given, a port from 1 to 65535, and no user info, query or fragment.
/// Anything else is a sentence (exit 64).
struct PushEnrollmentURI {
    var ticket: String
    var secret: String
    var server: String

    /// Why a URI was refused.
    struct Refusal: Error {
        var reason: String
    }

    init(_ text: String) throws(Refusal) {
        let prefix = "fidokit-push://enroll?"
        guard text.utf8.count <= 8_192 else { throw Refusal(reason: "it is longer than 8192 bytes") }
        guard text.lowercased().hasPrefix(prefix) else {
            throw Refusal(reason: "it does not begin with fidokit-push://enroll?")
        }
        var query = String(text.dropFirst(prefix.count))
        if let fragment = query.firstIndex(of: "#") { query = String(query[..<fragment]) }
        var values: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(String(parts[0]))
            let value = parts.count == 2 ? try Self.decode(String(parts[1])) : ""
            guard ["ticket", "secret", "server"].contains(name) else { continue }
            guard values[name] == nil else { throw Refusal(reason: "it gives \(name) more than once") }
            guard !value.isEmpty else { throw Refusal(reason: "its \(name) is empty") }
            values[name] = value
        }
        guard let ticket = values["ticket"] else { throw Refusal(reason: "it has no ticket") }
        guard let secret = values["secret"] else { throw Refusal(reason: "it has no secret") }
        guard let server = values["server"] else { throw Refusal(reason: "it has no server") }
        try Self.checkServer(server)
        self.ticket = ticket
        self.secret = secret
        self.server = server
    }

    /// Checks a server URL: http or https, a host, a port from 1 to 65535, no user or password,
    /// no query or fragment.
    static func checkServer(_ server: String) throws(Refusal) {
        guard let components = URLComponents(string: server),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { throw Refusal(reason: "its server is not an http:// or https:// URL") }
        guard let host = components.host, !host.isEmpty,
            host.unicodeScalars.allSatisfy({ scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "-", ".", ":", "[", "]": return true
                default: return false
                }
            })
        else { throw Refusal(reason: "its server has no valid host") }
        guard components.user == nil, components.password == nil, !server.contains("@") else {
            throw Refusal(reason: "its server holds a user name or password")
        }
        // The device API's paths are appended to it: a query or fragment would end up after them.
        guard components.query == nil, components.fragment == nil, !server.contains("?"), !server.contains("#")
        else { throw Refusal(reason: "its server has a query or fragment (give the base URL only)") }
        // URLComponents reads any digits as a port; check the text itself, so 99999 and
        // 4294967297 are refused rather than wrapped or trapped on.
        if let authority = server.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first,
            let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]")
        {
            let port = authority[authority.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port),
                (1...65_535).contains(number)
            else { throw Refusal(reason: "its server's port is not a number from 1 to 65535") }
        }
    }

    /// Percent-decodes a query component (`+` stays `+`), refusing a bad escape and control
    /// characters.
    static func decode(_ text: String) throws(Refusal) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { throw Refusal(reason: "it has a malformed %-escape") }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw Refusal(reason: "a %-escape is not UTF-8")
        }
        guard !decoded.unicodeScalars.contains(where: Terminal.isUnsafe) else {
            throw Refusal(reason: "it holds a control character")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
