import CBOR
import FIDOKitTestSupport
import Foundation
import Testing
import WebAuthn

/// A real registration from `Fixtures/webauthn/peers`, with the RP ID, origin, challenge and
/// verification time its peer test used, for the per-format tests. `attestationStatementEdit`
/// changes the statement (and nothing else) before the attestation object is re-encoded.
struct PeerRegistration {
    var response: RegistrationResponseJSON
    var challenge: [UInt8]
    var policy: RegistrationPolicy

    /// Loads `path` (below `Fixtures/webauthn/peers/`), a registration with one RP ID.
    init(_ path: String) throws {
        let data = try Data(contentsOf: FixturePath.url("webauthn/peers/" + path))
        let object = try JSONSerialization.jsonObject(with: data)
        let json = try #require(object as? [String: Any])
        #expect(json["ceremony"] as? String == "registration")
        let rpID = try #require(json["rpId"] as? String)
        let origin = json["origin"] as? String
        let origins = try #require((json["origin"] as? [String]) ?? origin.map { [$0] })
        let challenge = try #require(json["challenge"] as? String)
        self.challenge = try #require(Base64URL.decode(challenge))
        let responseObject = try #require(json["response"])
        let response = try JSONSerialization.data(withJSONObject: responseObject)
        self.response = try JSONDecoder().decode(RegistrationResponseJSON.self, from: response)
        let options = json["options"] as? [String: Any] ?? [:]
        self.policy = RegistrationPolicy(
            relyingParty: RelyingParty(id: rpID, origins: origins),
            requireUserVerification: (options["requireUserVerification"] as? Bool) ?? false
        )
        if let milliseconds = (json["currentTimeMs"] ?? json["fidokitCurrentTimeMs"]) as? Double {
            self.policy.verificationTime = Date(timeIntervalSince1970: milliseconds / 1000)
        }
    }

    /// Loads `path`, checks that its statement is of `format`, and verifies it with the peer
    /// test's RP, challenge and time: what the statement proved.
    static func attestation(of path: String, format: String) async throws -> AttestationResult {
        let sample = try PeerRegistration(path)
        #expect(try sample.attestationObject()["fmt"]?.text == format)
        return try await sample.verify().attestation
    }

    /// The decoded attestation object.
    func attestationObject() throws -> CBORMap {
        let value = try CBORDecoder(options: .strict).decode(self.response.response.attestationObject.bytes)
        return try #require(value.mapValue)
    }

    /// Replaces the attestation statement with `edit` applied to it; `authData` stays byte for byte.
    mutating func editStatement(_ edit: (inout CBORMap) -> Void) throws {
        var object = try self.attestationObject()
        var statement = try #require(object["attStmt"]?.mapValue)
        edit(&statement)
        object["attStmt"] = .map(statement)
        self.response.response.attestationObject = Base64URLBytes(CBOREncoder().encode(.map(object)))
    }

    /// Flips the last bit of the statement's `sig`, keeping its encoding valid.
    mutating func flipSignature() throws {
        try self.editStatement { statement in
            guard var signature = statement["sig"]?.bytes, !signature.isEmpty else { return }
            signature[signature.count - 1] ^= 1
            statement["sig"] = .byteString(signature)
        }
    }

    /// Verifies the registration with ``policy`` (or `policy`).
    func verify(_ policy: RegistrationPolicy? = nil) async throws -> VerifiedRegistration {
        try await RegistrationVerifier(policy: policy ?? self.policy).verify(self.response, challenge: self.challenge)
    }

    /// The error code the registration is refused with, or `nil` when it verifies.
    func outcome(_ policy: RegistrationPolicy? = nil) async -> WebAuthnError.Code? {
        do {
            _ = try await RegistrationVerifier(policy: policy ?? self.policy).verify(self.response, challenge: self.challenge)
            return nil
        } catch {
            return error.code
        }
    }
}
