@_spi(Fuzzing) import FIDOMetadata
import FuzzCommon
import WebAuthn

/// libFuzzer's entry: the input as a metadata BLOB (a compact JWS: header, x5c, signature) and
/// as a BLOB payload (JSON: `no`, `nextUpdate`, entries with statements, AAGUIDs, key
/// identifiers, status reports), also when it is the payload of a parsed JWS. The signature
/// check is left out: a mutated BLOB never verifies, so the parsers behind it would go unfuzzed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMDSBLOB(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.run(start, count) { bytes in
        if let jws = try? CompactJWS(bytes) {
            _ = try? MetadataPayload(json: jws.payload)
            _ = jws.certificateChain?.count
        }
        if let payload = try? MetadataPayload(json: bytes) {
            for entry in payload.entries {
                _ = entry.aaguid
                _ = entry.attestationCertificateKeyIdentifiers
            }
        }
    }
}
