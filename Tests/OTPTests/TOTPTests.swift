import Foundation
import OTP
import Testing

/// RFC 6238: the Appendix B vectors for SHA-1, SHA-256 and SHA-512, and the verifier's window
/// and replay rules.
struct TOTPTests {
    static let seeds: [OTPAlgorithm: [UInt8]] = [
        .sha1: Array("12345678901234567890".utf8),
        .sha256: Array("12345678901234567890123456789012".utf8),
        .sha512: Array("1234567890123456789012345678901234567890123456789012345678901234".utf8),
    ]

    @Test func appendixBVectors() throws {
        let rows = try VectorFile.rows("otp/rfc6238-appendix-b.tsv")
        #expect(rows.count == 6)
        for row in rows {
            let date = Date(timeIntervalSince1970: try #require(Double(row[0])))
            for (column, algorithm) in [(2, OTPAlgorithm.sha1), (3, .sha256), (4, .sha512)] {
                let totp = try TOTP(secret: try #require(Self.seeds[algorithm]), digits: 8, algorithm: algorithm)
                #expect(String(totp.step(at: date), radix: 16, uppercase: true).leftPadded(to: 16) == row[1])
                #expect(totp.code(at: date) == row[column], "\(algorithm) at \(row[0])")
            }
        }
    }

    @Test func aCodeMatchesWithinOneStepEitherWay() throws {
        let totp = try TOTP(secret: try #require(Self.seeds[.sha1]))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let step = totp.step(at: now)
        #expect(totp.matchingStep(for: totp.code(at: now), at: now) == step)
        #expect(totp.matchingStep(for: totp.code(at: now.addingTimeInterval(-30)), at: now) == step - 1)
        #expect(totp.matchingStep(for: totp.code(at: now.addingTimeInterval(30)), at: now) == step + 1)
        #expect(totp.matchingStep(for: totp.code(at: now.addingTimeInterval(-60)), at: now) == nil)
        #expect(totp.matchingStep(for: totp.code(at: now.addingTimeInterval(60)), at: now) == nil)
        #expect(totp.matchingStep(for: totp.code(at: now.addingTimeInterval(-60)), at: now, window: 2) == step - 2)
        #expect(totp.matchingStep(for: "000000x", at: now) == nil)
        #expect(totp.matchingStep(for: "", at: now) == nil)
    }

    @Test func aCodeIsAcceptedOncePerStep() throws {
        let totp = try TOTP(secret: OTPSecret.generate())
        let now = Date()
        let code = totp.code(at: now)
        let accepted = try #require(totp.matchingStep(for: code, at: now))
        // The same code again, or an earlier step's code, after that acceptance: refused.
        #expect(totp.matchingStep(for: code, at: now, after: accepted) == nil)
        #expect(totp.matchingStep(for: totp.code(at: now.addingTimeInterval(-30)), at: now, after: accepted) == nil)
        // The next step's code is still fine.
        #expect(totp.matchingStep(for: totp.code(at: now.addingTimeInterval(30)), at: now, after: accepted) == accepted + 1)
    }

    @Test func periodsAndEpochsAreHonoured() throws {
        let seed = try #require(Self.seeds[.sha1])
        let sixty = try TOTP(secret: seed, period: 60)
        #expect(sixty.step(at: Date(timeIntervalSince1970: 119)) == 1)
        let shifted = try TOTP(secret: seed, period: 30, epoch: 100)
        #expect(shifted.step(at: Date(timeIntervalSince1970: 159)) == 1)
        #expect(shifted.step(at: Date(timeIntervalSince1970: 50)) == 0)
        #expect(throws: OTPError.invalidPeriod(0)) { try TOTP(secret: seed, period: 0) }
    }

    @Test func secretsAreFreshAndLongEnough() {
        let first = OTPSecret.generate()
        #expect(first.count == 20)
        #expect(first != OTPSecret.generate())
        #expect(OTPSecret.generate(byteCount: 4).count == 16)
    }

    /// Times at and beyond the ends of the 64-bit range, and any window, never trap.
    @Test(arguments: [Double(Int64.max), -Double(Int64.max), 1e300, -1e300, .infinity, -.infinity, .nan])
    func extremeTimesAndWindowsAreTotal(_ seconds: Double) throws {
        for period in [1, 30] {
            let totp = try TOTP(secret: Array(repeating: 7, count: 20), period: period)
            let date = Date(timeIntervalSince1970: seconds)
            let code = totp.code(at: date)
            #expect(code.count == 6)
            for window in [-5, 0, 3] {
                _ = totp.matchingStep(for: code, at: date, window: window)
            }
            #expect(totp.matchingStep(for: code, at: date, window: 1) == totp.step(at: date))
        }
    }
}
