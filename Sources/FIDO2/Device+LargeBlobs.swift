internal import CFIDO2

extension Device {
    /// The blob stored for the credential whose large-blob key is `key` (from
    /// ``MadeCredential/largeBlobKey`` or ``Assertion/largeBlobKey``), or `nil` when the key's
    /// large-blob array holds none for it. Reading needs no PIN; entries are encrypted to their key.
    ///
    /// - Throws: ``FIDO2Error`` `invalidArgument` for a key that is not 32 bytes, `integrityFailure`
    ///   when the array on the key is corrupt, or the key's error.
    public func largeBlob(key: [UInt8]) async throws(FIDO2Error) -> [UInt8]? {
        try Self.checkLargeBlobKey(key)
        return try await self.perform { device throws(FIDO2Error) -> [UInt8]? in
            var blob: UnsafeMutablePointer<UInt8>?
            var length = 0
            let status = fido_dev_largeblob_get(device, key, key.count, &blob, &length)
            let bytes = takeBytes(blob, length)
            if status == FIDO_ERR_NOTFOUND { return nil }
            try FIDO2Error.check(status, "largeBlob")
            return bytes
        }
    }

    /// Stores `blob` for the credential whose large-blob key is `key`, replacing its earlier blob.
    /// libfido2 compresses and encrypts it (AES-256-GCM under `key`) and rewrites the key's array.
    ///
    /// - Parameter pin: needed when the key has a PIN.
    /// - Throws: ``FIDO2Error`` `largeBlobStorageFull` when the array would outgrow the key's
    ///   storage (the stored array is left as it was), `pinRequired`, `pinInvalid`, …, and
    ///   `internal` with a ``FIDO2Error/detail`` for blobs libfido2 1.12 cannot seal (those that
    ///   compress to fewer than 16 bytes: nothing is sent to the key).
    public func setLargeBlob(_ blob: [UInt8], key: [UInt8], pin: String? = nil) async throws(FIDO2Error) {
        try Self.checkLargeBlobKey(key)
        guard !blob.isEmpty else { throw FIDO2Error(code: .invalidArgument, operation: "setLargeBlob: empty blob") }
        try await self.perform { device throws(FIDO2Error) in
            let status = fido_dev_largeblob_set(device, key, key.count, blob, blob.count, pin)
            if status == FIDO_ERR_INTERNAL {
                // libfido2 1.12 seals a blob before talking to the key, and its AES-GCM step
                // refuses inputs shorter than 16 bytes: short or very compressible blobs fail here.
                throw FIDO2Error(
                    code: .internal,
                    operation: "setLargeBlob",
                    detail:
                        "libfido2 could not compress and encrypt the blob; libfido2 1.12 refuses blobs that compress to fewer than 16 bytes"
                )
            }
            try Self.checkWithRetries(status, "setLargeBlob", device: device)
        }
    }

    /// Removes the blob stored for the credential whose large-blob key is `key`.
    ///
    /// - Throws: ``FIDO2Error`` `notFound` when there is none, `pinRequired`, `pinInvalid`, …
    public func removeLargeBlob(key: [UInt8], pin: String? = nil) async throws(FIDO2Error) {
        try Self.checkLargeBlobKey(key)
        try await self.perform { device throws(FIDO2Error) in
            try Self.checkWithRetries(
                fido_dev_largeblob_remove(device, key, key.count, pin),
                "removeLargeBlob",
                device: device
            )
        }
    }

    /// The key's whole serialized large-blob array (CBOR array ‖ 16-byte checksum), as stored:
    /// its entries are ciphertexts only their credentials' keys open.
    public func largeBlobArray() async throws(FIDO2Error) -> [UInt8] {
        try await self.perform { device throws(FIDO2Error) -> [UInt8] in
            var array: UnsafeMutablePointer<UInt8>?
            var length = 0
            let status = fido_dev_largeblob_get_array(device, &array, &length)
            let bytes = takeBytes(array, length)
            try FIDO2Error.check(status, "largeBlobArray")
            return bytes
        }
    }

    private static func checkLargeBlobKey(_ key: [UInt8]) throws(FIDO2Error) {
        guard key.count == 32 else {
            throw FIDO2Error(code: .invalidArgument, operation: "large blob key of \(key.count) bytes (32 expected)")
        }
    }
}
