import CBOR
import Dispatch
import Foundation
import FuzzCommon
import WebAuthn

/// libFuzzer's entry: the input as an attestation object, as bare authenticator data, and as
/// the attestation object of a whole registration (§7.1) for RP `localhost` with a fixed
/// challenge and client data, so every attestation format's statement parsing and checks run on
/// it (the seeds' rpIdHash is rewritten to localhost's, see scripts/fuzz.sh).
///
/// Checks: authenticator data inside a parsed attestation object parses alone to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAttestationObject(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.run(start, count) { bytes in
        _ = try? AuthenticatorData(bytes)
        guard let object = try? AttestationObject(bytes) else { return }
        guard (try? AuthenticatorData(object.authenticatorData.rawValue)) == object.authenticatorData else {
            fatalError("authenticator data parses differently alone")
        }
        if let credential = object.authenticatorData.attestedCredentialData {
            _ = try? COSEKey(cbor: credential.publicKeyBytes)
        }
        let rawID = object.authenticatorData.attestedCredentialData?.credentialID ?? [1]
        let response = RegistrationResponseJSON(
            rawID: rawID,
            response: .init(clientDataJSON: Fixed.clientDataJSON, attestationObject: bytes)
        )
        let done = DispatchSemaphore(value: 0)
        Task {
            _ = try? await Fixed.verifier.verify(response, challenge: Fixed.challenge)
            done.signal()
        }
        done.wait()
    }
}

/// The ceremony every input is verified in.
enum Fixed {
    static let challenge = [UInt8](repeating: 0x2a, count: 32)
    static let clientDataJSON = Array(
        #"{"type":"webauthn.create","challenge":"\#(Base64URL.encode(challenge))","origin":"http://localhost"}"#.utf8
    )
    static let verifier = RegistrationVerifier(
        policy: RegistrationPolicy(
            relyingParty: RelyingParty(id: "localhost", origins: ["http://localhost"]),
            verificationTime: Date(timeIntervalSince1970: 1_640_995_200)  // 2022-01-01
        )
    )
}
