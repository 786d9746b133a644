import Crypto
import FIDOMetadata
import Foundation
import Testing
import WebAuthn
import X509

/// `fidoctl mds update|show` and `fidoctl verify registration --mds`, with BLOBs signed by a
/// metadata root made in the test.
struct MDSCommandTests {
    let directory: URL
    let rootKey = P256.Signing.PrivateKey()
    let signingKey = P256.Signing.PrivateKey()
    let root: Certificate
    let signer: Certificate
    static let yubiKey5 = AAGUID("6d44ba9b-f6ec-2e49-b930-0c8fe920cb73")!

    init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-mds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let name = try DistinguishedName { CommonName("fidoctl Test Metadata Root") }
        let now = Date()
        self.root = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(self.rootKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(86_400 * 365),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
            issuerPrivateKey: .init(self.rootKey)
        )
        self.signer = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(self.signingKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(86_400 * 30),
            issuer: name,
            subject: try DistinguishedName { CommonName("mds.fidoctl.test") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.notCertificateAuthority) },
            issuerPrivateKey: .init(self.rootKey)
        )
        try self.root.serializeAsPEM().pemString.write(to: self.rootPEM, atomically: true, encoding: .utf8)
    }

    var rootPEM: URL { self.directory.appendingPathComponent("root.pem") }
    var cache: URL { self.directory.appendingPathComponent("cache/mds3.jwt") }

    func blobFile(_ name: String, number: Int, statuses: [AuthenticatorStatus] = [.fidoCertified]) throws -> URL {
        let entries = [
            AuthenticatorMetadata(
                aaguid: Self.yubiKey5,
                description: "YubiKey 5 Series",
                icon: "data:image/png;base64,AAAA",
                attestationTypes: ["basic_full"],
                statusReports: statuses.map { AuthenticatorStatusReport(status: $0, effectiveDate: "2024-01-01") }
            )
        ]
        let jws = try MetadataBLOBWriter(number: number, nextUpdate: "2099-01-01", entries: entries).signed(with: self.signingKey, chain: [self.signer])
        let file = self.directory.appendingPathComponent(name)
        try Data(jws).write(to: file)
        return file
    }

    @Test func updateCachesAVerifiedBLOBAndShowPrintsTheModel() throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let store = ["--cache", self.cache.path, "--root", self.rootPEM.path]
        let update = try FidoctlRunner.run(["mds", "update", "--from", try self.blobFile("a.jwt", number: 2).path] + store)
        #expect(update.status == 0)
        #expect(update.stdout.contains("Metadata BLOB #2: 1 authenticator models"))
        let show = try FidoctlRunner.run(["mds", "show", Self.yubiKey5.description] + store)
        #expect(show.status == 0)
        let entry = try #require(show.verdicts.first)
        #expect(entry["description"] as? String == "YubiKey 5 Series")
        #expect(entry["icon"] as? String == "data:image/png;base64,AAAA")
        #expect(entry["refused"] as? Bool == false)
        #expect(try FidoctlRunner.run(["mds", "show", "11111111-2222-3333-4444-555555555555"] + store).status == 1)
    }

    @Test func aRefusedBLOBLeavesTheCache() throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let store = ["--cache", self.cache.path, "--root", self.rootPEM.path]
        #expect(try FidoctlRunner.run(["mds", "update", "--from", try self.blobFile("good.jwt", number: 5).path] + store).status == 0)
        let cached = try Data(contentsOf: self.cache)
        var forged = try Data(contentsOf: try self.blobFile("forged.jwt", number: 6))
        forged[forged.count - 5] = forged[forged.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try forged.write(to: self.directory.appendingPathComponent("forged.jwt"))
        let refused = try FidoctlRunner.run(["mds", "update", "--from", self.directory.appendingPathComponent("forged.jwt").path] + store)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("metadata_signature_invalid"))
        let older = try FidoctlRunner.run(["mds", "update", "--from", try self.blobFile("old.jwt", number: 4).path] + store)
        #expect(older.status == 1)
        #expect(older.stderr.contains("metadata_rollback"))
        // Without --root the BLOB must chain to the real FIDO root, which it does not.
        let untrusted = try FidoctlRunner.run(["mds", "update", "--from", try self.blobFile("new.jwt", number: 9).path, "--cache", self.cache.path])
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("metadata_untrusted"))
        #expect(try Data(contentsOf: self.cache) == cached)
    }

    /// `--cache` goes through the writer every output file uses: a link is followed (its target
    /// gets the BLOB, the link stays), a directory is refused up front.
    @Test func theCacheFollowsASymbolicLinkLikeEveryOutputFile() throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let target = self.directory.appendingPathComponent("real.jwt")
        let link = self.directory.appendingPathComponent("link.jwt")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.jwt")
        let update = try FidoctlRunner.run(
            ["mds", "update", "--from", try self.blobFile("a.jwt", number: 3).path, "--cache", link.path, "--root", self.rootPEM.path]
        )
        #expect(update.status == 0, "\(update.stderr)")
        let type = try FileManager.default.attributesOfItem(atPath: link.path)[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
        #expect(try Data(contentsOf: target) == Data(contentsOf: self.directory.appendingPathComponent("a.jwt")))
        let directory = try FidoctlRunner.run(
            ["mds", "update", "--from", try self.blobFile("b.jwt", number: 4).path, "--cache", self.directory.path, "--root", self.rootPEM.path]
        )
        #expect(directory.status == 64, "\(directory.stderr)")
    }

    @Test func verifyRegistrationConsultsTheMetadata() throws {
        defer { try? FileManager.default.removeItem(at: self.directory) }
        let sample = try FidoctlRunner.sample(VerifyCommandTests.yubikey)
        func verify(_ blob: URL) throws -> FidoctlRunner.Result {
            try FidoctlRunner.run(
                [
                    "verify", "registration", "--rp-id", sample["rpId"] as? String ?? "", "--origin", sample["origin"] as? String ?? "",
                    "--challenge", sample["challenge"] as? String ?? "", "--mds", blob.path, "--mds-root", self.rootPEM.path,
                ],
                stdin: try FidoctlRunner.responseData(sample)
            )
        }
        let good = try verify(try self.blobFile("good.jwt", number: 1))
        #expect(good.status == 0)
        let authenticator = try #require(good.verdicts.first?["authenticator"] as? [String: Any])
        #expect(authenticator["description"] as? String == "YubiKey 5 Series")
        #expect(authenticator["status"] as? String == "FIDO_CERTIFIED")
        let revoked = try verify(try self.blobFile("revoked.jwt", number: 2, statuses: [.fidoCertified, .userVerificationBypass]))
        #expect(revoked.status == 1)
        #expect((revoked.verdicts.first?["error"] as? [String: Any])?["code"] as? String == "authenticator_revoked")
    }

    /// No cached BLOB is a missing input (66), not a refusal; an empty --cache is a usage error.
    @Test func showWithoutACachedBLOBIsMissingInput() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-mds-\(UUID().uuidString).jwt").path
        let result = try FidoctlRunner.run(["mds", "show", "11111111-2222-3333-4444-555555555555", "--cache", missing])
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("No cached metadata BLOB"))
        #expect(try FidoctlRunner.run(["mds", "show", "11111111-2222-3333-4444-555555555555", "--cache", ""]).status == 64)
        #expect(try FidoctlRunner.run(["mds", "update", "--from", "", "--cache", missing]).status == 64)
    }
}
