// `AAGUID` and the COSE identifiers live in `FIDOTypes`, which the `FIDO2` driver shares without
// this module's certificate and crypto dependencies; re-exported so that `import WebAuthn` keeps
// naming them.
@_exported public import FIDOTypes
