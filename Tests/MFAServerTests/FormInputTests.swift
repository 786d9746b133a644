import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import Testing

/// Malformed forms, cookies and bodies from anyone (no cookie, no CSRF token) are refused
/// with 400 or 413; none stops the server (issue 13, 2.1: `--data-binary '='` killed it).
struct FormInputTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test(arguments: [
        "=", "=x&csrf=1", "&&=&&", "csrf=%", "email=%ff", "email=a%00b", "a%0a=1", "csrf=a&csrf=b",
        Array(repeating: "a=1", count: 300).joined(separator: "&"),
    ])
    func aMalformedSignInFormIsA400AndTheServerLives(_ body: String) async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let page = try await client.raw(.get, "/signin")
            let cookie = page.headers[.setCookie].map { String($0.dropFirst("fidokit_session=".count).prefix { $0 != ";" }) }
            let refused = try await client.raw(.post, "/signin", headers: .session(cookie, Self.form), body: body)
            #expect(refused.status == .badRequest, "\(body.prefix(40)) → \(refused.status)")
            #expect(try await client.raw(.get, "/signin").status == .ok)
        }
    }

    /// Every page that takes a form, fed `=`, answers (400, or a redirect/refusal before the
    /// form is read), never traps or 5xx.
    @Test func everyPageFormSurvivesAnEmptyName() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let routes = MFAServerApp.router(dashboard: harness.dashboard, configuration: harness.configuration).routes
        let posts = routes.routes.filter { $0.method == .post && $0.path.components.first?.description != "api" }
        #expect(posts.count >= 10)
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            for route in posts {
                let path = CSRFPathTests.concrete(route.path)
                let reply = try await client.raw(.post, path, headers: .session(browser.cookie, Self.form), body: "=")
                #expect([.badRequest, .seeOther, .forbidden].contains(reply.status), "\(route) → \(reply.status)")
            }
            #expect(try await client.raw(.get, "/signin").status != .internalServerError)
        }
    }

    /// The settings form has checkbox groups, so it keeps every value of a field; its CSRF
    /// field and its single-valued fields must still come once (a second, different `csrf` was
    /// accepted when only the first was compared).
    @Test(arguments: ["csrf=CSRF&csrf=other", "csrf=CSRF&plan=free&plan=paid", "csrf=CSRF&requireMfa=on&requireMfa=off"])
    func theSettingsFormTakesSingleValuedFieldsOnce(_ template: String) async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let token = try #require(browser.csrf)
            let body = template.replacingOccurrences(of: "CSRF", with: token) + "&factor=otp"
            let reply = try await client.raw(.post, "/tenant/settings", headers: .session(browser.cookie, Self.form), body: body)
            #expect(reply.status == .badRequest, "\(template) → \(reply.status)")
        }
    }

    @Test func aPageFormOver64KiBIs413() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let big = "email=" + String(repeating: "a", count: 70 * 1_024)
            #expect(try await client.raw(.post, "/signin", headers: Self.form, body: big).status == .contentTooLarge)
            let browser = Browser(client)
            try await browser.signIn()
            let settings = try await client.raw(.post, "/tenant/settings", headers: .session(browser.cookie, Self.form), body: big)
            #expect(settings.status == .contentTooLarge)
        }
    }

    @Test func aMalformedCookieHeaderIsA400() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let many = (0...250).map { "c\($0)=1" }.joined(separator: "; ")
            let refused = try await client.raw(.get, "/api/csrf", headers: [.cookie: many])
            #expect(refused.status == .badRequest)
            // Other sites' junk next to ours is tolerated.
            let tolerated = try await client.raw(.get, "/api/csrf", headers: [.cookie: "=; junk; a=\"b\""])
            #expect(tolerated.status == .ok)
        }
    }
}
