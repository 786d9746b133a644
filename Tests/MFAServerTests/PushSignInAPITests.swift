import Crypto
import Foundation
import HTTPTypes
import MFAServer
import Push
import Testing
import WebAuthn

/// Round-3 outside report, push approval: every phone of the member is asked and may answer
/// (6), starts are limited per member (5), the inbox lists without taking (11), a ticket is its
/// session's and a first-factor ticket stays first (2), and a restricted session gets its own
/// code on the second-factor routes (9).
struct PushSignInAPITests {
    /// A phone: its key and device id, registered with a ticket `browser` asks for.
    static func enrollPhone(_ browser: Browser, token: String, phone: Browser) async throws
        -> (key: P256.Signing.PrivateKey, deviceID: String)
    {
        let query = Self.fields(of: try await browser.send(.post, "/api/me/factors/push"))
        let key = P256.Signing.PrivateKey()
        let registered = try await Self.register(phone, query, key: key, token: token)
        #expect(registered.status == .created, "\(registered.errorCode ?? "")")
        return (key, try #require(registered.json["deviceId"] as? String))
    }

    /// The query fields of a ticket answer's `uri` (ticket, secret, server).
    static func fields(of ticket: Browser.Reply) -> [String: String] {
        let items = URLComponents(string: ticket.json["uri"] as? String ?? "")?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    /// `POST /api/push/devices` with a ticket's `fields`, `key` and push `token`.
    static func register(_ phone: Browser, _ fields: [String: String], key: P256.Signing.PrivateKey, token: String)
        async throws -> Browser.Reply
    {
        try await phone.send(
            .post,
            "/api/push/devices",
            json: [
                "ticket": fields["ticket"] ?? "", "secret": fields["secret"] ?? "",
                "publicKey": Base64URL.encode(key.publicKey.x963Representation), "pushToken": token, "name": token,
            ]
        )
    }

    /// The phone's answer to `transactionID`.
    static func answer(
        _ phone: Browser,
        _ key: P256.Signing.PrivateKey,
        deviceID: String,
        transactionID: String,
        number: Int
    ) async throws -> Browser.Reply {
        let signature = try key.signature(
            for: PushTransaction.statement(transactionID: transactionID, approve: true, typedNumber: number)
        )
        return try await phone.send(
            .post,
            "/api/push/transactions/\(transactionID)/answer",
            json: [
                "deviceId": deviceID, "approve": true, "number": number,
                "signature": Base64URL.encode(signature.derRepresentation),
            ]
        )
    }

    @Test func everyPhoneIsAskedAnyMayAnswerAndTheInboxListsWithoutTaking() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let phone = Browser(client)
            let (oldKey, oldDevice) = try await Self.enrollPhone(browser, token: "old-phone", phone: phone)
            // A second phone needs a step-up now (the member has a factor): the first phone's
            // registration stood for this session.
            let (_, newDevice) = try await Self.enrollPhone(browser, token: "new-phone", phone: phone)
            #expect(oldDevice != newDevice)
            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            let started = try await browser.send(.post, "/api/mfa/push/start")
            let number = try #require(started.json["number"] as? Int)
            let transactionID = try #require(started.json["transactionId"] as? String)
            for token in ["old-phone", "new-phone"] {
                // Listed, and listed again: the inbox does not take what it shows.
                for _ in 0..<2 {
                    let inbox = try await phone.send(.get, "/api/push/inbox/\(token)")
                    let ids = (inbox.json["transactions"] as? [[String: Any]])?.compactMap { $0["transactionId"] as? String }
                    #expect(ids == [transactionID], "\(token)")
                }
            }
            // The older phone answers; the request then leaves both inboxes.
            let answered = try await Self.answer(
                phone,
                oldKey,
                deviceID: oldDevice,
                transactionID: transactionID,
                number: number
            )
            #expect(answered.json["outcome"] as? String == "approved", "\(answered.errorCode ?? "")")
            for token in ["old-phone", "new-phone"] {
                let inbox = try await phone.send(.get, "/api/push/inbox/\(token)")
                #expect((inbox.json["transactions"] as? [Any])?.isEmpty == true)
            }
            let status = try await browser.send(.get, "/api/mfa/push/status")
            #expect(status.json["state"] as? String == "signed_in")
        }
    }

    @Test func pushStartsAreLimitedPerMember() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            _ = try await Self.enrollPhone(browser, token: "phone", phone: Browser(client))
            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            for _ in 0..<Dashboard.pushStartsPerMember.limit {
                #expect(try await browser.send(.post, "/api/mfa/push/start").status == .ok)
            }
            let refused = try await browser.send(.post, "/api/mfa/push/start")
            #expect(refused.status == .tooManyRequests && refused.errorCode == "push_throttled")
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { $0 > 0 } == true)
            // Another session of the member shares the member's count.
            let other = Browser(client)
            try await other.signIn()
            #expect(try await other.send(.post, "/api/mfa/push/start").errorCode == "push_throttled")
        }
    }

    @Test func aTicketDiesWithItsSessionAndAFirstFactorTicketStaysFirst() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let phone = Browser(client)
            // Signed out before the phone scanned it: nothing registers.
            let ticket = try await browser.send(.post, "/api/me/factors/push")
            let query = Self.fields(of: ticket)
            try await browser.send(.delete, "/api/session")
            let late = try await Self.register(phone, query, key: P256.Signing.PrivateKey(), token: "late")
            #expect(late.errorCode == "push_ticket_expired")
            // Asked for as the first factor, then another factor came first: refused.
            try await browser.signIn()
            let second = try await browser.send(.post, "/api/me/factors/push")
            let secondQuery = Self.fields(of: second)
            _ = try await browser.enrollTOTPAndSignInAgain()
            let stale = try await Self.register(phone, secondQuery, key: P256.Signing.PrivateKey(), token: "stale")
            // The session that asked for it was replaced at the new sign-in, or the ticket is no
            // longer the first factor: either way no phone is added.
            #expect(stale.errorCode == "push_ticket_expired" || stale.errorCode == "step_up_required")
            let memberID = try #require(try await harness.dashboard.accounts.tenants().first).id
            let members = try await harness.dashboard.accounts.members(of: memberID)
            #expect(try await harness.dashboard.factors.memberFactors(try #require(members.first).id).kinds == [.otp])
        }
    }

    @Test func aRestrictedSessionIsToldToEnrollOnTheSecondFactorRoutes() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await RequireMFAAPITests.requireMFA(harness, graceDays: 0)
        try await harness.test { client in
            let admin = Browser(client)
            #expect(try await admin.signIn().json["state"] as? String == "enrollment_required")
            for path in ["/api/mfa/webauthn/options", "/api/mfa/push/start", "/api/mfa/sms/send"] {
                let reply = try await admin.send(.post, path)
                #expect(reply.status == .forbidden && reply.errorCode == "mfa_enrollment_required", "\(path)")
            }
            let status = try await admin.send(.get, "/api/mfa/push/status")
            #expect(status.errorCode == "mfa_enrollment_required")
        }
    }
}
