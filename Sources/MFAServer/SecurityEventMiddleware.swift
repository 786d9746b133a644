public import Hummingbird
import Logging

/// Logs the security events of every request, structured (``SecurityLog``): failed and
/// successful sign-ins and second factors, lockouts (429), CSRF refusals, step-up failures,
/// factor changes and admin actions. It reads only the method, the route, the status, the
/// error code and the session's member id, never a body, so a password, code or token sent
/// by the client cannot reach the log.
public struct SecurityEventMiddleware: RouterMiddleware {
    public typealias Context = MFARequestContext

    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            self.log(request, context: context, status: Int(response.status.code), code: nil)
            return response
        } catch {
            // The status and code the client gets: the lower layers' errors (a FactorError, a
            // DecodingError, …) are mapped by the outer ErrorMiddleware only after this one.
            if let error = error as? any HTTPResponseError, !(error is APIError) {
                self.log(request, context: context, status: Int(error.status.code), code: nil)
            } else {
                let answered = APIError.from(error)
                self.log(request, context: context, status: Int(answered.status.code), code: answered.code)
            }
            throw error
        }
    }

    func log(_ request: Request, context: Context, status: Int, code: String?) {
        guard let event = Self.event(method: request.method, path: request.uri.path, status: status, code: code) else {
            return
        }
        let route = context.coreContext.endpointPath.value ?? request.uri.path
        SecurityLog.event(
            event,
            context: context,
            memberID: context.session?.memberID,
            reason: "\(request.method) \(route) → \(status)" + (code.map { " \($0)" } ?? "")
        )
    }

    /// The event a request's outcome is, or `nil` for an uneventful one.
    static func event(method: HTTPRequest.Method, path: String, status: Int, code: String?) -> String? {
        if code == APIError.csrfMissing.code { return "csrf_refused" }
        // A body that ended early says nothing about who the client is or what it tried.
        if code == APIError.bodyIncomplete.code { return nil }
        guard ![.get, .head, .options].contains(method) else { return nil }
        let succeeded = (200..<400).contains(status)
        let signIn = path == "/api/session" || path == "/signin"
        let secondFactor = path.hasPrefix("/api/mfa/") || path.hasPrefix("/mfa/")
        let stepUp = path.hasPrefix("/api/session/step-up")
        if status == 429 { return signIn ? "sign_in_locked_out" : "rate_limited" }
        if code?.hasPrefix("step_up") == true { return "step_up_required" }
        if stepUp { return succeeded ? "step_up_passed" : "step_up_failed" }
        if signIn, method == .post { return succeeded ? "sign_in_password_accepted" : "sign_in_failed" }
        let ceremonyStart = ["/options", "/send", "/start"].contains { path.hasSuffix($0) }
        if secondFactor, !ceremonyStart {
            return succeeded ? "second_factor_passed" : "second_factor_failed"
        }
        if path.hasPrefix("/api/me/factors") || path.hasPrefix("/profile/") {
            return succeeded ? "factor_changed" : "factor_change_refused"
        }
        if path.hasPrefix("/api/tenant") || path.hasPrefix("/tenant/") {
            return succeeded ? "admin_action" : "admin_action_refused"
        }
        if status == 401 || status == 403 { return "request_refused" }
        return nil
    }
}
