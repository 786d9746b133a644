import Crypto
import Foundation
import MFAServer
import Testing
import WebAuthn

/// Round-3 report, item 6b: `POST /api/push/devices` takes only push tokens a phone can be
/// polled by (1 to 512 characters of `A-Z a-z 0-9 - _ :`), phone names under the display-text
/// rule, and at most ``Dashboard/maximumPushDevices`` phones per member.
struct DeviceRegistrationTests {
    /// A fresh ticket for the admin, as the profile page's QR code carries it.
    static func ticket(_ harness: ServerHarness) async throws -> (ticket: String, secret: String) {
        let tenant = try #require(try await harness.dashboard.accounts.tenants().first)
        let admin = try #require(try await harness.dashboard.accounts.members(of: tenant.id).first)
        let issued = try await harness.dashboard.factors.push.issueTicket(for: admin.id)
        let query = URLComponents(string: issued.uri)?.queryItems ?? []
        return (issued.ticketID, query.first { $0.name == "secret" }?.value ?? "")
    }

    static func registration(_ ticket: (ticket: String, secret: String), token: String, name: String = "Phone")
        -> [String: Any]
    {
        [
            "ticket": ticket.ticket, "secret": ticket.secret,
            "publicKey": Base64URL.encode(P256.Signing.PrivateKey().publicKey.x963Representation),
            "pushToken": token, "name": name,
        ]
    }

    @Test func pushTokensAndNamesAreCheckedAndPhonesCapped() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let phone = Browser(client)
            let ticket = try await Self.ticket(harness)
            for token in [
                "", String(repeating: "a", count: 513), String(repeating: "a", count: 10_000), "a/b", "a b", "..", "a%2Fb",
                "tok\u{E9}n", "a?b", "a#b", "a.b", "a\u{0}b",
            ] {
                let reply = try await phone.send(.post, "/api/push/devices", json: Self.registration(ticket, token: token))
                #expect(reply.status == .badRequest && reply.errorCode == "invalid_push_token", "\(token.prefix(20))")
            }
            for name in ["Ph\u{34F}one", "\u{3164}", "\u{2800}"] {
                let reply = try await phone.send(
                    .post,
                    "/api/push/devices",
                    json: Self.registration(ticket, token: "phone-x", name: name)
                )
                #expect(reply.errorCode == "invalid_text", "\(name.unicodeScalars.map(\.value))")
            }
            // The refusals left the ticket usable; the longest token is taken and can be polled.
            let longest = "local-" + String(repeating: "A", count: 500) + ":_-z"
            let first = try await phone.send(.post, "/api/push/devices", json: Self.registration(ticket, token: longest))
            #expect(first.status == .created, "\(first.errorCode ?? "")")
            #expect(try await phone.send(.get, "/api/push/inbox/\(longest)").status == .ok)
            for index in 2...Dashboard.maximumPushDevices {
                let reply = try await phone.send(
                    .post,
                    "/api/push/devices",
                    json: Self.registration(try await Self.ticket(harness), token: "phone-\(index)")
                )
                #expect(reply.status == .created, "\(index): \(reply.errorCode ?? "")")
            }
            let spare = try await Self.ticket(harness)
            let over = try await phone.send(.post, "/api/push/devices", json: Self.registration(spare, token: "phone-11"))
            #expect(over.status == .conflict && over.errorCode == "too_many_devices")
            let tenant = try #require(try await harness.dashboard.accounts.tenants().first)
            let admin = try #require(try await harness.dashboard.accounts.members(of: tenant.id).first)
            #expect(try await harness.dashboard.factors.push.devices(of: admin.id).count == Dashboard.maximumPushDevices)
        }
    }
}
