import FIDOKitTestSupport
import Foundation

/// Runs the built `fidoctl` binary, end to end, the way services and scripts call it.
struct FidoctlRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout's lines parsed as JSON objects.
        var verdicts: [[String: Any]] {
            self.stdout.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
        }
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fidoctl")
    }

    static func run(_ arguments: [String], stdin: Data = Data(), environment: [String: String] = [:]) throws -> Result {
        try Self.runTool(Self.binary.path, arguments, stdin: stdin, environment: environment)
    }

    /// Runs a program with `stdin` as its input.
    static func runTool(
        _ path: String,
        _ arguments: [String],
        stdin: Data = Data(),
        environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Runs a `/bin/sh` script with `$FIDOCTL` naming the built binary (for redirections,
    /// pipes and closed descriptors that `Process` cannot set up).
    static func shell(_ script: String, environment: [String: String] = [:]) throws -> Result {
        try Self.runTool(
            "/bin/sh",
            ["-c", script],
            environment: environment.merging(["FIDOCTL": Self.binary.path]) { $1 }
        )
    }

    /// The repository's `Fixtures/` folder.
    static let fixtures = FixturePath.root

    /// A peer sample from Fixtures/webauthn/peers.
    static func sample(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("webauthn/peers/\(path)"))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    static func responseData(_ sample: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: sample["response"] ?? [:])
    }
}
