import Foundation
public import HTTPInput
import HTTPTypes
public import Hummingbird
import Logging

/// The first thing every request meets, before the router picks a handler, so that every
/// decision after it (CSRF, limits, which handler runs) is made on one spelling of the request:
///
/// - the client address is resolved once (``ClientAddressResolver``, `--trusted-proxy`);
/// - the path is checked and canonical (``RequestPath``): a malformed one (`.`/`..` segments,
///   `%2F`, bad escapes) is a 400; another spelling of a real path (`//api/x`, `/api/x/`) is
///   redirected (308) for GET and HEAD and refused (400) for anything else;
/// - a method a known path does not take is a 405 with `Allow` (HEAD answers wherever GET does);
/// - a request with a body to the JSON API must say `Content-Type: application/json` (415),
///   so a cross-site `text/plain` form cannot reach it;
/// - a request without `Host` is a 400 `missing_host`, whatever its HTTP version (the host is
///   what the origin checks need), one whose `Host` is not `host[:port]` (``RequestAuthority``:
///   `localhost:99999`, `localhost:1@evil.com`) or whose absolute-form target is not `http:` or
///   `https:` is a 400 `bad_host`, and one whose host is neither a configured origin's host nor
///   a loopback name (`localhost`, `127.0.0.1`, `[::1]`) is a 421, so a page on a rebound DNS
///   name cannot talk to the server as same-origin;
/// - a request target holding `#` is a 400 `bad_target` on every route and method (RFC 9112
///   §3.2: a fragment is never sent);
/// - a malformed query string (bad `%` escape, not UTF-8, a control character, a field
///   without a name) is a 400 on every route, decoded by ``URLEncodedForm`` as handlers do.
public struct RequestGate: HTTPResponder {
    public typealias Context = MFARequestContext

    let router: RouterResponder<MFARequestContext>
    let table: RouteTable
    let resolver: ClientAddressResolver
    /// The hosts (lower case, without port) a request's `Host` may name; empty: any.
    let allowedHosts: Set<String>

    /// Loopback names, always allowed, for local use and a proxy on the same machine.
    static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "[::1]", "::1"]

    static let xForwardedFor = HTTPField.Name.known("X-Forwarded-For")
    static let forwarded = HTTPField.Name.known("Forwarded")

    public func respond(to request: Request, context: Context) async throws -> Response {
        var context = context
        context.clientAddress = self.resolver.clientAddress(
            peer: context.peerAddress,
            forwarded: request.headers[values: Self.forwarded],
            forwardedFor: request.headers[values: Self.xForwardedFor]
        )
        var response: Response
        // A declared body over the limit is answered at once, before any check that reads it.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > context.maxUploadSize {
            return try APIError.bodyTooLarge.response(from: request, context: context)
        }
        switch self.verdict(request) {
        case .pass:
            return try await self.router.respond(to: request, context: context)
        case .refuse(let error, let allow):
            response = try error.response(from: request, context: context)
            if let allow { response.headers[.allow] = allow }
        case .redirect(let location):
            // With the API's error body too, so the answer is the documented `default` one.
            response = try APIError(.permanentRedirect, "moved_permanently", "This is at \(location).")
                .response(from: request, context: context)
            response.headers[.location] = location
        }
        if request.method == .head { response = response.createHeadResponse() }
        SecurityHeadersMiddleware<Context>.apply(to: &response)
        guard response.status != .permanentRedirect else { return response }
        context.logger.info(
            "request refused",
            metadata: [
                "event": "request_refused", "status": "\(response.status.code)",
                "client_address": "\(context.clientAddress)",
            ]
        )
        return response
    }

    /// What becomes of a request.
    enum Verdict {
        case pass
        case refuse(APIError, allow: String? = nil)
        case redirect(String)
    }

    /// Refuses what no handler may see; see the type.
    func verdict(_ request: Request) -> Verdict {
        if let name = HTTPField.Name(AbsoluteFormTargetHandler.refusalField), let reason = request.headers[name] {
            return .refuse(APIError(.badRequest, "bad_target", reason))
        }
        guard let authority = request.head.authority else {
            return .refuse(
                APIError(
                    .badRequest,
                    "missing_host",
                    "The request needs a Host header: the server checks the host against its origins."
                )
            )
        }
        let parsed: RequestAuthority
        do {
            parsed = try RequestAuthority(authority)
        } catch {
            return .refuse(
                APIError(.badRequest, "bad_host", "The request's host is not acceptable: \(error.reason)")
            )
        }
        if request.head.path?.contains("#") == true {
            return .refuse(
                APIError(.badRequest, "bad_target", "A request target may not hold # (a fragment is never sent).")
            )
        }
        // The first Host header became the authority; any left in the fields is a second one
        // (RFC 9112 §3.2: answered 400).
        if let host = HTTPField.Name("Host"), !request.headers[values: host].isEmpty {
            return .refuse(APIError(.badRequest, "duplicate_host", "The request has more than one Host header."))
        }
        if !self.allowedHosts.isEmpty {
            let host = parsed.host
            guard self.allowedHosts.contains(host) || Self.loopbackHosts.contains(host) || host.hasSuffix(".localhost")
            else {
                return .refuse(
                    APIError(
                        HTTPResponse.Status(code: 421, reasonPhrase: "Misdirected Request"),
                        "unknown_host",
                        "This server does not serve this host name."
                    )
                )
            }
        }
        do {
            _ = try URLEncodedForm(query: request.uri.query)
        } catch {
            return .refuse(APIError.badRequest("The query string is malformed: \(error.reason)"))
        }
        let path: RequestPath
        do {
            path = try RequestPath(request.uri.path)
        } catch {
            return .refuse(APIError(.badRequest, "bad_path", "The request path is not acceptable: \(error.reason)"))
        }
        let methods = self.table.methods(at: path.segments)
        guard path.wasCanonical else {
            guard !methods.isEmpty else { return .refuse(.notFound) }
            guard request.method == .get || request.method == .head else {
                return .refuse(APIError(.badRequest, "non_canonical_path", "Send this request to \(path.canonical)."))
            }
            return .redirect(path.canonical + (request.uri.query.map { "?" + $0 } ?? ""))
        }
        guard !methods.isEmpty else { return .pass }  // the router's 404
        guard methods.contains(request.method) else {
            return .refuse(
                APIError(.methodNotAllowed, "method_not_allowed", "This path does not take this method."),
                allow: methods.map(\.rawValue).sorted().joined(separator: ", ")
            )
        }
        if path.segments.first == "api", ![.get, .head, .options].contains(request.method), Self.hasBody(request),
            !Self.isJSON(request.headers[.contentType])
        {
            return .refuse(
                APIError(
                    .unsupportedMediaType,
                    "unsupported_media_type",
                    "The API takes request bodies as application/json."
                )
            )
        }
        return .pass
    }

    /// Whether a request says it has a body.
    static func hasBody(_ request: Request) -> Bool {
        if request.headers[.contentType] != nil || request.headers[.transferEncoding] != nil { return true }
        guard let length = request.headers[.contentLength] else { return false }
        return length != "0"
    }

    /// Whether a Content-Type is JSON (`application/json`, any parameters).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
        return media?.lowercased() == "application/json"
    }
}

/// Builds the server's responder: the router behind a ``RequestGate``.
public struct MFAServerRouter: HTTPResponderBuilder {
    /// The router of every handler and middleware.
    public let router: Router<MFARequestContext>
    /// Whose forwarding headers are believed.
    public let resolver: ClientAddressResolver
    /// The hosts a request's `Host` may name besides loopback ones (the origins' hosts).
    public let allowedHosts: Set<String>

    /// Every route the router dispatches (with the HEAD routes it generates).
    public var routes: RouteTable {
        _ = self.router.buildResponder()
        return RouteTable(self.router)
    }

    public func buildResponder() -> RequestGate {
        let responder = self.router.buildResponder()
        return RequestGate(
            router: responder,
            table: RouteTable(self.router),
            resolver: self.resolver,
            allowedHosts: self.allowedHosts
        )
    }
}
