import NIOCore

/// A connection's one pending deadline, as ``RequestHeadTimeoutHandler`` and
/// ``RequestBodyTimeoutHandler`` keep it: ``arm(_:)`` (re)starts it, and the channel is closed
/// `timeout` later unless ``disarm()`` comes first. Used on the channel's event loop only.
struct ConnectionDeadline {
    let timeout: TimeAmount
    private var scheduled: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Cancels the pending deadline, if any, and starts a new one for `context`'s channel.
    mutating func arm(_ context: ChannelHandlerContext) {
        self.scheduled?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            loopBound.value.close(promise: nil)
        }
    }

    /// Cancels the pending deadline, if any.
    mutating func disarm() {
        self.scheduled?.cancel()
        self.scheduled = nil
    }
}
