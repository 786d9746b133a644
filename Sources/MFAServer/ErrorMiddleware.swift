public import Hummingbird

/// Turns any error a handler throws into the API's error body: lower layers' typed errors keep
/// their codes, anything unexpected is a 500 that says nothing about internals. Hummingbird's
/// own HTTP errors (404 for unknown routes, 413 for large bodies) keep their status.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .contentTooLarge:
                throw APIError.bodyTooLarge
            case .notFound:
                throw APIError.notFound
            case .methodNotAllowed:
                throw APIError(.methodNotAllowed, "method_not_allowed", "This path does not take this method.")
            default:
                throw APIError(error.status, "bad_request", error.body ?? "The request was not understood.")
            }
        } catch {
            let mapped = APIError.from(error)
            if mapped.status == .internalServerError {
                context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            }
            throw mapped
        }
    }
}
