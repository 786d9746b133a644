import Foundation
import HTTPTypes
import MFAServer
import MFAStore
import MFAStoreTestSupport
import Testing

/// One spelling per account: addresses are validated and canonicalised once, and that value is
/// the lookup, the limits' key and what is stored — so a locked account does not open, nor get a
/// fresh bucket, under another spelling (issue 13, 2.3).
struct EmailAddressTests {
    @Test func canonicalFormIsNFCAndLowerCase() throws {
        #expect(try EmailAddress("DAVE@Example.COM").value == "dave@example.com")
        // NFD "é" (e + U+0301) and NFC "é" are one address.
        #expect(try EmailAddress("re\u{301}my@example.com") == EmailAddress("r\u{E9}my@example.com"))
        #expect(try EmailAddress("r\u{E9}my@example.com").value.unicodeScalars.count == "remy@example.com".count)
    }

    /// The outside tester's spellings (issue 13 outside report, item 7): compatibility forms fold.
    @Test(arguments: [
        ("dave@\u{FF45}xample.com", "dave@example.com"), ("\u{FF44}ave@example.com", "dave@example.com"),
        ("\u{216E}ave@example.com", "dave@example.com"), ("\u{217E}ave@example.com", "dave@example.com"),
        ("\u{17F}tefan@example.com", "stefan@example.com"), ("\u{FF24}AVE@\u{FF25}XAMPLE.COM", "dave@example.com"),
        ("dave@xn--exmple-cua.com", "dave@xn--exmple-cua.com"), ("DAVE@XN--EXMPLE-CUA.COM", "dave@xn--exmple-cua.com"),
        (String(repeating: "a", count: 64) + "@example.com", String(repeating: "a", count: 64) + "@example.com"),
    ])
    func compatibilityFormsFoldToOneSpelling(_ text: String, _ canonical: String) throws {
        #expect(try EmailAddress(text).value == canonical)
    }

    /// Round-3 report, item 7: full case folding, not lower-casing: `Σ`, `σ` and the final `ς`
    /// are one letter, `ß` and `ẞ` fold to `ss`, `ﬁ` to `fi`, so each spelling is one account.
    @Test(arguments: [
        ("\u{3A3}igma@example.com", "\u{3C3}igma@example.com"), ("\u{3C2}igma@example.com", "\u{3C3}igma@example.com"),
        ("stra\u{DF}e@example.com", "strasse@example.com"), ("STRA\u{1E9E}E@example.com", "strasse@example.com"),
        ("\u{FB01}le@example.com", "file@example.com"), ("\u{1F88}x@example.com", "\u{1F00}\u{3B9}x@example.com"),
    ])
    func caseFoldingIsFull(_ text: String, _ canonical: String) throws {
        #expect(try EmailAddress(text).value == canonical)
        #expect(try EmailAddress(text) == EmailAddress(canonical))
    }

    /// Round-3 report, item 7: invisible and blank characters (Default_Ignorable_Code_Point,
    /// the Hangul fillers, U+2800) anywhere, and a combining mark that follows no letter (alone,
    /// on a digit, a dot or a symbol), are refused.
    static let round3Refused: [String] = [
        "m\u{2800}1@example.com", "\u{2800}@example.com", "\u{300}@example.com", "m1\u{301}@example.com",
        "a.\u{301}b@example.com", "+\u{301}@example.com", "a\u{34F}b@example.com", "a\u{3164}b@example.com",
        "\u{3164}@example.com", "a\u{115F}@example.com", "a\u{FFA0}b@example.com", "a\u{180E}b@example.com",
        "a\u{FE0F}@example.com", "a\u{E0041}@example.com", "a\u{2064}b@example.com", "a\u{3000}b@example.com",
        // Round 4: U+0345 folds to the letter ι; as typed it is a mark on nothing (or on `a`'s
        // other side of a digit).
        "\u{345}x@example.com", "1\u{345}b@example.com",
    ]

    @Test(arguments: Self.round3Refused)
    func invisibleCharactersAndStrayMarksAreRefused(_ text: String) {
        #expect(throws: AccountError.invalidEmail) { try EmailAddress(text) }
    }

    /// Marks on letters stay: decomposed accents, stacked ones, Devanagari's vowel signs.
    @Test(arguments: ["x\u{301}\u{302}@example.com", "\u{915}\u{94D}\u{937}@example.com", "zo\u{EB}@example.com"])
    func marksOnLettersAreAccepted(_ text: String) throws {
        #expect(try EmailAddress(text).value.hasSuffix("@example.com"))
    }

    /// Unicode domains are refused with their own reason (give the xn-- form), so
    /// `dave@exämple.com` cannot become a second account next to `dave@xn--exmple-cua.com`.
    @Test(arguments: ["dave@ex\u{E4}mple.com", "dave@exa\u{308}mple.com", "dave@\u{4F8B}\u{3048}.jp"])
    func unicodeDomainsAskForTheirASCIIForm(_ text: String) {
        #expect(throws: AccountError.internationalDomain) { try EmailAddress(text) }
    }

    static let refused: [String] = [
        String(repeating: "a", count: 65) + "@example.com", "dave@[127.0.0.1]", "dave@[IPv6:::1]",
        "dave@" + String(repeating: "a", count: 64) + ".com", "dave@-example.com", "dave@example-.com",
        "dave@exa_mple.com", "dave@exa!mple.com", "a@" + Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: ".") + ".com",
        "dave@example.com\u{0}", "dave\u{0}@example.com", "da\u{0}ve@example.com", "\u{0}",
        "dave@example.com\u{7F}", "dave@example.com\u{85}", "dave@example.com\u{1B}",
        "dave\u{200B}@example.com", "dave@exa\u{200D}mple.com", "\u{202E}dave@example.com", "dave@example.com\u{FEFF}",
        "dave\u{FF20}example.com", "dave@@example.com", "da@ve@example.com", "@example.com", "dave@",
        "dave@example.com.", "dave@example..com", "dave@.example.com", "dave@localhost",
        " dave@example.com", "dave@example.com ", "da ve@example.com", "dave@example.com\n", "dave@exa\u{A0}mple.com",
        "<dave@example.com>", "", String(repeating: "a", count: 250) + "@example.com",
    ]

    @Test(arguments: Self.refused)
    func outsideSpellingsAreRefused(_ text: String) {
        #expect(throws: AccountError.invalidEmail) { try EmailAddress(text) }
    }

    /// The round-2 tester's spellings (item 4): the local part is a dot-atom only; a numeric
    /// top-level label and `xn--` labels that are not Punycode for a Unicode label are refused.
    static let round2Refused: [String] = [
        "\"dave\"@example.com", "(c)a@example.com", "a(c)@example.com", "a..b@example.com", ".a@example.com",
        "a.@example.com", "a\"b@example.com", "a\\b@example.com", "\"a b\"@example.com", "a,b@example.com",
        "a:b@example.com", "a;b@example.com", "a[b]@example.com", "dave@1.2.3.4", "x@1.2.3.256", "x@example.123",
        "x@xn--zz.com", "x@xn--a.com", "x@xn--.com", "x@xn--abc-.com", "x@xn--exmple-cua-.com", "x@xn--bcher-kva.xn--9",
        "x@xn--ls8h-.com", "x@xn--abc.com",
    ]

    @Test(arguments: Self.round2Refused)
    func round2SpellingsAreRefused(_ text: String) {
        #expect(throws: AccountError.invalidEmail) { try EmailAddress(text) }
    }

    /// What a dot-atom and an A-label allow stays allowed.
    @Test(arguments: [
        "o'brien+tag@example.com", "a.b.c@example.com", "!#$%&*+-/=?^_`{|}~@example.com", "r\u{E9}my@example.com",
        "x@xn--bcher-kva.com", "x@xn--exmple-cua.com", "x@1.example.com", "x@example.xn--p1ai", "x@123.com",
    ])
    func dotAtomsAndALabelsAreAccepted(_ text: String) throws {
        #expect(try EmailAddress(text).value == text.lowercased())
    }

    /// Item 7 through the API: every spelling the tester used for a second account is the first
    /// account's (409) or refused (400), never a new member.
    @Test func theTestersSpellingsMakeNoSecondAccount() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            #expect(try await admin.signIn().status == .ok)
            for email in ["dave@example.com", "stefan@example.com", "dave@xn--exmple-cua.com"] {
                let reply = try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": email, "password": "long enough"]
                )
                #expect(reply.status == .created)
            }
            let spellings = [
                "dave@\u{FF45}xample.com", "\u{FF44}ave@example.com", "\u{216E}ave@example.com", "\u{17F}tefan@example.com",
                "dave@ex\u{E4}mple.com", "DAVE@xn--EXMPLE-cua.com", String(repeating: "d", count: 65) + "@example.com",
                "dave@[127.0.0.1]",
            ]
            for email in spellings {
                let reply = try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": email, "password": "long enough"]
                )
                #expect(reply.errorCode == "email_taken" || reply.errorCode == "invalid_email", "\(email)")
            }
        }
    }

    @Test(arguments: [StoreKind.sqlite, .postgres])
    func aLockedAccountOpensUnderNoOtherSpelling(_ kind: StoreKind) async throws {
        let harness = try await ServerHarness.make(kind)
        defer { harness.cleanUp() }
        let tenant = try #require(try await harness.dashboard.accounts.tenants().first)
        _ = try await harness.dashboard.accounts.createMember(
            tenantID: tenant.id,
            email: "dave@example.com",
            displayName: "Dave",
            password: "dave's password",
            role: .member
        )
        try await harness.test { client in
            let browser = Browser(client)
            for _ in 0..<10 { #expect(try await browser.signIn("dave@example.com", "wrong").status == .unauthorized) }
            let locked = try await browser.signIn("dave@example.com", "dave's password")
            #expect(locked.status == .tooManyRequests && locked.errorCode == "too_many_attempts")
            #expect(locked.headers[.retryAfter] != nil)
            let spellings = [
                "DAVE@Example.com", "dave@example.com\u{0}", "da\u{0}ve@example.com", "dave\u{200B}@example.com",
                "dave\u{FF20}example.com", "dave@example.com.", "Dave@EXAMPLE.COM",
            ]
            for spelling in spellings {
                // The right password under another spelling: still locked, or not an address at all.
                let reply = try await browser.signIn(spelling, "dave's password")
                #expect(
                    reply.status == .tooManyRequests || reply.status == .unauthorized,
                    "\(spelling.unicodeScalars.map { String($0.value, radix: 16) })"
                )
                #expect(reply.json["state"] == nil)
                // A wrong password under it gets no fresh bucket either.
                #expect(try await browser.signIn(spelling, "wrong").status != .ok)
            }
        }
        // NFD and NFC spellings of one address are one account (and one bucket).
        _ = try await harness.dashboard.accounts.createMember(
            tenantID: tenant.id,
            email: "r\u{E9}my@example.com",
            displayName: "Rémy",
            password: "remy's password",
            role: .member
        )
        await #expect(throws: AccountError.emailTaken) {
            try await harness.dashboard.accounts.createMember(
                tenantID: tenant.id,
                email: "RE\u{301}MY@example.com",
                displayName: "Other",
                password: "another password",
                role: .member
            )
        }
        let nfd = try await harness.dashboard.signIn(
            email: "Re\u{301}my@Example.com",
            password: "remy's password",
            address: "192.0.2.7",
            previousToken: nil
        )
        #expect(nfd.state.state == .signedIn)
        // Locked under the NFC spelling, it stays locked under the NFD one.
        for index in 0..<10 {
            await #expect(throws: APIError.self) {
                _ = try await harness.dashboard.signIn(
                    email: "r\u{E9}my@example.com",
                    password: "wrong",
                    address: "192.0.2.\(index)",
                    previousToken: nil
                )
            }
        }
        do {
            _ = try await harness.dashboard.signIn(
                email: "RE\u{301}MY@example.com",
                password: "remy's password",
                address: "192.0.2.99",
                previousToken: nil
            )
            Issue.record("the NFD spelling opened a locked account")
        } catch let error as APIError {
            #expect(error.code == "too_many_attempts")
        }
    }

    /// The class behind the bypass: SQLite read `dave@example.com\0` as `dave@example.com`
    /// (text bound up to its NUL). A key with NUL names no record in either store.
    @Test(arguments: [StoreKind.sqlite, .postgres])
    func aKeyWithNULNamesNoRecord(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(kind: "member-email", id: "dave@example.com", owner: "t", data: Data("{}".utf8))
        #expect(try await store.get(kind: "member-email", id: "dave@example.com") != nil)
        #expect(try await store.get(kind: "member-email", id: "dave@example.com\u{0}") == nil)
        #expect(try await store.get(kind: "member-email", id: "dave@example.com\u{0}x") == nil)
        #expect(try await store.list(kind: "member-email", owner: "t\u{0}").isEmpty)
        #expect(try await store.compareAndSwap(kind: "member-email", id: "dave@example.com\u{0}", expectedVersion: 1, data: Data()) == false)
        #expect(try await store.delete(kind: "member-email", id: "dave@example.com\u{0}", expectedVersion: 1) == false)
        await #expect(throws: StoreError.self) {
            try await store.insert(kind: "member-email", id: "eve@example.com\u{0}", owner: "t", data: Data("{}".utf8))
        }
        #expect(try await store.get(kind: "member-email", id: "eve@example.com") == nil)
    }

    /// Round-2 report, 11 and 13: an over-long display name is refused for its length (not
    /// for a character it does not have), and a password holding an invisible format character
    /// a paste brought in is refused, while those keyboards type (ZWJ in emoji, ZWNJ) are not.
    @Test func longNamesAndInvisiblePasswordCharactersGetTheirOwnReasons() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let long = try await admin.send(
                .post,
                "/api/tenant/members",
                json: ["email": "carol@example.com", "displayName": String(repeating: "a", count: 129), "password": "a long password"]
            )
            let error = long.json["error"] as? [String: Any]
            #expect(long.errorCode == "invalid_text")
            #expect((error?["message"] as? String)?.contains("longer than 128") == true)
            for password in ["pass\u{200B}word1", "\u{FEFF}password1", "password\u{202E}1", "pass\u{AD}word1"] {
                let reply = try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": "carol@example.com", "password": password]
                )
                #expect(reply.errorCode == "weak_password", "\(password.unicodeScalars.map { $0.value })")
            }
            for (email, password) in [("dan@example.com", "I \u{1F469}\u{200D}\u{1F4BB} code"), ("eve@example.com", "mi\u{200C}xed word")] {
                let reply = try await admin.send(.post, "/api/tenant/members", json: ["email": email, "password": password])
                #expect(reply.status == .created, "\(reply.errorCode ?? "")")
            }
        }
    }

    /// Round-3 report, item 7 through the API: `ςigma@` after `σigma@` is the same account;
    /// display names with an invisible character (`Ad\u{34F}min`) or nothing visible (`ㅤ`, `⠀`,
    /// a lone mark) are refused, emoji with their joiners and selectors are not.
    @Test func foldedAddressesAndInvisibleNamesThroughTheAPI() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            let first = try await admin.send(
                .post,
                "/api/tenant/members",
                json: ["email": "\u{3C3}igma@example.com", "password": "long enough"]
            )
            #expect(first.status == .created)
            for email in ["\u{3C2}igma@example.com", "\u{3A3}IGMA@example.com"] {
                let again = try await admin.send(.post, "/api/tenant/members", json: ["email": email, "password": "long enough"])
                #expect(again.errorCode == "email_taken", "\(email)")
            }
            for name in [
                "Ad\u{34F}min", "\u{3164}", "\u{2800}", "\u{300}", "Admin\u{2800}", "Ad\u{115F}min", "a\u{FE0F}",
                "Ad\u{200D}min", "\u{200D}", "\u{2800}\u{300}", "Admin\u{E0041}",
            ] {
                let reply = try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": "carol@example.com", "displayName": name, "password": "carol's password"]
                )
                #expect(reply.status == .badRequest && reply.errorCode == "invalid_text", "\(name.unicodeScalars.map(\.value))")
            }
            for (email, name) in [
                ("dan@example.com", "\u{1F469}\u{200D}\u{1F4BB} Dan"), ("eve@example.com", "\u{2764}\u{FE0F} Eve"),
                ("flo@example.com", "Flo\u{301}ra \u{1F3F3}\u{FE0F}\u{200D}\u{1F308}"), ("gus@example.com", "1\u{FE0F}\u{20E3} Gus"),
            ] {
                let reply = try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": email, "displayName": name, "password": "long enough"]
                )
                #expect(reply.status == .created, "\(name) \(reply.errorCode ?? "")")
            }
        }
    }

    @Test func namesWithControlOrFormatCharactersAreRefused() async throws {
        let harness = try await ServerHarness.make()
        defer { harness.cleanUp() }
        try await harness.test { client in
            let admin = Browser(client)
            try await admin.signIn()
            for name in ["Carol\u{0}Admin", "Carol\u{202E}nimda", "Carol\u{7}", "Ca\u{200B}rol"] {
                let reply = try await admin.send(
                    .post,
                    "/api/tenant/members",
                    json: ["email": "carol@example.com", "displayName": name, "password": "carol's password"]
                )
                #expect(reply.status == .badRequest && reply.errorCode == "invalid_text")
            }
            let bad = try await admin.send(
                .post,
                "/api/tenant/members",
                json: ["email": "carol@example.com\u{0}", "password": "carol's password"]
            )
            #expect(bad.errorCode == "invalid_email")
            let added = try await admin.send(
                .post,
                "/api/tenant/members",
                json: ["email": " carol@example.com", "password": "carol's password"]
            )
            #expect(added.errorCode == "invalid_email")
        }
    }
}
