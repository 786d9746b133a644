public import Foundation
public import MFAPolicy
public import MFAStore
public import RecoveryCode

/// Tenants and their members in the store: accounts, roles and passwords (scrypt). Sign-in
/// checks take the same time for unknown e-mail addresses as for wrong passwords, so neither
/// the messages nor the timing tell who has an account.
public struct Accounts: Sendable {
    /// A tenant (a team using the dashboard) and its MFA settings.
    public struct Tenant: StorableRecord, Sendable, Hashable {
        public static let recordKind = "tenant"
        public var id: String
        public var name: String
        public var settings: TenantSettings
    }

    /// A member's role in their tenant.
    public enum Role: String, Codable, Sendable, Hashable {
        case admin
        case member
    }

    /// A member account.
    public struct Member: StorableRecord, Sendable, Hashable {
        public static let recordKind = "member"
        public var id: String
        public var tenantID: String
        /// The canonical form of an ``EmailAddress``.
        public var email: String
        public var displayName: String
        public var role: Role
        public var passwordHash: String
        public var createdAt: Date
    }

    /// The unique index from e-mail address to member id.
    struct EmailIndex: StorableRecord, Sendable {
        static let recordKind = "member-email"
        var memberID: String
    }

    public let store: any RecordStore
    public let hashParameters: SlowHash.Parameters
    /// A hash of nothing, checked for unknown addresses so they cost as much as known ones.
    let decoyHash: SlowHash

    /// Creates the directory.
    public init(store: any RecordStore, hashParameters: SlowHash.Parameters = .interactive) throws {
        self.store = store
        self.hashParameters = hashParameters
        self.decoyHash = try SlowHash(hashing: UUID().uuidString, parameters: hashParameters)
    }

    /// Creates a tenant.
    public func createTenant(name: String, settings: TenantSettings) async throws -> Tenant {
        let tenant = Tenant(id: UUID().uuidString, name: name, settings: try settings.validated())
        try await self.store.insert(tenant, id: tenant.id, owner: "tenants")
        return tenant
    }

    /// Every tenant (for the first-start check).
    public func tenants() async throws -> [Tenant] {
        try await self.store.list(Tenant.self, owner: "tenants")
    }

    /// A tenant by id.
    public func tenant(_ id: String) async throws -> Tenant? {
        try await self.store.get(Tenant.self, id: id)
    }

    /// Saves validated settings for a tenant.
    ///
    /// - Throws: ``PolicyError`` when the settings break a rule.
    public func updateSettings(tenantID: String, to settings: TenantSettings) async throws -> Tenant {
        let validated = try settings.validated()
        return try await self.store.modify(Tenant.self, id: tenantID) { tenant in
            tenant.settings = validated
            return tenant
        }
    }

    /// Adds a member with a password.
    ///
    /// - Throws: ``AccountError/emailTaken``, ``AccountError/invalidEmail``,
    ///   ``AccountError/weakPassword``, ``AccountError/invalidDisplayName``,
    ///   ``AccountError/displayNameTooLong``.
    public func createMember(
        tenantID: String,
        email: String,
        displayName: String,
        password: String,
        role: Role,
        at now: Date = Date()
    ) async throws -> Member {
        let email = try EmailAddress(email).value
        try Self.checkPassword(password)
        let name: String?
        guard displayName.trimmingCharacters(in: .whitespacesAndNewlines).count <= 128 else {
            throw AccountError.displayNameTooLong
        }
        do {
            name = try DisplayText.validated(displayName, field: "display name", maximumLength: 128)
        } catch {
            throw AccountError.invalidDisplayName
        }
        let member = Member(
            id: UUID().uuidString,
            tenantID: tenantID,
            email: email,
            displayName: name ?? email,
            role: role,
            passwordHash: try SlowHash(hashing: password, parameters: self.hashParameters).description,
            createdAt: now
        )
        do {
            try await self.store.insert(EmailIndex(memberID: member.id), id: email, owner: tenantID)
        } catch {
            guard error.code == .duplicate else { throw error }
            throw AccountError.emailTaken
        }
        try await self.store.insert(member, id: member.id, owner: tenantID)
        return member
    }

    /// Checks a new password: 8 to 1,024 characters, not all whitespace, and no control
    /// characters or line breaks (a NUL, a newline, DEL, C1, U+2028/2029), which no keyboard
    /// types and some layers cut a string at, nor the invisible format characters that only a
    /// paste brings in (U+200B zero-width space, U+FEFF byte-order mark, U+00AD soft hyphen,
    /// U+2060–2064 word joiners, bidi embeddings, overrides and isolates): the member could not
    /// type such a password again from what they see. Format characters keyboards do type stay
    /// allowed: U+200C/U+200D (Persian ZWNJ, emoji ZWJ sequences), U+200E/U+200F, emoji tags.
    /// Passwords are hashed as given (no normalisation), as before.
    ///
    /// - Throws: ``AccountError/weakPassword``.
    public static func checkPassword(_ password: String) throws(AccountError) {
        guard password.count >= 8, password.count <= 1_024 else { throw .weakPassword }
        guard !password.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { throw .weakPassword }
        for scalar in password.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                throw .weakPassword
            case .format where Self.invisibleFormats.contains(where: { $0.contains(scalar.value) }):
                throw .weakPassword
            default:
                continue
            }
        }
    }

    /// Format characters no keyboard types (see ``checkPassword(_:)``).
    static let invisibleFormats: [ClosedRange<UInt32>] = [
        0x00AD...0x00AD, 0x200B...0x200B, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF...0xFEFF,
    ]

    /// A member by id.
    public func member(_ id: String) async throws -> Member? {
        try await self.store.get(Member.self, id: id)
    }

    /// The tenant's members, oldest first.
    public func members(of tenantID: String) async throws -> [Member] {
        try await self.store.list(Member.self, owner: tenantID)
    }

    /// The member whose password this is, or `nil` — for an unknown address after the same
    /// amount of hashing as for a known one.
    public func authenticate(email: EmailAddress, password: String) async throws -> Member? {
        guard let index = try await self.store.get(EmailIndex.self, id: email.value),
            let member = try await self.member(index.memberID)
        else {
            _ = self.decoyHash.matches(password)
            return nil
        }
        guard let hash = SlowHash(stored: member.passwordHash), hash.matches(password) else { return nil }
        return member
    }
}

/// Why an account operation was refused.
public enum AccountError: Error, Sendable, Hashable, CustomStringConvertible {
    case emailTaken
    case invalidEmail
    case weakPassword
    /// An address whose domain is in Unicode (U-label) form: give its `xn--` form.
    case internationalDomain
    /// A display name with a control or formatting character.
    case invalidDisplayName
    /// A display name over 128 characters.
    case displayNameTooLong

    public var description: String {
        switch self {
        case .emailTaken: "a member with this e-mail address exists"
        case .invalidEmail: "this is not an e-mail address the dashboard accepts"
        case .weakPassword:
            "a password needs 8 to 1,024 characters, not all spaces, no control characters and no invisible formatting characters"
        case .internationalDomain:
            "the domain must be given in its ASCII (xn--) form, as the mail system's IDNA converter writes it"
        case .invalidDisplayName: "a display name may not contain control or formatting characters"
        case .displayNameTooLong: "a display name has at most 128 characters"
        }
    }
}
