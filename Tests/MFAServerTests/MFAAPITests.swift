import Crypto
import Foundation
import HTTPTypes
import MFAServer
import MFAStoreTestSupport
import OTP
import Push
import SMS
import SoftwareWebAuthn
import Testing
import WebAuthn

/// Enrolling each factor through the API and signing in with it, on SQLite and PostgreSQL.
struct MFAAPITests {
    /// Enrolls `key` for the signed-in browser; returns the `Enrolled` body.
    static func enroll(_ key: SoftwareSecurityKey, _ browser: Browser, attachment: String = "cross-platform") async throws
        -> Browser.Reply
    {
        let options = try await browser.send(.post, "/api/me/factors/webauthn/options", json: ["attachment": attachment])
        try #require(options.status == .ok, "\(String(decoding: options.body, as: UTF8.self))")
        let creation = try options.decode(PublicKeyCredentialCreationOptionsJSON.self)
        return try await browser.send(
            .post,
            "/api/me/factors/webauthn/verify",
            encoding: try key.register(creation, origin: ServerHarness.origin)
        )
    }

    /// Passes the WebAuthn second factor with `key`.
    static func passWebAuthn(_ key: SoftwareSecurityKey, _ browser: Browser) async throws -> Browser.Reply {
        let options = try await browser.send(.post, "/api/mfa/webauthn/options")
        try #require(options.status == .ok, "\(String(decoding: options.body, as: UTF8.self))")
        let request = try options.decode(PublicKeyCredentialRequestOptionsJSON.self)
        return try await browser.send(
            .post,
            "/api/mfa/webauthn/verify",
            encoding: try key.authenticate(request, origin: ServerHarness.origin)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func aSecurityKeySignsIn(_ storeKind: StoreKind) async throws {
        let harness = try await ServerHarness.make(storeKind)
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let key = SoftwareSecurityKey()
            let enrolled = try await Self.enroll(key, browser)
            #expect(enrolled.status == .created)
            let factor = try #require(enrolled.json["factor"] as? [String: Any])
            #expect(factor["kind"] as? String == "webauthn-roaming")
            // The first factor brings the recovery code, once.
            #expect((enrolled.json["recoveryCode"] as? String)?.count ?? 0 >= 24)
            #expect(try await Self.enroll(SoftwareSecurityKey(), browser).json["recoveryCode"] == nil)

            // A new sign-in now needs the key.
            try await browser.send(.delete, "/api/session")
            let next = Browser(client)
            let password = try await next.signIn()
            #expect(password.json["state"] as? String == "mfa_required")
            #expect(Set(password.json["factors"] as? [String] ?? []) == ["webauthn-roaming", "recovery-code"])
            #expect(try await next.send(.get, "/api/me/factors").errorCode == "not_signed_in")
            let cookieBefore = next.cookie
            let passed = try await Self.passWebAuthn(key, next)
            #expect(passed.status == .ok && passed.json["state"] as? String == "signed_in")
            #expect(next.cookie != cookieBefore)
            #expect(try await next.send(.get, "/api/me/factors").status == .ok)
        }
    }

    @Test func aWrongSignatureFailsWithTheVerifiersCode() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let key = SoftwareSecurityKey()
            _ = try await Self.enroll(key, browser)
            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            let options = try await browser.send(.post, "/api/mfa/webauthn/options")
            var response = try key.authenticate(
                try options.decode(PublicKeyCredentialRequestOptionsJSON.self),
                origin: "https://evil.example"
            )
            response.response.signature.bytes[4] ^= 1
            let refused = try await browser.send(.post, "/api/mfa/webauthn/verify", encoding: response)
            #expect(refused.status == .badRequest && refused.errorCode == "origin_mismatch")
            // The challenge is spent: the same ceremony cannot be retried.
            let again = try await browser.send(.post, "/api/mfa/webauthn/verify", encoding: response)
            #expect(again.errorCode == "ceremony_used")
        }
    }

    @Test func biometricsNeedAnotherFactorFirst() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let refused = try await browser.send(.post, "/api/me/factors/webauthn/options", json: ["attachment": "platform"])
            #expect(refused.status == .conflict && refused.errorCode == "platform_authenticator_needs_another_factor")
            _ = try await Self.enroll(SoftwareSecurityKey(), browser)
            let accepted = try await Self.enroll(SoftwareSecurityKey(verifiesUser: true), browser, attachment: "platform")
            #expect(accepted.status == .created)
            #expect((accepted.json["factor"] as? [String: Any])?["kind"] as? String == "webauthn-platform")
            // Biometrics that do not verify the user are refused.
            let lazy = try await Self.enroll(SoftwareSecurityKey(), browser, attachment: "platform")
            #expect(lazy.errorCode == "user_verification_missing")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAuthenticatorAppEnrollsAndSignsInOncePerStep(_ storeKind: StoreKind) async throws {
        let harness = try await ServerHarness.make(storeKind)
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let started = try await browser.send(.post, "/api/me/factors/totp")
            let secret = try Base32.decode(started.json["secret"] as? String ?? "")
            #expect((started.json["qrSvg"] as? String)?.hasPrefix("<svg") == true)
            #expect((started.json["uri"] as? String)?.hasPrefix("otpauth://totp/") == true)
            let totp = try TOTP(secret: secret)
            #expect(try await browser.send(.post, "/api/me/factors/totp/confirm", json: ["code": "000000x"]).errorCode == "code_rejected")
            let codes = totp.enrollmentAndNextCodes()
            let confirmed = try await browser.send(.post, "/api/me/factors/totp/confirm", json: ["code": codes.enrollment])
            #expect(confirmed.status == .created, "\(confirmed.errorCode ?? "")")

            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            // The enrollment's step is used up.
            let again = try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": codes.enrollment])
            #expect(again.status == .unauthorized && again.errorCode == "code_rejected")
            let passed = try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": codes.next])
            #expect(passed.json["state"] as? String == "signed_in", "\(passed.errorCode ?? "")")
            // The same code cannot sign in again.
            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            let replay = try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": codes.next])
            #expect(replay.status == .unauthorized && replay.errorCode == "code_rejected")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func smsCodesEnrollAndSignIn(_ storeKind: StoreKind) async throws {
        // An hour between codes: a busy machine may take longer than the usual 30 s over this test.
        let harness = try await ServerHarness.make(storeKind, smsThrottle: SMSThrottle(minimumInterval: 3_600))
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            #expect(try await browser.send(.post, "/api/me/factors/sms", json: ["phone": "07700 900123"]).errorCode == "invalid_phone_number")
            let started = try await browser.send(.post, "/api/me/factors/sms", json: ["phone": "+44 7700 900123"])
            #expect(started.status == .ok && (started.json["maskedPhone"] as? String)?.hasSuffix("23") == true)
            let enrollCode = try #require(try harness.smsCodes().last)
            #expect(try await browser.send(.post, "/api/me/factors/sms/confirm", json: ["code": enrollCode]).status == .created)

            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            // Resend limit: the enrollment code went out less than an hour ago.
            let throttled = try await browser.send(.post, "/api/mfa/sms/send")
            #expect(throttled.status == .tooManyRequests && throttled.errorCode == "sms_throttled")
            #expect((3_000...3_600).contains(Int(throttled.headers[.retryAfter] ?? "") ?? 0))
        }
    }

    @Test func anSMSCodeSignsInOnce() async throws {
        let harness = try await ServerHarness.make(smsThrottle: SMSThrottle(minimumInterval: 0, dailyLimit: 10))
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            _ = try await browser.send(.post, "/api/me/factors/sms", json: ["phone": "+44 7700 900123"])
            _ = try await browser.send(.post, "/api/me/factors/sms/confirm", json: ["code": try harness.smsCodes().last ?? ""])
            try await browser.send(.delete, "/api/session")
            let password = try await browser.signIn()
            #expect(password.json["factors"] as? [String] == ["sms", "recovery-code"])
            // Verifying before sending: nothing is pending.
            #expect(try await browser.send(.post, "/api/mfa/sms/verify", json: ["code": "123456"]).errorCode == "mfa_not_pending")
            let sent = try await browser.send(.post, "/api/mfa/sms/send")
            #expect(sent.status == .ok && (sent.json["maskedPhone"] as? String)?.contains("7700") == false)
            let code = try #require(try harness.smsCodes().last)
            let wrong = code == "000000" ? "111111" : "000000"
            let refused = try await browser.send(.post, "/api/mfa/sms/verify", json: ["code": wrong])
            #expect(refused.status == .unauthorized && refused.errorCode == "code_rejected")
            #expect(try await browser.send(.post, "/api/mfa/sms/verify", json: ["code": code]).json["state"] as? String == "signed_in")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func pushApprovalWithTheNumberSignsIn(_ storeKind: StoreKind) async throws {
        let harness = try await ServerHarness.make(storeKind)
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let ticket = try await browser.send(.post, "/api/me/factors/push")
            let uri = try #require(URLComponents(string: ticket.json["uri"] as? String ?? ""))
            let query = Dictionary(uniqueKeysWithValues: (uri.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(query["server"] == ServerHarness.origin)
            // The phone registers (no cookie, no CSRF: ticket and keys authenticate it).
            let phoneKey = P256.Signing.PrivateKey()
            let phone = Browser(client)
            let registered = try await phone.send(
                .post,
                "/api/push/devices",
                json: [
                    "ticket": query["ticket"] ?? "", "secret": query["secret"] ?? "",
                    "publicKey": Base64URL.encode(phoneKey.publicKey.x963Representation), "pushToken": "phone-1",
                    "name": "Test phone",
                ]
            )
            #expect(registered.status == .created)
            let deviceID = try #require(registered.json["deviceId"] as? String)
            // The ticket works once.
            let again = try await phone.send(
                .post,
                "/api/push/devices",
                json: [
                    "ticket": query["ticket"] ?? "", "secret": query["secret"] ?? "",
                    "publicKey": Base64URL.encode(phoneKey.publicKey.x963Representation), "pushToken": "p", "name": "x",
                ]
            )
            #expect(again.errorCode == "push_ticket_used")
            #expect(try await browser.send(.post, "/api/me/recovery-code").status == .ok)

            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            let started = try await browser.send(.post, "/api/mfa/push/start")
            let number = try #require(started.json["number"] as? Int)
            #expect(try await browser.send(.get, "/api/mfa/push/status").json["status"] as? String == "pending")
            let inbox = try await phone.send(.get, "/api/push/inbox/phone-1")
            let waiting = try #require((inbox.json["transactions"] as? [[String: Any]])?.first)
            #expect(waiting["browser"] as? String == "TestBrowser/1.0")
            let transactionID = try #require(waiting["transactionId"] as? String)
            let signature = try phoneKey.signature(
                for: PushTransaction.statement(transactionID: transactionID, approve: true, typedNumber: number)
            )
            let answered = try await phone.send(
                .post,
                "/api/push/transactions/\(transactionID)/answer",
                json: [
                    "deviceId": deviceID, "approve": true, "number": number,
                    "signature": Base64URL.encode(signature.derRepresentation),
                ]
            )
            #expect(answered.json["outcome"] as? String == "approved")
            let status = try await browser.send(.get, "/api/mfa/push/status")
            #expect(status.json["status"] as? String == "approved" && status.json["state"] as? String == "signed_in")
            #expect(try await browser.send(.get, "/api/me/factors").status == .ok)
        }
    }

    @Test func aRecoveryCodeSignsInOnceAndIsReplaced() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let enrolled = try await Self.enroll(SoftwareSecurityKey(), browser)
            let code = try #require(enrolled.json["recoveryCode"] as? String)
            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            let used = try await browser.send(.post, "/api/mfa/recovery-code", json: ["code": code])
            #expect(used.json["state"] as? String == "signed_in")
            let next = try #require(used.json["newRecoveryCode"] as? String)
            #expect(next != code)
            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            #expect(try await browser.send(.post, "/api/mfa/recovery-code", json: ["code": code]).errorCode == "code_rejected")
            #expect(try await browser.send(.post, "/api/mfa/recovery-code", json: ["code": next]).json["state"] as? String == "signed_in")
        }
    }
}

/// A WebAuthn sign-in ceremony belongs to the browser session that asked for it.
struct CeremonyBindingTests {
    @Test func aCeremonyCannotBeFinishedFromAnotherSession() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let setup = Browser(client)
            try await setup.signIn()
            let key = SoftwareSecurityKey()
            _ = try await MFAAPITests.enroll(key, setup)
            let first = Browser(client)
            let second = Browser(client)
            try await first.signIn()
            try await second.signIn()
            let options = try await first.send(.post, "/api/mfa/webauthn/options")
            let answer = try key.authenticate(
                try options.decode(PublicKeyCredentialRequestOptionsJSON.self),
                origin: ServerHarness.origin
            )
            let stolen = try await second.send(.post, "/api/mfa/webauthn/verify", encoding: answer)
            #expect(stolen.errorCode == "ceremony_not_found")
            #expect(try await second.send(.get, "/api/me/factors").status == .unauthorized)
            #expect(try await first.send(.post, "/api/mfa/webauthn/verify", encoding: answer).json["state"] as? String == "signed_in")
        }
    }
}
