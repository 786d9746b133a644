import HTTPInput
import Testing

@Suite struct URLEncodedFormTests {
    func decode(_ text: String) throws -> URLEncodedForm {
        try URLEncodedForm(decoding: Array(text.utf8))
    }

    @Test func decodesFieldsInOrder() throws {
        let form = try self.decode("email=a%40b.example&password=p+w%2Bd&flag")
        #expect(form.fields.map(\.name) == ["email", "password", "flag"])
        #expect(form["email"] == "a@b.example")
        #expect(form["password"] == "p w+d")
        #expect(form["flag"] == "")
    }

    @Test(arguments: ["", "&", "&&", "&&&&"]) func emptyPairsAreSkipped(_ text: String) throws {
        #expect(try self.decode(text).fields.isEmpty)
    }

    @Test func emptyPairsBetweenFieldsAreSkipped() throws {
        #expect(try self.decode("a=1&&b=2&").fields.map(\.name) == ["a", "b"])
    }

    @Test(arguments: ["=", "=x", "a=1&=2", "&=&"])
    func aFieldWithoutANameIsRefused(_ text: String) {
        #expect(throws: HTTPInputError(.emptyName, "")) { try self.decode(text) }
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=100%"])
    func badPercentEscapesAreRefused(_ text: String) {
        #expect(throws: HTTPInputError(.badPercentEscape, "")) { try self.decode(text) }
    }

    @Test(arguments: ["a=%ff", "a=%c3%28", "%80=1", "a=%ed%a0%80"]) func invalidUTF8IsRefused(_ text: String) {
        #expect(throws: HTTPInputError(.invalidUTF8, "")) { try self.decode(text) }
    }

    @Test func rawInvalidUTF8IsRefused() {
        #expect(throws: HTTPInputError(.invalidUTF8, "")) { try URLEncodedForm(decoding: [0x61, 0x3d, 0xff]) }
    }

    @Test(arguments: ["a=%00", "email=dave%40example.com%00", "a%00=1", "a=%1b", "a=%7f", "a=%c2%85", "a%0a=1"])
    func controlCharactersAreRefused(_ text: String) {
        #expect(throws: HTTPInputError(.controlCharacter, "")) { try self.decode(text) }
    }

    @Test func lineBreaksAndTabsAreKeptInValues() throws {
        #expect(try self.decode("note=a%0d%0ab%09c")["note"] == "a\r\nb\tc")
    }

    @Test func duplicatesAreKeptAndSingleRefusesThem() throws {
        let form = try self.decode("factor=otp&factor=sms&csrf=x")
        #expect(form.values("factor") == ["otp", "sms"])
        #expect(form.multiValued["factor"] == ["otp", "sms"])
        #expect(throws: HTTPInputError(.duplicateField, "")) { try form.single() }
        #expect(try self.decode("csrf=x&email=y").single() == ["csrf": "x", "email": "y"])
    }

    @Test func hugeFieldCountsAreRefused() throws {
        let many = Array(repeating: "a=1", count: URLEncodedForm.maximumFieldCount + 1).joined(separator: "&")
        #expect(throws: HTTPInputError(.tooManyFields, "")) { try self.decode(many) }
        let most = Array(repeating: "a=1", count: URLEncodedForm.maximumFieldCount).joined(separator: "&")
        #expect(try self.decode(most).fields.count == URLEncodedForm.maximumFieldCount)
        // Empty pairs do not count, and cost nothing.
        #expect(try self.decode(String(repeating: "&", count: 65_536)).fields.isEmpty)
    }

    @Test func queriesDecodeLikeForms() throws {
        #expect(try URLEncodedForm(query: nil).fields.isEmpty)
        #expect(try URLEncodedForm(query: "name=My%20key")["name"] == "My key")
        #expect(throws: HTTPInputError(.badPercentEscape, "")) { try URLEncodedForm(query: "name=%") }
    }

    /// Every byte string of up to three bytes from an alphabet of the interesting ones decodes
    /// or throws; none traps.
    @Test func everyShortInputIsDecidedWithoutTrapping() {
        let alphabet: [UInt8] = [0x3d, 0x26, 0x25, 0x2b, 0x61, 0x30, 0x00, 0xff, 0xc3, 0x0a]
        var decided = 0
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    _ = try? URLEncodedForm(decoding: [a, b, c])
                    _ = try? URLEncodedForm(decoding: [a, b])
                    decided += 1
                }
            }
        }
        #expect(decided == 1_000)
    }
}
