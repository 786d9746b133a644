import ArgumentParser
import FIDO2
import FIDO2Testing
import Foundation

/// Options every device command takes: which key and how long to wait for it.
struct DeviceOptions: ParsableArguments {
    @Option(
        name: .customLong("device"),
        help: "The key's path (see `fidoctl list`), or `virtual` for the software authenticator."
    )
    var path: String?

    @Option(name: .customLong("timeout-ms"), help: "How long to wait for the key in any one call.")
    var timeoutMilliseconds: Int?

    func validate() throws {
        if let timeout = self.timeoutMilliseconds, !(1...3_600_000).contains(timeout) {
            throw ValidationError("--timeout-ms must be from 1 to 3600000 (an hour).")
        }
    }

    /// Opens the chosen key; with none chosen, the only one plugged in.
    ///
    /// - Throws: ``CommandFailure`` `unavailable` (69) when there is no such key.
    func open() async throws -> OpenedDevice {
        Interruption.keyWillOpen()
        if self.path == "virtual" {
            let store = try VirtualAuthenticatorStore.open()
            let authenticator = try store.load()
            authenticator.userPresence = try VirtualAuthenticatorStore.presenceFromEnvironment()
            // Every request the authenticator handles is saved at once, under the lock.
            authenticator.onRequestHandled = { [weak authenticator] in
                if let authenticator { store.saveReportingFailure(authenticator) }
            }
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
                throw CommandFailure(.unavailable, "No key at \(path). \(Self.listing(descriptors))")
            }
            descriptor = match
        } else {
            guard descriptors.count == 1, let only = descriptors.first else {
                if descriptors.isEmpty {
                    throw CommandFailure(
                        .unavailable,
                        "No security key found. Plug one in (and see `fidoctl udev install` if it is not detected), or try --device virtual."
                    )
                }
                throw CommandFailure(
                    .usage,
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
        return "Keys:\n"
            + descriptors.map { Terminal.escaped("  \($0.path)  \($0.manufacturer) \($0.product)") }.joined(
                separator: "\n"
            )
    }
}

/// Where a device command's PIN comes from: `--pin-file`, `$FIDOKIT_PIN`, or the terminal
/// without echo; never from argv. Only commands that may need a PIN take it.
struct PINOptions: ParsableArguments {
    @Option(
        name: .customLong("pin-file"),
        help: "Read the PIN from this file (else $FIDOKIT_PIN, else a prompt without echo)."
    )
    var pinFile: String?

    /// Whether the PIN comes from a file or the environment rather than the terminal.
    var isScripted: Bool { self.pinFile != nil || getenv("FIDOKIT_PIN") != nil }

    /// The PIN.
    ///
    /// - Throws: ``CommandFailure``: the file cannot be read, or the PIN is not UTF-8 text.
    func pin(prompt: String = "PIN: ") throws(CommandFailure) -> String {
        try Self.pin(file: self.pinFile, fileOption: "--pin-file", environment: "FIDOKIT_PIN", prompt: prompt)
    }

    /// Checks, before the key is opened, that the PIN files named can be read and are not
    /// readable by others: a refusal (exit 66, 77) never waits for the key's answer.
    ///
    /// - Throws: ``CommandFailure`` 66 or 77.
    func checkFile() throws(CommandFailure) {
        try Self.checkFile(self.pinFile)
    }

    /// Checks one PIN file (nothing when `file` is nil).
    static func checkFile(_ file: String?) throws(CommandFailure) {
        guard let file else { return }
        let descriptor = try InputReader.open(file, name: "the PIN file \(Terminal.escaped(file))")
        defer { _ = close(descriptor) }
        try Self.checkPermissions(descriptor, file: file)
    }

    /// Refuses an open PIN file that its group or others may read (exit 77).
    static func checkPermissions(_ descriptor: Int32, file: String) throws(CommandFailure) {
        var status = stat()
        if fstat(descriptor, &status) == 0 && status.st_mode & 0o077 != 0 {
            throw CommandFailure(
                .noPermission,
                "The PIN file \(Terminal.escaped(file)) may be read by others (mode \(String(status.st_mode & 0o777, radix: 8))): run `chmod 600 \(Terminal.escaped(file))` first. Nothing was sent to the key."
            )
        }
    }

    /// The most a PIN file may hold (a PIN is at most 63 bytes; a larger file is not a PIN file).
    static let fileLimit = 4_096

    /// A PIN from `file`, else the environment variable `environment`, else the terminal.
    ///
    /// - Throws: ``CommandFailure``: the file cannot be read, or the PIN is not UTF-8 text.
    ///
    /// A PIN that can never be valid (empty, under 4 characters, over 63 bytes of UTF-8, CTAP
    /// 2.1 §6.5.5.5) is refused here, before the key is asked: sending it would cost a retry.
    /// A PIN file that its group or others may read is refused too (exit 77: `chmod 600` it).
    static func pin(file: String?, fileOption: String, environment: String, prompt: String) throws(CommandFailure)
        -> String
    {
        if let file {
            let name = "the PIN file \(Terminal.escaped(file))"
            let descriptor = try InputReader.open(file, name: name)
            defer { _ = close(descriptor) }
            try Self.checkPermissions(descriptor, file: file)
            var bytes = try InputReader.read(descriptor, name: name, limit: Self.fileLimit)
            while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
                bytes.removeLast()
            }
            return try Self.checked(try Self.text(bytes, from: "The PIN file \(Terminal.escaped(file))"))
        }
        if let fromEnvironment = getenv(environment) {
            return try Self.checked(try Self.text(String.bytes(fromCString: fromEnvironment), from: "$\(environment)"))
        }
        let typed = try Terminal.readSecret(prompt: prompt, sources: "\(fileOption) or set $\(environment)")
        guard let typed else {
            throw CommandFailure(.dataError, "No PIN given (end of input at the prompt). Nothing was sent to the key.")
        }
        return try Self.checked(try Self.text(typed, from: "The PIN typed"))
    }

    /// `pin`, when it could be a valid PIN.
    ///
    /// - Throws: ``CommandFailure`` 65 for an empty PIN, one under 4 characters or over 63 bytes.
    static func checked(_ pin: String) throws(CommandFailure) -> String {
        guard !pin.isEmpty else {
            throw CommandFailure(.dataError, "No PIN given (it is empty). Nothing was sent to the key.")
        }
        guard pin.unicodeScalars.count >= 4 else {
            throw CommandFailure(
                .dataError,
                "A PIN has at least 4 characters; this one has \(pin.unicodeScalars.count). Nothing was sent to the key."
            )
        }
        guard pin.utf8.count <= 63 else {
            throw CommandFailure(
                .dataError,
                "A PIN has at most 63 bytes of UTF-8; this one has \(pin.utf8.count). Nothing was sent to the key."
            )
        }
        return pin
    }

    /// `bytes` as text, refusing bytes that are not UTF-8: decoding them would turn each into
    /// U+FFFD, and different PINs into one.
    static func text(_ bytes: [UInt8], from source: String) throws(CommandFailure) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandFailure(
                .dataError,
                "\(source) is not valid UTF-8 text; a PIN is sent as UTF-8, so it cannot be used. Nothing was changed."
            )
        }
        return text
    }
}

extension String {
    /// The bytes of a C string, without its terminating NUL.
    static func bytes(fromCString pointer: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
    }
}

/// An opened key; for the software authenticator, also where its state is saved.
struct OpenedDevice {
    var device: Device
    var virtual: (store: VirtualAuthenticatorStore, authenticator: SoftwareAuthenticator)?

    /// Saves the software authenticator's state (each request already saved it; this also
    /// reports a save that failed).
    func save() throws {
        if let virtual = self.virtual {
            try virtual.store.save(virtual.authenticator)
        }
    }
}
