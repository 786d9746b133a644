import Foundation
import HTTPTypes
import MFAServer
import SoftwareWebAuthn
import Testing

/// `/api/me/…`: the member's own factors only; warnings; removal under the tenant's policy.
struct ProfileAPITests {
    @Test func factorsWarningsAndRemoval() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let empty = try await browser.send(.get, "/api/me/factors")
            #expect(empty.json["mfaEnabled"] as? Bool == false)
            #expect((empty.json["enrollable"] as? [String])?.contains("webauthn-platform") == false)

            let enrolled = try await MFAAPITests.enroll(SoftwareSecurityKey(), browser)
            let id = try #require((enrolled.json["factor"] as? [String: Any])?["id"] as? String)
            let one = try await browser.send(.get, "/api/me/factors")
            #expect(one.json["mfaEnabled"] as? Bool == true && one.json["hasRecoveryCode"] as? Bool == true)
            #expect((one.json["enrollable"] as? [String])?.contains("webauthn-platform") == true)
            // One factor and a recovery code: the advice to add a backup, not the lock-out warning.
            let warnings = (one.json["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(!warnings.contains("may_lose_access"))

            // A regenerated code replaces the first.
            let regenerated = try await browser.send(.post, "/api/me/recovery-code")
            #expect((regenerated.json["recoveryCode"] as? String)?.isEmpty == false)
            #expect(regenerated.json["recoveryCode"] as? String != enrolled.json["recoveryCode"] as? String)

            // Removing the only factor turns MFA off (the demo tenant does not require it).
            let removed = try await browser.send(.delete, "/api/me/factors/\(id)")
            #expect(removed.status == .ok && removed.json["mfaEnabled"] as? Bool == false)
            let after = try await browser.send(.get, "/api/me/factors")
            #expect(after.json["mfaEnabled"] as? Bool == false && after.json["hasRecoveryCode"] as? Bool == false)
            #expect(try await browser.send(.delete, "/api/me/factors/\(id)").errorCode == "no_such_enrollment")
            #expect(try await browser.send(.post, "/api/me/recovery-code").errorCode == "no_factor")
        }
    }

    @Test func aMemberCannotTouchAnotherMembersFactors() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let adminKey = try await MFAAPITests.enroll(SoftwareSecurityKey(), admin)
            let adminFactor = try #require((adminKey.json["factor"] as? [String: Any])?["id"] as? String)
            #expect(
                try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": "bob@example.com", "password": "bob's long password", "role": "member"]
                ).status == .created
            )
            let bob = Browser(client)
            #expect(try await bob.signIn("bob@example.com", "bob's long password").json["state"] as? String == "signed_in")
            // Bob cannot see or delete the admin's key (it is not among his factors).
            #expect(try await bob.send(.get, "/api/me/factors").json["factors"] as? [Any] != nil)
            #expect(try await bob.send(.delete, "/api/me/factors/\(adminFactor)").errorCode == "no_such_enrollment")
            #expect((try await admin.send(.get, "/api/me/factors").json["factors"] as? [Any])?.count == 1)
            // Nor reach tenant administration.
            #expect(try await bob.send(.get, "/api/tenant/members").status == .forbidden)
            #expect(
                try await bob.send(.put, "/api/tenant/settings", json: ["enabledFactors": ["otp"], "plan": "free", "requireMfa": false]).status == .forbidden
            )
            // Without a session nothing personal answers.
            let stranger = Browser(client)
            try await stranger.start()
            for path in ["/api/me/factors", "/api/tenant/members", "/api/tenant/settings"] {
                #expect(try await stranger.send(.get, path).status == .unauthorized)
            }
        }
    }
}
