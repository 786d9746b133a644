import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C (SIGINT): puts the terminal back (echo on after a PIN prompt), cancels the command
/// (which sends CTAPHID CANCEL to the key through the driver's task cancellation), clears the
/// "touch your key" line and exits 130.
enum Interruption {
    /// Kept alive for the process's life; set once, from `main`, before any signal can arrive.
    nonisolated(unsafe) private static var source: (any DispatchSourceSignal)?
    private static let interrupted = Atomic<Bool>(false)
    /// Signalled when the command has ended after a cancellation.
    private static let commandEnded = DispatchSemaphore(value: 0)

    /// Whether Ctrl-C was pressed.
    static var happened: Bool { Self.interrupted.load(ordering: .acquiring) }

    /// Handles SIGINT from now on; `cancel` cancels the running command.
    static func install(cancel: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global(qos: .userInitiated))
        source.setEventHandler {
            guard !Self.interrupted.exchange(true, ordering: .acquiringAndReleasing) else { return }
            let atPrompt = Terminal.restore()
            TouchPrompt.stopActive()
            // Runs the driver's cancellation handler at once, on this thread: fido_dev_cancel.
            cancel()
            // Give the key a moment to acknowledge, so its state is saved. A prompt blocked in
            // read(2) never ends: then there is nothing to wait for.
            let ended =
                !atPrompt && Self.commandEnded.wait(timeout: .now() + .milliseconds(1500)) == .success
            Self.exit(commandEnded: ended)
        }
        source.resume()
        Self.source = source
    }

    /// Called by `main` when the command ended: after Ctrl-C, hands over to the handler.
    static func commandDidEnd() {
        Self.commandEnded.signal()
    }

    private static func exit(commandEnded: Bool) -> Never {
        Output.error("\nInterrupted\(commandEnded ? "; the key's request was cancelled" : "").\n")
        Glibc.exit(CommandFailure.Status.interrupted.rawValue)
    }
}
