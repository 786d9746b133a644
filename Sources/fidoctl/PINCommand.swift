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
            abstract: "Set the first PIN (read from --pin-file, $FIDOKIT_PIN or the terminal)."
        )
        @OptionGroup var device: DeviceOptions

        func run() async throws {
            let opened = try await self.device.open()
            let pin = try self.device.pin(prompt: "New PIN: ")
            if self.device.pinFile == nil && ProcessInfo.processInfo.environment["FIDOKIT_PIN"] == nil {
                guard try Terminal.readSecret(prompt: "Repeat the new PIN: ") == pin else {
                    throw ValidationError("The PINs differ; nothing was changed.")
                }
            }
            try await opened.device.setPIN(pin)
            try opened.save()
            Terminal.say("PIN set.")
        }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change the PIN. The current PIN comes from --pin-file/$FIDOKIT_PIN/terminal, the new one from --new-pin-file/$FIDOKIT_NEW_PIN/terminal."
        )
        @OptionGroup var device: DeviceOptions
        @Option(name: .customLong("new-pin-file"), help: "Read the new PIN from this file.")
        var newPINFile: String?

        func run() async throws {
            let opened = try await self.device.open()
            let current = try self.device.pin(prompt: "Current PIN: ")
            let new: String
            if let file = self.newPINFile {
                new = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
            } else if let fromEnvironment = ProcessInfo.processInfo.environment["FIDOKIT_NEW_PIN"] {
                new = fromEnvironment
            } else {
                new = try Terminal.readSecret(prompt: "New PIN: ")
            }
            do {
                try await opened.device.changePIN(from: current, to: new)
            } catch {
                try opened.save()
                throw error
            }
            try opened.save()
            Terminal.say("PIN changed.")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Whether a PIN is set and how many attempts are left."
        )
        @OptionGroup var device: DeviceOptions

        func run() async throws {
            let opened = try await self.device.open()
            guard try await opened.device.hasPIN else {
                print("No PIN is set.")
                return
            }
            print("PIN set; \(try await opened.device.pinRetries()) attempts left.")
        }
    }
}
