import ArgumentParser
import Crypto
import FIDO2
import FIDO2WebAuthn
import Foundation
import WebAuthn

/// `fidoctl enroll`: registers a key with a relying party, as a browser would, and verifies it.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Create a credential on a key; print the RegistrationResponseJSON and the verifier's verdict.",
        discussion: """
            --output both (the default) prints two JSON lines: the RegistrationResponseJSON, then the verdict. \
            --output response prints only the response, for `fidoctl verify registration`; give it the same \
            --challenge (without one, a random challenge is made and shown on stderr).

            Examples:
              fidoctl enroll --device virtual --rp-id example.com --user ada
              fidoctl enroll --rp-id example.com --user ada --resident-key --require-user-verification
              fidoctl enroll --device virtual --rp-id example.com --user ada --challenge AAECAwQFBgcICQoLDA0ODw \\
                  --output response | fidoctl verify registration --rp-id example.com \\
                  --origin https://example.com --challenge AAECAwQFBgcICQoLDA0ODw
            """
    )

    /// What `enroll` prints on stdout.
    enum OutputKind: String, ExpressibleByArgument, CaseIterable {
        case response, verdict, both
    }

    @OptionGroup var device: DeviceOptions
    @OptionGroup var pinSource: PINOptions
    @OptionGroup var relyingParty: RelyingPartyOptions

    @Option(help: "The account name.")
    var user: String

    @Option(help: "The credential algorithm: es256, eddsa or rs256.")
    var algorithm = "es256"

    @Option(help: "The challenge, base64url, at least 16 bytes (default: random, shown on stderr).")
    var challenge: String?

    @Option(help: "What to print: response, verdict or both (two JSON lines).")
    var output: OutputKind = .both

    @Flag(help: "Create a discoverable (resident) credential.")
    var residentKey = false

    @Flag(help: "Ask for the PIN even when the request does not require it.")
    var usePIN = false

    func validate() throws {
        // CTAP2 authenticators keep at most 64 bytes of a name; beyond a few hundred the request
        // no longer fits in a key's message.
        guard (1...256).contains(self.user.utf8.count) else {
            throw ValidationError("--user must be 1 to 256 bytes (keys keep the first 64).")
        }
        guard Self.algorithms[self.algorithm.lowercased()] != nil else {
            throw ValidationError("--algorithm must be es256, eddsa or rs256.")
        }
        if let challenge = self.challenge {
            _ = try Self.decodeChallenge(challenge)
        }
    }

    static let algorithms: [String: COSEAlgorithm] = ["es256": .es256, "eddsa": .edDSA, "rs256": .rs256]

    /// A `--challenge`: ``ChallengeText``'s rule, at least 16 bytes (WebAuthn §13.4.3).
    static func decodeChallenge(_ text: String) throws -> [UInt8] {
        guard let bytes = ChallengeText.decode(text), bytes.count >= 16 else {
            throw ValidationError(
                "--challenge must be canonical base64url without padding of at least 16 bytes (22 characters)."
            )
        }
        return bytes
    }

    func run() async throws {
        let algorithm = Self.algorithms[self.algorithm.lowercased()] ?? .es256
        let challenge = try self.challenge.map(Self.decodeChallenge) ?? Challenge.random()
        if self.challenge == nil {
            Terminal.say("Challenge: \(Base64URL.encode(challenge))")
        }
        let userVerification = self.relyingParty.userVerification
        let rpID = self.relyingParty.rpID
        try self.pinSource.checkFile()
        let opened = try await self.device.open()
        let hasPIN = try await opened.device.hasPIN
        let pin =
            (userVerification || self.usePIN || (hasPIN && self.residentKey)) && hasPIN
            ? try self.pinSource.pin() : nil
        let origin = self.relyingParty.resolvedOrigin
        let clientData = CollectedClientData(
            type: "webauthn.create",
            challenge: Base64URL.encode(challenge),
            origin: origin
        ).jsonBytes
        let made = try await TouchPrompt.during { touch in
            try await opened.device.makeCredential(
                MakeCredentialRequest(
                    relyingPartyID: rpID,
                    relyingPartyName: rpID,
                    userID: Challenge.random(count: 16),
                    userName: self.user,
                    userDisplayName: self.user,
                    clientDataHash: Array(SHA256.hash(data: clientData)),
                    algorithm: algorithm,
                    residentKey: self.residentKey,
                    userVerification: userVerification ? true : nil
                ),
                pin: pin,
                touch: touch
            )
        }
        try opened.save()
        let response = made.registrationResponse(clientDataJSON: clientData)
        if self.output != .verdict {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try Output.line(String(decoding: try encoder.encode(response), as: UTF8.self))
        }
        guard self.output != .response else { return }
        let anchors = opened.virtual.map { [$0.authenticator.attestationRoot] } ?? []
        let job = VerificationJob(
            kind: .registration,
            rpID: rpID,
            origins: [origin],
            challenge: Base64URL.encode(challenge),
            requireUserVerification: userVerification,
            trustAnchorsPEM: try anchors.map { try $0.serializeAsPEM().pemString },
            response: .registration(response)
        )
        try Output.line(await job.run().json)
    }
}
