import Crypto
import Foundation
import MFAFactors
import MFAStore
import MFAStoreTestSupport
import OTP
import SecretVault
import Testing

/// OTP factors through the store: enrollment completes only with a valid first code, seeds are
/// sealed at rest, each step is accepted once even under concurrent requests.
struct OTPFactorServiceTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otp-service-\(UUID().uuidString)")
    let store: SQLiteRecordStore
    let service: OTPFactorService

    init() throws {
        self.store = try SQLiteRecordStore(path: self.directory.appendingPathComponent("mfa.sqlite").path)
        let keys = try SecretKeyRing(keys: ["k1": SymmetricKey(size: .bits256)], current: "k1")
        self.service = OTPFactorService(store: self.store, keys: keys, issuer: "FIDOKit Dashboard")
    }

    @Test func enrollmentCompletesOnlyWithAValidFirstCode() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let now = Date()
        let enrollment = try await self.service.begin(memberID: "ada", account: "ada@example.com", at: now)
        #expect(enrollment.uri.issuer == "FIDOKit Dashboard")
        let totp = try TOTP(secret: enrollment.uri.secret)
        // Not a sign-in factor yet.
        #expect(try await self.service.verify(factorID: enrollment.factorID, code: totp.code(at: now), at: now) == .rejected)
        #expect(try await self.service.confirm(factorID: enrollment.factorID, code: "000000x", at: now) == .rejected)
        // Pending, of its own kind: not a factor until confirmed.
        #expect(try await self.store.get(OTPFactorService.Factor.self, id: enrollment.factorID) == nil)
        #expect(try await self.store.get(OTPFactorService.PendingFactor.self, id: enrollment.factorID) != nil)
        let step = totp.step(at: now)
        #expect(try await self.service.confirm(factorID: enrollment.factorID, code: totp.code(at: now), at: now) == .accepted(step: step))
        #expect(try await self.store.get(OTPFactorService.Factor.self, id: enrollment.factorID)?.confirmed == true)
        // The confirming code cannot sign in again; the next step's can, once.
        #expect(try await self.service.verify(factorID: enrollment.factorID, code: totp.code(at: now), at: now) == .rejected)
        let later = now.addingTimeInterval(30)
        #expect(try await self.service.verify(factorID: enrollment.factorID, code: totp.code(at: later), at: later) == .accepted(step: step + 1))
        #expect(try await self.service.verify(factorID: enrollment.factorID, code: totp.code(at: later), at: later) == .rejected)
        #expect(
            try await self.service.confirm(factorID: enrollment.factorID, code: totp.code(at: later.addingTimeInterval(30)), at: later.addingTimeInterval(30))
                == .rejected
        )
    }

    @Test func seedsAreSealedAtRest() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let enrollment = try await self.service.begin(memberID: "ada", account: "ada@example.com")
        let stored = try #require(try await self.store.get(kind: OTPFactorService.PendingFactor.recordKind, id: enrollment.factorID))
        let secret = enrollment.uri.secret
        #expect(!stored.data.windowsContain(secret))
        #expect(!String(decoding: stored.data, as: UTF8.self).contains(Base32.encode(secret)))
        #expect(!String(decoding: stored.data, as: UTF8.self).contains(Data(secret).base64EncodedString()))
        // A seed moved to another factor does not open.
        let other = try await self.service.begin(memberID: "bob", account: "bob@example.com")
        var stolen = try #require(try await self.store.get(OTPFactorService.PendingFactor.self, id: enrollment.factorID))
        stolen.memberID = "bob"
        try await self.store.modify(OTPFactorService.PendingFactor.self, id: other.factorID) {
            $0.sealedSecret = stolen.sealedSecret
        }
        await #expect(throws: SecretVaultError.cannotOpen) {
            try await self.service.confirm(factorID: other.factorID, code: try TOTP(secret: secret).code(at: Date()))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentUsesOfOneCodeSucceedOnce(_ storeKind: StoreKind) async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let keys = try SecretKeyRing(keys: ["k1": SymmetricKey(size: .bits256)], current: "k1")
        let service = OTPFactorService(store: store, keys: keys, issuer: "FIDOKit Dashboard")
        let now = Date()
        let enrollment = try await service.begin(memberID: "ada", account: "ada@example.com", at: now)
        let totp = try TOTP(secret: enrollment.uri.secret)
        _ = try await service.confirm(factorID: enrollment.factorID, code: totp.code(at: now.addingTimeInterval(-30)), at: now)
        let code = totp.code(at: now)
        let wins = await race(24) { (try? await service.verify(factorID: enrollment.factorID, code: code, at: now)) != .rejected }
        #expect(wins == 1)
    }
}

extension Data {
    /// Whether `needle` occurs anywhere in the bytes.
    func windowsContain(_ needle: [UInt8]) -> Bool {
        let bytes = [UInt8](self)
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }
}
