import Foundation
import HTTPTypes
import MFAPolicy
import MFAServer
import OTP
import SoftwareWebAuthn
import Testing

/// "Require MFA" is enforced (issue 13, 2.6): a member with no factor in such a tenant gets a
/// session that can only enroll a factor, read what enrollment needs, and sign out — until the
/// first factor, which upgrades it to a new signed-in session; a grace period set by an admin
/// defers this, and the member sees its end.
struct RequireMFAAPITests {
    /// The value of the first form field `name` in a page.
    static func field(_ name: String, in page: String) -> String? {
        page.range(of: "name=\"\(name)\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) }
    }

    /// Turns "require MFA" on for the demo tenant, with `graceDays`, as its admin.
    static func requireMFA(_ harness: ServerHarness, graceDays: Int) async throws {
        let tenant = try #require(try await harness.dashboard.accounts.tenants().first)
        var settings = tenant.settings
        settings.requireMFA = true
        settings.mfaGracePeriodDays = graceDays
        settings.requireMFASince = Date()
        _ = try await harness.dashboard.accounts.updateSettings(tenantID: tenant.id, to: settings)
    }

    @Test func anAdminWithoutAFactorCanOnlyEnroll() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await Self.requireMFA(harness, graceDays: 0)
        try await harness.test { client in
            let admin = Browser(client)
            let signIn = try await admin.signIn()
            #expect(signIn.status == .ok && signIn.json["state"] as? String == "enrollment_required")
            // Everything but enrollment and sign-out is refused, with a clear code.
            let refused: [Browser.Reply] = [
                try await admin.send(.post, "/api/tenant/members", json: ["email": "eve@example.com", "password": "eve's password", "role": "admin"]),
                try await admin.send(.put, "/api/tenant/settings", json: ["enabledFactors": ["otp"], "plan": "free", "requireMfa": false]),
                try await admin.send(.get, "/api/tenant/settings"),
                try await admin.send(.get, "/api/tenant/members"),
                try await admin.send(.post, "/api/me/recovery-code"),
            ]
            for reply in refused {
                #expect(reply.status == .forbidden && reply.errorCode == "mfa_enrollment_required")
            }
            let tenantID = try #require(try await harness.dashboard.accounts.tenants().first).id
            #expect(try await harness.dashboard.accounts.members(of: tenantID).count == 1)
            // What enrollment needs is readable.
            let factors = try await admin.send(.get, "/api/me/factors")
            #expect(factors.status == .ok && factors.json["enrollmentRequired"] as? Bool == true)
            #expect((factors.json["enrollable"] as? [String] ?? []).contains("otp"))
            // The first factor lifts the restriction: a new session (new cookie and CSRF token).
            let restrictedCookie = admin.cookie
            let enrolled = try await MFAAPITests.enroll(SoftwareSecurityKey(), admin)
            #expect(enrolled.status == .created && enrolled.json["state"] as? String == "signed_in")
            #expect(admin.cookie != nil && admin.cookie != restrictedCookie)
            #expect(try await admin.send(.get, "/api/tenant/settings").status == .ok)
            // The old restricted session is gone.
            let stale = Browser(client)
            stale.cookie = restrictedCookie
            #expect(try await stale.send(.get, "/api/me/factors").errorCode == "not_signed_in")
            // Sign-out works in a restricted session.
            let other = Browser(client)
            let member = try await harness.dashboard.accounts.createMember(
                tenantID: try #require(try await harness.dashboard.accounts.tenants().first).id,
                email: "frank@example.com",
                displayName: "Frank",
                password: "frank's password",
                role: .member
            )
            #expect(member.role == .member)
            #expect(try await other.signIn("frank@example.com", "frank's password").json["state"] as? String == "enrollment_required")
            #expect(try await other.send(.delete, "/api/session").status == .noContent)
        }
    }

    @Test func aRestrictedSessionWhoseMemberEnrolledElsewhereWaitsForThatFactor() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await Self.requireMFA(harness, graceDays: 0)
        try await harness.test { client in
            let first = Browser(client)
            let second = Browser(client)
            #expect(try await first.signIn().json["state"] as? String == "enrollment_required")
            #expect(try await second.signIn().json["state"] as? String == "enrollment_required")
            let key = SoftwareSecurityKey()
            #expect(try await MFAAPITests.enroll(key, first).json["state"] as? String == "signed_in")
            // The other restricted session cannot enroll its own factor and be signed in by it.
            let refused = try await second.send(.post, "/api/me/factors/totp")
            #expect(refused.status == .conflict && refused.errorCode == "mfa_required")
            #expect(try await second.send(.get, "/api/me/factors").errorCode == "not_signed_in")
            // It waits for the factor, as after a password.
            let passed = try await MFAAPITests.passWebAuthn(key, second)
            #expect(passed.json["state"] as? String == "signed_in")
        }
    }

    @Test func aSessionFromBeforeTheRequirementIsHeldToIt() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            #expect(try await admin.signIn().json["state"] as? String == "signed_in")
            let saved = try await admin.send(
                .put,
                "/api/tenant/settings",
                json: ["enabledFactors": ["otp", "webauthn-roaming"], "plan": "free", "requireMfa": true]
            )
            #expect(saved.status == .ok && saved.json["mfaGracePeriodDays"] as? Int == 0)
            // The admin cannot turn it off again without a factor.
            let off = try await admin.send(
                .put,
                "/api/tenant/settings",
                json: ["enabledFactors": ["otp", "webauthn-roaming"], "plan": "free", "requireMfa": false]
            )
            #expect(off.errorCode == "mfa_enrollment_required")
        }
    }

    @Test func aGracePeriodDefersTheRestrictionAndShowsItsEnd() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let saved = try await admin.send(
                .put,
                "/api/tenant/settings",
                json: ["enabledFactors": ["otp", "webauthn-roaming"], "plan": "free", "requireMfa": true, "mfaGracePeriodDays": 7]
            )
            #expect(saved.status == .ok && saved.json["mfaGracePeriodDays"] as? Int == 7)
            #expect(
                try await admin.send(
                    .put,
                    "/api/tenant/settings",
                    json: ["enabledFactors": ["otp"], "plan": "free", "requireMfa": true, "mfaGracePeriodDays": 365]
                ).errorCode == "invalid_grace_period"
            )
            try await admin.send(.delete, "/api/session")
            let signIn = try await admin.signIn()
            #expect(signIn.json["state"] as? String == "signed_in")
            let enrollBy = try #require(signIn.json["enrollBy"] as? String)
            let deadline = try #require(ISO8601DateFormatter().date(from: enrollBy))
            #expect(abs(deadline.timeIntervalSinceNow - 7 * 86_400) < 600)
            #expect(try await admin.send(.get, "/api/tenant/members").status == .ok)
            let factors = try await admin.send(.get, "/api/me/factors")
            #expect(factors.json["enrollBy"] as? String == enrollBy)
            // The profile page says so, with the date.
            let page = try await PageForm.get(client, "/profile", cookie: admin.cookie)
            #expect(page.status == .ok && page.body.contains("id=\"enrollment-required\""))
            #expect(page.body.contains(String(enrollBy.prefix(10))))
        }
    }

    @Test func thePagesOfARestrictedSessionOfferOnlyEnrollment() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await Self.requireMFA(harness, graceDays: 0)
        try await harness.test { client in
            let start = try await PageForm.get(client, "/signin", cookie: nil)
            let setCookie = try #require(start.headers[.setCookie])
            let cookie = String(setCookie.dropFirst("fidokit_session=".count).prefix { $0 != ";" })
            let csrf = try #require(
                start.body.range(of: "name=\"csrf\" value=\"").map { start.body[$0.upperBound...].prefix { $0 != "\"" } }
            )
            let signIn = try await PageForm.post(
                client,
                "/signin",
                cookie: cookie,
                ["csrf": String(csrf), "email": ServerHarness.adminEmail, "password": ServerHarness.adminPassword]
            )
            #expect(signIn.status == .seeOther && signIn.headers[.location] == "/profile")
            let newCookie = try #require(signIn.headers[.setCookie])
            let restricted = String(newCookie.dropFirst("fidokit_session=".count).prefix { $0 != ";" })
            let profile = try await PageForm.get(client, "/profile", cookie: restricted)
            #expect(profile.status == .ok)
            #expect(profile.body.contains("id=\"enrollment-required\"") && profile.body.contains("requires multi-factor"))
            #expect(profile.body.contains("id=\"enroll-totp\"") && profile.body.contains("action=\"/signout\""))
            #expect(!profile.body.contains("href=\"/tenant/members\""))
            let members = try await PageForm.get(client, "/tenant/members", cookie: restricted)
            #expect(members.status != .ok)
            // Enrolling an authenticator app on the pages lifts the restriction: a new cookie.
            let pageCSRF = try #require(Self.field("csrf", in: profile.body))
            let setup = try await PageForm.post(client, "/profile/totp", cookie: restricted, ["csrf": pageCSRF])
            #expect(setup.status == .ok)
            let secret = try #require(
                setup.body.range(of: "id=\"totp-secret\">").map { setup.body[$0.upperBound...].prefix { $0 != "<" } }
            )
            let totp = try TOTP(secret: try Base32.decode(String(secret)))
            let confirmed = try await PageForm.post(
                client,
                "/profile/totp/confirm",
                cookie: restricted,
                ["csrf": pageCSRF, "code": totp.enrollmentAndNextCodes().enrollment]
            )
            #expect(confirmed.status == .ok && confirmed.body.contains("Authenticator app added"))
            #expect(!confirmed.body.contains("id=\"enrollment-required\""))
            let upgraded = try #require(confirmed.headers[.setCookie])
            let signedIn = String(upgraded.dropFirst("fidokit_session=".count).prefix { $0 != ";" })
            #expect(signedIn != restricted)
            #expect(try await PageForm.get(client, "/tenant/members", cookie: signedIn).status == .ok)
            #expect(try await PageForm.get(client, "/profile", cookie: restricted).status == .seeOther)
        }
    }
}
