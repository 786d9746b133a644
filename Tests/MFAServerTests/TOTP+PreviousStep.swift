import Foundation
import OTP

extension TOTP {
    /// A code one step back and the moment it was taken, for an enrollment that leaves the
    /// current step to the sign-in after it.
    ///
    /// The server accepts one step either side of its own, so a code one step back stays valid
    /// only until the current step ends. When less than `room` seconds of it are left, this waits
    /// for the next step, so a test running slowly on a busy machine does not cross a boundary
    /// between taking the code and the server checking it.
    func codeFromThePreviousStep(room: TimeInterval = 10) async throws -> (code: String, now: Date) {
        let period = TimeInterval(self.period)
        let left = period - (Date().timeIntervalSince1970 - TimeInterval(self.epoch)).truncatingRemainder(dividingBy: period)
        if left < room {
            try await Task.sleep(for: .milliseconds(Int((left + 0.05) * 1_000)))
        }
        let now = Date()
        return (self.code(at: now.addingTimeInterval(-period)), now)
    }
}

extension TOTP {
    /// A code that is wrong for every step within three of `date` (a fixed "000000" is right one
    /// time in a million per step).
    func wrongCode(near date: Date = Date()) -> String {
        let step = Int64(clamping: self.step(at: date))
        let near = Set((step - 3...step + 3).map { self.hotp.code(counter: UInt64(clamping: $0)) })
        return (0...9).map { String(repeating: String($0), count: self.hotp.digits) }.first { !near.contains($0) } ?? ""
    }
}
