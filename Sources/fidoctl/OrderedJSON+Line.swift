import StreamingJSON

extension OrderedJSON {
    /// The value as fidoctl prints it, one line of JSON: control characters other than line
    /// breaks and tab as `\u00XX`, the form scripts reading `fidoctl`'s output have always had.
    var jsonLine: String {
        self.serialized(escaping: .unicodeExceptLineBreaksAndTab)
    }
}
