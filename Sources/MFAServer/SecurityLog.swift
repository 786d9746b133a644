import Logging

/// Security events (failed sign-ins, lockouts, CSRF refusals, factor changes, step-up
/// failures, admin actions) as structured log lines: `event`, `member_id`, `client_address`,
/// `reason` metadata, at `notice` level. Callers pass only these; never a password, a code,
/// a token or a secret, so none can reach the log.
enum SecurityLog {
    /// Logs `event` for the request of `context`.
    static func event(
        _ event: String,
        context: MFARequestContext,
        memberID: String? = nil,
        reason: String? = nil
    ) {
        Self.event(
            event,
            logger: context.logger,
            clientAddress: context.clientAddress,
            memberID: memberID,
            reason: reason
        )
    }

    /// Logs `event` on `logger`.
    static func event(
        _ event: String,
        logger: Logger,
        clientAddress: String,
        memberID: String? = nil,
        reason: String? = nil
    ) {
        var metadata: Logger.Metadata = ["event": .string(event), "client_address": .string(clientAddress)]
        if let memberID { metadata["member_id"] = .string(memberID) }
        if let reason { metadata["reason"] = .string(reason) }
        logger.notice("security event", metadata: metadata)
    }
}
