extension CBORValue: CustomStringConvertible {
    /// The item in RFC 8949 §8 diagnostic notation, e.g. `{1: 2, "a": h'0102'}`.
    public var description: String {
        switch self {
        case .unsigned(let value):
            return String(value)
        case .negative(let value):
            return value == .max ? "-18446744073709551616" : "-\(value + 1)"
        case .byteString(let bytes):
            return "h'" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() + "'"
        case .textString(let text):
            var escaped = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped + "\""
        case .array(let elements):
            return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .map(let map):
            return "{" + map.entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .tagged(let tag, let content):
            return "\(tag)(\(content))"
        case .boolean(let flag):
            return flag ? "true" : "false"
        case .null:
            return "null"
        case .undefined:
            return "undefined"
        case .simple(let value):
            return "simple(\(value))"
        case .float(let value):
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
            return String(value)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
