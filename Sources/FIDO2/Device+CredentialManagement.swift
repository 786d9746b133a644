internal import CFIDO2

extension Device {
    /// How many discoverable credentials the key holds and how many more fit. Needs the PIN.
    public func credentialStorage(pin: String) async throws(FIDO2Error) -> CredentialStorage {
        try await self.perform { device throws(FIDO2Error) in
            let metadata = try OwnedHandle.credentialMetadata()
            return try metadata.withUnsafeHandle { handle throws(FIDO2Error) in
                try Self.checkWithRetries(
                    fido_credman_get_dev_metadata(device, handle, pin),
                    "credentialStorage",
                    device: device
                )
                return CredentialStorage(
                    existing: Int(fido_credman_rk_existing(handle)),
                    remaining: Int(fido_credman_rk_remaining(handle))
                )
            }
        }
    }

    /// The relying parties with discoverable credentials on the key. Needs the PIN.
    public func relyingParties(pin: String) async throws(FIDO2Error) -> [StoredRelyingParty] {
        try await self.perform { device throws(FIDO2Error) in
            let list = try OwnedHandle.relyingPartyList()
            return try list.withUnsafeHandle { handle throws(FIDO2Error) in
                try Self.checkWithRetries(
                    fido_credman_get_dev_rp(device, handle, pin),
                    "relyingParties",
                    device: device
                )
                return (0..<fido_credman_rp_count(handle)).compactMap { index in
                    guard let id = copyString(fido_credman_rp_id(handle, index)) else { return nil }
                    return StoredRelyingParty(
                        id: id,
                        name: copyString(fido_credman_rp_name(handle, index)),
                        idHash: copyBytes(
                            fido_credman_rp_id_hash_ptr(handle, index),
                            fido_credman_rp_id_hash_len(handle, index)
                        )
                    )
                }
            }
        }
    }

    /// The discoverable credentials for one relying party. Needs the PIN.
    public func discoverableCredentials(relyingPartyID: String, pin: String) async throws(FIDO2Error)
        -> [DiscoverableCredential]
    {
        try await self.perform { device throws(FIDO2Error) in
            let list = try OwnedHandle.residentKeyList()
            return try list.withUnsafeHandle { handle throws(FIDO2Error) in
                let status = fido_credman_get_dev_rk(device, relyingPartyID, handle, pin)
                if status == FIDO_ERR_NO_CREDENTIALS { return [] }
                try Self.checkWithRetries(status, "discoverableCredentials", device: device)
                return (0..<fido_credman_rk_count(handle)).compactMap { index in
                    guard let cred = fido_credman_rk(handle, index) else { return nil }
                    let protection = fido_cred_prot(cred)
                    return DiscoverableCredential(
                        id: copyBytes(fido_cred_id_ptr(cred), fido_cred_id_len(cred)),
                        relyingPartyID: relyingPartyID,
                        userID: copyBytes(fido_cred_user_id_ptr(cred), fido_cred_user_id_len(cred)),
                        userName: copyString(fido_cred_user_name(cred)),
                        userDisplayName: copyString(fido_cred_display_name(cred)),
                        protection: protection > 0 ? Int(protection) : nil
                    )
                }
            }
        }
    }

    /// Deletes one discoverable credential. Needs the PIN.
    public func deleteCredential(id: [UInt8], pin: String) async throws(FIDO2Error) {
        try await self.perform { device throws(FIDO2Error) in
            try Self.checkWithRetries(
                fido_credman_del_dev_rk(device, id, id.count, pin),
                "deleteCredential",
                device: device
            )
        }
    }

    /// Changes the account name and display name stored with a discoverable credential. Needs the PIN.
    public func updateUser(
        of credential: DiscoverableCredential,
        name: String?,
        displayName: String?,
        pin: String
    ) async throws(FIDO2Error) {
        try await self.perform { device throws(FIDO2Error) in
            let handle = try OwnedHandle.credential()
            try handle.withUnsafeHandle { cred throws(FIDO2Error) in
                try FIDO2Error.check(fido_cred_set_id(cred, credential.id, credential.id.count), "updateUser")
                try FIDO2Error.check(
                    fido_cred_set_user(cred, credential.userID, credential.userID.count, name, displayName, nil),
                    "updateUser"
                )
                try Self.checkWithRetries(fido_credman_set_dev_rk(device, cred, pin), "updateUser", device: device)
            }
        }
    }
}
