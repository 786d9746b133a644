internal import CFIDO2

extension Device {
    /// Reads the authenticator's `getInfo`.
    public func info() async throws(FIDO2Error) -> AuthenticatorInfo {
        try await self.perform { pointer throws(FIDO2Error) in
            let info = try OwnedHandle.info()
            return try info.withUnsafeHandle { infoPointer throws(FIDO2Error) in
                try FIDO2Error.check(fido_dev_get_cbor_info(pointer, infoPointer), "getInfo")
                return Self.authenticatorInfo(infoPointer)
            }
        }
    }

    static func authenticatorInfo(_ info: OpaquePointer) -> AuthenticatorInfo {
        var options: [String: Bool] = [:]
        let optionCount = fido_cbor_info_options_len(info)
        if let names = fido_cbor_info_options_name_ptr(info), let values = fido_cbor_info_options_value_ptr(info) {
            for index in 0..<optionCount {
                if let name = names[index] {
                    options[String(cString: name)] = values[index]
                }
            }
        }
        var algorithms: [COSEAlgorithm] = []
        for index in 0..<fido_cbor_info_algorithm_count(info) {
            algorithms.append(COSEAlgorithm(Int(fido_cbor_info_algorithm_cose(info, index))))
        }
        let aaguid = copyBytes(fido_cbor_info_aaguid_ptr(info), fido_cbor_info_aaguid_len(info))
        let remaining = fido_cbor_info_rk_remaining(info)
        return AuthenticatorInfo(
            versions: copyStrings(fido_cbor_info_versions_ptr(info), fido_cbor_info_versions_len(info)),
            extensions: copyStrings(fido_cbor_info_extensions_ptr(info), fido_cbor_info_extensions_len(info)),
            aaguid: AAGUID(bytes: aaguid),
            options: options,
            maxMessageSize: fido_cbor_info_maxmsgsiz(info),
            pinProtocols: copyBytes(fido_cbor_info_protocols_ptr(info), fido_cbor_info_protocols_len(info)),
            transports: copyStrings(fido_cbor_info_transports_ptr(info), fido_cbor_info_transports_len(info)),
            algorithms: algorithms,
            firmwareVersion: fido_cbor_info_fwversion(info),
            remainingDiscoverableCredentials: remaining >= 0 ? remaining : nil,
            minPINLength: fido_cbor_info_minpinlen(info),
            maxCredentialCountInList: fido_cbor_info_maxcredcntlst(info),
            maxCredentialIDLength: fido_cbor_info_maxcredidlen(info),
            forcePINChange: fido_cbor_info_new_pin_required(info),
            maxLargeBlobArraySize: fido_cbor_info_maxlargeblob(info)
        )
    }
}
