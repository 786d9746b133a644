import Foundation
import HTTPTypes
import MFAServer
import MFAStoreTestSupport
import Testing

/// `GET /api/csrf`, `POST|DELETE /api/session`: CSRF, cookies, rotation, no enumeration, limits.
struct SessionAPITests {
    @Test func signInNeedsTheCSRFTokenAndRotatesTheSession() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            // Without a token: 403, whatever the password.
            let refused = try await browser.send(
                .post,
                "/api/session",
                json: ["email": ServerHarness.adminEmail, "password": ServerHarness.adminPassword]
            )
            #expect(refused.status == .forbidden && refused.errorCode == "csrf_token_invalid")

            let csrf = try await browser.send(.get, "/api/csrf")
            #expect(csrf.status == .ok)
            let setCookie = try #require(csrf.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Secure"))  // plain-HTTP localhost only
            let anonymous = browser.cookie

            // A wrong token is refused too.
            let token = browser.csrf
            browser.csrf = "forged"
            #expect(try await browser.signIn().status == .forbidden)
            browser.csrf = token

            let signedIn = try await browser.signIn()
            #expect(signedIn.status == .ok)
            #expect(signedIn.json["state"] as? String == "signed_in")
            #expect(browser.cookie != nil && browser.cookie != anonymous)
            #expect(signedIn.json["csrfToken"] as? String != token)
            #expect(try await browser.send(.get, "/api/me/factors").status == .ok)

            // The old anonymous cookie is dead.
            let stale = Browser(client)
            stale.cookie = anonymous
            #expect(try await stale.send(.get, "/api/me/factors").errorCode == "not_signed_in")

            // Sign out ends it.
            #expect(try await browser.send(.delete, "/api/session").status == .noContent)
            #expect(browser.cookie == nil)
            #expect(try await browser.send(.get, "/api/me/factors").status == .unauthorized)
        }
    }

    @Test func wrongPasswordsAndUnknownAccountsLookTheSame() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            let wrong = try await browser.signIn(ServerHarness.adminEmail, "not the password")
            let unknown = try await browser.signIn("nobody@example.com", "not the password")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.body == unknown.body)
            #expect(wrong.errorCode == "invalid_credentials")
        }
    }

    @Test func failedSignInsAreLimitedPerAccount() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            for _ in 0..<10 { #expect(try await browser.signIn(ServerHarness.adminEmail, "wrong").status == .unauthorized) }
            // Now even the right password waits, and the answer says how long.
            let limited = try await browser.signIn()
            #expect(limited.status == .tooManyRequests && limited.errorCode == "too_many_attempts")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Unknown accounts are limited the same way (no enumeration by the limit either).
            for _ in 0..<10 { _ = try await browser.signIn("ghost@example.com", "wrong") }
            #expect(try await browser.signIn("ghost@example.com", "wrong").status == .tooManyRequests)
        }
    }

    @Test func bodiesAboveTheLimitAreRefused() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.start()
            let huge = Data(repeating: 0x20, count: 100 * 1_024)
            let reply = try await browser.send(.post, "/api/session", body: huge)
            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "body_too_large")
            let junk = try await browser.send(.post, "/api/session", body: Data("{not json".utf8))
            #expect(junk.status == .badRequest && junk.errorCode == "bad_request")
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            for reply in [try await browser.send(.get, "/api/csrf"), try await browser.send(.get, "/api/nothing-here")] {
                let policy = try #require(reply.headers[.contentSecurityPolicy])
                #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(reply.headers[.xContentTypeOptions] == "nosniff")
                #expect(reply.headers[.cacheControl] == "no-store")
            }
            #expect(try await browser.send(.get, "/api/nothing-here").errorCode == "not_found")
        }
    }
}
