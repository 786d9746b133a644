import CBOR
import FIDO2
import FIDO2Testing
import FIDO2WebAuthn
import Synchronization
import Testing
import WebAuthn

/// Enrol and sign in through libfido2 against the software authenticator, with the WebAuthn
/// verifier as the relying party: no glue code between the driver and the verifier.
struct EndToEndTests {
    @Test(arguments: [COSEAlgorithm.es256, .edDSA])
    func enrollThenAssertVerifies(_ algorithm: COSEAlgorithm) async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        let challenge = Challenge.random()
        let clientData = RelyingPartyFixture.clientDataJSON(type: "webauthn.create", challenge: challenge)
        let touched = Mutex(0)
        let made = try await key.device.makeCredential(
            MakeCredentialRequest(
                relyingPartyID: RelyingPartyFixture.id,
                userID: [1, 2, 3],
                userName: "ada",
                clientDataHash: RelyingPartyFixture.hash(clientData),
                algorithm: algorithm
            ),
            touch: { touched.withLock { $0 += 1 } }
        )
        #expect(touched.withLock { $0 } == 1)
        #expect(made.format == "packed")

        // The verifier accepts the packed attestation against the rig's root.
        let policy = RegistrationPolicy(
            relyingParty: RelyingPartyFixture.relyingParty,
            trustAnchors: [key.authenticator.attestationRoot],
            requireTrustedAttestation: true
        )
        let registration = try await RegistrationVerifier(policy: policy).verify(
            made.registrationResponse(clientDataJSON: clientData),
            challenge: challenge
        )
        #expect(registration.attestation.trusted)
        #expect(registration.attestation.type == .basic)
        #expect(registration.credential.id == made.credentialID)
        #expect(registration.publicKey.algorithm == algorithm)

        // Sign in twice; the counter goes up each time and the verifier accepts both.
        var stored = registration.credential
        for _ in 0..<2 {
            let signInChallenge = Challenge.random()
            let signInData = RelyingPartyFixture.clientDataJSON(type: "webauthn.get", challenge: signInChallenge)
            let assertions = try await key.device.getAssertions(
                GetAssertionRequest(
                    relyingPartyID: RelyingPartyFixture.id,
                    clientDataHash: RelyingPartyFixture.hash(signInData),
                    allowCredentials: [made.credentialID]
                )
            )
            let assertion = try #require(assertions.first)
            let verified = try AuthenticationVerifier(policy: AuthenticationPolicy(relyingParty: RelyingPartyFixture.relyingParty))
                .verify(
                    assertion.authenticationResponse(clientDataJSON: signInData),
                    expecting: try AuthenticationExpectation(challenge: signInChallenge, credential: stored)
                )
            #expect(verified.newSignCount > stored.signCount)
            stored.signCount = verified.newSignCount
        }
    }

    @Test func excludeListHitSaysAlreadyRegistered() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        let request = MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [7], clientDataHash: Array(repeating: 1, count: 32))
        let first = try await key.device.makeCredential(request)
        var again = request
        again.excludeCredentials = [first.credentialID]
        let error = await #expect(throws: FIDO2Error.self) { try await key.device.makeCredential(again) }
        #expect(error?.code == .credentialExcluded)
        #expect(error?.message == "This key is already registered.")
    }

    @Test func discoverableCredentialsComeBackTogether() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        for user in [[1], [2], [3]] as [[UInt8]] {
            _ = try await key.device.makeCredential(
                MakeCredentialRequest(
                    relyingPartyID: RelyingPartyFixture.id,
                    userID: user,
                    clientDataHash: Array(repeating: 2, count: 32),
                    residentKey: true
                )
            )
        }
        let assertions = try await key.device.getAssertions(
            GetAssertionRequest(relyingPartyID: RelyingPartyFixture.id, clientDataHash: Array(repeating: 3, count: 32))
        )
        #expect(assertions.count == 3)
        #expect(Set(assertions.compactMap(\.userHandle)) == [[1], [2], [3]])
    }

    @Test func noCredentialsForAnotherSite() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        let error = await #expect(throws: FIDO2Error.self) {
            try await key.device.getAssertions(GetAssertionRequest(relyingPartyID: "other.example", clientDataHash: Array(repeating: 3, count: 32)))
        }
        #expect(error?.code == .noCredentials)
    }

    @Test func deniedTouch() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        key.authenticator.userPresence = .deny
        let error = await #expect(throws: FIDO2Error.self) {
            try await key.device.makeCredential(
                MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [1], clientDataHash: Array(repeating: 1, count: 32))
            )
        }
        #expect(error?.code == .operationDenied)
    }

    @Test func untouchedKeyTimesOut() async throws {
        let key = try await VirtualKey.open(.init(userPresenceTimeoutMilliseconds: 300))
        defer { key.unregister() }
        key.authenticator.userPresence = .never
        let error = await #expect(throws: FIDO2Error.self) {
            try await key.device.makeCredential(
                MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [1], clientDataHash: Array(repeating: 1, count: 32))
            )
        }
        #expect(error?.code == .userActionTimeout)
        #expect(error?.message == "The key was not touched in time.")
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let key = try await VirtualKey.open(.init(userPresenceTimeoutMilliseconds: 20_000))
        defer { key.unregister() }
        key.authenticator.userPresence = .never
        let waiting = Mutex(false)
        let task = Task {
            try await key.device.makeCredential(
                MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [1], clientDataHash: Array(repeating: 1, count: 32)),
                touch: { waiting.withLock { $0 = true } }
            )
        }
        while !waiting.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let start = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect((result.failure as? FIDO2Error)?.code == .keepaliveCancel)
        #expect(key.authenticator.credentialCount == 0)
    }

    /// A cancellation that arrives before the device's thread starts the request (here: at
    /// once) is not lost: the request is never sent, instead of waiting for a touch until the
    /// key's own timeout.
    @Test func cancellingBeforeTheRequestStartsIsNotLost() async throws {
        let key = try await VirtualKey.open(.init(userPresenceTimeoutMilliseconds: 20_000))
        defer { key.unregister() }
        key.authenticator.userPresence = .never
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let task = Task {
                try await key.device.makeCredential(
                    MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [1], clientDataHash: Array(repeating: 1, count: 32))
                )
            }
            task.cancel()
            let result = await task.result
            // A lost cancellation waits for the key's 20 s presence timeout; a loaded machine
            // took 5.8 s to cancel in time.
            #expect(ContinuousClock.now - start < .seconds(15))
            #expect((result.failure as? FIDO2Error)?.code == .keepaliveCancel)
        }
        #expect(key.authenticator.credentialCount == 0)
        // The device still works afterwards.
        key.authenticator.userPresence = .touch
        let made = try await key.device.makeCredential(
            MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [1], clientDataHash: Array(repeating: 1, count: 32))
        )
        #expect(!made.credentialID.isEmpty)
    }

    @Test func slowTouchStillCompletes() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        key.authenticator.userPresence = .touchAfter(milliseconds: 350)
        let made = try await key.device.makeCredential(
            MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [1], clientDataHash: Array(repeating: 1, count: 32))
        )
        #expect(!made.credentialID.isEmpty)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// The credProtect extension: a level-3 credential answers only with user verification.
struct CredentialProtectionTests {
    @Test func levelThreeNeedsThePIN() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        try await key.device.setPIN("1234")
        var request = MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [8], clientDataHash: Array(repeating: 1, count: 32))
        request.extensions.credentialProtection = 3
        let made = try await key.device.makeCredential(request, pin: "1234")
        let authData = try AuthenticatorData(made.authenticatorData)
        #expect(authData.extensions?["credProtect"] == 3)

        let lookup = GetAssertionRequest(
            relyingPartyID: RelyingPartyFixture.id,
            clientDataHash: Array(repeating: 2, count: 32),
            allowCredentials: [made.credentialID]
        )
        let hidden = await #expect(throws: FIDO2Error.self) { try await key.device.getAssertions(lookup) }
        #expect(hidden?.code == .noCredentials)
        let found = try await key.device.getAssertions(lookup, pin: "1234")
        #expect(found.first?.credentialID == made.credentialID)
    }
}

/// hmac-secret (WebAuthn prf) through libfido2: stable per salt, different per salt and per UV.
struct HMACSecretTests {
    @Test func saltsGiveStableSecrets() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        var request = MakeCredentialRequest(relyingPartyID: RelyingPartyFixture.id, userID: [5], clientDataHash: Array(repeating: 1, count: 32))
        request.extensions.hmacSecret = true
        let made = try await key.device.makeCredential(request)
        #expect(try AuthenticatorData(made.authenticatorData).extensions?["hmac-secret"] == true)

        func secret(_ salt: [UInt8], pin: String? = nil) async throws -> [UInt8]? {
            let assertions = try await key.device.getAssertions(
                GetAssertionRequest(
                    relyingPartyID: RelyingPartyFixture.id,
                    clientDataHash: Array(repeating: 2, count: 32),
                    allowCredentials: [made.credentialID],
                    hmacSalt: salt
                ),
                pin: pin
            )
            return assertions.first?.hmacSecret
        }
        let first = try #require(try await secret(Array(repeating: 7, count: 32)))
        #expect(first.count == 32)
        #expect(try await secret(Array(repeating: 7, count: 32)) == first)
        #expect(try await secret(Array(repeating: 8, count: 32)) != first)
        let two = try #require(try await secret(Array(repeating: 7, count: 32) + Array(repeating: 8, count: 32)))
        #expect(two.count == 64)
        #expect(Array(two.prefix(32)) == first)
        try await key.device.setPIN("1234")
        #expect(try await secret(Array(repeating: 7, count: 32), pin: "1234") != first)
    }
}
