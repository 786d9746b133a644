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
                ? nil : self.cookie(result.token, signedIn: result.state.state == "signed_in")
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
        api.post("session/step-up") { request, context -> Response in
            let body = try await request.json(APIModels.StepUpRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.stepUp(
                token: try Self.token(context),
                session: context.session,
                body,
                address: context.clientAddress
            )
            return try self.sessionResponse(result, previous: context.sessionToken)
        }
        api.delete("session") { _, context -> Response in
            try await self.dashboard.signOut(token: context.sessionToken)
            return JSONResponse.empty(cookie: SessionMiddleware.clearingCookie(secure: self.secureCookies))
        }
    }

    func addMFA(_ api: RouterGroup<MFARequestContext>) {
        let mfa = api.group("mfa")
        mfa.post("webauthn/options") { _, context -> Response in
            let options = try await self.dashboard.webAuthnSignInOptions(
                token: try Self.token(context),
                session: context.session,
                address: context.clientAddress
            )
            return try JSONResponse.make(options)
        }
        mfa.post("webauthn/verify") { request, context -> Response in
            let response = try AuthenticationResponseJSON(
                jsonBytes: try await request.bodyBytes(limit: context.maxUploadSize)
            )
            let result = try await self.dashboard.webAuthnSignInVerify(
                token: try Self.token(context),
                session: context.session,
                response: response,
                address: context.clientAddress
            )
            return try self.sessionResponse(result, previous: context.sessionToken)
        }
        mfa.post("totp/verify") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.totpSignIn(
                token: try Self.token(context),
                session: context.session,
                code: body.code,
                address: context.clientAddress
            )
            return try self.sessionResponse(result, previous: context.sessionToken)
        }
        mfa.post("sms/send") { _, context -> Response in
            try JSONResponse.make(
                try await self.dashboard.smsSignInSend(
                    token: try Self.token(context),
                    session: context.session,
                    address: context.clientAddress
                )
            )
        }
        mfa.post("sms/verify") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.smsSignInVerify(
                token: try Self.token(context),
                session: context.session,
                code: body.code,
                address: context.clientAddress
            )
            return try self.sessionResponse(result, previous: context.sessionToken)
        }
        mfa.post("push/start") { request, context -> Response in
            try JSONResponse.make(
                try await self.dashboard.pushSignInStart(
                    token: try Self.token(context),
                    session: context.session,
                    browser: request.headers[.userAgent] ?? "unknown browser",
                    address: context.clientAddress
                )
            )
        }
        mfa.get("push/status") { _, context -> Response in
            let (token, status) = try await self.dashboard.pushSignInStatus(
                token: try Self.token(context),
                session: context.session,
                address: context.clientAddress
            )
            return try JSONResponse.make(
                status,
                cookie: token == context.sessionToken ? nil : self.cookie(token, signedIn: true)
            )
        }
        mfa.post("recovery-code") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            let result = try await self.dashboard.recoveryCodeSignIn(
                token: try Self.token(context),
                session: context.session,
                code: body.code,
                address: context.clientAddress
            )
            return try self.sessionResponse(result, previous: context.sessionToken)
        }
    }

    func addProfile(_ api: RouterGroup<MFARequestContext>) {
        api.get("me/factors") { _, context -> Response in
            try JSONResponse.make(
                try await self.dashboard.myFactors(session: context.session, token: context.sessionToken)
            )
        }
        api.post("me/factors/webauthn/options") { request, context -> Response in
            let body = try await request.json(APIModels.WebAuthnEnrollmentRequest.self, limit: context.maxUploadSize)
            return try JSONResponse.make(
                try await self.dashboard.webAuthnEnrollmentOptions(
                    token: try Self.token(context),
                    session: context.session,
                    attachment: body.attachment
                )
            )
        }
        api.post("me/factors/webauthn/verify") { request, context -> Response in
            let response = try RegistrationResponseJSON(
                jsonBytes: try await request.bodyBytes(limit: context.maxUploadSize)
            )
            return try self.enrolledResponse(
                try await self.dashboard.webAuthnEnrollmentVerify(
                    token: try Self.token(context),
                    session: context.session,
                    response: response,
                    name: try request.queryFields()["name"],
                    address: context.clientAddress
                ),
                previous: context.sessionToken
            )
        }
        api.post("me/factors/totp") { _, context -> Response in
            try JSONResponse.make(
                try await self.dashboard.totpEnrollmentStart(token: try Self.token(context), session: context.session)
            )
        }
        api.post("me/factors/totp/confirm") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            return try self.enrolledResponse(
                try await self.dashboard.totpEnrollmentConfirm(
                    token: try Self.token(context),
                    session: context.session,
                    code: body.code,
                    address: context.clientAddress
                ),
                previous: context.sessionToken
            )
        }
        api.post("me/factors/sms") { request, context -> Response in
            let body = try await request.json(APIModels.SMSEnrollmentRequest.self, limit: context.maxUploadSize)
            return try JSONResponse.make(
                try await self.dashboard.smsEnrollmentStart(
                    token: try Self.token(context),
                    session: context.session,
                    phone: body.phone
                )
            )
        }
        api.post("me/factors/sms/confirm") { request, context -> Response in
            let body = try await request.json(APIModels.CodeRequest.self, limit: context.maxUploadSize)
            return try self.enrolledResponse(
                try await self.dashboard.smsEnrollmentConfirm(
                    token: try Self.token(context),
                    session: context.session,
                    code: body.code,
                    address: context.clientAddress
                ),
                previous: context.sessionToken
            )
        }
        api.post("me/factors/push") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.pushEnrollmentStart(session: context.session))
        }
        api.post("me/recovery-code") { _, context -> Response in
            try JSONResponse.make(
                try await self.dashboard.regenerateRecoveryCode(
                    session: context.session,
                    address: context.clientAddress
                )
            )
        }
        api.delete("me/factors/:id") { _, context -> Response in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(
                try await self.dashboard.removeFactor(session: context.session, id: id, address: context.clientAddress)
            )
        }
    }

    func addTenant(_ api: RouterGroup<MFARequestContext>) {
        api.get("tenant/members") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.members(session: context.session))
        }
        api.post("tenant/members") { request, context -> Response in
            let body = try await request.json(APIModels.NewMember.self, limit: context.maxUploadSize)
            return try JSONResponse.make(
                try await self.dashboard.addMember(session: context.session, body),
                status: .created
            )
        }
        api.post("tenant/members/:id/unlock") { _, context -> Response in
            try await self.dashboard.unlockMember(
                session: context.session,
                memberID: try context.parameters.require("id")
            )
            return JSONResponse.empty()
        }
        api.get("tenant/settings") { _, context -> Response in
            try JSONResponse.make(try await self.dashboard.settings(session: context.session))
        }
        api.put("tenant/settings") { request, context -> Response in
            let body = try await request.json(APIModels.Settings.self, limit: context.maxUploadSize)
            return try JSONResponse.make(try await self.dashboard.updateSettings(session: context.session, body))
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
            try JSONResponse.make(try self.dashboard.inbox(pushToken: try context.parameters.require("token")))
        }
        api.post("push/transactions/:id/answer") { request, context -> Response in
            let body = try await request.json(APIModels.DeviceAnswer.self, limit: context.maxUploadSize)
            return try JSONResponse.make(
                try await self.dashboard.answerTransaction(try context.parameters.require("id"), body)
            )
        }
    }
}
