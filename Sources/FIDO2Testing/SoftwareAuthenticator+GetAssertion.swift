import CBOR
import Crypto
import WebAuthn

extension SoftwareAuthenticator {
    /// authenticatorGetAssertion (CTAP 2.1 §6.2).
    func getAssertion(_ parameters: CBORMap, presence: () -> PresenceOutcome) throws -> CBORMap {
        guard let relyingPartyID = try parameters.required(1).text,
            let clientDataHash = try parameters.required(2).bytes
        else {
            throw CTAPStatus.cborUnexpectedType
        }
        let allowList = (parameters[3]?.arrayValue ?? []).compactMap { $0.mapValue?["id"]?.bytes }
        let options = parameters[5]?.mapValue ?? CBORMap()
        if options["uv"] == .boolean(true) { throw CTAPStatus.unsupportedOption }
        let userPresent = options["up"] != .boolean(false)
        let requestedExtensions = parameters[4]?.mapValue ?? CBORMap()
        if let wanted = requestedExtensions["largeBlobKey"], wanted != .boolean(true) {
            throw CTAPStatus.invalidOption
        }
        let verified = try self.checkPINUVAuth(
            parameters,
            parameterKey: 6,
            protocolKey: 7,
            message: clientDataHash,
            permission: Permission.getAssertion,
            relyingPartyID: relyingPartyID
        )

        let matches: [[UInt8]] = self.withState { state in
            let found = state.credentials.filter { credential in
                guard credential.relyingPartyID == relyingPartyID else { return false }
                // Without user verification, credProtect level 3 hides everything and level 2
                // hides credentials from discovery (CTAP 2.1 §12.1).
                if verified {
                    return allowList.isEmpty ? credential.discoverable : allowList.contains(credential.id)
                }
                if allowList.isEmpty {
                    return credential.discoverable && credential.credentialProtection == 1
                }
                return allowList.contains(credential.id) && credential.credentialProtection < 3
            }
            state.pendingAssertions = allowList.isEmpty ? found.dropFirst().map(\.id) : []
            state.pendingClientDataHash = clientDataHash
            state.pendingVerified = verified
            state.pendingLargeBlobKey = requestedExtensions["largeBlobKey"] == .boolean(true)
            return found.map(\.id)
        }
        guard let first = matches.first else {
            if userPresent { try self.requirePresence(presence) }
            throw CTAPStatus.noCredentials
        }
        if userPresent { try self.requirePresence(presence) }
        var response = try self.assertion(
            credentialID: first,
            clientDataHash: clientDataHash,
            userPresent: userPresent,
            userVerified: verified,
            withUser: allowList.isEmpty,
            hmacSecretRequest: requestedExtensions["hmac-secret"]?.mapValue,
            largeBlobKey: requestedExtensions["largeBlobKey"] == .boolean(true)
        )
        if allowList.isEmpty && matches.count > 1 {
            response[5] = CBORValue(matches.count)
        }
        return response
    }

    /// authenticatorGetNextAssertion (CTAP 2.1 §6.3).
    func getNextAssertion() throws -> CBORMap {
        let (next, clientDataHash): ([UInt8]?, [UInt8]?) = self.withState { state in
            (state.pendingAssertions.isEmpty ? nil : state.pendingAssertions.removeFirst(), state.pendingClientDataHash)
        }
        guard let next, let clientDataHash else { throw CTAPStatus.notAllowed }
        let verified = self.withState { $0.pendingVerified }
        return try self.assertion(
            credentialID: next,
            clientDataHash: clientDataHash,
            userPresent: true,
            userVerified: verified,
            withUser: true,
            largeBlobKey: self.withState { $0.pendingLargeBlobKey }
        )
    }

    private func assertion(
        credentialID: [UInt8],
        clientDataHash: [UInt8],
        userPresent: Bool,
        userVerified: Bool,
        withUser: Bool,
        hmacSecretRequest: CBORMap? = nil,
        largeBlobKey: Bool = false
    ) throws -> CBORMap {
        let (credential, counter): (StoredCredential?, UInt32) = self.withState { state in
            state.counter += 1
            return (state.credentials.first { $0.id == credentialID }, state.counter)
        }
        guard let credential else { throw CTAPStatus.noCredentials }
        var extensions: CBORMap?
        if let request = hmacSecretRequest, let secrets = credential.hmacSecrets {
            extensions = [
                "hmac-secret": .byteString(
                    try self.hmacSecret(request, secret: userVerified ? secrets.withUV : secrets.withoutUV)
                )
            ]
        }
        let authData = self.authenticatorData(
            relyingPartyID: credential.relyingPartyID,
            flags: AuthenticatorFlags(rawValue: (userPresent ? 0x01 : 0) | (userVerified ? 0x04 : 0)),
            counter: counter,
            attested: nil,
            extensions: extensions
        )
        var response: CBORMap = [
            1: .map(["id": .byteString(credential.id), "type": "public-key"]),
            2: .byteString(authData),
            3: .byteString(try credential.key.sign(authData + clientDataHash)),
        ]
        if withUser || credential.discoverable {
            response[4] = .map(["id": .byteString(credential.userID)])
        }
        if largeBlobKey, let key = credential.largeBlobKey {
            response[7] = .byteString(key)
        }
        return response
    }

    /// The hmac-secret extension (CTAP 2.1 §12.5): HMAC-SHA-256 of one or two salts under the
    /// credential's secret, encrypted to the platform's shared secret.
    private func hmacSecret(_ request: CBORMap, secret: [UInt8]) throws -> [UInt8] {
        guard let saltEncrypted = request[2]?.bytes, let saltAuth = request[3]?.bytes else {
            throw CTAPStatus.missingParameter
        }
        let pinProtocol = PINProtocol(rawValue: request[4]?.integer ?? 1) ?? .one
        let shared = try self.sharedSecret(request, pinProtocol, keyAgreementKey: 1)
        guard PINProtocol.matches(saltAuth, pinProtocol.authenticate(shared, saltEncrypted)) else {
            throw CTAPStatus.invalidParameter
        }
        let salts = try pinProtocol.decrypt(shared, saltEncrypted)
        guard salts.count == 32 || salts.count == 64 else { throw CTAPStatus.invalidLength }
        var output: [UInt8] = []
        for start in stride(from: 0, to: salts.count, by: 32) {
            output += Array(
                HMAC<SHA256>.authenticationCode(for: salts[start..<(start + 32)], using: SymmetricKey(data: secret))
            )
        }
        return try pinProtocol.encrypt(shared, output)
    }
}
