internal import CFIDO2

extension FIDO2Error {
    /// The one place libfido2 status codes become Swift errors.
    static func check(_ status: Int32, _ operation: String) throws(FIDO2Error) {
        guard status == FIDO_OK else {
            throw FIDO2Error(code: Code(rawValue: status), operation: operation)
        }
    }
}

/// libfido2's one-time initialisation (`fido_init`), with debug output when `FIDO_DEBUG` is set.
enum FIDOLibrary {
    private static let initialized: Void = {
        let debug = getenv("FIDO_DEBUG") != nil
        fido_init(debug ? FIDO_DEBUG : 0)
    }()

    static func ensureInitialized() {
        _ = Self.initialized
    }
}
