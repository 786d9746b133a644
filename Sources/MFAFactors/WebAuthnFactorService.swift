public import Foundation
public import MFAPolicy
public import MFAStore
public import WebAuthn

/// Security keys and platform authenticators kept in a store: registration and sign-in
/// ceremonies whose challenges are consumed exactly once (before the response is verified, so a
/// failed try burns its challenge), and signature counters updated by compare-and-swap, so two
/// sign-ins racing on one credential cannot both move it.
public struct WebAuthnFactorService: Sendable {
    /// A registered credential. Its attestation object and registration clientDataJSON (kept for
    /// re-verification against new metadata) are stored apart, as ``Attestation``, so the record
    /// every sign-in reads stays small.
    public struct Credential: StorableRecord, Sendable {
        public static let recordKind = "webauthn-credential"
        public var memberID: String
        /// ``FactorKind/securityKey`` or ``FactorKind/platformAuthenticator``.
        public var kind: FactorKind
        public var name: String
        public var record: CredentialRecord
        public var createdAt: Date
        public var lastUsedAt: Date?
    }

    /// The attestation a credential was registered with.
    public struct Attestation: StorableRecord, Sendable {
        public static let recordKind = "webauthn-attestation"
        public var attestationObject: Base64URLBytes
        public var clientDataJSON: Base64URLBytes
    }

    /// A challenge issued for one ceremony; its id is the challenge (base64url), so a response
    /// names its ceremony through its clientDataJSON.
    public struct PendingChallenge: ExpiringRecord, Sendable {
        public static let recordKind = "webauthn-challenge"
        public enum Purpose: String, Codable, Sendable {
            case registration
            case authentication
        }
        public var memberID: String
        public var purpose: Purpose
        public var challenge: Base64URLBytes
        /// For registrations: what is being enrolled.
        public var kind: FactorKind?
        public var expiresAt: Date
        public var consumed: Bool
        /// What the ceremony is bound to besides the member (e.g. a hash of the browser session):
        /// a response is accepted only with the same binding.
        public var binding: String?
    }

    /// A member's WebAuthn user handle: random, stable, not derived from the account.
    public struct UserHandle: StorableRecord, Sendable {
        public static let recordKind = "webauthn-user"
        public var handle: Base64URLBytes
    }

    /// The store key of a credential id.
    public static func recordID(credentialID: [UInt8]) -> String { Base64URL.encode(credentialID) }

    /// The credential id of a store key, when it is one.
    public static func credentialID(recordID: String) -> [UInt8]? { Base64URL.decode(recordID) }

    /// How long a ceremony may take.
    public static let ceremonyLifetime: TimeInterval = 300

    /// The most ceremonies (registrations and sign-ins together) one member has open: starting
    /// another drops the oldest, so a member (or whoever knows a password) asking for options in
    /// a loop cannot fill the store with challenges.
    public static let challengesPerMember = 5

    /// The member's open ceremonies' challenges, oldest first, changed by compare-and-swap.
    struct ChallengeIndex: PendingEnrollmentIndex, Sendable {
        static let recordKind = "webauthn-challenge-index"
        var ids: [String]
    }

    /// Keeps `pending` as the member's newest open ceremony (see ``challengesPerMember``).
    private func open(_ pending: PendingChallenge, id: String) async throws {
        try await ChallengeIndex.add(
            id,
            memberID: pending.memberID,
            limit: Self.challengesPerMember,
            replacing: PendingChallenge.self,
            in: self.store
        )
        try await self.store.insert(pending, id: id, owner: pending.memberID)
    }

    public let store: any RecordStore
    public let relyingParty: RelyingParty
    public let relyingPartyName: String
    public let registrationPolicy: RegistrationPolicy
    public let authenticationPolicy: AuthenticationPolicy

    /// Creates the service; the policies' relying party should be `relyingParty`.
    public init(
        store: any RecordStore,
        relyingParty: RelyingParty,
        relyingPartyName: String,
        registrationPolicy: RegistrationPolicy? = nil,
        authenticationPolicy: AuthenticationPolicy? = nil
    ) {
        self.store = store
        self.relyingParty = relyingParty
        self.relyingPartyName = relyingPartyName
        self.registrationPolicy = registrationPolicy ?? RegistrationPolicy(relyingParty: relyingParty)
        self.authenticationPolicy = authenticationPolicy ?? AuthenticationPolicy(relyingParty: relyingParty)
    }

    /// The member's credential `credentialID` with its version (for a sign-in that then moves
    /// its counter by compare-and-swap), or `nil` when there is none or it is another member's.
    public func credential(_ credentialID: [UInt8], of memberID: String) async throws -> Versioned<Credential>? {
        guard
            let read = try await self.store.getVersioned(
                Credential.self,
                id: Self.recordID(credentialID: credentialID)
            ),
            read.record.memberID == memberID
        else { return nil }
        return read
    }

    /// What the member's registration ceremony `ceremonyID` enrolls, or `nil` when there is no
    /// such ceremony of theirs (it is then refused when it is finished).
    public func registrationKind(ceremonyID: String, of memberID: String) async throws -> FactorKind? {
        guard let pending = try await self.store.get(PendingChallenge.self, id: ceremonyID),
            pending.memberID == memberID, pending.purpose == .registration
        else { return nil }
        return pending.kind
    }

    /// The member's credentials, oldest first.
    public func credentials(of memberID: String) async throws -> [Credential] {
        try await self.store.list(Credential.self, owner: memberID)
    }

    /// The member's user handle, created on first use.
    public func userHandle(for memberID: String) async throws -> [UInt8] {
        if let existing = try await self.store.get(UserHandle.self, id: memberID) { return existing.handle.bytes }
        do {
            try await self.store.insert(
                UserHandle(handle: Base64URLBytes(Challenge.random())),
                id: memberID,
                owner: memberID
            )
        } catch {
            // Created concurrently; read the winner's.
            guard error.code == .duplicate else { throw error }
        }
        guard let handle = try await self.store.get(UserHandle.self, id: memberID) else {
            throw StoreError.notFound(kind: UserHandle.recordKind, id: memberID)
        }
        return handle.handle.bytes
    }

    /// Starts enrolling a security key (`cross-platform`) or this device's biometrics
    /// (`platform`, user verification required). Existing credentials are excluded.
    public func beginRegistration(
        memberID: String,
        userName: String,
        displayName: String,
        kind: FactorKind,
        at now: Date = Date()
    ) async throws -> (ceremonyID: String, options: PublicKeyCredentialCreationOptionsJSON) {
        guard kind == .securityKey || kind == .platformAuthenticator else { throw PolicyError.factorNotEnabled(kind) }
        let existing = try await self.credentials(of: memberID)
        let platform = kind == .platformAuthenticator
        let options = PublicKeyCredentialCreationOptionsJSON(
            relyingParty: (self.relyingParty.id, self.relyingPartyName),
            user: (try await self.userHandle(for: memberID), userName, displayName),
            algorithms: self.registrationPolicy.allowedAlgorithms,
            excludeCredentials: existing.map { PublicKeyCredentialDescriptorJSON($0.record) },
            authenticatorSelection: .init(
                authenticatorAttachment: platform ? "platform" : "cross-platform",
                residentKey: platform ? "preferred" : "discouraged",
                userVerification: platform ? "required" : "preferred"
            ),
            attestation: self.registrationPolicy.attestation.conveyance.rawValue,
            hints: platform ? ["client-device"] : ["security-key"]
        )
        let id = options.challenge.base64URL
        try await self.open(
            PendingChallenge(
                memberID: memberID,
                purpose: .registration,
                challenge: options.challenge,
                kind: kind,
                expiresAt: now.addingTimeInterval(Self.ceremonyLifetime),
                consumed: false,
                binding: nil
            ),
            id: id
        )
        return (id, options)
    }

    /// Finishes an enrollment: consumes the challenge, verifies the response (a platform
    /// authenticator must verify the user), and stores the credential.
    ///
    /// - Throws: ``FactorError`` for the ceremony, ``WebAuthnError`` for the response,
    ///   ``FactorError/credentialExists``.
    public func finishRegistration(
        ceremonyID: String,
        memberID: String,
        response: RegistrationResponseJSON,
        name: String,
        at now: Date = Date()
    ) async throws -> Credential {
        let pending = try await self.consume(
            ceremonyID: ceremonyID,
            memberID: memberID,
            purpose: .registration,
            binding: nil,
            at: now
        )
        let kind = pending.kind ?? .securityKey
        var policy = self.registrationPolicy
        if kind == .platformAuthenticator { policy.requireUserVerification = true }
        let verified = try await RegistrationVerifier(policy: policy).verify(
            response,
            challenge: pending.challenge.bytes
        )
        var record = verified.credential
        record.attestationObject = []
        record.attestationClientDataJSON = []
        let credential = Credential(
            memberID: memberID,
            kind: kind,
            name: name,
            record: record,
            createdAt: now,
            lastUsedAt: nil
        )
        let id = Self.recordID(credentialID: verified.credential.id)
        do {
            try await self.store.insert(credential, id: id, owner: memberID)
            try await self.store.insert(
                Attestation(
                    attestationObject: Base64URLBytes(verified.credential.attestationObject),
                    clientDataJSON: Base64URLBytes(verified.credential.attestationClientDataJSON)
                ),
                id: id,
                owner: memberID
            )
        } catch {
            // (Catches all and rethrows the rest: a `catch StoreError.duplicate` clause here crashed
            // Swift 6.3's SILGen; see ``StoreError`` on typed-throws `do` blocks.)
            guard error.code == .duplicate else { throw error }
            throw FactorError.credentialExists
        }
        return credential
    }

    /// Starts a sign-in with one of the member's credentials (`credentials`, when the caller has
    /// just read them; otherwise they are read), bound to `binding` when given.
    ///
    /// - Throws: ``FactorError/factorNotFound`` when the member has none.
    public func beginAuthentication(
        memberID: String,
        credentials: [Credential]? = nil,
        binding: String? = nil,
        userVerification: String = "preferred",
        at now: Date = Date()
    ) async throws -> (ceremonyID: String, options: PublicKeyCredentialRequestOptionsJSON) {
        let known: [Credential]
        if let credentials { known = credentials } else { known = try await self.credentials(of: memberID) }
        guard !known.isEmpty else { throw FactorError.factorNotFound }
        let options = PublicKeyCredentialRequestOptionsJSON(
            relyingPartyID: self.relyingParty.id,
            allowCredentials: known.map { PublicKeyCredentialDescriptorJSON($0.record) },
            userVerification: userVerification
        )
        let id = options.challenge.base64URL
        try await self.open(
            PendingChallenge(
                memberID: memberID,
                purpose: .authentication,
                challenge: options.challenge,
                kind: nil,
                expiresAt: now.addingTimeInterval(Self.ceremonyLifetime),
                consumed: false,
                binding: binding
            ),
            id: id
        )
        return (id, options)
    }

    /// The ceremony a response answers: the challenge in its clientDataJSON.
    ///
    /// - Throws: ``WebAuthnError`` when the clientDataJSON does not parse.
    public static func ceremonyID(of clientDataJSON: [UInt8]) throws -> String {
        try CollectedClientData(jsonBytes: clientDataJSON).challenge
    }

    /// The attestation a credential was registered with.
    public func attestation(credentialID: [UInt8]) async throws -> Attestation? {
        try await self.store.get(Attestation.self, id: Self.recordID(credentialID: credentialID))
    }

    /// Finishes a sign-in: consumes the challenge, finds the member's credential, verifies the
    /// assertion against the stored counter and stores the new counter and backup state in one
    /// compare-and-swap (a concurrent sign-in with the same credential is verified again against
    /// the counter it left). `credential`, the credential as the caller read it a moment ago,
    /// spares reading it again (a stale one only costs a retry).
    ///
    /// - Returns: the verified assertion and the credential's kind.
    public func finishAuthentication(
        ceremonyID: String,
        memberID: String,
        response: AuthenticationResponseJSON,
        binding: String? = nil,
        credential known: Versioned<Credential>? = nil,
        at now: Date = Date()
    ) async throws -> (verified: VerifiedAuthentication, kind: FactorKind) {
        let pending = try await self.consume(
            ceremonyID: ceremonyID,
            memberID: memberID,
            purpose: .authentication,
            binding: binding,
            at: now
        )
        let recordID = Self.recordID(credentialID: response.rawID.bytes)
        let verifier = AuthenticationVerifier(policy: self.authenticationPolicy)
        // The member's user handle is compared only with one the authenticator returned (§7.2
        // step 6); security keys signing for a listed credential usually return none.
        let returned = response.response.userHandle.map { !$0.bytes.isEmpty } ?? false
        let handle = returned ? try await self.userHandle(for: memberID) : nil
        do {
            return try await self.store.modify(Credential.self, id: recordID, startingFrom: known) { credential in
                guard credential.memberID == memberID else { throw FactorError.factorNotFound }
                // allowCredentials was the member's credentials, and this one is the member's.
                let expectation = try AuthenticationExpectation(
                    challenge: pending.challenge.bytes,
                    credential: credential.record,
                    userHandle: handle
                )
                let verified = try verifier.verify(response, expecting: expectation)
                credential.record.signCount = max(credential.record.signCount, verified.newSignCount)
                credential.record.backupState = verified.backupState
                credential.lastUsedAt = now
                return (verified, credential.kind)
            }
        } catch StoreError.Code.notFound {
            throw FactorError.factorNotFound
        }
    }

    /// Renames a credential.
    public func rename(credentialID: [UInt8], memberID: String, to name: String) async throws {
        let id = Self.recordID(credentialID: credentialID)
        do {
            try await self.store.modify(Credential.self, id: id) { credential in
                guard credential.memberID == memberID else { throw FactorError.factorNotFound }
                credential.name = name
            }
        } catch StoreError.Code.notFound {
            throw FactorError.factorNotFound
        }
    }

    /// Deletes a credential of the member (the enrollment policy decides beforehand whether it may go).
    public func remove(credentialID: [UInt8], memberID: String) async throws {
        let deleted = try await self.store.delete(Credential.self, id: Self.recordID(credentialID: credentialID)) {
            $0.memberID == memberID
        }
        guard deleted else { throw FactorError.factorNotFound }
        _ = try await self.store.delete(Attestation.self, id: Self.recordID(credentialID: credentialID)) { _ in true }
    }

    private func consume(
        ceremonyID: String,
        memberID: String,
        purpose: PendingChallenge.Purpose,
        binding: String?,
        at now: Date
    ) async throws -> PendingChallenge {
        do {
            return try await self.store.modify(PendingChallenge.self, id: ceremonyID) { pending in
                guard pending.memberID == memberID else { throw FactorError.ceremonyNotFound }
                guard pending.purpose == purpose else { throw FactorError.ceremonyPurposeMismatch }
                guard pending.binding == nil || pending.binding == binding else { throw FactorError.ceremonyNotFound }
                guard !pending.consumed else { throw FactorError.ceremonyUsed }
                guard now < pending.expiresAt else { throw FactorError.ceremonyExpired }
                pending.consumed = true
                return pending
            }
        } catch StoreError.Code.notFound {
            throw FactorError.ceremonyNotFound
        }
    }
}
