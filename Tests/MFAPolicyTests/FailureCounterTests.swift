import MFAPolicy
import Testing

/// At most 100 consecutive failures, then a lock that only an admin or a recovery code lifts;
/// every step is an audit event.
struct FailureCounterTests {
    @Test func theHundredthConsecutiveFailureLocks() throws {
        var counter = FailureCounter()
        for _ in 1...99 { #expect(counter.recordFailure(.otp) == [.failed(.otp)]) }
        try counter.checkAllowed(.otp)
        #expect(counter.recordFailure(.otp) == [.failed(.otp), .locked(.otp)])
        #expect(counter.isLocked)
        #expect(throws: PolicyError.locked(.otp)) { try counter.checkAllowed(.otp) }
        // Further failures while locked are still audited but change nothing.
        #expect(counter.recordFailure(.otp) == [.failed(.otp)])
        #expect(counter.consecutiveFailures == 100)
    }

    @Test func aSuccessStartsTheCountAgain() {
        var counter = FailureCounter()
        for _ in 1...99 { _ = counter.recordFailure(.sms) }
        #expect(counter.recordSuccess(.sms) == [.succeeded(.sms)])
        #expect(counter.consecutiveFailures == 0)
        for _ in 1...99 { _ = counter.recordFailure(.sms) }
        #expect(!counter.isLocked)
    }

    @Test func anAdminOrARecoveryCodeUnlocks() throws {
        for unlocker in [AuditEvent.Unlocker.admin, .recoveryCode] {
            var counter = FailureCounter(limit: 3)
            for _ in 1...3 { _ = counter.recordFailure(.push) }
            #expect(counter.isLocked)
            #expect(counter.unlock(.push, by: unlocker) == [.unlocked(.push, by: unlocker)])
            try counter.checkAllowed(.push)
            #expect(counter.consecutiveFailures == 0)
            #expect(counter.unlock(.push, by: unlocker) == [])
        }
    }

    @Test func theLimitNeverExceeds100() {
        #expect(FailureCounter(limit: 1000).limit == 100)
        #expect(FailureCounter(limit: 0).limit == 1)
        #expect(AuditEvent.unlocked(.otp, by: .admin).name == "unlocked")
    }
}
