import ArgumentParser
import CryptoExtras
import Dispatch
import Foundation
import WebAuthn

/// `fidoctl bench assertions`: assertion verification per second, whole ceremony beside the bare
/// swift-crypto signature check of the same data, on one core.
struct BenchAssertions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assertions",
        abstract: "Assertions verified per second (ES256, EdDSA, RS256): ceremony vs bare signature check.",
        discussion: """
            The ratio is the ceremony's time over the bare check's (ceremony cost: 1.2× means the ceremony takes \
            20 % longer than the signature check alone).

            Examples:
              fidoctl bench assertions
              fidoctl bench assertions --algorithms es256 --seconds 1 --rounds 1
            """
    )

    @Option(help: "Comma-separated algorithms to measure: es256, eddsa, rs256.")
    var algorithms = "es256,eddsa,rs256"

    @Option(help: "Distinct credentials per algorithm.")
    var credentials = 200

    @Option(help: "Seconds to measure each figure.")
    var seconds = 2.0

    @Option(help: "Rounds; each figure reported is the best round.")
    var rounds = 3

    @Option(
        help:
            "Run exactly this many operations per figure instead of timing (for instruction counting under callgrind)."
    )
    var operations: Int?

    func validate() throws {
        guard self.seconds > 0, self.seconds <= 86_400 else {
            throw ValidationError("--seconds must be more than 0 and at most 86400.")
        }
        guard (1...1_000).contains(self.rounds) else { throw ValidationError("--rounds must be from 1 to 1000.") }
        guard (1...100_000).contains(self.credentials) else {
            throw ValidationError("--credentials must be from 1 to 100000.")
        }
        guard (1...1_000_000_000).contains(self.operations ?? 1) else {
            throw ValidationError("--operations must be from 1 to 1000000000.")
        }
    }

    func run() async throws {
        let rsaKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let verifier = AuthenticationVerifier(
            policy: AuthenticationPolicy(
                relyingParty: RelyingParty(id: BenchmarkAssertion.rpID, origins: [BenchmarkAssertion.origin])
            )
        )
        try Output.line("algorithm  ceremony/s    bare/s    ratio (ceremony time / bare time = ceremony cost)")
        let names: [String: COSEAlgorithm] = ["es256": .es256, "eddsa": .edDSA, "rs256": .rs256]
        let selected = try self.algorithms.split(separator: ",").map { name in
            guard let algorithm = names[name.lowercased()] else { throw ValidationError("Unknown algorithm \(name).") }
            return algorithm
        }
        for algorithm in selected {
            let assertions = try (0..<self.credentials).map { _ in
                try BenchmarkAssertion.make(algorithm, rsaKey: rsaKey)
            }
            let expectations = assertions.map {
                AuthenticationExpectation(challenge: $0.challenge, publicKey: $0.publicKey, storedSignCount: 0)
            }
            var bestCeremony = 0.0
            var bestBare = 0.0
            for _ in 0..<self.rounds {
                let (bare, ceremony) = Self.interleavedRates(
                    seconds: self.seconds,
                    operations: self.operations,
                    count: assertions.count,
                    bare: { assertions[$0].bareCheck() },
                    ceremony: { (try? verifier.verify(assertions[$0].response, expecting: expectations[$0])) != nil }
                )
                bestBare = max(bestBare, bare)
                bestCeremony = max(bestCeremony, ceremony)
            }
            let cost = bestBare / bestCeremony
            try Output.line(
                "\(algorithm.description.padding(toLength: 9, withPad: " ", startingAt: 0))"
                    + "\(String(format: "%10.0f", bestCeremony))\(String(format: "%10.0f", bestBare))"
                    + "    \(String(format: "%.3f", cost))×"
            )
        }
    }

    /// Operations per second of the bare check and of the ceremony, measured in alternating
    /// blocks over the same inputs so that both see the same machine load.
    static func interleavedRates(
        seconds: Double,
        operations: Int?,
        count: Int,
        bare: (Int) -> Bool,
        ceremony: (Int) -> Bool
    ) -> (bare: Double, ceremony: Double) {
        var bareNanoseconds: UInt64 = 0
        var ceremonyNanoseconds: UInt64 = 0
        var done = 0
        var failures = 0
        let budget = UInt64(seconds * 2e9)
        while operations.map({ done < $0 }) ?? (bareNanoseconds + ceremonyNanoseconds < budget) {
            let block = operations.map { min(count, $0 - done) } ?? count
            var start = DispatchTime.now().uptimeNanoseconds
            for index in 0..<block where !bare(index) {
                failures += 1
            }
            var end = DispatchTime.now().uptimeNanoseconds
            bareNanoseconds += end - start
            start = end
            for index in 0..<block where !ceremony(index) {
                failures += 1
            }
            end = DispatchTime.now().uptimeNanoseconds
            ceremonyNanoseconds += end - start
            done += block
        }
        precondition(failures == 0, "a benchmark verification failed")
        return (Double(done) / (Double(bareNanoseconds) / 1e9), Double(done) / (Double(ceremonyNanoseconds) / 1e9))
    }
}
