import Foundation
import HTTPTypes
import Logging
import MFAFactors
import MFAServer
import MFAStoreTestSupport
import SMS
import Testing

/// SMS pumping through the API (issue 13, 2.4): a member adding number after number gets a few
/// texts, not one per number — the sends are capped per member and per tenant across numbers,
/// under concurrency; unconfirmed numbers are bounded per member and expire, and the sweeper
/// removes them.
struct SMSPumpingAPITests {
    /// The demo tenant's first member (its admin).
    static func firstMember(_ harness: ServerHarness) async throws -> Accounts.Member {
        let tenant = try #require(try await harness.dashboard.accounts.tenants().first)
        return try #require(try await harness.dashboard.accounts.members(of: tenant.id).first)
    }

    @Test(arguments: [StoreKind.sqlite, .postgres])
    func fifteenNumbersAtOnceSendAtMostTheMembersLimit(_ kind: StoreKind) async throws {
        let harness = try await ServerHarness.make(kind)
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let replies = await withTaskGroup(of: Browser.Reply?.self) { group in
                for index in 0..<15 {
                    group.addTask {
                        try? await admin.send(.post, "/api/me/factors/sms", json: ["phone": "+4477009001\(10 + index)"])
                    }
                }
                var replies: [Browser.Reply] = []
                for await reply in group { if let reply { replies.append(reply) } }
                return replies
            }
            #expect(replies.count == 15)
            let sent = replies.filter { $0.status == .ok }
            let refused = replies.filter { $0.status == .tooManyRequests }
            #expect(sent.count == SMSThrottle().memberHourlyLimit)
            #expect(refused.count == 15 - sent.count)
            #expect(refused.allSatisfy { $0.errorCode == "sms_member_limit" && $0.headers[.retryAfter] != nil })
            #expect(try harness.smsCodes().count == sent.count)
            // No unconfirmed number is a factor, and at most a bounded few wait.
            let factors = try await admin.send(.get, "/api/me/factors")
            #expect((factors.json["factors"] as? [Any])?.isEmpty == true)
            let member = try await Self.firstMember(harness)
            #expect(
                try await harness.dashboard.factors.sms.pendingEnrollments(of: member.id).count
                    == SMSThrottle().pendingEnrollmentsPerMember
            )
        }
    }

    @Test func aNewPendingNumberReplacesTheOldestAndPendingOnesAreSwept() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            for index in 0..<3 {
                #expect(try await admin.send(.post, "/api/me/factors/sms", json: ["phone": "+4477009002\(10 + index)"]).status == .ok)
            }
            let member = try await Self.firstMember(harness)
            let pending = try await harness.dashboard.factors.sms.pendingEnrollments(of: member.id)
            #expect(pending.count == SMSThrottle().pendingEnrollmentsPerMember)
            #expect(pending.allSatisfy { $0.pending.phone.e164 != "+447700900210" })  // the oldest went
            // They expire, and the sweeper removes them.
            let sweeper = RecordSweeper(store: harness.store, grace: 600, logger: Logger(label: "test"))
            _ = try await sweeper.sweep(at: Date().addingTimeInterval(SMSFactorService.pendingLifetime + 601))
            #expect(try await harness.dashboard.factors.sms.pendingEnrollments(of: member.id).isEmpty)
        }
    }
}
