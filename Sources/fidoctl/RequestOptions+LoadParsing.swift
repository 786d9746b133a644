import WebAuthn

extension PublicKeyCredentialRequestOptionsJSON {
    /// The options as the load generator reads them: with WebAuthn's own JSON parser, which
    /// costs the generator (on the same cores as the server it measures) a fraction of
    /// `JSONDecoder`'s time. Members the software key does not use are left out.
    init(loadResponse bytes: [UInt8]) throws(WebAuthnError) {
        let fields = try JSONFields(try JSONNode.parse(bytes))
        var allowed: [PublicKeyCredentialDescriptorJSON] = []
        if let list = fields.value("allowCredentials") {
            guard case .array(let items) = list else {
                throw WebAuthnError(.malformedJSON, "allowCredentials is not an array.")
            }
            for item in items {
                let descriptor = try JSONFields(item, path: "allowCredentials[]")
                allowed.append(
                    PublicKeyCredentialDescriptorJSON(
                        id: try descriptor.bytes("id").bytes,
                        transports: try descriptor.optionalStrings("transports")
                    )
                )
            }
        }
        self.init(
            relyingPartyID: "",
            allowCredentials: allowed,
            userVerification: try fields.optionalString("userVerification"),
            timeoutMilliseconds: try fields.optionalInteger("timeout", as: Int.self),
            challenge: try fields.bytes("challenge").bytes
        )
        self.rpId = try fields.optionalString("rpId")
    }
}
