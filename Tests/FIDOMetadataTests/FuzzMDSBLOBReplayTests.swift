import FIDOKitTestSupport
@_spi(Fuzzing) import FIDOMetadata
import Testing
import WebAuthn

/// FuzzTesting's FuzzMDSBLOB inputs through the same parsers as the fuzz target: the compact JWS
/// and the BLOB payload (directly and inside the JWS). Each is read or refused, never a trap.
struct FuzzMDSBLOBReplayTests {
    @Test func everyFuzzInputIsReadOrRefused() {
        let inputs = FuzzCases.inputs("FuzzMDSBLOB")
        #expect(!inputs.isEmpty)
        var payloads = 0
        for (_, bytes) in inputs {
            if let jws = try? CompactJWS(bytes), (try? MetadataPayload(json: jws.payload)) != nil { payloads += 1 }
            if (try? MetadataPayload(json: bytes)) != nil { payloads += 1 }
        }
        #expect(payloads > 0)
    }
}
