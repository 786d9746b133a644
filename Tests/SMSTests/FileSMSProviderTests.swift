import Foundation
import SMS
import Testing

/// The file provider appends one JSON line per message and reports what it cannot write.
struct FileSMSProviderTests {
    @Test func messagesAreAppendedAsJSONLines() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sms-\(UUID().uuidString)/outbox.jsonl")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let provider = FileSMSProvider(path: file)
        let phone = try PhoneNumber("+46701234567")
        try await provider.send(.code("123456", to: phone, issuer: "FIDOKit", host: "dashboard.example"))
        try await provider.send(SMSMessage(to: phone, body: "second"))
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONDecoder().decode(SMSMessage.self, from: Data(lines[0].utf8))
        #expect(first.to == phone)
        #expect(first.body.hasPrefix("123456 is your FIDOKit verification code."))
        #expect(first.body.hasSuffix("@dashboard.example #123456"))
    }

    @Test func anUnwritableOutboxIsAFailure() async throws {
        let provider = FileSMSProvider(path: URL(fileURLWithPath: "/proc/fidokit-cannot-write/outbox"))
        await #expect(throws: SMSError.self) { try await provider.send(SMSMessage(to: try PhoneNumber("+46701234567"), body: "x")) }
    }
}
