import Foundation
import WebAuthn

/// The JSON verdict `fidoctl verify` prints for one response.
struct Verdict: Sendable {
    var id: String?
    var verified: Bool
    var fields: [(String, JSONOutput)]

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
            var authenticator: [(String, JSONOutput)] = [("description", .string(metadata.description))]
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
        var details: [(String, JSONOutput)] = [
            ("code", .string(error.code.rawValue)), ("message", .string(error.message)),
        ]
        if let step = error.specStep {
            details.append(("specStep", .string(step)))
        }
        self.fields = [("error", .object(details))]
    }

    /// One line of JSON.
    var json: String {
        var members: [(String, JSONOutput)] = []
        if let id { members.append(("id", .string(id))) }
        members.append(("verified", .bool(self.verified)))
        members.append(contentsOf: self.fields)
        return JSONOutput.object(members).serialized
    }
}

/// A minimal JSON value that serializes with its members in the order given.
indirect enum JSONOutput: Sendable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    var serialized: String {
        var output = ""
        self.write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .int(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.0, to: &output)
                output += ":"
                member.1.write(to: &output)
            }
            output += "}"
        }
    }

    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        // Most strings (base64url, codes, names) need no escaping: append them whole.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
