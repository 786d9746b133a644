import Foundation
import Testing

/// Ctrl-C on a terminal: at a PIN prompt the terminal gets its echo back; while the key waits
/// for a touch, the request is cancelled at the key (CTAPHID CANCEL) and the spinner's line is
/// cleared; either way fidoctl exits 130 at once.
struct InterruptTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-int-\(UUID().uuidString)")

    @Test func ctrlCAtAPINPromptRestoresEchoAndExits130() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let result = try TerminalSession.run(
            ["pin", "set", "--device", "virtual"],
            environment: ["XDG_DATA_HOME": self.home.path],
            steps: [.init(waitFor: "New PIN: ", send: [0x03])]
        )
        #expect(!result.echoWhileRunning)  // the prompt had turned echo off…
        #expect(result.echoAfter)  // …and Ctrl-C turned it back on
        #expect(result.status == 130, "\(result.output)")
        #expect(result.output.contains("Interrupted"))
        #expect(result.secondsToExit < 5)
    }

    @Test func ctrlCWhileWaitingForATouchCancelsAtTheKeyAndClearsTheLine() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let result = try TerminalSession.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "ada"],
            environment: ["XDG_DATA_HOME": self.home.path, "FIDOKIT_VIRTUAL_TOUCH": "never"],
            steps: [.init(waitFor: "Touch your security key", send: [0x03])]
        )
        #expect(result.status == 130, "\(result.output)")
        // The authenticator answered CTAP2_ERR_KEEPALIVE_CANCEL: the CANCEL reached it.
        #expect(result.output.contains("Interrupted; the key's request was cancelled."), "\(result.output)")
        // The spinner's last frame is followed by an erase-line before the sentence.
        let spinner = try #require(result.output.range(of: "Touch your security key…", options: .backwards))
        let rest = result.output[spinner.upperBound...]
        #expect(rest.contains("\r\u{1b}[K"))
        #expect(!rest.contains("Touch your security key"))
        #expect(result.secondsToExit < 5)
        #expect(result.echoAfter)
    }
}
