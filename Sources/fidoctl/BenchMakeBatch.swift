import ArgumentParser
import CryptoExtras
import Foundation
import WebAuthn

/// `fidoctl bench make-batch`: writes a `verify batch` JSON Lines file of valid assertions, and
/// optionally the same assertions in the plain form the libfido2 comparison program reads.
struct BenchMakeBatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-batch",
        abstract: "Write N valid assertions as `fidoctl verify batch` input (and optionally as hex for libfido2).",
        discussion: """
            Example:
              fidoctl bench make-batch > assertions.jsonl
            """
    )

    @Option(help: "Number of lines.")
    var count = 10_000

    @Option(help: "es256, eddsa or rs256.")
    var algorithm = "es256"

    @Option(
        help: "Also write one line per assertion: rpId, clientDataJSON, authData, signature, x, y (hex), for libfido2."
    )
    var hexOutput: String?

    func validate() throws {
        guard (0...10_000_000).contains(self.count) else {
            throw ValidationError("--count must be from 0 to 10000000.")
        }
        if let path = self.hexOutput { try OutputFile.check(path) }
    }

    func run() async throws {
        let algorithm: COSEAlgorithm
        switch self.algorithm.lowercased() {
        case "es256": algorithm = .es256
        case "eddsa": algorithm = .edDSA
        case "rs256": algorithm = .rs256
        default: throw ValidationError("Unknown algorithm \(self.algorithm).")
        }
        let rsaKey = algorithm == .rs256 ? try _RSA.Signing.PrivateKey(keySize: .bits2048) : nil
        let encoder = JSONEncoder()
        var output = Data()
        var hexLines = ""
        for index in 0..<self.count {
            let assertion = try BenchmarkAssertion.make(algorithm, rsaKey: rsaKey)
            let line: [String: JSONValue] = [
                "id": .string("a\(index)"),
                "kind": .string("authentication"),
                "rpId": .string(BenchmarkAssertion.rpID),
                "origin": .string(BenchmarkAssertion.origin),
                "challenge": .string(Base64URL.encode(assertion.challenge)),
                "credentialPublicKey": .string(Base64URL.encode(assertion.publicKey.encoded)),
                "storedSignCount": .number(0),
                "response": try JSONDecoder().decode(JSONValue.self, from: encoder.encode(assertion.response)),
            ]
            output.append(try encoder.encode(line))
            output.append(UInt8(ascii: "\n"))
            if self.hexOutput != nil, case .p256(let key) = assertion.publicKey.verificationKey {
                let point = Array(key.x963Representation)
                hexLines +=
                    [
                        BenchmarkAssertion.rpID, Self.hex(assertion.response.response.clientDataJSON.bytes),
                        Self.hex(assertion.response.response.authenticatorData.bytes), Self.hex(assertion.signature),
                        Self.hex(Array(point[1...32])), Self.hex(Array(point[33...])),
                    ].joined(separator: " ") + "\n"
            }
        }
        try Output.write(output)
        if let path = self.hexOutput {
            try OutputFile.write(hexLines, to: path, privacy: .ordinary)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// Any JSON value (benchmark inputs are written with it).
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
