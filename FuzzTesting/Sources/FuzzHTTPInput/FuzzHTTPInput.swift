import FuzzCommon
import HTTPInput

/// libFuzzer's entry: the input as a form body, a query, a Cookie header, a request path, an
/// address and an address range, and (split at newlines) a peer with forwarding headers.
///
/// Checks, beyond "no trap, no leak, no slow unit":
/// - a form that decodes, written back percent-encoded, decodes to the same fields;
/// - a path that parses has a canonical spelling that parses to itself;
/// - an address that parses has one spelling: its description parses to the same address;
/// - a `Host` that parses has one spelling: its description parses to the same host and port;
/// - the client address of a request is the peer as given, or an address in its one spelling.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.run(start, count) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        if let form = try? URLEncodedForm(decoding: bytes) {
            let written = form.fields.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
            guard let again = try? URLEncodedForm(decoding: Array(written.utf8)), again == form else {
                fatalError("a decoded form does not survive encoding and decoding again")
            }
            _ = try? form.single()
        }
        _ = try? URLEncodedForm(query: text)
        _ = try? CookieHeader(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        if let path = try? RequestPath(text) {
            guard let again = try? RequestPath(path.canonical), again.wasCanonical, again.segments == path.segments
            else {
                fatalError("a canonical path is not canonical")
            }
        }
        if let address = try? IPAddress(text) {
            guard let again = try? IPAddress(address.description), again == address,
                again.description == address.description
            else { fatalError("an address has two spellings") }
        }
        if let authority = try? RequestAuthority(text) {
            guard let again = try? RequestAuthority(authority.description), again == authority else {
                fatalError("a host has two spellings")
            }
        }
        if let range = try? IPAddressRange(text) {
            guard range.contains(range.network) else { fatalError("a range does not contain its network") }
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let peer = lines.first else { return }
        let resolver = ClientAddressResolver(trustedProxies: lines.compactMap { try? IPAddressRange($0) })
        let forwarded = Array(lines.dropFirst().prefix(2))
        let forwardedFor = Array(lines.dropFirst(3))
        let client = resolver.clientAddress(peer: peer, forwarded: forwarded, forwardedFor: forwardedFor)
        if client != peer {
            guard let address = try? IPAddress(client), address.description == client else {
                fatalError("the client address \(client) is neither the peer nor an address in one spelling")
            }
        }
    }
}

/// `text` percent-encoded except for unreserved characters.
func encode(_ text: String) -> String {
    var output = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            output.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let digits = Array("0123456789ABCDEF".unicodeScalars)
            output.unicodeScalars.append("%")
            output.unicodeScalars.append(digits[Int(byte >> 4)])
            output.unicodeScalars.append(digits[Int(byte & 0x0f)])
        }
    }
    return output
}
