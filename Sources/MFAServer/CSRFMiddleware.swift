import Crypto
import Foundation
import HTTPInput
import HTTPTypes
public import Hummingbird

/// Refuses state-changing API requests (anything but GET/HEAD/OPTIONS under `/api/`) that do
/// not carry the session's CSRF token in `X-CSRF-Token` (from `GET /api/csrf`), with 403. The
/// phone's device API (`/api/push/devices`, `/api/push/transactions/…`) uses no cookies and is
/// authenticated by its ticket and signatures instead. The decision is made on the canonical
/// path (``RequestPath``), the one ``RequestGate`` lets through to the router; a path that has
/// no canonical spelling always needs the token.
public struct CSRFMiddleware: RouterMiddleware {
    public typealias Context = MFARequestContext

    /// Creates the middleware.
    public init() {}

    static func needsToken(_ request: Request) -> Bool {
        guard ![.get, .head, .options].contains(request.method) else { return false }
        guard let segments = try? RequestPath(request.uri.path).segments else { return true }
        guard segments.first == "api" else { return false }
        return !(segments == ["api", "push", "devices"] || segments.starts(with: ["api", "push", "transactions"]))
    }

    /// Constant-time comparison of the presented token with the session's.
    static func matches(_ presented: String?, _ expected: String) -> Bool {
        guard let presented else { return false }
        let a = Array(SHA256.hash(data: Data(presented.utf8)))
        let b = Array(SHA256.hash(data: Data(expected.utf8)))
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.needsToken(request) {
            guard let session = context.session,
                Self.matches(request.headers[.csrfToken], session.csrfToken)
            else { throw APIError.csrfMissing }
        }
        return try await next(request, context)
    }
}
