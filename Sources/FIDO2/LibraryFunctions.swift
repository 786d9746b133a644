#if canImport(Glibc)
    import Glibc
#endif

/// libfido2 functions newer than the oldest supported release (1.12, Debian 12), looked up when
/// the library is loaded so that FIDOKit builds against 1.12 and uses them where they exist.
enum LibraryFunctions {
    typealias SetEnterpriseAttestation = @convention(c) (OpaquePointer?, Int32) -> Int32

    /// `int fido_cred_set_entattest(fido_cred_t *, int)` (libfido2 1.14).
    static let credentialSetEnterpriseAttestation: SetEnterpriseAttestation? = Self.lookup("fido_cred_set_entattest")

    private static func lookup<Function>(_ name: String) -> Function? {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
            return unsafeBitCast(symbol, to: Function.self)
        #else
            return nil
        #endif
    }
}
