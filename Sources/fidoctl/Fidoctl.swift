import ArgumentParser
import FIDO2
import FIDOMetadata
import WebAuthn

#if canImport(Glibc)
    import Glibc
#endif

/// `fidoctl`: FIDOKit's command-line tool.
@main
struct Fidoctl: AsyncParsableCommand {
    /// The version `fidoctl --version` prints.
    static let version = "0.13.0"

    static let configuration = CommandConfiguration(
        commandName: "fidoctl",
        abstract: "Verify WebAuthn ceremonies and work with FIDO2 security keys.",
        discussion: """
            Exit status (sysexits): 0 done or verified; 1 refused (a rejected verdict, a wrong PIN, the key said no); \
            64 usage error; 65 bad input data (or input over its size cap); 66 an input file cannot be read; \
            69 no key or service reachable (or a service's answer is malformed); 74 the output could not be written; \
            75 timed out waiting for a touch; 77 a PIN file others may read; 128+N killed by signal N \
            (130 Ctrl-C, 129 SIGHUP, 131 SIGQUIT, 143 SIGTERM).

            Examples:
              fidoctl list
              fidoctl enroll --device virtual --rp-id example.com --user ada
              fidoctl verify batch ceremonies.jsonl
            """,
        version: Self.version,
        subcommands: [
            Verify.self, ListCommand.self, InfoCommand.self, EnrollCommand.self, AssertCommand.self, PINCommand.self,
            CredentialsCommand.self, ResetCommand.self, RecordCommand.self, UdevCommand.self, MDSCommand.self,
            OTPCommand.self, PushDeviceCommand.self,
            Bench.self,
        ]
    )

    /// Parses the command line and runs the command; every failure becomes a sentence on stderr
    /// and a sysexits status (see ``CommandFailure``), every failed write exit 74.
    static func main() async {
        Output.reserveStandardDescriptors()
        let command = Task { await Self.execute(Array(CommandLine.arguments.dropFirst())) }
        Interruption.install { command.cancel() }
        var status = await command.value
        if Interruption.happened {
            Interruption.commandDidEnd()
            // The interruption handler prints its sentence and exits 130.
            while true { sleep(60) }
        }
        // A message that could not be written is an I/O failure too, whatever the command's
        // status would have been: the caller did not get the sentence.
        if Output.standardErrorFailed != nil {
            status = CommandFailure.Status.ioError.rawValue
        }
        Glibc.exit(status)
    }

    /// Runs one command line and returns the exit status.
    static func execute(_ arguments: [String]) async -> Int32 {
        do {
            var command = try await Self.asyncParseAsRoot(arguments)
            do {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch let usage as ValidationError where !Interruption.happened {
                // A usage error found while running: the subcommand's usage, not the root's.
                let commandType = type(of: command)
                Output.error(
                    Terminal.escaped(
                        "Error: \(usage.message)\nUsage: \(Self.usageString(for: commandType))\n",
                        keepingNewlines: true
                    )
                )
                return CommandFailure.Status.usage.rawValue
            }
            return 0
        } catch {
            // After Ctrl-C the cancellation's own error is no news: the handler says it.
            if Interruption.happened { return Interruption.status }
            return Self.report(error)
        }
    }

    /// Prints `error` and returns its exit status.
    static func report(_ error: any Error) -> Int32 {
        let failure: CommandFailure
        switch error {
        case let known as CommandFailure:
            failure = known
        case let device as FIDO2Error:
            let unreachable: Set<FIDO2Error.Code> = [.notFound, .transmit, .receive]
            let timedOut: Set<FIDO2Error.Code> = [.timeout, .userActionTimeout]
            if timedOut.contains(device.code) || device.code == .receive && TouchPrompt.wasRequested {
                // libfido2 reports its own deadline (--timeout-ms) as a receive error: after a
                // request for a touch, that is a touch that did not come in time.
                failure = CommandFailure(
                    .temporaryFailure,
                    "Timed out waiting for a touch (see --timeout-ms); if the key is still plugged in, run the command again and touch it."
                )
            } else {
                failure = CommandFailure(
                    unreachable.contains(device.code) ? .unavailable : .refused,
                    Terminal.escaped("\(device)")
                )
            }
        case let webAuthn as WebAuthnError:
            failure = CommandFailure(.refused, Terminal.escaped(webAuthn.message))
        case let metadata as MetadataError:
            failure = CommandFailure(
                metadata.code == .unavailable ? .unavailable : metadata.code == .malformed ? .dataError : .refused,
                Terminal.escaped(metadata.message)
            )
        case let refusal as PushDeviceFailure:
            // The device API said no (4xx; other statuses are thrown as 69 already).
            failure = CommandFailure(.refused, refusal.description)
        case is PushDeviceHTTP.ExchangeTimeout:
            failure = CommandFailure(.unavailable, "The server did not answer in time.")
        case let answer as LoadClient.Failure:
            // mfa-server refusing a bench setup request (4xx) or failing (5xx).
            failure = CommandFailure(
                (400..<500).contains(answer.status) ? .refused : .unavailable,
                "The server answered a request of the benchmark's setup with \(answer.description)."
            )
        case let broken as LoadConnection.Failure:
            failure = CommandFailure(.unavailable, "The server's connection failed: \(broken.description).")
        case is ExitCode, is CleanExit, is ValidationError:
            return Self.reportParserError(error)
        default:
            // ArgumentParser's own errors (unknown option, bad value) map to 64; any other error
            // type here is one fidoctl has no sentence for: not a refusal (1), a failure of
            // fidoctl itself (70), said in words rather than as a bare Swift error name.
            guard Self.exitCode(for: error) == .failure else { return Self.reportParserError(error) }
            failure = CommandFailure(
                .software,
                "fidoctl failed unexpectedly (\(String(describing: type(of: error))): \(String(describing: error))); please report it."
            )
        }
        // Every message may quote outside input (a path, a server's answer): no control
        // character reaches the terminal.
        Output.error("error: " + Terminal.escaped(failure.message, keepingNewlines: true) + "\n")
        return failure.status.rawValue
    }

    /// Prints one of ArgumentParser's errors (usage, --help, --version) as it does.
    static func reportParserError(_ error: any Error) -> Int32 {
        let code = Self.exitCode(for: error)
        let message = Self.fullMessage(for: error)
        if code == .success {
            // --help, --version: on stdout.
            do throws(CommandFailure) {
                if !message.isEmpty { try Output.line(message) }
            } catch {
                return Self.report(error)
            }
            return 0
        }
        // ArgumentParser's messages echo the command line: escaped too.
        if !message.isEmpty { Output.error(Terminal.escaped(message, keepingNewlines: true) + "\n") }
        return code.rawValue
    }
}
