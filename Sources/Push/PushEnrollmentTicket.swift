import Crypto
public import Foundation

/// A one-time enrollment ticket: the member's profile shows it as a QR code, the phone app
/// presents it when it registers its key. Only a hash of the ticket's secret is kept.
public struct PushEnrollmentTicket: Sendable, Hashable, Codable {
    public var id: String
    public var memberID: String
    public var secretHash: [UInt8]
    public var expiresAt: Date
    public var consumed: Bool

    /// How long a ticket lives.
    public static let lifetime: TimeInterval = 600

    /// A new ticket and its secret (to put in the QR code; not kept).
    public static func issue(for memberID: String, at now: Date = Date()) -> (
        ticket: PushEnrollmentTicket, secret: String
    ) {
        var generator = SystemRandomNumberGenerator()
        let secret = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
                of: "=",
                with: ""
            )
        let ticket = PushEnrollmentTicket(
            id: UUID().uuidString,
            memberID: memberID,
            secretHash: Array(SHA256.hash(data: Array(secret.utf8))),
            expiresAt: now.addingTimeInterval(Self.lifetime),
            consumed: false
        )
        return (ticket, secret)
    }

    /// The text of the QR code: where to register, and with which ticket.
    public func enrollmentURI(secret: String, server: URL) -> String {
        var components = URLComponents()
        components.scheme = "fidokit-push"
        components.host = "enroll"
        components.queryItems = [
            URLQueryItem(name: "ticket", value: self.id), URLQueryItem(name: "secret", value: secret),
            URLQueryItem(name: "server", value: server.absoluteString),
        ]
        return components.string ?? ""
    }

    /// Registers a phone with this ticket; returns the device and the ticket as it must be
    /// stored afterwards (consumed).
    ///
    /// - Throws: ``PushError`` `ticketInvalid`, `ticketExpired`, `ticketUsed`, `invalidDeviceKey`.
    public func register(
        secret: String,
        publicKey: [UInt8],
        pushToken: String,
        name: String,
        at now: Date = Date()
    ) throws(PushError) -> (device: PushDevice, ticket: PushEnrollmentTicket) {
        let candidate = Array(SHA256.hash(data: Array(secret.utf8)))
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, self.secretHash) { difference |= a ^ b }
        guard difference == 0 else { throw .ticketInvalid }
        guard !self.consumed else { throw .ticketUsed }
        guard now < self.expiresAt else { throw .ticketExpired }
        guard (try? P256.Signing.PublicKey(x963Representation: publicKey)) != nil else { throw .invalidDeviceKey }
        var used = self
        used.consumed = true
        let device = PushDevice(
            id: UUID().uuidString,
            memberID: self.memberID,
            name: name,
            publicKey: publicKey,
            pushToken: pushToken,
            enrolledAt: now
        )
        return (device, used)
    }
}

/// A phone registered for push approval: its P-256 public key and where notifications go.
public struct PushDevice: Sendable, Hashable, Codable {
    public var id: String
    public var memberID: String
    public var name: String
    /// Uncompressed P-256 point (X9.63).
    public var publicKey: [UInt8]
    /// The APNs/FCM token (or a local inbox name).
    public var pushToken: String
    public var enrolledAt: Date

    /// Creates a device record.
    public init(id: String, memberID: String, name: String, publicKey: [UInt8], pushToken: String, enrolledAt: Date) {
        self.id = id
        self.memberID = memberID
        self.name = name
        self.publicKey = publicKey
        self.pushToken = pushToken
        self.enrolledAt = enrolledAt
    }
}
