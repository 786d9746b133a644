/// Decodes CBOR (RFC 8949) into ``CBORValue`` trees.
///
/// The decoder is defensive by construction: every declared length is compared with the bytes
/// that remain before anything is allocated (a 5-byte input that claims a 4 GB string fails at
/// once), nesting is limited, and text is UTF-8 validated. In ``Options/strict`` mode — the mode
/// for authenticator output — it also rejects indefinite lengths, integers, lengths and tags that
/// are not in their shortest form, and (optionally) map keys out of CTAP2 canonical order.
public struct CBORDecoder: Sendable {
    /// What the decoder accepts.
    public struct Options: Sendable, Hashable {
        /// Reject indefinite lengths and non-shortest integers, lengths and tags.
        public var requireDefiniteShortestForm: Bool
        /// Require map keys in CTAP2 canonical order (major type, then length, then bytes).
        public var requireCanonicalMapOrder: Bool
        /// The deepest nesting accepted: at most ``depthCeiling``, whatever a caller asks for, since
        /// the decoder recurses once per level and outside bytes must not exhaust the stack.
        public var maxDepth: Int {
            get { self.requestedDepth }
            set { self.requestedDepth = min(max(newValue, 1), Self.depthCeiling) }
        }
        private var requestedDepth: Int

        /// The highest ``maxDepth`` the decoder honours (authenticator messages nest four levels).
        public static let depthCeiling = 128

        /// Creates a set of options; `maxDepth` is clamped to 1…``depthCeiling``.
        public init(requireDefiniteShortestForm: Bool, requireCanonicalMapOrder: Bool, maxDepth: Int = 16) {
            self.requireDefiniteShortestForm = requireDefiniteShortestForm
            self.requireCanonicalMapOrder = requireCanonicalMapOrder
            self.requestedDepth = min(max(maxDepth, 1), Self.depthCeiling)
        }

        /// Definite lengths and shortest forms, any key order. Used for WebAuthn attestation
        /// objects, which browsers re-encode.
        public static let strict = Options(requireDefiniteShortestForm: true, requireCanonicalMapOrder: false)
        /// ``strict`` plus CTAP2 canonical map key order, for messages straight from an authenticator.
        public static let ctap2Canonical = Options(requireDefiniteShortestForm: true, requireCanonicalMapOrder: true)
        /// Everything RFC 8949 calls well formed, including indefinite lengths.
        public static let lenient = Options(requireDefiniteShortestForm: false, requireCanonicalMapOrder: false)
    }

    /// The options this decoder applies.
    public var options: Options

    /// Creates a decoder.
    public init(options: Options = .strict) {
        self.options = options
    }

    /// Decodes exactly one data item that must fill the whole input.
    ///
    /// - Throws: ``CBORError`` with `.trailingBytes` when bytes follow the item, or the code of the
    ///   first problem found inside it.
    public func decode(_ bytes: some Collection<UInt8>) throws(CBORError) -> CBORValue {
        let (value, used) = try self.decodePrefix(bytes)
        guard used == bytes.count else {
            throw CBORError(
                code: .trailingBytes,
                offset: used,
                reason: "\(bytes.count - used) bytes follow the data item"
            )
        }
        return value
    }

    /// Decodes the first data item of the input and reports how many bytes it used.
    ///
    /// This is the entry point for structures that embed CBOR followed by other data, such as the
    /// COSE key inside attested credential data, which the extensions map may follow.
    public func decodePrefix(_ bytes: some Collection<UInt8>) throws(CBORError) -> (value: CBORValue, bytesUsed: Int) {
        let array = Array(bytes)
        var reader = Reader(bytes: array, options: self.options)
        let value = try reader.readItem(depth: 0)
        return (value, reader.index)
    }
}

extension CBORDecoder {
    fileprivate struct Reader {
        let bytes: [UInt8]
        let options: Options
        var index = 0

        init(bytes: [UInt8], options: Options) {
            self.bytes = bytes
            self.options = options
        }

        var remaining: Int { self.bytes.count - self.index }

        mutating func readByte() throws(CBORError) -> UInt8 {
            guard self.index < self.bytes.count else { throw .truncated(at: self.index) }
            defer { self.index += 1 }
            return self.bytes[self.index]
        }

        mutating func readBigEndian(_ count: Int) throws(CBORError) -> UInt64 {
            guard self.remaining >= count else { throw .truncated(at: self.bytes.count) }
            var value: UInt64 = 0
            for offset in 0..<count {
                value = (value << 8) | UInt64(self.bytes[self.index + offset])
            }
            self.index += count
            return value
        }

        /// Reads the argument that follows an initial byte. `nil` means indefinite length.
        mutating func readArgument(_ additional: UInt8, at start: Int) throws(CBORError) -> UInt64? {
            let value: UInt64
            let minimum: UInt64
            switch additional {
            case 0..<24:
                return UInt64(additional)
            case 24:
                value = try self.readBigEndian(1)
                minimum = 24
            case 25:
                value = try self.readBigEndian(2)
                minimum = 0x100
            case 26:
                value = try self.readBigEndian(4)
                minimum = 0x1_0000
            case 27:
                value = try self.readBigEndian(8)
                minimum = 0x1_0000_0000
            case 31:
                return nil
            default:
                throw CBORError(
                    code: .malformed,
                    offset: start,
                    reason: "additional information \(additional) is reserved"
                )
            }
            if self.options.requireDefiniteShortestForm && value < minimum {
                throw .nonCanonical(at: start)
            }
            return value
        }

        mutating func readLength(_ additional: UInt8, at start: Int, minimumItemSize: Int) throws(CBORError) -> Int? {
            guard let argument = try self.readArgument(additional, at: start) else {
                if self.options.requireDefiniteShortestForm {
                    throw CBORError(
                        code: .indefiniteLength,
                        offset: start,
                        reason: "indefinite lengths are not allowed here"
                    )
                }
                return nil
            }
            // Check the declared length against what is left before allocating anything.
            let available = UInt64(self.remaining / minimumItemSize)
            guard argument <= available else {
                throw CBORError(
                    code: .lengthExceedsInput,
                    offset: start,
                    reason: "a length of \(argument) was declared but only \(self.remaining) bytes remain"
                )
            }
            return Int(argument)
        }

        mutating func readItem(depth: Int) throws(CBORError) -> CBORValue {
            let start = self.index
            let initial = try self.readByte()
            let major = initial >> 5
            let additional = initial & 0x1f
            switch major {
            case 0:
                guard let value = try self.readArgument(additional, at: start) else { throw self.breakError(start) }
                return .unsigned(value)
            case 1:
                guard let value = try self.readArgument(additional, at: start) else { throw self.breakError(start) }
                return .negative(value)
            case 2:
                return .byteString(try self.readStringBytes(major: 2, additional: additional, at: start))
            case 3:
                let raw = try self.readStringBytes(major: 3, additional: additional, at: start)
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw CBORError(code: .invalidUTF8, offset: start, reason: "a text string is not valid UTF-8")
                }
                return .textString(text)
            case 4:
                try self.checkDepth(depth, at: start)
                return .array(try self.readArray(additional: additional, at: start, depth: depth))
            case 5:
                try self.checkDepth(depth, at: start)
                return .map(try self.readMap(additional: additional, at: start, depth: depth))
            case 6:
                try self.checkDepth(depth, at: start)
                guard let tag = try self.readArgument(additional, at: start) else { throw self.breakError(start) }
                let content = try self.readItem(depth: depth + 1)
                return .tagged(tag: tag, content)
            default:
                return try self.readSimple(additional: additional, at: start)
            }
        }

        func breakError(_ offset: Int) -> CBORError {
            CBORError(
                code: .malformed,
                offset: offset,
                reason: "an indefinite length is not allowed for this major type"
            )
        }

        func checkDepth(_ depth: Int, at offset: Int) throws(CBORError) {
            guard depth < self.options.maxDepth else {
                throw CBORError(
                    code: .depthLimitExceeded,
                    offset: offset,
                    reason: "items are nested deeper than \(self.options.maxDepth) levels"
                )
            }
        }

        mutating func readStringBytes(major: UInt8, additional: UInt8, at start: Int) throws(CBORError) -> [UInt8] {
            if let length = try self.readLength(additional, at: start, minimumItemSize: 1) {
                defer { self.index += length }
                return Array(self.bytes[self.index..<(self.index + length)])
            }
            // Indefinite length (lenient mode only): definite chunks of the same major type until "break".
            var joined: [UInt8] = []
            while true {
                let chunkStart = self.index
                let byte = try self.readByte()
                if byte == 0xff { return joined }
                guard byte >> 5 == major, byte & 0x1f != 31 else {
                    throw CBORError(
                        code: .malformed,
                        offset: chunkStart,
                        reason: "an indefinite string holds a chunk of another type"
                    )
                }
                guard let length = try self.readLength(byte & 0x1f, at: chunkStart, minimumItemSize: 1) else {
                    throw self.breakError(chunkStart)
                }
                joined.append(contentsOf: self.bytes[self.index..<(self.index + length)])
                self.index += length
            }
        }

        mutating func readArray(additional: UInt8, at start: Int, depth: Int) throws(CBORError) -> [CBORValue] {
            var elements: [CBORValue] = []
            if let count = try self.readLength(additional, at: start, minimumItemSize: 1) {
                elements.reserveCapacity(count)
                for _ in 0..<count {
                    elements.append(try self.readItem(depth: depth + 1))
                }
                return elements
            }
            while true {
                guard self.index < self.bytes.count else { throw .truncated(at: self.index) }
                if self.bytes[self.index] == 0xff {
                    self.index += 1
                    return elements
                }
                elements.append(try self.readItem(depth: depth + 1))
            }
        }

        mutating func readMap(additional: UInt8, at start: Int, depth: Int) throws(CBORError) -> CBORMap {
            var entries: [CBORMap.Entry] = []
            var previousKey: Range<Int>?
            // The keys seen so far, for the duplicate check: one hash per key instead of a scan of
            // every earlier key (a scan made a 12,000-key map cost 72 million comparisons).
            var seenKeys = Set<CBORValue>()
            let count = try self.readLength(additional, at: start, minimumItemSize: 2)
            if let count {
                entries.reserveCapacity(count)
                seenKeys.reserveCapacity(count)
            }
            while true {
                if let count {
                    if entries.count == count { break }
                } else {
                    guard self.index < self.bytes.count else { throw .truncated(at: self.index) }
                    if self.bytes[self.index] == 0xff {
                        self.index += 1
                        break
                    }
                }
                let keyStart = self.index
                let key = try self.readItem(depth: depth + 1)
                let keyRange = keyStart..<self.index
                if self.options.requireCanonicalMapOrder, let previous = previousKey,
                    !Self.canonicallyPrecedes(self.bytes[previous], self.bytes[keyRange])
                {
                    if self.bytes[previous].elementsEqual(self.bytes[keyRange]) {
                        throw .duplicateKey(at: keyStart)
                    }
                    throw CBORError(
                        code: .mapKeyOrder,
                        offset: keyStart,
                        reason: "map keys are not in CTAP2 canonical order"
                    )
                }
                // Duplicates are keys equal as values (`==`: 1 and a non-shortest 1, 0.0 and -0.0,
                // canonically equivalent text). A key holding a NaN equals no key, so it is never a
                // duplicate and stays out of the set, where equal hashes of unequal keys would
                // chain (12,000 NaN keys were quadratic again).
                if !key.containsNaN, !seenKeys.insert(key).inserted {
                    throw .duplicateKey(at: keyStart)
                }
                let value = try self.readItem(depth: depth + 1)
                entries.append(CBORMap.Entry(key: key, value: value))
                previousKey = keyRange
            }
            return CBORMap(uncheckedEntries: entries)
        }

        /// CTAP2 canonical order: lower major type first, then shorter encoding, then byte-wise.
        static func canonicallyPrecedes(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Bool {
            CBOREncoder.canonicalOrder(lhs, rhs)
        }

        mutating func readSimple(additional: UInt8, at start: Int) throws(CBORError) -> CBORValue {
            switch additional {
            case 20: return .boolean(false)
            case 21: return .boolean(true)
            case 22: return .null
            case 23: return .undefined
            case 0..<20: return .simple(additional)
            case 24:
                let value = try self.readByte()
                guard value >= 32 else {
                    throw CBORError(
                        code: .malformed,
                        offset: start,
                        reason: "simple value \(value) must use the one-byte form"
                    )
                }
                return .simple(value)
            case 25:
                return .float(Self.halfToDouble(UInt16(try self.readBigEndian(2))))
            case 26:
                return .float(Double(Float(bitPattern: UInt32(try self.readBigEndian(4)))))
            case 27:
                return .float(Double(bitPattern: try self.readBigEndian(8)))
            case 31:
                throw CBORError(
                    code: .malformed,
                    offset: start,
                    reason: "a \"break\" appears outside an indefinite-length item"
                )
            default:
                throw CBORError(
                    code: .malformed,
                    offset: start,
                    reason: "additional information \(additional) is reserved"
                )
            }
        }

        /// IEEE 754 binary16 to Double (RFC 8949 Appendix D).
        static func halfToDouble(_ half: UInt16) -> Double {
            let exponent = Int((half >> 10) & 0x1f)
            let mantissa = Double(half & 0x3ff)
            let magnitude: Double
            if exponent == 0 {
                magnitude = mantissa * 0x1p-24
            } else if exponent != 31 {
                magnitude = (mantissa + 1024) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
            } else {
                magnitude = mantissa == 0 ? .infinity : .nan
            }
            return half & 0x8000 != 0 ? -magnitude : magnitude
        }
    }
}
