import ArgumentParser
import FIDO2
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
            64 usage error; 65 bad input data; 66 an input file cannot be read; 69 no key or service reachable; \
            74 the output could not be written; 130 interrupted (Ctrl-C).

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
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            // After Ctrl-C the cancellation's own error is no news: the handler says it.
            if Interruption.happened { return CommandFailure.Status.interrupted.rawValue }
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
            failure = CommandFailure(unreachable.contains(device.code) ? .unavailable : .refused, "\(device)")
        case let webAuthn as WebAuthnError:
            failure = CommandFailure(.refused, webAuthn.message)
        default:
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
            if !message.isEmpty { Output.error(message + "\n") }
            return code.rawValue
        }
        Output.error("error: " + failure.message + "\n")
        return failure.status.rawValue
    }
}
