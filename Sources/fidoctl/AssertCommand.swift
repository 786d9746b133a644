import ArgumentParser
import Crypto
import FIDO2
import FIDO2WebAuthn
import Foundation
import WebAuthn

/// `fidoctl assert`: signs in with a key, as a browser would.
struct AssertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assert",
        abstract:
            "Get an assertion from a key; print the AuthenticationResponseJSON (and a verdict with --public-key).",
        discussion: """
            Examples:
              fidoctl assert --device virtual --rp-id example.com --credential-id ID --public-key KEY --sign-count 1
              fidoctl assert --rp-id example.com --require-user-verification
              fidoctl assert --device virtual --rp-id example.com --credential-id ID --challenge AAECAwQFBgcICQoLDA0ODw \\
                  | fidoctl verify authentication --rp-id example.com --origin https://example.com \\
                  --challenge AAECAwQFBgcICQoLDA0ODw --public-key KEY
            """
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var pinSource: PINOptions
    @OptionGroup var relyingParty: RelyingPartyOptions

    // Unconditional: a base64url id may begin with "-".
    @Option(
        name: .customLong("credential-id"),
        parsing: .unconditionalSingleValue,
        help: "An allowed credential id, base64url (repeatable; none: discoverable credentials)."
    )
    var credentialIDs: [String] = []

    @Option(
        name: .customLong("public-key"),
        parsing: .unconditional,
        help: "The credential's COSE public key (base64url), to verify the assertion."
    )
    var publicKey: String?

    @Option(name: .customLong("sign-count"), help: "The stored signature counter, with --public-key.")
    var signCount: UInt32?

    @Option(
        help:
            "The challenge, base64url, at least 16 bytes (default: random), so that the response pipes into `fidoctl verify authentication`."
    )
    var challenge: String?

    func validate() throws {
        if let challenge = self.challenge {
            _ = try EnrollCommand.decodeChallenge(challenge)
        }
        guard self.signCount == nil || self.publicKey != nil else {
            throw ValidationError("--sign-count is used only to verify the assertion: give --public-key with it.")
        }
    }

    func run() async throws {
        let rpID = self.relyingParty.rpID
        let userVerification = self.relyingParty.userVerification
        let allow = try self.credentialIDs.map { text in
            guard let bytes = Base64URL.decode(text), !bytes.isEmpty else {
                throw ValidationError("--credential-id \(text) is empty or not base64url.")
            }
            return bytes
        }
        try self.pinSource.checkFile()
        let opened = try await self.device.open()
        let hasPIN = try await opened.device.hasPIN
        let needsPIN = hasPIN && (userVerification || allow.isEmpty)
        let pin = needsPIN ? try self.pinSource.pin() : nil
        let origin = self.relyingParty.resolvedOrigin
        let challenge = try self.challenge.map(EnrollCommand.decodeChallenge) ?? Challenge.random()
        let clientData = CollectedClientData(
            type: "webauthn.get",
            challenge: Base64URL.encode(challenge),
            origin: origin
        ).jsonBytes
        let assertions = try await TouchPrompt.during { touch in
            try await opened.device.getAssertions(
                GetAssertionRequest(
                    relyingPartyID: rpID,
                    clientDataHash: Array(SHA256.hash(data: clientData)),
                    allowCredentials: allow,
                    userVerification: userVerification ? true : nil
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
            try Output.line(String(decoding: try encoder.encode(response), as: UTF8.self))
            if let publicKey = self.publicKey {
                let job = VerificationJob(
                    kind: .authentication,
                    rpID: rpID,
                    origins: [origin],
                    challenge: Base64URL.encode(challenge),
                    requireUserVerification: userVerification,
                    credentialPublicKey: publicKey,
                    storedSignCount: self.signCount ?? 0,
                    response: .authentication(response)
                )
                try Output.line(await job.run().json)
            }
        }
    }
}
