import ArgumentParser
import WebAuthn

/// The relying party `enroll` and `assert` act for, as a browser would: its RP ID, the origin
/// put in clientDataJSON, and user verification.
struct RelyingPartyOptions: ParsableArguments {
    @Option(name: .customLong("rp-id"), help: "The relying party id, a domain such as example.com.")
    var rpID: String

    @Option(help: "The origin to put in clientDataJSON (default https://RP-ID).")
    var origin: String?

    @Flag(help: "Require user verification (the PIN).")
    var requireUserVerification = false

    /// The flag's first name, kept working for scripts.
    @Flag(name: .customLong("user-verification"), help: .hidden)
    var userVerificationAlias = false

    /// Whether user verification is required (under either name).
    var userVerification: Bool { self.requireUserVerification || self.userVerificationAlias }

    /// The origin, checked.
    var resolvedOrigin: String { self.origin ?? "https://\(self.rpID)" }

    /// Refuses an RP ID that is not a valid domain and an origin that is not one this RP ID may
    /// be used from, as a browser would (exit 64).
    func validate() throws {
        do throws(WebAuthnError) {
            try RelyingPartyRules.checkID(self.rpID)
            try RelyingPartyRules.checkOrigin(self.resolvedOrigin)
            let origin = try RelyingParty.parseWebOrigin(self.resolvedOrigin)
            guard RelyingParty.origin(origin, mayUse: self.rpID) else {
                throw WebAuthnError(
                    .invalidOrigin,
                    "The origin \(self.resolvedOrigin) may not use the RP ID \(self.rpID): its host must be \(self.rpID) or end in .\(self.rpID)."
                )
            }
        } catch {
            throw ValidationError(Terminal.escaped(error.message))
        }
    }
}
