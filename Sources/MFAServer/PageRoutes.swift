import Foundation
import HTTPInput
import HTTPTypes
public import Hummingbird
import NIOCore

/// The server-rendered pages. Forms post here (with the CSRF token as a hidden field) and work
/// without script; `app.js` only drives `navigator.credentials` and polls push approvals.
public struct PageRoutes: Sendable {
    let dashboard: Dashboard
    let secureCookies: Bool

    /// Creates the routes.
    public init(dashboard: Dashboard, secureCookies: Bool) {
        self.dashboard = dashboard
        self.secureCookies = secureCookies
    }

    static func html(_ page: String, status: HTTPResponse.Status = .ok, cookie: Cookie? = nil) -> Response {
        var response = Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page))
        )
        if let cookie { response.setCookie(cookie) }
        return response
    }

    static func redirect(_ location: String, cookie: Cookie? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let cookie { response.setCookie(cookie) }
        return response
    }

    func cookie(_ token: String, signedIn: Bool) -> Cookie {
        SessionMiddleware.cookie(
            token,
            lifetime: signedIn ? SessionStore.signedInLifetime : SessionStore.pendingLifetime,
            secure: self.secureCookies
        )
    }

    /// The fields of a url-encoded form body (each name with every value sent).
    ///
    /// - Throws: ``APIError`` `body_too_large` (413) over 64 KiB, `bad_request` (400) when the
    ///   body is not a form (``URLEncodedForm`` says what it refuses).
    static func form(_ request: Request, context: MFARequestContext) async throws -> [String: [String]] {
        try await Self.decodedForm(request, context: context).multiValued
    }

    static func decodedForm(_ request: Request, context: MFARequestContext) async throws -> URLEncodedForm {
        let bytes = try await request.bodyBytes(limit: context.maxUploadSize)
        do {
            return try URLEncodedForm(decoding: bytes)
        } catch {
            throw APIError.badRequest("The form is malformed: \(error.reason)")
        }
    }

    /// A form whose CSRF field matches the session, or a refusal; each field sent once.
    ///
    /// - Throws: ``APIError`` `csrf_token_invalid` (403), or what ``form(_:context:)`` throws,
    ///   or `bad_request` when a field is sent twice.
    static func checkedForm(_ request: Request, context: MFARequestContext) async throws -> [String: String] {
        let form = try await Self.decodedForm(request, context: context)
        let fields: [String: String]
        do {
            fields = try form.single()
        } catch {
            throw APIError.badRequest("The form is malformed: \(error.reason)")
        }
        guard let session = context.session, CSRFMiddleware.matches(fields["csrf"], session.csrfToken) else {
            throw APIError.csrfMissing
        }
        return fields
    }

    /// A form whose CSRF field is sent once and matches the session, for forms that also carry
    /// multi-valued fields (checkbox groups); `singleValued` names the fields that must appear
    /// at most once.
    ///
    /// - Throws: ``APIError`` `csrf_token_invalid` (403), or `bad_request` when a single-valued
    ///   field is sent twice, or what ``form(_:context:)`` throws.
    static func checkedMultiValuedForm(
        _ request: Request,
        context: MFARequestContext,
        singleValued: [String]
    ) async throws -> [String: [String]] {
        let fields = try await Self.form(request, context: context)
        for name in singleValued + ["csrf"] where (fields[name]?.count ?? 0) > 1 {
            throw APIError.badRequest("The form is malformed: the field \(name) is sent more than once")
        }
        guard let session = context.session, CSRFMiddleware.matches(fields["csrf"]?.first, session.csrfToken) else {
            throw APIError.csrfMissing
        }
        return fields
    }

    /// Who is looking.
    func viewer(_ context: MFARequestContext) async -> Layout.Viewer {
        guard let session = context.session, let (member, _) = try? await self.dashboard.signedIn(session) else {
            return .init(signedIn: false, isAdmin: false)
        }
        return .init(signedIn: true, isAdmin: member.role == .admin, email: member.email)
    }

    /// Adds the pages and assets to `router`.
    public func add(to router: Router<MFARequestContext>) {
        router.get("/") { _, context -> Response in
            switch context.session?.state {
            case .signedIn, .enrollmentRequired: return Self.redirect("/profile")
            case .mfaRequired: return Self.redirect("/mfa")
            default: return Self.redirect("/signin")
            }
        }
        self.addSignIn(router)
        self.addMFA(router)
        self.addProfile(router)
        self.addTenant(router)
        Assets.add(to: router)
    }

    func addSignIn(_ router: Router<MFARequestContext>) {
        router.get("signin") { _, context -> Response in
            let (token, session, created) = try await self.dashboard.ensureSession(token: context.sessionToken)
            if session.state == .signedIn { return Self.redirect("/profile") }
            return Self.html(
                SignInPages.signIn(csrf: session.csrfToken),
                cookie: created ? self.cookie(token, signedIn: false) : nil
            )
        }
        router.post("signin") { request, context -> Response in
            let fields: [String: String]
            do {
                fields = try await Self.checkedForm(request, context: context)
            } catch let error as APIError where error.code == APIError.csrfMissing.code {
                // Refused before anything changes: the visitor's session (a victim's, when the
                // post came from another site) and its cookie stay as they were — a refused
                // request never sets a cookie, so a cross-site post (which SameSite=Lax sends
                // without the victim's cookie) cannot replace it. A visitor with no session
                // is asked to open the page again, which gives them one.
                SecurityLog.event("csrf_refused", context: context, reason: "POST /signin without its csrf field")
                return Self.html(
                    SignInPages.signIn(
                        csrf: context.session?.csrfToken,
                        error: context.session == nil
                            ? "Your session expired; please open the sign-in page again."
                            : "Your session expired; please try again."
                    ),
                    status: .forbidden
                )
            }
            do {
                let (token, state) = try await self.dashboard.signIn(
                    email: fields["email"] ?? "",
                    password: fields["password"] ?? "",
                    address: context.clientAddress,
                    previousToken: context.sessionToken
                )
                return Self.redirect(
                    state.state == .mfaRequired ? "/mfa" : "/profile",
                    cookie: self.cookie(token, signedIn: state.state == .signedIn)
                )
            } catch {
                let apiError = APIError.from(error)
                return Self.html(
                    SignInPages.signIn(csrf: context.session?.csrfToken, error: apiError.message),
                    status: apiError.status
                )
            }
        }
        router.post("signout") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            try await self.dashboard.signOut(token: context.sessionToken)
            return Self.redirect("/signin", cookie: SessionMiddleware.clearingCookie(secure: self.secureCookies))
        }
    }

    func addMFA(_ router: Router<MFARequestContext>) {
        /// The MFA page for the session, with an error or state.
        @Sendable func page(
            _ context: MFARequestContext,
            error: String? = nil,
            status: HTTPResponse.Status = .ok,
            smsSentTo: String? = nil,
            push: (Int, Date)? = nil
        ) async throws -> Response {
            guard context.session?.state == .mfaRequired else { return Self.redirect("/") }
            return Self.html(
                SignInPages.mfa(
                    csrf: context.session?.csrfToken,
                    factors: try await self.dashboard.signInFactors(try Caller(context)),
                    error: error,
                    smsSentTo: smsSentTo,
                    push: push.map { (number: $0.0, expiresAt: $0.1) }
                ),
                status: status
            )
        }
        /// Runs a sign-in step; success goes to the profile with the new cookie.
        @Sendable func step(
            _ context: MFARequestContext,
            _ body: (String) async throws -> (token: String, state: APIModels.SessionState)
        ) async throws -> Response {
            guard let token = context.sessionToken else { return Self.redirect("/signin") }
            do {
                let (newToken, _) = try await body(token)
                return Self.redirect("/profile", cookie: self.cookie(newToken, signedIn: true))
            } catch {
                let apiError = APIError.from(error)
                return try await page(context, error: apiError.message, status: apiError.status)
            }
        }
        router.get("mfa") { _, context -> Response in try await page(context) }
        router.post("mfa/totp") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            return try await step(context) { token in
                try await self.dashboard.totpSignIn(
                    try Caller(context),
                    code: fields["code"] ?? ""
                )
            }
        }
        router.post("mfa/sms/send") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            do {
                let sent = try await self.dashboard.smsSignInSend(
                    try Caller(context)
                )
                return try await page(context, smsSentTo: sent.maskedPhone)
            } catch {
                let apiError = APIError.from(error)
                return try await page(context, error: apiError.message, status: apiError.status)
            }
        }
        router.post("mfa/sms/verify") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            return try await step(context) { token in
                try await self.dashboard.smsSignInVerify(
                    try Caller(context),
                    code: fields["code"] ?? ""
                )
            }
        }
        router.post("mfa/push") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            do {
                let started = try await self.dashboard.pushSignInStart(
                    try Caller(context),
                    browser: request.headers[.userAgent] ?? "unknown browser"
                )
                return try await page(context, push: (started.number, started.expiresAt))
            } catch {
                let apiError = APIError.from(error)
                return try await page(context, error: apiError.message, status: apiError.status)
            }
        }
        router.post("mfa/recovery") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            return try await step(context) { token in
                try await self.dashboard.recoveryCodeSignIn(
                    try Caller(context),
                    code: fields["code"] ?? ""
                )
            }
        }
    }
}
