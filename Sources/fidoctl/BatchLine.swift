import Foundation
import WebAuthn

/// One line of a `fidoctl verify batch` input.
struct BatchLine: Decodable {
    var id: String?
    var kind: VerificationJob.Kind
    var rpId: String
    var origin: OneOrMany
    var challenge: String
    var requireUserVerification: Bool?
    var requireTrustedAttestation: Bool?
    var trustAnchorsPEM: [String]?
    var credentialPublicKey: String?
    var storedSignCount: UInt32?
    var currentTimeMs: Int64?
    var allowSignCountRegression: Bool?
    var response: RawJSON

    /// A string or an array of strings.
    struct OneOrMany: Decodable {
        var values: [String]
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(String.self) {
                self.values = [single]
            } else {
                self.values = try container.decode([String].self)
            }
        }
    }

    /// Splits input into non-empty lines.
    static func split(_ data: Data) -> [Data] {
        data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .filter { line in line.contains { !$0.isASCIIWhitespace } }
            .map { Data($0) }
    }

    /// Decodes and verifies one line. Never throws.
    static func verdict(for line: Data) async -> Verdict {
        let parsed: BatchLine
        do {
            parsed = try JSONDecoder().decode(BatchLine.self, from: line)
        } catch {
            let summary = (error as? DecodingError)?.summary ?? "not JSON"
            return Verdict(
                id: Self.salvageID(line),
                error: WebAuthnError(.malformedJSON, "The batch line is not a valid request: \(summary).")
            )
        }
        let job = VerificationJob(
            id: parsed.id,
            kind: parsed.kind,
            rpID: parsed.rpId,
            origins: parsed.origin.values,
            challenge: parsed.challenge,
            requireUserVerification: parsed.requireUserVerification ?? false,
            requireTrustedAttestation: parsed.requireTrustedAttestation ?? false,
            trustAnchorsPEM: parsed.trustAnchorsPEM ?? [],
            credentialPublicKey: parsed.credentialPublicKey,
            storedSignCount: parsed.storedSignCount ?? 0,
            currentTimeMs: parsed.currentTimeMs,
            allowSignCountRegression: parsed.allowSignCountRegression ?? false,
            response: parsed.response.data
        )
        return await job.run()
    }

    /// The `id` of a line that failed to decode as a whole, when it can still be read.
    static func salvageID(_ line: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return nil }
        return object["id"] as? String
    }
}

/// A JSON value kept as its serialized bytes, decoded later by the verifier.
struct RawJSON: Decodable {
    var data: Data

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(JSONValue.self)
        self.data = try JSONEncoder().encode(value)
    }
}

/// Any JSON value, for re-serializing a nested object.
enum JSONValue: Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0d || self == 0x0a
    }
}
