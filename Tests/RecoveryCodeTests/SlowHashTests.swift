import RecoveryCode
import Testing

/// The scrypt hash: salted, round-trips through its stored form, matches only its secret.
struct SlowHashTests {
    @Test func aHashMatchesOnlyItsSecret() throws {
        let hash = try SlowHash(hashing: "K6MGPV3RSH3VERMKET8Q7QKU", parameters: .testing)
        #expect(hash.matches("K6MGPV3RSH3VERMKET8Q7QKU"))
        #expect(!hash.matches("K6MGPV3RSH3VERMKET8Q7QKV"))
        #expect(!hash.matches(""))
    }

    @Test func eachHashHasItsOwnSalt() throws {
        let first = try SlowHash(hashing: "same", parameters: .testing)
        let second = try SlowHash(hashing: "same", parameters: .testing)
        #expect(first.salt != second.salt)
        #expect(first.hash != second.hash)
    }

    @Test func theStoredFormRoundTripsAndKeepsItsCost() throws {
        let hash = try SlowHash(hashing: "secret", parameters: .testing)
        #expect(hash.description.hasPrefix("scrypt$1024$8$1$"))
        let restored = try #require(SlowHash(stored: hash.description))
        #expect(restored == hash)
        #expect(restored.matches("secret"))
        #expect(try SlowHash(hashing: "secret").description.hasPrefix("scrypt$32768$8$1$"))
    }

    @Test func malformedStoredFormsAreRefused() {
        for text in [
            "", "scrypt$1024$8$1$AAAA", "bcrypt$1024$8$1$AAAAAAAAAAA=$AAAA", "scrypt$1000$8$1$AAAAAAAAAAA=$" + String(repeating: "A", count: 44),
            "scrypt$1024$8$1$!!$!!",
        ] {
            #expect(SlowHash(stored: text) == nil, "\(text)")
        }
    }
}
