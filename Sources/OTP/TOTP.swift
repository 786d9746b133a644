public import Foundation

/// A time-based one-time password generator (RFC 6238): HOTP over the number of periods since T0.
public struct TOTP: Sendable, Hashable {
    /// The underlying HOTP generator.
    public let hotp: HOTP
    /// The time step in seconds (X), 30 by default.
    public let period: Int
    /// The Unix time steps count from (T0), 0 by default.
    public let epoch: Int64

    /// Creates a generator.
    ///
    /// - Throws: ``OTPError`` for digits outside 6...8, a short secret or a period under 1 s.
    public init(secret: [UInt8], digits: Int = 6, algorithm: OTPAlgorithm = .sha1, period: Int = 30, epoch: Int64 = 0)
        throws(OTPError)
    {
        guard period > 0 else { throw .invalidPeriod(period) }
        self.hotp = try HOTP(secret: secret, digits: digits, algorithm: algorithm)
        self.period = period
        self.epoch = epoch
    }

    /// The time step (T) that `date` falls in; 64 bits, so dates past 2038 work. Dates beyond
    /// the 64-bit range (or not finite) are clamped to its ends instead of trapping.
    public func step(at date: Date) -> UInt64 {
        let interval = date.timeIntervalSince1970.rounded(.down)
        let unix: Int64
        if interval.isNaN || interval <= -9.2e18 {
            unix = .min
        } else if interval >= 9.2e18 {
            unix = .max
        } else {
            unix = Int64(interval)
        }
        let (seconds, overflow) = unix.subtractingReportingOverflow(self.epoch)
        if overflow { return self.epoch > 0 ? 0 : UInt64.max / UInt64(self.period) }
        return seconds < 0 ? 0 : UInt64(seconds) / UInt64(self.period)
    }

    /// The code at `date`.
    public func code(at date: Date) -> String {
        self.hotp.code(counter: self.step(at: date))
    }

    /// Checks `code` against the steps within `window` of `date` (±1 by default), comparing in
    /// constant time and checking every candidate. Steps at or before `lastAcceptedStep` never
    /// match: each code is accepted once.
    ///
    /// - Returns: the step that matched, to be stored as the new `lastAcceptedStep`; `nil` when none.
    public func matchingStep(for code: String, at date: Date, window: Int = 1, after lastAcceptedStep: UInt64? = nil)
        -> UInt64?
    {
        let current = self.step(at: date)
        var found: UInt64?
        let width = Int64(max(0, window))
        for offset in -width...width {
            let (candidate, overflow) = Int64(clamping: current).addingReportingOverflow(offset)
            guard !overflow, candidate >= 0 else { continue }
            let step = UInt64(candidate)
            let matches = HOTP.constantTimeEqual(self.hotp.code(counter: step), code)
            if matches, lastAcceptedStep.map({ step > $0 }) ?? true, found == nil {
                found = step
            }
        }
        return found
    }
}
