import ArgumentParser
import Crypto
import FIDO2
import Foundation
import WebAuthn

/// `fidoctl enroll`: registers a key with a relying party, as a browser would, and verifies it.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Create a credential on a key; print the RegistrationResponseJSON and the verifier's verdict."
    )

    @OptionGroup var device: DeviceOptions

    @Option(name: .customLong("rp-id"), help: "The relying party id, e.g. example.com.")
    var rpID: String

    @Option(help: "The account name.")
    var user: String

    @Option(help: "The origin to put in clientDataJSON (default https://RP-ID).")
    var origin: String?

    @Option(help: "es256, eddsa or rs256.")
    var algorithm = "es256"

    @Flag(help: "Create a discoverable (resident) credential.")
    var residentKey = false

    @Flag(help: "Require user verification (PIN).")
    var userVerification = false

    @Flag(help: "Ask for the PIN even when the request does not require it.")
    var usePIN = false

    func run() async throws {
        let algorithms: [String: COSEAlgorithm] = ["es256": .es256, "eddsa": .edDSA, "rs256": .rs256]
        guard let algorithm = algorithms[self.algorithm.lowercased()] else {
            throw ValidationError("--algorithm must be es256, eddsa or rs256.")
        }
        let opened = try await self.device.open()
        let hasPIN = try await opened.device.hasPIN
        let pin =
            (self.userVerification || self.usePIN || (hasPIN && self.residentKey)) && hasPIN
            ? try self.device.pin() : nil
        let origin = self.origin ?? "https://\(self.rpID)"
        let challenge = Challenge.random()
        let clientData = CollectedClientData(
            type: "webauthn.create",
            challenge: Base64URL.encode(challenge),
            origin: origin
        ).jsonBytes
        let made = try await TouchPrompt.during { touch in
            try await opened.device.makeCredential(
                MakeCredentialRequest(
                    relyingPartyID: self.rpID,
                    relyingPartyName: self.rpID,
                    userID: Challenge.random(count: 16),
                    userName: self.user,
                    userDisplayName: self.user,
                    clientDataHash: Array(SHA256.hash(data: clientData)),
                    algorithm: algorithm,
                    residentKey: self.residentKey,
                    userVerification: self.userVerification ? true : nil
                ),
                pin: pin,
                touch: touch
            )
        }
        try opened.save()
        let response = made.registrationResponse(clientDataJSON: clientData)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(response), as: UTF8.self))
        let anchors = opened.virtual.map { [$0.authenticator.attestationRoot] } ?? []
        let job = VerificationJob(
            kind: .registration,
            rpID: self.rpID,
            origins: [origin],
            challenge: Base64URL.encode(challenge),
            requireUserVerification: self.userVerification,
            trustAnchorsPEM: try anchors.map { try $0.serializeAsPEM().pemString },
            response: .registration(response)
        )
        print(await job.run().json)
    }
}
