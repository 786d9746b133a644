import CBOR
internal import CFIDO2

extension Device {
    /// Creates a credential on the key (CTAP2 makeCredential). Waits for a touch.
    ///
    /// - Parameters:
    ///   - pin: the key's PIN, when it has one and the request needs it.
    ///   - touch: told once when the key asks to be touched.
    /// - Throws: ``FIDO2Error``: `credentialExcluded` ("This key is already registered"),
    ///   `pinInvalid` with the attempts left, `actionTimeout`, `keepaliveCancel` when the task was
    ///   cancelled, `operationDenied`, …
    public func makeCredential(
        _ request: MakeCredentialRequest,
        pin: String? = nil,
        touch: (@Sendable () -> Void)? = nil
    ) async throws(FIDO2Error) -> MadeCredential {
        try await self.perform(touch: touch) { device throws(FIDO2Error) in
            let credential = try OwnedHandle.credential()
            return try credential.withUnsafeHandle { cred throws(FIDO2Error) in
                try Self.configure(cred, request)
                let status = fido_dev_make_cred(device, cred, pin)
                try Self.checkWithRetries(status, "makeCredential", device: device)
                return try Self.madeCredential(cred)
            }
        }
    }

    private static func configure(_ cred: OpaquePointer, _ request: MakeCredentialRequest) throws(FIDO2Error) {
        let operation = "makeCredential"
        try FIDO2Error.check(fido_cred_set_type(cred, Int32(request.algorithm.rawValue)), operation)
        try FIDO2Error.check(
            fido_cred_set_clientdata_hash(cred, request.clientDataHash, request.clientDataHash.count),
            operation
        )
        try FIDO2Error.check(fido_cred_set_rp(cred, request.relyingPartyID, request.relyingPartyName), operation)
        try FIDO2Error.check(
            fido_cred_set_user(
                cred,
                request.userID,
                request.userID.count,
                request.userName,
                request.userDisplayName,
                nil
            ),
            operation
        )
        try FIDO2Error.check(fido_cred_set_rk(cred, request.residentKey ? FIDO_OPT_TRUE : FIDO_OPT_OMIT), operation)
        try FIDO2Error.check(fido_cred_set_uv(cred, Self.option(request.userVerification)), operation)
        for id in request.excludeCredentials {
            try FIDO2Error.check(fido_cred_exclude(cred, id, id.count), operation)
        }
        var flags: Int32 = 0
        if request.extensions.hmacSecret { flags |= FIDO_EXT_HMAC_SECRET }
        if request.extensions.credentialProtection != nil { flags |= FIDO_EXT_CRED_PROTECT }
        if request.extensions.credentialBlob != nil { flags |= FIDO_EXT_CRED_BLOB }
        if request.extensions.largeBlobKey { flags |= FIDO_EXT_LARGEBLOB_KEY }
        if request.extensions.minPINLength { flags |= FIDO_EXT_MINPINLEN }
        try FIDO2Error.check(fido_cred_set_extensions(cred, flags), operation)
        if let level = request.extensions.credentialProtection {
            try FIDO2Error.check(fido_cred_set_prot(cred, Int32(level)), operation)
        }
        if let blob = request.extensions.credentialBlob {
            try FIDO2Error.check(fido_cred_set_blob(cred, blob, blob.count), operation)
        }
        if request.extensions.minPINLength {
            try FIDO2Error.check(fido_cred_set_pin_minlen(cred, 1), operation)
        }
        if let enterprise = request.enterpriseAttestation {
            guard let setEnterpriseAttestation = LibraryFunctions.credentialSetEnterpriseAttestation else {
                throw FIDO2Error(
                    code: .unsupportedOption,
                    operation: operation,
                    detail:
                        "this machine's libfido2 cannot ask for enterprise attestation (fido_cred_set_entattest, libfido2 1.14 and later)"
                )
            }
            try FIDO2Error.check(setEnterpriseAttestation(cred, enterprise.rawValue), operation)
        }
    }

    private static func madeCredential(_ cred: OpaquePointer) throws(FIDO2Error) -> MadeCredential {
        let statementBytes = copyBytes(fido_cred_attstmt_ptr(cred), fido_cred_attstmt_len(cred))
        let statement: CBORMap
        if statementBytes.isEmpty {
            statement = CBORMap()
        } else {
            guard let map = try? CBORDecoder(options: .strict).decode(statementBytes).mapValue else {
                throw FIDO2Error(code: .receivedInvalidCBOR, operation: "makeCredential attStmt")
            }
            statement = map
        }
        let largeBlobKey = copyBytes(fido_cred_largeblob_key_ptr(cred), fido_cred_largeblob_key_len(cred))
        return MadeCredential(
            format: copyString(fido_cred_fmt(cred)) ?? "none",
            authenticatorData: copyBytes(fido_cred_authdata_raw_ptr(cred), fido_cred_authdata_raw_len(cred)),
            attestationStatement: statement,
            credentialID: copyBytes(fido_cred_id_ptr(cred), fido_cred_id_len(cred)),
            largeBlobKey: largeBlobKey.isEmpty ? nil : largeBlobKey
        )
    }

    static func option(_ value: Bool?) -> fido_opt_t {
        switch value {
        case true?: return FIDO_OPT_TRUE
        case false?: return FIDO_OPT_FALSE
        case nil: return FIDO_OPT_OMIT
        }
    }

    /// Checks a status; a wrong PIN also reports how many attempts are left.
    static func checkWithRetries(_ status: Int32, _ operation: String, device: OpaquePointer) throws(FIDO2Error) {
        guard status == FIDO_OK else {
            var error = FIDO2Error(code: FIDO2Error.Code(rawValue: status), operation: operation)
            if error.code == .pinInvalid {
                var retries: Int32 = 0
                if fido_dev_get_retry_count(device, &retries) == FIDO_OK {
                    error.retriesLeft = Int(retries)
                }
            }
            throw error
        }
    }
}
