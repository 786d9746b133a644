import Foundation

// The containers of ``StreamingJSONWriter``: each knows the frame it writes into.

struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: StreamingJSONWriter
    let frame: Int

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeNull()
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        try self.writer.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        try self.writer.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int8, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int16, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int32, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        self.writer.writeBool(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.writer.beginMember(of: self.frame, key: key)
        try self.writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        self.writer.beginMember(of: self.frame, key: key)
        return KeyedEncodingContainer(
            KeyedContainer<NestedKey>(writer: self.writer, frame: self.writer.push(UInt8(ascii: "{")))
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        self.writer.beginMember(of: self.frame, key: key)
        return UnkeyedContainer(writer: self.writer, frame: self.writer.push(UInt8(ascii: "[")))
    }

    mutating func superEncoder() -> any Encoder {
        self.writer.unsupported = true
        return self.writer
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.writer.unsupported = true
        return self.writer
    }
}

struct UnkeyedContainer: UnkeyedEncodingContainer {
    let writer: StreamingJSONWriter
    let frame: Int

    var codingPath: [any CodingKey] { [] }

    var count: Int { self.writer.frames.indices.contains(self.frame) ? self.writer.frames[self.frame].count : 0 }

    mutating func encodeNil() throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeNull()
    }

    mutating func encode(_ value: String) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        self.writer.beginMember(of: self.frame)
        try self.writer.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Float) throws {
        self.writer.beginMember(of: self.frame)
        try self.writer.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Int) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int8) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int16) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int32) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int64) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt8) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt16) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt32) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt64) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Bool) throws {
        self.writer.beginMember(of: self.frame)
        self.writer.writeBool(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.writer.beginMember(of: self.frame)
        try self.writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        self.writer.beginMember(of: self.frame)
        return KeyedEncodingContainer(
            KeyedContainer<NestedKey>(writer: self.writer, frame: self.writer.push(UInt8(ascii: "{")))
        )
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        self.writer.beginMember(of: self.frame)
        return UnkeyedContainer(writer: self.writer, frame: self.writer.push(UInt8(ascii: "[")))
    }

    mutating func superEncoder() -> any Encoder {
        self.writer.unsupported = true
        return self.writer
    }
}

struct SingleValueContainer: SingleValueEncodingContainer {
    let writer: StreamingJSONWriter

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws {
        self.writer.beginSingleValue()
        self.writer.writeNull()
    }

    mutating func encode(_ value: String) throws {
        self.writer.beginSingleValue()
        self.writer.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        self.writer.beginSingleValue()
        try self.writer.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Float) throws {
        self.writer.beginSingleValue()
        try self.writer.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Int) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int8) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int16) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int32) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Int64) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt8) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt16) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt32) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: UInt64) throws {
        self.writer.beginSingleValue()
        self.writer.writeInteger(value)
    }

    mutating func encode(_ value: Bool) throws {
        self.writer.beginSingleValue()
        self.writer.writeBool(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.writer.beginSingleValue()
        try self.writer.encodeValue(value)
    }
}
