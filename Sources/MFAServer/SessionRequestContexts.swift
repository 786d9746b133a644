public import Hummingbird

/// The context of the routes that act for a member who has passed the password — profile and
/// tenant (`/api/me/…`, `/api/tenant/…`): built once per request from ``MFARequestContext``, it
/// refuses a request without a signed-in (or enrollment-only) session with `not_signed_in`
/// before any handler runs, and carries the ``Caller``.
public struct SignedInRequestContext: ChildRequestContext {
    public typealias ParentContext = MFARequestContext
    public var coreContext: CoreRequestContextStorage
    /// The session, its token and the client address.
    public let caller: Caller

    /// The states a session of these routes may be in (the ``Dashboard`` tells them apart:
    /// an `enrollment_required` session may only enroll).
    static let states: Set<Session.State> = [.signedIn, .enrollmentRequired]

    /// Checks the parent context's session.
    ///
    /// - Throws: ``APIError`` `not_signed_in`.
    public init(context: MFARequestContext) throws {
        self.caller = try Caller(context, in: Self.states)
        self.coreContext = context.coreContext
    }

    /// As the parent's: request bodies above 64 KiB are refused with 413.
    public var maxUploadSize: Int { 64 * 1_024 }
}

/// The context of the second-factor routes (`/api/mfa/…`): a session whose password was right
/// and whose second factor is due (or one signed in, re-verifying); a session that may only
/// enroll gets `mfa_enrollment_required`, any other `not_signed_in`, before any handler runs.
/// It carries the ``Caller``.
public struct VerifyingRequestContext: ChildRequestContext {
    public typealias ParentContext = MFARequestContext
    public var coreContext: CoreRequestContextStorage
    /// The session, its token and the client address.
    public let caller: Caller

    /// The states a session of these routes may be in.
    static let states: Set<Session.State> = [.mfaRequired, .signedIn]

    /// Checks the parent context's session.
    ///
    /// - Throws: ``APIError`` `mfa_enrollment_required`, `not_signed_in`.
    public init(context: MFARequestContext) throws {
        self.caller = try Caller(context, in: Self.states, enrollingOnly: APIError.enrollmentRequired)
        self.coreContext = context.coreContext
    }

    /// As the parent's: request bodies above 64 KiB are refused with 413.
    public var maxUploadSize: Int { 64 * 1_024 }
}
