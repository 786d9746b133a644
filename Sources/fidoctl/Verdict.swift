import Foundation
import StreamingJSON
import WebAuthn

/// The JSON verdict `fidoctl verify` prints for one response.
struct Verdict: Sendable {
    var id: String?
    var verified: Bool
    var fields: [(String, OrderedJSON)]

    init(id: String?, registration result: VerifiedRegistration) {
        self.id = id
        self.verified = true
        let record = result.credential
        self.fields = [
            ("format", .string(result.attestation.format.rawValue)),
            ("attestationType", .string(result.attestation.type.rawValue)),
            ("trusted", .bool(result.attestation.trusted)),
            ("credentialId", .string(Base64URL.encode(record.id))),
            ("publicKey", .string(Base64URL.encode(record.publicKey))),
            ("publicKeyAlgorithm", .int(Int64(result.publicKey.algorithm.rawValue))),
            ("signCount", .int(Int64(record.signCount))),
            ("aaguid", .string(record.aaguid.description)),
            ("backupEligible", .bool(record.backupEligible)),
            ("backupState", .bool(record.backupState)),
            ("userVerified", .bool(result.userVerified)),
            ("transports", .array(record.transports.map { .string($0) })),
            (
                "trustPath",
                .array(result.attestation.trustPath.map { .string(String(describing: $0.subject)) })
            ),
        ]
        if !result.attestation.components.isEmpty {
            self.fields.append(
                ("components", .array(result.attestation.components.map { .string($0.format.rawValue) }))
            )
        }
        if let metadata = result.attestation.metadata {
            var authenticator: [(String, OrderedJSON)] = [("description", .string(metadata.description))]
            if let icon = metadata.icon { authenticator.append(("icon", .string(icon))) }
            if let latest = metadata.statusReports.last {
                authenticator.append(("status", .string(latest.status.rawValue)))
            }
            self.fields.append(("authenticator", .object(authenticator)))
        }
    }

    init(id: String?, authentication result: VerifiedAuthentication) {
        self.id = id
        self.verified = true
        self.fields = [
            ("credentialId", .string(Base64URL.encode(result.credentialID))),
            ("signCount", .int(Int64(result.newSignCount))),
            ("signCountRegressed", .bool(result.signCountRegressed)),
            ("userVerified", .bool(result.userVerified)),
            ("backupEligible", .bool(result.backupEligible)),
            ("backupState", .bool(result.backupState)),
        ]
    }

    init(id: String?, error: WebAuthnError) {
        self.id = id
        self.verified = false
        var details: [(String, OrderedJSON)] = [
            ("code", .string(error.code.rawValue)), ("message", .string(error.message)),
        ]
        if let step = error.specStep {
            details.append(("specStep", .string(step)))
        }
        self.fields = [("error", .object(details))]
    }

    /// One line of JSON.
    var json: String {
        var members: [(String, OrderedJSON)] = []
        if let id { members.append(("id", .string(id))) }
        members.append(("verified", .bool(self.verified)))
        members.append(contentsOf: self.fields)
        return OrderedJSON.object(members).jsonLine
    }
}
