import CBOR

extension SoftwareAuthenticator {
    /// authenticatorConfig (CTAP 2.1 §6.11): only enableEnterpriseAttestation, on models
    /// configured to offer it. Needs a pinUvAuthParam with the `acfg` permission over
    /// 32×0xff ‖ 0x0d ‖ subCommand ‖ subCommandParams.
    func config(_ parameters: CBORMap) throws -> CBORMap? {
        guard let subCommand = try parameters.required(1).integer else { throw CTAPStatus.cborUnexpectedType }
        guard subCommand == 1, self.configuration.enterpriseAttestation else { throw CTAPStatus.invalidSubcommand }
        var message = [UInt8](repeating: 0xff, count: 32) + [0x0d, UInt8(subCommand)]
        if let raw = parameters[2] { message += CBOREncoder().encode(raw) }
        if self.withState({ $0.pinHash != nil }) || parameters[4] != nil {
            guard parameters[4] != nil else { throw CTAPStatus.pinRequired }
            _ = try self.checkPINUVAuth(
                parameters,
                parameterKey: 4,
                protocolKey: 3,
                message: message,
                permission: Permission.authenticatorConfiguration,
                relyingPartyID: nil
            )
        }
        self.withState { $0.enterpriseAttestationEnabled = true }
        return nil
    }
}
