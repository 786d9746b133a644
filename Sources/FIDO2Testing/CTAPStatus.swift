/// CTAP 2.1 status codes the software authenticator returns (§8.2).
enum CTAPStatus: UInt8, Error {
    case ok = 0x00
    case invalidCommand = 0x01
    case invalidParameter = 0x02
    case invalidLength = 0x03
    case invalidSequence = 0x04
    case cborUnexpectedType = 0x11
    case invalidCBOR = 0x12
    case missingParameter = 0x14
    case largeBlobStorageFull = 0x18
    case credentialExcluded = 0x19
    case unsupportedAlgorithm = 0x26
    case operationDenied = 0x27
    case unsupportedOption = 0x2b
    case invalidOption = 0x2c
    case keepAliveCancel = 0x2d
    case noCredentials = 0x2e
    case userActionTimeout = 0x2f
    case notAllowed = 0x30
    case invalidSubcommand = 0x3e
    case unauthorizedPermission = 0x40
    case pinInvalid = 0x31
    case pinBlocked = 0x32
    case pinAuthInvalid = 0x33
    case pinAuthBlocked = 0x34
    case pinNotSet = 0x35
    case pinRequired = 0x36
    case pinPolicyViolation = 0x37
    case requestTooLarge = 0x39
    case integrityFailure = 0x3d
    case other = 0x7f
}
