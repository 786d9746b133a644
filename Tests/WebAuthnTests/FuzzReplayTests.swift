import FIDOKitTestSupport
import Foundation
import Testing
import WebAuthn

/// FuzzTesting's FuzzClientData and FuzzAttestationObject inputs (regression fixtures and seeds),
/// through the same calls and checks as the fuzz targets.
struct FuzzReplayTests {
    @Test func everyClientDataFuzzInputIsReadOrRefusedAndSurvivesWriting() throws {
        let inputs = FuzzCases.inputs("FuzzClientData")
        #expect(!inputs.isEmpty)
        for (name, bytes) in inputs {
            if let clientData = try? CollectedClientData(jsonBytes: bytes) {
                let again = try CollectedClientData(jsonBytes: clientData.jsonBytes)
                #expect(again.type == clientData.type && again.challenge == clientData.challenge, "\(name)")
                #expect(again.origin == clientData.origin && again.topOrigin == clientData.topOrigin, "\(name)")
                #expect(again.crossOrigin == (clientData.crossOrigin == true), "\(name)")
                _ = try? RelyingParty.parseWebOrigin(clientData.origin)
            }
            _ = try? JSONNode.parse(bytes)
            _ = try? RegistrationResponseJSON(jsonBytes: bytes)
            _ = try? AuthenticationResponseJSON(jsonBytes: bytes)
        }
    }

    /// The registration FuzzAttestationObject verifies every input in.
    static let challenge = [UInt8](repeating: 0x2a, count: 32)
    static let verifier = RegistrationVerifier(
        policy: RegistrationPolicy(
            relyingParty: RelyingParty(id: "localhost", origins: ["http://localhost"]),
            verificationTime: Date(timeIntervalSince1970: 1_640_995_200)
        )
    )

    @Test func everyAttestationFuzzInputIsReadOrRefused() async throws {
        let inputs = FuzzCases.inputs("FuzzAttestationObject")
        #expect(!inputs.isEmpty)
        let clientDataJSON = Array(
            #"{"type":"webauthn.create","challenge":"\#(Base64URL.encode(Self.challenge))","origin":"http://localhost"}"#
                .utf8
        )
        for (name, bytes) in inputs {
            _ = try? AuthenticatorData(bytes)
            guard let object = try? AttestationObject(bytes) else { continue }
            #expect(try AuthenticatorData(object.authenticatorData.rawValue) == object.authenticatorData, "\(name)")
            let rawID = object.authenticatorData.attestedCredentialData?.credentialID ?? [1]
            let response = RegistrationResponseJSON(
                rawID: rawID,
                response: .init(clientDataJSON: clientDataJSON, attestationObject: bytes)
            )
            _ = try? await Self.verifier.verify(response, challenge: Self.challenge)
        }
    }
}
