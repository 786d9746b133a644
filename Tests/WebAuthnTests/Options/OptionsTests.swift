import Foundation
import Testing
import WebAuthn

/// PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON: fresh challenges, the W3C
/// member names, exclude/allow lists and extensions.
struct OptionsTests {
    func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func challengesAre32RandomBytes() {
        let challenges = (0..<100).map { _ in Challenge.random() }
        #expect(challenges.allSatisfy { $0.count == 32 })
        #expect(Set(challenges).count == 100)
        // Every position is random, including the last bytes of a length that is not a
        // multiple of the eight drawn at a time.
        for position in 0..<32 { #expect(Set(challenges.map { $0[position] }).count > 50) }
        for count in [1, 7, 16, 33] {
            let odd = (0..<100).map { _ in Challenge.random(count: count) }
            #expect(odd.allSatisfy { $0.count == count })
            #expect(Set(odd.map { $0[count - 1] }).count > 50)
        }
    }

    @Test func creationOptionsUseTheW3CNames() throws {
        let record = CredentialRecord(
            id: [1, 2, 3],
            publicKey: [],
            signCount: 0,
            aaguid: .zero,
            transports: ["usb", "nfc"],
            backupEligible: false,
            backupState: false,
            uvInitialized: false,
            attestationFormat: .none,
            attestationType: .none,
            attestationObject: [],
            attestationClientDataJSON: []
        )
        let options = PublicKeyCredentialCreationOptionsJSON(
            relyingParty: (id: "example.com", name: "Example"),
            user: (id: [9, 9], name: "ada@example.com", displayName: "Ada"),
            algorithms: [.es256, .edDSA, .rs256],
            excludeCredentials: [PublicKeyCredentialDescriptorJSON(record)],
            authenticatorSelection: .init(authenticatorAttachment: "cross-platform", residentKey: "required", userVerification: "required"),
            attestation: "direct",
            extensions: .init(credProps: true, credentialProtectionPolicy: "userVerificationRequired", largeBlob: .init(support: "preferred"))
        )
        let json = try self.json(options)
        #expect((json["rp"] as? [String: Any])?["id"] as? String == "example.com")
        #expect((json["user"] as? [String: Any])?["id"] as? String == "CQk")
        #expect((json["challenge"] as? String).flatMap(Base64URL.decode)?.count == 32)
        #expect((json["pubKeyCredParams"] as? [[String: Any]])?.compactMap { $0["alg"] as? Int } == [-7, -8, -257])
        let exclude = (json["excludeCredentials"] as? [[String: Any]])?.first
        #expect(exclude?["id"] as? String == "AQID")
        #expect(exclude?["type"] as? String == "public-key")
        #expect(exclude?["transports"] as? [String] == ["usb", "nfc"])
        let selection = json["authenticatorSelection"] as? [String: Any]
        #expect(selection?["residentKey"] as? String == "required")
        #expect(selection?["requireResidentKey"] as? Bool == true)
        #expect(json["attestation"] as? String == "direct")
        let extensions = json["extensions"] as? [String: Any]
        #expect(extensions?["credProps"] as? Bool == true)
        #expect((extensions?["largeBlob"] as? [String: Any])?["support"] as? String == "preferred")
    }

    @Test func requestOptionsCarryAllowCredentialsAndExtensions() throws {
        let options = PublicKeyCredentialRequestOptionsJSON(
            relyingPartyID: "example.com",
            allowCredentials: [PublicKeyCredentialDescriptorJSON(id: [7])],
            userVerification: "required",
            extensions: .init(appid: "https://example.com/appid.json", prf: .init(eval: .init(first: [1, 2])))
        )
        let json = try self.json(options)
        #expect(json["rpId"] as? String == "example.com")
        #expect((json["allowCredentials"] as? [[String: Any]])?.first?["id"] as? String == "Bw")
        #expect(json["userVerification"] as? String == "required")
        let extensions = json["extensions"] as? [String: Any]
        #expect(extensions?["appid"] as? String == "https://example.com/appid.json")
        #expect(((extensions?["prf"] as? [String: Any])?["eval"] as? [String: Any])?["first"] as? String == "AQI")
        let decoded = try JSONDecoder().decode(PublicKeyCredentialRequestOptionsJSON.self, from: JSONEncoder().encode(options))
        #expect(decoded == options)
    }

    @Test func issuedChallengeVerifiesEndToEnd() async throws {
        let options = PublicKeyCredentialCreationOptionsJSON(
            relyingParty: (id: TestAuthenticator.rpID, name: "Test"),
            user: (id: [1], name: "a", displayName: "A")
        )
        var authenticator = TestAuthenticator()
        authenticator.challenge = options.challenge.bytes
        let verifier = RegistrationVerifier(policy: RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty))
        let result = try await verifier.verify(try authenticator.registration(), challenge: options.challenge.bytes)
        #expect(result.credential.id == authenticator.credentialID)
    }
}
