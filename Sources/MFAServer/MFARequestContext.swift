public import Hummingbird
import NIOCore

/// The request context of every route: the client's address, the session cookie's token and
/// its live session (filled in by ``SessionMiddleware``), and the body size limit.
public struct MFARequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client address: the TCP peer, or what a trusted proxy forwarded (set by
    /// ``RequestGate`` from `--trusted-proxy`); the one address limits and logs use.
    public var clientAddress: String
    /// The TCP peer's address.
    public var peerAddress: String?
    /// The session cookie's token, when the request carried one.
    public var sessionToken: String?
    /// The live session of that token.
    public var session: Session?

    /// Creates the context for a request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.clientAddress = self.peerAddress ?? "unknown"
    }

    /// Request bodies above 64 KiB are refused with 413.
    public var maxUploadSize: Int { 64 * 1_024 }
}
