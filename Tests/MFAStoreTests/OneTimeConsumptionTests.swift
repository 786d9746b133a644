import Crypto
import Foundation
import MFAStore
import MFAStoreTestSupport
import OTP
import Push
import RecoveryCode
import SMS
import Testing

/// The same one-time value fired from many concurrent tasks against each store: exactly
/// one succeeds — a WebAuthn challenge, an OTP step, an SMS code, a push answer, a recovery
/// code — and a signature counter only moves forward.
struct OneTimeConsumptionTests {
    static let contenders = 32

    @Test(arguments: StoreKind.allCases)
    func aWebAuthnChallengeIsConsumedOnce(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(ChallengeRecord(challenge: Array(repeating: 7, count: 32), consumed: false), id: "ch", owner: "ada")
        let wins = await race {
            (try? await store.modify(ChallengeRecord.self, id: "ch") { record -> Bool in
                guard !record.consumed else { return false }
                record.consumed = true
                return true
            }) ?? false
        }
        #expect(wins == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func anOTPCodeIsAcceptedOncePerStep(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let secret = OTPSecret.generate()
        try await store.insert(OTPFactorState(secret: secret, lastAcceptedStep: nil), id: "otp", owner: "ada")
        let now = Date()
        let code = try TOTP(secret: secret).code(at: now)
        let wins = await race {
            (try? await store.modify(OTPFactorState.self, id: "otp") { state -> Bool in
                guard let totp = try? TOTP(secret: state.secret),
                    let step = totp.matchingStep(for: code, at: now, after: state.lastAcceptedStep)
                else { return false }
                state.lastAcceptedStep = step
                return true
            }) ?? false
        }
        #expect(wins == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func anSMSCodeIsAcceptedOnce(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let (challenge, code) = SMSChallenge.issue(to: try PhoneNumber("+46701234567"))
        try await store.insert(challenge, id: challenge.id, owner: "ada")
        let wins = await race {
            (try? await store.modify(SMSChallenge.self, id: challenge.id) { record -> Bool in
                let (outcome, next) = record.verify(code)
                record = next
                return outcome == .accepted
            }) ?? false
        }
        #expect(wins == 1)
        #expect(try await store.get(SMSChallenge.self, id: challenge.id)?.consumed == true)
    }

    @Test(arguments: StoreKind.allCases)
    func wrongSMSCodesCountEveryTryUnderConcurrency(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let (challenge, code) = SMSChallenge.issue(to: try PhoneNumber("+46701234567"))
        try await store.insert(challenge, id: challenge.id, owner: "ada")
        let wrong = code == "000000" ? "000001" : "000000"
        // Four wrong tries at once (one fewer than the limit): none may be lost.
        _ = await race(4) {
            _ = try? await store.modify(SMSChallenge.self, id: challenge.id) { record -> Bool in
                let (_, next) = record.verify(wrong)
                record = next
                return false
            }
            return false
        }
        let stored = try #require(try await store.get(SMSChallenge.self, id: challenge.id))
        #expect(stored.failedAttempts == 4)
        // The fifth wrong try kills the code; the right one is then refused too.
        let (fifth, dead) = stored.verify(wrong)
        #expect(fifth == .tooManyAttempts)
        #expect(dead.verify(code).0 == .tooManyAttempts)
    }

    @Test(arguments: StoreKind.allCases)
    func aPushAnswerResolvesOnce(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let phoneKey = P256.Signing.PrivateKey()
        let (ticket, secret) = PushEnrollmentTicket.issue(for: "ada")
        let device = try ticket.register(secret: secret, publicKey: Array(phoneKey.publicKey.x963Representation), pushToken: "t", name: "Pixel").device
        let now = Date()  // one moment: the race must not outlast the transaction's 60 s on a loaded machine
        let transaction = PushTransaction.start(for: device, context: .init(browser: "b", ipAddress: "192.0.2.1", time: now), at: now)
        try await store.insert(transaction, id: transaction.id, owner: "ada")
        let signature = Array(
            try phoneKey.signature(for: PushTransaction.statement(transactionID: transaction.id, approve: true, typedNumber: transaction.number))
                .derRepresentation
        )
        let wins = await race {
            (try? await store.modify(PushTransaction.self, id: transaction.id) { record -> Bool in
                let (next, outcome) = try record.resolve(
                    approve: true,
                    typedNumber: transaction.number,
                    signature: signature,
                    device: device,
                    at: now
                )
                record = next
                return outcome == .approved
            }) ?? false
        }
        #expect(wins == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func aRecoveryCodeIsUsedOnce(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let code = RecoveryCode.generate()
        try await store.insert(
            RecoveryCodeRecord(hash: try SlowHash(hashing: code.symbols, parameters: .testing).description, used: false),
            id: "rc-ada",
            owner: "ada"
        )
        let wins = await race {
            (try? await store.modify(RecoveryCodeRecord.self, id: "rc-ada") { record -> Bool in
                guard !record.used, SlowHash(stored: record.hash)?.matches(code.symbols) == true else { return false }
                record.used = true
                return true
            }) ?? false
        }
        #expect(wins == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func aSignatureCounterOnlyMovesForward(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(CounterRecord(signCount: 0), id: "cred", owner: "ada")
        // Assertions with counters 1...32 arrive in any order; each is accepted only if it is
        // higher than what is stored at the moment it is written.
        let accepted = await withTaskGroup(of: UInt32?.self) { group in
            for counter in 1...UInt32(Self.contenders) {
                group.addTask {
                    let ok =
                        (try? await store.modify(CounterRecord.self, id: "cred") { record -> Bool in
                            guard counter > record.signCount else { return false }
                            record.signCount = counter
                            return true
                        }) ?? false
                    return ok ? counter : nil
                }
            }
            var values: [UInt32] = []
            for await value in group { if let value { values.append(value) } }
            return values
        }
        #expect(try await store.get(CounterRecord.self, id: "cred")?.signCount == UInt32(Self.contenders))
        #expect(accepted.contains(UInt32(Self.contenders)))
    }
}
