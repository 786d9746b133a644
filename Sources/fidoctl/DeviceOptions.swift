import ArgumentParser
import FIDO2
import FIDO2Testing
import Foundation

/// Options every device command takes: which key, where its PIN comes from, how long to wait.
struct DeviceOptions: ParsableArguments {
    @Option(
        name: .customLong("device"),
        help: "The key's path (see `fidoctl list`), or `virtual` for the software authenticator."
    )
    var path: String?

    @Option(
        name: .customLong("pin-file"),
        help: "Read the PIN from this file (else $FIDOKIT_PIN, else a prompt without echo)."
    )
    var pinFile: String?

    @Option(name: .customLong("timeout-ms"), help: "How long to wait for the key in any one call.")
    var timeoutMilliseconds: Int?

    /// Opens the chosen key; with none chosen, the only one plugged in.
    func open() async throws -> OpenedDevice {
        if self.path == "virtual" {
            let store = VirtualAuthenticatorStore()
            let authenticator = try store.load()
            let device = SoftwareAuthenticatorDevice(
                authenticator: authenticator,
                path: VirtualAuthenticatorStore.devicePath
            )
            device.register()
            return OpenedDevice(
                device: try await Device.open(device.descriptor, timeoutMilliseconds: self.timeoutMilliseconds),
                virtual: (store, authenticator)
            )
        }
        let descriptors = try Device.list()
        let descriptor: DeviceDescriptor
        if let path = self.path {
            guard let match = descriptors.first(where: { $0.path == path }) else {
                throw ValidationError("No key at \(path). \(Self.listing(descriptors))")
            }
            descriptor = match
        } else {
            guard descriptors.count == 1, let only = descriptors.first else {
                if descriptors.isEmpty {
                    throw ValidationError(
                        "No security key found. Plug one in (and see `fidoctl udev install` if it is not detected), or try --device virtual."
                    )
                }
                throw ValidationError(
                    "Several keys are plugged in; choose one with --device. \(Self.listing(descriptors))"
                )
            }
            descriptor = only
        }
        return OpenedDevice(
            device: try await Device.open(descriptor, timeoutMilliseconds: self.timeoutMilliseconds),
            virtual: nil
        )
    }

    static func listing(_ descriptors: [DeviceDescriptor]) -> String {
        guard !descriptors.isEmpty else { return "No keys are plugged in." }
        return "Keys:\n" + descriptors.map { "  \($0.path)  \($0.manufacturer) \($0.product)" }.joined(separator: "\n")
    }

    /// The PIN: from --pin-file, $FIDOKIT_PIN, or the terminal without echo. Never from argv.
    func pin(prompt: String = "PIN: ") throws -> String {
        if let file = self.pinFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("Cannot read the PIN file \(file).")
            }
            return text.trimmingCharacters(in: .newlines)
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FIDOKIT_PIN"] {
            return fromEnvironment
        }
        return try Terminal.readSecret(prompt: prompt)
    }
}

/// An opened key; for the software authenticator, also where its state is saved.
struct OpenedDevice {
    var device: Device
    var virtual: (store: VirtualAuthenticatorStore, authenticator: SoftwareAuthenticator)?

    /// Saves the software authenticator's state after a command changed it.
    func save() throws {
        if let virtual = self.virtual {
            try virtual.store.save(virtual.authenticator)
        }
    }
}

/// Where `--device virtual` keeps the software authenticator between runs.
struct VirtualAuthenticatorStore {
    static let devicePath = "fidokit-virtual://fidoctl"

    var file: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSTemporaryDirectory()).appendingPathComponent(
                ".local/share"
            )
        return base.appendingPathComponent("fidokit/virtual-authenticator.json")
    }

    func load() throws -> SoftwareAuthenticator {
        let configuration = SoftwareAuthenticator.Configuration(userPresenceTimeoutMilliseconds: 30_000)
        if let data = try? Data(contentsOf: self.file) {
            return try SoftwareAuthenticator(snapshot: data, configuration: configuration)
        }
        return try SoftwareAuthenticator(configuration: configuration)
    }

    func save(_ authenticator: SoftwareAuthenticator) throws {
        try FileManager.default.createDirectory(
            at: self.file.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try authenticator.snapshot().write(to: self.file, options: .atomic)
        _ = chmod(self.file.path, 0o600)
    }
}
