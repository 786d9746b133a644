import Crypto
public import Foundation

/// One push sign-in: shown on the sign-in page with a two-digit number the member types on the
/// phone; the phone answers allow or deny with an ES256 signature over the transaction id, the
/// decision and the typed number. Valid for 60 seconds, answered once.
public struct PushTransaction: Sendable, Hashable, Codable {
    /// Where the transaction stands.
    public enum State: String, Sendable, Hashable, Codable {
        case pending
        case approved
        case denied
    }

    /// What the sign-in page tells the member about the attempt (shown on the phone too).
    public struct Context: Sendable, Hashable, Codable {
        public var browser: String
        public var ipAddress: String
        public var time: Date

        /// Creates a context.
        public init(browser: String, ipAddress: String, time: Date) {
            self.browser = browser
            self.ipAddress = ipAddress
            self.time = time
        }
    }

    public var id: String
    public var memberID: String
    /// The first phone asked (the only one, for a transaction of one phone).
    public var deviceID: String
    /// Every phone asked, any of which may answer; `nil` in a transaction stored before there
    /// could be several: then only ``deviceID``.
    public var deviceIDs: [String]?
    /// The number shown on the sign-in page (10...99).
    public var number: Int
    public var context: Context
    public var expiresAt: Date
    public var state: State

    /// How long a transaction waits for the phone.
    public static let lifetime: TimeInterval = 60

    /// Starts a transaction for `device`.
    public static func start(for device: PushDevice, context: Context, at now: Date = Date()) -> PushTransaction {
        Self.start(for: device, alsoAsking: [], context: context, at: now)
    }

    /// Starts a transaction that `device` and the member's `others` phones may answer.
    public static func start(
        for device: PushDevice,
        alsoAsking others: [PushDevice],
        context: Context,
        at now: Date = Date()
    ) -> PushTransaction {
        var generator = SystemRandomNumberGenerator()
        return PushTransaction(
            id: UUID().uuidString,
            memberID: device.memberID,
            deviceID: device.id,
            deviceIDs: [device.id] + others.filter { $0.memberID == device.memberID && $0.id != device.id }.map(\.id),
            number: Int.random(in: 10...99, using: &generator),
            context: context,
            expiresAt: now.addingTimeInterval(Self.lifetime),
            state: .pending
        )
    }

    /// The bytes the phone signs: `fidokit-push-v1`, the transaction id, `allow`/`deny` and the
    /// number typed, one per line.
    public static func statement(transactionID: String, approve: Bool, typedNumber: Int) -> [UInt8] {
        Array("fidokit-push-v1\n\(transactionID)\n\(approve ? "allow" : "deny")\n\(typedNumber)".utf8)
    }

    /// What a valid answer did.
    public enum Outcome: Sendable, Hashable {
        case approved
        case denied
        /// An allow with the wrong number: the transaction is denied, so a guess cannot be retried.
        case numberMismatch
    }

    /// Applies the phone's answer; returns the transaction as it must be stored afterwards and
    /// what happened. Answers that are not valid change nothing and throw.
    ///
    /// - Throws: ``PushError`` `wrongDevice`, `transactionResolved`, `transactionExpired`,
    ///   `signatureInvalid`.
    public func resolve(
        approve: Bool,
        typedNumber: Int,
        signature: [UInt8],
        device: PushDevice,
        at now: Date = Date()
    ) throws(PushError) -> (transaction: PushTransaction, outcome: Outcome) {
        guard (self.deviceIDs ?? [self.deviceID]).contains(device.id), device.memberID == self.memberID else {
            throw .wrongDevice
        }
        guard self.state == .pending else { throw .transactionResolved }
        guard now < self.expiresAt else { throw .transactionExpired }
        guard let key = try? P256.Signing.PublicKey(x963Representation: device.publicKey),
            let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature),
            key.isValidSignature(
                parsed,
                for: Self.statement(transactionID: self.id, approve: approve, typedNumber: typedNumber)
            )
        else { throw .signatureInvalid }
        var next = self
        if approve && typedNumber != self.number {
            next.state = .denied
            return (next, .numberMismatch)
        }
        next.state = approve ? .approved : .denied
        return (next, approve ? .approved : .denied)
    }
}
