import CBOR
import Crypto
import Foundation
import WebAuthn

extension SoftwareAuthenticator {
    /// Permission bits of a pinUvAuthToken (CTAP 2.1 §6.5.5.7).
    enum Permission {
        static let makeCredential: UInt8 = 0x01
        static let getAssertion: UInt8 = 0x02
        static let credentialManagement: UInt8 = 0x04
        static let largeBlobWrite: UInt8 = 0x10
        static let authenticatorConfiguration: UInt8 = 0x20
    }

    /// authenticatorClientPIN (CTAP 2.1 §6.5.5).
    func clientPIN(_ parameters: CBORMap) throws -> CBORMap {
        guard let subCommand = try parameters.required(2).integer else { throw CTAPStatus.cborUnexpectedType }
        switch subCommand {
        case 1:  // getPINRetries
            return [3: CBORValue(self.withState { $0.pinRetries })]
        case 2:  // getKeyAgreement
            let key = self.withState { $0.keyAgreement.publicKey }
            let point = Array(key.x963Representation)
            return [
                1: .map([
                    1: 2, 3: -25, -1: 1, -2: .byteString(Array(point[1...32])), -3: .byteString(Array(point[33...])),
                ])
            ]
        case 3:
            try self.setPIN(parameters)
            return [:]
        case 4:
            try self.changePIN(parameters)
            return [:]
        case 5, 9:  // getPinToken, getPinUvAuthTokenUsingPinWithPermissions
            return try self.pinToken(parameters, withPermissions: subCommand == 9)
        default:
            throw CTAPStatus.invalidSubcommand
        }
    }

    private func pinProtocol(_ parameters: CBORMap) throws -> PINProtocol {
        guard let number = try parameters.required(1).integer else { throw CTAPStatus.cborUnexpectedType }
        guard self.configuration.pinProtocols.contains(number), let value = PINProtocol(rawValue: number) else {
            throw CTAPStatus.invalidParameter
        }
        return value
    }

    /// The shared secret with the platform's key agreement key (parameter 3).
    func sharedSecret(_ parameters: CBORMap, _ pinProtocol: PINProtocol, keyAgreementKey: Int = 3) throws -> [UInt8] {
        guard let key = try parameters.required(keyAgreementKey).mapValue, let x = key[-2]?.bytes,
            let y = key[-3]?.bytes,
            x.count == 32, y.count == 32
        else { throw CTAPStatus.invalidParameter }
        guard let platform = try? P256.KeyAgreement.PublicKey(x963Representation: [0x04] + x + y) else {
            throw CTAPStatus.invalidParameter
        }
        let own = self.withState { $0.keyAgreement }
        let shared = try own.sharedSecretFromKeyAgreement(with: platform)
        return pinProtocol.sharedSecret(shared.withUnsafeBytes { Array($0) })
    }

    /// The new PIN from newPinEnc: 64 bytes, zero padded, at least minPINLength code points.
    private func decodeNewPIN(_ encrypted: [UInt8], _ secret: [UInt8], _ pinProtocol: PINProtocol) throws -> [UInt8] {
        let padded = try pinProtocol.decrypt(secret, encrypted)
        guard padded.count >= 64 else { throw CTAPStatus.pinPolicyViolation }
        let pin = Array(padded.prefix { $0 != 0 })
        guard pin.count <= 63, let text = String(validating: pin, as: UTF8.self),
            text.unicodeScalars.count >= self.configuration.minPINLength
        else { throw CTAPStatus.pinPolicyViolation }
        return pin
    }

    private func setPIN(_ parameters: CBORMap) throws {
        let pinProtocol = try self.pinProtocol(parameters)
        guard let newPINEncrypted = try parameters.required(5).bytes, let parameter = try parameters.required(4).bytes
        else {
            throw CTAPStatus.cborUnexpectedType
        }
        guard self.withState({ $0.pinHash == nil }) else { throw CTAPStatus.notAllowed }
        let secret = try self.sharedSecret(parameters, pinProtocol)
        guard PINProtocol.matches(parameter, pinProtocol.authenticate(secret, newPINEncrypted)) else {
            throw CTAPStatus.pinAuthInvalid
        }
        let pin = try self.decodeNewPIN(newPINEncrypted, secret, pinProtocol)
        self.withState { state in
            state.pinHash = Array(SHA256.hash(data: pin).prefix(16))
            state.pinRetries = 8
        }
    }

    private func changePIN(_ parameters: CBORMap) throws {
        let pinProtocol = try self.pinProtocol(parameters)
        guard let newPINEncrypted = try parameters.required(5).bytes, let parameter = try parameters.required(4).bytes,
            let pinHashEncrypted = try parameters.required(6).bytes
        else { throw CTAPStatus.cborUnexpectedType }
        let secret = try self.sharedSecret(parameters, pinProtocol)
        guard PINProtocol.matches(parameter, pinProtocol.authenticate(secret, newPINEncrypted + pinHashEncrypted))
        else {
            throw CTAPStatus.pinAuthInvalid
        }
        try self.verifyPINHash(pinHashEncrypted, secret, pinProtocol)
        let pin = try self.decodeNewPIN(newPINEncrypted, secret, pinProtocol)
        self.withState { state in
            state.pinHash = Array(SHA256.hash(data: pin).prefix(16))
            state.pinToken = (0..<32).map { _ in UInt8.random(in: 0...255) }
        }
    }

    private func pinToken(_ parameters: CBORMap, withPermissions: Bool) throws -> CBORMap {
        let pinProtocol = try self.pinProtocol(parameters)
        guard let pinHashEncrypted = try parameters.required(6).bytes else { throw CTAPStatus.cborUnexpectedType }
        var permissions = Permission.makeCredential | Permission.getAssertion
        var relyingPartyID: String?
        if withPermissions {
            guard let requested = try parameters.required(9).integer, requested != 0 else {
                throw CTAPStatus.invalidParameter
            }
            permissions = UInt8(truncatingIfNeeded: requested)
            relyingPartyID = parameters[10]?.text
        }
        let secret = try self.sharedSecret(parameters, pinProtocol)
        try self.verifyPINHash(pinHashEncrypted, secret, pinProtocol)
        let token: [UInt8] = self.withState { state in
            state.pinToken = (0..<32).map { _ in UInt8.random(in: 0...255) }
            state.tokenPermissions = permissions
            state.tokenRelyingPartyID = relyingPartyID
            return state.pinToken
        }
        return [2: .byteString(try pinProtocol.encrypt(secret, token))]
    }

    /// Checks pinHashEnc against the stored PIN, counting attempts as CTAP 2.1 §6.5.5.5 says.
    private func verifyPINHash(_ encrypted: [UInt8], _ secret: [UInt8], _ pinProtocol: PINProtocol) throws {
        try self.withState { state in
            guard let stored = state.pinHash else { throw CTAPStatus.pinNotSet }
            guard state.pinRetries > 0 else { throw CTAPStatus.pinBlocked }
            guard state.consecutiveMismatches < 3 else { throw CTAPStatus.pinAuthBlocked }
            state.pinRetries -= 1
            let received = try pinProtocol.decrypt(secret, encrypted)
            guard PINProtocol.matches(Array(received.prefix(16)), stored) else {
                state.keyAgreement = P256.KeyAgreement.PrivateKey()
                state.consecutiveMismatches += 1
                if state.pinRetries == 0 { throw CTAPStatus.pinBlocked }
                if state.consecutiveMismatches >= 3 { throw CTAPStatus.pinAuthBlocked }
                throw CTAPStatus.pinInvalid
            }
            state.pinRetries = 8
            state.consecutiveMismatches = 0
        }
    }

    /// Checks a request's pinUvAuthParam over `message` against the current token and its
    /// permissions. Returns whether the user was verified; `nil` parameters mean "no PIN given".
    func checkPINUVAuth(
        _ parameters: CBORMap,
        parameterKey: Int,
        protocolKey: Int,
        message: [UInt8],
        permission: UInt8,
        relyingPartyID: String?
    ) throws -> Bool {
        guard let parameter = parameters[parameterKey]?.bytes else { return false }
        guard let number = parameters[protocolKey]?.integer, let pinProtocol = PINProtocol(rawValue: number),
            self.configuration.pinProtocols.contains(number)
        else { throw CTAPStatus.missingParameter }
        let (token, permissions, boundRPID, pinSet) = self.withState {
            ($0.pinToken, $0.tokenPermissions, $0.tokenRelyingPartyID, $0.pinHash != nil)
        }
        guard pinSet else { throw CTAPStatus.pinNotSet }
        guard PINProtocol.matches(parameter, pinProtocol.authenticate(token: token, message)) else {
            throw CTAPStatus.pinAuthInvalid
        }
        guard permissions & permission != 0 else { throw CTAPStatus.unauthorizedPermission }
        // A token bound to an RP serves only that RP; an unbound one is bound on first use
        // (CTAP 2.1 §6.5.5.7). Credential management (no RP) skips the binding.
        if let relyingPartyID {
            if let boundRPID, boundRPID != relyingPartyID { throw CTAPStatus.unauthorizedPermission }
            if boundRPID == nil { self.withState { $0.tokenRelyingPartyID = relyingPartyID } }
        }
        return true
    }
}
