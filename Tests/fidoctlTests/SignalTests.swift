import Foundation
import Testing

/// SIGTERM, SIGHUP and SIGQUIT (Ctrl-\) get Ctrl-C's clean-up: echo back on after a PIN prompt,
/// the key's request cancelled and the spinner's line cleared during a touch wait, exit 128 +
/// the signal — and SIGQUIT never starts Swift's interactive crash backtracer.
struct SignalTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-sig-\(UUID().uuidString)")

    @Test(arguments: [(SIGTERM, "Terminated"), (SIGHUP, "Hung up"), (SIGQUIT, "Quit")])
    func aSignalAtAPINPromptRestoresEcho(signal: Int32, word: String) throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let step: TerminalSession.Step =
            signal == SIGQUIT
            ? .init(waitFor: "New PIN: ", send: [0x1C])  // Ctrl-\ on the terminal
            : .init(waitFor: "New PIN: ", send: [], signal: signal)
        let result = try TerminalSession.run(
            ["pin", "set", "--device", "virtual"],
            environment: ["XDG_DATA_HOME": self.home.path],
            steps: [step]
        )
        #expect(!result.echoWhileRunning)
        #expect(result.echoAfter, "\(result.output)")
        #expect(result.status == 128 + signal, "\(result.output)")
        #expect(result.output.contains(word), "\(result.output)")
        #expect(!result.output.contains("Press space"))
        #expect(!result.output.contains("Crash"))
        #expect(result.secondsToExit < 5)
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGQUIT])
    func aSignalDuringATouchWaitCancelsAtTheKeyAndClearsTheLine(signal: Int32) throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let result = try TerminalSession.run(
            ["enroll", "--device", "virtual", "--rp-id", "example.com", "--user", "ada"],
            environment: ["XDG_DATA_HOME": self.home.path, "FIDOKIT_VIRTUAL_TOUCH": "never"],
            steps: [.init(waitFor: "Touch your security key", send: [], signal: signal)]
        )
        #expect(result.status == 128 + signal, "\(result.output)")
        #expect(result.output.contains("the key's request was cancelled."), "\(result.output)")
        let spinner = try #require(result.output.range(of: "Touch your security key…", options: .backwards))
        #expect(result.output[spinner.upperBound...].contains("\r\u{1b}[K"))
        #expect(result.secondsToExit < 5)
        #expect(result.echoAfter)
    }
}
