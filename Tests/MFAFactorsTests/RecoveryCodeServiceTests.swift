import Foundation
import MFAFactors
import MFAStore
import MFAStoreTestSupport
import RecoveryCode
import Testing

/// The recovery code through the store: one live code, consumed once, replaced on use and on
/// regeneration.
struct RecoveryCodeServiceTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString)")
    let service: RecoveryCodeService

    init() throws {
        let store = try SQLiteRecordStore(path: self.directory.appendingPathComponent("mfa.sqlite").path)
        self.service = RecoveryCodeService(store: store, parameters: .testing)
    }

    @Test func usingTheCodeConsumesItAndIssuesTheNext() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let first = try await self.service.issue(for: "ada")
        let second = try #require(try await self.service.use(first.description.lowercased(), for: "ada"))
        #expect(second != first)
        #expect(try await self.service.use(first.symbols, for: "ada") == nil)
        #expect(try await self.service.use(second.symbols, for: "ada") != nil)
        #expect(try await self.service.use("not a code", for: "ada") == nil)
        #expect(try await self.service.use(RecoveryCode.generate().symbols, for: "nobody") == nil)
    }

    @Test func regeneratingInvalidatesTheOldCode() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let old = try await self.service.issue(for: "ada")
        let new = try await self.service.issue(for: "ada")
        #expect(try await self.service.use(old.symbols, for: "ada") == nil)
        #expect(try await self.service.use(new.symbols, for: "ada") != nil)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentUsesOfOneCodeSucceedOnce(_ storeKind: StoreKind) async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = RecoveryCodeService(store: store, parameters: .testing)
        let code = try await service.issue(for: "ada")
        let wins = await race(16) { (try? await service.use(code.symbols, for: "ada")) != nil }
        #expect(wins == 1)
    }
}
