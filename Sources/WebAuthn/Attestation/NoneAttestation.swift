public import CBOR

/// The `none` attestation statement format (WebAuthn §8.7): the authenticator or client chose
/// not to attest. The statement must be an empty map.
public struct NoneAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .none }

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        guard statement.isEmpty else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "A \"none\" attestation statement must be an empty map.",
                step: "§8.7"
            )
        }
        return AttestationResult(format: .none, type: .none)
    }
}
