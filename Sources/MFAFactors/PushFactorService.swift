import Crypto
public import Foundation
public import MFAStore
public import Push
import WebAuthn

/// Push approval kept in a store: enrollment tickets used once, registered phones, and sign-in
/// transactions answered once — by a valid signature of the member's phone, within 60 seconds,
/// with the number shown on the sign-in page.
public struct PushFactorService: Sendable {
    /// A stored enrollment ticket.
    public struct Ticket: ExpiringRecord, Sendable {
        public static let recordKind = "push-ticket"
        public var ticket: PushEnrollmentTicket
        public var expiresAt: Date { self.ticket.expiresAt }
        /// The session that asked for it (its store id): the phone's registration goes to that
        /// session, and fails once it ended. `nil` for a ticket issued without one.
        public var sessionID: String?
        /// Whether the member had no factor when it was issued (so no step-up was needed): the
        /// phone is then only taken as long as it would still be the first.
        public var firstFactor: Bool?
    }

    /// A registered phone.
    public struct Device: StorableRecord, Sendable {
        public static let recordKind = "push-device"
        public var device: PushDevice
    }

    /// A sign-in transaction.
    public struct Transaction: ExpiringRecord, Sendable {
        public static let recordKind = "push-transaction"
        public var transaction: PushTransaction
        public var expiresAt: Date { self.transaction.expiresAt }
        /// Whether an approval was already turned into a signed-in session.
        public var redeemed: Bool
    }

    /// What the profile page shows to enroll a phone.
    public struct IssuedTicket: Sendable, Hashable {
        public var ticketID: String
        /// The QR code's text (`fidokit-push://enroll?ticket=…&secret=…&server=…`).
        public var uri: String
        public var expiresAt: Date
    }

    /// Where a transaction stands, for the sign-in page's polling.
    public enum Status: String, Sendable, Hashable {
        case pending
        case approved
        case denied
        case expired
    }

    /// The most enrollment tickets one member holds: issuing another drops the oldest.
    public static let ticketsPerMember = 2
    /// The most sign-in transactions one member has open: starting another drops the oldest,
    /// so the store holds a bounded number per member however often sign-in is started.
    public static let transactionsPerMember = 3

    /// A registered phone's claim on its push token or device key (the record's id), so no
    /// second phone registers with either.
    struct DeviceClaim: StorableRecord, Sendable {
        static let recordKind = "push-device-claim"

        /// The claim id of a push token.
        static func token(_ token: String) -> String { "token:" + Self.digest(Array(token.utf8)) }
        /// The claim id of a device key.
        static func key(_ key: [UInt8]) -> String { "key:" + Self.digest(key) }

        static func digest(_ bytes: [UInt8]) -> String {
            Base64URL.encode(Array(SHA256.hash(data: bytes)))
        }
    }

    /// The member's tickets, oldest first, changed by compare-and-swap.
    struct TicketIndex: PendingEnrollmentIndex, Sendable {
        static let recordKind = "push-ticket-index"
        var ids: [String]
    }

    /// The member's transactions, oldest first, changed by compare-and-swap.
    struct TransactionIndex: PendingEnrollmentIndex, Sendable {
        static let recordKind = "push-transaction-index"
        var ids: [String]
    }

    public let store: any RecordStore
    public let notifier: any PushNotifier
    /// The base URL the phone registers with and answers to.
    public let server: URL

    /// Creates the service.
    public init(store: any RecordStore, notifier: any PushNotifier, server: URL) {
        self.store = store
        self.notifier = notifier
        self.server = server
    }

    /// The member's phones, oldest first.
    public func devices(of memberID: String) async throws -> [PushDevice] {
        try await self.store.list(Device.self, owner: memberID).map(\.device)
    }

    /// Issues a one-time enrollment ticket for the member.
    public func issueTicket(
        for memberID: String,
        sessionID: String? = nil,
        firstFactor: Bool? = nil,
        at now: Date = Date()
    ) async throws -> IssuedTicket {
        let (ticket, secret) = PushEnrollmentTicket.issue(for: memberID, at: now)
        try await TicketIndex.add(
            ticket.id,
            memberID: memberID,
            limit: Self.ticketsPerMember,
            replacing: Ticket.self,
            in: self.store
        )
        try await self.store.insert(
            Ticket(ticket: ticket, sessionID: sessionID, firstFactor: firstFactor),
            id: ticket.id,
            owner: memberID
        )
        return IssuedTicket(
            ticketID: ticket.id,
            uri: ticket.enrollmentURI(secret: secret, server: self.server),
            expiresAt: ticket.expiresAt
        )
    }

    /// The stored ticket `id`, if any (the server checks who asked for it before registering).
    public func ticket(_ id: String) async throws -> Ticket? {
        try await self.store.get(Ticket.self, id: id)
    }

    /// Registers a phone with a ticket; the ticket is consumed atomically, so of concurrent
    /// registrations with one ticket exactly one succeeds.
    ///
    /// - Throws: ``PushError`` (`ticketInvalid` also for an unknown ticket).
    public func register(
        ticketID: String,
        secret: String,
        publicKey: [UInt8],
        pushToken: String,
        name: String,
        at now: Date = Date()
    ) async throws -> PushDevice {
        // One phone per push token and per device key, across every member: a token or key
        // registered already (another member's phone, say) would route one member's requests to
        // another's phone. The claims are taken before the ticket is used, so a refusal keeps it.
        // A ticket that is gone or used says so first, whatever the phone sends.
        guard let stored = try await self.store.get(Ticket.self, id: ticketID) else { throw PushError.ticketInvalid }
        if stored.ticket.consumed { throw PushError.ticketUsed }
        let claims = [DeviceClaim.token(pushToken), DeviceClaim.key(publicKey)]
        var taken: [String] = []
        for claim in claims {
            do {
                try await self.store.insert(DeviceClaim(), id: claim, owner: "push-device-claims")
                taken.append(claim)
            } catch {
                for id in taken { _ = try? await self.store.delete(DeviceClaim.self, id: id) { _ in true } }
                guard error.code == .duplicate else { throw error }
                throw FactorError.deviceExists
            }
        }
        let device: PushDevice
        do {
            device = try await self.registered(
                ticketID: ticketID,
                secret: secret,
                publicKey: publicKey,
                pushToken: pushToken,
                name: name,
                at: now
            )
            try await self.store.insert(Device(device: device), id: device.id, owner: device.memberID)
        } catch {
            for id in taken { _ = try? await self.store.delete(DeviceClaim.self, id: id) { _ in true } }
            throw error
        }
        return device
    }

    /// Uses the ticket for the phone.
    private func registered(
        ticketID: String,
        secret: String,
        publicKey: [UInt8],
        pushToken: String,
        name: String,
        at now: Date
    ) async throws -> PushDevice {
        let device: PushDevice
        do {
            device = try await self.store.modify(Ticket.self, id: ticketID) { stored in
                let (device, used) = try stored.ticket.register(
                    secret: secret,
                    publicKey: publicKey,
                    pushToken: pushToken,
                    name: name,
                    at: now
                )
                stored.ticket = used
                return device
            }
        } catch StoreError.Code.notFound {
            throw PushError.ticketInvalid
        }
        return device
    }

    /// Starts a sign-in on the member's phones — every one, or only `deviceID` — and notifies
    /// each; any of them may answer. Returns the transaction; its ``PushTransaction/number`` goes
    /// on the page. Losing one phone so never leaves the member with push that reaches none.
    ///
    /// - Throws: ``FactorError/factorNotFound``, ``PushDeliveryError`` when no phone could be
    ///   notified (the transaction is then cancelled).
    public func start(
        memberID: String,
        deviceID: String? = nil,
        context: PushTransaction.Context,
        at now: Date = Date()
    ) async throws -> PushTransaction {
        let devices = try await self.devices(of: memberID)
        let asked = deviceID.map { id in devices.filter { $0.id == id } } ?? devices.reversed()
        guard let newest = asked.first else { throw FactorError.factorNotFound }
        let transaction = PushTransaction.start(
            for: newest,
            alsoAsking: Array(asked.dropFirst()),
            context: context,
            at: now
        )
        try await TransactionIndex.add(
            transaction.id,
            memberID: memberID,
            limit: Self.transactionsPerMember,
            replacing: Transaction.self,
            in: self.store
        )
        try await self.store.insert(
            Transaction(transaction: transaction, redeemed: false),
            id: transaction.id,
            owner: memberID
        )
        var failure: PushDeliveryError?
        var delivered = 0
        for device in asked {
            do {
                try await self.notifier.send(PushNotification(device: device, transaction: transaction))
                delivered += 1
            } catch {
                failure = error
            }
        }
        if delivered == 0, let failure {
            _ = try? await self.store.modify(Transaction.self, id: transaction.id) { $0.transaction.state = .denied }
            throw failure
        }
        return transaction
    }

    /// The phone's answer. Valid answers are applied once; anything else changes nothing.
    ///
    /// - Throws: ``PushError`` (`transactionResolved` for a second answer, also concurrent ones).
    public func answer(
        transactionID: String,
        deviceID: String,
        approve: Bool,
        typedNumber: Int,
        signature: [UInt8],
        at now: Date = Date()
    ) async throws -> PushTransaction.Outcome {
        guard let device = try await self.store.get(Device.self, id: deviceID)?.device else {
            throw PushError.wrongDevice
        }
        do {
            return try await self.store.modify(Transaction.self, id: transactionID) { stored in
                let (next, outcome) = try stored.transaction.resolve(
                    approve: approve,
                    typedNumber: typedNumber,
                    signature: signature,
                    device: device,
                    at: now
                )
                stored.transaction = next
                return outcome
            }
        } catch StoreError.Code.notFound {
            throw PushError.transactionExpired
        }
    }

    /// Where the member's transaction stands.
    ///
    /// - Throws: ``FactorError/ceremonyNotFound`` for another member's or an unknown transaction.
    public func status(transactionID: String, memberID: String, at now: Date = Date()) async throws -> Status {
        guard let transaction = try await self.store.get(Transaction.self, id: transactionID)?.transaction,
            transaction.memberID == memberID
        else { throw FactorError.ceremonyNotFound }
        switch transaction.state {
        case .approved: return .approved
        case .denied: return .denied
        case .pending: return now < transaction.expiresAt ? .pending : .expired
        }
    }

    /// Whether a transaction still waits for an answer: stored (not dropped for a newer one),
    /// pending and not expired.
    public func isOpen(transactionID: String, at now: Date = Date()) async throws -> Bool {
        guard let transaction = try await self.store.get(Transaction.self, id: transactionID)?.transaction else {
            return false
        }
        return transaction.state == .pending && now < transaction.expiresAt
    }

    /// Takes the outcome of an approved transaction for signing in: only an approved, not yet
    /// redeemed transaction signs the member in, once.
    public func redeem(transactionID: String, memberID: String) async throws -> Bool {
        do {
            return try await self.store.modify(Transaction.self, id: transactionID) { stored in
                guard stored.transaction.memberID == memberID, stored.transaction.state == .approved, !stored.redeemed
                else { return false }
                stored.redeemed = true
                return true
            }
        } catch StoreError.Code.notFound {
            return false
        }
    }

    /// Deletes a phone of the member.
    public func remove(deviceID: String, memberID: String) async throws {
        let device = try await self.store.get(Device.self, id: deviceID)?.device
        guard try await self.store.delete(Device.self, id: deviceID, if: { $0.device.memberID == memberID }) else {
            throw FactorError.factorNotFound
        }
        // Its token and key may be registered again.
        if let device {
            for claim in [DeviceClaim.token(device.pushToken), DeviceClaim.key(device.publicKey)] {
                _ = try await self.store.delete(DeviceClaim.self, id: claim) { _ in true }
            }
        }
    }
}
