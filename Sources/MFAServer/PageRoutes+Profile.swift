import Foundation
import HTTPTypes
import Hummingbird

extension PageRoutes {
    /// The profile page, with a notice, an error or a recovery code to show once.
    func profilePage(
        _ context: MFARequestContext,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        recoveryCode: (String, Bool)? = nil
    ) async throws -> Response {
        let state = context.session?.state
        guard state == .signedIn || state == .enrollmentRequired, let token = context.sessionToken else {
            return Self.redirect(state == .mfaRequired ? "/mfa" : "/signin")
        }
        let restricted = state == .enrollmentRequired
        let factors: APIModels.MemberFactorsResponse
        do {
            factors = try await self.dashboard.myFactors(try Caller(context))
        } catch let error as APIError where error == .mfaRequiredNow {
            // A factor arrived from elsewhere (a phone that registered): sign in with it.
            return Self.redirect("/mfa")
        }
        var shown = recoveryCode
        if shown == nil, let code = try await self.dashboard.takeNewRecoveryCode(token: token) { shown = (code, true) }
        return Self.html(
            ProfilePages.profile(
                csrf: context.session?.csrfToken,
                // A session that may only enroll has its profile and sign-out, nothing else.
                viewer: restricted ? Layout.Viewer(signedIn: true, isAdmin: false) : await self.viewer(context),
                factors: factors,
                notice: notice
                    ?? (shown?.1 == true ? "You signed in with your recovery code; here is its replacement." : nil),
                error: error,
                recoveryCode: shown.map { (code: $0.0, replaced: $0.1) },
                restricted: restricted
            ),
            status: status
        )
    }

    /// Runs a profile action; failures come back on the profile page, and a change that needs a
    /// step-up shows the "confirm it's you" page.
    func profileAction(_ context: MFARequestContext, _ body: () async throws -> Response) async throws -> Response {
        let state = context.session?.state
        guard state == .signedIn || state == .enrollmentRequired else { return Self.redirect("/signin") }
        do {
            return try await body()
        } catch {
            let apiError = APIError.from(error)
            if apiError == .stepUpRequired { return try await self.stepUpPage(context, next: "/profile") }
            return try await self.profilePage(context, error: apiError.message, status: apiError.status)
        }
    }

    /// The "confirm it's you" page (403, as the API's `step_up_required`).
    func stepUpPage(
        _ context: MFARequestContext,
        next: String,
        error: String? = nil,
        status: HTTPResponse.Status = .forbidden
    ) async throws -> Response {
        Self.html(
            StepUpPages.confirm(
                csrf: context.session?.csrfToken,
                viewer: await self.viewer(context),
                factors: try await self.dashboard.signInFactors(try Caller(context)),
                next: StepUpPages.safeNext(next),
                error: error
            ),
            status: status
        )
    }

    /// The profile after an enrollment: the first factor's recovery code, or a notice. When the
    /// enrollment lifted a restricted session, the page is the new session's, with its cookie.
    func enrolledPage(_ context: MFARequestContext, _ result: (enrolled: APIModels.Enrolled, token: String))
        async throws -> Response
    {
        var context = context
        var cookie: Cookie?
        if result.token != context.sessionToken {
            context.sessionToken = result.token
            context.session = try await self.dashboard.sessions.find(token: result.token)
            cookie = self.cookie(result.token, signedIn: true)
        }
        var response = try await self.profilePage(
            context,
            notice: "\(ProfilePages.label(result.enrolled.factor.kind)) added.",
            recoveryCode: result.enrolled.recoveryCode.map { ($0, false) }
        )
        if let cookie { response.setCookie(cookie) }
        return response
    }

    func addProfile(_ router: Router<MFARequestContext>) {
        router.get("profile") { _, context -> Response in try await self.profilePage(context) }
        // Where the dashboard's script sends a security-key enrollment that needs a step-up.
        router.get("profile/step-up") { _, context -> Response in
            guard context.session?.state == .signedIn else { return Self.redirect("/signin") }
            return try await self.stepUpPage(context, next: "/profile", status: .ok)
        }
        router.post("profile/step-up") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            let next = StepUpPages.safeNext(fields["next"])
            guard context.session?.state == .signedIn, context.sessionToken != nil else {
                return Self.redirect("/signin")
            }
            do {
                let (_, state) = try await self.dashboard.stepUp(
                    try Caller(context),
                    APIModels.StepUpRequest(
                        factor: fields["factor"] ?? "",
                        code: fields["code"],
                        password: fields["password"]
                    )
                )
                if let code = state.newRecoveryCode {
                    return try await self.profilePage(context, notice: "Confirmed.", recoveryCode: (code, true))
                }
                guard next == "/profile" else { return Self.redirect(next) }
                return try await self.profilePage(context, notice: "Confirmed: you can make the change now.")
            } catch {
                let apiError = APIError.from(error)
                return try await self.stepUpPage(context, next: next, error: apiError.message, status: apiError.status)
            }
        }
        router.post("profile/totp") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let enrollment = try await self.dashboard.totpEnrollmentStart(
                    try Caller(context)
                )
                return Self.html(
                    ProfilePages.totp(
                        csrf: context.session?.csrfToken,
                        viewer: await self.viewer(context),
                        enrollment: enrollment
                    )
                )
            }
        }
        router.post("profile/totp/confirm") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let enrolled = try await self.dashboard.totpEnrollmentConfirm(
                    try Caller(context),
                    code: fields["code"] ?? ""
                )
                return try await self.enrolledPage(context, enrolled)
            }
        }
        router.post("profile/sms") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let started = try await self.dashboard.smsEnrollmentStart(
                    try Caller(context),
                    phone: fields["phone"] ?? ""
                )
                return Self.html(
                    ProfilePages.smsConfirm(
                        csrf: context.session?.csrfToken,
                        viewer: await self.viewer(context),
                        maskedPhone: started.maskedPhone
                    )
                )
            }
        }
        router.post("profile/sms/confirm") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            do {
                let enrolled = try await self.dashboard.smsEnrollmentConfirm(
                    try Caller(context),
                    code: fields["code"] ?? ""
                )
                return try await self.enrolledPage(context, enrolled)
            } catch {
                let apiError = APIError.from(error)
                if apiError == .stepUpRequired { return try await self.stepUpPage(context, next: "/profile") }
                return Self.html(
                    ProfilePages.smsConfirm(
                        csrf: context.session?.csrfToken,
                        viewer: await self.viewer(context),
                        maskedPhone: fields["masked"] ?? "",
                        error: apiError.message
                    ),
                    status: apiError.status
                )
            }
        }
        router.post("profile/push") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let enrollment = try await self.dashboard.pushEnrollmentStart(try Caller(context))
                return Self.html(
                    ProfilePages.push(
                        csrf: context.session?.csrfToken,
                        viewer: await self.viewer(context),
                        enrollment: enrollment
                    )
                )
            }
        }
        router.post("profile/recovery-code") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let issued = try await self.dashboard.regenerateRecoveryCode(
                    try Caller(context)
                )
                return try await self.profilePage(context, recoveryCode: (issued.recoveryCode, true))
            }
        }
        router.post("profile/factors/:id/remove") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let removed = try await self.dashboard.removeFactor(
                    try Caller(context),
                    id: try context.parameters.require("id")
                )
                let names = removed.removed.map { ProfilePages.label($0.kind) }.joined(separator: " and ")
                return try await self.profilePage(
                    context,
                    notice: "Removed: \(names)."
                        + (removed.mfaEnabled ? "" : " Multi-factor authentication is now off.")
                )
            }
        }
    }
}
