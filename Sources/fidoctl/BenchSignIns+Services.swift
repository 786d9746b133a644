import ArgumentParser
import Crypto
import Foundation
import MFAFactors
import MFAStore
import OTP
import SecretVault
import SoftwareWebAuthn
import WebAuthn

extension BenchSignIns {
    /// TOTP sign-ins as the server makes them: the sealed seed opened, the code checked, the step
    /// recorded, the attempt counted and audited.
    func totpThroughService(_ store: any RecordStore) async throws -> Double {
        let keys = try SecretKeyRing(keys: ["bench": SymmetricKey(size: .bits256)], current: "bench")
        let service = OTPFactorService(store: store, keys: keys, issuer: "bench")
        let guarding = AttemptGuard(store: store)
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let run = UUID().uuidString
        var factors: [(id: String, totp: TOTP)] = []
        for member in 0..<self.members {
            let enrollment = try await service.begin(memberID: "\(run)-\(member)", account: "m\(member)", at: base)
            let totp = try TOTP(secret: enrollment.uri.secret)
            _ = try await service.confirm(
                factorID: enrollment.factorID,
                code: totp.code(at: base.addingTimeInterval(-30)),
                at: base
            )
            factors.append((enrollment.factorID, totp))
        }
        let members = self.members
        let workers = max(1, self.tasks)
        let enrolled = factors
        return try await self.measure { worker, index in
            let slot = index % max(1, members / workers)
            let member = (slot * workers + worker) % members
            let round = index / max(1, members / workers)
            let time = base.addingTimeInterval(Double(round) * 30)
            let (factorID, totp) = enrolled[member]
            let outcome = try await guarding.attempt(memberID: "\(run)-\(member)", kind: .otp, at: time) {
                let outcome = try await service.verify(factorID: factorID, code: totp.code(at: time), at: time)
                return (outcome != .rejected, outcome)
            }
            guard outcome != .rejected else {
                throw CommandFailure(.refused, "A fresh TOTP code was refused: the benchmark is wrong.")
            }
        }
    }

    /// Whole WebAuthn ceremonies as the server makes them: options with a stored challenge, the
    /// answer of a software key (its ES256 signing is part of the figure), the challenge consumed,
    /// the assertion verified, the counter advanced, the attempt counted and audited.
    func webAuthnThroughService(_ store: any RecordStore) async throws -> Double {
        let origin = "https://\(BenchmarkAssertion.rpID)"
        let service = WebAuthnFactorService(
            store: store,
            relyingParty: RelyingParty(id: BenchmarkAssertion.rpID, origins: [origin]),
            relyingPartyName: "bench"
        )
        let guarding = AttemptGuard(store: store)
        let run = UUID().uuidString
        var keys: [SoftwareSecurityKey] = []
        for member in 0..<self.members {
            let key = SoftwareSecurityKey()
            let (id, options) = try await service.beginRegistration(
                memberID: "\(run)-\(member)",
                userName: "m\(member)",
                displayName: "m\(member)",
                kind: .securityKey
            )
            _ = try await service.finishRegistration(
                ceremonyID: id,
                memberID: "\(run)-\(member)",
                response: try key.register(options, origin: origin),
                name: "bench key"
            )
            keys.append(key)
        }
        let members = self.members
        let workers = max(1, self.tasks)
        let memberKeys = keys
        return try await self.measure { worker, index in
            let slot = index % max(1, members / workers)
            let member = (slot * workers + worker) % members
            let memberID = "\(run)-\(member)"
            try await guarding.attempt(memberID: memberID, kind: .securityKey) {
                let (id, options) = try await service.beginAuthentication(memberID: memberID)
                let response = try memberKeys[member].authenticate(options, origin: origin)
                _ = try await service.finishAuthentication(ceremonyID: id, memberID: memberID, response: response)
                return (true, ())
            }
        }
    }
}
