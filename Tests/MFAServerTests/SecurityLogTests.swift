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

    @Test func aLockoutIsLogged() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let lines = CapturingLogHandler.Lines()
        let app = Application(
            router: MFAServerApp.router(dashboard: harness.dashboard, configuration: harness.configuration),
            logger: .capturing(lines)
        )
        let statuses = try await app.test(.router) { client -> [HTTPResponse.Status] in
            let browser = Browser(client)
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<12 {
                statuses.append(try await browser.signIn(ServerHarness.adminEmail, "wrong password \(attempt)").status)
            }
            return statuses
        }
        #expect(statuses.last == .tooManyRequests)
        let locked = try #require(lines.events("sign_in_locked_out").first)
        #expect(locked["reason"]?.contains("429") == true)
        #expect(!lines.text.contains("wrong password"))
    }

    /// A refusal by a lower layer (an account or SMS error, a body that does not decode) is
    /// logged with the status and code the client gets, not as a 500 (the API fuzzing found
    /// every such refusal logged "→ 500").
    @Test func refusalsAreLoggedWithTheStatusTheClientGets() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let lines = CapturingLogHandler.Lines()
        let app = Application(
            router: MFAServerApp.router(dashboard: harness.dashboard, configuration: harness.configuration),
            logger: .capturing(lines)
        )
        let statuses = try await app.test(.router) { client -> [HTTPResponse.Status] in
            let browser = Browser(client)
            try await browser.start()
            #expect(try await browser.signIn().status == .ok)
            let taken = ["email": ServerHarness.adminEmail, "password": "another password 1", "role": "member"]
            return [
                try await browser.send(.post, "/api/tenant/members", json: taken).status,
                try await browser.send(.post, "/api/me/factors/sms", json: ["phone": "not a number"]).status,
            ]
        }
        #expect(statuses == [.conflict, .badRequest])
        let admin = lines.events("admin_action_refused").compactMap { $0["reason"] }
        #expect(admin.contains { $0.contains("POST /api/tenant/members → 409 email_taken") }, "\(admin)")
        let factor = lines.events("factor_change_refused").compactMap { $0["reason"] }
        #expect(factor.contains { $0.contains("POST /api/me/factors/sms → 400 invalid_phone_number") }, "\(factor)")
        #expect(!lines.text.contains("→ 500"))
    }
}
