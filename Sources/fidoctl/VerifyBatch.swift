import ArgumentParser
import FIDOMetadata
import Foundation
import WebAuthn

#if canImport(Glibc)
    import Glibc
#endif

/// `fidoctl verify batch`: verifies a JSON Lines file of ceremonies on all cores, printing
/// verdicts in input order.
struct VerifyBatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Verify a JSON Lines batch of registrations and authentications, one verdict line per input line.",
        discussion: """
            Each line: {"id", "kind": "registration"|"authentication", "rpId", "origin" (string or array), "challenge", \
            "requireUserVerification", "trustAnchorsPEM", "credentialPublicKey", "storedSignCount", "currentTimeMs", \
            "response"}, optionally "requireTrustedAttestation", "allowSignCountRegression", "expectedType" (string or array) \
            "allowedAlgorithms" (COSE identifiers), "allowRS1" and "safetyNetCTSProfileMatch". Verdict N is always \
            line N's: a malformed line gets a rejected verdict (malformed_json, invalid_rp_id, invalid_origin), a blank \
            one too (empty_line). Exit status 0 when every line verified, 1 otherwise, 66 when the file cannot be read, \
            74 when the verdicts cannot be written.

            Examples:
              fidoctl verify batch ceremonies.jsonl
              fidoctl verify batch --jobs 1 - < ceremonies.jsonl
            """
    )

    @Argument(help: "The JSON Lines file, or - for stdin.")
    var input: String = "-"

    @Option(help: "Worker tasks (default: one per core).")
    var jobs: Int?

    @Option(help: "A FIDO metadata BLOB (MDS3 JWT) that every registration consults.")
    var mds: String?

    @Option(
        name: .customLong("mds-root"),
        help: "A PEM file of metadata trust anchors (default: GlobalSign Root CA - R3)."
    )
    var mdsRoots: [String] = []

    func validate() throws {
        guard (1...1_024).contains(self.jobs ?? 1) else { throw ValidationError("--jobs must be from 1 to 1024.") }
    }

    func run() async throws {
        let lines: [BatchInputLine]
        if self.input == "-" {
            try InputReader.checkStandardInput()
            lines = try InputReader.lines(STDIN_FILENO, name: "stdin")
        } else {
            let name = Terminal.escaped(self.input)
            let descriptor = try InputReader.open(self.input, name: name)
            defer { _ = close(descriptor) }
            lines = try InputReader.lines(descriptor, name: name)
        }
        let metadata = try await MetadataAnchors.blob(path: self.mds, roots: self.mdsRoots)
        let verdicts = await BatchRunner(
            workers: self.jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            metadata: metadata
        ).run(lines)
        var output = ""
        output.reserveCapacity(verdicts.count * 200)
        var allVerified = true
        for verdict in verdicts {
            output += verdict.json
            output += "\n"
            allVerified = allVerified && verdict.verified
        }
        try Output.write(output)
        if !allVerified {
            throw ExitCode(1)
        }
    }
}

/// Runs batch lines on a fixed number of workers and returns verdicts in input order.
struct BatchRunner: Sendable {
    var workers: Int
    var metadata: MetadataBLOB? = nil

    func run(_ lines: [BatchInputLine]) async -> [Verdict] {
        let workerCount = max(1, min(self.workers, lines.count))
        let chunkSize = (lines.count + workerCount - 1) / max(workerCount, 1)
        return await withTaskGroup(of: (Int, [Verdict]).self) { group in
            for worker in 0..<workerCount {
                let start = worker * chunkSize
                let end = min(lines.count, start + chunkSize)
                guard start < end else { continue }
                group.addTask {
                    var verdicts: [Verdict] = []
                    verdicts.reserveCapacity(end - start)
                    for (index, line) in zip(start..<end, lines[start..<end]) {
                        verdicts.append(await BatchLine.verdict(for: line, number: index + 1, metadata: self.metadata))
                    }
                    return (worker, verdicts)
                }
            }
            var byWorker = [[Verdict]](repeating: [], count: workerCount)
            for await (worker, verdicts) in group {
                byWorker[worker] = verdicts
            }
            return byWorker.flatMap { $0 }
        }
    }
}
