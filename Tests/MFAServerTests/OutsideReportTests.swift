import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAFactors
import MFAPolicy
import MFAServer
import MFAStore
import MFAStoreTestSupport
import OTP
import Testing

/// What the outside tester of issue 13 found in `mfa-server` with only the README and the
/// binary, each as a class, in process (the socket- and flag-level ones are in
/// ``RealServerStartupTests``).
struct OutsideReportTests {
    /// Item 4: the first admin is checked before anything is written, and a store left with a
    /// tenant but no admin (by an older version's failed start) gets its admin on the next start.
    @Test func theFirstAdminIsCheckedFirstAndATenantWithoutAdminGetsOne() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let (store, cleanUp) = try await StoreKind.sqlite.make()
        defer { cleanUp() }
        for password in ["short", "        \u{20}", "pass\u{0}word1", "tab\tin the middle"] {
            var configuration = harness.configuration
            configuration.adminPassword = password
            let dashboard = try MFAServerApp.dashboard(configuration, store: store, environment: [:])
            let error = await #expect(throws: MFAServerApp.StartupError.self) {
                try await MFAServerApp.bootstrap(dashboard, configuration: configuration)
            }
            #expect(error?.exitCode == 64)
            #expect(error?.description.contains("weakPassword") == false)
            #expect(error?.description.contains("8 to 1,024 characters") == true)
            #expect(try await dashboard.accounts.tenants().isEmpty)
        }
        // A tenant without an admin (what a failed first start used to leave).
        let dashboard = try MFAServerApp.dashboard(harness.configuration, store: store, environment: [:])
        let orphan = try await dashboard.accounts.createTenant(name: "Demo", settings: TenantSettings(enabledFactors: [.otp], plan: .paid))
        var configuration = harness.configuration
        configuration.adminEmail = "Root@Example.com"
        let message = try #require(try await MFAServerApp.bootstrap(dashboard, configuration: configuration))
        #expect(message.contains("root@example.com"))  // the canonical address, as it signs in
        #expect(!message.contains("Root@Example.com"))
        let members = try await dashboard.accounts.members(of: orphan.id)
        #expect(members.map { $0.role } == [Accounts.Role.admin])
        #expect(try await dashboard.accounts.tenants().count == 1)
        // The next start finds the admin and does nothing.
        #expect(try await MFAServerApp.bootstrap(dashboard, configuration: configuration) == nil)
    }

    /// Item 8: the default origin for an RP id other than localhost is usable (https).
    @Test func theDefaultOriginIsUsable() {
        #expect(ServerConfiguration(port: 9_000).origins == ["http://localhost:9000"])
        let configuration = ServerConfiguration(port: 9_000, relyingPartyID: "example.com")
        #expect(configuration.origins == ["https://example.com"])
        #expect(configuration.secureCookies)
    }

    /// Item 9: passwords that are all whitespace or hold control or format characters are
    /// refused for members (and the first admin, above); the length rule stays.
    @Test func passwordsWithoutCharactersOrWithControlsAreRefused() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            #expect(try await admin.signIn().status == .ok)
            let refused = [
                "        ", "\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}", "pass\u{0}word1",
                "password\n12", "pass\u{2028}word1", "pass\u{7F}word1", "pass\u{85}word1", "short",
            ]
            for (index, password) in refused.enumerated() {
                let reply = try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": "p\(index)@example.com", "password": password]
                )
                #expect(reply.errorCode == "weak_password", "\(password.unicodeScalars.map(\.value))")
            }
            let accepted = try await admin.send(
                .post,
                "/api/tenant/members",
                json: ["email": "ok@example.com", "password": "  spaces inside are fine  "]
            )
            #expect(accepted.status == .created)
            let emoji = try await admin.send(
                .post,
                "/api/tenant/members",
                json: ["email": "emoji@example.com", "password": "family \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} pass"]
            )
            #expect(emoji.status == .created)  // a joiner (format character) is part of an emoji
        }
    }

    /// Item 10: a malformed query string is a 400 on every route, before any handler.
    @Test(arguments: ["/api/csrf?%zz", "/api/csrf?a=%ff", "/api/csrf?a=%00", "/signin?%", "/?=x", "/api/me?%"])
    func malformedQueriesAreRefusedEverywhere(_ uri: String) async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let reply = try await client.raw(.get, uri)
            #expect(reply.status == .badRequest)
            #expect(reply.headers[.setCookie] == nil)
            #expect(try await client.raw(.get, "/api/csrf?v=1&flag").status == .ok)
        }
    }

    /// Item 11: the anonymous session's CSRF token is keyed by a server secret (the key ring):
    /// two servers with different key files give one cookie different tokens, a restart with
    /// the same key file the same one; and a refused sign-in post without a cookie sets none.
    @Test func anonymousCSRFTokensNeedTheServersSecret() async throws {
        let first = try await ServerHarness.make()
        defer { first.cleanUp() }
        let second = try await ServerHarness.make()
        defer { second.cleanUp() }
        let cookie = try await first.test { client in
            let browser = Browser(client)
            try await browser.start()
            return (try #require(browser.cookie), try #require(browser.csrf))
        }
        #expect(cookie.0.hasPrefix("a."))
        let (otherToken, restartedToken) = try await (
            Self.csrf(of: cookie.0, on: second.dashboard),
            Self.csrf(
                of: cookie.0,
                on: try MFAServerApp.dashboard(first.configuration, store: first.store, environment: [:])
            )
        )
        #expect(otherToken != cookie.1)
        #expect(restartedToken == cookie.1)
        try await first.test { client in
            let refused = try await client.raw(
                .post,
                "/signin",
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "email=a%40example.com&password=whatever+it+is"
            )
            #expect(refused.status == .forbidden)
            #expect(refused.headers[values: .setCookie].isEmpty)
            let api = try await client.raw(.post, "/api/session", headers: [.contentType: "application/json"], body: "{}")
            #expect(api.status == .forbidden && api.headers[values: .setCookie].isEmpty)
        }
    }

    static func csrf(of cookie: String, on dashboard: Dashboard) async throws -> String? {
        try await dashboard.sessions.find(token: cookie)?.csrfToken
    }

    /// Item 6: starting authenticator-app enrollments in a loop keeps two pending, each
    /// expiring in ten minutes (then swept); the newest one still confirms.
    @Test func pendingAuthenticatorAppEnrollmentsAreCappedAndExpire() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let secret = try await harness.test { client in
            let admin = Browser(client)
            #expect(try await admin.signIn().status == .ok)
            var last = ""
            for _ in 0..<30 {
                let reply = try await admin.send(.post, "/api/me/factors/totp")
                #expect(reply.status == .ok)
                last = reply.json["secret"] as? String ?? ""
            }
            return last
        }
        let member = try #require(try await harness.dashboard.accounts.members(of: try await harness.tenantID()).first)
        let otp = harness.dashboard.factors.otp
        let pending = try await otp.pendingEnrollments(of: member.id)
        #expect(pending.count == OTPFactorService.pendingPerMember)
        #expect(try await otp.factors(of: member.id).isEmpty)
        for entry in pending {
            #expect(abs(entry.pending.expiresAt.timeIntervalSince(entry.pending.createdAt) - 600) < 1)
        }
        // Expired: refused, then swept.
        let newest = try #require(pending.last)
        let later = newest.pending.expiresAt.addingTimeInterval(1)
        let totp = try TOTP(secret: try Base32.decode(secret))
        #expect(try await otp.confirm(factorID: newest.id, code: totp.code(at: later), at: later) == .rejected)
        let sweeper = RecordSweeper(store: harness.store, grace: 0, logger: .init(label: "test"))
        #expect(try await sweeper.sweep(at: later) >= 2)
        #expect(try await otp.pendingEnrollments(of: member.id).isEmpty)
    }

    /// Item 6: the newest pending enrollment confirms into a factor; a replaced one does not.
    @Test func theNewestPendingEnrollmentConfirms() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let otp = harness.dashboard.factors.otp
        let now = Date()
        let first = try await otp.begin(memberID: "ada", account: "ada@example.com", at: now)
        _ = try await otp.begin(memberID: "ada", account: "ada@example.com", at: now)
        let third = try await otp.begin(memberID: "ada", account: "ada@example.com", at: now)
        let code = { (enrollment: OTPFactorService.Enrollment) in try TOTP(secret: enrollment.uri.secret).code(at: now) }
        await #expect(throws: StoreError.self) { try await otp.confirm(factorID: first.factorID, code: try code(first), at: now) }
        #expect(try await otp.confirm(factorID: third.factorID, code: try code(third), at: now) != .rejected)
        #expect(try await otp.factors(of: "ada").map(\.id) == [third.factorID])
        #expect(try await otp.pendingEnrollments(of: "ada").count == 1)
        // Confirmed once only.
        #expect(try await otp.confirm(factorID: third.factorID, code: try code(third), at: now) == .rejected)
    }

    /// Nits: a session that must enroll a factor opening an admin page goes to its profile;
    /// a registration verify with no registration under way says so.
    @Test func restrictedSessionsAndRegistrationsWithoutOptionsGetTheirOwnAnswers() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let tenantID = try await harness.tenantID()
        var settings = try #require(try await harness.dashboard.accounts.tenant(tenantID)).settings
        settings.requireMFA = true
        _ = try await harness.dashboard.accounts.updateSettings(tenantID: tenantID, to: settings)
        try await harness.test { client in
            let admin = Browser(client)
            let signedIn = try await admin.signIn()
            #expect(signedIn.json["state"] as? String == "enrollment_required")
            let page = try await client.raw(.get, "/tenant/members", headers: .session(admin.cookie))
            #expect(page.status == .seeOther || page.status == .found)
            #expect(page.headers[.location] == "/profile")
            let verify = try await admin.send(
                .post,
                "/api/me/factors/webauthn/verify",
                json: [
                    "id": "AAAA", "rawId": "AAAA", "type": "public-key",
                    "response": ["clientDataJSON": "AAAA", "attestationObject": "AAAA"],
                ]
            )
            #expect(verify.errorCode == "enrollment_not_pending")
            let confirm = try await admin.send(.post, "/api/me/factors/totp/confirm", json: ["code": "123456"])
            #expect(confirm.errorCode == "enrollment_not_pending")
        }
    }
}
