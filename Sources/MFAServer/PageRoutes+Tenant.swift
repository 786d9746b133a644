import Foundation
import HTTPTypes
import Hummingbird

extension PageRoutes {
    func membersPage(
        _ context: MFARequestContext,
        error: String? = nil,
        notice: String? = nil,
        status: HTTPResponse.Status = .ok
    )
        async throws -> Response
    {
        Self.html(
            TenantPages.members(
                csrf: context.session?.csrfToken,
                viewer: await self.viewer(context),
                list: try await self.dashboard.members(try Caller(context)),
                error: error,
                notice: notice
            ),
            status: status
        )
    }

    func settingsPage(
        _ context: MFARequestContext,
        error: String? = nil,
        notice: String? = nil,
        status: HTTPResponse.Status = .ok
    )
        async throws -> Response
    {
        Self.html(
            TenantPages.settings(
                csrf: context.session?.csrfToken,
                viewer: await self.viewer(context),
                settings: try await self.dashboard.settings(try Caller(context)),
                error: error,
                notice: notice
            ),
            status: status
        )
    }

    /// Admin pages: signed-out visitors go to sign in, a session that must first enroll a
    /// factor to its profile (which says so); members get a 403 page.
    func admin(_ context: MFARequestContext, _ body: () async throws -> Response) async throws -> Response {
        if context.session?.state == .enrollmentRequired { return Self.redirect("/profile") }
        guard context.session?.state == .signedIn else { return Self.redirect("/signin") }
        do {
            return try await body()
        } catch let error as APIError where error == .forbidden {
            return Self.html(
                Layout.page(
                    title: "Not allowed",
                    csrf: context.session?.csrfToken,
                    viewer: await self.viewer(context),
                    body: Layout.notice("error", error.message, id: "error")
                ),
                status: .forbidden
            )
        }
    }

    func addTenant(_ router: Router<MFARequestContext>) {
        router.get("tenant/members") { _, context -> Response in
            try await self.admin(context) { try await self.membersPage(context) }
        }
        router.post("tenant/members") { request, context -> Response in
            let fields = try await Self.checkedForm(request, context: context)
            return try await self.admin(context) {
                do {
                    let added = try await self.dashboard.addMember(
                        try Caller(context),
                        APIModels.NewMember(
                            email: fields["email"] ?? "",
                            displayName: fields["displayName"],
                            password: fields["password"] ?? "",
                            role: fields["role"]
                        )
                    )
                    return try await self.membersPage(context, notice: "\(added.email) added.")
                } catch let error as APIError where error == .stepUpRequired {
                    return try await self.stepUpPage(context, next: "/tenant/members")
                } catch let error as APIError where error == .forbidden {
                    throw error
                } catch {
                    let apiError = APIError.from(error)
                    return try await self.membersPage(context, error: apiError.message, status: apiError.status)
                }
            }
        }
        router.get("tenant/settings") { _, context -> Response in
            try await self.admin(context) { try await self.settingsPage(context) }
        }
        router.post("tenant/settings") { request, context -> Response in
            let raw = try await Self.checkedMultiValuedForm(
                request,
                context: context,
                singleValued: ["plan", "requireMfa", "mfaGracePeriodDays"]
            )
            return try await self.admin(context) {
                do {
                    _ = try await self.dashboard.updateSettings(
                        try Caller(context),
                        APIModels.Settings(
                            enabledFactors: raw["factor"] ?? [],
                            plan: raw["plan"]?.first ?? "free",
                            requireMfa: raw["requireMfa"]?.first == "on",
                            mfaGracePeriodDays: raw["mfaGracePeriodDays"]?.first.flatMap { Int($0) }
                        )
                    )
                    return try await self.settingsPage(context, notice: "Settings saved.")
                } catch let error as APIError where error == .stepUpRequired {
                    return try await self.stepUpPage(context, next: "/tenant/settings")
                } catch let error as APIError where error == .forbidden {
                    throw error
                } catch {
                    let apiError = APIError.from(error)
                    return try await self.settingsPage(context, error: apiError.message, status: apiError.status)
                }
            }
        }
    }
}
