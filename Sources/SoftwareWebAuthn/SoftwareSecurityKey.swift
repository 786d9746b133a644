import CBOR
import Crypto
import Foundation
import Synchronization
public import WebAuthn

/// A software WebAuthn authenticator and client in one: it answers creation and request options
/// the way a browser with a security key would (ES256 keys, `packed` self attestation, a
/// per-credential signature counter), for tests, demos and load generation. Not a place to keep
/// real credentials: its keys live in memory.
public final class SoftwareSecurityKey: Sendable {
    /// Why the key could not answer.
    public enum Failure: Error, Sendable, Hashable {
        /// The options name another RP ID than the origin's host allows, or none of its credentials.
        case noCredential
        /// An excluded credential of this key was listed at registration.
        case alreadyRegistered
    }

    private struct Credential: Sendable {
        var id: [UInt8]
        var key: P256.Signing.PrivateKey
        var rpID: String
        var userHandle: [UInt8]
        var signCount: UInt32
    }

    private let credentials = Mutex<[Credential]>([])
    /// Whether the key verifies the user (sets UV), like a platform authenticator or a key with a PIN.
    public let verifiesUser: Bool
    /// The AAGUID it reports.
    public let aaguid: [UInt8]

    /// Creates a key with no credentials.
    public init(verifiesUser: Bool = false, aaguid: [UInt8] = Array(repeating: 0, count: 16)) {
        self.verifiesUser = verifiesUser
        self.aaguid = aaguid
    }

    /// The ids of the credentials it holds.
    public var credentialIDs: [[UInt8]] { self.credentials.withLock { $0.map(\.id) } }

    /// Makes a credential for `options` as `navigator.credentials.create()` would from `origin`.
    public func register(_ options: PublicKeyCredentialCreationOptionsJSON, origin: String) throws(Failure)
        -> RegistrationResponseJSON
    {
        let excluded = Set(options.excludeCredentials.map(\.id.bytes))
        let rpID = options.rp.id
        if self.credentials.withLock({ $0.contains { excluded.contains($0.id) } }) { throw .alreadyRegistered }
        let credential = Credential(
            id: Array(SHA256.hash(data: Challenge.random())),
            key: P256.Signing.PrivateKey(),
            rpID: rpID,
            userHandle: options.user.id.bytes,
            signCount: 0
        )
        self.credentials.withLock { $0.append(credential) }
        let clientData = CollectedClientData(
            type: "webauthn.create",
            challenge: Base64URL.encode(options.challenge.bytes),
            origin: origin
        ).jsonBytes
        let authData = AuthenticatorData.encode(
            relyingPartyID: rpID,
            flags: self.flags,
            signCount: 0,
            credential: (self.aaguid, credential.id, COSEKey(p256: credential.key.publicKey).encoded)
        )
        let signature =
            (try? credential.key.signature(for: authData + Array(SHA256.hash(data: clientData))))
            .map { Array($0.derRepresentation) } ?? []
        let statement: CBORMap = ["alg": -7, "sig": .byteString(signature)]
        let object: CBORMap = ["fmt": "packed", "attStmt": .map(statement), "authData": .byteString(authData)]
        var response = RegistrationResponseJSON(
            rawID: credential.id,
            response: .init(
                clientDataJSON: clientData,
                attestationObject: CBOREncoder().encode(.map(object)),
                transports: ["usb"]
            )
        )
        response.authenticatorAttachment = "cross-platform"
        return response
    }

    /// Signs in for `options` as `navigator.credentials.get()` would from `origin`, with the first
    /// credential of this key that the options allow.
    public func authenticate(_ options: PublicKeyCredentialRequestOptionsJSON, origin: String) throws(Failure)
        -> AuthenticationResponseJSON
    {
        let allowed = Set(options.allowCredentials.map(\.id.bytes))
        let rpID = options.rpId ?? URL(string: origin)?.host ?? ""
        let picked: Credential? = self.credentials.withLock { credentials in
            guard
                let index = credentials.firstIndex(where: {
                    $0.rpID == rpID && (allowed.isEmpty || allowed.contains($0.id))
                })
            else { return nil }
            credentials[index].signCount += 1
            return credentials[index]
        }
        guard let credential = picked else { throw .noCredential }
        let clientData = CollectedClientData(
            type: "webauthn.get",
            challenge: Base64URL.encode(options.challenge.bytes),
            origin: origin
        ).jsonBytes
        let authData = AuthenticatorData.encode(
            relyingPartyID: rpID,
            flags: self.flags,
            signCount: credential.signCount
        )
        let signature =
            (try? credential.key.signature(for: authData + Array(SHA256.hash(data: clientData))))
            .map { Array($0.derRepresentation) } ?? []
        var response = AuthenticationResponseJSON(
            rawID: credential.id,
            response: .init(
                clientDataJSON: clientData,
                authenticatorData: authData,
                signature: signature,
                userHandle: credential.userHandle
            )
        )
        response.authenticatorAttachment = "cross-platform"
        return response
    }

    /// What this key reports: user presence, and user verification when it verifies users.
    private var flags: AuthenticatorFlags {
        self.verifiesUser ? [.userPresent, .userVerified] : [.userPresent]
    }
}
