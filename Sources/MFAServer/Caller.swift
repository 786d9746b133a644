import Foundation

/// Who is asking: a request's live session, its cookie's token and the client's address, read
/// once per request — by ``SignedInRequestContext`` and ``VerifyingRequestContext`` for the API
/// routes, by the pages from their context — and handed to every ``Dashboard`` operation that
/// acts for a session, instead of the three separately.
public struct Caller: Sendable {
    /// The session cookie's token.
    public var token: String
    /// The token's live session, as read when the request arrived.
    public var session: Session
    /// The client address limits and logs use (see ``MFARequestContext/clientAddress``).
    public var address: String

    /// A caller from its parts.
    public init(token: String, session: Session, address: String) {
        self.token = token
        self.session = session
        self.address = address
    }

    /// The caller of a request.
    ///
    /// - Throws: ``APIError`` `not_signed_in` when the request has no live session.
    public init(_ context: MFARequestContext) throws(APIError) {
        guard let token = context.sessionToken, let session = context.session else { throw APIError.notSignedIn }
        self.init(token: token, session: session, address: context.clientAddress)
    }

    /// The caller of a request whose session is in one of `states`.
    ///
    /// - Throws: ``APIError`` `enrollingOnly` (when given) for a session that may only enroll,
    ///   `not_signed_in` for any other state or no live session.
    init(_ context: MFARequestContext, in states: Set<Session.State>, enrollingOnly: APIError? = nil) throws(APIError) {
        try self.init(context)
        if let enrollingOnly, self.session.state == .enrollmentRequired { throw enrollingOnly }
        guard states.contains(self.session.state) else { throw APIError.notSignedIn }
    }
}
