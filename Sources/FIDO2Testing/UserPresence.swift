/// How the simulated person at the software authenticator answers a request for a touch.
public enum UserPresence: Sendable, Hashable {
    /// Touches at once.
    case touch
    /// Touches after a delay, while the authenticator sends KEEPALIVE(UPNEEDED).
    case touchAfter(milliseconds: Int)
    /// Refuses (CTAP2_ERR_OPERATION_DENIED).
    case deny
    /// Never touches: the request ends in CTAP2_ERR_USER_ACTION_TIMEOUT or a cancel.
    case never
}

/// The outcome of waiting for a touch.
enum PresenceOutcome {
    case touched
    case denied
    case timedOut
    case cancelled
}
