import CBOR
internal import CFIDO2

extension Device {
    /// Signs in with the key (CTAP2 getAssertion, and getNextAssertion for several
    /// discoverable credentials). Waits for a touch unless `userPresence` is false.
    ///
    /// - Returns: one assertion per matching credential (several only without an allow list).
    /// - Throws: ``FIDO2Error``: `noCredentials`, `pinInvalid` with the attempts left,
    ///   `actionTimeout`, `keepaliveCancel` when the task was cancelled, …
    public func getAssertions(
        _ request: GetAssertionRequest,
        pin: String? = nil,
        touch: (@Sendable () -> Void)? = nil
    ) async throws(FIDO2Error) -> [Assertion] {
        try await self.perform(touch: touch) { device throws(FIDO2Error) in
            let assertion = try OwnedHandle.assertion()
            return try assertion.withUnsafeHandle { handle throws(FIDO2Error) in
                let operation = "getAssertion"
                try FIDO2Error.check(fido_assert_set_rp(handle, request.relyingPartyID), operation)
                try FIDO2Error.check(
                    fido_assert_set_clientdata_hash(handle, request.clientDataHash, request.clientDataHash.count),
                    operation
                )
                for id in request.allowCredentials {
                    try FIDO2Error.check(fido_assert_allow_cred(handle, id, id.count), operation)
                }
                try FIDO2Error.check(
                    fido_assert_set_up(handle, request.userPresence ? FIDO_OPT_TRUE : FIDO_OPT_FALSE),
                    operation
                )
                try FIDO2Error.check(fido_assert_set_uv(handle, Self.option(request.userVerification)), operation)
                var extensions: Int32 = 0
                if request.hmacSalt != nil { extensions |= FIDO_EXT_HMAC_SECRET }
                if request.largeBlobKey { extensions |= FIDO_EXT_LARGEBLOB_KEY }
                try FIDO2Error.check(fido_assert_set_extensions(handle, extensions), operation)
                if let salt = request.hmacSalt {
                    try FIDO2Error.check(fido_assert_set_hmac_salt(handle, salt, salt.count), operation)
                }
                try Self.checkWithRetries(fido_dev_get_assert(device, handle, pin), operation, device: device)
                return try (0..<fido_assert_count(handle)).map { index throws(FIDO2Error) in
                    try Self.assertion(handle, index)
                }
            }
        }
    }

    private static func assertion(_ handle: OpaquePointer, _ index: Int) throws(FIDO2Error) -> Assertion {
        // libfido2 keeps authenticator data CBOR-wrapped (a byte string); unwrap it.
        let wrapped = copyBytes(fido_assert_authdata_ptr(handle, index), fido_assert_authdata_len(handle, index))
        guard let authenticatorData = try? CBORDecoder(options: .strict).decode(wrapped).bytes else {
            throw FIDO2Error(code: .receivedInvalidCBOR, operation: "getAssertion authData")
        }
        let userHandle = copyBytes(fido_assert_user_id_ptr(handle, index), fido_assert_user_id_len(handle, index))
        let secret = copyBytes(fido_assert_hmac_secret_ptr(handle, index), fido_assert_hmac_secret_len(handle, index))
        let largeBlobKey = copyBytes(
            fido_assert_largeblob_key_ptr(handle, index),
            fido_assert_largeblob_key_len(handle, index)
        )
        return Assertion(
            credentialID: copyBytes(fido_assert_id_ptr(handle, index), fido_assert_id_len(handle, index)),
            authenticatorData: authenticatorData,
            signature: copyBytes(fido_assert_sig_ptr(handle, index), fido_assert_sig_len(handle, index)),
            userHandle: userHandle.isEmpty ? nil : userHandle,
            userName: copyString(fido_assert_user_name(handle, index)),
            signCount: fido_assert_sigcount(handle, index),
            hmacSecret: secret.isEmpty ? nil : secret,
            largeBlobKey: largeBlobKey.isEmpty ? nil : largeBlobKey
        )
    }
}
