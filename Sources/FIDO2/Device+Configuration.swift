internal import CFIDO2

extension Device {
    /// Turns on enterprise attestation (CTAP 2.1 authenticatorConfig), on keys that offer it
    /// (``AuthenticatorInfo/options`` has `ep`). A reset turns it off again.
    ///
    /// - Throws: ``FIDO2Error`` `invalidSubcommand` or `invalidCommand` when the key has no such
    ///   setting, `pinRequired`, `pinInvalid` with the attempts left, …
    public func enableEnterpriseAttestation(pin: String?) async throws(FIDO2Error) {
        try await self.perform { device throws(FIDO2Error) in
            try Self.checkWithRetries(
                fido_dev_enable_entattest(device, pin),
                "enableEnterpriseAttestation",
                device: device
            )
        }
    }
}
