/// RFC 3492 Punycode decoding, for checking the A-labels (`xn--…`) of an e-mail domain: a label
/// that does not decode is not a domain anyone can register.
enum Punycode {
    static let base: UInt32 = 36
    static let tMin: UInt32 = 1
    static let tMax: UInt32 = 26
    static let skew: UInt32 = 38
    static let damp: UInt32 = 700
    static let initialBias: UInt32 = 72
    static let initialN: UInt32 = 0x80

    /// The Unicode scalars `encoded` (a label without its `xn--`) stands for, or `nil` if it is
    /// not valid Punycode: a character outside `a-z`, `0-9`, `-`; a basic part that is not
    /// ASCII; a truncated or overflowing number; a code point that is not a Unicode scalar.
    static func decode(_ encoded: Substring) -> [Unicode.Scalar]? {
        let scalars = Array(encoded.unicodeScalars)
        guard scalars.allSatisfy(\.isASCII) else { return nil }
        var output: [Unicode.Scalar] = []
        var start = 0
        if let delimiter = scalars.lastIndex(of: "-") {
            output = Array(scalars[..<delimiter])
            start = delimiter + 1
        }
        var n = Self.initialN
        var bias = Self.initialBias
        var i: UInt32 = 0
        var position = start
        while position < scalars.count {
            let oldI = i
            var w: UInt32 = 1
            var k = Self.base
            while true {
                guard position < scalars.count, let digit = Self.digit(scalars[position]) else { return nil }
                position += 1
                let (product, overflow) = digit.multipliedReportingOverflow(by: w)
                guard !overflow, i <= UInt32.max - product else { return nil }
                i += product
                let t = k <= bias ? Self.tMin : (k >= bias + Self.tMax ? Self.tMax : k - bias)
                if digit < t { break }
                let (next, wOverflow) = w.multipliedReportingOverflow(by: Self.base - t)
                guard !wOverflow else { return nil }
                w = next
                k += Self.base
            }
            let count = UInt32(output.count + 1)
            bias = Self.adapt(i - oldI, count: count, first: oldI == 0)
            guard i / count <= UInt32.max - n else { return nil }
            n += i / count
            i %= count
            guard n >= Self.initialN, let scalar = Unicode.Scalar(n) else { return nil }
            output.insert(scalar, at: Int(i))
            i += 1
        }
        return output
    }

    /// A Punycode digit's value (lower-case letters only: the domain is lower-cased first).
    static func digit(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "a"..."z": scalar.value - 0x61
        case "0"..."9": scalar.value - 0x30 + 26
        default: nil
        }
    }

    /// RFC 3492 §6.1's bias adaptation.
    static func adapt(_ delta: UInt32, count: UInt32, first: Bool) -> UInt32 {
        var delta = first ? delta / Self.damp : delta / 2
        delta += delta / count
        var k: UInt32 = 0
        while delta > ((Self.base - Self.tMin) * Self.tMax) / 2 {
            delta /= Self.base - Self.tMin
            k += Self.base
        }
        return k + (((Self.base - Self.tMin + 1) * delta) / (delta + Self.skew))
    }
}
