/// `TPMS_ATTEST` with `TPMS_CERTIFY_INFO` (TPM 2.0 Part 2 §10.12.8, §10.12.3): what the TPM's
/// attestation key signed, as WebAuthn's `certInfo`.
struct TPMCertifyInfo {
    /// `TPM_GENERATED_VALUE`: the structure was made by a TPM.
    static let generatedValue: UInt32 = 0xff54_4347
    /// `TPM_ST_ATTEST_CERTIFY`.
    static let attestCertify: UInt16 = 0x8017

    var magic: UInt32
    var type: UInt16
    var extraData: [UInt8]
    /// The certified object's name: its name algorithm, then the hash of its public area.
    var attestedName: [UInt8]

    init(_ bytes: [UInt8]) throws(TPMByteReader.Truncated) {
        var reader = TPMByteReader(bytes)
        self.magic = try reader.uint32()
        self.type = try reader.uint16()
        _ = try reader.sized()  // qualifiedSigner
        self.extraData = try reader.sized()
        _ = try reader.take(17)  // clockInfo: clock, resetCount, restartCount, safe
        _ = try reader.uint64()  // firmwareVersion
        self.attestedName = try reader.sized()
        _ = try reader.sized()  // qualifiedName
        try reader.requireEnd()
    }
}
