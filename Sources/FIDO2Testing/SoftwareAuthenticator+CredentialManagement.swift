import CBOR
import Crypto
import WebAuthn

extension SoftwareAuthenticator {
    /// authenticatorCredentialManagement (CTAP 2.1 §6.8): metadata, relying parties, discoverable
    /// credentials, delete, update user. Subcommands other than "get next" need a
    /// pinUvAuthParam with the `cm` permission over `subCommand ‖ subCommandParams`.
    func credentialManagement(_ parameters: CBORMap) throws -> CBORMap {
        guard let subCommand = try parameters.required(1).integer else { throw CTAPStatus.cborUnexpectedType }
        let subParameters = parameters[2]?.mapValue ?? CBORMap()
        if ![3, 5].contains(subCommand) {
            var message: [UInt8] = [UInt8(truncatingIfNeeded: subCommand)]
            if let raw = parameters[2] { message += CBOREncoder().encode(raw) }
            guard parameters[4] != nil else { throw CTAPStatus.pinRequired }
            _ = try self.checkPINUVAuth(
                parameters,
                parameterKey: 4,
                protocolKey: 3,
                message: message,
                permission: Permission.credentialManagement,
                relyingPartyID: nil
            )
        }
        switch subCommand {
        case 1:
            let count = self.withState { $0.credentials.filter(\.discoverable).count }
            return [1: CBORValue(count), 2: CBORValue(max(0, 25 - count))]
        case 2:
            let ids = self.discoverableRelyingParties()
            self.withState { $0.pendingRelyingParties = Array(ids.dropFirst()) }
            guard let first = ids.first else { return [5: 0] }
            return Self.relyingPartyEntry(first).merging([5: CBORValue(ids.count)])
        case 3:
            let next: String? = self.withState {
                $0.pendingRelyingParties.isEmpty ? nil : $0.pendingRelyingParties.removeFirst()
            }
            guard let next else { throw CTAPStatus.notAllowed }
            return Self.relyingPartyEntry(next)
        case 4:
            guard let hash = subParameters[1]?.bytes else { throw CTAPStatus.missingParameter }
            let matches = self.withState { state in
                state.credentials.filter {
                    $0.discoverable && Array(SHA256.hash(data: Array($0.relyingPartyID.utf8))) == hash
                }
            }
            guard let first = matches.first else { throw CTAPStatus.noCredentials }
            self.withState { $0.pendingCredentials = matches.dropFirst().map(\.id) }
            return Self.credentialEntry(first).merging([9: CBORValue(matches.count)])
        case 5:
            let next: StoredCredential? = self.withState { state in
                guard !state.pendingCredentials.isEmpty else { return nil }
                let id = state.pendingCredentials.removeFirst()
                return state.credentials.first { $0.id == id }
            }
            guard let next else { throw CTAPStatus.notAllowed }
            return Self.credentialEntry(next)
        case 6:
            guard let id = subParameters[2]?.mapValue?["id"]?.bytes else { throw CTAPStatus.missingParameter }
            try self.withState { state in
                guard state.credentials.contains(where: { $0.id == id }) else { throw CTAPStatus.noCredentials }
                state.credentials.removeAll { $0.id == id }
            }
            return [:]
        case 7:
            guard let id = subParameters[2]?.mapValue?["id"]?.bytes, let user = subParameters[3]?.mapValue else {
                throw CTAPStatus.missingParameter
            }
            try self.withState { state in
                guard let index = state.credentials.firstIndex(where: { $0.id == id }) else {
                    throw CTAPStatus.noCredentials
                }
                guard user["id"]?.bytes == state.credentials[index].userID else { throw CTAPStatus.invalidParameter }
                state.credentials[index].userName = user["name"]?.text
                state.credentials[index].userDisplayName = user["displayName"]?.text
            }
            return [:]
        default:
            throw CTAPStatus.invalidSubcommand
        }
    }

    private func discoverableRelyingParties() -> [String] {
        self.withState { state in
            var seen: [String] = []
            for credential in state.credentials
            where credential.discoverable && !seen.contains(credential.relyingPartyID) {
                seen.append(credential.relyingPartyID)
            }
            return seen
        }
    }

    private static func relyingPartyEntry(_ id: String) -> CBORMap {
        [3: .map(["id": .textString(id)]), 4: .byteString(Array(SHA256.hash(data: Array(id.utf8))))]
    }

    private static func credentialEntry(_ credential: StoredCredential) -> CBORMap {
        var user: CBORMap = ["id": .byteString(credential.userID)]
        if let name = credential.userName { user["name"] = .textString(name) }
        if let displayName = credential.userDisplayName { user["displayName"] = .textString(displayName) }
        let key = (try? CBORDecoder().decode(credential.key.cosePublicKey)) ?? .null
        return [
            6: .map(user),
            7: .map(["id": .byteString(credential.id), "type": "public-key"]),
            8: key,
            10: CBORValue(Int(credential.credentialProtection)),
        ]
    }
}

extension CBORMap {
    /// This map with `other`'s entries added.
    func merging(_ other: CBORMap) -> CBORMap {
        var merged = self
        for entry in other.entries {
            merged[entry.key] = entry.value
        }
        return merged
    }
}
