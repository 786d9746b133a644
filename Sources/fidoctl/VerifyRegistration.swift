import ArgumentParser
import Foundation
import WebAuthn

/// `fidoctl verify registration`: verifies a RegistrationResponseJSON read from stdin.
struct VerifyRegistration: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration",
        abstract: "Verify a RegistrationResponseJSON read on stdin and print a JSON verdict.",
        discussion: """
            Exit status: 0 verified, 1 rejected, 64 usage error (an RP ID or origin that is not valid), \
            65 input over its cap or an anchor or --mds file that is no PEM or BLOB, 66 an anchor or --mds \
            file cannot be read, 69 an --mds URL cannot be fetched, 74 the verdict cannot be written.

            Examples:
              fidoctl verify registration --rp-id example.com --origin https://example.com \
                  --challenge B64URL < registration.json
              fidoctl verify registration --rp-id example.com --origin https://example.com --challenge B64URL \
                  --trust-anchors roots.pem --require-trusted-attestation < registration.json
            """
    )

    @OptionGroup var common: CommonVerifyOptions

    @Option(name: .customLong("trust-anchors"), help: "A PEM file of attestation trust anchors (repeatable).")
    var trustAnchorFiles: [String] = []

    @Option(
        name: .customLong("trust-anchors-for"),
        help:
            "Anchors for one format or one model: FORMAT=FILE.pem (e.g. tpm=ms-tpm-roots.pem) or AAGUID=FILE.pem (repeatable)."
    )
    var scopedTrustAnchorFiles: [String] = []

    @Flag(help: "Reject attestations that do not chain to a trust anchor (including none and self).")
    var requireTrustedAttestation = false

    @Option(help: "The attestation conveyance the RP asked for: none, indirect, direct or enterprise.")
    var attestation: String = "none"

    @Flag(help: "With direct/enterprise attestation: accept self attestation.")
    var allowSelfAttestation = false

    @Flag(help: "With direct/enterprise attestation: accept attestation that reaches no anchor, and none.")
    var allowUntrustedAttestation = false

    @Option(
        name: .customLong("allowed-algorithm"),
        help: "An accepted COSE algorithm, e.g. -7 (repeatable; default: all supported but RS1)."
    )
    var allowedAlgorithms: [Int] = []

    @Flag(
        name: .customLong("allow-rs1"),
        help: "Accept RS1 (SHA-1) TPM attestation signatures (and RS1 keys when allowed)."
    )
    var allowRS1 = false

    @Flag(
        name: .customLong("no-cts-profile-match"),
        help: "android-safetynet: accept devices that failed ctsProfileMatch."
    )
    var noCTSProfileMatch = false

    @Option(help: "A FIDO metadata BLOB (MDS3 JWT) to consult: status reports, attestation roots, model names.")
    var mds: String?

    @Option(
        name: .customLong("mds-root"),
        help: "A PEM file of metadata trust anchors (default: GlobalSign Root CA - R3)."
    )
    var mdsRoots: [String] = []

    func run() async throws {
        try await self.verification().run().printAndExit()
    }

    /// The verification the flags ask for, the metadata BLOB read. Kept out of `run`: inlined
    /// there, Swift 6.3.1's release build crashed (LLVM CoroSplit, signal 11, in
    /// `emitSetAndGetSwiftErrorValueAround`).
    @inline(never)
    func verification() async throws -> VerificationJob {
        var job = try self.job()
        job.metadata = try await MetadataAnchors.blob(path: self.mds, roots: self.mdsRoots)
        return job
    }

    /// The verification the flags ask for, without the metadata BLOB.
    func job() throws -> VerificationJob {
        var anchors: [String] = []
        for path in self.trustAnchorFiles {
            anchors.append(try TrustAnchorFiles.text(path, what: "the trust anchors"))
        }
        var job = self.common.job(kind: .registration, response: try StandardInput.readAll())
        job.trustAnchorsPEM = anchors
        job.requireTrustedAttestation = self.requireTrustedAttestation
        job.allowedAlgorithms = self.allowedAlgorithms.isEmpty ? nil : self.allowedAlgorithms
        job.allowRS1 = self.allowRS1
        job.safetyNetRequiresCTSProfileMatch = !self.noCTSProfileMatch
        guard let conveyance = AttestationRequirement.Conveyance(rawValue: self.attestation) else {
            throw ValidationError("--attestation must be none, indirect, direct or enterprise.")
        }
        job.attestation = AttestationRequirement(
            conveyance: conveyance,
            allowSelfAttestation: self.allowSelfAttestation,
            allowUntrustedAttestation: self.allowUntrustedAttestation
        )
        for scoped in self.scopedTrustAnchorFiles {
            let parts = scoped.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError(
                    "--trust-anchors-for takes FORMAT=FILE or AAGUID=FILE, not \(Terminal.escaped(scoped))."
                )
            }
            let text = try TrustAnchorFiles.text(parts[1], what: "the trust anchors")
            if let aaguid = AAGUID(parts[0]) {
                job.trustAnchorsPEMByAAGUID[aaguid, default: []].append(text)
            } else {
                job.trustAnchorsPEMByFormat[AttestationFormat(rawValue: parts[0]), default: []].append(text)
            }
        }
        return job
    }
}

/// `fidoctl verify authentication`: verifies an AuthenticationResponseJSON read from stdin.
struct VerifyAuthentication: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authentication",
        abstract: "Verify an AuthenticationResponseJSON read on stdin and print a JSON verdict.",
        discussion: """
            Exit status: 0 verified, 1 rejected, 64 usage error, 65 input over its cap, 74 the verdict cannot \
            be written.

            Example:
              fidoctl verify authentication --rp-id example.com --origin https://example.com \
                  --challenge B64URL --public-key COSE_B64URL --sign-count 41 < authentication.json
            """
    )

    @OptionGroup var common: CommonVerifyOptions

    @Option(name: .customLong("public-key"), help: "The stored credential public key (COSE_Key, base64url).")
    var publicKey: String

    @Option(name: .customLong("sign-count"), help: "The stored signature counter.")
    var signCount: UInt32 = 0

    @Flag(help: "Accept a signature counter that did not increase (reported as signCountRegressed).")
    var allowSignCountRegression = false

    func run() async throws {
        var job = self.common.job(kind: .authentication, response: try StandardInput.readAll())
        job.credentialPublicKey = self.publicKey
        job.storedSignCount = self.signCount
        job.allowSignCountRegression = self.allowSignCountRegression
        try await job.run().printAndExit()
    }
}

/// Options both single-response verify commands take.
struct CommonVerifyOptions: ParsableArguments {
    @Option(name: .customLong("rp-id"), help: "The relying party id, e.g. example.com.")
    var rpID: String

    @Option(name: .customLong("origin"), help: "An allowed origin, e.g. https://example.com (repeatable).")
    var origins: [String]

    @Option(help: "The challenge the server issued, base64url.")
    var challenge: String

    @Flag(help: "Require the UV flag.")
    var requireUserVerification = false

    @Option(name: .customLong("current-time-ms"), help: "Verify as of this Unix time in milliseconds.")
    var currentTimeMs: Int64?

    @Option(
        name: .customLong("expected-type"),
        help: "An accepted client data type (repeatable; default webauthn.create / webauthn.get)."
    )
    var expectedTypes: [String] = []

    func validate() throws {
        guard !self.origins.isEmpty else { throw ValidationError("Give at least one --origin.") }
        do throws(WebAuthnError) {
            try RelyingPartyRules.checkID(self.rpID)
            for origin in self.origins {
                try RelyingPartyRules.checkOrigin(origin)
            }
        } catch {
            throw ValidationError(Terminal.escaped(error.message))
        }
        try Self.checkChallenge(self.challenge)
        if let time = self.currentTimeMs, time < 0 {
            throw ValidationError("--current-time-ms must not be negative.")
        }
        for type in self.expectedTypes where type.isEmpty || type.unicodeScalars.contains(where: Terminal.isUnsafe) {
            throw ValidationError("--expected-type must be a client data type such as webauthn.get.")
        }
    }

    /// Refuses a `--challenge` that is empty or breaks ``ChallengeText``'s rule (exit 64: a bad
    /// flag, not a rejected response).
    static func checkChallenge(_ challenge: String) throws {
        guard !challenge.isEmpty else { throw ValidationError("--challenge must not be empty.") }
        guard ChallengeText.decode(challenge) != nil else {
            throw ValidationError(
                "--challenge must be canonical base64url without padding (A-Z a-z 0-9 - _), not \(Terminal.escaped(challenge))."
            )
        }
    }

    func job(kind: VerificationJob.Kind, response: Data) -> VerificationJob {
        VerificationJob(
            kind: kind,
            rpID: self.rpID,
            origins: self.origins,
            challenge: self.challenge,
            requireUserVerification: self.requireUserVerification,
            currentTimeMs: self.currentTimeMs,
            expectedTypes: self.expectedTypes.isEmpty ? nil : self.expectedTypes,
            response: .json(response)
        )
    }
}

extension Verdict {
    /// Prints the verdict and exits 0 when verified, 1 when rejected.
    @inline(never)  // see StandardInput.readAll
    func printAndExit() throws {
        try Output.line(self.json)
        if !self.verified {
            throw ExitCode(1)
        }
    }
}

/// The response a verify command reads on stdin.
enum StandardInput {
    /// All of stdin, at most ``InputReader/responseLimit`` bytes.
    ///
    /// - Throws: ``CommandFailure`` 66 (closed, a directory, not readable) or 65 (too large).
    // Not inlined into the async commands' `run`: there, Swift 6.3.1's release build crashed
    // (LLVM CoroSplit, signal 11, in `emitSetAndGetSwiftErrorValueAround`) on this typed throw.
    @inline(never)
    static func readAll() throws(CommandFailure) -> Data {
        Data(try InputReader.standardInput(limit: InputReader.responseLimit))
    }
}
