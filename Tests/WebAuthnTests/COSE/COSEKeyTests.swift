import CBOR
import Crypto
import CryptoExtras
import Testing
import WebAuthn

/// COSE_Key parsing: every supported algorithm, and every mismatch rejected with its code.
struct COSEKeyTests {
    func code(_ bytes: [UInt8], _ options: COSEKey.Options = .init()) -> WebAuthnError.Code? {
        do {
            _ = try COSEKey(cbor: bytes, options: options)
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: [COSEAlgorithm.es256, .es384, .es512, .edDSA, .rs256, .rs384, .rs512, .ps256, .ps384, .ps512])
    func parsesAndVerifies(_ algorithm: COSEAlgorithm) throws {
        let key = TestKey.make(algorithm)
        let parsed = try COSEKey(cbor: key.cosePublicKey)
        #expect(parsed.algorithm == algorithm)
        #expect(parsed.encoded == key.cosePublicKey)
        let data = Array("message".utf8)
        #expect(parsed.isValidSignature(key.sign(data), for: data))
        #expect(!parsed.isValidSignature(key.sign(data), for: data + [0]))
        #expect(!parsed.isValidSignature([], for: data))
    }

    @Test func encodingRoundTrips() throws {
        let p256 = P256.Signing.PrivateKey().publicKey
        let key = COSEKey(p256: p256)
        let parsed = try COSEKey(cbor: key.encoded)
        #expect(parsed == key)
        #expect(parsed.curve == .p256)
        // Canonical CTAP2 order: 1, 3, -1, -2, -3.
        #expect(try CBORDecoder(options: .ctap2Canonical).decode(key.encoded).mapValue?.keys == [1, 3, -1, -2, -3])
    }

    @Test func curveAndAlgorithmMustAgree() {
        let p384 = TestKey.make(.es384)
        var wrong = p384.cosePublicKey
        // alg -35 → -7 (ES256 on a P-384 key): 0x38 0x22 becomes 0x26 0x00 would change lengths,
        // so build the map directly.
        let point = [UInt8](repeating: 1, count: 48)
        wrong = CBORMapLiteral([(1, .int(2)), (3, .int(-7)), (-1, .int(2)), (-2, .bytes(point)), (-3, .bytes(point))]).encoded
        #expect(self.code(wrong) == .keyAlgorithmMismatch)
        let ed = CBORMapLiteral([(1, .int(2)), (3, .int(-8)), (-1, .int(6)), (-2, .bytes(Array(repeating: 1, count: 32)))]).encoded
        #expect(self.code(ed) == .keyAlgorithmMismatch)
        let rsaAsEC = CBORMapLiteral([(1, .int(3)), (3, .int(-7)), (-1, .bytes([1])), (-2, .bytes([1, 0, 1]))]).encoded
        #expect(self.code(rsaAsEC) == .keyAlgorithmMismatch)
    }

    @Test func pointsMustBeOnTheCurve() {
        let x = [UInt8](repeating: 1, count: 32)
        let offCurve = CBORMapLiteral([(1, .int(2)), (3, .int(-7)), (-1, .int(1)), (-2, .bytes(x)), (-3, .bytes(x))]).encoded
        #expect(self.code(offCurve) == .invalidCurvePoint)
        let short = CBORMapLiteral([(1, .int(2)), (3, .int(-7)), (-1, .int(1)), (-2, .bytes(Array(x.dropLast()))), (-3, .bytes(x))]).encoded
        #expect(self.code(short) == .malformedPublicKey)
        let compressed = CBORMapLiteral([(1, .int(2)), (3, .int(-7)), (-1, .int(1)), (-2, .bytes(x)), (-3, .raw([0xf5]))]).encoded
        #expect(self.code(compressed) == .malformedPublicKey)
    }

    @Test func rsaModuliUnder2048BitsAreWeak() {
        var modulus = [UInt8](repeating: 0xff, count: 255)
        modulus[254] = 0xfd
        let weak = CBORMapLiteral([(1, .int(3)), (3, .int(-257)), (-1, .bytes(modulus)), (-2, .bytes([1, 0, 1]))]).encoded
        #expect(self.code(weak) == .weakKey)
    }

    @Test func rs1OnlyWhenAllowed() throws {
        let key = TestKey.make(.rs1).cosePublicKey
        #expect(self.code(key) == .unsupportedAlgorithm)
        #expect(self.code(key, .init(allowRS1: true)) == nil)
    }

    @Test func unknownAlgorithmsAndMissingFields() {
        #expect(self.code(CBORMapLiteral([(1, .int(2)), (3, .int(-47))]).encoded) == .unsupportedAlgorithm)
        #expect(self.code(CBORMapLiteral([(3, .int(-7))]).encoded) == .malformedPublicKey)
        #expect(self.code(CBORMapLiteral([(1, .int(2))]).encoded) == .malformedPublicKey)
        #expect(self.code([0x80]) == .malformedPublicKey)
        #expect(self.code([0xa1]) == .malformedPublicKey)
    }
}
