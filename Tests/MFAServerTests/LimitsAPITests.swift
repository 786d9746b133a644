import Foundation
import HTTPTypes
import MFAServer
import OTP
import Testing

/// The limits through the API: per client address for passwords and second factors, and the
/// per-factor lock after 100 consecutive failures, lifted by the recovery code.
struct LimitsAPITests {
    @Test func failedSignInsAreLimitedPerAddressAcrossAccounts() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            // Fifty failures spread over many accounts (each below its own limit) from one address.
            for index in 0..<50 {
                #expect(try await browser.signIn("guess\(index)@example.com", "wrong").status == .unauthorized)
            }
            let limited = try await browser.signIn()
            #expect(limited.status == .tooManyRequests && limited.errorCode == "too_many_attempts")
        }
    }

    @Test func wrongSecondFactorsAreLimitedPerAddress() async throws {
        let harness = try await ServerHarness.make(mfaAttemptsPerAddress: 5)
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let (totp, nextCode, _) = try await browser.enrollTOTPAndSignInAgain()
            for _ in 0..<5 {
                #expect(try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": totp.wrongCode()]).errorCode == "code_rejected")
            }
            // Even the right code waits now.
            let limited = try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": nextCode])
            #expect(limited.status == .tooManyRequests)
        }
    }

    @Test func aHundredWrongCodesLockTheFactorUntilTheRecoveryCode() async throws {
        let harness = try await ServerHarness.make(mfaAttemptsPerAddress: 1_000)
        defer { harness.cleanUp() }
        try await harness.test { client in
            let browser = Browser(client)
            try await browser.signIn()
            let (totp, nextCode, recoveryCode) = try await browser.enrollTOTPAndSignInAgain()
            let recovery = try #require(recoveryCode)
            for _ in 0..<100 { _ = try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": totp.wrongCode()]) }
            let locked = try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": nextCode])
            #expect(locked.status.code == 423 && locked.errorCode == "factor_locked")
            // The recovery code signs in and lifts the lock.
            let used = try await browser.send(.post, "/api/mfa/recovery-code", json: ["code": recovery])
            #expect(used.json["state"] as? String == "signed_in")
            try await browser.send(.delete, "/api/session")
            try await browser.signIn()
            let unlocked = try await browser.send(.post, "/api/mfa/totp/verify", json: ["code": nextCode])
            #expect(unlocked.json["state"] as? String == "signed_in")
        }
    }
}
