import ArgumentParser

/// `fidoctl`: FIDOKit's command-line tool.
@main
struct Fidoctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fidoctl",
        abstract: "Verify WebAuthn ceremonies and work with FIDO2 security keys.",
        subcommands: [
            Verify.self, ListCommand.self, InfoCommand.self, EnrollCommand.self, AssertCommand.self, PINCommand.self,
            CredentialsCommand.self, ResetCommand.self, RecordCommand.self, UdevCommand.self, MDSCommand.self,
            OTPCommand.self, PushDeviceCommand.self,
            Bench.self,
        ]
    )
}
