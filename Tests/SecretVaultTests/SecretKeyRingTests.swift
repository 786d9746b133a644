import Crypto
import SecretVault
import Testing

/// Sealing OTP seeds at rest: opens only with the right key and context, survives rotation,
/// refuses tampering, reads the key file format.
struct SecretKeyRingTests {
    @Test func sealedSecretsOpenWithTheirKeyAndContextOnly() throws {
        let ring = try SecretKeyRing(keys: ["k1": SymmetricKey(size: .bits256)], current: "k1")
        let sealed = try ring.seal(Array("seed".utf8), context: "factor-1")
        #expect(sealed.keyID == "k1")
        #expect(try ring.open(sealed, context: "factor-1") == Array("seed".utf8))
        #expect(throws: SecretVaultError.cannotOpen) { try ring.open(sealed, context: "factor-2") }
        var tampered = sealed
        tampered.box[tampered.box.count / 2] ^= 1
        #expect(throws: SecretVaultError.cannotOpen) { try ring.open(tampered, context: "factor-1") }
        #expect(throws: SecretVaultError.cannotOpen) { try ring.open(SealedSecret(keyID: "k1", box: [1, 2, 3]), context: "factor-1") }
        // The same secret sealed twice looks different (fresh nonce).
        #expect(try ring.seal(Array("seed".utf8), context: "factor-1") != sealed)
    }

    /// A derived key is the same for one key file (restarts, servers sharing it), differs per
    /// purpose and per key, and is never the key itself.
    @Test func derivedKeysFollowTheCurrentKeyAndPurpose() throws {
        let line = SecretKeyRing.newKeyLine(id: "k1")
        let ring = try SecretKeyRing(keyFile: line)
        let bytes = { (key: SymmetricKey) in key.withUnsafeBytes { Array($0) } }
        #expect(bytes(ring.derivedKey(for: "a")) == bytes(try SecretKeyRing(keyFile: line).derivedKey(for: "a")))
        #expect(bytes(ring.derivedKey(for: "a")) != bytes(ring.derivedKey(for: "b")))
        let other = try SecretKeyRing(keyFile: SecretKeyRing.newKeyLine(id: "k1"))
        #expect(bytes(ring.derivedKey(for: "a")) != bytes(other.derivedKey(for: "a")))
        #expect(ring.derivedKey(for: "a").bitCount == 256)
    }

    @Test func keysRotate() throws {
        let old = SymmetricKey(size: .bits256)
        let before = try SecretKeyRing(keys: ["2025": old], current: "2025")
        let sealed = try before.seal([9, 9, 9], context: "f")
        let after = try SecretKeyRing(keys: ["2025": old, "2026": SymmetricKey(size: .bits256)], current: "2026")
        #expect(try after.open(sealed, context: "f") == [9, 9, 9])
        let resealed = try after.reseal(sealed, context: "f")
        #expect(resealed.keyID == "2026")
        #expect(try after.open(resealed, context: "f") == [9, 9, 9])
        let retired = try SecretKeyRing(keys: ["2026": SymmetricKey(size: .bits256)], current: "2026")
        #expect(throws: SecretVaultError.unknownKey("2025")) { try retired.open(sealed, context: "f") }
    }

    @Test func keyFilesAndStoredForms() throws {
        let file = "# server keys\n" + SecretKeyRing.newKeyLine(id: "a") + "\n" + SecretKeyRing.newKeyLine(id: "b") + "\n"
        let ring = try SecretKeyRing(keyFile: file)
        #expect(ring.currentKeyID == "b")
        let sealed = try ring.seal([1], context: "x")
        #expect(SealedSecret(stored: sealed.description) == sealed)
        #expect(SealedSecret(stored: "no-colon") == nil)
        #expect(throws: SecretVaultError.malformedKeyFile(line: 1)) { try SecretKeyRing(keyFile: "a notbase64") }
        #expect(throws: SecretVaultError.malformedKeyFile(line: 0)) { try SecretKeyRing(keyFile: "# nothing\n") }
        #expect(throws: SecretVaultError.weakKey("s")) { try SecretKeyRing(keys: ["s": SymmetricKey(size: .bits128)], current: "s") }
        #expect(throws: SecretVaultError.unknownKey("z")) { try SecretKeyRing(keys: [:], current: "z") }
    }
}
