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

/// Owns one libfido2 object other than a device (`fido_cred_t`, `fido_assert_t`,
/// `fido_cbor_info_t`, `fido_dev_info_t` arrays, credential-management lists): frees it exactly
/// once with the matching `fido_*_free`. Reach the pointer only inside ``withUnsafeHandle(_:)``.
final class OwnedHandle {
    private var pointer: OpaquePointer?
    private let free: (inout OpaquePointer?) -> Void
    private let name: String

    private init(name: String, create: () -> OpaquePointer?, free: @escaping (inout OpaquePointer?) -> Void)
        throws(FIDO2Error)
    {
        FIDOLibrary.ensureInitialized()
        guard let pointer = create() else { throw FIDO2Error(code: .internal, operation: name) }
        self.pointer = pointer
        self.free = free
        self.name = name
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: self.name) }
        return try body(pointer)
    }

    deinit {
        self.free(&self.pointer)
    }

    static func credential() throws(FIDO2Error) -> OwnedHandle {
        try OwnedHandle(name: "fido_cred_new", create: { fido_cred_new() }, free: { fido_cred_free(&$0) })
    }

    static func assertion() throws(FIDO2Error) -> OwnedHandle {
        try OwnedHandle(name: "fido_assert_new", create: { fido_assert_new() }, free: { fido_assert_free(&$0) })
    }

    static func info() throws(FIDO2Error) -> OwnedHandle {
        try OwnedHandle(
            name: "fido_cbor_info_new",
            create: { fido_cbor_info_new() },
            free: { fido_cbor_info_free(&$0) }
        )
    }

    static func deviceInfoList(capacity: Int) throws(FIDO2Error) -> OwnedHandle {
        let capacity = max(capacity, 1)
        return try OwnedHandle(
            name: "fido_dev_info_new",
            create: { fido_dev_info_new(capacity) },
            free: { fido_dev_info_free(&$0, capacity) }
        )
    }

    static func credentialMetadata() throws(FIDO2Error) -> OwnedHandle {
        try OwnedHandle(
            name: "fido_credman_metadata_new",
            create: { fido_credman_metadata_new() },
            free: { fido_credman_metadata_free(&$0) }
        )
    }

    static func relyingPartyList() throws(FIDO2Error) -> OwnedHandle {
        try OwnedHandle(
            name: "fido_credman_rp_new",
            create: { fido_credman_rp_new() },
            free: { fido_credman_rp_free(&$0) }
        )
    }

    static func residentKeyList() throws(FIDO2Error) -> OwnedHandle {
        try OwnedHandle(
            name: "fido_credman_rk_new",
            create: { fido_credman_rk_new() },
            free: { fido_credman_rk_free(&$0) }
        )
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

/// Copies a buffer libfido2 allocated for the caller, and frees it (zeroed first: large blobs
/// may hold secrets).
func takeBytes(_ pointer: UnsafeMutablePointer<UInt8>?, _ count: Int) -> [UInt8] {
    guard let pointer else { return [] }
    defer {
        pointer.update(repeating: 0, count: count)
        free(pointer)
    }
    return count > 0 ? Array(UnsafeBufferPointer(start: pointer, count: count)) : []
}
