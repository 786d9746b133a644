public import CBOR

/// The `compound` attestation format (WebAuthn Level 3 §8.9): an array of at least two
/// attestation statements for one credential, every one of which must verify. The result is
/// trusted only when every contained statement is.
public struct CompoundAttestation: AttestationStatementVerifier {
    public var format: AttestationFormat { .compound }

    /// Creates the verifier.
    public init() {}

    public func verify(statement: CBORMap, context: AttestationContext) async throws(WebAuthnError) -> AttestationResult
    {
        throw WebAuthnError(
            .malformedAttestationStatement,
            "A compound attestation statement is an array of statements, not a map.",
            step: "§8.9"
        )
    }

    public func verify(statementValue: CBORValue, context: AttestationContext) async throws(WebAuthnError)
        -> AttestationResult
    {
        guard let statements = statementValue.arrayValue, statements.count >= 2 else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "A compound attestation statement must be an array of at least two statements.",
                step: "§8.9"
            )
        }
        var components: [AttestationResult] = []
        for entry in statements {
            guard let map = entry.mapValue, let name = map["fmt"]?.text, let inner = map["attStmt"] else {
                throw WebAuthnError(
                    .malformedAttestationStatement,
                    "Each compound entry must be a map with text \"fmt\" and \"attStmt\".",
                    step: "§8.9"
                )
            }
            let format = AttestationFormat(rawValue: name)
            guard format != .compound else {
                throw WebAuthnError(
                    .malformedAttestationStatement,
                    "A compound statement may not contain another compound statement.",
                    step: "§8.9"
                )
            }
            guard let verifier = context.policy.attestationVerifiers.first(where: { $0.format == format }) else {
                throw WebAuthnError(
                    .unsupportedAttestationFormat,
                    "The compound statement contains the attestation format \"\(format)\", which is not supported.",
                    step: "§8.9"
                )
            }
            var innerContext = context
            let anchors = context.policy.trustAnchors(format: format, aaguid: context.credential.aaguid)
            innerContext.trustAnchors = anchors.anchors
            innerContext.anchorsRequired = anchors.callerChosen
            innerContext.enforceValidityPeriod = context.enforceValidityPeriod || anchors.callerChosen
            components.append(try await verifier.verify(statementValue: inner, context: innerContext))
        }
        guard let first = components.first else {
            throw WebAuthnError(
                .malformedAttestationStatement,
                "A compound statement holds no statement.",
                step: "§8.9"
            )
        }
        var result = AttestationResult(
            format: .compound,
            type: first.type,
            trustPath: first.trustPath,
            trusted: components.allSatisfy(\.trusted)
        )
        result.components = components
        return result
    }
}
