import Foundation
import MFAFactors
import MFAPolicy
import MFAStore
import MFAStoreTestSupport
import SoftwareWebAuthn
import Testing
import WebAuthn

/// Security keys and platform authenticators through the store, on both stores: challenges used
/// once, credentials bound to their member, counters moved by compare-and-swap.
struct WebAuthnFactorServiceTests {
    static let origin = "https://dashboard.example.com"

    static func service(_ store: any RecordStore) -> WebAuthnFactorService {
        WebAuthnFactorService(
            store: store,
            relyingParty: RelyingParty(id: "dashboard.example.com", origins: [origin]),
            relyingPartyName: "FIDOKit Dashboard"
        )
    }

    /// Enrolls `key` for `member`.
    static func enroll(
        _ key: SoftwareSecurityKey,
        member: String,
        kind: FactorKind = .securityKey,
        service: WebAuthnFactorService
    ) async throws -> WebAuthnFactorService.Credential {
        let (id, options) = try await service.beginRegistration(
            memberID: member,
            userName: "\(member)@example.com",
            displayName: member,
            kind: kind
        )
        return try await service.finishRegistration(
            ceremonyID: id,
            memberID: member,
            response: try key.register(options, origin: origin),
            name: "Key"
        )
    }

    @Test(arguments: StoreKind.allCases)
    func aSecurityKeyEnrollsAndSignsIn(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let key = SoftwareSecurityKey()
        let credential = try await Self.enroll(key, member: "ada", service: service)
        #expect(credential.kind == .securityKey)
        #expect(try await service.credentials(of: "ada").map(\.record.id) == key.credentialIDs)

        let (id, options) = try await service.beginAuthentication(memberID: "ada")
        #expect(options.allowCredentials.map(\.id.bytes) == key.credentialIDs)
        let (verified, kind) = try await service.finishAuthentication(
            ceremonyID: id,
            memberID: "ada",
            response: try key.authenticate(options, origin: Self.origin)
        )
        #expect(kind == .securityKey && verified.newSignCount == 1)
        #expect(try await service.credentials(of: "ada").first?.record.signCount == 1)
        #expect(try await service.credentials(of: "ada").first?.lastUsedAt != nil)

        // The same key cannot be enrolled twice (excluded), nor its credential stored twice.
        let (_, again) = try await service.beginRegistration(
            memberID: "ada",
            userName: "ada",
            displayName: "Ada",
            kind: .securityKey
        )
        #expect(again.excludeCredentials.map(\.id.bytes) == key.credentialIDs)
        #expect(throws: SoftwareSecurityKey.Failure.alreadyRegistered) { try key.register(again, origin: Self.origin) }
    }

    @Test(arguments: StoreKind.allCases)
    func aPlatformAuthenticatorMustVerifyTheUser(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        await #expect(throws: WebAuthnError(.userVerificationMissing, "")) {
            try await Self.enroll(SoftwareSecurityKey(), member: "ada", kind: .platformAuthenticator, service: service)
        }
        let biometric = try await Self.enroll(
            SoftwareSecurityKey(verifiesUser: true),
            member: "ada",
            kind: .platformAuthenticator,
            service: service
        )
        #expect(biometric.kind == .platformAuthenticator && biometric.record.uvInitialized)
        #expect(try await service.credentials(of: "ada").count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func aChallengeIsConsumedOnceEvenUnderConcurrency(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let key = SoftwareSecurityKey()
        _ = try await Self.enroll(key, member: "ada", service: service)
        let (id, options) = try await service.beginAuthentication(memberID: "ada")
        let response = try key.authenticate(options, origin: Self.origin)
        let wins = await race {
            (try? await service.finishAuthentication(ceremonyID: id, memberID: "ada", response: response)) != nil
        }
        #expect(wins == 1)
        await #expect(throws: FactorError.ceremonyUsed) {
            try await service.finishAuthentication(ceremonyID: id, memberID: "ada", response: response)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedSignInBurnsItsChallenge(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let key = SoftwareSecurityKey()
        _ = try await Self.enroll(key, member: "ada", service: service)
        let (id, options) = try await service.beginAuthentication(memberID: "ada")
        var response = try key.authenticate(options, origin: Self.origin)
        let good = response
        response.response.signature.bytes[8] ^= 1
        await #expect(throws: WebAuthnError(.signatureInvalid, "")) {
            try await service.finishAuthentication(ceremonyID: id, memberID: "ada", response: response)
        }
        await #expect(throws: FactorError.ceremonyUsed) {
            try await service.finishAuthentication(ceremonyID: id, memberID: "ada", response: good)
        }
    }

    /// The user handle is outside the signature: one that is returned must be the member's;
    /// none at all is fine for a listed credential.
    @Test(arguments: StoreKind.allCases)
    func aReturnedUserHandleMustBeTheMembersAndNoneIsFine(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let key = SoftwareSecurityKey()
        _ = try await Self.enroll(key, member: "ada", service: service)
        var (id, options) = try await service.beginAuthentication(memberID: "ada")
        var response = try key.authenticate(options, origin: Self.origin)
        #expect(response.response.userHandle?.bytes == (try await service.userHandle(for: "ada")))
        response.response.userHandle = Base64URLBytes(Challenge.random())
        await #expect(throws: WebAuthnError(.userHandleMismatch, "")) {
            try await service.finishAuthentication(ceremonyID: id, memberID: "ada", response: response)
        }
        (id, options) = try await service.beginAuthentication(memberID: "ada")
        response = try key.authenticate(options, origin: Self.origin)
        response.response.userHandle = nil
        let (verified, _) = try await service.finishAuthentication(ceremonyID: id, memberID: "ada", response: response)
        #expect(verified.credentialID == key.credentialIDs.first)
    }

    @Test(arguments: StoreKind.allCases)
    func ceremoniesAndCredentialsBelongToTheirMember(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let adaKey = SoftwareSecurityKey()
        let bobKey = SoftwareSecurityKey()
        let ada = try await Self.enroll(adaKey, member: "ada", service: service)
        _ = try await Self.enroll(bobKey, member: "bob", service: service)

        // Ada's ceremony cannot be finished as Bob.
        let (adaCeremony, adaOptions) = try await service.beginAuthentication(memberID: "ada")
        let adaResponse = try adaKey.authenticate(adaOptions, origin: Self.origin)
        await #expect(throws: FactorError.ceremonyNotFound) {
            try await service.finishAuthentication(ceremonyID: adaCeremony, memberID: "bob", response: adaResponse)
        }
        // Ada cannot sign in with Bob's key.
        let (ceremony, options) = try await service.beginAuthentication(memberID: "ada")
        var forged = options
        forged.allowCredentials = []
        await #expect(throws: FactorError.factorNotFound) {
            try await service.finishAuthentication(
                ceremonyID: ceremony,
                memberID: "ada",
                response: try bobKey.authenticate(forged, origin: Self.origin)
            )
        }
        // A registration challenge does not sign in; an unknown one is not found.
        let (registration, _) = try await service.beginRegistration(
            memberID: "ada",
            userName: "ada",
            displayName: "Ada",
            kind: .securityKey
        )
        await #expect(throws: FactorError.ceremonyPurposeMismatch) {
            try await service.finishAuthentication(ceremonyID: registration, memberID: "ada", response: adaResponse)
        }
        await #expect(throws: FactorError.ceremonyNotFound) {
            try await service.finishAuthentication(ceremonyID: "nope", memberID: "ada", response: adaResponse)
        }
        // Bob cannot remove Ada's key; Ada can.
        await #expect(throws: FactorError.factorNotFound) {
            try await service.remove(credentialID: ada.record.id, memberID: "bob")
        }
        try await service.remove(credentialID: ada.record.id, memberID: "ada")
        #expect(try await service.credentials(of: "ada").isEmpty)
        #expect(try await service.credentials(of: "bob").count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func anExpiredChallengeIsRefused(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let key = SoftwareSecurityKey()
        _ = try await Self.enroll(key, member: "ada", service: service)
        let start = storableNow()
        let (id, options) = try await service.beginAuthentication(memberID: "ada", at: start)
        await #expect(throws: FactorError.ceremonyExpired) {
            try await service.finishAuthentication(
                ceremonyID: id,
                memberID: "ada",
                response: try key.authenticate(options, origin: Self.origin),
                at: start.addingTimeInterval(WebAuthnFactorService.ceremonyLifetime)
            )
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentSignInsMoveTheCounterOnlyForward(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let key = SoftwareSecurityKey()
        _ = try await Self.enroll(key, member: "ada", service: service)
        // As many ceremonies as a member may have open, answered in order (counters 1...n),
        // finished all at once.
        let count = WebAuthnFactorService.challengesPerMember
        var answers: [(String, AuthenticationResponseJSON)] = []
        for _ in 0..<count {
            let (id, options) = try await service.beginAuthentication(memberID: "ada")
            answers.append((id, try key.authenticate(options, origin: Self.origin)))
        }
        let results = await withTaskGroup(of: Result<UInt32, any Error>.self) { group in
            for (id, response) in answers {
                group.addTask {
                    do {
                        return .success(
                            try await service.finishAuthentication(ceremonyID: id, memberID: "ada", response: response)
                                .verified.newSignCount
                        )
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<UInt32, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
        let accepted = results.compactMap { try? $0.get() }
        #expect(!accepted.isEmpty)
        #expect(Set(accepted).count == accepted.count)
        for case .failure(let error) in results {
            #expect((error as? WebAuthnError)?.code == .signCountRegression)
        }
        // Nothing is above n, so its answer always wins, and the stored counter is n.
        #expect(accepted.contains(UInt32(count)))
        #expect(try await service.credentials(of: "ada").first?.record.signCount == UInt32(count))
    }

    /// Options asked for in a loop keep at most ``WebAuthnFactorService/challengesPerMember``
    /// challenges per member: the oldest ceremonies are dropped, the newest still finish.
    @Test(arguments: StoreKind.allCases)
    func openCeremoniesAreCappedPerMember(_ storeKind: StoreKind) async throws {
        let (store, cleanUp) = try await storeKind.make()
        defer { cleanUp() }
        let service = Self.service(store)
        let key = SoftwareSecurityKey()
        _ = try await Self.enroll(key, member: "ada", service: service)
        var ceremonies: [(String, PublicKeyCredentialRequestOptionsJSON)] = []
        for _ in 0..<(WebAuthnFactorService.challengesPerMember + 3) {
            ceremonies.append(try await service.beginAuthentication(memberID: "ada"))
        }
        _ = try await service.beginRegistration(
            memberID: "ada",
            userName: "ada@example.com",
            displayName: "ada",
            kind: .securityKey
        )
        let open = try await store.list(WebAuthnFactorService.PendingChallenge.self, owner: "ada")
        #expect(open.count == WebAuthnFactorService.challengesPerMember)
        let (oldID, oldOptions) = try #require(ceremonies.first)
        await #expect(throws: FactorError.ceremonyNotFound) {
            try await service.finishAuthentication(
                ceremonyID: oldID,
                memberID: "ada",
                response: try key.authenticate(oldOptions, origin: Self.origin)
            )
        }
        let (newID, newOptions) = try #require(ceremonies.last)
        _ = try await service.finishAuthentication(
            ceremonyID: newID,
            memberID: "ada",
            response: try key.authenticate(newOptions, origin: Self.origin)
        )
        // Another member's ceremonies are theirs to count.
        _ = try await service.beginRegistration(memberID: "bob", userName: "b", displayName: "b", kind: .securityKey)
        #expect(try await store.list(WebAuthnFactorService.PendingChallenge.self, owner: "bob").count == 1)
    }
}
