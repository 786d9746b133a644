import Foundation
import SMS
import Testing

/// SMS codes: six digits from the CSPRNG, kept hashed, five minutes, once, five wrong tries.
struct SMSChallengeTests {
    static let phone = try! PhoneNumber("+46701234567")

    @Test func codesAreSixDigitsAndOnlyTheirHashIsKept() {
        let (challenge, code) = SMSChallenge.issue(to: Self.phone)
        #expect(code.count == 6 && code.allSatisfy(\.isNumber))
        #expect(challenge.codeHash.count == 32)
        let encoded = String(decoding: (try? JSONEncoder().encode(challenge)) ?? Data(), as: UTF8.self)
        #expect(!encoded.contains(code))
        let codes = Set((0..<300).map { _ in SMSChallenge.issue(to: Self.phone).code })
        #expect(codes.count > 290)
    }

    @Test func theRightCodeIsAcceptedOnce() {
        let now = Date()
        let (challenge, code) = SMSChallenge.issue(to: Self.phone, at: now)
        let (first, consumed) = challenge.verify(code, at: now.addingTimeInterval(10))
        #expect(first == .accepted)
        #expect(consumed.consumed)
        #expect(consumed.verify(code, at: now.addingTimeInterval(11)).0 == .alreadyUsed)
    }

    @Test func codesExpireAfterFiveMinutes() {
        let now = Date()
        let (challenge, code) = SMSChallenge.issue(to: Self.phone, at: now)
        #expect(challenge.verify(code, at: now.addingTimeInterval(299)).0 == .accepted)
        #expect(challenge.verify(code, at: now.addingTimeInterval(300)).0 == .expired)
    }

    @Test func fiveWrongTriesKillTheCode() {
        let now = Date()
        var (challenge, code) = SMSChallenge.issue(to: Self.phone, at: now)
        let wrong = code == "000000" ? "000001" : "000000"
        for left in stride(from: 4, through: 1, by: -1) {
            let (outcome, next) = challenge.verify(wrong, at: now)
            #expect(outcome == .wrongCode(attemptsLeft: left))
            challenge = next
        }
        let (fifth, dead) = challenge.verify(wrong, at: now)
        #expect(fifth == .tooManyAttempts)
        // Even the right code no longer works.
        #expect(dead.verify(code, at: now).0 == .tooManyAttempts)
        code = ""
    }
}
