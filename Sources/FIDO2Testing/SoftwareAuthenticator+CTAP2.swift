import CBOR
import Crypto
import Foundation
import WebAuthn

extension SoftwareAuthenticator {
    /// Handles one CTAPHID_CBOR request (command byte + CBOR parameters) and returns the reply
    /// (status byte + CBOR). `presence` waits for the simulated touch.
    func handle(_ request: [UInt8], presence: () -> PresenceOutcome) -> [UInt8] {
        defer {
            if request.first != 0x04 { self.onRequestHandled?() }
        }
        guard let command = request.first else { return [CTAPStatus.invalidLength.rawValue] }
        guard request.count <= self.configuration.maxMessageSize else { return [CTAPStatus.requestTooLarge.rawValue] }
        do {
            let parameters: CBORMap
            if request.count > 1 {
                guard let map = try CBORDecoder(options: .ctap2Canonical).decode(request[1...]).mapValue else {
                    throw CTAPStatus.cborUnexpectedType
                }
                parameters = map
            } else {
                parameters = CBORMap()
            }
            let response: CBORMap?
            switch command {
            case 0x04: response = self.getInfo()
            case 0x01: response = try self.makeCredential(parameters, presence: presence)
            case 0x02: response = try self.getAssertion(parameters, presence: presence)
            case 0x08: response = try self.getNextAssertion()
            case 0x07: response = try self.reset(presence: presence)
            case 0x06: response = try self.clientPIN(parameters)
            case 0x0a, 0x41: response = try self.credentialManagement(parameters)
            case 0x0c: response = try self.largeBlobs(parameters)
            case 0x0d: response = try self.config(parameters)
            default: throw CTAPStatus.invalidCommand
            }
            return [CTAPStatus.ok.rawValue] + (response.map { CBOREncoder().encode(.map($0)) } ?? [])
        } catch let status as CTAPStatus {
            return [status.rawValue]
        } catch is CBORError {
            return [CTAPStatus.invalidCBOR.rawValue]
        } catch {
            return [CTAPStatus.other.rawValue]
        }
    }

    func getInfo() -> CBORMap {
        let (pinSet, enterpriseAttestation) = self.withState { ($0.pinHash != nil, $0.enterpriseAttestationEnabled) }
        var info: CBORMap = [
            1: .array(["FIDO_2_0", "FIDO_2_1"]),
            2: .array(["credProtect", "hmac-secret", "largeBlobKey"]),
            3: .byteString(self.configuration.aaguid),
            4: .map([
                "rk": true, "up": true, "plat": false, "clientPin": .boolean(pinSet), "pinUvAuthToken": true,
                "makeCredUvNotRqd": true, "credMgmt": true, "largeBlobs": true,
            ]),
            5: CBORValue(self.configuration.maxMessageSize),
            6: .array(self.configuration.pinProtocols.map { CBORValue($0) }),
            7: 8,
            8: 128,
            9: .array(["usb"]),
            10: .array(
                self.configuration.algorithms.map { .map(["alg": CBORValue($0.rawValue), "type": "public-key"]) }
            ),
            11: CBORValue(self.configuration.maxLargeBlobArraySize),
            13: CBORValue(self.configuration.minPINLength),
        ]
        if self.configuration.enterpriseAttestation, case .map(var options)? = info[4] {
            options["ep"] = .boolean(enterpriseAttestation)
            options["authnrCfg"] = true
            info[4] = .map(options)
        }
        return info
    }

    /// Waits for a touch and turns every outcome but "touched" into its CTAP status.
    func requirePresence(_ presence: () -> PresenceOutcome) throws {
        switch presence() {
        case .touched: return
        case .denied: throw CTAPStatus.operationDenied
        case .timedOut: throw CTAPStatus.userActionTimeout
        case .cancelled: throw CTAPStatus.keepAliveCancel
        }
    }

    func reset(presence: () -> PresenceOutcome) throws -> CBORMap? {
        let poweredUp = self.withState { $0.poweredUp }
        guard Date().timeIntervalSince(poweredUp) <= self.configuration.resetWindowSeconds else {
            throw CTAPStatus.notAllowed
        }
        try self.requirePresence(presence)
        self.withState { state in
            let poweredUp = state.poweredUp
            state = State()
            state.poweredUp = poweredUp
        }
        return nil
    }

    /// rpIdHash ‖ flags ‖ counter ‖ [attested credential data] ‖ [extensions], through
    /// WebAuthn's one writer.
    func authenticatorData(
        relyingPartyID: String,
        flags: AuthenticatorFlags,
        counter: UInt32,
        attested: (id: [UInt8], publicKey: [UInt8])?,
        extensions: CBORMap?
    ) -> [UInt8] {
        AuthenticatorData.encode(
            relyingPartyID: relyingPartyID,
            flags: flags,
            signCount: counter,
            credential: attested.map { (self.configuration.aaguid, $0.id, $0.publicKey) },
            extensions: extensions.map { CBOREncoder().encode(.map($0)) }
        )
    }
}

extension CBORMap {
    /// A required member of a request map.
    func required(_ key: Int) throws -> CBORValue {
        guard let value = self[key] else { throw CTAPStatus.missingParameter }
        return value
    }
}
