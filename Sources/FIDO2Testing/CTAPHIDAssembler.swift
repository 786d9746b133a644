/// Reassembles CTAPHID messages from 64-byte packets and splits replies into packets
/// (CTAP 2.1 §11.2.4): an initialisation packet (CID, CMD|0x80, 2-byte length, 57 data bytes)
/// followed by continuation packets (CID, SEQ 0…127, 59 data bytes).
///
/// Every packet is outside data (the host's writes); any 64 bytes are either taken, ignored or
/// refused with a ``Failure``. Open to the fuzz targets as SPI (`@_spi(Fuzzing) import FIDO2Testing`).
@_spi(Fuzzing) public struct CTAPHIDAssembler {
    /// A complete message from the host.
    public struct Message: Equatable {
        /// The channel id.
        public var channel: UInt32
        /// The command, without its 0x80 bit.
        public var command: UInt8
        /// The payload, exactly as long as the initialisation packet said.
        public var payload: [UInt8]
    }

    /// Why a packet was refused; maps to a CTAPHID ERROR reply.
    public enum Failure: Error {
        case invalidSequence(channel: UInt32)
        case invalidLength(channel: UInt32)
        case busy(channel: UInt32)
    }

    private var pending: (channel: UInt32, command: UInt8, expected: Int, payload: [UInt8], sequence: UInt8)?

    /// Creates an assembler with no message under way.
    public init() {}

    /// Feeds one packet; returns a message when one is complete.
    public mutating func feed(_ packet: [UInt8]) throws(Failure) -> Message? {
        guard packet.count == 64 else { return nil }
        let channel = UInt32(packet[0]) << 24 | UInt32(packet[1]) << 16 | UInt32(packet[2]) << 8 | UInt32(packet[3])
        if packet[4] & 0x80 != 0 {
            let command = packet[4] & 0x7f
            let length = Int(packet[5]) << 8 | Int(packet[6])
            if let pending = self.pending, pending.channel != channel, command != 0x06 {
                throw .busy(channel: channel)
            }
            guard length <= 57 + 128 * 59 else { throw .invalidLength(channel: channel) }
            let data = Array(packet[7..<(7 + min(length, 57))])
            if data.count == length {
                self.pending = nil
                return Message(channel: channel, command: command, payload: data)
            }
            self.pending = (channel, command, length, data, 0)
            return nil
        }
        guard var pending = self.pending, pending.channel == channel else { return nil }
        guard packet[4] == pending.sequence else {
            self.pending = nil
            throw .invalidSequence(channel: channel)
        }
        let needed = pending.expected - pending.payload.count
        pending.payload += packet[5..<(5 + min(needed, 59))]
        pending.sequence += 1
        if pending.payload.count == pending.expected {
            self.pending = nil
            return Message(channel: channel, command: pending.command, payload: pending.payload)
        }
        self.pending = pending
        return nil
    }

    /// Splits a reply into 64-byte packets.
    public static func packets(channel: UInt32, command: UInt8, payload: [UInt8]) -> [[UInt8]] {
        let cid = [
            UInt8(channel >> 24), UInt8(channel >> 16 & 0xff), UInt8(channel >> 8 & 0xff), UInt8(channel & 0xff),
        ]
        var first = cid + [command | 0x80, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        first += payload.prefix(57)
        var packets = [first + [UInt8](repeating: 0, count: 64 - first.count)]
        var offset = min(57, payload.count)
        var sequence: UInt8 = 0
        while offset < payload.count {
            var packet = cid + [sequence]
            packet += payload[offset..<min(offset + 59, payload.count)]
            packets.append(packet + [UInt8](repeating: 0, count: 64 - packet.count))
            offset += 59
            sequence += 1
        }
        return packets
    }
}
