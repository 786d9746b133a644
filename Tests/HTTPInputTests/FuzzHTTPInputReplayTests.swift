import FIDOKitTestSupport
import HTTPInput
import Testing

/// FuzzTesting's FuzzHTTPInput inputs, through the fuzz target's checks: a decoded form survives
/// encoding and decoding again, a canonical path is canonical, an address has one spelling.
struct FuzzHTTPInputReplayTests {
    static func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + String(byte >> 4, radix: 16) + String(byte & 0x0f, radix: 16)
            }
        }
        return output
    }

    @Test func everyFuzzInputDecodesOrIsRefusedAndKeepsItsPromises() throws {
        let inputs = FuzzCases.inputs("FuzzHTTPInput")
        #expect(!inputs.isEmpty)
        var decided = 0
        for (name, bytes) in inputs {
            let text = String(decoding: bytes, as: UTF8.self)
            if let form = try? URLEncodedForm(decoding: bytes) {
                decided += 1
                let written = form.fields.map { Self.encode($0.name) + "=" + Self.encode($0.value) }
                #expect(try URLEncodedForm(decoding: Array(written.joined(separator: "&").utf8)) == form, "\(name)")
            }
            _ = try? CookieHeader(text.split(separator: "\n").map(String.init))
            if let path = try? RequestPath(text) {
                decided += 1
                let again = try RequestPath(path.canonical)
                #expect(again.wasCanonical && again.segments == path.segments, "\(name)")
            }
            if let address = try? IPAddress(text) {
                decided += 1
                #expect(try IPAddress(address.description) == address, "\(name)")
            }
            if let authority = try? RequestAuthority(text) {
                decided += 1
                #expect(try RequestAuthority(authority.description) == authority, "\(name)")
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let resolver = ClientAddressResolver(trustedProxies: lines.compactMap { try? IPAddressRange($0) })
            let client = resolver.clientAddress(
                peer: lines.first,
                forwarded: Array(lines.dropFirst().prefix(2)),
                forwardedFor: Array(lines.dropFirst(3))
            )
            #expect(client == lines.first || (try? IPAddress(client))?.description == client, "\(name)")
        }
        #expect(decided > 0)
    }
}
