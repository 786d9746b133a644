public import FIDO2
public import WebAuthn

extension MadeCredential {
    /// The `RegistrationResponseJSON` a browser would send for this credential, given the
    /// clientDataJSON whose hash the key signed.
    public func registrationResponse(clientDataJSON: [UInt8], transports: [String] = ["usb"])
        -> RegistrationResponseJSON
    {
        RegistrationResponseJSON(
            rawID: self.credentialID,
            response: .init(
                clientDataJSON: clientDataJSON,
                attestationObject: self.attestationObject,
                transports: transports
            ),
            authenticatorAttachment: "cross-platform"
        )
    }
}
