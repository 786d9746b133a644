/// Markup built from escaped pieces: text goes in through ``text(_:)`` (escaped), markup through
/// string literals written here. Nothing a member typed reaches a page unescaped.
struct HTML: Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    private(set) var markup: String

    init(stringLiteral value: String) {
        self.markup = value
    }

    init(trusted markup: String) {
        self.markup = markup
    }

    /// Escaped text.
    static func text(_ value: String) -> HTML {
        var escaped = ""
        escaped.reserveCapacity(value.count)
        for character in value {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return HTML(trusted: escaped)
    }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.markup + rhs.markup) }

    static func join(_ parts: [HTML]) -> HTML { HTML(trusted: parts.map(\.markup).joined()) }

    var description: String { self.markup }
}

extension String.StringInterpolation {
    /// `\(html: x)` inserts markup; plain `\(x)` in an `HTML` literal is not possible, so a page
    /// author has to say which one is meant.
    mutating func appendInterpolation(html: HTML) {
        self.appendLiteral(html.markup)
    }
}
