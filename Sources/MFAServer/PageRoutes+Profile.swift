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
        guard context.session?.state == .signedIn, let token = context.sessionToken else {
            return Self.redirect(context.session?.state == .mfaRequired ? "/mfa" : "/signin")
        }
        var shown = recoveryCode
        if shown == nil, let code = try await self.dashboard.takeNewRecoveryCode(token: token) { shown = (code, true) }
        return Self.html(
            ProfilePages.profile(
                csrf: context.session?.csrfToken,
                viewer: await self.viewer(context),
                factors: try await self.dashboard.myFactors(session: context.session),
                notice: notice
                    ?? (shown?.1 == true ? "You signed in with your recovery code; here is its replacement." : nil),
                error: error,
                recoveryCode: shown.map { (code: $0.0, replaced: $0.1) }
            ),
            status: status
        )
    }

    /// Runs a profile action; failures come back on the profile page.
    func profileAction(_ context: MFARequestContext, _ body: () async throws -> Response) async throws -> Response {
        guard context.session?.state == .signedIn else { return Self.redirect("/signin") }
        do {
            return try await body()
        } catch {
            let apiError = APIError.from(error)
            return try await self.profilePage(context, error: apiError.message, status: apiError.status)
        }
    }

    /// The profile after an enrollment: the first factor's recovery code, or a notice.
    func enrolledPage(_ context: MFARequestContext, _ enrolled: APIModels.Enrolled) async throws -> Response {
        try await self.profilePage(
            context,
            notice: "\(ProfilePages.label(enrolled.factor.kind)) added.",
            recoveryCode: enrolled.recoveryCode.map { ($0, false) }
        )
    }

    func addProfile(_ router: Router<MFARequestContext>) {
        router.get("profile") { _, context -> Response in try await self.profilePage(context) }
        router.post("profile/totp") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let enrollment = try await self.dashboard.totpEnrollmentStart(
                    token: try APIRoutes.token(context),
                    session: context.session
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
                    token: try APIRoutes.token(context),
                    session: context.session,
                    code: fields["code"] ?? "",
                    address: context.clientAddress
                )
                return try await self.enrolledPage(context, enrolled)
            }
        }
        router.post("profile/sms") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let started = try await self.dashboard.smsEnrollmentStart(
                    token: try APIRoutes.token(context),
                    session: context.session,
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
                    token: try APIRoutes.token(context),
                    session: context.session,
                    code: fields["code"] ?? "",
                    address: context.clientAddress
                )
                return try await self.enrolledPage(context, enrolled)
            } catch {
                let apiError = APIError.from(error)
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
                let enrollment = try await self.dashboard.pushEnrollmentStart(session: context.session)
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
                    session: context.session,
                    address: context.clientAddress
                )
                return try await self.profilePage(context, recoveryCode: (issued.recoveryCode, true))
            }
        }
        router.post("profile/factors/:id/remove") { request, context -> Response in
            _ = try await Self.checkedForm(request, context: context)
            return try await self.profileAction(context) {
                let removed = try await self.dashboard.removeFactor(
                    session: context.session,
                    id: try context.parameters.require("id"),
                    address: context.clientAddress
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
