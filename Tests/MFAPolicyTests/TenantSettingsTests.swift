import MFAPolicy
import Testing

/// Every combination of enabled factors, plan and requireMFA (2^6 · 2 · 2 = 256) against the
/// tenant rules: at least one factor for MFA, SMS on paid plans, biometrics never alone.
struct TenantSettingsTests {
    static var allSettings: [TenantSettings] {
        let kinds = FactorKind.allCases
        var result: [TenantSettings] = []
        for mask in 0..<(1 << kinds.count) {
            let enabled = Set(kinds.indices.filter { mask & (1 << $0) != 0 }.map { kinds[$0] })
            for plan in TenantSettings.Plan.allCases {
                for requireMFA in [false, true] {
                    result.append(TenantSettings(enabledFactors: enabled, plan: plan, requireMFA: requireMFA))
                }
            }
        }
        return result
    }

    @Test func everyCombination() {
        let all = Self.allSettings
        #expect(all.count == 256)
        var valid = 0
        for settings in all {
            let authenticators = settings.enabledFactors.subtracting([.recoveryCode])
            let outcome = Result { () throws(PolicyError) in try settings.validated() }
            switch outcome {
            case .success:
                valid += 1
                // Valid settings keep every rule.
                #expect(!(settings.requireMFA && authenticators.isEmpty))
                #expect(!(settings.enabledFactors.contains(.sms) && settings.plan == .free))
                #expect(authenticators != [.platformAuthenticator])
                #expect(settings.mfaAvailable == !authenticators.isEmpty)
            case .failure(let error):
                // Each refusal names a rule the settings break.
                switch error {
                case .noFactorEnabled:
                    #expect(authenticators.isEmpty && (settings.requireMFA || !settings.enabledFactors.isEmpty))
                case .smsNeedsPaidPlan:
                    #expect(settings.enabledFactors.contains(.sms) && settings.plan == .free)
                case .platformAuthenticatorCannotBeOnlyFactor:
                    #expect(authenticators == [.platformAuthenticator])
                default:
                    Issue.record("unexpected \(error)")
                }
            }
        }
        // Counted by hand: nothing enabled with MFA optional (2 plans); otherwise a non-empty set of
        // authenticators other than biometrics alone (30 sets, each with or without the recovery
        // code; 14 of them without SMS on the free plan), either way for requireMFA:
        // 2 + ((30 + 14) · 2) · 2 = 178.
        #expect(valid == 178)
    }

    @Test func namedCases() throws {
        #expect(throws: PolicyError.noFactorEnabled) { try TenantSettings(enabledFactors: [], requireMFA: true).validated() }
        #expect(throws: PolicyError.noFactorEnabled) { try TenantSettings(enabledFactors: [.recoveryCode]).validated() }
        #expect(throws: PolicyError.smsNeedsPaidPlan) { try TenantSettings(enabledFactors: [.sms, .otp], plan: .free).validated() }
        #expect(throws: PolicyError.platformAuthenticatorCannotBeOnlyFactor) {
            try TenantSettings(enabledFactors: [.platformAuthenticator, .recoveryCode]).validated()
        }
        _ = try TenantSettings(enabledFactors: [], requireMFA: false).validated()
        _ = try TenantSettings(enabledFactors: [.sms], plan: .paid, requireMFA: true).validated()
        _ = try TenantSettings(enabledFactors: [.platformAuthenticator, .securityKey], requireMFA: true).validated()
    }
}
