import FIDOKitTestSupport
import Foundation
import MFAStore
import Testing

/// A process killed (SIGKILL) at random points while it writes sign-ins to the SQLite store
/// leaves a store that reopens, passes SQLite's integrity check and holds only whole records.
struct StoreCrashTests {
    @Test func killingAWriterNeverCorruptsTheStore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mfa.sqlite").path
        var generator = SplitMix64(seed: 0xC0FFEE)
        var round = 0
        var earlyExits: [String] = []
        // Six kills; a writer that ended on its own before its kill (a loaded machine, a busy
        // database at start) is not a kill: that round is tried again, and more than six such
        // ends fail the test with what the writer said.
        while round < 6 {
            let process = Process()
            process.executableURL = FidoctlRunner.binary
            process.arguments = ["bench", "signins", "--database", "sqlite:\(path)", "--seconds", "60", "--kind", "totp", "--members", "8"]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            try? errors.fileHandleForWriting.close()  // only the writer holds it open now
            // Let it set up and write for a random while, then kill it without warning.
            let delay = 300 + Int(generator.next() % 1200)
            try await Task.sleep(for: .milliseconds(delay))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason != .uncaughtSignal {
                let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                earlyExits.append("status \(process.terminationStatus): \(said.suffix(300))")
                #expect(earlyExits.count <= 6, "the writer kept ending on its own: \(earlyExits)")
                if earlyExits.count > 6 { return }
                continue
            }
            defer { round += 1 }

            let store = try SQLiteRecordStore(path: path)
            #expect(try await store.integrityCheck() == ["ok"], "round \(round)")
            var records = 0
            for member in 0..<8 {
                for record in try await store.list(kind: "bench-otp", owner: "member-\(member)") {
                    records += 1
                    let object = try JSONSerialization.jsonObject(with: record.data) as? [String: Any]
                    #expect(object?["secret"] != nil, "round \(round): a partial record")
                    #expect(record.version >= 1)
                }
            }
            #expect(records >= 8 * (round + 1) - 8, "round \(round): \(records) records")
        }
    }
}
