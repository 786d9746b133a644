public import Foundation

/// Resend limits per phone number: at most one code per ``minimumInterval`` and ``dailyLimit``
/// codes per rolling 24 hours (against SMS pumping and cost).
public struct SMSThrottle: Sendable, Hashable {
    public var minimumInterval: TimeInterval
    public var dailyLimit: Int

    /// One per 30 s, ten per day by default.
    public init(minimumInterval: TimeInterval = 30, dailyLimit: Int = 10) {
        self.minimumInterval = minimumInterval
        self.dailyLimit = dailyLimit
    }

    /// Whether a code may be sent at `now`, given when earlier codes to the same number were sent.
    ///
    /// - Throws: ``SMSError/throttled(retryAfter:)`` with the earliest time a send is allowed.
    public func check(previousSends: [Date], at now: Date) throws(SMSError) {
        let sorted = previousSends.sorted()
        if let last = sorted.last, now.timeIntervalSince(last) < self.minimumInterval {
            throw .throttled(retryAfter: last.addingTimeInterval(self.minimumInterval))
        }
        let dayAgo = now.addingTimeInterval(-86_400)
        let recent = sorted.filter { $0 > dayAgo }
        if recent.count >= self.dailyLimit {
            // The oldest send in the window must fall out of it first.
            throw .throttled(retryAfter: recent[recent.count - self.dailyLimit].addingTimeInterval(86_400))
        }
    }
}
