/// The relying party a ceremony is verified for: its RP ID and the origins it serves.
public struct RelyingParty: Sendable, Hashable {
    /// The RP ID (a registrable domain such as `example.com`).
    public var id: String
    /// The exact origins (`https://login.example.com`, `android:apk-key-hash:…`) allowed in client data.
    public var origins: [String]
    /// Whether ceremonies from cross-origin iframes are accepted. Off by default.
    public var allowCrossOrigin: Bool
    /// When cross-origin calls are allowed, the top-level origins accepted; empty accepts any.
    public var topOrigins: [String]

    /// Creates a relying party.
    public init(id: String, origins: [String], allowCrossOrigin: Bool = false, topOrigins: [String] = []) {
        self.id = id
        self.origins = origins
        self.allowCrossOrigin = allowCrossOrigin
        self.topOrigins = topOrigins
    }
}

extension RelyingParty {
    /// The parts of a web origin (`scheme://host[:port]`).
    public struct WebOrigin: Sendable, Hashable {
        /// `https`, or `http` for a loopback host.
        public var scheme: String
        /// The host, lower case: a domain, or a loopback address (`127.0.0.1`, `[::1]`).
        public var host: String
        /// The port, when the origin names one.
        public var port: Int?
    }

    /// Checks that `id` can be an RP ID: a valid domain string (WebAuthn §5.1.3 step 8 /
    /// §5.1.4 step 7 take "a valid domain string" that is "a registrable domain suffix of or is
    /// equal to" the origin's effective domain).
    ///
    /// Accepted: lower-case LDH labels of 1–63 characters (letters, digits, hyphens, not at a
    /// label's ends), at most 253 characters in all, `localhost` included; internationalized
    /// names in their A-label (`xn--…`) form. Refused: an empty id, a scheme, port, path or
    /// spaces, upper case, empty labels, and IP addresses (browsers refuse them as RP IDs).
    ///
    /// - Throws: ``WebAuthnError`` `invalidRelyingPartyID` with a sentence saying what is wrong.
    public static func validateID(_ id: String) throws(WebAuthnError) {
        func refuse(_ reason: String, line: UInt = #line) -> WebAuthnError {
            WebAuthnError(
                .invalidRelyingPartyID,
                "\"\(id)\" is not a valid RP ID: \(reason). An RP ID is a domain such as example.com.",
                step: "§5.1.3 step 8",
                line: line
            )
        }
        guard !id.isEmpty else { throw refuse("it is empty") }
        if id.contains("://") { throw refuse("it holds a scheme; give only the domain (example.com)") }
        guard id.utf8.count <= 253 else { throw refuse("it is longer than 253 characters") }
        for scalar in id.unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", "-", ".": continue
            case "A"..."Z": throw refuse("it has upper-case letters; RP IDs are lower case")
            case " ", "\t": throw refuse("it has spaces")
            case "/", ":", "?", "#", "@":
                throw refuse("it has a \"\(scalar)\"; give only the domain, without port or path")
            case _ where !scalar.isASCII:
                throw refuse("it has non-ASCII characters; give an internationalized domain in its xn-- form")
            default: throw refuse("it has the character \"\(scalar)\"; a domain has letters, digits, hyphens and dots")
            }
        }
        let labels = id.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { throw refuse("it has an empty label (a leading, trailing or double dot)") }
            guard label.utf8.count <= 63 else { throw refuse("a label is longer than 63 characters") }
            guard label.first != "-", label.last != "-" else {
                throw refuse("a label begins or ends with a hyphen")
            }
        }
        if let last = labels.last, last.allSatisfy(\.isNumber) {
            throw refuse("it is an IP address (or ends in a number); an RP ID is a domain name")
        }
    }

    /// Parses and checks a web origin: `https://host[:port]`, or `http://` for a loopback host
    /// (`localhost`, `*.localhost`, `127.0.0.1`, `[::1]`), with no path, query or fragment.
    ///
    /// - Throws: ``WebAuthnError`` `invalidOrigin` with a sentence saying what is wrong.
    public static func parseWebOrigin(_ origin: String) throws(WebAuthnError) -> WebOrigin {
        func refuse(_ reason: String, line: UInt = #line) -> WebAuthnError {
            WebAuthnError(
                .invalidOrigin,
                "\"\(origin)\" is not a valid origin: \(reason). An origin is https://host[:port], such as https://example.com.",
                line: line
            )
        }
        guard let separator = origin.range(of: "://") else { throw refuse("it has no scheme") }
        let scheme = String(origin[..<separator.lowerBound])
        var rest = Substring(origin[separator.upperBound...])
        guard !rest.contains(where: { "/?#@ \t".contains($0) }) else {
            throw refuse("it has a path, query, fragment, user or spaces")
        }
        var port: Int?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("]") {
            let digits = rest[rest.index(after: colon)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let number = Int(digits), (1...65535).contains(number)
            else { throw refuse("its port is not a number from 1 to 65535") }
            port = number
            rest = rest[..<colon]
        }
        let host = String(rest)
        let loopback = host == "localhost" || host.hasSuffix(".localhost") || host == "127.0.0.1" || host == "[::1]"
        if !loopback || host.hasSuffix(".localhost") {
            do {
                try Self.validateID(host)
            } catch {
                throw refuse("its host is not a valid lower-case domain")
            }
        }
        switch scheme {
        case "https": break
        case "http" where loopback: break
        case "http": throw refuse("http is allowed only for localhost; use https")
        default: throw refuse("its scheme is not https")
        }
        return WebOrigin(scheme: scheme, host: host, port: port)
    }

    /// Checks an origin a relying party accepts: a web origin (``parseWebOrigin(_:)``) or an
    /// Android app's `android:apk-key-hash:` origin.
    ///
    /// - Throws: ``WebAuthnError`` `invalidOrigin`.
    public static func validateOrigin(_ origin: String) throws(WebAuthnError) {
        let android = "android:apk-key-hash:"
        if origin.hasPrefix(android) {
            let hash = origin.dropFirst(android.count)
            guard !hash.isEmpty, Base64URL.decode(String(hash)) != nil else {
                throw WebAuthnError(
                    .invalidOrigin,
                    "\"\(origin)\" is not a valid origin: the key hash is not base64url."
                )
            }
            return
        }
        _ = try Self.parseWebOrigin(origin)
    }

    /// Whether `origin`'s host is `id` or a subdomain of it: the client's rule for which sites
    /// may use an RP ID (WebAuthn §5.1.3 step 8, "a registrable domain suffix of or is equal to").
    public static func origin(_ origin: WebOrigin, mayUse id: String) -> Bool {
        origin.host == id || origin.host.hasSuffix("." + id)
    }
}
