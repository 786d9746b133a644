import ArgumentParser
import Crypto
import FIDO2
import Foundation
import WebAuthn

/// `fidoctl assert`: signs in with a key, as a browser would.
struct AssertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assert",
        abstract: "Get an assertion from a key; print the AuthenticationResponseJSON (and a verdict with --public-key)."
    )

    @OptionGroup var device: DeviceOptions

    @Option(name: .customLong("rp-id"), help: "The relying party id.")
    var rpID: String

    // Unconditional: a base64url id may begin with "-".
    @Option(
        name: .customLong("credential-id"),
        parsing: .unconditionalSingleValue,
        help: "An allowed credential id, base64url (repeatable; none: discoverable credentials)."
    )
    var credentialIDs: [String] = []

    @Option(help: "The origin to put in clientDataJSON (default https://RP-ID).")
    var origin: String?

    @Option(
        name: .customLong("public-key"),
        parsing: .unconditional,
        help: "The credential's COSE public key (base64url), to verify the assertion."
    )
    var publicKey: String?

    @Option(name: .customLong("sign-count"), help: "The stored signature counter, with --public-key.")
    var signCount: UInt32 = 0

    @Flag(help: "Require user verification (PIN).")
    var userVerification = false

    func run() async throws {
        let allow = try self.credentialIDs.map { text in
            guard let bytes = Base64URL.decode(text) else {
                throw ValidationError("--credential-id \(text) is not base64url.")
            }
            return bytes
        }
        let opened = try await self.device.open()
        let hasPIN = try await opened.device.hasPIN
        let needsPIN = hasPIN && (self.userVerification || allow.isEmpty)
        let pin = needsPIN ? try self.device.pin() : nil
        let origin = self.origin ?? "https://\(self.rpID)"
        let challenge = Challenge.random()
        let clientData = CollectedClientData(
            type: "webauthn.get",
            challenge: Base64URL.encode(challenge),
            origin: origin
        ).jsonBytes
        let assertions = try await TouchPrompt.during { touch in
            try await opened.device.getAssertions(
                GetAssertionRequest(
                    relyingPartyID: self.rpID,
                    clientDataHash: Array(SHA256.hash(data: clientData)),
                    allowCredentials: allow,
                    userVerification: self.userVerification ? true : nil
                ),
                pin: pin,
                touch: touch
            )
        }
        try opened.save()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for assertion in assertions {
            let response = assertion.authenticationResponse(clientDataJSON: clientData)
            print(String(decoding: try encoder.encode(response), as: UTF8.self))
            if let publicKey = self.publicKey {
                let job = VerificationJob(
                    kind: .authentication,
                    rpID: self.rpID,
                    origins: [origin],
                    challenge: Base64URL.encode(challenge),
                    requireUserVerification: self.userVerification,
                    credentialPublicKey: publicKey,
                    storedSignCount: self.signCount,
                    response: .authentication(response)
                )
                print(await job.run().json)
            }
        }
    }
}
