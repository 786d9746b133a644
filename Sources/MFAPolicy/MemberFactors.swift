/// One factor a member enrolled.
public struct Enrollment: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var kind: FactorKind
    /// The name the member gave it ("Blue YubiKey", "Work phone").
    public var name: String?

    /// Creates an enrollment.
    public init(id: String, kind: FactorKind, name: String? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
    }
}

/// What a member has enrolled: the authenticator factors, and whether a recovery code is live.
public struct MemberFactors: Sendable, Hashable, Codable {
    public var enrollments: [Enrollment]
    public var hasRecoveryCode: Bool

    /// Creates a member's factor list.
    public init(enrollments: [Enrollment] = [], hasRecoveryCode: Bool = false) {
        self.enrollments = enrollments
        self.hasRecoveryCode = hasRecoveryCode
    }

    /// The member list's MFA indicator: on when any authenticator factor is enrolled.
    public var mfaEnabled: Bool { self.enrollments.contains { $0.kind.isAuthenticator } }

    /// The kinds enrolled, for the member list.
    public var kinds: [FactorKind] { Set(self.enrollments.map(\.kind)).sorted() }
}
