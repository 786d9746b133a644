@_spi(Fuzzing) import FIDO2Testing
import FIDOKitTestSupport
import Testing

/// FuzzTesting's FuzzCTAPHID inputs, through the fuzz target's checks: packets fed to the
/// CTAPHID assembler give messages CTAPHID allows, which survive splitting into packets again;
/// the input as a transcript is read or refused.
struct FuzzCTAPHIDReplayTests {
    @Test func everyFuzzInputAssemblesOrIsRefused() {
        let inputs = FuzzCases.inputs("FuzzCTAPHID")
        #expect(!inputs.isEmpty)
        var messages = 0
        for (name, bytes) in inputs {
            var assembler = CTAPHIDAssembler()
            for offset in stride(from: 0, to: bytes.count, by: 64) {
                guard let message = try? assembler.feed(Array(bytes[offset..<min(offset + 64, bytes.count)])) else {
                    continue
                }
                messages += 1
                #expect(message.payload.count <= 57 + 128 * 59, "\(name)")
                var again = CTAPHIDAssembler()
                var reassembled: CTAPHIDAssembler.Message?
                for packet in CTAPHIDAssembler.packets(
                    channel: message.channel,
                    command: message.command,
                    payload: message.payload
                ) {
                    reassembled = try? again.feed(packet)
                }
                #expect(reassembled == message, "\(name)")
            }
            let text = String(decoding: bytes, as: UTF8.self)
            for transcript in [try? CTAPHIDTranscript(jsonLines: text), try? CTAPHIDTranscript(deviceReportsHex: text)] {
                if let transcript { _ = ReplayDevice(transcript: transcript, path: "fuzz://replay").remainingExchanges }
            }
        }
        #expect(messages > 0)
    }
}

/// Transcripts made in code (``CTAPHIDTranscript/init(reports:)``) are not checked like parsed
/// ones: a replay device reads only their whole 64-byte reports.
struct ReplayDeviceReportTests {
    @Test func reportsThatAreNotSixtyFourBytesAreSkipped() {
        let short = CTAPHIDTranscript(reports: [
            .init(direction: .in, bytes: [0x00, 0x00, 0x00, 0x01, 0x90]),
            .init(direction: .out, bytes: []),
        ])
        #expect(ReplayDevice(transcript: short, path: "fuzz://short").remainingExchanges == 0)
        let reply = [0x00, 0x00, 0x00, 0x01, 0x90, 0x00, 0x01, 0x00] + [UInt8](repeating: 0, count: 56)
        let whole = CTAPHIDTranscript(reports: short.reports + [.init(direction: .in, bytes: reply)])
        #expect(ReplayDevice(transcript: whole, path: "fuzz://whole").remainingExchanges == 1)
    }
}
