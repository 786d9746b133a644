import Foundation
import SMS
import Testing

/// Resend limits: one per 30 s, ten per rolling day.
struct SMSThrottleTests {
    @Test func oneCodePerThirtySeconds() throws {
        let throttle = SMSThrottle()
        let now = Date()
        try throttle.check(previousSends: [], at: now)
        #expect(throws: SMSError.throttled(retryAfter: now.addingTimeInterval(30))) {
            try throttle.check(previousSends: [now], at: now.addingTimeInterval(29))
        }
        try throttle.check(previousSends: [now], at: now.addingTimeInterval(30))
    }

    @Test func tenCodesPerDay() throws {
        let throttle = SMSThrottle()
        let start = Date()
        let sends = (0..<10).map { start.addingTimeInterval(Double($0) * 3600) }
        let later = start.addingTimeInterval(10 * 3600)
        #expect(throws: SMSError.throttled(retryAfter: start.addingTimeInterval(86_400))) {
            try throttle.check(previousSends: sends, at: later)
        }
        // Once the first send is a day old, one more is allowed.
        try throttle.check(previousSends: sends, at: start.addingTimeInterval(86_401))
    }
}
