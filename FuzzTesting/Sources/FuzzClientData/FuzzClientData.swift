import FuzzCommon
import WebAuthn

/// libFuzzer's entry: the input as clientDataJSON (the allocation-light reader), as a JSON
/// document (``JSONNode``, the scanner behind RegistrationResponseJSON and
/// AuthenticationResponseJSON) and as both response documents.
///
/// Checks: client data that parses survives writing (``CollectedClientData/jsonBytes``) and
/// reading back; its origin is parsed as a web origin or refused.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientData(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzInput.run(start, count) { bytes in
        if let clientData = try? CollectedClientData(jsonBytes: bytes) {
            // What the W3C serialization keeps: everything but tokenBinding, crossOrigin as a bool.
            guard let again = try? CollectedClientData(jsonBytes: clientData.jsonBytes),
                again.type == clientData.type, again.challenge == clientData.challenge,
                again.origin == clientData.origin, again.topOrigin == clientData.topOrigin,
                again.crossOrigin == (clientData.crossOrigin == true)
            else {
                fatalError("client data does not survive writing and reading back")
            }
            if let origin = try? RelyingParty.parseWebOrigin(clientData.origin) {
                _ = RelyingParty.origin(origin, mayUse: "example.com")
            }
            _ = try? RelyingParty.validateID(clientData.origin)
        }
        _ = try? JSONNode.parse(bytes)
        _ = try? RegistrationResponseJSON(jsonBytes: bytes)
        _ = try? AuthenticationResponseJSON(jsonBytes: bytes)
    }
}
