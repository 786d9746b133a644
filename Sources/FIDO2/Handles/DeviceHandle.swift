internal import CFIDO2

/// Owns one `fido_dev_t`: closes and frees it exactly once. Reach the pointer only inside
/// ``withUnsafeHandle(_:)``.
final class DeviceHandle: @unchecked Sendable {
    private var pointer: OpaquePointer?
    private(set) var isOpen = false

    /// A handle for a device libfido2 enumerates itself.
    init() throws(FIDO2Error) {
        FIDOLibrary.ensureInitialized()
        guard let pointer = fido_dev_new() else { throw FIDO2Error(code: .internal, operation: "fido_dev_new") }
        self.pointer = pointer
    }

    /// A handle built from a (synthetic) manifest entry, carrying its io functions.
    init(info: OpaquePointer) throws(FIDO2Error) {
        FIDOLibrary.ensureInitialized()
        guard let pointer = fido_dev_new_with_info(info) else {
            throw FIDO2Error(code: .internal, operation: "fido_dev_new_with_info")
        }
        self.pointer = pointer
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "device handle") }
        return try body(pointer)
    }

    func markOpen() {
        self.isOpen = true
    }

    deinit {
        if self.isOpen, let pointer = self.pointer {
            _ = fido_dev_close(pointer)
        }
        fido_dev_free(&self.pointer)
    }
}

/// Owns one `fido_dev_info_t` array of `count` entries.
final class DeviceInfoListHandle {
    private var pointer: OpaquePointer?
    let capacity: Int

    init(capacity: Int) throws(FIDO2Error) {
        FIDOLibrary.ensureInitialized()
        guard let pointer = fido_dev_info_new(max(capacity, 1)) else {
            throw FIDO2Error(code: .internal, operation: "fido_dev_info_new")
        }
        self.pointer = pointer
        self.capacity = max(capacity, 1)
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "device list") }
        return try body(pointer)
    }

    deinit {
        fido_dev_info_free(&self.pointer, self.capacity)
    }
}

/// Owns one `fido_cred_t`.
final class CredentialHandle {
    private var pointer: OpaquePointer?

    init() throws(FIDO2Error) {
        guard let pointer = fido_cred_new() else { throw FIDO2Error(code: .internal, operation: "fido_cred_new") }
        self.pointer = pointer
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "credential") }
        return try body(pointer)
    }

    deinit {
        fido_cred_free(&self.pointer)
    }
}

/// Owns one `fido_assert_t`.
final class AssertionHandle {
    private var pointer: OpaquePointer?

    init() throws(FIDO2Error) {
        guard let pointer = fido_assert_new() else { throw FIDO2Error(code: .internal, operation: "fido_assert_new") }
        self.pointer = pointer
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "assertion") }
        return try body(pointer)
    }

    deinit {
        fido_assert_free(&self.pointer)
    }
}

/// Owns one `fido_cbor_info_t`.
final class CBORInfoHandle {
    private var pointer: OpaquePointer?

    init() throws(FIDO2Error) {
        guard let pointer = fido_cbor_info_new() else {
            throw FIDO2Error(code: .internal, operation: "fido_cbor_info_new")
        }
        self.pointer = pointer
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "info") }
        return try body(pointer)
    }

    deinit {
        fido_cbor_info_free(&self.pointer)
    }
}

/// Copies a C pointer/length pair into Swift bytes; `nil` or zero length gives an empty array.
func copyBytes(_ pointer: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
    guard let pointer, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: count))
}

/// Copies a C string; `nil` gives `nil`.
func copyString(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

/// Copies a C array of C strings.
func copyStrings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
    guard let pointer, count > 0 else { return [] }
    return (0..<count).compactMap { pointer[$0].map { String(cString: $0) } }
}
