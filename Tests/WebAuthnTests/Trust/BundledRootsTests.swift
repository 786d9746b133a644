import Crypto
import Foundation
import SwiftASN1
import Testing
import WebAuthn
import X509

/// The shipped roots are the vendors' certificates: each parses, is a self-signed CA, and has
/// the SHA-256 fingerprint its vendor publishes.
struct BundledRootsTests {
    @Test(arguments: BundledRoots.all.map(\.name))
    func eachRootIsTheVendorsCertificate(_ name: String) throws {
        let root = try #require(BundledRoots.all.first { $0.name == name })
        let certificate = try root.certificate
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let fingerprint = SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(separator: ":")
        #expect(fingerprint == root.sha256Fingerprint)
        #expect(certificate.subject == certificate.issuer)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        if case .isCertificateAuthority? = try certificate.extensions.basicConstraints {} else { Issue.record("\(name) is not a CA") }
    }

    @Test func formatsGetTheirDefaultAnchors() {
        #expect(BundledRoots.defaultAnchors(for: .apple).count == 1)
        #expect(BundledRoots.defaultAnchors(for: .androidKey).count == 4)
        #expect(BundledRoots.defaultAnchors(for: .packed).isEmpty)
        #expect(BundledRoots.defaultAnchors(for: .tpm).isEmpty)
    }
}
