import FIDOTypes
import Foundation
import Testing

struct COSEAlgorithmTests {
    @Test func registryNumbersNamesAndKeys() {
        let expected: [(COSEAlgorithm, Int, String, COSEKeyType, COSECurve?)] = [
            (.es256, -7, "ES256", .ec2, .p256), (.es384, -35, "ES384", .ec2, .p384), (.es512, -36, "ES512", .ec2, .p521),
            (.edDSA, -8, "EdDSA", .okp, .ed25519), (.rs256, -257, "RS256", .rsa, nil), (.rs384, -258, "RS384", .rsa, nil),
            (.rs512, -259, "RS512", .rsa, nil), (.ps256, -37, "PS256", .rsa, nil), (.ps384, -38, "PS384", .rsa, nil),
            (.ps512, -39, "PS512", .rsa, nil), (.rs1, -65535, "RS1", .rsa, nil),
        ]
        for (algorithm, number, name, keyType, curve) in expected {
            #expect(algorithm.rawValue == number)
            #expect(algorithm.description == name)
            #expect(algorithm.keyType == keyType)
            #expect(algorithm.curve == curve)
        }
    }

    @Test func anUnknownIdentifierSurvives() {
        let unknown = COSEAlgorithm(-999)
        #expect(unknown == COSEAlgorithm(rawValue: -999))
        #expect(unknown.description == "COSE algorithm -999")
        #expect(unknown.keyType == nil && unknown.curve == nil)
        #expect(COSEKeyType(rawValue: 9).description == "key type 9")
        #expect(COSECurve(rawValue: 9).description == "curve 9")
    }

    @Test func rs1IsNotAllowedByDefault() {
        #expect(!COSEAlgorithm.defaultAllowed.contains(.rs1))
        #expect(COSEAlgorithm.defaultAllowed.first == .es256)
    }

    @Test func codesAsItsNumber() throws {
        let data = try JSONEncoder().encode([COSEAlgorithm.es256, COSEAlgorithm(-999)])
        #expect(String(decoding: data, as: UTF8.self) == "[-7,-999]")
        #expect(try JSONDecoder().decode([COSEAlgorithm].self, from: data) == [.es256, COSEAlgorithm(-999)])
    }
}
