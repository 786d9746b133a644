internal import CFIDO2

/// Owns one `fido_credman_metadata_t`.
final class CredentialMetadataHandle {
    private var pointer: OpaquePointer?

    init() throws(FIDO2Error) {
        guard let pointer = fido_credman_metadata_new() else {
            throw FIDO2Error(code: .internal, operation: "fido_credman_metadata_new")
        }
        self.pointer = pointer
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "credential metadata") }
        return try body(pointer)
    }

    deinit {
        fido_credman_metadata_free(&self.pointer)
    }
}

/// Owns one `fido_credman_rp_t`.
final class RelyingPartyListHandle {
    private var pointer: OpaquePointer?

    init() throws(FIDO2Error) {
        guard let pointer = fido_credman_rp_new() else {
            throw FIDO2Error(code: .internal, operation: "fido_credman_rp_new")
        }
        self.pointer = pointer
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "relying party list") }
        return try body(pointer)
    }

    deinit {
        fido_credman_rp_free(&self.pointer)
    }
}

/// Owns one `fido_credman_rk_t`.
final class ResidentKeyListHandle {
    private var pointer: OpaquePointer?

    init() throws(FIDO2Error) {
        guard let pointer = fido_credman_rk_new() else {
            throw FIDO2Error(code: .internal, operation: "fido_credman_rk_new")
        }
        self.pointer = pointer
    }

    func withUnsafeHandle<Result>(_ body: (OpaquePointer) throws(FIDO2Error) -> Result) throws(FIDO2Error) -> Result {
        guard let pointer = self.pointer else { throw FIDO2Error(code: .internal, operation: "credential list") }
        return try body(pointer)
    }

    deinit {
        fido_credman_rk_free(&self.pointer)
    }
}
