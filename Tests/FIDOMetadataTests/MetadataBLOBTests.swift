import FIDOMetadata
import Foundation
import SwiftASN1
import Testing
import WebAuthn
import X509

/// MDS3 BLOBs: verified against the metadata root, looked up by AAGUID and key identifier,
/// refused when forged, untrusted, malformed or past `nextUpdate`.
struct MetadataBLOBTests {
    let pki: MetadataTestPKI
    init() throws { self.pki = try MetadataTestPKI() }

    @Test func aSignedBLOBVerifiesAndAnswersLookups() async throws {
        let blob = try await MetadataBLOB(verifying: try self.pki.blob(entries: MetadataTestPKI.entries()), trustAnchors: [self.pki.root])
        #expect(blob.number == 7)
        #expect(blob.legalHeader == "Test legal header")
        #expect(blob.entries.count == 3)
        #expect(!blob.isStale())
        let good = try #require(blob.metadata(aaguid: MetadataTestPKI.goodAAGUID))
        #expect(good.description == "FIDOKit Test Key")
        #expect(good.icon == "data:image/png;base64,iVBORw0KGgo=")
        #expect(good.refusingReport == nil)
        #expect(blob.metadata(aaguid: MetadataTestPKI.revokedAAGUID)?.refusingReport?.status == .attestationKeyCompromise)
        #expect(blob.metadata(aaguid: try #require(AAGUID("11111111-2222-3333-4444-555555555555"))) == nil)
        // Key identifiers match whatever their case.
        #expect(blob.metadata(attestationCertificateKeyIdentifier: "923881FE2F214EE465484371AEB72E97F5A58E0A")?.description == "FIDOKit Test U2F Key")
    }

    @Test func aForgedSignatureIsRefused() async throws {
        var jws = try self.pki.blob(entries: MetadataTestPKI.entries())
        // Change one payload byte: the header and signature stay, the signed input changes.
        let dots = jws.indices.filter { jws[$0] == UInt8(ascii: ".") }
        jws[dots[0] + 5] = jws[dots[0] + 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        await #expect(throws: MetadataError(.signatureInvalid, "")) {
            try await MetadataBLOB(verifying: jws, trustAnchors: [self.pki.root])
        }
    }

    @Test func aBLOBFromAnotherRootIsRefused() async throws {
        let other = try MetadataTestPKI(name: "Someone Else's Root")
        let jws = try other.blob(entries: MetadataTestPKI.entries())
        await #expect(throws: MetadataError(.untrusted, "")) {
            try await MetadataBLOB(verifying: jws, trustAnchors: [self.pki.root])
        }
        // The real FIDO root does not vouch for the test signer either.
        await #expect(throws: MetadataError(.untrusted, "")) { try await MetadataBLOB(verifying: jws) }
        await #expect(throws: MetadataError(.untrusted, "")) { try await MetadataBLOB(verifying: jws, trustAnchors: []) }
    }

    @Test func aBLOBPastNextUpdateIsRefusedUnlessAStaleCopyIsAsked() async throws {
        let jws = try self.pki.blob(nextUpdate: MetadataTestPKI.day(-2), entries: MetadataTestPKI.entries())
        await #expect(throws: MetadataError(.expired, "")) {
            try await MetadataBLOB(verifying: jws, trustAnchors: [self.pki.root])
        }
        let stale = try await MetadataBLOB(verifying: jws, trustAnchors: [self.pki.root], allowExpired: true)
        #expect(stale.isStale())
    }

    @Test func malformedBLOBsAreRefused() async throws {
        for text in ["", "a.b", "not a jws at all", "e30.e30.AA"] {
            await #expect(throws: MetadataError(.malformed, "")) {
                try await MetadataBLOB(verifying: Array(text.utf8), trustAnchors: [self.pki.root])
            }
        }
        // A payload that is not MDS3: signed properly but missing "no".
        let header = Base64URL.encode(Array(#"{"alg":"ES256","x5c":["\#(Data(try Self.der(self.pki.signer)).base64EncodedString())"]}"#.utf8))
        let body = Base64URL.encode(Array(#"{"nextUpdate":"2099-01-01","entries":[]}"#.utf8))
        let signature = try self.pki.signingKey.signature(for: Array((header + "." + body).utf8))
        let jws = Array((header + "." + body + "." + Base64URL.encode(Array(signature.rawRepresentation))).utf8)
        await #expect(throws: MetadataError(.malformed, "")) { try await MetadataBLOB(verifying: jws, trustAnchors: [self.pki.root]) }
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// Round-3 report, 3: a BLOB naming one model in two entries (REVOKED in one, FIDO_CERTIFIED in
    /// the other) was read by order, so the revocation could be hidden; it is refused, for AAGUIDs
    /// and for attestation key identifiers (in any case).
    @Test func aModelInTwoEntriesIsRefusedWhateverTheOrder() async throws {
        let certified = AuthenticatorMetadata(
            aaguid: MetadataTestPKI.goodAAGUID,
            description: "Certified",
            statusReports: [AuthenticatorStatusReport(status: .fidoCertified)]
        )
        let revoked = AuthenticatorMetadata(
            aaguid: MetadataTestPKI.goodAAGUID,
            description: "Revoked",
            statusReports: [AuthenticatorStatusReport(status: .revoked)]
        )
        for entries in [[revoked, certified], [certified, revoked]] {
            await #expect(throws: MetadataError(.malformed, "")) {
                try await MetadataBLOB(verifying: try self.pki.blob(entries: entries), trustAnchors: [self.pki.root])
            }
        }
        let u2f = { (identifier: String) in
            AuthenticatorMetadata(attestationCertificateKeyIdentifiers: [identifier], description: identifier)
        }
        await #expect(throws: MetadataError(.malformed, "")) {
            try await MetadataBLOB(
                verifying: try self.pki.blob(
                    entries: [u2f("923881fe2f214ee465484371aeb72e97f5a58e0a"), u2f("923881FE2F214EE465484371AEB72E97F5A58E0A")]
                ),
                trustAnchors: [self.pki.root]
            )
        }
    }

    /// A status MDS3 does not define (`revoked`, `REVOKED `) cannot be told from a revocation:
    /// it refuses the model, as REVOKED does; defined good statuses do not.
    @Test func anUndefinedStatusFailsClosed() {
        for status in ["revoked", "REVOKED ", "Revoked", "SOMETHING_NEW"] {
            let entry = AuthenticatorMetadata(
                aaguid: MetadataTestPKI.goodAAGUID,
                description: status,
                statusReports: [AuthenticatorStatusReport(status: AuthenticatorStatus(rawValue: status))]
            )
            #expect(entry.refusingReport != nil, "\(status)")
        }
        for status in ["FIDO_CERTIFIED", "FIDO_CERTIFIED_L1", "NOT_FIDO_CERTIFIED", "UPDATE_AVAILABLE"] {
            let entry = AuthenticatorMetadata(
                aaguid: MetadataTestPKI.goodAAGUID,
                description: status,
                statusReports: [AuthenticatorStatusReport(status: AuthenticatorStatus(rawValue: status))]
            )
            #expect(entry.refusingReport == nil, "\(status)")
        }
    }
}
