import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import NIOCore
import Testing

/// Sensitive changes need a second factor passed within the last few minutes (issue 13, 2.8):
/// each such route answers 403 `step_up_required` to a session whose step-up is old, works
/// after `POST /api/session/step-up`, and refuses again once that one is old too; the page
/// turns the code into a "confirm it's you" form.
struct StepUpAPITests {
    /// Makes the session's last second factor `seconds` old.
    static func age(_ harness: ServerHarness, _ browser: Browser, by seconds: TimeInterval = 301) async throws {
        let token = try #require(browser.cookie)
        try await harness.dashboard.sessions.update(token: token) { $0.mfaVerifiedAt = Date().addingTimeInterval(-seconds) }
    }

    /// Every sensitive request of an admin with one factor, by name.
    static func sensitive(_ browser: Browser, factorID: String, memberID: String, index: Int) async throws
        -> [String: Browser.Reply]
    {
        [
            "add member": try await browser.send(
                .post,
                "/api/tenant/members",
                json: ["email": "new\(index)@example.com", "password": "a long password", "role": "admin"]
            ),
            "settings": try await browser.send(
                .put,
                "/api/tenant/settings",
                json: ["enabledFactors": ["otp", "webauthn-roaming", "recovery-code"], "plan": "free", "requireMfa": false]
            ),
            "unlock": try await browser.send(.post, "/api/tenant/members/\(memberID)/unlock"),
            "recovery code": try await browser.send(.post, "/api/me/recovery-code"),
            // Last: it removes the factor.
            "remove factor": try await browser.send(.delete, "/api/me/factors/\(factorID)"),
        ]
    }

    @Test func eachSensitiveRouteNeedsAFreshStepUp() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let (_, nextCode, recovery) = try await admin.enrollTOTPAndSignInAgain()
            let signedIn = try await admin.send(.post, "/api/mfa/totp/verify", json: ["code": nextCode])
            #expect(signedIn.json["state"] as? String == "signed_in")
            let factorID = try #require(
                ((try await admin.send(.get, "/api/me/factors")).json["factors"] as? [[String: Any]])?.first?["id"] as? String
            )
            let memberID = try #require(
                ((try await admin.send(.get, "/api/tenant/members")).json["members"] as? [[String: Any]])?.first?["id"]
                    as? String
            )

            try await Self.age(harness, admin)
            for (name, reply) in try await Self.sensitive(admin, factorID: factorID, memberID: memberID, index: 1) {
                #expect(reply.status == .forbidden && reply.errorCode == "step_up_required", "\(name)")
            }
            // Reading is not sensitive.
            #expect(try await admin.send(.get, "/api/tenant/settings").status == .ok)
            // A wrong code does not step up.
            let wrong = try await admin.send(.post, "/api/session/step-up", json: ["factor": "recovery-code", "code": "AAAA-AAAA-AAAA-AAAA"])
            #expect(wrong.errorCode == "code_rejected")
            #expect(try await admin.send(.post, "/api/me/recovery-code").errorCode == "step_up_required")
            // The password is not enough for a member with a second factor.
            let password = try await admin.send(
                .post,
                "/api/session/step-up",
                json: ["factor": "password", "password": ServerHarness.adminPassword]
            )
            #expect(password.status == .conflict && password.errorCode == "factor_required")

            let cookie = admin.cookie
            let stepped = try await admin.send(.post, "/api/session/step-up", json: ["factor": "recovery-code", "code": try #require(recovery)])
            #expect(stepped.status == .ok && stepped.json["state"] as? String == "signed_in")
            #expect(stepped.json["newRecoveryCode"] is String)
            #expect(admin.cookie == cookie)  // the session stays
            for (name, reply) in try await Self.sensitive(admin, factorID: factorID, memberID: memberID, index: 2) {
                #expect(reply.status.code < 300, "\(name): \(reply.errorCode ?? "")")
            }
            // Old again: refused again.
            try await Self.age(harness, admin)
            let again = try await admin.send(.post, "/api/tenant/members", json: ["email": "new3@example.com", "password": "a long password"])
            #expect(again.errorCode == "step_up_required")
        }
    }

    @Test func aMemberWithoutAFactorStepsUpWithThePassword() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            // A password sign-in of a member with no factor counts as fresh.
            #expect(try await admin.send(.post, "/api/tenant/members", json: ["email": "a@example.com", "password": "a long password"]).status == .created)
            try await Self.age(harness, admin)
            #expect(
                try await admin.send(.post, "/api/tenant/members", json: ["email": "b@example.com", "password": "a long password"]).errorCode
                    == "step_up_required"
            )
            let wrong = try await admin.send(.post, "/api/session/step-up", json: ["factor": "password", "password": "not it"])
            #expect(wrong.errorCode == "invalid_credentials")
            let right = try await admin.send(.post, "/api/session/step-up", json: ["factor": "password", "password": ServerHarness.adminPassword])
            #expect(right.status == .ok)
            #expect(try await admin.send(.post, "/api/tenant/members", json: ["email": "b@example.com", "password": "a long password"]).status == .created)
            // A window shorter than the step-up's age refuses too.
            try await Self.age(harness, admin, by: 200)
            var short = harness.dashboard
            short.stepUpWindow = 120
            let token = try #require(admin.cookie)
            let session = try #require(try await harness.dashboard.sessions.find(token: token))
            let refusal = await #expect(throws: APIError.self) {
                _ = try await short.addMember(
                    Caller(token: token, session: session, address: "127.0.0.1"),
                    try JSONDecoder().decode(
                        APIModels.NewMember.self,
                        from: Data(#"{"email": "c@example.com", "password": "a long password"}"#.utf8)
                    )
                )
            }
            #expect(refusal?.code == "step_up_required")
        }
    }

    @Test func thePageAsksToConfirmItsYou() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            try await Self.age(harness, admin)
            let csrf = try #require(admin.csrf)
            let cookie = try #require(admin.cookie)
            let page = try await PageForm.post(
                client,
                "/tenant/members",
                cookie: cookie,
                ["csrf": csrf, "email": "d@example.com", "password": "a long password"]
            )
            #expect(page.status == .forbidden)
            #expect(page.body.contains("Confirm it") && page.body.contains("id=\"step-up-password-form\""))
            #expect(page.body.contains("name=\"next\" value=\"/tenant/members\""))
            let confirmed = try await PageForm.post(
                client,
                "/profile/step-up",
                cookie: cookie,
                ["csrf": csrf, "factor": "password", "password": ServerHarness.adminPassword, "next": "/tenant/members"]
            )
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/tenant/members")
            let added = try await PageForm.post(
                client,
                "/tenant/members",
                cookie: cookie,
                ["csrf": csrf, "email": "d@example.com", "password": "a long password"]
            )
            #expect(added.status == .ok && added.body.contains("d@example.com added."))
        }
    }
}

/// Posts url-encoded forms to the pages, as a browser without script does.
enum PageForm {
    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
    }

    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }

    static func post(_ client: any TestClientProtocol, _ path: String, cookie: String?, _ fields: [String: String])
        async throws -> Reply
    {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = "fidokit_session=\(cookie)" }
        headers[.origin] = ServerHarness.origin
        let response = try await client.execute(
            uri: path,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: Self.encode(fields))
        )
        return Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    static func get(_ client: any TestClientProtocol, _ path: String, cookie: String?) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = "fidokit_session=\(cookie)" }
        let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
        return Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }
}

extension StepUpAPITests {
    /// Round-3 report, 1: a session signed in with the password alone (the member had no factor)
    /// loses that step-up once the member enrolls a factor in another session — it can neither
    /// add an admin nor remove the new factor, nor step up with the password again, until it
    /// confirms with the factor.
    @Test func aPasswordStepUpStopsCountingOnceAFactorExists() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let intruder = Browser(client)
            try await intruder.signIn()
            let owner = Browser(client)
            try await owner.signIn()
            let (totp, _, recovery) = try await owner.enrollTOTPAndSignInAgain()
            _ = try await owner.send(.post, "/api/mfa/totp/verify", json: ["code": totp.enrollmentAndNextCodes().next])
            let factorID = try #require(
                ((try await owner.send(.get, "/api/me/factors")).json["factors"] as? [[String: Any]])?.first?["id"] as? String
            )
            let member = ["email": "evil@example.com", "password": "a long password", "role": "admin"]
            #expect(try await intruder.send(.post, "/api/tenant/members", json: member).errorCode == "step_up_required")
            #expect(try await intruder.send(.delete, "/api/me/factors/\(factorID)").errorCode == "step_up_required")
            #expect(try await intruder.send(.post, "/api/me/recovery-code").errorCode == "step_up_required")
            let password = try await intruder.send(
                .post,
                "/api/session/step-up",
                json: ["factor": "password", "password": ServerHarness.adminPassword]
            )
            #expect(password.errorCode == "factor_required")
            // With a factor (here the recovery code issued with it), the same session may.
            let stepUp = try await intruder.send(
                .post,
                "/api/session/step-up",
                json: ["factor": "recovery-code", "code": try #require(recovery)]
            )
            #expect(stepUp.status == .ok)
            #expect(try await intruder.send(.post, "/api/tenant/members", json: member).status == .created)
        }
    }
}
