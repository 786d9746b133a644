import MFAStore

/// The list of a member's pending enrollments of one factor kind, oldest first, that caps how
/// many the member has under way: every change is one compare-and-swap of the whole list, so
/// concurrent enrollments cannot keep more than the cap. Each factor kind stores its own index
/// record (``OTPFactorService/PendingIndex``, ``SMSFactorService/PendingIndex``).
protocol PendingEnrollmentIndex: StorableRecord {
    /// The pending enrollments' ids, oldest first.
    var ids: [String] { get set }
    init(ids: [String])
}

extension PendingEnrollmentIndex {
    /// Appends `id` to `memberID`'s index in `store` (creating the index), and deletes the
    /// `Pending` records of the oldest ids beyond `limit`, which leave the index.
    static func add<Pending: StorableRecord>(
        _ id: String,
        memberID: String,
        limit: Int,
        replacing _: Pending.Type,
        in store: any RecordStore
    ) async throws {
        let replaced = try await store.modify(
            Self.self,
            id: memberID,
            insertingIfMissing: Self(ids: []),
            owner: memberID
        ) { index -> [String] in
            index.ids.append(id)
            let excess = max(0, index.ids.count - limit)
            defer { index.ids.removeFirst(excess) }
            return Array(index.ids.prefix(excess))
        }
        for old in replaced {
            _ = try await store.delete(Pending.self, id: old) { _ in true }
        }
    }

    /// Removes `id` from `memberID`'s index in `store`; whether it was there (a replaced
    /// enrollment is not, and cannot be confirmed).
    static func take(_ id: String, memberID: String, in store: any RecordStore) async throws -> Bool {
        do {
            return try await store.modify(Self.self, id: memberID) { index -> Bool in
                guard let position = index.ids.firstIndex(of: id) else { return false }
                index.ids.remove(at: position)
                return true
            }
        } catch StoreError.Code.notFound {
            return false
        }
    }
}
