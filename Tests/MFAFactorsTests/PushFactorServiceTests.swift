import Crypto
import Foundation
import MFAFactors
import MFAStore
import MFAStoreTestSupport
import Push
import Testing

/// Push approval through the store, on both stores: tickets used once, answers applied once,
/// only from the member's phone, with the number shown.
struct PushFactorServiceTests {
    struct BrokenNotifier: PushNotifier {
        func send(_ notification: PushNotification) async throws(PushDeliveryError) { throw PushDeliveryError("APNs 503") }
    }

    static let context = PushTransaction.Context(browser: "Firefox on Linux", ipAddress: "203.0.113.9", time: Date())

    /// A phone: its key, enrolled through a ticket of `member`.
    static func enrollPhone(_ service: PushFactorService, member: String) async throws -> (P256.Signing.PrivateKey, PushDevice) {
        let ticket = try await service.issueTicket(for: member)
        let secret = try #require(URLComponents(string: ticket.uri)?.queryItems?.first { $0.name == "secret" }?.value)
        let key = P256.Signing.PrivateKey()
        let device = try await service.register(
            ticketID: ticket.ticketID,
            secret: secret,
            publicKey: Array(key.publicKey.x963Representation),
            pushToken: "token-\(member)",
            name: "Phone"
        )
        return (key, device)
    }

    static func sign(_ key: P256.Signing.PrivateKey, _ transaction: PushTransaction, approve: Bool, number: Int) throws -> [UInt8] {
        Array(
            try key.signature(for: PushTransaction.statement(transactionID: transaction.id, approve: approve, typedNumber: number))
                .derRepresentation
        )
    }

    @Test(arguments: StoreKind.allCases)
    func anApprovalWithTheRightNumberSignsInOnce(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let notifier = LocalPushNotifier()
        let service = PushFactorService(store: store, notifier: notifier, server: URL(string: "https://dashboard.example.com")!)
        let (key, device) = try await Self.enrollPhone(service, member: "ada")
        // One moment for the whole ceremony: a loaded machine took over the transaction's 60 s
        // between starting and answering it.
        let now = Date()
        let transaction = try await service.start(memberID: "ada", context: Self.context, at: now)
        #expect(notifier.collect(deviceToken: device.pushToken).map(\.transactionID) == [transaction.id])
        #expect(try await service.status(transactionID: transaction.id, memberID: "ada", at: now) == .pending)
        #expect(try await service.redeem(transactionID: transaction.id, memberID: "ada") == false)

        let signature = try Self.sign(key, transaction, approve: true, number: transaction.number)
        let wins = await race {
            (try? await service.answer(
                transactionID: transaction.id,
                deviceID: device.id,
                approve: true,
                typedNumber: transaction.number,
                signature: signature,
                at: now
            )) == .approved
        }
        #expect(wins == 1)
        await #expect(throws: PushError.transactionResolved) {
            try await service.answer(
                transactionID: transaction.id,
                deviceID: device.id,
                approve: true,
                typedNumber: transaction.number,
                signature: signature,
                at: now
            )
        }
        #expect(try await service.status(transactionID: transaction.id, memberID: "ada", at: now) == .approved)
        await #expect(throws: FactorError.ceremonyNotFound) { try await service.status(transactionID: transaction.id, memberID: "bob") }
        let redeemed = await race { (try? await service.redeem(transactionID: transaction.id, memberID: "ada")) == true }
        #expect(redeemed == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func wrongNumbersOtherPhonesAndLateAnswersAreRefused(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = PushFactorService(store: store, notifier: LocalPushNotifier(), server: URL(string: "https://d.example")!)
        let (key, device) = try await Self.enrollPhone(service, member: "ada")
        let (bobKey, bobDevice) = try await Self.enrollPhone(service, member: "bob")

        // Bob's phone cannot answer Ada's sign-in, signed by either key.
        let first = try await service.start(memberID: "ada", context: Self.context)
        await #expect(throws: PushError.wrongDevice) {
            try await service.answer(
                transactionID: first.id,
                deviceID: bobDevice.id,
                approve: true,
                typedNumber: first.number,
                signature: try Self.sign(bobKey, first, approve: true, number: first.number)
            )
        }
        // A signature by another key is refused and changes nothing.
        await #expect(throws: PushError.signatureInvalid) {
            try await service.answer(
                transactionID: first.id,
                deviceID: device.id,
                approve: true,
                typedNumber: first.number,
                signature: try Self.sign(bobKey, first, approve: true, number: first.number)
            )
        }
        #expect(try await service.status(transactionID: first.id, memberID: "ada") == .pending)
        // The wrong number denies the sign-in: a guess cannot be retried.
        let wrong = first.number == 99 ? 10 : first.number + 1
        #expect(
            try await service.answer(
                transactionID: first.id,
                deviceID: device.id,
                approve: true,
                typedNumber: wrong,
                signature: try Self.sign(key, first, approve: true, number: wrong)
            ) == .numberMismatch
        )
        #expect(try await service.status(transactionID: first.id, memberID: "ada") == .denied)
        #expect(try await service.redeem(transactionID: first.id, memberID: "ada") == false)

        // After 60 seconds the answer is late.
        let start = storableNow()
        let late = try await service.start(memberID: "ada", context: Self.context, at: start)
        #expect(try await service.status(transactionID: late.id, memberID: "ada", at: start.addingTimeInterval(60)) == .expired)
        await #expect(throws: PushError.transactionExpired) {
            try await service.answer(
                transactionID: late.id,
                deviceID: device.id,
                approve: true,
                typedNumber: late.number,
                signature: try Self.sign(key, late, approve: true, number: late.number),
                at: start.addingTimeInterval(60)
            )
        }
        // A deny is a deny.
        let denied = try await service.start(memberID: "ada", context: Self.context)
        #expect(
            try await service.answer(
                transactionID: denied.id,
                deviceID: device.id,
                approve: false,
                typedNumber: 0,
                signature: try Self.sign(key, denied, approve: false, number: 0)
            ) == .denied
        )
    }

    @Test(arguments: StoreKind.allCases)
    func aTicketRegistersOnePhoneOnce(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = PushFactorService(store: store, notifier: LocalPushNotifier(), server: URL(string: "https://d.example")!)
        let ticket = try await service.issueTicket(for: "ada")
        let secret = try #require(URLComponents(string: ticket.uri)?.queryItems?.first { $0.name == "secret" }?.value)
        await #expect(throws: PushError.ticketInvalid) {
            try await service.register(
                ticketID: ticket.ticketID,
                secret: secret + "x",
                publicKey: Array(P256.Signing.PrivateKey().publicKey.x963Representation),
                pushToken: "t",
                name: "P"
            )
        }
        await #expect(throws: PushError.ticketInvalid) {
            try await service.register(
                ticketID: "unknown",
                secret: secret,
                publicKey: Array(P256.Signing.PrivateKey().publicKey.x963Representation),
                pushToken: "t",
                name: "P"
            )
        }
        let wins = await race {
            (try? await service.register(
                ticketID: ticket.ticketID,
                secret: secret,
                publicKey: Array(P256.Signing.PrivateKey().publicKey.x963Representation),
                pushToken: "t",
                name: "P"
            )) != nil
        }
        #expect(wins == 1)
        #expect(try await service.devices(of: "ada").count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedNotificationIsReportedAndCancelsTheSignIn(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let working = PushFactorService(store: store, notifier: LocalPushNotifier(), server: URL(string: "https://d.example")!)
        _ = try await Self.enrollPhone(working, member: "ada")
        let broken = PushFactorService(store: store, notifier: BrokenNotifier(), server: URL(string: "https://d.example")!)
        await #expect(throws: PushDeliveryError("APNs 503")) { try await broken.start(memberID: "ada", context: Self.context) }
        let stored = try await store.list(PushFactorService.Transaction.self, owner: "ada")
        #expect(stored.count == 1 && stored.first?.transaction.state == .denied)
        await #expect(throws: FactorError.factorNotFound) { try await working.start(memberID: "bob", context: Self.context) }
    }

    /// Tickets and sign-in transactions asked for in a loop stay bounded per member: the
    /// oldest are dropped (an old ticket no longer registers a phone), the newest still work.
    @Test(arguments: StoreKind.allCases)
    func ticketsAndTransactionsAreCappedPerMember(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = PushFactorService(
            store: store,
            notifier: LocalPushNotifier(),
            server: URL(string: "https://dashboard.example.com")!
        )
        var tickets: [PushFactorService.IssuedTicket] = []
        for _ in 0..<(PushFactorService.ticketsPerMember + 2) { tickets.append(try await service.issueTicket(for: "ada")) }
        #expect(try await store.list(PushFactorService.Ticket.self, owner: "ada").count == PushFactorService.ticketsPerMember)
        let old = try #require(tickets.first)
        let oldSecret = try #require(URLComponents(string: old.uri)?.queryItems?.first { $0.name == "secret" }?.value)
        await #expect(throws: PushError.ticketInvalid) {
            try await service.register(
                ticketID: old.ticketID,
                secret: oldSecret,
                publicKey: Array(P256.Signing.PrivateKey().publicKey.x963Representation),
                pushToken: "t",
                name: "Old phone"
            )
        }
        let (key, device) = try await Self.enrollPhone(service, member: "ada")
        let now = Date()
        var transactions: [PushTransaction] = []
        for _ in 0..<(PushFactorService.transactionsPerMember + 2) {
            transactions.append(try await service.start(memberID: "ada", context: Self.context, at: now))
        }
        let open = try await store.list(PushFactorService.Transaction.self, owner: "ada")
        #expect(open.count == PushFactorService.transactionsPerMember)
        let newest = try #require(transactions.last)
        let outcome = try await service.answer(
            transactionID: newest.id,
            deviceID: device.id,
            approve: true,
            typedNumber: newest.number,
            signature: try Self.sign(key, newest, approve: true, number: newest.number),
            at: now
        )
        #expect(outcome == .approved)
    }

    /// Round-4 report, 2: a push token (or device key) another phone holds is refused, so one
    /// member's requests never reach another member's phone; the refused ticket stays usable, and
    /// a removed phone's token may register again.
    @Test(arguments: StoreKind.allCases)
    func aPushTokenOrKeyBelongsToOnePhone(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = PushFactorService(store: store, notifier: LocalPushNotifier(), server: URL(string: "https://dashboard.example.com")!)
        let (adaKey, adaPhone) = try await Self.enrollPhone(service, member: "ada")
        let ticket = try await service.issueTicket(for: "bob")
        let secret = try #require(URLComponents(string: ticket.uri)?.queryItems?.first { $0.name == "secret" }?.value)
        await #expect(throws: FactorError.deviceExists) {
            try await service.register(
                ticketID: ticket.ticketID,
                secret: secret,
                publicKey: Array(P256.Signing.PrivateKey().publicKey.x963Representation),
                pushToken: adaPhone.pushToken,
                name: "Bob's phone"
            )
        }
        await #expect(throws: FactorError.deviceExists) {
            try await service.register(
                ticketID: ticket.ticketID,
                secret: secret,
                publicKey: Array(adaKey.publicKey.x963Representation),
                pushToken: "token-bob",
                name: "Bob's phone"
            )
        }
        // The ticket was not used up by the refusals.
        let bobPhone = try await service.register(
            ticketID: ticket.ticketID,
            secret: secret,
            publicKey: Array(P256.Signing.PrivateKey().publicKey.x963Representation),
            pushToken: "token-bob",
            name: "Bob's phone"
        )
        #expect(bobPhone.memberID == "bob")
        try await service.remove(deviceID: adaPhone.id, memberID: "ada")
        let again = try await Self.enrollPhone(service, member: "ada")
        #expect(again.1.pushToken == adaPhone.pushToken)
    }
}
