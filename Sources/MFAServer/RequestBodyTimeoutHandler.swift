import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body has not fully arrived within `timeout` of its head
/// (`--body-timeout`): a client dripping a byte a second, which resets the idle timeout each
/// time, cannot hold a connection (and a handler waiting for the body) open for long.
///
/// It sits after the HTTP decoder and only watches the request parts go by: a head arms the
/// deadline, the end of the request disarms it.
final class RequestBodyTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private var deadline: ConnectionDeadline

    init(timeout: TimeAmount) {
        self.deadline = ConnectionDeadline(timeout: timeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            self.deadline.arm(context)
        case .body:
            break
        case .end:
            self.deadline.disarm()
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline.disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deadline.disarm()
        context.fireChannelInactive()
    }
}
