/// A CBOR map (major type 5) that keeps its entries in the order they were decoded or added.
///
/// Maps in WebAuthn and CTAP2 are small, so lookup is a linear scan; the decoder guarantees
/// that keys are unique.
public struct CBORMap: Sendable, Hashable {
    /// One key/value pair of a map.
    public struct Entry: Sendable, Hashable {
        /// The entry's key.
        public var key: CBORValue
        /// The entry's value.
        public var value: CBORValue

        /// Creates an entry.
        public init(key: CBORValue, value: CBORValue) {
            self.key = key
            self.value = value
        }
    }

    /// The entries, in order.
    public private(set) var entries: [Entry]

    /// Creates an empty map.
    public init() {
        self.entries = []
    }

    /// Creates a map from entries. Later duplicates replace earlier ones.
    public init(_ pairs: [(CBORValue, CBORValue)]) {
        self.entries = []
        self.entries.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            self[key] = value
        }
    }

    init(uncheckedEntries: [Entry]) {
        self.entries = uncheckedEntries
    }

    /// The number of entries.
    public var count: Int { self.entries.count }

    /// Whether the map has no entries.
    public var isEmpty: Bool { self.entries.isEmpty }

    /// The keys, in order.
    public var keys: [CBORValue] { self.entries.map(\.key) }

    /// Looks up or sets the value for a key.
    public subscript(key: CBORValue) -> CBORValue? {
        get {
            for entry in self.entries where entry.key == key {
                return entry.value
            }
            return nil
        }
        set {
            if let index = self.entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    self.entries[index].value = newValue
                } else {
                    self.entries.remove(at: index)
                }
            } else if let newValue {
                self.entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Looks up the value for an integer key (CTAP2 and COSE maps).
    public subscript(key: Int) -> CBORValue? {
        self[CBORValue(key)]
    }

    /// Looks up the value for a text key (WebAuthn attestation objects).
    public subscript(key: String) -> CBORValue? {
        self[CBORValue.textString(key)]
    }
}

extension CBORMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (CBORValue, CBORValue)...) {
        self.init(elements)
    }
}
