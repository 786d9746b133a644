@_spi(Fuzzing) import FIDO2Testing
import FuzzCommon

/// libFuzzer's entry: the input as host packets (64 bytes each) fed to the CTAPHID assembler,
/// and as a recorded transcript (JSON Lines, then hex lines) given to a replay device.
///
/// Checks: every message assembled is one the assembler could have been sent (at most
/// 57 + 128 × 59 bytes), and splitting it into packets again assembles it to the same message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCTAPHID(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.run(start, count) { bytes in
        var assembler = CTAPHIDAssembler()
        var offset = 0
        while offset < bytes.count {
            // A short last packet is fed as it is: the assembler ignores what is not 64 bytes.
            let packet = Array(bytes[offset..<min(offset + 64, bytes.count)])
            offset += 64
            guard let message = try? assembler.feed(packet) else { continue }
            guard message.payload.count <= 57 + 128 * 59 else { fatalError("a message longer than CTAPHID allows") }
            var again = CTAPHIDAssembler()
            var reassembled: CTAPHIDAssembler.Message?
            for packet in CTAPHIDAssembler.packets(
                channel: message.channel,
                command: message.command,
                payload: message.payload
            ) {
                guard packet.count == 64 else { fatalError("a packet of \(packet.count) bytes") }
                reassembled = try? again.feed(packet)
            }
            guard reassembled == message else { fatalError("a message does not survive splitting into packets") }
        }
        // Text that could be a transcript (a JSON line, or hex) is read as one; binary packets
        // are not (Foundation's JSON reader on every input made this target slow).
        guard let first = bytes.first, first == UInt8(ascii: "{") || isHexDigit(first) else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        let transcript =
            first == UInt8(ascii: "{")
            ? try? CTAPHIDTranscript(jsonLines: text) : try? CTAPHIDTranscript(deviceReportsHex: text)
        if let transcript {
            _ = ReplayDevice(transcript: transcript, path: "fuzz://replay").remainingExchanges
        }
    }
}

func isHexDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
}
