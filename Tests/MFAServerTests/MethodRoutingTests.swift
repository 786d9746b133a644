import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import Testing

/// HEAD answers like GET without a body; a method a known path does not take is a 405 with
/// `Allow`; unknown paths stay 404 (issue 13, 2.9: HEAD answered 404, other methods too).
struct MethodRoutingTests {
    @Test(arguments: ["/signin", "/api/csrf", "/assets/app.js", "/"]) func headAnswersLikeGetWithoutABody(_ path: String)
        async throws
    {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let get = try await client.raw(.get, path)
            let head = try await client.raw(.head, path)
            #expect(head.status == get.status)
            #expect(head.status != .notFound)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(head.body.isEmpty)
        }
    }

    @Test func anUnknownMethodOnAKnownPathIs405WithAllow() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let signIn = try await client.raw(.patch, "/signin")
            #expect(signIn.status == .methodNotAllowed)
            #expect(signIn.headers[.allow] == "GET, HEAD, POST")
            #expect(signIn.headers[.contentSecurityPolicy] != nil)
            let csrf = try await client.raw(.delete, "/api/csrf")
            #expect(csrf.status == .methodNotAllowed)
            #expect(csrf.headers[.allow] == "GET, HEAD")
            #expect(csrf.body.contains("method_not_allowed"))
            let unlock = try await client.raw(.get, "/api/tenant/members/someone/unlock")
            #expect(unlock.status == .methodNotAllowed)
            #expect(unlock.headers[.allow] == "POST")
            #expect(try await client.raw(.init("BREW")!, "/signin").status == .methodNotAllowed)
            #expect(try await client.raw(.get, "/no/such/page").status == .notFound)
            #expect(try await client.raw(.patch, "/no/such/page").status == .notFound)
        }
    }

    /// The table the gate answers 405s from is the router's own.
    @Test func theRouteTableListsTheRouterRoutes() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let table = MFAServerApp.router(dashboard: harness.dashboard, configuration: harness.configuration).routes
        #expect(table.methods(at: ["signin"]).contains(.head))
        #expect(table.methods(at: ["api", "tenant", "members"]).contains(.post))
        #expect(table.methods(at: ["api", "nothing"]).isEmpty)
    }
}
