import Crypto
import Foundation
import MFAFactors
import MFAPolicy
import MFAStore
import MFAStoreTestSupport
import OTP
import Push
import RecoveryCode
import SMS
import SecretVault
import SoftwareWebAuthn
import Testing

/// A member's factors across the services under the tenant's policy, on both stores.
struct FactorDirectoryTests {
    static let everything = TenantSettings(
        enabledFactors: [.securityKey, .platformAuthenticator, .otp, .sms, .push, .recoveryCode],
        plan: .paid
    )

    static func directory(_ store: any RecordStore) throws -> FactorDirectory {
        let keys = try SecretKeyRing(keys: ["k1": SymmetricKey(size: .bits256)], current: "k1")
        return FactorDirectory(
            otp: OTPFactorService(store: store, keys: keys, issuer: "Dashboard"),
            webAuthn: WebAuthnFactorServiceTests.service(store),
            sms: SMSFactorService(store: store, provider: FileSMSProvider(path: nil), issuer: "Dashboard"),
            push: PushFactorService(store: store, notifier: LocalPushNotifier(), server: URL(fileURLWithPath: "/")),
            recoveryCodes: RecoveryCodeService(store: store, parameters: .testing)
        )
    }

    /// Enrolls an authenticator app for `member` and records it.
    static func enrollOTP(_ directory: FactorDirectory, member: String, tenant: TenantSettings = everything) async throws
        -> (id: String, recoveryCode: RecoveryCode?)
    {
        try await directory.checkEnrollment(.otp, memberID: member, tenant: tenant)
        let before = try await directory.memberFactors(member)
        let now = Date()
        let enrollment = try await directory.otp.begin(memberID: member, account: member, at: now)
        let code = try TOTP(secret: enrollment.uri.secret).code(at: now)
        #expect(try await directory.otp.confirm(factorID: enrollment.factorID, code: code, at: now) != .rejected)
        let recovery = try await directory.enrolled(
            .otp,
            id: enrollment.factorID,
            memberID: member,
            before: before,
            tenant: tenant
        )
        return (enrollment.factorID, recovery)
    }

    @Test(arguments: StoreKind.allCases)
    func theFirstFactorBringsARecoveryCodeAndUnlocksBiometrics(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let directory = try Self.directory(store)
        #expect(try await directory.memberFactors("ada").mfaEnabled == false)
        await #expect(throws: PolicyError.platformAuthenticatorNeedsAnotherFactor) {
            try await directory.checkEnrollment(.platformAuthenticator, memberID: "ada", tenant: Self.everything)
        }
        // An unconfirmed app does not count.
        _ = try await directory.otp.begin(memberID: "ada", account: "ada")
        #expect(try await directory.memberFactors("ada").enrollments.isEmpty)

        let (_, recovery) = try await Self.enrollOTP(directory, member: "ada")
        let code = try #require(recovery as RecoveryCode?)
        let factors = try await directory.memberFactors("ada")
        #expect(factors.mfaEnabled && factors.hasRecoveryCode && factors.kinds == [.otp])
        #expect(EnrollmentPolicy(tenant: Self.everything).warnings(for: factors).isEmpty == false)

        try await directory.checkEnrollment(.platformAuthenticator, memberID: "ada", tenant: Self.everything)
        let before = try await directory.memberFactors("ada")
        let platform = try await WebAuthnFactorServiceTests.enroll(
            SoftwareSecurityKey(verifiesUser: true),
            member: "ada",
            kind: .platformAuthenticator,
            service: directory.webAuthn
        )
        #expect(
            try await directory.enrolled(
                .platformAuthenticator,
                id: WebAuthnFactorService.recordID(credentialID: platform.record.id),
                memberID: "ada",
                before: before,
                tenant: Self.everything
            ) == nil
        )
        #expect(try await directory.memberFactors("ada").kinds == [.platformAuthenticator, .otp])
        // The code issued with the first factor works.
        #expect(try await directory.recoveryCodes.use(code.description, for: "ada") != nil)

        let events = try await directory.audit.entries(for: "ada").map(\.event)
        #expect(events == [.enrolled(.otp), .recoveryCodeIssued, .enrolled(.platformAuthenticator)])
    }

    @Test(arguments: StoreKind.allCases)
    func smsNeedsAPaidPlanAndOnlyEnabledFactorsEnroll(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let directory = try Self.directory(store)
        var free = Self.everything
        free.plan = .free
        await #expect(throws: PolicyError.smsNeedsPaidPlan) { try await directory.checkEnrollment(.sms, memberID: "ada", tenant: free) }
        let keysOnly = TenantSettings(enabledFactors: [.securityKey])
        await #expect(throws: PolicyError.factorNotEnabled(.otp)) { try await directory.checkEnrollment(.otp, memberID: "ada", tenant: keysOnly) }
        try await directory.checkEnrollment(.sms, memberID: "ada", tenant: Self.everything)
    }

    @Test(arguments: StoreKind.allCases)
    func removingTheLastFactorTurnsMFAOffUnlessRequired(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let directory = try Self.directory(store)
        let (otpID, _) = try await Self.enrollOTP(directory, member: "ada")
        let biometric = try await WebAuthnFactorServiceTests.enroll(
            SoftwareSecurityKey(verifiesUser: true),
            member: "ada",
            kind: .platformAuthenticator,
            service: directory.webAuthn
        )
        _ = biometric

        // Someone else's member id finds nothing.
        await #expect(throws: PolicyError.noSuchEnrollment) { try await directory.remove(otpID, memberID: "bob", tenant: Self.everything) }
        // A tenant that requires MFA refuses, and nothing is deleted.
        var required = Self.everything
        required.requireMFA = true
        await #expect(throws: PolicyError.lastFactorWhileMFARequired) { try await directory.remove(otpID, memberID: "ada", tenant: required) }
        #expect(try await directory.memberFactors("ada").enrollments.count == 2)

        // Otherwise the app goes, the biometrics with it, and the recovery code.
        let outcome = try await directory.remove(otpID, memberID: "ada", tenant: Self.everything)
        #expect(outcome.mfaTurnedOff)
        #expect(Set(outcome.removed.map(\.kind)) == Set([FactorKind.otp, .platformAuthenticator]))
        let after = try await directory.memberFactors("ada")
        #expect(after.enrollments.isEmpty && !after.hasRecoveryCode && !after.mfaEnabled)
        let events = try await directory.audit.entries(for: "ada").map(\.event)
        #expect(events.suffix(3) == [.removed(.otp), .removed(.platformAuthenticator), .mfaTurnedOff])
    }

    /// Round-3 report, 4: first-factor enrollments finished at once (each begun with no factor,
    /// so without a step-up): one stays, with the one recovery code; the others are undone and
    /// refused, so no factor is added without a step-up and no code replaces another.
    @Test(arguments: StoreKind.allCases)
    func racingFirstFactorsLeaveOneFactorAndOneWorkingCode(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let directory = try Self.directory(store)
        let now = Date()
        let before = try await directory.memberFactors("ada")
        var confirmed: [String] = []
        for _ in 0..<4 {
            let enrollment = try await directory.otp.begin(memberID: "ada", account: "ada", at: now)
            let code = try TOTP(secret: enrollment.uri.secret).code(at: now)
            #expect(try await directory.otp.confirm(factorID: enrollment.factorID, code: code, at: now) != .rejected)
            confirmed.append(enrollment.factorID)
        }
        let outcomes = await withTaskGroup(of: Result<RecoveryCode?, any Error>.self) { group in
            for id in confirmed {
                group.addTask {
                    do {
                        return .success(
                            try await directory.enrolled(.otp, id: id, memberID: "ada", before: before, tenant: Self.everything)
                        )
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var outcomes: [Result<RecoveryCode?, any Error>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let codes = outcomes.compactMap { try? $0.get() }.compactMap { $0 }
        #expect(codes.count == 1)
        for case .failure(let error) in outcomes { #expect(error as? FactorError == .firstFactorTaken) }
        #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
        #expect(try await directory.memberFactors("ada").kinds == [.otp])
        let code = try #require(codes.first)
        #expect(try await directory.recoveryCodes.use(code.description, for: "ada") != nil)
    }

    /// Round-3 report, 3: two removals at once, each of a different one of the member's two
    /// factors, in a tenant that requires MFA: one is refused as the last factor.
    @Test(arguments: StoreKind.allCases)
    func racingRemovalsKeepTheLastFactor(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let directory = try Self.directory(store)
        let requiring = {
            var settings = Self.everything
            settings.requireMFA = true
            return settings
        }()
        let (first, _) = try await Self.enrollOTP(directory, member: "ada", tenant: requiring)
        let (second, _) = try await Self.enrollOTP(directory, member: "ada", tenant: requiring)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for id in [first, second] {
                group.addTask { (try? await directory.remove(id, memberID: "ada", tenant: requiring)) != nil }
            }
            var outcomes: [Bool] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await directory.memberFactors("ada").kinds == [.otp])
    }
}
