import NIOCore

/// Closes a connection whose next request head has not fully arrived within `timeout` of the
/// connection opening or of the last response being flushed: a client dribbling header bytes
/// slowly (which the idle timeout, reset by every byte, lets through) cannot hold it open.
///
/// It sits after the HTTP decoder, which passes nothing on until a request head is complete,
/// so any read means the head arrived; it never looks at what it passes along.
final class RequestHeadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = Any
    typealias OutboundIn = Any

    private var deadline: ConnectionDeadline

    init(timeout: TimeAmount) {
        self.deadline = ConnectionDeadline(timeout: timeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.deadline.arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.deadline.arm(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.deadline.disarm()
        context.fireChannelRead(data)
    }

    func flush(context: ChannelHandlerContext) {
        self.deadline.arm(context)
        context.flush()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline.disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deadline.disarm()
        context.fireChannelInactive()
    }
}
