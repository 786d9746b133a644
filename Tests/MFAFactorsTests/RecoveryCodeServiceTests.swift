import Foundation
import MFAFactors
import MFAStore
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

    @Test func concurrentUsesOfOneCodeSucceedOnce() async throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let code = try await self.service.issue(for: "ada")
        let service = self.service
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask { (try? await service.use(code.symbols, for: "ada")) != nil }
            }
            var count = 0
            for await won in group where won { count += 1 }
            return count
        }
        #expect(wins == 1)
    }
}
