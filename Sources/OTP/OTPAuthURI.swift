import Foundation

/// An `otpauth://` Key URI (Google Authenticator's Key-Uri-Format), the text behind the QR code
/// an authenticator app scans: `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…&digits=…&period=…`.
public struct OTPAuthURI: Sendable, Hashable {
    /// TOTP with its period, or HOTP with its initial counter.
    public enum Kind: Sendable, Hashable {
        case totp(period: Int)
        case hotp(counter: UInt64)
    }

    public var kind: Kind
    /// Who issues the code (the app groups and names entries by it).
    public var issuer: String?
    /// The account, e.g. an e-mail address.
    public var account: String
    public var secret: [UInt8]
    public var algorithm: OTPAlgorithm
    public var digits: Int

    /// Creates a URI description.
    public init(
        kind: Kind = .totp(period: 30),
        issuer: String?,
        account: String,
        secret: [UInt8],
        algorithm: OTPAlgorithm = .sha1,
        digits: Int = 6
    ) {
        self.kind = kind
        self.issuer = issuer
        self.account = account
        self.secret = secret
        self.algorithm = algorithm
        self.digits = digits
    }

    /// Characters left as they are in labels and values: RFC 3986 unreserved, plus `@`.
    private static let allowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@"
    )

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? text
    }

    /// The URI text. Every parameter is written, so apps that assume defaults still agree.
    public var text: String {
        let label = (self.issuer.map { Self.encode($0) + ":" } ?? "") + Self.encode(self.account)
        var query = "secret=\(Base32.encode(self.secret))"
        if let issuer = self.issuer { query += "&issuer=\(Self.encode(issuer))" }
        query += "&algorithm=\(self.algorithm.rawValue)&digits=\(self.digits)"
        switch self.kind {
        case .totp(let period): return "otpauth://totp/\(label)?\(query)&period=\(period)"
        case .hotp(let counter): return "otpauth://hotp/\(label)?\(query)&counter=\(counter)"
        }
    }

    /// Parses a URI.
    ///
    /// - Throws: ``OTPError/invalidURI(_:)`` naming what is wrong, or the error of the secret,
    ///   digits or algorithm.
    public init(parsing text: String) throws(OTPError) {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "otpauth" else {
            throw .invalidURI("not an otpauth:// URI")
        }
        let items = components.queryItems ?? []
        func value(_ name: String) -> String? { items.first { $0.name.lowercased() == name }?.value }
        guard let secretText = value("secret") else { throw .invalidURI("no secret") }
        self.secret = try Base32.decode(secretText)
        self.algorithm = try value("algorithm").map { name throws(OTPError) in try OTPAlgorithm(name: name) } ?? .sha1
        guard let digits = Int(value("digits") ?? "6"), (6...8).contains(digits) else {
            throw .invalidURI("digits must be 6, 7 or 8")
        }
        self.digits = digits
        switch components.host?.lowercased() {
        case "totp":
            guard let period = Int(value("period") ?? "30"), period > 0 else {
                throw .invalidURI("period must be positive")
            }
            self.kind = .totp(period: period)
        case "hotp":
            guard let counter = value("counter").flatMap({ UInt64($0) }) else {
                throw .invalidURI("hotp needs a counter")
            }
            self.kind = .hotp(counter: counter)
        default:
            throw .invalidURI("the type must be totp or hotp")
        }
        let label = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
        let parts = label.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let account = parts.last, !account.isEmpty else { throw .invalidURI("no account name") }
        self.account = account
        let labelIssuer = parts.count == 2 ? parts[0] : nil
        let parameterIssuer = value("issuer")
        if let labelIssuer, let parameterIssuer, labelIssuer != parameterIssuer {
            throw .invalidURI("the label's issuer and the issuer parameter differ")
        }
        self.issuer = parameterIssuer ?? labelIssuer
    }
}
