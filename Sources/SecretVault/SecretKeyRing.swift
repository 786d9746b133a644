public import Crypto
import Foundation

/// The server keys that seal factor secrets at rest (OTP seeds), by key id. New secrets are
/// sealed with ``currentKeyID``; older keys stay to open what they sealed, so keys can rotate.
public struct SecretKeyRing: Sendable {
    private let keys: [String: SymmetricKey]
    /// The key new secrets are sealed with.
    public let currentKeyID: String

    /// Creates a ring.
    ///
    /// - Throws: ``SecretVaultError/unknownKey(_:)`` when `current` is not among `keys`,
    ///   ``SecretVaultError/weakKey(_:)`` for a key that is not 256 bits.
    public init(keys: [String: SymmetricKey], current: String) throws(SecretVaultError) {
        guard keys[current] != nil else { throw .unknownKey(current) }
        for (id, key) in keys where key.bitCount != 256 { throw .weakKey(id) }
        self.keys = keys
        self.currentKeyID = current
    }

    /// Reads a key file: one `ID BASE64-32-BYTES` per line (`#` comments); the last key is current.
    ///
    /// - Throws: ``SecretVaultError/malformedKeyFile(_:)`` naming the line.
    public init(keyFile text: String) throws(SecretVaultError) {
        var keys: [String: SymmetricKey] = [:]
        var last: String?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let bytes = Data(base64Encoded: String(parts[1])), bytes.count == 32 else {
                throw .malformedKeyFile(line: number + 1)
            }
            keys[String(parts[0])] = SymmetricKey(data: bytes)
            last = String(parts[0])
        }
        guard let last else { throw .malformedKeyFile(line: 0) }
        try self.init(keys: keys, current: last)
    }

    /// A 256-bit key for `purpose` (HKDF-SHA256 from the current key), for MACs that must hold
    /// across restarts and across servers sharing the key file; it changes when the key rotates.
    public func derivedKey(for purpose: String) -> SymmetricKey {
        let base = self.keys[self.currentKeyID] ?? SymmetricKey(size: .bits256)
        return HKDF<SHA256>.deriveKey(
            inputKeyMaterial: base,
            info: Array(purpose.utf8),
            outputByteCount: 32
        )
    }

    /// A key file line for a fresh random key.
    public static func newKeyLine(id: String) -> String {
        "\(id) \(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() })"
    }

    /// Seals `secret` with the current key; `context` (e.g. the factor id) is authenticated
    /// but not stored, so a sealed secret cannot be moved to another factor.
    public func seal(_ secret: [UInt8], context: String) throws(SecretVaultError) -> SealedSecret {
        guard let key = self.keys[self.currentKeyID] else { throw .unknownKey(self.currentKeyID) }
        do {
            let box = try AES.GCM.seal(secret, using: key, authenticating: Array(context.utf8))
            guard let combined = box.combined else { throw SecretVaultError.cannotOpen }
            return SealedSecret(keyID: self.currentKeyID, box: Array(combined))
        } catch {
            throw .cannotOpen
        }
    }

    /// Opens a sealed secret.
    ///
    /// - Throws: ``SecretVaultError/unknownKey(_:)`` when its key is not on the ring,
    ///   ``SecretVaultError/cannotOpen`` when it was altered or `context` differs.
    public func open(_ sealed: SealedSecret, context: String) throws(SecretVaultError) -> [UInt8] {
        guard let key = self.keys[sealed.keyID] else { throw .unknownKey(sealed.keyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.box)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw .cannotOpen
        }
    }

    /// Re-seals `sealed` with the current key (rotation), when it is not already.
    public func reseal(_ sealed: SealedSecret, context: String) throws(SecretVaultError) -> SealedSecret {
        guard sealed.keyID != self.currentKeyID else { return sealed }
        return try self.seal(try self.open(sealed, context: context), context: context)
    }
}

/// A secret sealed with AES-256-GCM: the key id beside nonce ‖ ciphertext ‖ tag.
public struct SealedSecret: Sendable, Hashable, Codable, CustomStringConvertible {
    public var keyID: String
    public var box: [UInt8]

    /// Creates a sealed secret from its parts.
    public init(keyID: String, box: [UInt8]) {
        self.keyID = keyID
        self.box = box
    }

    /// `KEYID:BASE64`, the stored form.
    public var description: String { "\(self.keyID):\(Data(self.box).base64EncodedString())" }

    /// Reads the stored form; `nil` when it is not one.
    public init?(stored text: String) {
        guard let colon = text.lastIndex(of: ":"),
            let box = Data(base64Encoded: String(text[text.index(after: colon)...])),
            colon != text.startIndex
        else { return nil }
        self.keyID = String(text[..<colon])
        self.box = Array(box)
    }
}

/// Why a secret could not be sealed or opened.
public enum SecretVaultError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownKey(String)
    case weakKey(String)
    case malformedKeyFile(line: Int)
    case cannotOpen

    public var description: String {
        switch self {
        case .unknownKey(let id): return "The server key \"\(id)\" is not configured."
        case .weakKey(let id): return "The server key \"\(id)\" is not 256 bits."
        case .malformedKeyFile(let line):
            return line == 0
                ? "The server key file holds no key."
                : "Line \(line) of the server key file is not `ID BASE64-32-BYTES`."
        case .cannotOpen: return "The sealed secret was altered, or belongs to another factor."
        }
    }
}
