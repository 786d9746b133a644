import ArgumentParser
import Crypto
import Dispatch
import FIDO2
import FIDO2Testing
import FIDO2WebAuthn
import Foundation
import WebAuthn

/// `fidoctl bench roundtrip`: the time of one enroll + sign-in through libfido2 against the
/// software authenticator, relying-party verification included.
struct BenchRoundTrip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtrip",
        abstract:
            "Median time of enroll + assert through libfido2 against the software authenticator (verification included).",
        discussion: """
            Example:
              fidoctl bench roundtrip --iterations 100 --algorithm eddsa
            """
    )

    @Option(help: "Round trips to time.")
    var iterations = 300

    @Option(help: "es256 or eddsa.")
    var algorithm = "es256"

    func validate() throws {
        guard (1...10_000_000).contains(self.iterations) else {
            throw ValidationError("--iterations must be from 1 to 10000000.")
        }
        guard ["es256", "eddsa"].contains(self.algorithm.lowercased()) else {
            throw ValidationError("--algorithm must be es256 or eddsa.")
        }
    }

    func run() async throws {
        let algorithm: COSEAlgorithm = self.algorithm.lowercased() == "eddsa" ? .edDSA : .es256
        let authenticator = try SoftwareAuthenticator()
        let injected = SoftwareAuthenticatorDevice(authenticator: authenticator, path: "fidokit-virtual://bench")
        injected.register()
        Interruption.keyWillOpen()
        let device = try await Device.open(injected.descriptor)
        let relyingParty = RelyingParty(id: "bench.fidokit.test", origins: ["https://bench.fidokit.test"])
        let registration = RegistrationVerifier(
            policy: RegistrationPolicy(
                relyingParty: relyingParty,
                trustAnchors: [authenticator.attestationRoot],
                requireTrustedAttestation: true
            )
        )
        let authentication = AuthenticationVerifier(policy: AuthenticationPolicy(relyingParty: relyingParty))
        var samples: [Double] = []
        for iteration in 0..<(self.iterations + 10) {
            let start = DispatchTime.now().uptimeNanoseconds
            let challenge = Challenge.random()
            let createData = Self.clientData("webauthn.create", challenge)
            let made = try await device.makeCredential(
                MakeCredentialRequest(
                    relyingPartyID: relyingParty.id,
                    userID: [UInt8(truncatingIfNeeded: iteration)],
                    clientDataHash: Array(SHA256.hash(data: createData)),
                    algorithm: algorithm
                )
            )
            let record = try await registration.verify(
                made.registrationResponse(clientDataJSON: createData),
                challenge: challenge
            ).credential
            let getChallenge = Challenge.random()
            let getData = Self.clientData("webauthn.get", getChallenge)
            let assertions = try await device.getAssertions(
                GetAssertionRequest(
                    relyingPartyID: relyingParty.id,
                    clientDataHash: Array(SHA256.hash(data: getData)),
                    allowCredentials: [made.credentialID]
                )
            )
            guard let assertion = assertions.first else {
                throw CommandFailure(.refused, "The authenticator returned no assertion.")
            }
            _ = try authentication.verify(
                assertion.authenticationResponse(clientDataJSON: getData),
                expecting: try AuthenticationExpectation(challenge: getChallenge, credential: record)
            )
            if iteration >= 10 {  // warm-up excluded
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }
        samples.sort()
        guard let fastest = samples.first else { return }
        let median = samples[samples.count / 2]
        let p90 = samples[samples.count * 9 / 10]
        try Output.line(
            "enroll+assert round trip (\(algorithm), \(samples.count) runs): median \(String(format: "%.2f", median)) ms, "
                + "p90 \(String(format: "%.2f", p90)) ms, min \(String(format: "%.2f", fastest)) ms"
        )
    }

    static func clientData(_ type: String, _ challenge: [UInt8]) -> [UInt8] {
        CollectedClientData(type: type, challenge: Base64URL.encode(challenge), origin: "https://bench.fidokit.test")
            .jsonBytes
    }
}
