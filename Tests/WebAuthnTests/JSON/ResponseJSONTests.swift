import Foundation
import Testing
import WebAuthn

/// The W3C JSON serialization: the fast reader and the Codable conformance agree, unknown
/// fields are ignored, wrong types are rejected.
struct ResponseJSONTests {
    @Test(arguments: PeerSampleTests.samples)
    func fastReaderAgreesWithCodable(_ sample: PeerSampleTests.Sample) throws {
        let response = try JSONSerialization.data(withJSONObject: try #require(sample.json["response"]))
        if sample.json["ceremony"] as? String == "registration" {
            let codable = try? JSONDecoder().decode(RegistrationResponseJSON.self, from: response)
            let fast = try? RegistrationResponseJSON(jsonBytes: Array(response))
            #expect(codable == fast)
            #expect(fast != nil)
        } else {
            let codable = try? JSONDecoder().decode(AuthenticationResponseJSON.self, from: response)
            let fast = try? AuthenticationResponseJSON(jsonBytes: Array(response))
            #expect(codable == fast)
            #expect(fast != nil)
        }
    }

    static let valid = #"{"id":"AQID","rawId":"AQID","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}}"#

    func code(_ text: String) -> WebAuthnError.Code? {
        do {
            _ = try AuthenticationResponseJSON(jsonBytes: Array(text.utf8))
            return nil
        } catch {
            return error.code
        }
    }

    @Test func unknownFieldsAreIgnoredAndNullIsAbsent() throws {
        let text =
            #"{"id":"AQID","rawId":"AQID","type":"public-key","extra":{"deep":[1,2,3]},"authenticatorAttachment":null,"#
            + #""clientExtensionResults":{"appid":true,"other":1},"response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA","userHandle":null}}"#
        let response = try AuthenticationResponseJSON(jsonBytes: Array(text.utf8))
        #expect(response.rawID.bytes == [1, 2, 3])
        #expect(response.response.userHandle == nil)
        #expect(response.clientExtensionResults?.appid == true)
        #expect(self.code(Self.valid) == nil)
    }

    @Test(arguments: [
        #"{"id":"AQID","rawId":5,"type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}}"#,
        #"{"id":"AQID","rawId":"A!ID","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}}"#,
        #"{"id":"AQID","rawId":"AQID","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA"}}"#,
        #"{"id":"AQID","rawId":"AQID","type":"public-key","response":"x"}"#,
        #"{"id":"AQID","rawId":"AQID","type":"public-key","clientExtensionResults":{"appid":"yes"},"response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}}"#,
        #"{"id":"AQID","rawId":"AQID","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}} {}"#,
        #"{"id":"AQID","id":"AQID","rawId":"AQID","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}}"#,
        #"{"rawId":"AQID","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"}}"#,
        "[" + String(repeating: "[", count: 70) + String(repeating: "]", count: 71),
    ])
    func wrongShapesAreRejected(_ text: String) {
        #expect(self.code(text) == .malformedJSON)
    }

    @Test func registrationTransportsMustBeStrings() {
        let text = #"{"id":"AQ","rawId":"AQ","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA","transports":["usb",1]}}"#
        #expect(throws: WebAuthnError(.malformedJSON, "")) { try RegistrationResponseJSON(jsonBytes: Array(text.utf8)) }
    }

    @Test func jsonNodeReadsEveryKindOfValue() throws {
        let node = try JSONNode.parse(Array(#" {"a":[true,false,null,-1.5e-3,"\u00e9\n"],"b":{}} "#.utf8))
        let object = try #require(node.objectValue)
        #expect(object["a"] == .array([.bool(true), .bool(false), .null, .number("-1.5e-3"), .string("é\n")]))
        #expect(object["b"] == .object(try #require(JSONNode.parse(Array("{}".utf8)).objectValue)))
    }
}

/// `WebAuthnError` records where it was thrown, for logs; equality and verdicts ignore it.
struct WebAuthnErrorPlaceTests {
    @Test func anErrorNamesTheFileAndLineThatThrewIt() {
        let error = WebAuthnError(.challengeMismatch, "x")
        #expect(error.thrownAt.hasSuffix("ResponseJSONTests.swift:\(#line - 1)"))
        #expect(error.debugDescription.contains(error.thrownAt))
        #expect(!error.description.contains("ResponseJSONTests"))
        #expect(error == WebAuthnError(.challengeMismatch, "y"))
        // A parse failure names the parser's line, not the error type's.
        do {
            _ = try RegistrationResponseJSON(jsonBytes: Array(#"{"id":"AA"}"#.utf8))
            Issue.record("parsed")
        } catch {
            #expect(error.thrownAt.contains("ResponseJSON+JSONNode.swift") || error.thrownAt.contains("JSONNode.swift"))
        }
    }
}
