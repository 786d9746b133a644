internal import CFIDO2

extension Device {
    /// Sets the key's first PIN.
    ///
    /// - Throws: ``FIDO2Error`` `pinPolicyViolation` when the PIN is too short or too long,
    ///   `notAllowed` when the key already has a PIN.
    public func setPIN(_ pin: String) async throws(FIDO2Error) {
        try await self.perform { device throws(FIDO2Error) in
            try FIDO2Error.check(fido_dev_set_pin(device, pin, nil), "setPIN")
        }
    }

    /// Changes the key's PIN.
    ///
    /// - Throws: ``FIDO2Error`` `pinInvalid` with the attempts left when `current` is wrong,
    ///   `pinAuthBlocked` after three wrong PINs in a row (reinsert the key), `pinBlocked`.
    public func changePIN(from current: String, to new: String) async throws(FIDO2Error) {
        try await self.perform { device throws(FIDO2Error) in
            try Self.checkWithRetries(fido_dev_set_pin(device, new, current), "changePIN", device: device)
        }
    }

    /// How many PIN attempts are left before the PIN blocks.
    public func pinRetries() async throws(FIDO2Error) -> Int {
        try await self.perform { device throws(FIDO2Error) in
            var retries: Int32 = 0
            try FIDO2Error.check(fido_dev_get_retry_count(device, &retries), "pinRetries")
            return Int(retries)
        }
    }

    /// How many built-in user verification (biometric) attempts are left.
    public func uvRetries() async throws(FIDO2Error) -> Int {
        try await self.perform { device throws(FIDO2Error) in
            var retries: Int32 = 0
            try FIDO2Error.check(fido_dev_get_uv_retry_count(device, &retries), "uvRetries")
            return Int(retries)
        }
    }

    /// Whether the key has a PIN set.
    public var hasPIN: Bool {
        get async throws(FIDO2Error) {
            try await self.perform { device throws(FIDO2Error) in fido_dev_has_pin(device) }
        }
    }

    /// Erases every credential and the PIN. Keys allow this only within seconds of being
    /// plugged in, and ask for a touch.
    ///
    /// - Throws: ``FIDO2Error`` `notAllowed` outside the window after insertion.
    public func reset(touch: (@Sendable () -> Void)? = nil) async throws(FIDO2Error) {
        try await self.perform(touch: touch) { device throws(FIDO2Error) in
            try FIDO2Error.check(fido_dev_reset(device), "reset")
        }
    }
}
