import HTTPTypes
public import Hummingbird

/// Security headers on every response: a strict Content-Security-Policy (scripts and styles
/// only from this origin, no inline script, no framing), no MIME sniffing, no referrer leaks,
/// and no caching of anything personal. A refused request (4xx, 5xx) never sets a cookie: a
/// request that changed nothing cannot replace the browser's session either.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    public static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        Self.apply(to: &response)
        return response
    }

    /// Sets the headers on `response`.
    static func apply(to response: inout Response) {
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicyHeader] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if response.status.code >= 400 { response.headers[values: .setCookie] = [] }
    }
}

extension HTTPField.Name {
    /// A header name from a literal that is known to be valid.
    static func known(_ name: String) -> HTTPField.Name {
        guard let parsed = HTTPField.Name(name) else { preconditionFailure("invalid header name \(name)") }
        return parsed
    }

    static let xFrameOptions = known("X-Frame-Options")
    static let crossOriginOpenerPolicy = known("Cross-Origin-Opener-Policy")
    static let csrfToken = known("X-CSRF-Token")
    static let referrerPolicyHeader = known("Referrer-Policy")
}
