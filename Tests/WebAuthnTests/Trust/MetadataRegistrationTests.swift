import Crypto
import FIDOMetadata
import Foundation
import Testing
import WebAuthn
import X509

/// Registration with FIDO metadata: the model's status reports, attestation roots, description
/// and icon, looked up by AAGUID or (U2F) attestation key identifier; and the conveyance policy.
struct MetadataRegistrationTests {
    let attestationCA: TestAttestationCA
    let metadataCA: TestAttestationCA
    let signingKey = P256.Signing.PrivateKey()

    init() throws {
        self.attestationCA = try TestAttestationCA(name: "FIDOKit Test Vendor Attestation Root")
        self.metadataCA = try TestAttestationCA(name: "FIDOKit Test Metadata Root")
    }

    func blob(_ entries: [AuthenticatorMetadata]) async throws -> MetadataBLOB {
        let signer = try self.metadataCA.issue(
            publicKey: Certificate.PublicKey(self.signingKey.publicKey),
            subject: try DistinguishedName { CommonName("mds.fidokit.test") },
            extensions: try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) }
        )
        let jws = try MetadataBLOBWriter(number: 1, nextUpdate: "2099-01-01", entries: entries).signed(with: self.signingKey, chain: [signer])
        return try await MetadataBLOB(verifying: jws, trustAnchors: [self.metadataCA.root])
    }

    var aaguid: AAGUID { AAGUID(bytes: TestAuthenticator.aaguid)! }

    func policy(_ blob: MetadataBLOB) -> RegistrationPolicy {
        RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, metadata: blob)
    }

    func packed(_ ca: TestAttestationCA? = nil) -> TestAuthenticator {
        var authenticator = TestAuthenticator()
        authenticator.attestation = .packedX5C(ca ?? self.attestationCA, .init())
        return authenticator
    }

    @Test func aKnownModelIsNamedAndTrustedThroughItsMetadataRoots() async throws {
        let blob = try await self.blob([
            AuthenticatorMetadata(
                aaguid: self.aaguid,
                description: "FIDOKit Test Key",
                icon: "data:image/png;base64,AAAA",
                attestationRootCertificates: [self.attestationCA.root],
                attestationTypes: ["basic_full"]
            )
        ])
        let verified = try await RegistrationVerifier(policy: self.policy(blob)).verify(
            try self.packed().registration(),
            challenge: TestAuthenticator.challenge
        )
        #expect(verified.attestation.trusted)
        #expect(verified.attestation.metadata?.description == "FIDOKit Test Key")
        #expect(verified.attestation.metadata?.icon == "data:image/png;base64,AAAA")
        // The metadata roots are required: another vendor's chain is refused for this model.
        let other = try TestAttestationCA(name: "Counterfeit")
        #expect(try await Outcome.registration(self.packed(other), self.policy(blob)) == .attestationUntrusted)
    }

    @Test func aRevokedOrCompromisedModelIsRefused() async throws {
        for status in AuthenticatorStatus.refused {
            let blob = try await self.blob([
                AuthenticatorMetadata(
                    aaguid: self.aaguid,
                    description: "Bad Key",
                    attestationRootCertificates: [self.attestationCA.root],
                    statusReports: [.init(status: .fidoCertified), .init(status: status, effectiveDate: "2025-01-01")]
                )
            ])
            #expect(try await Outcome.registration(self.packed(), self.policy(blob)) == .authenticatorRevoked)
        }
        // Other statuses are not refusals.
        let certified = try await self.blob([
            AuthenticatorMetadata(
                aaguid: self.aaguid,
                description: "Fine Key",
                attestationRootCertificates: [self.attestationCA.root],
                statusReports: [.init(status: AuthenticatorStatus(rawValue: "UPDATE_AVAILABLE"))]
            )
        ])
        #expect(try await Outcome.registration(self.packed(), self.policy(certified)) == nil)
    }

    @Test func u2fKeysAreFoundByAttestationKeyIdentifier() async throws {
        // A fido-u2f registration's attestation certificate is made per registration here, so the
        // identifier comes from the response itself.
        var authenticator = TestAuthenticator()
        authenticator.attestation = .fidoU2F(self.attestationCA)
        authenticator.aaguid = Array(repeating: 0, count: 16)
        let response = try authenticator.registration()
        let object = try AttestationObject(response.response.attestationObject.bytes)
        let leaf = try Certificate(derEncoded: try #require(object.statement["x5c"]?.arrayValue?.first?.bytes))
        let blob = try await self.blob([
            AuthenticatorMetadata(
                attestationCertificateKeyIdentifiers: [leaf.metadataKeyIdentifier.uppercased()],
                description: "FIDOKit U2F",
                attestationRootCertificates: [self.attestationCA.root],
                statusReports: [.init(status: .revoked)]
            )
        ])
        do {
            _ = try await RegistrationVerifier(policy: self.policy(blob)).verify(response, challenge: TestAuthenticator.challenge)
            Issue.record("a revoked U2F model verified")
        } catch {
            #expect(error.code == .authenticatorRevoked)
            #expect(error.message.contains("FIDOKit U2F"))
        }
    }

    @Test func anUnknownModelIsVerifiedWithoutMetadata() async throws {
        let blob = try await self.blob([AuthenticatorMetadata(aaguid: AAGUID("11111111-2222-3333-4444-555555555555")!, description: "Someone else")])
        let verified = try await RegistrationVerifier(policy: self.policy(blob)).verify(
            try self.packed().registration(),
            challenge: TestAuthenticator.challenge
        )
        #expect(verified.attestation.metadata == nil)
        #expect(!verified.attestation.trusted)
    }

    @Test func attestationCAModelsAreReportedAsSuch() async throws {
        let blob = try await self.blob([
            AuthenticatorMetadata(
                aaguid: self.aaguid,
                description: "AttCA Key",
                attestationRootCertificates: [self.attestationCA.root],
                attestationTypes: ["attca"]
            )
        ])
        let verified = try await RegistrationVerifier(policy: self.policy(blob)).verify(
            try self.packed().registration(),
            challenge: TestAuthenticator.challenge
        )
        #expect(verified.attestation.type == .attCA)
    }

    @Test func directAttestationNeedsTrustUnlessSwitchedOff() async throws {
        func outcome(_ authenticator: TestAuthenticator, _ requirement: AttestationRequirement, anchors: [Certificate] = []) async throws -> WebAuthnError.Code?
        {
            var policy = RegistrationPolicy(relyingParty: TestAuthenticator.relyingParty, trustAnchors: anchors)
            policy.attestation = requirement
            return try await Outcome.registration(authenticator, policy)
        }
        var selfAttested = TestAuthenticator()
        selfAttested.attestation = .packedSelf
        let none = TestAuthenticator()
        let direct = AttestationRequirement(conveyance: .direct)
        // none / indirect: everything that verifies.
        for conveyance in [AttestationRequirement.Conveyance.none, .indirect] {
            #expect(try await outcome(selfAttested, .init(conveyance: conveyance)) == nil)
            #expect(try await outcome(none, .init(conveyance: conveyance)) == nil)
            #expect(try await outcome(self.packed(), .init(conveyance: conveyance)) == nil)
        }
        // direct / enterprise: only trusted attestation by default.
        for requirement in [direct, AttestationRequirement(conveyance: .enterprise)] {
            #expect(try await outcome(selfAttested, requirement) == .attestationUntrusted)
            #expect(try await outcome(none, requirement) == .attestationUntrusted)
            #expect(try await outcome(self.packed(), requirement) == .attestationUntrusted)
            #expect(try await outcome(self.packed(), requirement, anchors: [self.attestationCA.root]) == nil)
        }
        // The switches.
        #expect(try await outcome(selfAttested, .init(conveyance: .direct, allowSelfAttestation: true)) == nil)
        #expect(try await outcome(none, .init(conveyance: .direct, allowSelfAttestation: true)) == .attestationUntrusted)
        #expect(try await outcome(none, .init(conveyance: .direct, allowUntrustedAttestation: true)) == nil)
        #expect(try await outcome(self.packed(), .init(conveyance: .direct, allowUntrustedAttestation: true)) == nil)
    }
}
