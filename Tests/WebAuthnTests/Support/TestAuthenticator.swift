import CBOR
import Crypto
import Foundation
import WebAuthn
import X509

/// A software authenticator and client that build registration and authentication responses
/// for the tests. Every field is a plain value so that a test can change exactly one thing.
struct TestAuthenticator: @unchecked Sendable {
    static let rpID = "example.com"
    static let origin = "https://example.com"
    static let challenge: [UInt8] = Array(0..<32)
    static let aaguid: [UInt8] = [0x6d, 0x44, 0xba, 0x9b, 0xf6, 0xec, 0x2e, 0x49, 0xb9, 0x30, 0x0c, 0x8f, 0xe9, 0x20, 0xcb, 0x73]

    static var relyingParty: RelyingParty { RelyingParty(id: rpID, origins: [origin]) }

    enum Attestation {
        case none
        case packedSelf
        case packedX5C(TestAttestationCA, TestAttestationCA.LeafOptions)
        case fidoU2F(TestAttestationCA)
        /// Any other format: `build(authData, clientDataHash, credentialKey)` returns the statement.
        case custom(format: String, build: (_ authData: [UInt8], _ clientDataHash: [UInt8], _ key: TestKey) throws -> CBORValue)
    }

    var key: TestKey
    var credentialID: [UInt8] = Array(repeating: 0xc1, count: 32)
    var attestation: Attestation = .none

    // Client data.
    var clientDataType = "webauthn.create"
    var challenge = TestAuthenticator.challenge
    var origin = TestAuthenticator.origin
    var crossOrigin: Bool? = false
    var topOrigin: String? = nil
    var extraClientData = ""
    var clientDataOverride: [UInt8]? = nil

    // Authenticator data.
    var rpID = TestAuthenticator.rpID
    var flags: AuthenticatorFlags = [.userPresent, .userVerified]
    var signCount: UInt32 = 0
    var aaguid = TestAuthenticator.aaguid
    var publicKeyOverride: [UInt8]? = nil
    var extensions: [UInt8]? = nil
    var trailingAuthData: [UInt8] = []
    var userHandle: [UInt8]? = nil

    // Response wrapper.
    var type = "public-key"
    var responseIDOverride: String? = nil
    var attestationStatementEdit: ((inout CBORMap) -> Void)? = nil
    var signatureEdit: ((inout [UInt8]) -> Void)? = nil
    var clientExtensionResults = ClientExtensionResults()

    init(_ algorithm: COSEAlgorithm = .es256) {
        self.key = TestKey.make(algorithm)
    }

    func clientDataJSON() -> [UInt8] {
        if let clientDataOverride { return clientDataOverride }
        var json = "{\"type\":\"\(self.clientDataType)\",\"challenge\":\"\(Base64URL.encode(self.challenge))\","
        json += "\"origin\":\"\(self.origin)\""
        if let crossOrigin = self.crossOrigin { json += ",\"crossOrigin\":\(crossOrigin)" }
        if let topOrigin = self.topOrigin { json += ",\"topOrigin\":\"\(topOrigin)\"" }
        json += self.extraClientData + "}"
        return Array(json.utf8)
    }

    func authenticatorData(attested: Bool) -> [UInt8] {
        AuthenticatorData.encode(
            relyingPartyID: self.rpID,
            flags: self.flags,
            signCount: self.signCount,
            credential: attested ? (self.aaguid, self.credentialID, self.publicKeyOverride ?? self.key.cosePublicKey) : nil,
            extensions: self.extensions
        ) + self.trailingAuthData
    }

    /// Builds a RegistrationResponseJSON.
    func registration() throws -> RegistrationResponseJSON {
        let clientData = self.clientDataJSON()
        let authData = self.authenticatorData(attested: true)
        let clientDataHash = Array(SHA256.hash(data: clientData))
        var statement = CBORMap()
        var statementValue: CBORValue?
        let format: String
        switch self.attestation {
        case .none:
            format = "none"
        case .packedSelf:
            format = "packed"
            var signature = self.key.sign(authData + clientDataHash)
            self.signatureEdit?(&signature)
            statement = ["alg": CBORValue(self.key.algorithm.rawValue), "sig": .byteString(signature)]
        case .packedX5C(let ca, let options):
            format = "packed"
            let attestationKey = P256.Signing.PrivateKey()
            let leaf = try ca.issue(for: attestationKey.publicKey, options)
            var signature = TestKey.p256(attestationKey).sign(authData + clientDataHash)
            self.signatureEdit?(&signature)
            statement = [
                "alg": -7, "sig": .byteString(signature),
                "x5c": .array([.byteString(TestAttestationCA.der(leaf))]),
            ]
        case .fidoU2F(let ca):
            format = "fido-u2f"
            let attestationKey = P256.Signing.PrivateKey()
            let leaf = try ca.issue(for: attestationKey.publicKey)
            var publicKeyU2F: [UInt8] = []
            if case .p256(let credentialKey) = self.key {
                publicKeyU2F = Array(credentialKey.publicKey.x963Representation)
            }
            let rpIDHash = Array(authData[0..<32])
            var signature = TestKey.p256(attestationKey).sign([0x00] + rpIDHash + clientDataHash + self.credentialID + publicKeyU2F)
            self.signatureEdit?(&signature)
            statement = ["sig": .byteString(signature), "x5c": .array([.byteString(TestAttestationCA.der(leaf))])]
        case .custom(let name, let build):
            format = name
            let value = try build(authData, clientDataHash, self.key)
            if let map = value.mapValue { statement = map } else { statementValue = value }
        }
        self.attestationStatementEdit?(&statement)
        let object: CBORMap = [
            "fmt": .textString(format), "attStmt": statementValue ?? .map(statement), "authData": .byteString(authData),
        ]
        var response = RegistrationResponseJSON(
            rawID: self.credentialID,
            response: .init(clientDataJSON: clientData, attestationObject: CBOREncoder().encode(.map(object)), transports: ["usb"]),
            clientExtensionResults: self.clientExtensionResults,
            type: self.type
        )
        if let id = self.responseIDOverride { response.id = id }
        return response
    }

    /// Builds an AuthenticationResponseJSON (client data type defaults to `webauthn.get` here).
    func assertion() -> AuthenticationResponseJSON {
        var copy = self
        if copy.clientDataType == "webauthn.create" { copy.clientDataType = "webauthn.get" }
        let clientData = copy.clientDataJSON()
        let authData = copy.authenticatorData(attested: false)
        var signature = copy.key.sign(authData + Array(SHA256.hash(data: clientData)))
        copy.signatureEdit?(&signature)
        var response = AuthenticationResponseJSON(
            rawID: copy.credentialID,
            response: .init(clientDataJSON: clientData, authenticatorData: authData, signature: signature, userHandle: copy.userHandle),
            clientExtensionResults: copy.clientExtensionResults,
            type: copy.type
        )
        if let id = copy.responseIDOverride { response.id = id }
        return response
    }

    /// The stored-credential view of this authenticator's key.
    func expectation(storedSignCount: UInt32 = 0) throws -> AuthenticationExpectation {
        AuthenticationExpectation(
            challenge: TestAuthenticator.challenge,
            publicKey: try COSEKey(cbor: self.key.cosePublicKey, options: .init(allowRS1: true)),
            storedSignCount: storedSignCount
        )
    }
}
