import CBOR
import Testing
import WebAuthn

/// `compound` (WebAuthn Level 3 §8.9): every contained statement must verify.
struct CompoundAttestationTests {
    let ca: TestAttestationCA
    init() throws { self.ca = try TestAttestationCA(name: "FIDOKit Test Compound CA") }

    /// A compound of a TPM statement and an android-key statement for the same credential.
    func authenticator(tpm: TPMStatement, android: AndroidKeyStatement, extra: [CBORValue] = []) -> TestAuthenticator {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .custom(format: "compound") { authData, clientDataHash, key in
            var entries: [CBORValue] = []
            for (name, attestation) in [("tpm", tpm.attestation), ("android-key", android.attestation)] {
                guard case .custom(_, let build) = attestation else { continue }
                entries.append(.map(["fmt": .textString(name), "attStmt": try build(authData, clientDataHash, key)]))
            }
            return .array(entries + extra)
        }
        return authenticator
    }

    @Test func everyStatementVerifies() async throws {
        let authenticator = self.authenticator(tpm: TPMStatement(ca: self.ca), android: AndroidKeyStatement(ca: self.ca))
        let policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, trustAnchors: [self.ca.root])
        let verified = try await RegistrationVerifier(policy: policy).verify(try authenticator.registration(), challenge: TestAuthenticator.challenge)
        #expect(verified.attestation.format == .compound)
        #expect(verified.attestation.components.map(\.format) == [.tpm, .androidKey])
        #expect(verified.attestation.trusted)
    }

    @Test func oneBadStatementFailsTheWhole() async throws {
        let badTPM = self.authenticator(tpm: TPMStatement(ca: self.ca, extraData: Array(repeating: 1, count: 32)), android: AndroidKeyStatement(ca: self.ca))
        #expect(try await Outcome.registration(badTPM) == .attestationNonceMismatch)
        let badAndroid = self.authenticator(tpm: TPMStatement(ca: self.ca), android: AndroidKeyStatement(ca: self.ca, origin: 2))
        #expect(try await Outcome.registration(badAndroid) == .attestationPolicyViolation)
    }

    @Test func theResultIsTrustedOnlyWhenEveryPartIs() async throws {
        let other = try TestAttestationCA(name: "Other")
        var policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty)
        policy.trustAnchorsByFormat = [.tpm: [self.ca.root]]
        policy.useBundledRoots = false
        let authenticator = self.authenticator(tpm: TPMStatement(ca: self.ca), android: AndroidKeyStatement(ca: other))
        let verified = try await RegistrationVerifier(policy: policy).verify(try authenticator.registration(), challenge: TestAuthenticator.challenge)
        #expect(verified.attestation.components.map(\.trusted) == [true, false])
        #expect(!verified.attestation.trusted)
    }

    @Test func malformedCompoundsAreRefused() async throws {
        // A nested compound, itself well formed and valid, is still refused.
        var nested = TestAuthenticator()
        nested.attestation = .custom(format: "compound") { authData, clientDataHash, key in
            var entries: [CBORValue] = []
            for (name, attestation) in [("tpm", TPMStatement(ca: self.ca).attestation), ("android-key", AndroidKeyStatement(ca: self.ca).attestation)] {
                guard case .custom(_, let build) = attestation else { continue }
                entries.append(.map(["fmt": .textString(name), "attStmt": try build(authData, clientDataHash, key)]))
            }
            return .array(entries + [.map(["fmt": "compound", "attStmt": .array(entries)])])
        }
        #expect(try await Outcome.registration(nested) == .malformedAttestationStatement)
        // An unknown contained format.
        let unknown = self.authenticator(
            tpm: TPMStatement(ca: self.ca),
            android: AndroidKeyStatement(ca: self.ca),
            extra: [.map(["fmt": "x-unknown", "attStmt": .map([:])])]
        )
        #expect(try await Outcome.registration(unknown) == .unsupportedAttestationFormat)
        // Fewer than two statements, or a map.
        var single = TestAuthenticator()
        single.attestation = .custom(format: "compound") { _, _, _ in .array([.map(["fmt": "none", "attStmt": .map([:])])]) }
        #expect(try await Outcome.registration(single) == .malformedAttestationStatement)
        var map = TestAuthenticator()
        map.attestation = .custom(format: "compound") { _, _, _ in .map([:]) }
        #expect(try await Outcome.registration(map) == .malformedAttestationStatement)
    }
}
