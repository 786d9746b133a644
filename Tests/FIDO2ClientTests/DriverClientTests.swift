import FIDO2
import FIDOKitTestSupport
import Foundation
import Testing

/// A driver client imports `FIDO2` alone: it names the identifiers a key reports, and FIDO2
/// brings no verifier, certificate or crypto module with it.
struct DriverClientTests {
    /// What `FIDO2`'s sources may import: the C library, CBOR, the shared identifiers, the system.
    static let allowedImports: Set<String> = ["CBOR", "CFIDO2", "Dispatch", "FIDOTypes", "Foundation", "Glibc", "Synchronization"]

    @Test func theIdentifiersAKeyReportsAreNamedThroughFIDO2() throws {
        let request = MakeCredentialRequest(relyingPartyID: "example.com", userID: [1], clientDataHash: [UInt8](repeating: 0, count: 32))
        let algorithm: COSEAlgorithm = request.algorithm
        #expect(algorithm == .es256 && algorithm.rawValue == -7)
        let aaguid: AAGUID = try #require(AAGUID("6d44ba9b-f6ec-2e49-b930-0c8fe920cb73"))
        #expect(aaguid.bytes.count == 16)
    }

    @Test func fido2ImportsNoVerifierCertificateOrCryptoModule() throws {
        let sources = FixturePath.repositoryRoot.appendingPathComponent("Sources/FIDO2")
        let files = try FileManager.default.subpathsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        let pattern = /^\s*(?:@_exported\s+)?(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(\w+)/
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let match = try pattern.firstMatch(in: String(line)) {
                    #expect(Self.allowedImports.contains(String(match.1)), "\(file) imports \(match.1)")
                }
            }
        }
    }

    @Test func theFIDO2TargetDependsOnNoVerifierModule() throws {
        let manifest = try String(contentsOf: FixturePath.repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let target = try #require(try /name: "FIDO2",\s*dependencies: \[([^\]]*)\]/.firstMatch(in: manifest))
        let dependencies = Set(target.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(dependencies == [#""CFIDO2""#, #""CBOR""#, #""FIDOTypes""#])
    }
}
