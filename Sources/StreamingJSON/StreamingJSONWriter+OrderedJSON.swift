extension StreamingJSONWriter {
    /// Writes `value` and everything in it; a ``OrderedJSON`` needs no container frames.
    func write(_ value: OrderedJSON) {
        switch value {
        case .string(let text): self.writeString(text)
        case .int(let number): self.writeInteger(number)
        case .bool(let flag): self.writeBool(flag)
        case .array(let elements):
            self.bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.write(element)
            }
            self.bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            self.bytes.append(UInt8(ascii: "{"))
            for (index, (name, member)) in members.enumerated() {
                if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.writeString(name)
                self.bytes.append(UInt8(ascii: ":"))
                self.write(member)
            }
            self.bytes.append(UInt8(ascii: "}"))
        }
    }
}
