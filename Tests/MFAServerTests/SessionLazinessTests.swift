import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import Testing

/// Visitors cost no stored session until something needs storing, and a refused cross-site
/// sign-in changes no session (issue 13, 2.9).
struct SessionLazinessTests {
    @Test func cookielessPageViewsStoreNoSession() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            for _ in 0..<500 {
                let page = try await client.raw(.get, "/signin")
                #expect(page.status == .ok)
            }
            for _ in 0..<50 {
                let csrf = try await client.raw(.get, "/api/csrf")
                #expect(csrf.status == .ok)
            }
        }
        #expect(try await harness.sessionRecordCount() == 0)
    }

    @Test func anAnonymousCookieKeepsItsCSRFTokenAndSignsIn() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.start()
            let token = browser.csrf
            try await browser.start()
            #expect(browser.csrf == token)  // the same visitor, the same token, no row
            #expect(try await browser.signIn().status == .ok)
        }
        #expect(try await harness.sessionRecordCount() == 0)  // the signed-in one is the admin's
        let members = try await harness.dashboard.accounts.members(of: try await harness.tenantID())
        var stored = 0
        for member in members { stored += try await harness.store.list(kind: "session", owner: member.id).count }
        #expect(stored == 1)
    }

    @Test func aCrossSiteSignInWithoutTheCSRFFieldLeavesTheVictimsSession() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let victim = Browser(client)
            #expect(try await victim.signIn().status == .ok)
            let forged = try await client.raw(
                .post,
                "/signin",
                headers: .session(victim.cookie, [.contentType: "application/x-www-form-urlencoded"]),
                body: "email=attacker%40example.com&password=attacker+password"
            )
            #expect(forged.status == .forbidden)
            #expect(forged.headers[.setCookie] == nil)
            #expect(try await victim.send(.get, "/api/me/factors").status == .ok)
        }
    }
}
