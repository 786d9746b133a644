public import Foundation
import HTTPInput
public import Hummingbird

/// Reads the session cookie and puts its live session in the context; sets and clears the
/// cookie with the attributes a session cookie needs (HttpOnly, SameSite=Lax, Secure unless the
/// server runs on localhost over plain HTTP).
public struct SessionMiddleware: RouterMiddleware {
    public typealias Context = MFARequestContext

    /// The cookie's name.
    public static let cookieName = "fidokit_session"

    let sessions: SessionStore

    /// Creates the middleware.
    public init(sessions: SessionStore) {
        self.sessions = sessions
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let cookies: CookieHeader
        do {
            cookies = try CookieHeader(request.headers[values: .cookie])
        } catch {
            throw APIError.badRequest("The Cookie header is malformed: \(error.reason)")
        }
        // Two session cookies are one set by a sibling domain or path (cookie tossing): neither
        // is trusted.
        guard cookies.cookies.filter({ $0.name == Self.cookieName }).count <= 1 else {
            throw APIError(.badRequest, "duplicate_cookie", "The request has more than one \(Self.cookieName) cookie.")
        }
        if let token = cookies[Self.cookieName], !token.isEmpty {
            context.sessionToken = token
            context.session = try await self.sessions.find(token: token)
        }
        return try await next(request, context)
    }

    /// The cookie carrying `token` for `lifetime` seconds.
    public static func cookie(_ token: String, lifetime: TimeInterval, secure: Bool) -> Cookie {
        Cookie(
            name: Self.cookieName,
            value: token,
            maxAge: Int(lifetime),
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .lax
        )
    }

    /// A cookie that deletes the session cookie.
    public static func clearingCookie(secure: Bool) -> Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
