/// Reads the big-endian, size-prefixed structures of the TPM 2.0 specification (Part 2).
struct TPMByteReader {
    /// A structure ended early or carried bytes after its end.
    struct Truncated: Error {}

    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { self.offset == self.bytes.count }

    mutating func take(_ count: Int) throws(Truncated) -> [UInt8] {
        guard count >= 0, self.bytes.count - self.offset >= count else { throw Truncated() }
        defer { self.offset += count }
        return Array(self.bytes[self.offset..<(self.offset + count)])
    }

    mutating func uint8() throws(Truncated) -> UInt8 {
        try self.take(1)[0]
    }

    mutating func uint16() throws(Truncated) -> UInt16 {
        let raw = try self.take(2)
        return UInt16(raw[0]) << 8 | UInt16(raw[1])
    }

    mutating func uint32() throws(Truncated) -> UInt32 {
        try self.take(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64() throws(Truncated) -> UInt64 {
        try self.take(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A TPM2B: a 16-bit size, then that many bytes.
    mutating func sized() throws(Truncated) -> [UInt8] {
        try self.take(Int(try self.uint16()))
    }

    func requireEnd() throws(Truncated) {
        guard self.isAtEnd else { throw Truncated() }
    }
}
