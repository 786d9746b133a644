import Crypto
import Foundation
import Push
import Testing

/// Push approval: a phone enrolls with a ticket and its key; a sign-in shows a number; only the
/// registered phone's signature over (transaction, decision, typed number) resolves it, once,
/// within 60 s, and an allow needs the right number.
struct PushTransactionTests {
    let phoneKey = P256.Signing.PrivateKey()
    let context = PushTransaction.Context(browser: "Firefox on Linux", ipAddress: "192.0.2.7", time: Date())

    func enroll(at now: Date = Date()) throws -> PushDevice {
        let (ticket, secret) = PushEnrollmentTicket.issue(for: "member-1", at: now)
        return try ticket.register(secret: secret, publicKey: Array(self.phoneKey.publicKey.x963Representation), pushToken: "token-1", name: "Pixel", at: now)
            .device
    }

    func answer(_ transaction: PushTransaction, approve: Bool, number: Int, key: P256.Signing.PrivateKey? = nil) throws -> [UInt8] {
        let statement = PushTransaction.statement(transactionID: transaction.id, approve: approve, typedNumber: number)
        return Array(try (key ?? self.phoneKey).signature(for: statement).derRepresentation)
    }

    @Test func ticketsAreOneTimeAndShortLived() throws {
        let now = Date()
        let (ticket, secret) = PushEnrollmentTicket.issue(for: "member-1", at: now)
        #expect(ticket.enrollmentURI(secret: secret, server: URL(string: "https://mfa.example")!).hasPrefix("fidokit-push://enroll?ticket="))
        let key = Array(self.phoneKey.publicKey.x963Representation)
        let (device, used) = try ticket.register(secret: secret, publicKey: key, pushToken: "t", name: "Pixel", at: now)
        #expect(device.memberID == "member-1")
        #expect(throws: PushError.ticketUsed) { try used.register(secret: secret, publicKey: key, pushToken: "t", name: "x", at: now) }
        #expect(throws: PushError.ticketInvalid) { try ticket.register(secret: "guess", publicKey: key, pushToken: "t", name: "x", at: now) }
        #expect(throws: PushError.ticketExpired) {
            try ticket.register(secret: secret, publicKey: key, pushToken: "t", name: "x", at: now.addingTimeInterval(601))
        }
        #expect(throws: PushError.invalidDeviceKey) { try ticket.register(secret: secret, publicKey: [4, 1, 2], pushToken: "t", name: "x", at: now) }
    }

    @Test func theRightNumberFromTheRegisteredPhoneApprovesOnce() throws {
        let device = try self.enroll()
        let transaction = PushTransaction.start(for: device, context: self.context)
        #expect((10...99).contains(transaction.number))
        let (approved, outcome) = try transaction.resolve(
            approve: true,
            typedNumber: transaction.number,
            signature: try self.answer(transaction, approve: true, number: transaction.number),
            device: device
        )
        #expect(outcome == .approved)
        #expect(approved.state == .approved)
        #expect(throws: PushError.transactionResolved) {
            try approved.resolve(
                approve: true,
                typedNumber: transaction.number,
                signature: try self.answer(transaction, approve: true, number: transaction.number),
                device: device
            )
        }
    }

    @Test func aWrongNumberDeniesTheSignIn() throws {
        let device = try self.enroll()
        let transaction = PushTransaction.start(for: device, context: self.context)
        let wrong = transaction.number == 99 ? 10 : transaction.number + 1
        let (denied, outcome) = try transaction.resolve(
            approve: true,
            typedNumber: wrong,
            signature: try self.answer(transaction, approve: true, number: wrong),
            device: device
        )
        #expect(outcome == .numberMismatch)
        #expect(denied.state == .denied)
    }

    @Test func aDenialIsFinal() throws {
        let device = try self.enroll()
        let transaction = PushTransaction.start(for: device, context: self.context)
        let (denied, outcome) = try transaction.resolve(
            approve: false,
            typedNumber: 0,
            signature: try self.answer(transaction, approve: false, number: 0),
            device: device
        )
        #expect(outcome == .denied && denied.state == .denied)
    }

    @Test func forgedLateOrMisdirectedAnswersChangeNothing() throws {
        let device = try self.enroll()
        let now = Date()
        let transaction = PushTransaction.start(for: device, context: self.context, at: now)
        let number = transaction.number
        // Signed by another key.
        #expect(throws: PushError.signatureInvalid) {
            try transaction.resolve(
                approve: true,
                typedNumber: number,
                signature: try self.answer(transaction, approve: true, number: number, key: P256.Signing.PrivateKey()),
                device: device
            )
        }
        // A signature over a deny presented as an allow.
        #expect(throws: PushError.signatureInvalid) {
            try transaction.resolve(approve: true, typedNumber: number, signature: try self.answer(transaction, approve: false, number: number), device: device)
        }
        // After 60 s.
        #expect(throws: PushError.transactionExpired) {
            try transaction.resolve(
                approve: true,
                typedNumber: number,
                signature: try self.answer(transaction, approve: true, number: number),
                device: device,
                at: now.addingTimeInterval(60)
            )
        }
        // Another member's phone.
        var other = device
        other.memberID = "member-2"
        #expect(throws: PushError.wrongDevice) {
            try transaction.resolve(approve: true, typedNumber: number, signature: try self.answer(transaction, approve: true, number: number), device: other)
        }
        #expect(transaction.state == .pending)
    }

    @Test func theLocalNotifierHoldsNotificationsForTheDevice() async throws {
        let device = try self.enroll()
        let transaction = PushTransaction.start(for: device, context: self.context)
        let notifier = LocalPushNotifier()
        try await notifier.send(PushNotification(device: device, transaction: transaction))
        let waiting = notifier.collect(deviceToken: "token-1")
        #expect(waiting.map(\.transactionID) == [transaction.id])
        #expect(waiting.first?.context.browser == "Firefox on Linux")
        #expect(notifier.collect(deviceToken: "token-1").isEmpty)
    }
}
