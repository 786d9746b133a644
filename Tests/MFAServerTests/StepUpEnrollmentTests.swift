import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import OTP
import Testing

/// Adding a factor when the member already has one is a sensitive change (round-2 report,
/// item 2): a session past its step-up window could otherwise enroll an authenticator of its
/// own, step up with it and remove the member's factor. A member's first factor needs none.
struct StepUpEnrollmentTests {
    @Test func addingASecondFactorNeedsAFreshStepUp() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            // The first factor: no step-up asked.
            let (_, nextCode, _) = try await admin.enrollTOTPAndSignInAgain()
            let signedIn = try await admin.send(.post, "/api/mfa/totp/verify", json: ["code": nextCode])
            #expect(signedIn.json["state"] as? String == "signed_in")

            // Fresh from the second factor: a second authenticator app may be started.
            let started = try await admin.send(.post, "/api/me/factors/totp")
            #expect(started.status == .ok || started.status == .created)
            let secret = try Base32.decode(started.json["secret"] as? String ?? "")
            let pending = try TOTP(secret: secret)

            try await StepUpAPITests.age(harness, admin)
            let starts: [String: Browser.Reply] = [
                "totp": try await admin.send(.post, "/api/me/factors/totp"),
                "sms": try await admin.send(.post, "/api/me/factors/sms", json: ["phone": "+14155550123"]),
                "webauthn": try await admin.send(
                    .post,
                    "/api/me/factors/webauthn/options",
                    json: ["attachment": "cross-platform"]
                ),
                "push": try await admin.send(.post, "/api/me/factors/push"),
                "totp confirm": try await admin.send(
                    .post,
                    "/api/me/factors/totp/confirm",
                    json: ["code": pending.code(at: Date())]
                ),
                "sms confirm": try await admin.send(.post, "/api/me/factors/sms/confirm", json: ["code": "123456"]),
            ]
            for (name, reply) in starts {
                #expect(reply.status == .forbidden && reply.errorCode == "step_up_required", "\(name)")
            }
            // The app begun before the window closed was not added.
            let factors = (try await admin.send(.get, "/api/me/factors")).json["factors"] as? [[String: Any]]
            #expect(factors?.filter { $0["kind"] as? String == "otp" }.count == 1)

            // The page's form answers with the "confirm it's you" page, and the script's target
            // shows it too.
            let csrf = try #require(admin.csrf)
            let cookie = try #require(admin.cookie)
            let page = try await PageForm.post(client, "/profile/totp", cookie: cookie, ["csrf": csrf])
            #expect(page.status == .forbidden && page.body.contains("id=\"step-up-required\""))
            let script = try await PageForm.get(client, "/profile/step-up", cookie: cookie)
            #expect(script.status == .ok && script.body.contains("id=\"step-up-required\""))
        }
    }
}
