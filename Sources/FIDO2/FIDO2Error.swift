/// An error from a FIDO2 security key or from libfido2, with a sentence a person understands.
///
/// ``code`` is the libfido2 status (`FIDO_ERR_*`): positive values are CTAP2 status codes the
/// key returned, negative values are libfido2's own (transport, parsing). Two errors are equal
/// when their codes are.
public struct FIDO2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// A libfido2 status code. New codes may appear; switch with a `default`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let invalidCommand = Code(rawValue: 0x01)
        public static let invalidParameter = Code(rawValue: 0x02)
        public static let invalidLength = Code(rawValue: 0x03)
        public static let invalidSequence = Code(rawValue: 0x04)
        public static let timeout = Code(rawValue: 0x05)
        public static let channelBusy = Code(rawValue: 0x06)
        public static let lockRequired = Code(rawValue: 0x0a)
        public static let invalidChannel = Code(rawValue: 0x0b)
        public static let cborUnexpectedType = Code(rawValue: 0x11)
        public static let invalidCBOR = Code(rawValue: 0x12)
        public static let missingParameter = Code(rawValue: 0x14)
        public static let limitExceeded = Code(rawValue: 0x15)
        public static let unsupportedExtension = Code(rawValue: 0x16)
        public static let fingerprintDatabaseFull = Code(rawValue: 0x17)
        public static let largeBlobStorageFull = Code(rawValue: 0x18)
        public static let credentialExcluded = Code(rawValue: 0x19)
        public static let processing = Code(rawValue: 0x21)
        public static let invalidCredential = Code(rawValue: 0x22)
        public static let userActionPending = Code(rawValue: 0x23)
        public static let operationPending = Code(rawValue: 0x24)
        public static let noOperations = Code(rawValue: 0x25)
        public static let unsupportedAlgorithm = Code(rawValue: 0x26)
        public static let operationDenied = Code(rawValue: 0x27)
        public static let keyStoreFull = Code(rawValue: 0x28)
        public static let notBusy = Code(rawValue: 0x29)
        public static let noOperationPending = Code(rawValue: 0x2a)
        public static let unsupportedOption = Code(rawValue: 0x2b)
        public static let invalidOption = Code(rawValue: 0x2c)
        public static let keepaliveCancel = Code(rawValue: 0x2d)
        public static let noCredentials = Code(rawValue: 0x2e)
        public static let userActionTimeout = Code(rawValue: 0x2f)
        public static let notAllowed = Code(rawValue: 0x30)
        public static let pinInvalid = Code(rawValue: 0x31)
        public static let pinBlocked = Code(rawValue: 0x32)
        public static let pinAuthInvalid = Code(rawValue: 0x33)
        public static let pinAuthBlocked = Code(rawValue: 0x34)
        public static let pinNotSet = Code(rawValue: 0x35)
        public static let pinRequired = Code(rawValue: 0x36)
        public static let pinPolicyViolation = Code(rawValue: 0x37)
        public static let pinTokenExpired = Code(rawValue: 0x38)
        public static let requestTooLarge = Code(rawValue: 0x39)
        public static let actionTimeout = Code(rawValue: 0x3a)
        public static let upRequired = Code(rawValue: 0x3b)
        public static let uvBlocked = Code(rawValue: 0x3c)
        public static let integrityFailure = Code(rawValue: 0x3d)
        public static let invalidSubcommand = Code(rawValue: 0x3e)
        public static let uvInvalid = Code(rawValue: 0x3f)
        public static let unauthorizedPermission = Code(rawValue: 0x40)
        public static let other = Code(rawValue: 0x7f)
        public static let transmit = Code(rawValue: -1)
        public static let receive = Code(rawValue: -2)
        public static let receivedNotCBOR = Code(rawValue: -3)
        public static let receivedInvalidCBOR = Code(rawValue: -4)
        public static let invalidParam = Code(rawValue: -5)
        public static let invalidSignature = Code(rawValue: -6)
        public static let invalidArgument = Code(rawValue: -7)
        public static let userPresenceRequired = Code(rawValue: -8)
        public static let `internal` = Code(rawValue: -9)
        public static let notFound = Code(rawValue: -10)
        public static let compress = Code(rawValue: -11)

        public var description: String { "FIDO_ERR \(self.rawValue)" }
    }

    /// The status code.
    public var code: Code
    /// What was being done when it failed (`makeCredential`, `getAssertion`, `open`, …).
    public var operation: String
    /// PIN retries left, when the key reported them with a wrong PIN.
    public var retriesLeft: Int?
    /// What FIDOKit knows about the cause beyond the status code, when it knows more.
    public var detail: String?

    /// Creates an error.
    public init(code: Code, operation: String, retriesLeft: Int? = nil, detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.retriesLeft = retriesLeft
        self.detail = detail
    }

    /// A sentence for the person at the key.
    public var message: String {
        switch self.code {
        case .pinInvalid:
            if let retriesLeft {
                return "Wrong PIN — \(retriesLeft) attempt\(retriesLeft == 1 ? "" : "s") left."
            }
            return "Wrong PIN."
        case .pinBlocked: return "PIN blocked: reset the key."
        case .pinAuthBlocked: return "Too many wrong PINs: remove and reinsert the key, then try again."
        case .pinNotSet: return "This key has no PIN yet: set one first."
        case .pinRequired: return "This key needs its PIN for that."
        case .pinPolicyViolation: return "That PIN does not meet the key's rules (too short or too long)."
        case .pinAuthInvalid, .pinTokenExpired: return "The PIN session expired: enter the PIN again."
        case .actionTimeout, .userActionTimeout, .timeout: return "The key was not touched in time."
        case .keepaliveCancel: return "The request was cancelled."
        case .operationDenied: return "The request was refused at the key."
        case .credentialExcluded: return "This key is already registered."
        case .noCredentials: return "This key holds no credential for this site."
        case .notAllowed: return "The key refused: reset is only allowed within seconds of plugging it in."
        case .unsupportedAlgorithm: return "The key does not support the requested algorithm."
        case .unsupportedOption: return "The key does not support the requested option."
        case .unsupportedExtension: return "The key does not support the requested extension."
        case .keyStoreFull: return "The key has no room left for discoverable credentials."
        case .largeBlobStorageFull: return "The key's large-blob storage is full."
        case .integrityFailure: return "The data stored on the key failed its integrity check."
        case .uvBlocked: return "Biometric verification is blocked: use the PIN."
        case .uvInvalid: return "Biometric verification failed: try again."
        case .upRequired, .userPresenceRequired: return "Touch the key to confirm."
        case .channelBusy: return "The key is busy with another request."
        case .transmit, .receive: return "The key stopped answering: check that it is still plugged in."
        case .receivedNotCBOR, .receivedInvalidCBOR, .invalidCBOR, .cborUnexpectedType:
            return "The key sent a malformed answer."
        case .invalidSignature: return "A signature from the key does not verify."
        case .notFound:
            return self.operation == "removeLargeBlob"
                ? "The key holds no large blob for this credential." : "No such key."
        case .invalidArgument, .invalidParam, .invalidParameter, .missingParameter:
            return "The request to the key was not valid."
        case .invalidCommand: return "The key does not support this command."
        case .invalidSubcommand: return "The key does not support this setting."
        default: return "The key reported an error (\(self.code.rawValue))."
        }
    }

    public var description: String {
        "\(self.operation): \(self.message)" + (self.detail.map { " (\($0))" } ?? "")
    }

    public static func == (lhs: FIDO2Error, rhs: FIDO2Error) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
