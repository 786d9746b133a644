import ArgumentParser
import FIDO2
import Foundation

/// `fidoctl list`: the security keys this machine can reach.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the security keys plugged in.")

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let descriptors = try Device.list()
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(descriptors), as: UTF8.self))
            return
        }
        if descriptors.isEmpty {
            print("No security key found. (`--device virtual` uses FIDOKit's software authenticator.)")
            return
        }
        print("PATH".padding(toLength: 24, withPad: " ", startingAt: 0) + "ID          TRANSPORT  KEY")
        for descriptor in descriptors {
            let id = String(format: "%04x:%04x", descriptor.vendorID, descriptor.productID)
            print(
                descriptor.path.padding(toLength: 24, withPad: " ", startingAt: 0) + id + "   "
                    + descriptor.transport.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + "\(descriptor.manufacturer) \(descriptor.product)"
            )
        }
    }
}

/// `fidoctl info`: what the key says about itself.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a key's capabilities (getInfo)."
    )

    @OptionGroup var device: DeviceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let opened = try await self.device.open()
        let info = try await opened.device.info()
        let retries = info.options["clientPin"] == true ? try? await opened.device.pinRetries() : nil
        let fields: [(String, JSONOutput)] = [
            ("device", .string(opened.device.descriptor.path)),
            ("versions", .array(info.versions.map { .string($0) })),
            ("extensions", .array(info.extensions.map { .string($0) })),
            ("aaguid", .string(info.aaguid?.description ?? "")),
            ("options", .object(info.options.sorted { $0.key < $1.key }.map { ($0.key, .bool($0.value)) })),
            ("maxMessageSize", .int(Int64(info.maxMessageSize))),
            ("pinProtocols", .array(info.pinProtocols.map { .int(Int64($0)) })),
            ("transports", .array(info.transports.map { .string($0) })),
            ("algorithms", .array(info.algorithms.map { .string($0.description) })),
            ("firmwareVersion", .int(Int64(info.firmwareVersion))),
            ("minPINLength", .int(Int64(info.minPINLength))),
            ("remainingDiscoverableCredentials", .int(info.remainingDiscoverableCredentials ?? -1)),
            ("pinRetries", .int(Int64(retries ?? -1))),
        ]
        if self.json {
            print(JSONOutput.object(fields).serialized)
        } else {
            for (name, value) in fields {
                print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(value.serialized)")
            }
        }
    }
}
