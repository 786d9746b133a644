import FIDOKitTestSupport
import Foundation
import OTP
import Testing

/// `fidoctl otp add|code|verify`, against the RFC 6238 vectors and the enrollment dialogue.
struct OTPCommandTests {
    static let sha1Seed = Base32.encode(Array("12345678901234567890".utf8))
    static let sha256Seed = Base32.encode(Array("12345678901234567890123456789012".utf8))

    @Test func codeReproducesTheRFCVectors() throws {
        let text = try String(contentsOf: FixturePath.url("otp/rfc6238-appendix-b.tsv"), encoding: .utf8)
        for row in text.split(separator: "\n") where !row.hasPrefix("#") {
            let fields = row.split(separator: "\t").map(String.init)
            let sha1 = try FidoctlRunner.run(["otp", "code", "--secret", Self.sha1Seed, "--time", fields[0], "--digits", "8"])
            #expect(sha1.stdout == fields[2] + "\n")
            let sha256 = try FidoctlRunner.run(["otp", "code", "--secret", Self.sha256Seed, "--time", fields[0], "--digits", "8", "--algorithm", "sha256"])
            #expect(sha256.stdout == fields[3] + "\n")
        }
        let hotp = try FidoctlRunner.run(["otp", "code", "--secret", Self.sha1Seed, "--counter", "9"])
        #expect(hotp.stdout == "520489\n")
    }

    @Test func verifyAcceptsTheWindowAndRefusesReplays() throws {
        let base = ["otp", "verify", "--secret", Self.sha1Seed, "--digits", "8", "--time", "1111111111"]
        let valid = try FidoctlRunner.run(base + ["--code", "14050471"])
        #expect(valid.status == 0)
        #expect(valid.stdout == "37037037\n")
        // The previous step's code is inside the ±1 window; the one before is not.
        #expect(try FidoctlRunner.run(base + ["--code", "07081804"]).status == 0)
        #expect(try FidoctlRunner.run(base + ["--code", "00000000"]).status == 1)
        // Once step 37037037 was accepted, its code is refused.
        #expect(try FidoctlRunner.run(base + ["--code", "14050471", "--after", "37037037"]).status == 1)
        #expect(try FidoctlRunner.run(["otp", "verify", "--secret", "not base32!", "--code", "1"]).status == 64)
    }

    @Test func addPrintsTheURIAndQRAndConfirmsTheFirstCode() throws {
        let process = Process()
        process.executableURL = FidoctlRunner.binary
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("otp-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        process.arguments = ["otp", "add", "--issuer", "FIDOKit Dashboard", "--account", "ada@example.com", "--svg", svg.path]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read until the secret line, then answer with the code an app would show.
        var printed = ""
        while !printed.contains("secret: ") || !printed.hasSuffix("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let uriLine = try #require(printed.split(separator: "\n").first { $0.hasPrefix("otpauth://") })
        let uri = try OTPAuthURI(parsing: String(uriLine))
        #expect(uri.issuer == "FIDOKit Dashboard")
        #expect(uri.account == "ada@example.com")
        #expect(uri.secret.count == 20)
        let code = try TOTP(secret: uri.secret).code(at: Date())
        input.fileHandleForWriting.write(Data((code + "\n").utf8))
        try input.fileHandleForWriting.close()
        _ = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stderr.contains("Enrolled"))
        #expect(printed.contains("▀") || printed.contains("▄"))
        #expect(try String(contentsOf: svg, encoding: .utf8).hasPrefix("<svg"))
    }

    @Test func aWrongFirstCodeEnrollsNothing() throws {
        let result = try FidoctlRunner.run(["otp", "add", "--issuer", "X", "--account", "y", "--code", "abcdef"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Nothing was enrolled"))
    }
}
