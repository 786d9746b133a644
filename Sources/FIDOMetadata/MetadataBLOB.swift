public import Foundation
public import WebAuthn
public import X509

/// A verified FIDO Metadata Service (MDS3) BLOB: a JWS whose `x5c` chains to the metadata trust
/// anchor (the FIDO Alliance's GlobalSign Root CA - R3 by default) and whose payload lists the
/// authenticator models with their statements and status reports.
///
/// Look models up with ``metadata(aaguid:)`` and ``metadata(attestationCertificateKeyIdentifier:)``,
/// or give the BLOB to ``RegistrationPolicy/metadata``.
public struct MetadataBLOB: AuthenticatorMetadataProvider, Sendable {
    /// The BLOB's serial number; a newer BLOB has a higher one.
    public let number: Int
    /// When the next BLOB is due, at the latest (00:00 UTC of `nextUpdate`).
    public let nextUpdate: Date
    /// The legal header FIDO requires relying parties to accept.
    public let legalHeader: String?
    /// Every model in the BLOB.
    public let entries: [AuthenticatorMetadata]
    /// The JWS as received.
    public let rawValue: [UInt8]

    private let byAAGUID: [AAGUID: Int]
    private let byKeyIdentifier: [String: Int]

    /// The default trust anchor for BLOBs from mds.fidoalliance.org.
    public static let defaultTrustAnchors: [Certificate] = [try? BundledRoots.globalSignRootCAR3.certificate]
        .compactMap { $0 }

    /// Parses and verifies a BLOB.
    ///
    /// - Parameters:
    ///   - jws: the BLOB, a JWS in compact serialization.
    ///   - trustAnchors: the roots its signing certificate must chain to.
    ///   - time: when to check certificate validity and `nextUpdate`.
    ///   - allowExpired: accept a BLOB whose `nextUpdate` has passed (a cached copy read when no
    ///     newer one can be had); ``isStale(at:)`` then says so.
    /// - Throws: ``MetadataError`` `malformed`, `signatureInvalid`, `untrusted`, `expired`.
    public init(
        verifying jws: [UInt8],
        trustAnchors: [Certificate] = MetadataBLOB.defaultTrustAnchors,
        at time: Date = Date(),
        allowExpired: Bool = false
    ) async throws(MetadataError) {
        let token: CompactJWS
        do {
            token = try CompactJWS(jws)
        } catch {
            throw MetadataError(.malformed, "The metadata BLOB is not a JWS: \(error.message)")
        }
        guard let chainDER = token.certificateChain, !chainDER.isEmpty else {
            throw MetadataError(.malformed, "The metadata BLOB's header has no x5c certificate chain.")
        }
        let chain: [Certificate]
        do {
            chain = try chainDER.map { try Certificate(derEncoded: $0) }
        } catch {
            throw MetadataError(.malformed, "A certificate in the metadata BLOB's x5c is not DER X.509.")
        }
        guard let key = chain.first?.signatureVerificationKey, token.verify(with: key) else {
            throw MetadataError(
                .signatureInvalid,
                "The metadata BLOB's signature does not verify with its certificate."
            )
        }
        guard !trustAnchors.isEmpty else {
            throw MetadataError(.untrusted, "No metadata trust anchor is configured.")
        }
        do {
            _ = try await CertificatePathValidator(trustAnchors: trustAnchors, verificationTime: time).validate(chain)
        } catch {
            throw MetadataError(
                .untrusted,
                "The metadata BLOB's signing certificate does not chain to the trust anchor: \(error.message)"
            )
        }
        let payload: MetadataPayload
        do {
            payload = try MetadataPayload(json: token.payload)
        } catch {
            throw MetadataError(.malformed, "The metadata BLOB's payload is not an MDS3 payload: \(error.message)")
        }
        if !allowExpired && payload.nextUpdate < time {
            throw MetadataError(
                .expired,
                "The metadata BLOB #\(payload.number) was due to be replaced on \(payload.nextUpdateText); fetch a current one."
            )
        }
        self.number = payload.number
        self.nextUpdate = payload.nextUpdate
        self.legalHeader = payload.legalHeader
        self.entries = payload.entries
        self.rawValue = jws
        var byAAGUID: [AAGUID: Int] = [:]
        var byKeyIdentifier: [String: Int] = [:]
        // One entry per model: a BLOB naming a model twice (one entry REVOKED, another
        // FIDO_CERTIFIED) would be read one way or the other by order — refused instead.
        for (index, entry) in payload.entries.enumerated() {
            if let aaguid = entry.aaguid {
                guard byAAGUID.updateValue(index, forKey: aaguid) == nil else {
                    throw MetadataError(
                        .malformed,
                        "The metadata BLOB lists the AAGUID \(aaguid) in more than one entry."
                    )
                }
            }
            for identifier in Set(entry.attestationCertificateKeyIdentifiers.map { $0.lowercased() }) {
                guard byKeyIdentifier.updateValue(index, forKey: identifier) == nil else {
                    throw MetadataError(
                        .malformed,
                        "The metadata BLOB lists the attestation key identifier \(identifier) in more than one entry."
                    )
                }
            }
        }
        self.byAAGUID = byAAGUID
        self.byKeyIdentifier = byKeyIdentifier
    }

    /// Whether `nextUpdate` has passed at `time`: a newer BLOB should be fetched.
    public func isStale(at time: Date = Date()) -> Bool {
        self.nextUpdate < time
    }

    public func metadata(aaguid: AAGUID) -> AuthenticatorMetadata? {
        self.byAAGUID[aaguid].map { self.entries[$0] }
    }

    public func metadata(attestationCertificateKeyIdentifier: String) -> AuthenticatorMetadata? {
        self.byKeyIdentifier[attestationCertificateKeyIdentifier.lowercased()].map { self.entries[$0] }
    }
}
