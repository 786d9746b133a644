import SwiftASN1

extension ASN1ObjectIdentifier {
    /// Android Key Attestation's KeyDescription extension (1.3.6.1.4.1.11129.2.1.17).
    static let androidKeyDescription: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 11129, 2, 1, 17]
}

/// The parts of Android's Key Attestation `KeyDescription` that WebAuthn §8.4 checks.
///
/// ```
/// KeyDescription ::= SEQUENCE {
///   attestationVersion INTEGER, attestationSecurityLevel ENUMERATED,
///   keyMintVersion INTEGER, keyMintSecurityLevel ENUMERATED,
///   attestationChallenge OCTET STRING, uniqueId OCTET STRING,
///   softwareEnforced AuthorizationList, hardwareEnforced AuthorizationList }
/// ```
struct AndroidKeyDescription: Hashable {
    /// What one authorization list says (each tag is `[n] EXPLICIT`).
    struct AuthorizationList: Hashable {
        /// `purpose [1] SET OF INTEGER`.
        var purposes: Set<Int> = []
        /// `origin [702] INTEGER`.
        var origin: Int?
        /// `allApplications [600] NULL` is present.
        var allApplications = false
    }

    var attestationChallenge: [UInt8]
    var softwareEnforced: AuthorizationList
    var teeEnforced: AuthorizationList

    static let purposeSign = 2
    static let originGenerated = 0

    init(derEncoded bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)
        guard root.identifier == .sequence, case .constructed(let children) = root.content else {
            throw ASN1Error.unexpectedFieldType(root.identifier)
        }
        let fields = Array(children)
        guard fields.count >= 8 else { throw ASN1Error.invalidASN1Object(reason: "KeyDescription has too few fields") }
        self.attestationChallenge = Array(try ASN1OctetString(derEncoded: fields[4]).bytes)
        self.softwareEnforced = try Self.authorizationList(fields[6])
        self.teeEnforced = try Self.authorizationList(fields[7])
    }

    private static func authorizationList(_ node: ASN1Node) throws -> AuthorizationList {
        guard node.identifier == .sequence, case .constructed(let entries) = node.content else {
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        var list = AuthorizationList()
        for entry in entries {
            guard entry.identifier.tagClass == .contextSpecific, case .constructed(let wrapped) = entry.content else {
                throw ASN1Error.invalidASN1Object(reason: "authorization entries are [n] EXPLICIT")
            }
            var iterator = wrapped.makeIterator()
            guard let value = iterator.next(), iterator.next() == nil else {
                throw ASN1Error.invalidASN1Object(reason: "an authorization entry holds one value")
            }
            switch entry.identifier.tagNumber {
            case 1:
                guard value.identifier == .set, case .constructed(let members) = value.content else {
                    throw ASN1Error.unexpectedFieldType(value.identifier)
                }
                for member in members { list.purposes.insert(try Int(derEncoded: member)) }
            case 600:
                list.allApplications = true
            case 702:
                list.origin = try Int(derEncoded: value)
            default:
                continue
            }
        }
        return list
    }
}
