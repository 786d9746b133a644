import FIDOTypes
import Foundation
import Testing

struct AAGUIDTests {
    static let yubiKey5: [UInt8] = [0x6d, 0x44, 0xba, 0x9b, 0xf6, 0xec, 0x2e, 0x49, 0xb9, 0x30, 0x0c, 0x8f, 0xe9, 0x20, 0xcb, 0x73]

    @Test(arguments: ["6d44ba9b-f6ec-2e49-b930-0c8fe920cb73", "6D44BA9BF6EC2E49B9300C8FE920CB73"])
    func parsesTheHyphenatedFormAndBareHex(text: String) throws {
        let aaguid = try #require(AAGUID(text))
        #expect(aaguid.bytes == Self.yubiKey5)
        #expect(aaguid.description == "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73")
        #expect(aaguid == AAGUID(bytes: Self.yubiKey5))
    }

    @Test(arguments: [
        "", "6d44ba9b", "6d44ba9b-f6ec-2e49-b930-0c8fe920cb7", "6d44ba9b-f6ec-2e49-b930-0c8fe920cb7g",
        // A sign (UInt8(_:radix:) takes one), hyphens elsewhere than 8-4-4-4-12, spaces, braces.
        "+d44ba9b-f6ec-2e49-b930-0c8fe920cb73", "-d44ba9bf6ec2e49b9300c8fe920cb73", "6d44ba9bf-6ec-2e49-b930-0c8fe920cb73",
        "6d-44ba9bf6ec2e49b9300c8fe920cb73", "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73-", " 6d44ba9bf6ec2e49b9300c8fe920cb73",
        "{6d44ba9b-f6ec-2e49-b930-0c8fe920cb73}", "6d44ba9b-f6ec-2e49-b930-0c8fe920cb7３",
    ])
    func refusesAnythingElse(text: String) {
        #expect(AAGUID(text) == nil)
    }

    @Test func wrapsExactlySixteenBytes() {
        #expect(AAGUID(bytes: Array(Self.yubiKey5.dropLast())) == nil)
        #expect(AAGUID(bytes: Self.yubiKey5 + [0]) == nil)
        #expect(AAGUID.zero.bytes == [UInt8](repeating: 0, count: 16))
        #expect(AAGUID.zero.description == "00000000-0000-0000-0000-000000000000")
    }

    @Test func codesAsItsUUIDString() throws {
        let aaguid = try #require(AAGUID(bytes: Self.yubiKey5))
        let data = try JSONEncoder().encode([aaguid])
        #expect(String(decoding: data, as: UTF8.self) == #"["6d44ba9b-f6ec-2e49-b930-0c8fe920cb73"]"#)
        #expect(try JSONDecoder().decode([AAGUID].self, from: data) == [aaguid])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([AAGUID].self, from: Data(#"["not one"]"#.utf8)) }
    }
}
