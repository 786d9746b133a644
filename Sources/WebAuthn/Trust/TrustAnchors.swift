import SwiftASN1
public import X509

/// Loading attestation trust anchors.
public enum TrustAnchors {
    /// Parses every certificate in a PEM document (one or more `BEGIN CERTIFICATE` blocks).
    ///
    /// - Throws: ``WebAuthnError`` `malformed_certificate` when the text holds no certificate or
    ///   a block that is not a DER X.509 certificate.
    public static func certificates(fromPEM text: String) throws(WebAuthnError) -> [Certificate] {
        do {
            let documents = try PEMDocument.parseMultiple(pemString: text)
            guard !documents.isEmpty else {
                throw WebAuthnError(.malformedCertificate, "The trust anchor file holds no PEM certificate.")
            }
            return try documents.map { try Certificate(pemDocument: $0) }
        } catch let error as WebAuthnError {
            throw error
        } catch {
            throw WebAuthnError(.malformedCertificate, "A trust anchor is not a PEM X.509 certificate.")
        }
    }
}
