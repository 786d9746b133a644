import ArgumentParser
import FIDO2
import Foundation
import StreamingJSON

/// `fidoctl list`: the security keys this machine can reach.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the security keys plugged in.",
        discussion: """
            Examples:
              fidoctl list
              fidoctl list --json
            """
    )

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let descriptors = try Device.list()
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try Output.line(String(decoding: try encoder.encode(descriptors), as: UTF8.self))
            return
        }
        if descriptors.isEmpty {
            try Output.line("No security key found. (`--device virtual` uses FIDOKit's software authenticator.)")
            return
        }
        try Output.line("PATH".padding(toLength: 24, withPad: " ", startingAt: 0) + "ID          TRANSPORT  KEY")
        for descriptor in descriptors {
            let id = String(format: "%04x:%04x", descriptor.vendorID, descriptor.productID)
            // Paths and names come from the kernel and the key's USB descriptors.
            try Output.line(
                Terminal.escaped(descriptor.path).padding(toLength: 24, withPad: " ", startingAt: 0) + id + "   "
                    + descriptor.transport.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + Terminal.escaped("\(descriptor.manufacturer) \(descriptor.product)")
            )
        }
    }
}

/// `fidoctl info`: what the key says about itself.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a key's capabilities (getInfo).",
        discussion: """
            Prints one "name: value" line per field, as fido2-token -I does; a field the key does not report is \
            "absent". --json prints one JSON object and leaves absent fields out. \
            remainingDiscoverableCredentials is getInfo's own field (CTAP 2.1), which many keys leave out; \
            `fidoctl credentials list` asks the key's credential management instead, which keys with a PIN answer.

            Examples:
              fidoctl info
              fidoctl info --device virtual --json
            """
    )

    @OptionGroup var device: DeviceOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let opened = try await self.device.open()
        let info = try await opened.device.info()
        let retries = info.options["clientPin"] == true ? try? await opened.device.pinRetries() : nil
        let hasUV = info.options["uv"] != nil || info.options["bioEnroll"] != nil
        let uvRetries = hasUV ? try? await opened.device.uvRetries() : nil
        let fields: [(String, OrderedJSON?)] = [
            ("device", .string(opened.device.descriptor.path)),
            ("versions", .array(info.versions.map { .string($0) })),
            ("extensions", .array(info.extensions.map { .string($0) })),
            ("aaguid", info.aaguid.map { .string($0.description) }),
            ("options", .object(info.options.sorted { $0.key < $1.key }.map { ($0.key, .bool($0.value)) })),
            ("maxMessageSize", .int(Int64(clamping: info.maxMessageSize))),
            ("pinProtocols", .array(info.pinProtocols.map { .int(Int64($0)) })),
            ("transports", .array(info.transports.map { .string($0) })),
            ("algorithms", .array(info.algorithms.map { .string($0.description) })),
            ("firmwareVersion", .int(Int64(clamping: info.firmwareVersion))),
            ("minPINLength", .int(Int64(clamping: info.minPINLength))),
            ("maxCredentialCountInList", Self.reported(info.maxCredentialCountInList)),
            ("maxCredentialIdLength", Self.reported(info.maxCredentialIDLength)),
            ("maxLargeBlobArraySize", Self.reported(info.maxLargeBlobArraySize)),
            ("forcePINChange", .bool(info.forcePINChange)),
            ("remainingDiscoverableCredentials", info.remainingDiscoverableCredentials.map { .int($0) }),
            ("pinRetries", retries.map { .int(Int64($0)) }),
            ("uvRetries", uvRetries.map { .int(Int64($0)) }),
        ]
        if self.json {
            try Output.line(OrderedJSON.object(fields.compactMap { name, value in value.map { (name, $0) } }).jsonLine)
            return
        }
        for (name, value) in fields {
            try Output.line("\(name): \(Terminal.escaped(value.map(Self.plain) ?? "absent"))")
        }
    }

    /// A getInfo number that the key leaves out as 0.
    static func reported(_ value: UInt64) -> OrderedJSON? {
        value == 0 ? nil : .int(Int64(clamping: value))
    }

    /// A value as plain text: strings unquoted, lists comma-separated, options as `name` or
    /// `noname` (as fido2-token prints them).
    static func plain(_ value: OrderedJSON) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let elements): return elements.isEmpty ? "none" : elements.map(Self.plain).joined(separator: ", ")
        case .object(let members):
            return members.map { name, value in
                if case .bool(let on) = value { return on ? name : "no" + name }
                return "\(name)=\(Self.plain(value))"
            }.joined(separator: ", ")
        }
    }
}
