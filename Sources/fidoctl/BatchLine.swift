import FIDOMetadata
import Foundation
import WebAuthn

/// One line of a `fidoctl verify batch` input.
struct BatchLine {
    /// Reads a line's fields into a verification job.
    static func job(_ line: [UInt8]) throws(WebAuthnError) -> VerificationJob {
        let fields = try JSONFields(try JSONNode.parse(line))
        let kindText = try fields.string("kind")
        guard let kind = VerificationJob.Kind(rawValue: kindText) else {
            throw WebAuthnError(
                .malformedJSON,
                "kind must be \"registration\" or \"authentication\", not \"\(kindText)\"."
            )
        }
        guard let origins = try Self.oneOrMany(fields, "origin") else {
            throw WebAuthnError(.malformedJSON, "origin is missing.")
        }
        guard !origins.isEmpty else { throw WebAuthnError(.invalidOrigin, "origin is an empty array.") }
        let rpID = try fields.string("rpId")
        try RelyingPartyRules.checkID(rpID)
        for origin in origins {
            try RelyingPartyRules.checkOrigin(origin)
        }
        var algorithms: [Int]?
        if let value = fields.value("allowedAlgorithms") {
            guard case .array(let elements) = value else {
                throw WebAuthnError(.malformedJSON, "allowedAlgorithms is not an array.")
            }
            algorithms = try elements.map { element throws(WebAuthnError) in
                guard case .number(let text) = element, let number = Int(text) else {
                    throw WebAuthnError(.malformedJSON, "allowedAlgorithms holds a value that is not an integer.")
                }
                return number
            }
        }
        let currentTimeMs = try Self.nonNegative(try fields.optionalInteger("currentTimeMs", as: Int64.self))
        let expectedTypes = try Self.nonEmpty(try Self.oneOrMany(fields, "expectedType"), "expectedType")
        guard let responseNode = fields.value("response") else {
            throw WebAuthnError(.malformedJSON, "response is missing.")
        }
        let response: VerificationJob.Response
        switch kind {
        case .registration: response = .registration(try RegistrationResponseJSON(node: responseNode))
        case .authentication: response = .authentication(try AuthenticationResponseJSON(node: responseNode))
        }
        return VerificationJob(
            id: try fields.optionalString("id"),
            kind: kind,
            rpID: rpID,
            origins: origins,
            challenge: try fields.string("challenge"),
            requireUserVerification: try fields.optionalBool("requireUserVerification") ?? false,
            requireTrustedAttestation: try fields.optionalBool("requireTrustedAttestation") ?? false,
            trustAnchorsPEM: try fields.optionalStrings("trustAnchorsPEM") ?? [],
            credentialPublicKey: try fields.optionalString("credentialPublicKey"),
            storedSignCount: try fields.optionalInteger("storedSignCount", as: UInt32.self) ?? 0,
            currentTimeMs: currentTimeMs,
            allowSignCountRegression: try fields.optionalBool("allowSignCountRegression") ?? false,
            expectedTypes: expectedTypes,
            allowedAlgorithms: algorithms,
            allowRS1: try fields.optionalBool("allowRS1") ?? false,
            safetyNetRequiresCTSProfileMatch: try fields.optionalBool("safetyNetCTSProfileMatch") ?? true,
            response: response
        )
    }

    /// Refuses a negative `currentTimeMs`.
    static func nonNegative(_ value: Int64?) throws(WebAuthnError) -> Int64? {
        if let value, value < 0 { throw WebAuthnError(.malformedJSON, "currentTimeMs is negative.") }
        return value
    }

    /// Refuses an empty array (or an empty string in it) for a member that lists accepted values.
    static func nonEmpty(_ values: [String]?, _ member: String) throws(WebAuthnError) -> [String]? {
        if let values, values.isEmpty || values.contains(where: \.isEmpty) {
            throw WebAuthnError(.malformedJSON, "\(member) is empty.")
        }
        return values
    }

    /// A member that may be a string or an array of strings.
    static func oneOrMany(_ fields: JSONFields, _ member: String) throws(WebAuthnError) -> [String]? {
        if case .string(let single)? = fields.value(member) {
            return [single]
        }
        return try fields.optionalStrings(member)
    }

    /// The code of the verdict for a blank line.
    static let emptyLine: WebAuthnError.Code = "empty_line"

    /// The code of the verdict for a line over ``InputReader/batchLineLimit``.
    static let lineTooLong: WebAuthnError.Code = "line_too_long"

    /// The verdict for one line as read: a line over the cap is rejected without being parsed.
    static func verdict(for line: BatchInputLine, number: Int, metadata: MetadataBLOB? = nil) async -> Verdict {
        switch line {
        case .text(let bytes):
            return await Self.verdict(for: bytes, number: number, metadata: metadata)
        case .tooLong(let count):
            return Verdict(
                id: nil,
                error: WebAuthnError(
                    Self.lineTooLong,
                    "Line \(number) is \(count) bytes long; a line may hold at most \(InputReader.size(InputReader.batchLineLimit))."
                )
            )
        }
    }

    /// Decodes and verifies one line. Never throws.
    ///
    /// - Parameter number: the line's number (from 1), for the message of a line that is not a
    ///   request.
    static func verdict(for line: [UInt8], number: Int, metadata: MetadataBLOB? = nil) async -> Verdict {
        guard line.contains(where: { !$0.isASCIIWhitespace }) else {
            return Verdict(id: nil, error: WebAuthnError(Self.emptyLine, "Line \(number) is empty."))
        }
        var job: VerificationJob
        do {
            job = try Self.job(line)
            job.metadata = metadata
        } catch {
            let code: WebAuthnError.Code =
                error.code == .invalidRelyingPartyID || error.code == .invalidOrigin ? error.code : .malformedJSON
            return Verdict(
                id: Self.salvageID(line),
                error: WebAuthnError(code, "Line \(number) is not a valid request: \(error.message)")
            )
        }
        return await job.run()
    }

    /// The `id` of a line that failed to decode as a whole, when it can still be read.
    static func salvageID(_ line: [UInt8]) -> String? {
        (try? JSONNode.parse(line))?.objectValue?["id"]?.stringValue
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0d || self == 0x0a
    }
}
