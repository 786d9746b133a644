import WebAuthn

/// The RP-ID and origin checks of fidoctl's options and batch lines: WebAuthn's own, plus two
/// a browser applies too — an RP ID of a single label (a top-level domain such as `com`) is
/// refused unless it is `localhost`, and an origin that spells out its scheme's default port
/// (`https://example.com:443`) is refused, since a browser never sends one so it could never match.
enum RelyingPartyRules {
    /// Checks an RP ID.
    static func checkID(_ id: String) throws(WebAuthnError) {
        try RelyingParty.validateID(id)
        guard id.contains(".") || id == "localhost" else {
            throw WebAuthnError(
                .invalidRelyingPartyID,
                "\"\(id)\" is not a valid RP ID: a single label is a top-level domain (only localhost is allowed). An RP ID is a domain such as example.com."
            )
        }
    }

    /// Checks an origin.
    static func checkOrigin(_ origin: String) throws(WebAuthnError) {
        try RelyingParty.validateOrigin(origin)
        let lowered = origin.lowercased()
        if lowered.hasPrefix("https://") && lowered.hasSuffix(":443")
            || lowered.hasPrefix("http://") && lowered.hasSuffix(":80")
        {
            throw WebAuthnError(
                .invalidOrigin,
                "\"\(origin)\" is not a valid origin: it names its scheme's default port, which a browser leaves out; give it without the port."
            )
        }
    }
}
