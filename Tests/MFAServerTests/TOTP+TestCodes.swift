import Foundation
import OTP

extension TOTP {
    /// Codes for an enrollment and for the sign-in after it: this step's code, then the next
    /// step's (an enrolled step cannot sign in again).
    ///
    /// The server accepts one step either side of its own, so the first stays valid for at least
    /// 30 s and the second for at least 60 s from `now`: a test running slowly on a busy machine
    /// does not see them expire (a code from the step before expires when the current step ends,
    /// which may be at once).
    func enrollmentAndNextCodes(at now: Date = Date()) -> (enrollment: String, next: String) {
        (self.code(at: now), self.code(at: now.addingTimeInterval(TimeInterval(self.period))))
    }

    /// A code that is wrong for every step within three of `date` (a fixed "000000" is right one
    /// time in a million per step).
    func wrongCode(near date: Date = Date()) -> String {
        let step = Int64(clamping: self.step(at: date))
        let near = Set((step - 3...step + 3).map { self.hotp.code(counter: UInt64(clamping: $0)) })
        return (0...9).map { String(repeating: String($0), count: self.hotp.digits) }.first { !near.contains($0) } ?? ""
    }
}
