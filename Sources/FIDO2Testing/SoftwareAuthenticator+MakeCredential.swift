import CBOR
import Crypto
import WebAuthn

extension SoftwareAuthenticator {
    /// authenticatorMakeCredential (CTAP 2.1 §6.1) with packed attestation.
    func makeCredential(_ parameters: CBORMap, presence: () -> PresenceOutcome) throws -> CBORMap {
        guard let clientDataHash = try parameters.required(1).bytes,
            let relyingParty = try parameters.required(2).mapValue,
            let user = try parameters.required(3).mapValue,
            let algorithms = try parameters.required(4).arrayValue
        else { throw CTAPStatus.cborUnexpectedType }
        guard let relyingPartyID = relyingParty["id"]?.text, let userID = user["id"]?.bytes else {
            throw CTAPStatus.missingParameter
        }
        let options = parameters[7]?.mapValue ?? CBORMap()
        if options["up"] == .boolean(false) { throw CTAPStatus.unsupportedOption }
        if options["uv"] == .boolean(true) { throw CTAPStatus.unsupportedOption }
        let discoverable = options["rk"] == .boolean(true)
        // enterpriseAttestation (CTAP 2.1 §6.1 step 9): only once enabled; 1 or 2.
        var enterprise = false
        if let requested = parameters[10] {
            guard self.withState({ $0.enterpriseAttestationEnabled }) else { throw CTAPStatus.invalidParameter }
            guard let mode = requested.integer, [1, 2].contains(mode) else { throw CTAPStatus.invalidOption }
            enterprise = true
        }
        // A zero-length pinUvAuthParam asks "touch me" (CTAP 2.1 §6.1 step 1): used to pick one
        // key among several.
        if parameters[8] == .byteString([]) {
            try self.requirePresence(presence)
            throw self.withState({ $0.pinHash != nil }) ? CTAPStatus.pinInvalid : CTAPStatus.pinNotSet
        }
        let verified = try self.checkPINUVAuth(
            parameters,
            parameterKey: 8,
            protocolKey: 9,
            message: clientDataHash,
            permission: Permission.makeCredential,
            relyingPartyID: relyingPartyID
        )
        // With a PIN set, discoverable credentials need it (makeCredUvNotRqd covers the rest).
        if !verified && discoverable && self.withState({ $0.pinHash != nil }) {
            throw CTAPStatus.pinRequired
        }

        // The first requested algorithm this model supports.
        let requested = algorithms.compactMap { $0.mapValue?["alg"]?.integer }.map { COSEAlgorithm(rawValue: $0) }
        guard let algorithm = requested.first(where: { self.configuration.algorithms.contains($0) }) else {
            throw CTAPStatus.unsupportedAlgorithm
        }

        // An excluded credential still needs a touch, so that a site cannot probe silently.
        let excluded = (parameters[5]?.arrayValue ?? []).compactMap { $0.mapValue?["id"]?.bytes }
        let known = self.withState { state in
            state.credentials.contains { excluded.contains($0.id) && $0.relyingPartyID == relyingPartyID }
        }
        if known {
            try self.requirePresence(presence)
            throw CTAPStatus.credentialExcluded
        }

        var extensions: CBORMap?
        var protection: UInt8 = 1
        var hmacSecrets: (withoutUV: [UInt8], withUV: [UInt8])?
        var largeBlobKey: [UInt8]?
        if let requestedExtensions = parameters[6]?.mapValue {
            var outputs = CBORMap()
            if let level = requestedExtensions["credProtect"]?.integer {
                guard (1...3).contains(level) else { throw CTAPStatus.invalidParameter }
                protection = UInt8(level)
                outputs["credProtect"] = CBORValue(level)
            }
            if requestedExtensions["hmac-secret"] == .boolean(true) {
                hmacSecrets = (
                    (0..<32).map { _ in UInt8.random(in: 0...255) }, (0..<32).map { _ in UInt8.random(in: 0...255) }
                )
                outputs["hmac-secret"] = true
            }
            // largeBlobKey (CTAP 2.1 §12.3): only `true`, only for discoverable credentials; the
            // key travels in the response, not in the authenticator data.
            if let wanted = requestedExtensions["largeBlobKey"] {
                guard wanted == .boolean(true), discoverable else { throw CTAPStatus.invalidOption }
                largeBlobKey = (0..<32).map { _ in UInt8.random(in: 0...255) }
            }
            extensions = outputs.isEmpty ? nil : outputs
        }

        try self.requirePresence(presence)

        let key: CredentialKey =
            algorithm == .edDSA ? .ed25519(Curve25519.Signing.PrivateKey()) : .p256(P256.Signing.PrivateKey())
        var generator = SystemRandomNumberGenerator()
        let credentialID = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let credential = StoredCredential(
            id: credentialID,
            relyingPartyID: relyingPartyID,
            userID: userID,
            userName: user["name"]?.text,
            userDisplayName: user["displayName"]?.text,
            key: key,
            discoverable: discoverable,
            credentialProtection: protection,
            hmacSecrets: hmacSecrets,
            largeBlobKey: largeBlobKey
        )
        let counter = self.withState { state in
            if discoverable {
                state.credentials.removeAll {
                    $0.discoverable && $0.relyingPartyID == relyingPartyID && $0.userID == userID
                }
            }
            state.credentials.append(credential)
            state.counter += 1
            return state.counter
        }
        let authData = self.authenticatorData(
            relyingPartyID: relyingPartyID,
            flags: verified ? [.userPresent, .userVerified] : [.userPresent],
            counter: counter,
            attested: (credentialID, key.cosePublicKey),
            extensions: extensions
        )
        let signature = Array(try self.attestationKey.signature(for: authData + clientDataHash).derRepresentation)
        var response: CBORMap = [
            1: "packed",
            2: .byteString(authData),
            3: .map([
                "alg": -7, "sig": .byteString(signature), "x5c": .array([.byteString(self.attestationCertificate)]),
            ]),
        ]
        if let largeBlobKey { response[5] = .byteString(largeBlobKey) }
        if enterprise { response[4] = true }
        return response
    }
}
