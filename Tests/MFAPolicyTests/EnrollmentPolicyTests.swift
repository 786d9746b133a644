import MFAPolicy
import Testing

/// Enrollment and removal over every valid tenant and every member state: biometrics only after
/// another factor and never left alone, SMS only on paid plans, the last factor kept while the
/// tenant requires MFA, the recovery code issued with the first factor and dropped with the last.
struct EnrollmentPolicyTests {
    static let authenticatorKinds = FactorKind.allCases.filter(\.isAuthenticator)

    /// Every member: a subset of authenticator kinds (one enrollment each), with or without a code.
    static var allMembers: [MemberFactors] {
        var members: [MemberFactors] = []
        for mask in 0..<(1 << authenticatorKinds.count) {
            let enrollments = authenticatorKinds.indices.filter { mask & (1 << $0) != 0 }.map {
                Enrollment(id: "e\($0)", kind: authenticatorKinds[$0])
            }
            for code in [false, true] { members.append(MemberFactors(enrollments: enrollments, hasRecoveryCode: code)) }
        }
        return members
    }

    static var validTenants: [TenantSettings] {
        TenantSettingsTests.allSettings.filter { (try? $0.validated()) != nil }
    }

    @Test func enrollmentRulesHoldEverywhere() {
        var checked = 0
        for tenant in Self.validTenants {
            let policy = EnrollmentPolicy(tenant: tenant)
            for member in Self.allMembers {
                for kind in FactorKind.allCases {
                    checked += 1
                    let outcome = Result { () throws(PolicyError) in try policy.enroll(kind, for: member) }
                    let othersEnrolled = member.enrollments.contains { $0.kind != .platformAuthenticator }
                    switch outcome {
                    case .success(let result):
                        #expect(kind != .recoveryCode)
                        #expect(tenant.enabledFactors.contains(kind))
                        #expect(kind != .sms || tenant.plan == .paid)
                        #expect(kind != .platformAuthenticator || othersEnrolled)
                        #expect(result.issueRecoveryCode == (!member.mfaEnabled && !member.hasRecoveryCode))
                    case .failure(let error):
                        switch error {
                        case .recoveryCodeIsNotEnrolled: #expect(kind == .recoveryCode)
                        case .factorNotEnabled(let refused): #expect(refused == kind && !tenant.enabledFactors.contains(kind))
                        case .smsNeedsPaidPlan: #expect(kind == .sms && tenant.plan == .free)
                        case .platformAuthenticatorNeedsAnotherFactor: #expect(kind == .platformAuthenticator && !othersEnrolled)
                        default: Issue.record("unexpected \(error)")
                        }
                    }
                }
                // The "Add a factor" list is exactly what enroll accepts.
                #expect(policy.enrollableFactors(for: member).allSatisfy { (try? policy.enroll($0, for: member)) != nil })
            }
        }
        #expect(checked == 178 * 64 * 6)
    }

    @Test func removalRulesHoldEverywhere() {
        for tenant in Self.validTenants {
            let policy = EnrollmentPolicy(tenant: tenant)
            for member in Self.allMembers {
                for enrollment in member.enrollments {
                    let outcome = Result { () throws(PolicyError) in try policy.remove(enrollment.id, from: member) }
                    switch outcome {
                    case .success(let result):
                        let left = result.remaining.enrollments
                        #expect(result.removed.first == enrollment)
                        #expect(!left.contains(enrollment))
                        #expect(left.count + result.removed.count == member.enrollments.count)
                        // Biometrics are never left alone.
                        #expect(!(left.contains { $0.kind == .platformAuthenticator } && !left.contains { $0.kind != .platformAuthenticator }))
                        // Only biometrics go with the asked-for factor.
                        #expect(result.removed.dropFirst().allSatisfy { $0.kind == .platformAuthenticator })
                        #expect(result.mfaTurnedOff == left.isEmpty)
                        #expect(!(tenant.requireMFA && left.isEmpty))
                        #expect(result.remaining.hasRecoveryCode == (member.hasRecoveryCode && !left.isEmpty))
                    case .failure(let error):
                        #expect(error == .lastFactorWhileMFARequired)
                        #expect(tenant.requireMFA)
                        #expect(!member.enrollments.contains { $0.id != enrollment.id && $0.kind != .platformAuthenticator })
                    }
                }
                #expect(throws: PolicyError.noSuchEnrollment) { try policy.remove("nope", from: member) }
            }
        }
    }

    @Test func theLastFactorGoesWithBiometricsAndTheCode() throws {
        let policy = EnrollmentPolicy(tenant: TenantSettings(enabledFactors: [.securityKey, .platformAuthenticator]))
        let member = MemberFactors(
            enrollments: [Enrollment(id: "key", kind: .securityKey), Enrollment(id: "touch", kind: .platformAuthenticator)],
            hasRecoveryCode: true
        )
        let result = try policy.remove("key", from: member)
        #expect(result.removed.map(\.id) == ["key", "touch"])
        #expect(result.mfaTurnedOff)
        #expect(!result.remaining.hasRecoveryCode)
        var required = policy
        required.tenant.requireMFA = true
        #expect(throws: PolicyError.lastFactorWhileMFARequired) { try required.remove("key", from: member) }
        // Removing the biometrics alone is fine.
        #expect(try required.remove("touch", from: member).remaining.enrollments.map(\.id) == ["key"])
    }

    @Test func warningsFollowTheRecommendedSetup() {
        let policy = EnrollmentPolicy(tenant: TenantSettings(enabledFactors: Set(FactorKind.allCases), plan: .paid))
        #expect(policy.warnings(for: MemberFactors()) == [])
        var required = policy
        required.tenant.requireMFA = true
        #expect(required.warnings(for: MemberFactors()) == [.enrollRequired])
        let oneKey = MemberFactors(enrollments: [Enrollment(id: "k", kind: .securityKey)])
        #expect(policy.warnings(for: oneKey) == [.mayLoseAccess, .addBackupFactor, .saveRecoveryCode])
        #expect(policy.warnings(for: MemberFactors(enrollments: oneKey.enrollments, hasRecoveryCode: true)) == [.addBackupFactor])
        let smsOnly = MemberFactors(enrollments: [Enrollment(id: "s", kind: .sms)], hasRecoveryCode: true)
        #expect(policy.warnings(for: smsOnly) == [.addPrimaryFactor, .addBackupFactor])
        let recommended = MemberFactors(
            enrollments: [Enrollment(id: "k", kind: .securityKey), Enrollment(id: "s", kind: .sms)],
            hasRecoveryCode: true
        )
        #expect(policy.warnings(for: recommended) == [])
        #expect(Warning.allCases.allSatisfy { !$0.message.isEmpty })
    }

    @Test func theMemberListIndicatorFollowsEnrollments() {
        #expect(!MemberFactors(hasRecoveryCode: true).mfaEnabled)
        let member = MemberFactors(enrollments: [Enrollment(id: "a", kind: .otp), Enrollment(id: "b", kind: .securityKey), Enrollment(id: "c", kind: .otp)])
        #expect(member.mfaEnabled)
        #expect(member.kinds == [.securityKey, .otp])
    }
}

typealias Warning = EnrollmentPolicy.Warning
