import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MFAServer
import Testing

/// Failed sign-ins and security events are logged, structured (event, member id, client
/// address, reason), and what the client submitted (passwords, codes, tokens) never is
/// (issue 13, 2.9).
struct SecurityLogTests {
    @Test func securityEventsAreLoggedAndSecretsAreNot() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let lines = CapturingLogHandler.Lines()
        let app = Application(
            router: MFAServerApp.router(dashboard: harness.dashboard, configuration: harness.configuration),
            logger: .capturing(lines)
        )
        let wrongPassword = "Tr0ub4dor&3-not-it"
        let memberPassword = "member password 123"
        let submitted = try await app.test(.router) { client -> [String] in
            var secrets: [String] = []
            let browser = Browser(client)
            try await browser.start()
            secrets.append(try #require(browser.csrf))
            secrets.append(try #require(browser.cookie))
            #expect(try await browser.signIn(ServerHarness.adminEmail, wrongPassword).status == .unauthorized)
            #expect(try await browser.send(.post, "/api/session", json: ["email": "x@example.com"], csrf: false).status == .forbidden)
            #expect(try await browser.signIn().status == .ok)
            secrets.append(try #require(browser.cookie))
            let added = try await browser.send(
                .post,
                "/api/tenant/members",
                json: ["email": "member@example.com", "password": memberPassword, "role": "member"]
            )
            #expect(added.status == .created)
            let started = try await browser.send(.post, "/api/me/factors/totp")
            secrets.append(try #require(started.json["secret"] as? String))
            #expect(try await browser.send(.post, "/api/me/factors/totp/confirm", json: ["code": "000000"]).status != .created)
            return secrets
        }
        let secrets = submitted + [wrongPassword, memberPassword, ServerHarness.adminPassword]
        let adminID = try #require(
            try await harness.dashboard.accounts.members(of: try await harness.tenantID()).first {
                $0.email == ServerHarness.adminEmail
            }
        ).id
        let failed = try #require(lines.events("sign_in_failed").first)
        #expect(failed["client_address"] != nil)
        #expect(failed["reason"]?.contains("/api/session") == true)
        #expect(lines.events("csrf_refused").count == 1)
        let admin = try #require(lines.events("admin_action").first)
        #expect(admin["member_id"] == adminID)
        #expect(admin["reason"]?.contains("POST /api/tenant/members") == true)
        #expect(!lines.events("factor_changed").isEmpty)
        #expect(!lines.events("factor_change_refused").isEmpty)
        let text = lines.text
        for secret in secrets { #expect(!text.contains(secret), "a secret reached the log") }
    }

    @Test func pageSignInFailuresAreLoggedWithoutThePassword() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let lines = CapturingLogHandler.Lines()
        let app = Application(
            router: MFAServerApp.router(dashboard: harness.dashboard, configuration: harness.configuration),
            logger: .capturing(lines)
        )
        try await app.test(.router) { client in
            let page = try await client.raw(.get, "/signin")
            let cookie = try #require(page.headers[.setCookie]).dropFirst("fidokit_session=".count).prefix { $0 != ";" }
            let csrf = try #require(page.body.firstMatch(of: /name="csrf" value="([^"]+)"/)).1
            let reply = try await client.raw(
                .post,
                "/signin",
                headers: .session(String(cookie), [.contentType: "application/x-www-form-urlencoded"]),
                body: "csrf=\(csrf)&email=admin%40example.com&password=page-secret-pw"
            )
            #expect(reply.status == .unauthorized)
            let forged = try await client.raw(
                .post,
                "/signin",
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: "email=admin%40example.com&password=page-secret-pw"
            )
            #expect(forged.status == .forbidden)
        }
        #expect(lines.events("sign_in_failed").count >= 1)
        #expect(lines.events("csrf_refused").count == 1)
        #expect(!lines.text.contains("page-secret-pw"))
    }
}
