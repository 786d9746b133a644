import Crypto
public import Foundation
import SwiftASN1
import X509

/// A saved ``SoftwareAuthenticator``: its attestation chain, credentials (with their private
/// keys), counter and PIN state, as JSON. This is test and demo material: the keys are stored
/// in the clear.
struct SoftwareAuthenticatorSnapshot: Codable {
    struct Credential: Codable {
        var id: Data
        var relyingPartyID: String
        var userID: Data
        var userName: String?
        var userDisplayName: String?
        var algorithm: Int
        var privateKey: Data
        var discoverable: Bool
        var credentialProtection: UInt8
        var hmacSecretWithoutUV: Data?
        var hmacSecretWithUV: Data?
        var largeBlobKey: Data?
    }

    var version = 1
    var aaguid: Data
    var rootCertificate: Data
    var attestationKey: Data
    var attestationCertificate: Data
    var counter: UInt32
    var pinHash: Data?
    var pinRetries: Int
    var credentials: [Credential]
    var largeBlobArray: Data?
}

extension SoftwareAuthenticator {
    /// The authenticator's whole state as JSON, for ``init(snapshot:configuration:)``.
    public func snapshot() throws -> Data {
        var serializer = DER.Serializer()
        try serializer.serialize(self.attestationRoot)
        let snapshot = self.withState { state in
            SoftwareAuthenticatorSnapshot(
                aaguid: Data(self.configuration.aaguid),
                rootCertificate: Data(serializer.serializedBytes),
                attestationKey: self.attestationKey.rawRepresentation,
                attestationCertificate: Data(self.attestationCertificate),
                counter: state.counter,
                pinHash: state.pinHash.map { Data($0) },
                pinRetries: state.pinRetries,
                credentials: state.credentials.map { credential in
                    let (algorithm, key): (Int, Data)
                    switch credential.key {
                    case .p256(let privateKey): (algorithm, key) = (-7, privateKey.rawRepresentation)
                    case .ed25519(let privateKey): (algorithm, key) = (-8, privateKey.rawRepresentation)
                    }
                    return .init(
                        id: Data(credential.id),
                        relyingPartyID: credential.relyingPartyID,
                        userID: Data(credential.userID),
                        userName: credential.userName,
                        userDisplayName: credential.userDisplayName,
                        algorithm: algorithm,
                        privateKey: key,
                        discoverable: credential.discoverable,
                        credentialProtection: credential.credentialProtection,
                        hmacSecretWithoutUV: credential.hmacSecrets.map { Data($0.withoutUV) },
                        hmacSecretWithUV: credential.hmacSecrets.map { Data($0.withUV) },
                        largeBlobKey: credential.largeBlobKey.map { Data($0) }
                    )
                },
                largeBlobArray: Data(state.largeBlobArray)
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(snapshot)
    }

    /// Restores an authenticator saved with ``snapshot()``.
    public convenience init(snapshot data: Data, configuration: Configuration = Configuration()) throws {
        let snapshot = try JSONDecoder().decode(SoftwareAuthenticatorSnapshot.self, from: data)
        var configuration = configuration
        configuration.aaguid = Array(snapshot.aaguid)
        try self.init(
            configuration: configuration,
            chain: SoftwareAttestationChain(
                root: try Certificate(derEncoded: Array(snapshot.rootCertificate)),
                leafKey: try P256.Signing.PrivateKey(rawRepresentation: snapshot.attestationKey),
                leafDER: Array(snapshot.attestationCertificate)
            )
        )
        let credentials = try snapshot.credentials.map { saved in
            let key: CredentialKey =
                saved.algorithm == -8
                ? .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: saved.privateKey))
                : .p256(try P256.Signing.PrivateKey(rawRepresentation: saved.privateKey))
            return StoredCredential(
                id: Array(saved.id),
                relyingPartyID: saved.relyingPartyID,
                userID: Array(saved.userID),
                userName: saved.userName,
                userDisplayName: saved.userDisplayName,
                key: key,
                discoverable: saved.discoverable,
                credentialProtection: saved.credentialProtection,
                hmacSecrets: saved.hmacSecretWithoutUV.flatMap { without in
                    saved.hmacSecretWithUV.map { (Array(without), Array($0)) }
                },
                largeBlobKey: saved.largeBlobKey.map { Array($0) }
            )
        }
        self.withState { state in
            state.credentials = credentials
            state.counter = snapshot.counter
            state.pinHash = snapshot.pinHash.map { Array($0) }
            state.pinRetries = snapshot.pinRetries
            if let array = snapshot.largeBlobArray { state.largeBlobArray = Array(array) }
        }
    }
}
