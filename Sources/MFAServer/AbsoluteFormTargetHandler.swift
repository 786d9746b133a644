import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Makes a request whose target is in absolute form (`GET http://evil.com/api/csrf HTTP/1.1`)
/// name its host the way RFC 9112 §3.2.2 says a server must read it: from the target, not from
/// `Host`. It replaces every `Host` field with the target's authority before the head becomes an
/// `HTTPRequest` (whose conversion keeps only the path and the first `Host`), so the
/// ``RequestGate``'s host allow-list judges the host the client actually asked for.
///
/// A target with user information (`http://user@host/`) or without an authority is refused
/// by giving the head an empty `Host`, which the gate answers 400.
final class AbsoluteFormTargetHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = self.unwrapInboundIn(data), let authority = Self.authority(of: head.uri) else {
            context.fireChannelRead(data)
            return
        }
        head.headers.remove(name: "Host")
        head.headers.add(name: "Host", value: authority)
        context.fireChannelRead(self.wrapInboundOut(.head(head)))
    }

    /// The authority of an absolute-form target (`scheme://authority/path?query`), `""` for one
    /// whose authority is empty or carries user information, or `nil` for any other form.
    static func authority(of target: String) -> String? {
        guard !target.hasPrefix("/"), let separator = target.range(of: "://") else { return nil }
        let scheme = target[..<separator.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        let rest = target[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else { return "" }
        return String(authority)
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
