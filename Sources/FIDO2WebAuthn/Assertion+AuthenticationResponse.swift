public import FIDO2
public import WebAuthn

extension Assertion {
    /// The `AuthenticationResponseJSON` a browser would send for this assertion, given the
    /// clientDataJSON whose hash the key signed.
    public func authenticationResponse(clientDataJSON: [UInt8]) -> AuthenticationResponseJSON {
        AuthenticationResponseJSON(
            rawID: self.credentialID,
            response: .init(
                clientDataJSON: clientDataJSON,
                authenticatorData: self.authenticatorData,
                signature: self.signature,
                userHandle: self.userHandle
            ),
            authenticatorAttachment: "cross-platform"
        )
    }
}
