import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import Testing

/// Every state-changing route (read from the router, so a new one is covered the day it is
/// added), under every other spelling of its path and without the CSRF token, is refused,
/// never 2xx (issue 13, 2.2: `POST //api/tenant/members` with an admin's cookie made an admin).
struct CSRFPathTests {
    /// A concrete path of a route pattern: each `{parameter}` becomes `x1`.
    static func concrete(_ path: RouterPath) -> String {
        "/" + path.components.map { $0.description.hasPrefix("{") ? "x1" : $0.description }.joined(separator: "/")
    }

    /// Other spellings of `path`, each of which once reached (or could reach) the same handler.
    static func spellings(_ path: String) -> [String] {
        let rest = path.dropFirst()
        let segments = rest.split(separator: "/")
        guard let first = segments.first else { return [] }
        let tail = segments.dropFirst().joined(separator: "/")
        var spellings = [
            "/" + path, "/" + first + "//" + tail, "/./" + rest, "/" + first + "/x/../" + tail, path + "/",
            path + "//", path.uppercased(), "/" + first + "%2F" + tail, "/" + first + "%2f" + tail,
            "/%2e/" + rest, "/" + first + "/%2E%2E/" + rest, "/" + first + "/./" + tail, path + "/.",
        ]
        if tail.isEmpty { spellings.removeAll { $0.hasSuffix("/") && $0.hasPrefix("/" + first + "/") } }
        return spellings
    }

    static let stateChanging: [HTTPRequest.Method] = [.post, .put, .patch, .delete]

    func stateChangingRoutes(_ harness: ServerHarness) -> [RouteTable.Route] {
        MFAServerApp.router(dashboard: harness.dashboard, configuration: harness.configuration).routes.routes.filter {
            Self.stateChanging.contains($0.method)
        }
    }

    @Test func everySpellingOfEveryStateChangingRouteIsRefusedWithoutTheToken() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        let routes = self.stateChangingRoutes(harness)
        #expect(routes.count >= 30)
        #expect(routes.contains { $0.method == .post && Self.concrete($0.path) == "/api/tenant/members" })
        #expect(routes.contains { $0.method == .put && Self.concrete($0.path) == "/api/tenant/settings" })
        let membersBefore = try await harness.dashboard.accounts.members(of: try await harness.tenantID()).count
        try await harness.test { client in
            let browser = Browser(client)
            #expect(try await browser.signIn().status == .ok)
            var tried = 0
            for route in routes {
                let canonical = Self.concrete(route.path)
                for spelling in Self.spellings(canonical) {
                    for contentType in ["text/plain", "application/json", "application/x-www-form-urlencoded"] {
                        let reply = try await client.raw(
                            route.method,
                            spelling,
                            headers: .session(browser.cookie, [.contentType: contentType]),
                            body: #"{"email":"evil@example.com","password":"evil password 1","role":"admin","requireMfa":false}"#
                        )
                        tried += 1
                        #expect(
                            [.badRequest, .forbidden, .notFound, .methodNotAllowed, .unsupportedMediaType].contains(
                                reply.status
                            ),
                            "\(route.method) \(spelling) [\(contentType)] → \(reply.status)"
                        )
                    }
                }
            }
            #expect(tried > 1_000)
            // The canonical path without the token: 403 for the cookie-authenticated API.
            for route in routes where route.path.components.first?.description == "api" {
                let path = Self.concrete(route.path)
                guard !path.hasPrefix("/api/push/devices"), !path.hasPrefix("/api/push/transactions") else { continue }
                let reply = try await client.raw(
                    route.method,
                    path,
                    headers: .session(browser.cookie, [.contentType: "application/json"]),
                    body: "{}"
                )
                #expect(reply.status == .forbidden, "\(route.method) \(path) → \(reply.status)")
            }
        }
        let membersAfter = try await harness.dashboard.accounts.members(of: try await harness.tenantID()).count
        #expect(membersAfter == membersBefore)
    }

    @Test func theAPITakesOnlyJSONBodiesEvenWithTheToken() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let body = #"{"email":"new@example.com","password":"a fine password","role":"admin"}"#
            for contentType: String? in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", nil] {
                var headers: HTTPFields = .session(browser.cookie, [.init("X-CSRF-Token")!: browser.csrf ?? ""])
                if let contentType { headers[.contentType] = contentType }
                let reply = try await client.raw(.post, "/api/tenant/members", headers: headers, body: body)
                #expect(reply.status == .unsupportedMediaType, "\(contentType ?? "none") → \(reply.status)")
            }
        }
    }

    @Test func nonCanonicalPathsAreRedirectedForReadsAndRefusedForWrites() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let moved = try await client.raw(.get, "//signin/?next=1")
            #expect(moved.status == .permanentRedirect)
            #expect(moved.headers[.location] == "/signin?next=1")
            #expect(try await client.raw(.get, "/./signin").status == .badRequest)
            #expect(try await client.raw(.get, "//nowhere").status == .notFound)
            #expect(try await client.raw(.post, "//api/session", body: "{}").status == .badRequest)
        }
    }
}

extension ServerHarness {
    /// The demo tenant's id.
    func tenantID() async throws -> String {
        try #require(try await self.dashboard.accounts.tenants().first).id
    }
}
