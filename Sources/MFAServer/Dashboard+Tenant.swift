public import Foundation
import MFAFactors
import MFAPolicy

extension Dashboard {
    /// `GET /api/tenant/members`: the admin's tenant only, each with the MFA indicator.
    public func members(_ caller: Caller) async throws -> APIModels.MemberList {
        let session = caller.session
        let (_, tenant) = try await self.admin(session)
        let policy = EnrollmentPolicy(tenant: tenant.settings)
        var summaries: [APIModels.MemberSummary] = []
        for member in try await self.accounts.members(of: tenant.id) {
            let factors = try await self.factors.memberFactors(member.id)
            summaries.append(
                APIModels.MemberSummary(
                    id: member.id,
                    email: member.email,
                    displayName: member.displayName,
                    role: member.role.rawValue,
                    mfaEnabled: factors.mfaEnabled,
                    factorKinds: factors.kinds.map(\.rawValue),
                    warnings: policy.warnings(for: factors).map(\.rawValue)
                )
            )
        }
        return APIModels.MemberList(members: summaries)
    }

    /// `POST /api/tenant/members` (a sensitive change: needs a recent step-up).
    public func addMember(_ caller: Caller, _ request: APIModels.NewMember, at now: Date = Date()) async throws
        -> APIModels.MemberSummary
    {
        let session = caller.session
        let (_, tenant) = try await self.admin(session)
        try await self.requireStepUp(session, at: now)
        let role: Accounts.Role
        switch request.role ?? "member" {
        case "admin": role = .admin
        case "member": role = .member
        default: throw APIError.badRequest("role is admin or member.")
        }
        let member = try await self.accounts.createMember(
            tenantID: tenant.id,
            email: request.email,
            displayName: request.displayName ?? "",
            password: request.password,
            role: role,
            at: now
        )
        return APIModels.MemberSummary(
            id: member.id,
            email: member.email,
            displayName: member.displayName,
            role: member.role.rawValue,
            mfaEnabled: false,
            factorKinds: [],
            warnings: []
        )
    }

    /// `GET /api/tenant/settings`.
    public func settings(_ caller: Caller) async throws -> APIModels.Settings {
        let session = caller.session
        let (_, tenant) = try await self.admin(session)
        return APIModels.Settings(tenant.settings)
    }

    /// `PUT /api/tenant/settings`: refused when it breaks a rule (no factor with MFA on, SMS on a
    /// free plan, biometrics alone, a grace period over 90 days); a sensitive change, so it
    /// needs a recent step-up.
    public func updateSettings(_ caller: Caller, _ request: APIModels.Settings, at now: Date = Date()) async throws
        -> APIModels.Settings
    {
        let session = caller.session
        let (_, tenant) = try await self.admin(session)
        try await self.requireStepUp(session, at: now)
        let updated = try await self.accounts.updateSettings(
            tenantID: tenant.id,
            to: try request.settings(replacing: tenant.settings, at: now)
        )
        return APIModels.Settings(updated.settings)
    }

    /// `POST /api/tenant/members/{id}/unlock`: lifts a member's factor locks (the admin's tenant
    /// only; needs a recent step-up).
    public func unlockMember(_ caller: Caller, memberID: String, at now: Date = Date()) async throws {
        let session = caller.session
        let (admin, tenant) = try await self.admin(session)
        try await self.requireStepUp(session, at: now)
        guard let member = try await self.accounts.member(memberID), member.tenantID == tenant.id else {
            throw APIError.notFound
        }
        try await self.attempts.unlock(memberID: member.id, by: .admin, at: now, source: "admin:\(admin.id)")
    }
}
