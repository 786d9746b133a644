import Crypto
import Foundation
public import X509

/// What a metadata service (FIDO MDS3) says about one authenticator model: its name, icon,
/// attestation roots and status history.
public struct AuthenticatorMetadata: Sendable, Hashable {
    /// The model, for FIDO2 authenticators.
    public var aaguid: AAGUID?
    /// Hex SHA-1 key identifiers of the model's attestation certificates, for U2F keys.
    public var attestationCertificateKeyIdentifiers: [String]
    /// The model's name ("YubiKey 5 Series with NFC").
    public var description: String
    /// The model's icon, a `data:` URL, when the statement has one.
    public var icon: String?
    /// The roots the model's attestation certificates chain to.
    public var attestationRootCertificates: [Certificate]
    /// The attestation types the model uses (`basic_full`, `attca`, `anonca`, …).
    public var attestationTypes: [String]
    /// The status reports, oldest first.
    public var statusReports: [AuthenticatorStatusReport]

    /// Creates metadata.
    public init(
        aaguid: AAGUID? = nil,
        attestationCertificateKeyIdentifiers: [String] = [],
        description: String,
        icon: String? = nil,
        attestationRootCertificates: [Certificate] = [],
        attestationTypes: [String] = [],
        statusReports: [AuthenticatorStatusReport] = []
    ) {
        self.aaguid = aaguid
        self.attestationCertificateKeyIdentifiers = attestationCertificateKeyIdentifiers
        self.description = description
        self.icon = icon
        self.attestationRootCertificates = attestationRootCertificates
        self.attestationTypes = attestationTypes
        self.statusReports = statusReports
    }

    /// The first report whose status makes a relying party refuse the model, if any: one of
    /// ``AuthenticatorStatus/refused``, or a status MDS3 does not define (`revoked`, `REVOKED `),
    /// which cannot be told apart from a revocation and so fails closed.
    public var refusingReport: AuthenticatorStatusReport? {
        self.statusReports.first { AuthenticatorStatus.refused.contains($0.status) || !$0.status.isDefined }
    }
}

/// One entry of an authenticator's status history.
public struct AuthenticatorStatusReport: Sendable, Hashable {
    /// The status.
    public var status: AuthenticatorStatus
    /// When it took effect (`YYYY-MM-DD`), when given.
    public var effectiveDate: String?

    /// Creates a report.
    public init(status: AuthenticatorStatus, effectiveDate: String? = nil) {
        self.status = status
        self.effectiveDate = effectiveDate
    }
}

/// An MDS3 `AuthenticatorStatus` value.
public struct AuthenticatorStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { self.rawValue }

    public static let revoked = AuthenticatorStatus(rawValue: "REVOKED")
    public static let attestationKeyCompromise = AuthenticatorStatus(rawValue: "ATTESTATION_KEY_COMPROMISE")
    public static let userVerificationBypass = AuthenticatorStatus(rawValue: "USER_VERIFICATION_BYPASS")
    public static let userKeyRemoteCompromise = AuthenticatorStatus(rawValue: "USER_KEY_REMOTE_COMPROMISE")
    public static let userKeyPhysicalCompromise = AuthenticatorStatus(rawValue: "USER_KEY_PHYSICAL_COMPROMISE")
    public static let fidoCertified = AuthenticatorStatus(rawValue: "FIDO_CERTIFIED")

    /// Every status FIDO MDS3 (§3.1.4 AuthenticatorStatus) defines, spelled exactly.
    public static let defined: Set<AuthenticatorStatus> = Set(
        [
            "NOT_FIDO_CERTIFIED", "FIDO_CERTIFIED", "USER_VERIFICATION_BYPASS", "ATTESTATION_KEY_COMPROMISE",
            "USER_KEY_REMOTE_COMPROMISE", "USER_KEY_PHYSICAL_COMPROMISE", "UPDATE_AVAILABLE", "REVOKED",
            "SELF_ASSERTION_SUBMITTED", "FIDO_CERTIFIED_L1", "FIDO_CERTIFIED_L1plus", "FIDO_CERTIFIED_L2",
            "FIDO_CERTIFIED_L2plus", "FIDO_CERTIFIED_L3", "FIDO_CERTIFIED_L3plus",
        ].map(AuthenticatorStatus.init(rawValue:))
    )

    /// Whether MDS3 defines this status.
    public var isDefined: Bool { Self.defined.contains(self) }

    /// The statuses that make FIDOKit refuse a registration: the model is revoked or its keys or
    /// user verification can no longer be relied on. A later report does not lift them.
    public static let refused: Set<AuthenticatorStatus> = [
        .revoked, .attestationKeyCompromise, .userVerificationBypass, .userKeyRemoteCompromise,
        .userKeyPhysicalCompromise,
    ]
}

/// A source of authenticator metadata, such as a verified FIDO MDS3 BLOB.
public protocol AuthenticatorMetadataProvider: Sendable {
    /// The metadata of the FIDO2 model `aaguid`, if known.
    func metadata(aaguid: AAGUID) -> AuthenticatorMetadata?
    /// The metadata of the U2F model whose attestation certificate has this key identifier
    /// (lowercase hex SHA-1 of the certificate's public key bits), if known.
    func metadata(attestationCertificateKeyIdentifier: String) -> AuthenticatorMetadata?
}

extension Certificate {
    /// The MDS key identifier: lowercase hex SHA-1 of the subjectPublicKey BIT STRING's bytes.
    public var metadataKeyIdentifier: String {
        Insecure.SHA1.hash(data: Array(self.publicKey.subjectPublicKeyInfoBytes)).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
