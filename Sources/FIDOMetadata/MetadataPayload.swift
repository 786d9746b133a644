import Foundation
public import WebAuthn
import X509

/// The MDS3 BLOB payload (FIDO Metadata Service v3.0 §3.1.6): `legalHeader`, `no`,
/// `nextUpdate` and `entries`, each entry with its metadata statement and status reports.
/// ``MetadataBLOB`` reads it once the signature and chain are verified; the fuzz target reads
/// it directly, as SPI (`@_spi(Fuzzing) import FIDOMetadata`).
@_spi(Fuzzing) public struct MetadataPayload {
    /// The BLOB's serial number (`no`).
    public var number: Int
    var nextUpdate: Date
    var nextUpdateText: String
    var legalHeader: String?
    /// The models, in order.
    public var entries: [AuthenticatorMetadata]

    /// Parses a payload.
    ///
    /// - Throws: ``WebAuthnError`` `malformed_json` naming the member that is wrong.
    public init(json bytes: [UInt8]) throws(WebAuthnError) {
        let fields = try JSONFields(try JSONNode.parse(bytes), path: "payload")
        guard let number = try fields.optionalInteger("no", as: Int.self) else {
            throw WebAuthnError(.malformedJSON, "payload.no is missing.")
        }
        self.number = number
        self.nextUpdateText = try fields.string("nextUpdate")
        guard let nextUpdate = Self.date(self.nextUpdateText) else {
            throw WebAuthnError(.malformedJSON, "payload.nextUpdate is not a YYYY-MM-DD date.")
        }
        self.nextUpdate = nextUpdate
        self.legalHeader = try fields.optionalString("legalHeader")
        guard case .array(let entries)? = fields.value("entries") else {
            throw WebAuthnError(.malformedJSON, "payload.entries is not an array.")
        }
        var parsed: [AuthenticatorMetadata] = []
        for (index, entry) in entries.enumerated() {
            parsed.append(try Self.entry(try JSONFields(entry, path: "payload.entries[\(index)]")))
        }
        self.entries = parsed
    }

    static func entry(_ fields: JSONFields) throws(WebAuthnError) -> AuthenticatorMetadata {
        let statement = try fields.optionalObject("metadataStatement")
        var aaguid: AAGUID?
        var aaguidText = try fields.optionalString("aaguid")
        if aaguidText == nil { aaguidText = try statement?.optionalString("aaguid") }
        if let text = aaguidText {
            guard let value = AAGUID(text) else {
                throw WebAuthnError(.malformedJSON, "\(fields.path).aaguid is not a UUID.")
            }
            aaguid = value
        }
        var roots: [Certificate] = []
        // A root that does not parse is left out: the model's attestations then fail to chain,
        // which refuses rather than trusts.
        for text in try statement?.optionalStrings("attestationRootCertificates") ?? [] {
            if let der = Base64URL.decode(text), let certificate = try? Certificate(derEncoded: der) {
                roots.append(certificate)
            }
        }
        var reports: [AuthenticatorStatusReport] = []
        if case .array(let items)? = fields.value("statusReports") {
            for (index, item) in items.enumerated() {
                let report = try JSONFields(item, path: "\(fields.path).statusReports[\(index)]")
                reports.append(
                    AuthenticatorStatusReport(
                        status: AuthenticatorStatus(rawValue: try report.string("status")),
                        effectiveDate: try report.optionalString("effectiveDate")
                    )
                )
            }
        }
        var identifiers = try fields.optionalStrings("attestationCertificateKeyIdentifiers")
        if identifiers == nil { identifiers = try statement?.optionalStrings("attestationCertificateKeyIdentifiers") }
        return AuthenticatorMetadata(
            aaguid: aaguid,
            attestationCertificateKeyIdentifiers: identifiers ?? [],
            description: try statement?.optionalString("description") ?? "",
            icon: try statement?.optionalString("icon"),
            attestationRootCertificates: roots,
            attestationTypes: try statement?.optionalStrings("attestationTypes") ?? [],
            statusReports: reports
        )
    }

    /// `YYYY-MM-DD` at 00:00 UTC.
    static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day))
    }
}
