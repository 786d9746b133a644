extension CollectedClientData {
    /// The client data checks that registration (§7.1 steps 7–10) and authentication (§7.2
    /// steps 11–14) share: type, challenge, origin, cross-origin policy, token binding.
    func check(
        types: [String],
        challenge expected: [UInt8],
        relyingParty: RelyingParty,
        ceremony: String
    ) throws(WebAuthnError) {
        guard types.contains(self.type) else {
            throw WebAuthnError(
                .clientDataTypeMismatch,
                "The client data type is \"\(self.type)\", expected \(types.map { "\"\($0)\"" }.joined(separator: " or ")).",
                step: "\(ceremony) (C.type)"
            )
        }
        guard let challenge = Base64URL.decode(self.challenge), challenge == expected else {
            throw WebAuthnError(
                .challengeMismatch,
                "The client data challenge is not the challenge this server issued.",
                step: "\(ceremony) (C.challenge)"
            )
        }
        guard relyingParty.origins.contains(self.origin) else {
            throw WebAuthnError(
                .originMismatch,
                "The origin \"\(self.origin)\" is not one of this relying party's origins.",
                step: "\(ceremony) (C.origin)"
            )
        }
        if self.crossOrigin == true || self.topOrigin != nil {
            guard relyingParty.allowCrossOrigin else {
                throw WebAuthnError(
                    .crossOriginNotAllowed,
                    "The ceremony ran in a cross-origin iframe, which this relying party does not allow.",
                    step: "\(ceremony) (C.crossOrigin)"
                )
            }
            if !relyingParty.topOrigins.isEmpty {
                guard let top = self.topOrigin, relyingParty.topOrigins.contains(top) else {
                    throw WebAuthnError(
                        .topOriginMismatch,
                        "The top-level origin \"\(self.topOrigin ?? "")\" is not one this relying party accepts.",
                        step: "\(ceremony) (C.topOrigin)"
                    )
                }
            }
        }
        if let binding = self.tokenBinding {
            guard ["present", "supported"].contains(binding.status) else {
                throw WebAuthnError(
                    .tokenBindingInvalid,
                    "The client data token binding status \"\(binding.status)\" is not \"present\" or \"supported\".",
                    step: "WebAuthn Level 2 §7.1 step 10"
                )
            }
        }
    }
}
