import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C (SIGINT), SIGTERM, SIGHUP and Ctrl-\ (SIGQUIT): puts the terminal back (echo on
/// after a PIN prompt), cancels the command (which sends CTAPHID CANCEL to the key through the
/// driver's task cancellation), clears the "touch your key" line and exits 128 + the signal
/// (130, 143, 129, 131). SIGQUIT is caught too, so Swift's crash backtracer never starts at a
/// prompt with echo off.
enum Interruption {
    /// The signals handled, with the word the exit line uses.
    static let signals: [(number: Int32, name: String)] = [
        (SIGINT, "Interrupted"), (SIGTERM, "Terminated (SIGTERM)"), (SIGHUP, "Hung up (SIGHUP)"),
        (SIGQUIT, "Quit (SIGQUIT)"),
    ]

    /// Kept alive for the process's life; set once, from `main`, before any signal can arrive.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let interrupted = Atomic<Int32>(0)
    /// Whether the command opened a security key (then a cancellation reached the key).
    private static let keyOpened = Atomic<Bool>(false)
    /// Signalled when the command has ended after a cancellation.
    private static let commandEnded = DispatchSemaphore(value: 0)

    /// Whether a handled signal arrived.
    static var happened: Bool { Self.interrupted.load(ordering: .acquiring) != 0 }

    /// Handles the signals from now on; `cancel` cancels the running command.
    static func install(cancel: @escaping @Sendable () -> Void) {
        for (number, name) in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
            source.setEventHandler {
                guard
                    Self.interrupted.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing)
                        .exchanged
                else { return }
                let atPrompt = Terminal.restore()
                TouchPrompt.stopActive()
                // Runs the driver's cancellation handler at once, on this thread: fido_dev_cancel.
                cancel()
                // Give the key a moment to acknowledge, so its state is saved. A prompt blocked in
                // read(2) never ends: then there is nothing to wait for.
                let ended =
                    !atPrompt && Self.commandEnded.wait(timeout: .now() + .milliseconds(1500)) == .success
                Self.exit(name: name, status: 128 + number, commandEnded: ended)
            }
            source.resume()
            Self.sources.append(source)
        }
    }

    /// Called before a security key is opened: from then on, an interruption says that the key's
    /// request was cancelled (a command that talks only to a server never does).
    static func keyWillOpen() {
        Self.keyOpened.store(true, ordering: .releasing)
    }

    /// Called by `main` when the command ended: after a signal, hands over to the handler.
    static func commandDidEnd() {
        Self.commandEnded.signal()
    }

    /// The exit status after the signal that arrived (130 for Ctrl-C).
    static var status: Int32 {
        let number = Self.interrupted.load(ordering: .acquiring)
        return number == 0 ? CommandFailure.Status.interrupted.rawValue : 128 + number
    }

    private static func exit(name: String, status: Int32, commandEnded: Bool) -> Never {
        let cancelled = commandEnded && Self.keyOpened.load(ordering: .acquiring)
        Output.error("\n\(name)\(cancelled ? "; the key's request was cancelled" : "").\n")
        Glibc.exit(status)
    }
}
