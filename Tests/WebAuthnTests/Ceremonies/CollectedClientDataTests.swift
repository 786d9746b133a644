import FIDOKitTestSupport
import Foundation
import Testing
import WebAuthn

/// The strict clientDataJSON reader, checked against hand-picked cases and, differentially,
/// against Foundation's JSON parser on thousands of seeded mutations.
struct CollectedClientDataTests {
    static let valid = #"{"type":"webauthn.get","challenge":"AAEC","origin":"https://example.com","crossOrigin":false}"#

    func parse(_ text: String) -> CollectedClientData? {
        try? CollectedClientData(jsonBytes: Array(text.utf8))
    }

    @Test func readsTheFields() throws {
        let data = try #require(
            self.parse(
                #" { "type" : "webauthn.create", "challenge":"AAEC", "origin":"https:\/\/example.com", "crossOrigin":true, "topOrigin":"https://top.example", "other":[1,-2.5e3,{"a":null}], "androidPackageName":"x\u00e9\ud83d\ude00" } "#
            )
        )
        #expect(data.type == "webauthn.create")
        #expect(data.challenge == "AAEC")
        #expect(data.origin == "https://example.com")
        #expect(data.crossOrigin == true)
        #expect(data.topOrigin == "https://top.example")
    }

    @Test func serializationRoundTrips() throws {
        let data = CollectedClientData(
            type: "webauthn.get",
            challenge: "AAEC",
            origin: "https://ex\"ample.com",
            crossOrigin: true,
            topOrigin: "https://top.example"
        )
        let bytes = data.jsonBytes
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"type":"webauthn.get","challenge":"AAEC","origin":"#))
        #expect(try CollectedClientData(jsonBytes: bytes) == data)
        let plain = CollectedClientData(type: "webauthn.create", challenge: "AA", origin: "https://example.com")
        #expect(String(decoding: plain.jsonBytes, as: UTF8.self).hasSuffix(#""crossOrigin":false}"#))
    }

    @Test func tokenBindingIsReadOnlyWhenItIsAnObject() throws {
        #expect(self.parse(#"{"type":"t","challenge":"c","origin":"o","tokenBinding":"unused"}"#)?.tokenBinding == nil)
        let binding = self.parse(#"{"type":"t","challenge":"c","origin":"o","tokenBinding":{"status":"present","id":"x"}}"#)?.tokenBinding
        #expect(binding?.status == "present")
        #expect(binding?.id == "x")
    }

    @Test(arguments: [
        "", "[]", "null", #"{"type":"t","challenge":"c"}"#, #"{"type":1,"challenge":"c","origin":"o"}"#,
        #"{"type":"t","type":"u","challenge":"c","origin":"o"}"#, #"{"type":"t","challenge":"c","origin":"o"} x"#,
        #"{"type":"t","challenge":"c","origin":"o",}"#, #"{"type":"t","challenge":"c","origin":"o""#,
        "{\"type\":\"t\u{01}\",\"challenge\":\"c\",\"origin\":\"o\"}", #"{"type":"\x","challenge":"c","origin":"o"}"#,
        #"{"type":"\ud800","challenge":"c","origin":"o"}"#, #"{"type":"t","challenge":"c","origin":"o","n":01}"#,
        #"{"type":"t","challenge":"c","origin":"o","n":1.}"#, #"{"type":"t","challenge":"c","origin":"o","crossOrigin":"yes"}"#,
        #"{'type':"t","challenge":"c","origin":"o"}"#, #"{"type":"t","challenge":"c","origin":"o","x":tru}"#,
        #"{"type":"t","challenge":"c","origin":"o","x":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}",
    ])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: WebAuthnError(.malformedClientData, "")) { try CollectedClientData(jsonBytes: Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        var bytes = Array(Self.valid.utf8)
        bytes[10] = 0xff
        #expect(throws: WebAuthnError(.malformedClientData, "")) { try CollectedClientData(jsonBytes: bytes) }
    }

    @Test func agreesWithFoundationOnMutations() {
        var generator = SplitMix64(seed: 2024)
        let seeds = [
            Self.valid,
            #"{"type":"webauthn.create","challenge":"x-_y","origin":"android:apk-key-hash:abc","tokenBinding":{"status":"supported"},"n":[1,2,{"k":"v"}]}"#,
        ]
        var accepted = 0
        for seed in seeds {
            let original = Array(seed.utf8)
            for _ in 0..<4000 {
                var bytes = original
                switch generator.next() % 3 {
                case 0: bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next() % 128)
                case 1: bytes.remove(at: Int(generator.next() % UInt64(bytes.count)))
                default:
                    let punctuation = Array(#"{}[]",:\ 0e-"#.utf8)
                    bytes.insert(punctuation[Int(generator.next() % UInt64(punctuation.count))], at: Int(generator.next() % UInt64(bytes.count)))
                }
                guard let ours = try? CollectedClientData(jsonBytes: bytes) else { continue }
                accepted += 1
                // Whatever we accept, Foundation parses to the same three strings.
                let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
                #expect(object != nil, "\(String(decoding: bytes, as: UTF8.self))")
                #expect(object?["type"] as? String == ours.type)
                #expect(object?["challenge"] as? String == ours.challenge)
                #expect(object?["origin"] as? String == ours.origin)
            }
        }
        #expect(accepted > 100)
    }
}
