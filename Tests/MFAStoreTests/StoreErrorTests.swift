import Foundation
import MFAStore
import Testing

/// `StoreError` is an open code with a message: equal by code, matched by code, saying the same
/// sentences as before, and naming the record and the place it was thrown.
struct StoreErrorTests {
    @Test(arguments: [
        (StoreError.duplicate(kind: "factor", id: "f1"), StoreError.Code.duplicate, "A factor with id f1 exists already."),
        (StoreError.notFound(kind: "factor", id: "f1"), .notFound, "There is no factor with id f1."),
        (StoreError.contention(kind: "factor", id: "f1"), .contention, "The factor f1 kept changing; try again."),
        (StoreError.corrupt(kind: "factor", id: "f1"), .corrupt, "The stored factor f1 does not decode."),
        (StoreError.database("disk full"), .database, "The database failed: disk full."),
    ])
    func eachConstructorSetsItsCodeAndSentence(_ error: StoreError, _ code: StoreError.Code, _ message: String) {
        #expect(error.code == code)
        #expect(error.description == message)
        #expect(error.file == "MFAStoreTests/StoreErrorTests.swift")
        if code == .database {
            #expect(error.kind == nil && error.id == nil)
        } else {
            #expect(error.kind == "factor" && error.id == "f1")
        }
    }

    @Test func errorsAreEqualByCodeAndCodesAreOpen() {
        #expect(StoreError.notFound(kind: "a", id: "1") == StoreError.notFound(kind: "b", id: "2"))
        #expect(StoreError.notFound(kind: "a", id: "1") != StoreError.duplicate(kind: "a", id: "1"))
        let custom = StoreError("read_only", "The store is read-only.")
        #expect(custom.code == StoreError.Code(rawValue: "read_only"))
        #expect(custom.code.description == "read_only")
        #expect(Set([custom, StoreError("read_only", "Another sentence.")]).count == 1)
    }

    @Test func aCodeMatchesOnlyItsOwnErrorsInCatchAndSwitch() async {
        func outcome(_ error: any Error) async -> String {
            do {
                throw error
            } catch StoreError.Code.notFound {
                return "not found"
            } catch StoreError.Code.duplicate {
                return "duplicate"
            } catch {
                return "other"
            }
        }
        #expect(await outcome(StoreError.notFound(kind: "k", id: "1")) == "not found")
        #expect(await outcome(StoreError.duplicate(kind: "k", id: "1")) == "duplicate")
        #expect(await outcome(StoreError.contention(kind: "k", id: "1")) == "other")
        #expect(await outcome(CancellationError()) == "other")
        switch StoreError.corrupt(kind: "k", id: "1") as any Error {
        case StoreError.Code.corrupt: break
        default: Issue.record("a corrupt record's error did not match .corrupt")
        }
    }

    @Test func theStoreSaysWhereItThrew() async throws {
        let store = MemoryRecordStore()
        try await store.insert(kind: "k", id: "1", owner: "m", data: Data())
        let error = await #expect(throws: StoreError.self) {
            try await store.insert(kind: "k", id: "1", owner: "m", data: Data())
        }
        #expect(error?.file == "MFAStore/MemoryRecordStore.swift")
        #expect(error.map { $0.line > 0 } == true)
        #expect(error?.debugDescription.hasPrefix("StoreError.duplicate: A k with id 1 exists already. (MFAStore/MemoryRecordStore.swift:") == true)
    }
}
