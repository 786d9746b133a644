import Foundation
import MFAFactors
import MFAStore
import MFAStoreTestSupport
import SMS
import Testing

/// SMS factors through the store, on both stores: enrollment by a code that came back, codes
/// accepted once, resend limits that hold under concurrent requests, delivery failures reported.
struct SMSFactorServiceTests {
    static let phone = try! PhoneNumber("+44 7700 900123")

    /// A provider that fails every send.
    struct BrokenProvider: SMSProvider {
        func send(_ message: SMSMessage) async throws(SMSError) { throw .deliveryFailed("gateway down") }
    }

    /// A service writing to a fresh outbox file, and that file.
    static func service(_ store: any RecordStore, throttle: SMSThrottle = SMSThrottle()) -> (SMSFactorService, URL) {
        let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("sms-\(UUID().uuidString).jsonl")
        return (
            SMSFactorService(
                store: store,
                provider: FileSMSProvider(path: outbox),
                throttle: throttle,
                issuer: "FIDOKit",
                host: "dashboard.example.com"
            ), outbox
        )
    }

    /// The codes in the outbox, in order.
    static func codes(in outbox: URL) throws -> [String] {
        try String(contentsOf: outbox, encoding: .utf8).split(separator: "\n").map { line in
            let message = try JSONDecoder().decode(SMSMessage.self, from: Data(line.utf8))
            return String(message.body.prefix(6))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNumberIsEnrolledByTheCodeSentToIt(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        let (service, outbox) = Self.service(store)
        defer { cleanUp(); try? FileManager.default.removeItem(at: outbox) }
        let now = storableNow()
        let sent = try await service.begin(memberID: "ada", phone: Self.phone, at: now)
        #expect(sent.maskedPhone.hasSuffix("23") && !sent.maskedPhone.contains("7700"))
        let code = try #require(try Self.codes(in: outbox).last)
        #expect(code.allSatisfy(\.isNumber) && code.count == 6)
        // Not a sign-in factor until confirmed.
        await #expect(throws: FactorError.factorNotConfirmed) {
            try await service.sendCode(factorID: sent.factorID, memberID: "ada", at: now.addingTimeInterval(60))
        }
        let wrong = code == "000000" ? "111111" : "000000"
        #expect(try await service.verify(codeID: sent.codeID, memberID: "ada", code: wrong, at: now) == .wrongCode(attemptsLeft: 4))
        // Until then it is a pending enrollment, not a factor.
        #expect(try await service.factors(of: "ada").isEmpty)
        #expect(try await service.pendingEnrollments(of: "ada").map(\.id) == [sent.factorID])
        #expect(try await service.verify(codeID: sent.codeID, memberID: "ada", code: code, at: now) == .accepted)
        #expect(try await service.pendingEnrollments(of: "ada").isEmpty)
        #expect(try await service.factors(of: "ada").first?.factor.confirmed == true)
        #expect(try await service.verify(codeID: sent.codeID, memberID: "ada", code: code, at: now) == .alreadyUsed)
        // The stored code is a hash: the digits appear nowhere in the record.
        let stored = try #require(try await store.get(kind: SMSFactorService.PendingCode.recordKind, id: sent.codeID))
        #expect(!String(decoding: stored.data, as: UTF8.self).contains(code))

        // A sign-in code, sent after the resend interval.
        let later = now.addingTimeInterval(31)
        let signIn = try await service.sendCode(factorID: sent.factorID, memberID: "ada", at: later)
        let signInCode = try #require(try Self.codes(in: outbox).last)
        await #expect(throws: FactorError.ceremonyNotFound) {
            try await service.verify(codeID: signIn.codeID, memberID: "bob", code: signInCode, at: later)
        }
        #expect(try await service.verify(codeID: signIn.codeID, memberID: "ada", code: signInCode, at: later.addingTimeInterval(301)) == .expired)
    }

    @Test(arguments: StoreKind.allCases)
    func resendLimitsHoldPerNumberAndUnderConcurrency(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        // The member's own limits (five an hour by default) are raised: this is about the number's.
        let (service, outbox) = Self.service(store, throttle: SMSThrottle(memberHourlyLimit: 20, memberDailyLimit: 20))
        defer { cleanUp(); try? FileManager.default.removeItem(at: outbox) }
        let now = storableNow()
        let sent = try await service.begin(memberID: "ada", phone: Self.phone, at: now)
        _ = try await service.verify(codeID: sent.codeID, memberID: "ada", code: try Self.codes(in: outbox)[0], at: now)
        // Within 30 s: refused, with the time to retry.
        await #expect(throws: SMSError.throttled(retryAfter: now.addingTimeInterval(30))) {
            try await service.sendCode(factorID: sent.factorID, memberID: "ada", at: now.addingTimeInterval(10))
        }
        // Another member enrolling the same number shares its limits.
        await #expect(throws: SMSError.throttled(retryAfter: now.addingTimeInterval(30))) {
            try await service.begin(memberID: "bob", phone: Self.phone, at: now.addingTimeInterval(5))
        }
        // Many requests at the same instant: exactly one is sent.
        let at = now.addingTimeInterval(40)
        let wins = await race(16) {
            (try? await service.sendCode(factorID: sent.factorID, memberID: "ada", at: at)) != nil
        }
        #expect(wins == 1)
        // Ten per rolling day: eight more spaced sends pass (ten in all), the eleventh waits a day
        // from the first.
        for index in 1...8 {
            _ = try await service.sendCode(factorID: sent.factorID, memberID: "ada", at: at.addingTimeInterval(Double(index) * 60))
        }
        await #expect(throws: SMSError.throttled(retryAfter: now.addingTimeInterval(86_400))) {
            try await service.sendCode(factorID: sent.factorID, memberID: "ada", at: at.addingTimeInterval(3_600))
        }
        #expect(try Self.codes(in: outbox).count == 10)
    }

    @Test(arguments: StoreKind.allCases)
    func aCodeIsAcceptedOnceUnderConcurrencyAndDiesAfterFiveWrongTries(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        let (service, outbox) = Self.service(store)
        defer { cleanUp(); try? FileManager.default.removeItem(at: outbox) }
        let now = storableNow()
        let sent = try await service.begin(memberID: "ada", phone: Self.phone, at: now)
        let code = try Self.codes(in: outbox)[0]
        let wins = await race {
            (try? await service.verify(codeID: sent.codeID, memberID: "ada", code: code, at: now)) == .accepted
        }
        #expect(wins == 1)

        let next = try await service.sendCode(factorID: sent.factorID, memberID: "ada", at: now.addingTimeInterval(30))
        let nextCode = try Self.codes(in: outbox)[1]
        let wrong = nextCode == "000000" ? "111111" : "000000"
        // Concurrent wrong guesses are each counted: never more than five.
        let results = await withTaskGroup(of: SMSChallenge.Verification?.self) { group in
            for _ in 0..<12 {
                group.addTask { try? await service.verify(codeID: next.codeID, memberID: "ada", code: wrong, at: now) }
            }
            var results: [SMSChallenge.Verification] = []
            for await result in group { if let result { results.append(result) } }
            return results
        }
        #expect(results.filter { if case .wrongCode = $0 { true } else { false } }.count == 4)
        #expect(results.filter { $0 == .tooManyAttempts }.count == 8)
        #expect(try await service.verify(codeID: next.codeID, memberID: "ada", code: nextCode, at: now) == .tooManyAttempts)
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedDeliveryIsReportedAndLeavesNoUsableCode(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = SMSFactorService(store: store, provider: BrokenProvider(), issuer: "FIDOKit")
        await #expect(throws: SMSError.deliveryFailed("gateway down")) {
            try await service.begin(memberID: "ada", phone: Self.phone)
        }
        #expect(try await store.list(kind: SMSFactorService.PendingCode.recordKind, owner: "ada").isEmpty)
        // The enrollment is not kept either.
        #expect(try await service.factors(of: "ada").isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func onlyTheOwnerRemovesANumber(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        let (service, outbox) = Self.service(store)
        defer { cleanUp(); try? FileManager.default.removeItem(at: outbox) }
        let sent = try await service.begin(memberID: "ada", phone: Self.phone)
        await #expect(throws: FactorError.factorNotFound) { try await service.remove(factorID: sent.factorID, memberID: "bob") }
        #expect(try await service.pendingEnrollments(of: "ada").count == 1)
        try await service.remove(factorID: sent.factorID, memberID: "ada")
        #expect(try await service.pendingEnrollments(of: "ada").isEmpty)
    }

    /// The same for a confirmed number: another member's removal finds nothing and keeps it.
    @Test(arguments: StoreKind.allCases)
    func onlyTheOwnerRemovesAConfirmedNumber(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        let (service, outbox) = Self.service(store)
        defer { cleanUp(); try? FileManager.default.removeItem(at: outbox) }
        let now = storableNow()
        let sent = try await service.begin(memberID: "ada", phone: Self.phone, at: now)
        let code = try #require(try Self.codes(in: outbox).last)
        #expect(try await service.verify(codeID: sent.codeID, memberID: "ada", code: code, at: now) == .accepted)
        await #expect(throws: FactorError.factorNotFound) { try await service.remove(factorID: sent.factorID, memberID: "bob") }
        #expect(try await service.factors(of: "ada").count == 1)
        try await service.remove(factorID: sent.factorID, memberID: "ada")
        #expect(try await service.factors(of: "ada").isEmpty)
    }
}

/// Sends capped per member and per tenant across numbers (SMS pumping, toll fraud).
struct SMSSendCapTests {
    @Test(arguments: [StoreKind.sqlite, .postgres])
    func aTenantsMembersShareItsCapAndAMembersNumbersShareTheirs(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        let (service, outbox) = SMSFactorServiceTests.service(
            store,
            throttle: SMSThrottle(memberHourlyLimit: 2, memberDailyLimit: 3, tenantHourlyLimit: 5, tenantDailyLimit: 6)
        )
        defer { cleanUp(); try? FileManager.default.removeItem(at: outbox) }
        let now = storableNow()
        func phone(_ index: Int) throws -> PhoneNumber { try PhoneNumber("+4477009003\(10 + index)") }
        // One member, different numbers: two an hour.
        _ = try await service.begin(memberID: "ada", tenantID: "t", phone: try phone(0), at: now)
        _ = try await service.begin(memberID: "ada", tenantID: "t", phone: try phone(1), at: now)
        await #expect(throws: SMSError.memberLimit(retryAfter: now.addingTimeInterval(3_600))) {
            try await service.begin(memberID: "ada", tenantID: "t", phone: try phone(2), at: now)
        }
        // A refused send counted nowhere: the number is free for another member.
        _ = try await service.begin(memberID: "bob", tenantID: "t", phone: try phone(2), at: now)
        // The tenant: five an hour across members, in parallel.
        let wins = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    guard let number = try? PhoneNumber("+4477009003\(20 + index)") else { return false }
                    return (try? await service.begin(memberID: "m\(index)", tenantID: "t", phone: number, at: now)) != nil
                }
            }
            var wins = 0
            for await won in group where won { wins += 1 }
            return wins
        }
        #expect(wins == 2)
        await #expect(throws: SMSError.tenantLimit(retryAfter: now.addingTimeInterval(3_600))) {
            try await service.begin(memberID: "carol", tenantID: "t", phone: try phone(30), at: now)
        }
        #expect(try SMSFactorServiceTests.codes(in: outbox).count == 5)
        // Another tenant is not affected.
        _ = try await service.begin(memberID: "dan", tenantID: "u", phone: try phone(31), at: now)
    }

    @Test(arguments: [StoreKind.sqlite, .postgres])
    func parallelEnrollmentsKeepAtMostTheLimitPending(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        let (service, outbox) = SMSFactorServiceTests.service(
            store,
            throttle: SMSThrottle(memberHourlyLimit: 20, memberDailyLimit: 20)
        )
        defer { cleanUp(); try? FileManager.default.removeItem(at: outbox) }
        let now = storableNow()
        let started = await withTaskGroup(of: (String, SMSFactorService.Sent)?.self) { group in
            for index in 0..<10 {
                group.addTask {
                    guard let number = try? PhoneNumber("+4477009004\(10 + index)"),
                        let sent = try? await service.begin(memberID: "ada", tenantID: "t", phone: number, at: now)
                    else { return nil }
                    return (number.e164, sent)
                }
            }
            var started: [(String, SMSFactorService.Sent)] = []
            for await result in group { if let result { started.append(result) } }
            return started
        }
        #expect(started.count == 10)
        let pending = try await service.pendingEnrollments(of: "ada")
        #expect(pending.count == SMSThrottle().pendingEnrollmentsPerMember)
        // A replaced enrollment cannot be confirmed, even with its right code.
        var codes: [String: String] = [:]
        for line in try String(contentsOf: outbox, encoding: .utf8).split(separator: "\n") {
            let message = try JSONDecoder().decode(SMSMessage.self, from: Data(line.utf8))
            codes[message.to.e164] = String(message.body.prefix(6))
        }
        var confirmed = 0
        for (number, sent) in started {
            let code = try #require(codes[number])
            if (try? await service.verify(codeID: sent.codeID, memberID: "ada", code: code, at: now)) == .accepted {
                confirmed += 1
            }
        }
        #expect(confirmed == SMSThrottle().pendingEnrollmentsPerMember)
        #expect(try await service.factors(of: "ada").count == confirmed)
    }
}
