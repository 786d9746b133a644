import ArgumentParser
import FIDO2
import Foundation

/// `fidoctl pin set|change|status`.
struct PINCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Set, change or inspect a key's PIN.",
        subcommands: [Set.self, Change.self, Status.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the first PIN (read from --pin-file, $FIDOKIT_PIN or the terminal, twice).",
            discussion: """
                A key that already has a PIN keeps it: use `fidoctl pin change`.

                Examples:
                  fidoctl pin set
                  FIDOKIT_PIN=123456 fidoctl pin set --device virtual
                """
        )
        @OptionGroup var device: DeviceOptions
        @OptionGroup var pinSource: PINOptions

        func run() async throws {
            try self.pinSource.checkFile()
            let opened = try await self.device.open()
            if try await opened.device.hasPIN {
                throw CommandFailure(
                    .refused,
                    "This key already has a PIN; change it with `fidoctl pin change` (or erase the key with `fidoctl reset`)."
                )
            }
            let pin = try self.pinSource.pin(prompt: "New PIN: ")
            if !self.pinSource.isScripted {
                try PINCommand.confirm(pin)
            }
            try await opened.device.setPIN(pin)
            try opened.save()
            Terminal.say("PIN set.")
        }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change the PIN. The current PIN comes from --pin-file/$FIDOKIT_PIN/terminal, the new one from --new-pin-file/$FIDOKIT_NEW_PIN/terminal (twice).",
            discussion: """
                Examples:
                  fidoctl pin change
                  FIDOKIT_PIN=123456 FIDOKIT_NEW_PIN=654321 fidoctl pin change --device virtual
                """
        )
        @OptionGroup var device: DeviceOptions
        @OptionGroup var pinSource: PINOptions
        @Option(name: .customLong("new-pin-file"), help: "Read the new PIN from this file.")
        var newPINFile: String?

        func run() async throws {
            try self.pinSource.checkFile()
            try PINOptions.checkFile(self.newPINFile)
            let opened = try await self.device.open()
            let current = try self.pinSource.pin(prompt: "Current PIN: ")
            let new = try PINOptions.pin(
                file: self.newPINFile,
                fileOption: "--new-pin-file",
                environment: "FIDOKIT_NEW_PIN",
                prompt: "New PIN: "
            )
            if self.newPINFile == nil && getenv("FIDOKIT_NEW_PIN") == nil {
                try PINCommand.confirm(new)
            }
            try await opened.device.changePIN(from: current, to: new)
            try opened.save()
            Terminal.say("PIN changed.")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Whether a PIN is set and how many attempts are left.",
            discussion: """
                Example:
                  fidoctl pin status --device virtual
                """
        )
        @OptionGroup var device: DeviceOptions

        func run() async throws {
            let opened = try await self.device.open()
            guard try await opened.device.hasPIN else {
                try Output.line("No PIN is set.")
                return
            }
            try Output.line("PIN set; \(try await opened.device.pinRetries()) attempts left.")
        }
    }

    /// Asks for `pin` again on the terminal.
    ///
    /// - Throws: ``CommandFailure`` when the two differ.
    static func confirm(_ pin: String) throws(CommandFailure) {
        let again = try PINOptions.text(
            try Terminal.readSecret(prompt: "Repeat the new PIN: ") ?? [],
            from: "The PIN typed"
        )
        guard again == pin else {
            throw CommandFailure(.refused, "The PINs differ; nothing was changed.")
        }
    }
}
