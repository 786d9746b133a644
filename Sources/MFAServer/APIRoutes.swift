import Foundation
public import Hummingbird
import WebAuthn

/// The JSON API under `/api/` (documented in `openapi.yaml`).
public struct APIRoutes: Sendable {
    let dashboard: Dashboard
    /// Whether cookies get the Secure attribute (off only for plain-HTTP localhost).
    let secureCookies: Bool

    /// Creates the routes.
    public init(dashboard: Dashboard, secureCookies: Bool) {
        self.dashboard = dashboard
        self.secureCookies = secureCookies
    }

    func cookie(_ token: String, signedIn: Bool) -> Cookie {
        SessionMiddleware.cookie(
            token,
            lifetime: signedIn ? SessionStore.signedInLifetime : SessionStore.pendingLifetime,
            secure: self.secureCookies
        )
    }

    /// The answer to a sign-in step: the state, with the new session's cookie.
    func sessionResponse(_ result: (token: String, state: APIModels.SessionState), previous: String?) throws -> Response
    {
        try JSONResponse.make(
            result.state,
            cookie: result.token == previous
                ? nil : self.cookie(result.token, signedIn: result.state.state == .signedIn)
        )
    }

    /// The answer to a finished enrollment: a new session cookie when it lifted an
    /// `enrollment_required` session.
    func enrolledResponse(_ result: (enrolled: APIModels.Enrolled, token: String), previous: String?) throws
        -> Response
    {
        try JSONResponse.make(
            result.enrolled,
            status: .created,
            cookie: result.token == previous ? nil : self.cookie(result.token, signedIn: true)
        )
    }

    /// The session token, or `not_signed_in`.
    static func token(_ context: MFARequestContext) throws -> String {
        guard let token = context.sessionToken, context.session != nil else { throw APIError.notSignedIn }
        return token
    }

    /// Adds the routes to `router`.
    public func add(to router: Router<MFARequestContext>) {
        let api = router.group("api")
        self.addSession(api)
        self.addMFA(api)
        self.addProfile(api)
        self.addTenant(api)
        self.addDevices(api)
    }

    func addSession(_ api: RouterGroup<MFARequestContext>) {
        api.get("csrf") { _, context -> Response in
            let (token, session, created) = try await self.dashboard.ensureSession(token: context.sessionToken)
            return try JSONResponse.make(
                APIModels.CSRFToken(csrfToken: session.csrfToken),
                cookie: created ? self.cookie(token, signedIn: false) : nil
            )
        }
        api.post("session") { request, context -> Response in
            let body = try await request.json(APIModels.SignInRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.signIn(
                email: body.email,
                password: body.password,
                address: context.clientAddress,
                previousToken: context.sessionToken
            )
            return try self.sessionResponse(result, previous: nil)
        }
        api.delete("session") { _, context -> Response in
            try await self.dashboard.signOut(token: context.sessionToken)
            return JSONResponse.empty(cookie: SessionMiddleware.clearingCookie(secure: self.secureCookies))
        }
        api.group(context: SignedInRequestContext.self).post("session/step-up") { request, context -> Response in
            let body = try await request.json(APIModels.StepUpRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.stepUp(context.caller, body)
            return try self.sessionResponse(result, previous: context.caller.token)
        }
    }

    /// The second-factor routes, for a session whose second factor is due (or re-verifying).
    func addMFA(_ api: RouterGroup<MFARequestContext>) {
        let mfa = api.group("mfa", context: VerifyingRequestContext.self)
        mfa.post("webauthn/options") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.webAuthnSignInOptions(context.caller))
        }
        mfa.post("webauthn/verify") { request, context -> Response in
            let response = try AuthenticationResponseJSON(
                jsonBytes: try await request.bodyBytes(limit: context.maxUploadSize)
            )
            let result = try await self.dashboard.webAuthnSignInVerify(context.caller, response: response)
            return try self.sessionResponse(result, previous: context.caller.token)
        }
        mfa.post("totp/verify") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.totpSignIn(context.caller, code: body.code)
            return try self.sessionResponse(result, previous: context.caller.token)
        }
        mfa.post("sms/send") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.smsSignInSend(context.caller))
        }
        mfa.post("sms/verify") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.smsSignInVerify(context.caller, code: body.code)
            return try self.sessionResponse(result, previous: context.caller.token)
        }
        mfa.post("push/start") { request, context -> Response in
            try JSONResponse.make(
                try await self.dashboard.pushSignInStart(
                    context.caller,
                    browser: request.headers[.userAgent] ?? "unknown browser"
                )
            )
        }
        mfa.get("push/status") { _, context -> Response in
            let (token, status) = try await self.dashboard.pushSignInStatus(context.caller)
            return try JSONResponse.make(
                status,
                cookie: token == context.caller.token ? nil : self.cookie(token, signedIn: true)
            )
        }
        mfa.post("recovery-code") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.recoveryCodeSignIn(context.caller, code: body.code)
            return try self.sessionResponse(result, previous: context.caller.token)
        }
    }

    /// The member's own factors, for a signed-in (or enrollment-only) session.
    func addProfile(_ api: RouterGroup<MFARequestContext>) {
        let me = api.group("me", context: SignedInRequestContext.self)
        me.get("factors") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.myFactors(context.caller))
        }
        me.post("factors/webauthn/options") { request, context -> Response in
            let body = try await request.json(APIModels.WebAuthnEnrollmentRequest.self, limit: context.maxUploadSize)
            return try JSONResponse.make(
                try await self.dashboard.webAuthnEnrollmentOptions(context.caller, attachment: body.attachment)
            )
        }
        me.post("factors/webauthn/verify") { request, context -> Response in
            let response = try RegistrationResponseJSON(
                jsonBytes: try await request.bodyBytes(limit: context.maxUploadSize)
            )
            return try self.enrolledResponse(
                try await self.dashboard.webAuthnEnrollmentVerify(
                    context.caller,
                    response: response,
                    name: try request.queryFields()["name"]
                ),
                previous: context.caller.token
            )
        }
        me.post("factors/totp") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.totpEnrollmentStart(context.caller))
        }
        me.post("factors/totp/confirm") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            return try self.enrolledResponse(
                try await self.dashboard.totpEnrollmentConfirm(context.caller, code: body.code),
                previous: context.caller.token
            )
        }
        me.post("factors/sms") { request, context -> Response in
            let body = try await request.json(APIModels.SMSEnrollmentRequest.self, limit: context.maxUploadSize)
            return try JSONResponse.make(try await self.dashboard.smsEnrollmentStart(context.caller, phone: body.phone))
        }
        me.post("factors/sms/confirm") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            return try self.enrolledResponse(
                try await self.dashboard.smsEnrollmentConfirm(context.caller, code: body.code),
                previous: context.caller.token
            )
        }
        me.post("factors/push") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.pushEnrollmentStart(context.caller))
        }
        me.post("recovery-code") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.regenerateRecoveryCode(context.caller))
        }
        me.delete("factors/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try await self.dashboard.removeFactor(context.caller, id: id))
        }
    }

    /// The tenant's members and settings, for a signed-in admin (the dashboard checks the role).
    func addTenant(_ api: RouterGroup<MFARequestContext>) {
        let tenant = api.group("tenant", context: SignedInRequestContext.self)
        tenant.get("members") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.members(context.caller))
        }
        tenant.post("members") { request, context -> Response in
            let body = try await request.json(APIModels.NewMember.self, limit: context.maxUploadSize)
            return try JSONResponse.make(try await self.dashboard.addMember(context.caller, body), status: .created)
        }
        tenant.post("members/:id/unlock") { _, context -> Response in
            try await self.dashboard.unlockMember(context.caller, memberID: try context.parameters.require("id"))
            return JSONResponse.empty()
        }
        tenant.get("settings") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.settings(context.caller))
        }
        tenant.put("settings") { request, context -> Response in
            let body = try await request.json(APIModels.Settings.self, limit: context.maxUploadSize)
            return try JSONResponse.make(try await self.dashboard.updateSettings(context.caller, body))
        }
    }

    func addDevices(_ api: RouterGroup<MFARequestContext>) {
        api.post("push/devices") { request, context -> Response in
            let body = try await request.json(APIModels.DeviceRegistration.self, limit: context.maxUploadSize)
            return try JSONResponse.make(
                try await self.dashboard.registerDevice(body, address: context.clientAddress),
                status: .created
            )
        }
        api.get("push/inbox/:token") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.inbox(pushToken: try context.parameters.require("token")))
        }
        api.post("push/transactions/:id/answer") { request, context -> Response in
            let body = try await request.json(APIModels.DeviceAnswer.self, limit: context.maxUploadSize)
            return try JSONResponse.make(
                try await self.dashboard.answerTransaction(try context.parameters.require("id"), body)
            )
        }
    }
}
