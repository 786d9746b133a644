import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Reads a request's target as HTTP/1.1 sent it, before the head becomes an `HTTPRequest`
/// (whose conversion keeps only the path — dropping a scheme, an authority and a fragment — and
/// the first `Host`):
///
/// - a target in absolute form (`GET http://evil.com/api/csrf HTTP/1.1`) names its host the way
///   RFC 9112 §3.2.2 says a server must read it: from the target, not from `Host`. Every `Host`
///   field is replaced with the target's authority, so the ``RequestGate``'s host checks judge
///   the host the client actually asked for;
/// - a target the server does not take is marked refused (``refusalField``, with a sentence),
///   and the gate answers it 400 `bad_target`: an absolute target whose scheme is not `http` or
///   `https` (`ftp://…`, `mailto:x`), one with user information (`http://user@host/`) or without an
///   authority (`http:///x`), and any target holding `#` (a fragment is never sent, RFC 9112
///   §3.2), whatever its method and route. A client's own copy of the field is removed first.
final class AbsoluteFormTargetHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    /// The field this handler marks a refused target with; the gate answers it 400.
    static let refusalField = "FIDOKit-Refused-Target"

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = self.unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        head.headers.remove(name: Self.refusalField)
        switch Self.target(head.uri) {
        case .origin:
            break
        case .absolute(let authority):
            head.headers.remove(name: "Host")
            head.headers.add(name: "Host", value: authority)
        case .refused(let reason):
            head.headers.add(name: Self.refusalField, value: reason)
        }
        context.fireChannelRead(self.wrapInboundOut(.head(head)))
    }

    /// What a request target is.
    enum Target: Equatable {
        /// A path (`/path`) or `*`: the gate's path checks judge it.
        case origin
        /// An `http:`/`https:` target naming this authority.
        case absolute(String)
        /// Refused, saying why.
        case refused(String)
    }

    /// Sorts `target` as the type says.
    static func target(_ target: String) -> Target {
        if target.contains("#") { return .refused("A request target may not hold # (a fragment is never sent).") }
        guard !target.hasPrefix("/"), target != "*" else { return .origin }
        guard let separator = target.range(of: "://"),
            ["http", "https"].contains(target[..<separator.lowerBound].lowercased())
        else { return .refused("A request target is a path, * or an absolute http: or https: URI.") }
        let rest = target[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard !authority.isEmpty, !authority.contains("@") else {
            return .refused("An absolute request target needs a host and no user information.")
        }
        return .absolute(String(authority))
    }
}

/// Puts an ``AbsoluteFormTargetHandler`` in front of the HTTP/1 to HTTP-types conversion and
/// steps out: Hummingbird adds its extra handlers after that conversion, where the target's
/// authority is already gone.
final class AbsoluteFormTargetInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any

    func handlerAdded(context: ChannelHandlerContext) {
        let operations = context.pipeline.syncOperations
        do {
            let codec = try operations.context(handlerType: HTTP1ToHTTPServerCodec.self)
            try operations.addHandler(AbsoluteFormTargetHandler(), position: .before(codec.handler))
            operations.removeHandler(context: context, promise: nil)
        } catch {
            // Without the check no request is served: the host rule fails closed.
            context.close(promise: nil)
        }
    }
}
