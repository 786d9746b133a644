import Foundation
import HTTPTypes
import MFAPolicy
import MFAServer
import SoftwareWebAuthn
import Testing

/// `/api/tenant/…`: members with the MFA indicator, settings under the policy, one tenant only.
struct TenantAPITests {
    @Test func theMemberListShowsWhoHasMFA() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let created = try await admin.send(
                .post,
                "/api/tenant/members",
                json: ["email": "Carol@Example.com", "displayName": "Carol", "password": "carol's password"]
            )
            #expect(created.status == .created && created.json["email"] as? String == "carol@example.com")
            #expect(
                try await admin.send(.post, "/api/tenant/members", json: ["email": "carol@example.com", "password": "another one"]).errorCode == "email_taken"
            )
            #expect(try await admin.send(.post, "/api/tenant/members", json: ["email": "nope", "password": "long enough"]).errorCode == "invalid_email")
            #expect(try await admin.send(.post, "/api/tenant/members", json: ["email": "d@example.com", "password": "short"]).errorCode == "weak_password")

            func indicator(_ email: String) async throws -> (Bool?, [String]) {
                let members = try await admin.send(.get, "/api/tenant/members").json["members"] as? [[String: Any]] ?? []
                let member = members.first { $0["email"] as? String == email }
                return (member?["mfaEnabled"] as? Bool, member?["factorKinds"] as? [String] ?? [])
            }
            #expect(try await indicator("carol@example.com") == (false, []))
            let carol = Browser(client)
            try await carol.signIn("carol@example.com", "carol's password")
            _ = try await MFAAPITests.enroll(SoftwareSecurityKey(), carol)
            #expect(try await indicator("carol@example.com") == (true, ["webauthn-roaming"]))
        }
    }

    @Test func settingsAreValidatedByThePolicy() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let current = try await admin.send(.get, "/api/tenant/settings")
            #expect(current.json["plan"] as? String == "paid")
            let none = try await admin.send(.put, "/api/tenant/settings", json: ["enabledFactors": [], "plan": "paid", "requireMfa": true])
            #expect(none.status == .conflict && none.errorCode == "no_factor_enabled")
            let smsFree = try await admin.send(.put, "/api/tenant/settings", json: ["enabledFactors": ["sms"], "plan": "free", "requireMfa": false])
            #expect(smsFree.errorCode == "sms_needs_paid_plan")
            let unknown = try await admin.send(.put, "/api/tenant/settings", json: ["enabledFactors": ["carrier-pigeon"], "plan": "free", "requireMfa": false])
            #expect(unknown.status == .badRequest)
            let saved = try await admin.send(
                .put,
                "/api/tenant/settings",
                json: ["enabledFactors": ["otp", "webauthn-roaming"], "plan": "free", "requireMfa": true]
            )
            #expect(saved.status == .ok && saved.json["requireMfa"] as? Bool == true)
            // SMS is now refused to members, and the last factor cannot be removed.
            #expect(try await admin.send(.post, "/api/me/factors/sms", json: ["phone": "+447700900123"]).errorCode == "factor_not_enabled")
            let key = try await MFAAPITests.enroll(SoftwareSecurityKey(), admin)
            let id = try #require((key.json["factor"] as? [String: Any])?["id"] as? String)
            #expect(try await admin.send(.delete, "/api/me/factors/\(id)").errorCode == "last_factor_mfa_required")
        }
    }

    @Test func anAdminSeesOnlyTheirTenant() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        // A second tenant with its own admin and member.
        let other = try await harness.dashboard.accounts.createTenant(
            name: "Other",
            settings: TenantSettings(enabledFactors: [.otp, .securityKey])
        )
        _ = try await harness.dashboard.accounts.createMember(
            tenantID: other.id,
            email: "eve@other.example",
            displayName: "Eve",
            password: "eve's password",
            role: .admin
        )
        let victim = try await harness.dashboard.accounts.createMember(
            tenantID: other.id,
            email: "frank@other.example",
            displayName: "Frank",
            password: "frank's password",
            role: .member
        )
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let emails = (try await admin.send(.get, "/api/tenant/members").json["members"] as? [[String: Any]] ?? [])
                .compactMap { $0["email"] as? String }
            #expect(emails == [ServerHarness.adminEmail])
            #expect(try await admin.send(.post, "/api/tenant/members/\(victim.id)/unlock").status == .notFound)
            let eve = Browser(client)
            try await eve.signIn("eve@other.example", "eve's password")
            let theirs = (try await eve.send(.get, "/api/tenant/members").json["members"] as? [[String: Any]] ?? [])
                .compactMap { $0["email"] as? String }
            #expect(Set(theirs) == ["eve@other.example", "frank@other.example"])
            #expect(try await eve.send(.get, "/api/tenant/settings").json["plan"] as? String == "free")
            #expect(try await eve.send(.post, "/api/tenant/members/\(victim.id)/unlock").status == .noContent)
        }
    }
}
