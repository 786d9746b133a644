import Crypto
import FIDO2
import FIDO2Testing
import Testing

/// Large blobs through libfido2 (CTAP 2.1 authenticatorLargeBlobs and the largeBlobKey
/// extension): libfido2 compresses, encrypts and chunks; the software authenticator stores the
/// serialized array, checks its checksum and the PIN's permission.
struct LargeBlobTests {
    static func enroll(_ key: VirtualKey, user: UInt8, pin: String?) async throws -> [UInt8] {
        var request = MakeCredentialRequest(
            relyingPartyID: RelyingPartyFixture.id,
            userID: [user],
            clientDataHash: Array(repeating: user, count: 32),
            residentKey: true
        )
        request.extensions.largeBlobKey = true
        let made = try await key.device.makeCredential(request, pin: pin)
        return try #require(made.largeBlobKey)
    }

    /// Random bytes: they do not compress, so libfido2 1.12 can seal them (see `shortBlobs…`).
    static func blob(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255) }
    }

    @Test func storeReadReplaceAndRemove() async throws {
        // A small message size makes libfido2 write and read the array in several fragments.
        let key = try await VirtualKey.open(.init(maxMessageSize: 300))
        defer { key.unregister() }
        #expect(try await key.device.info().maxLargeBlobArraySize == 4096)
        #expect(try await key.device.info().option("largeBlobs") == true)
        try await key.device.setPIN("1234")
        let first = try await Self.enroll(key, user: 1, pin: "1234")
        let second = try await Self.enroll(key, user: 2, pin: "1234")
        #expect(first.count == 32 && first != second)
        #expect(try await key.device.largeBlob(key: first) == nil)

        // The array spans several 236-byte fragments.
        let blob = Self.blob(900)
        let other = Self.blob(40)
        try await key.device.setLargeBlob(blob, key: first, pin: "1234")
        try await key.device.setLargeBlob(other, key: second, pin: "1234")
        #expect(try await key.device.largeBlob(key: first) == blob)
        #expect(try await key.device.largeBlob(key: second) == other)

        // The stored array holds ciphertexts only: the blob is nowhere in it.
        let array = try await key.device.largeBlobArray()
        #expect(array.count > blob.count)
        #expect(!array.indices.dropLast(8).contains { Array(array[$0..<($0 + 8)]) == Array(blob[0..<8]) })

        // Replacing keeps one entry per credential; removing leaves the other.
        let replacement = Self.blob(32)
        try await key.device.setLargeBlob(replacement, key: first, pin: "1234")
        #expect(try await key.device.largeBlob(key: first) == replacement)
        try await key.device.removeLargeBlob(key: first, pin: "1234")
        #expect(try await key.device.largeBlob(key: first) == nil)
        #expect(try await key.device.largeBlob(key: second) == other)
        let missing = await #expect(throws: FIDO2Error.self) {
            try await key.device.removeLargeBlob(key: first, pin: "1234")
        }
        #expect(missing?.code == .notFound)
        #expect(missing?.message == "The key holds no large blob for this credential.")
    }

    @Test func theAssertionCarriesTheSameKey() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        let made = try await Self.enroll(key, user: 3, pin: nil)
        let assertions = try await key.device.getAssertions(
            GetAssertionRequest(
                relyingPartyID: RelyingPartyFixture.id,
                clientDataHash: Array(repeating: 9, count: 32),
                largeBlobKey: true
            )
        )
        #expect(assertions.first?.largeBlobKey == made)
        // Not asked for, not sent.
        let plain = try await key.device.getAssertions(
            GetAssertionRequest(relyingPartyID: RelyingPartyFixture.id, clientDataHash: Array(repeating: 9, count: 32))
        )
        #expect(plain.first?.largeBlobKey == nil)
        // libfido2 asks a key that supports permissions for a pinUvAuthToken before every write,
        // so a key without a PIN (and without built-in UV) cannot be written through it.
        let error = await #expect(throws: FIDO2Error.self) { try await key.device.setLargeBlob(Self.blob(64), key: made) }
        #expect(error?.code == .pinRequired)
    }

    @Test func writesNeedTheRightPINAndLeaveTheArrayAlone() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        try await key.device.setPIN("1234")
        let blobKey = try await Self.enroll(key, user: 4, pin: "1234")
        let blob = Self.blob(48)
        try await key.device.setLargeBlob(blob, key: blobKey, pin: "1234")
        let before = try await key.device.largeBlobArray()

        let noPIN = await #expect(throws: FIDO2Error.self) {
            try await key.device.setLargeBlob(Self.blob(48), key: blobKey)
        }
        #expect(noPIN?.code == .pinRequired)
        let wrongPIN = await #expect(throws: FIDO2Error.self) {
            try await key.device.setLargeBlob(Self.blob(48), key: blobKey, pin: "9999")
        }
        #expect(wrongPIN?.code == .pinInvalid)
        #expect(wrongPIN?.retriesLeft == 7)
        #expect(try await key.device.largeBlobArray() == before)
        #expect(try await key.device.largeBlob(key: blobKey) == blob)
    }

    @Test func aFullStoreRefusesAndKeepsWhatItHad() async throws {
        let key = try await VirtualKey.open(.init(maxLargeBlobArraySize: 1024))
        defer { key.unregister() }
        try await key.device.setPIN("1234")
        let blobKey = try await Self.enroll(key, user: 5, pin: "1234")
        let blob = Self.blob(100)
        try await key.device.setLargeBlob(blob, key: blobKey, pin: "1234")
        let tooBig = Self.blob(2000)
        let error = await #expect(throws: FIDO2Error.self) {
            try await key.device.setLargeBlob(tooBig, key: blobKey, pin: "1234")
        }
        #expect(error?.code == .largeBlobStorageFull)
        #expect(error?.message == "The key's large-blob storage is full.")
        #expect(try await key.device.largeBlob(key: blobKey) == blob)
    }

    /// libfido2 1.12 compresses before it encrypts, and its AES-GCM refuses fewer than 16 bytes
    /// of input: a short blob cannot be sealed. FIDOKit says so, and the key's array is untouched.
    /// (A libfido2 that lifts the limit must store and return the blob instead.)
    @Test func shortBlobsGetAClearErrorOrRoundTrip() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        try await key.device.setPIN("1234")
        let blobKey = try await Self.enroll(key, user: 7, pin: "1234")
        let before = try await key.device.largeBlobArray()
        do {
            try await key.device.setLargeBlob([1, 2, 3], key: blobKey, pin: "1234")
            #expect(try await key.device.largeBlob(key: blobKey) == [1, 2, 3])
        } catch {
            #expect(error.code == .internal)
            #expect(error.description.contains("fewer than 16 bytes"))
            #expect(try await key.device.largeBlobArray() == before)
        }
    }

    @Test func badKeysAreRefusedBeforeReachingTheKey() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        for bad in [[], [UInt8](repeating: 1, count: 31), [UInt8](repeating: 1, count: 33)] {
            let error = await #expect(throws: FIDO2Error.self) { try await key.device.largeBlob(key: bad) }
            #expect(error?.code == .invalidArgument)
        }
        let empty = await #expect(throws: FIDO2Error.self) {
            try await key.device.setLargeBlob([], key: Array(repeating: 1, count: 32))
        }
        #expect(empty?.code == .invalidArgument)
        // A key that matches no entry finds nothing in a fresh array.
        #expect(try await key.device.largeBlob(key: Array(repeating: 1, count: 32)) == nil)
    }

    @Test func largeBlobKeyNeedsADiscoverableCredential() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        var request = MakeCredentialRequest(
            relyingPartyID: RelyingPartyFixture.id,
            userID: [6],
            clientDataHash: Array(repeating: 6, count: 32)
        )
        request.extensions.largeBlobKey = true
        let error = await #expect(throws: FIDO2Error.self) { try await key.device.makeCredential(request) }
        #expect(error?.code == .invalidOption)
    }
}
