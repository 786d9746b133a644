public import Foundation

/// Limits on sending SMS codes (against SMS pumping, toll fraud and cost): per phone number, at
/// most one code per ``minimumInterval`` and ``dailyLimit`` codes per rolling 24 hours; per
/// member across all their numbers, ``memberHourlyLimit`` and ``memberDailyLimit``; per tenant
/// across all members and numbers, ``tenantHourlyLimit`` and ``tenantDailyLimit``; and at most
/// ``pendingEnrollmentsPerMember`` numbers waiting for their first code at once.
public struct SMSThrottle: Sendable, Hashable {
    public var minimumInterval: TimeInterval
    public var dailyLimit: Int
    public var memberHourlyLimit: Int
    public var memberDailyLimit: Int
    public var tenantHourlyLimit: Int
    public var tenantDailyLimit: Int
    public var pendingEnrollmentsPerMember: Int

    /// By default: one per 30 s and ten per day to a number; five an hour and ten a day to one
    /// member; 100 an hour and 1,000 a day to one tenant; two unconfirmed numbers per member.
    public init(
        minimumInterval: TimeInterval = 30,
        dailyLimit: Int = 10,
        memberHourlyLimit: Int = 5,
        memberDailyLimit: Int = 10,
        tenantHourlyLimit: Int = 100,
        tenantDailyLimit: Int = 1_000,
        pendingEnrollmentsPerMember: Int = 2
    ) {
        self.minimumInterval = minimumInterval
        self.dailyLimit = dailyLimit
        self.memberHourlyLimit = memberHourlyLimit
        self.memberDailyLimit = memberDailyLimit
        self.tenantHourlyLimit = tenantHourlyLimit
        self.tenantDailyLimit = tenantDailyLimit
        self.pendingEnrollmentsPerMember = max(1, pendingEnrollmentsPerMember)
    }

    /// Whether a code may be sent at `now`, given when earlier codes to the same number were sent.
    ///
    /// - Throws: ``SMSError/throttled(retryAfter:)`` with the earliest time a send is allowed.
    public func check(previousSends: [Date], at now: Date) throws(SMSError) {
        let sorted = previousSends.sorted()
        if let last = sorted.last, now.timeIntervalSince(last) < self.minimumInterval {
            throw .throttled(retryAfter: last.addingTimeInterval(self.minimumInterval))
        }
        if let retry = Self.retryAfter(sorted, limit: self.dailyLimit, window: 86_400, at: now) {
            throw .throttled(retryAfter: retry)
        }
    }

    /// Whether one more code may go to a member, given the codes sent to any of their numbers.
    ///
    /// - Throws: ``SMSError/memberLimit(retryAfter:)``.
    public func checkMember(previousSends: [Date], at now: Date) throws(SMSError) {
        let sorted = previousSends.sorted()
        if let retry = Self.retryAfter(sorted, limit: self.memberHourlyLimit, window: 3_600, at: now)
            ?? Self.retryAfter(sorted, limit: self.memberDailyLimit, window: 86_400, at: now)
        {
            throw .memberLimit(retryAfter: retry)
        }
    }

    /// Whether one more code may go to a tenant's members, given the codes sent to any of them.
    ///
    /// - Throws: ``SMSError/tenantLimit(retryAfter:)``.
    public func checkTenant(previousSends: [Date], at now: Date) throws(SMSError) {
        let sorted = previousSends.sorted()
        if let retry = Self.retryAfter(sorted, limit: self.tenantHourlyLimit, window: 3_600, at: now)
            ?? Self.retryAfter(sorted, limit: self.tenantDailyLimit, window: 86_400, at: now)
        {
            throw .tenantLimit(retryAfter: retry)
        }
    }

    /// When a send is allowed again if `limit` sends (sorted) already fall in the rolling
    /// `window`, or `nil` when one is allowed now.
    static func retryAfter(_ sorted: [Date], limit: Int, window: TimeInterval, at now: Date) -> Date? {
        let start = now.addingTimeInterval(-window)
        let recent = sorted.filter { $0 > start }
        guard recent.count >= max(1, limit) else { return nil }
        // The oldest send that keeps the window full must fall out of it first.
        let index = recent.count - max(1, limit)
        guard recent.indices.contains(index) else { return nil }
        return recent[index].addingTimeInterval(window)
    }
}
