extension PublicKeyCredentialJSON {
    /// The envelope's members around an already parsed `rawId` and `response` (each ceremony
    /// reads those two in its own order, so an error names the member at fault as before).
    init(fields: JSONFields, rawID: [UInt8], response: Response) throws(WebAuthnError) {
        self.init(
            rawID: rawID,
            response: response,
            authenticatorAttachment: try fields.optionalString("authenticatorAttachment"),
            clientExtensionResults: try fields.optionalObject("clientExtensionResults").map(
                ClientExtensionResults.init
            ),
            type: try fields.string("type")
        )
        self.id = try fields.string("id")
    }
}

extension PublicKeyCredentialJSON where Response == AuthenticatorAttestationResponseJSON {
    /// Parses a RegistrationResponseJSON document with the fast strict parser.
    ///
    /// Same rules as the `Codable` conformance: unknown members ignored, wrong types rejected.
    /// - Throws: ``WebAuthnError`` `malformed_json` naming the member at fault.
    public init(jsonBytes: [UInt8]) throws(WebAuthnError) {
        try self.init(node: try JSONNode.parse(jsonBytes))
    }

    /// Builds a response from a parsed JSON value.
    public init(node: JSONNode) throws(WebAuthnError) {
        let fields = try JSONFields(node, path: "")
        let inner = try fields.object("response")
        var response = Response(
            clientDataJSON: try inner.bytes("clientDataJSON").bytes,
            attestationObject: try inner.bytes("attestationObject").bytes,
            transports: try inner.optionalStrings("transports")
        )
        response.authenticatorData = try inner.optionalBytes("authenticatorData")
        response.publicKey = try inner.optionalBytes("publicKey")
        response.publicKeyAlgorithm = try inner.optionalInteger("publicKeyAlgorithm", as: Int.self)
        try self.init(fields: fields, rawID: try fields.bytes("rawId").bytes, response: response)
    }
}

extension PublicKeyCredentialJSON where Response == AuthenticatorAssertionResponseJSON {
    /// Parses an AuthenticationResponseJSON document with the fast strict parser.
    ///
    /// Same rules as the `Codable` conformance: unknown members ignored, wrong types rejected.
    /// - Throws: ``WebAuthnError`` `malformed_json` naming the member at fault.
    public init(jsonBytes: [UInt8]) throws(WebAuthnError) {
        try self.init(node: try JSONNode.parse(jsonBytes))
    }

    /// Builds a response from a parsed JSON value.
    public init(node: JSONNode) throws(WebAuthnError) {
        let fields = try JSONFields(node, path: "")
        let inner = try fields.object("response")
        let rawID = try fields.bytes("rawId").bytes
        let response = Response(
            clientDataJSON: try inner.bytes("clientDataJSON").bytes,
            authenticatorData: try inner.bytes("authenticatorData").bytes,
            signature: try inner.bytes("signature").bytes,
            userHandle: try inner.optionalBytes("userHandle")?.bytes
        )
        try self.init(fields: fields, rawID: rawID, response: response)
    }
}

extension ClientExtensionResults {
    init(_ fields: JSONFields) throws(WebAuthnError) {
        self.init(
            appid: try fields.optionalBool("appid"),
            appidExclude: try fields.optionalBool("appidExclude"),
            credProps: try fields.optionalObject("credProps").map { props throws(WebAuthnError) in
                CredentialProperties(rk: try props.optionalBool("rk"))
            }
        )
    }
}
