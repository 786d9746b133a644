public import Crypto
import Foundation
import SwiftASN1
public import WebAuthn
public import X509

/// Writes and signs an MDS3 BLOB, for organisations that publish metadata about their own
/// authenticators (and for tests): the payload lists ``AuthenticatorMetadata`` entries, the JWS
/// is ES256 with the signing certificate chain in `x5c`.
public struct MetadataBLOBWriter: Sendable {
    /// The BLOB's serial number.
    public var number: Int
    /// `nextUpdate`, as `YYYY-MM-DD`.
    public var nextUpdate: String
    /// The legal header.
    public var legalHeader: String
    /// The models.
    public var entries: [AuthenticatorMetadata]

    /// Creates a writer.
    public init(number: Int, nextUpdate: String, legalHeader: String = "", entries: [AuthenticatorMetadata]) {
        self.number = number
        self.nextUpdate = nextUpdate
        self.legalHeader = legalHeader
        self.entries = entries
    }

    /// The payload JSON.
    public func payload() throws -> [UInt8] {
        let entries: [[String: Any]] = try self.entries.map { entry in
            var statement: [String: Any] = [
                "description": entry.description,
                "attestationTypes": entry.attestationTypes,
                "attestationRootCertificates": try entry.attestationRootCertificates.map {
                    Data(try Self.der($0)).base64EncodedString()
                },
            ]
            if let icon = entry.icon { statement["icon"] = icon }
            var object: [String: Any] = [
                "metadataStatement": statement,
                "statusReports": entry.statusReports.map { report in
                    var fields: [String: Any] = ["status": report.status.rawValue]
                    if let date = report.effectiveDate { fields["effectiveDate"] = date }
                    return fields
                },
            ]
            if let aaguid = entry.aaguid {
                object["aaguid"] = aaguid.description
                statement["aaguid"] = aaguid.description
            }
            if !entry.attestationCertificateKeyIdentifiers.isEmpty {
                object["attestationCertificateKeyIdentifiers"] = entry.attestationCertificateKeyIdentifiers
            }
            return object
        }
        let payload: [String: Any] = [
            "legalHeader": self.legalHeader, "no": self.number, "nextUpdate": self.nextUpdate, "entries": entries,
        ]
        return Array(try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]))
    }

    /// The signed BLOB: `header.payload.signature`, signed with `key`, whose certificate is
    /// `chain[0]`.
    public func signed(with key: P256.Signing.PrivateKey, chain: [Certificate]) throws -> [UInt8] {
        let x5c = try chain.map { Data(try Self.der($0)).base64EncodedString() }
        let header = try JSONSerialization.data(
            withJSONObject: ["alg": "ES256", "typ": "JWT", "x5c": x5c],
            options: [.sortedKeys]
        )
        let signingInput = Base64URL.encode(Array(header)) + "." + Base64URL.encode(try self.payload())
        let signature = try key.signature(for: Array(signingInput.utf8))
        return Array((signingInput + "." + Base64URL.encode(Array(signature.rawRepresentation))).utf8)
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
