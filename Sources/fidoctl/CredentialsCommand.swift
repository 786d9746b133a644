import ArgumentParser
import FIDO2
import Foundation
import StreamingJSON
import WebAuthn

/// `fidoctl credentials list|delete`: discoverable credentials on a key.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "List or delete the discoverable credentials on a key (needs the PIN).",
        subcommands: [List.self, Delete.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List discoverable credentials, by relying party.",
            discussion: """
                Example:
                  FIDOKIT_PIN=123456 fidoctl credentials list --device virtual --json
                """
        )
        @OptionGroup var device: DeviceOptions
        @OptionGroup var pinSource: PINOptions
        @Flag(help: "Print JSON lines.")
        var json = false

        func run() async throws {
            try self.pinSource.checkFile()
            let opened = try await self.device.open()
            let pin = try self.pinSource.pin()
            let storage = try await opened.device.credentialStorage(pin: pin)
            if !self.json {
                try Output.line(
                    "\(storage.existing) discoverable credentials, room for about \(storage.remaining) more."
                )
            }
            for party in try await opened.device.relyingParties(pin: pin) {
                for credential in try await opened.device.discoverableCredentials(relyingPartyID: party.id, pin: pin) {
                    let fields: [(String, OrderedJSON)] = [
                        ("rpId", .string(party.id)),
                        ("credentialId", .string(Base64URL.encode(credential.id))),
                        ("userId", .string(Base64URL.encode(credential.userID))),
                        ("userName", .string(credential.userName ?? "")),
                        ("displayName", .string(credential.userDisplayName ?? "")),
                    ]
                    if self.json {
                        try Output.line(OrderedJSON.object(fields).jsonLine)
                    } else {
                        try Output.line(
                            // Names come from the websites that made the credentials.
                            "\(Terminal.escaped(party.id))  \(Terminal.escaped(credential.userName ?? "?"))  \(Base64URL.encode(credential.id))"
                        )
                    }
                }
            }
            try opened.save()
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete one discoverable credential.",
            discussion: """
                Example:
                  fidoctl credentials delete -- -bDz4cE0aSjxJH1o6yI8Zw
                """
        )
        @OptionGroup var device: DeviceOptions
        @OptionGroup var pinSource: PINOptions
        @Argument(help: "The credential id, base64url (one that begins with \"-\" goes after \"--\").")
        var credentialID: String

        func run() async throws {
            guard let id = Base64URL.decode(self.credentialID), !id.isEmpty else {
                throw ValidationError("The credential id is empty or not base64url.")
            }
            try self.pinSource.checkFile()
            let opened = try await self.device.open()
            try await opened.device.deleteCredential(id: id, pin: try self.pinSource.pin())
            try opened.save()
            Terminal.say("Deleted.")
        }
    }
}
