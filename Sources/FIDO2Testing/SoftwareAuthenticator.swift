import Crypto
import Foundation
public import WebAuthn
public import X509

/// A software CTAP 2.1 authenticator for tests and demos, plugged under libfido2 through its
/// I/O hooks so that libfido2's real CTAPHID and CTAP2 code talks to it.
///
/// It keeps credentials in memory, signs packed attestations with a chain it generates
/// (``attestationRoot`` is the anchor a relying party trusts), and asks a simulated person for
/// touches according to ``userPresence``. Thread-safe: libfido2 calls arrive on device threads.
public final class SoftwareAuthenticator: @unchecked Sendable {
    /// Fixed properties of the simulated model.
    public struct Configuration: Sendable {
        /// The model's AAGUID.
        public var aaguid: [UInt8]
        /// Credential algorithms offered, preferred first (ES256 and EdDSA are implemented).
        public var algorithms: [COSEAlgorithm]
        /// The largest CTAP message accepted (small values exercise CTAPHID fragmentation).
        public var maxMessageSize: Int
        /// How long a request waits for a touch before CTAP2_ERR_USER_ACTION_TIMEOUT.
        public var userPresenceTimeoutMilliseconds: Int
        /// How often KEEPALIVE frames are sent while waiting.
        public var keepAliveIntervalMilliseconds: Int
        /// PIN/UV auth protocols offered, preferred first (`[2, 1]`, or `[1]` for older keys).
        public var pinProtocols: [Int]
        /// How long after power-up a reset is allowed (real keys: about 10 s).
        public var resetWindowSeconds: Double
        /// The minimum PIN length in code points.
        public var minPINLength: Int
        /// The largest serialized large-blob array the authenticator stores (at least 1024 bytes).
        public var maxLargeBlobArraySize: Int
        /// Whether the model can do enterprise attestation (`ep` in getInfo, off until enabled
        /// through authenticatorConfig).
        public var enterpriseAttestation: Bool

        /// The defaults: a FIDOKit model AAGUID, ES256 and EdDSA, 1200-byte messages, 30 s touch timeout.
        public init(
            aaguid: [UInt8] = Array("FIDOKit-Software".utf8),
            algorithms: [COSEAlgorithm] = [.es256, .edDSA],
            maxMessageSize: Int = 1200,
            userPresenceTimeoutMilliseconds: Int = 30_000,
            keepAliveIntervalMilliseconds: Int = 100,
            pinProtocols: [Int] = [2, 1],
            resetWindowSeconds: Double = 10,
            minPINLength: Int = 4,
            maxLargeBlobArraySize: Int = 4096,
            enterpriseAttestation: Bool = false
        ) {
            self.aaguid = aaguid
            self.algorithms = algorithms
            self.maxMessageSize = maxMessageSize
            self.userPresenceTimeoutMilliseconds = userPresenceTimeoutMilliseconds
            self.keepAliveIntervalMilliseconds = keepAliveIntervalMilliseconds
            self.pinProtocols = pinProtocols
            self.resetWindowSeconds = resetWindowSeconds
            self.minPINLength = minPINLength
            self.maxLargeBlobArraySize = maxLargeBlobArraySize
            self.enterpriseAttestation = enterpriseAttestation
        }
    }

    /// One credential the authenticator holds.
    struct StoredCredential {
        var id: [UInt8]
        var relyingPartyID: String
        var userID: [UInt8]
        var userName: String?
        var userDisplayName: String?
        var key: CredentialKey
        var discoverable: Bool
        var credentialProtection: UInt8
        /// The hmac-secret extension's per-credential secrets (without and with UV), when enabled.
        var hmacSecrets: (withoutUV: [UInt8], withUV: [UInt8])? = nil
        /// The largeBlobKey extension's per-credential key, when requested at creation.
        var largeBlobKey: [UInt8]? = nil
    }

    /// A credential private key.
    enum CredentialKey {
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)

        var cosePublicKey: [UInt8] {
            switch self {
            case .p256(let key): return COSEKey(p256: key.publicKey).encoded
            case .ed25519(let key): return COSEKey(ed25519: key.publicKey).encoded
            }
        }

        func sign(_ data: [UInt8]) throws -> [UInt8] {
            switch self {
            case .p256(let key): return Array(try key.signature(for: data).derRepresentation)
            case .ed25519(let key): return Array(try key.signature(for: data))
            }
        }
    }

    /// The model's properties.
    public let configuration: Configuration
    /// The root certificate of the attestation chain: the trust anchor for this model.
    public let attestationRoot: Certificate
    let attestationKey: P256.Signing.PrivateKey
    let attestationCertificate: [UInt8]

    /// The mutable state, guarded by `lock`.
    struct State {
        var credentials: [StoredCredential] = []
        var counter: UInt32 = 0
        /// Credentials left for getNextAssertion, and the client data hash they sign.
        var pendingAssertions: [[UInt8]] = []
        var pendingClientDataHash: [UInt8]?
        var pendingVerified = false
        var pendingLargeBlobKey = false
        /// Relying parties and credentials left for credential management's "get next".
        var pendingRelyingParties: [String] = []
        var pendingCredentials: [[UInt8]] = []
        /// LEFT(SHA-256(PIN), 16) once a PIN is set.
        var pinHash: [UInt8]?
        var pinRetries = 8
        /// Wrong PINs since power-up; three block PIN entry until the next power cycle.
        var consecutiveMismatches = 0
        var keyAgreement = P256.KeyAgreement.PrivateKey()
        var pinToken: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }
        var tokenPermissions: UInt8 = 0
        var tokenRelyingPartyID: String?
        var poweredUp = Date()
        /// The serialized large-blob array, and a write in progress.
        var largeBlobArray = SoftwareAuthenticator.emptyLargeBlobArray
        var pendingLargeBlob: (expectedLength: Int, bytes: [UInt8])?
        /// Set by authenticatorConfig enableEnterpriseAttestation; cleared by reset.
        var enterpriseAttestationEnabled = false

        /// A fresh state after power-up (credentials, PIN and counters kept).
        mutating func powerCycle() {
            self.consecutiveMismatches = 0
            self.keyAgreement = P256.KeyAgreement.PrivateKey()
            self.pinToken = (0..<32).map { _ in UInt8.random(in: 0...255) }
            self.tokenPermissions = 0
            self.tokenRelyingPartyID = nil
            self.poweredUp = Date()
            self.pendingLargeBlob = nil
        }
    }

    private let lock = NSLock()
    private var presence: UserPresence = .touch
    private var requestObserver: (@Sendable () -> Void)?
    private var state = State()

    /// Creates an authenticator with a fresh attestation chain.
    public convenience init(configuration: Configuration = Configuration()) throws {
        try self.init(configuration: configuration, chain: try SoftwareAttestationChain(aaguid: configuration.aaguid))
    }

    init(configuration: Configuration, chain: SoftwareAttestationChain) throws {
        self.configuration = configuration
        self.attestationRoot = chain.root
        self.attestationKey = chain.leafKey
        self.attestationCertificate = chain.leafDER
    }

    /// How the simulated person answers the next requests for a touch.
    public var userPresence: UserPresence {
        get { self.lock.withLock { self.presence } }
        set { self.lock.withLock { self.presence = newValue } }
    }

    /// Told after every CTAP2 request the authenticator handled (on the device's thread, with no
    /// lock held), so that a caller persisting the authenticator can save each state change —
    /// a wrong PIN's used-up retry as much as a new credential.
    public var onRequestHandled: (@Sendable () -> Void)? {
        get { self.lock.withLock { self.requestObserver } }
        set { self.lock.withLock { self.requestObserver = newValue } }
    }

    /// How many credentials the authenticator holds.
    public var credentialCount: Int {
        self.lock.withLock { self.state.credentials.count }
    }

    /// The signature counter.
    public var signatureCounter: UInt32 {
        self.lock.withLock { self.state.counter }
    }

    /// PIN attempts left before the PIN blocks.
    public var pinRetries: Int {
        self.lock.withLock { self.state.pinRetries }
    }

    /// Simulates unplugging and reinserting the key: wrong-PIN lockouts end, the PIN token and
    /// key agreement key are renewed, and the reset window opens again.
    public func powerCycle() {
        self.lock.withLock { self.state.powerCycle() }
    }

    // MARK: - State access for the command handlers

    func withState<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        try self.lock.withLock { try body(&self.state) }
    }
}
