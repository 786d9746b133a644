import FIDO2
import FIDO2Testing
import Testing

/// Credential management through libfido2: list, update and delete discoverable credentials.
struct CredentialManagementTests {
    @Test func listUpdateAndDelete() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        try await key.device.setPIN("2468")
        for (site, user) in [("a.example", [1]), ("a.example", [2]), ("b.example", [3])] as [(String, [UInt8])] {
            _ = try await key.device.makeCredential(
                MakeCredentialRequest(
                    relyingPartyID: site,
                    userID: user,
                    userName: "user\(user[0])",
                    clientDataHash: Array(repeating: 1, count: 32),
                    residentKey: true
                ),
                pin: "2468"
            )
        }
        // A non-discoverable credential is not listed.
        _ = try await key.device.makeCredential(
            MakeCredentialRequest(relyingPartyID: "c.example", userID: [4], clientDataHash: Array(repeating: 1, count: 32))
        )

        let storage = try await key.device.credentialStorage(pin: "2468")
        #expect(storage.existing == 3)
        let parties = try await key.device.relyingParties(pin: "2468")
        #expect(parties.map(\.id).sorted() == ["a.example", "b.example"])

        var credentials = try await key.device.discoverableCredentials(relyingPartyID: "a.example", pin: "2468")
        #expect(credentials.map(\.userID).sorted { $0[0] < $1[0] } == [[1], [2]])
        #expect(Set(credentials.compactMap(\.userName)) == ["user1", "user2"])

        let first = try #require(credentials.first)
        try await key.device.updateUser(of: first, name: "renamed", displayName: "Renamed", pin: "2468")
        credentials = try await key.device.discoverableCredentials(relyingPartyID: "a.example", pin: "2468")
        #expect(credentials.first { $0.id == first.id }?.userName == "renamed")

        try await key.device.deleteCredential(id: first.id, pin: "2468")
        credentials = try await key.device.discoverableCredentials(relyingPartyID: "a.example", pin: "2468")
        #expect(credentials.count == 1)
        #expect(try await key.device.credentialStorage(pin: "2468").existing == 2)
        #expect(try await key.device.discoverableCredentials(relyingPartyID: "zzz.example", pin: "2468").isEmpty)
    }

    @Test func wrongPINIsReported() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        try await key.device.setPIN("2468")
        let error = await #expect(throws: FIDO2Error.self) { try await key.device.relyingParties(pin: "0000") }
        #expect(error?.code == .pinInvalid)
        #expect(error?.retriesLeft == 7)
    }
}
