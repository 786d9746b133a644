// The identifiers a security key reports (`AAGUID`, `COSEAlgorithm`) come from `FIDOTypes`, not
// from `WebAuthn`: a driver client gets them without X509, ASN.1 or Crypto.
@_exported public import FIDOTypes
