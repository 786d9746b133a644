/// A TPM manufacturer as named in an AIK certificate's subject alternative name
/// (`tcg-at-tpmManufacturer`, "id:" and the vendor's four-byte capability id in hex).
public struct TPMManufacturer: Sendable, Hashable {
    /// `id:` and eight hex digits, as in the certificate (compared case-insensitively).
    public let id: String
    /// The vendor's name.
    public let name: String

    /// The ids of ``registered``.
    public static let registeredIDs = Set(Self.registered.map(\.id))

    /// The TCG TPM Vendor ID Registry (TCG "TPM Capabilities Vendor ID"), plus the FIDO Alliance's
    /// conformance-testing TPM (`id:FFFFF1D0`), which FIDO conformance tools and test vectors use.
    public static let registered: [TPMManufacturer] = [
        .init(id: "id:414D4400", name: "AMD"),
        .init(id: "id:41544D4C", name: "Atmel"),
        .init(id: "id:4252434D", name: "Broadcom"),
        .init(id: "id:4353434F", name: "Cisco"),
        .init(id: "id:464C5953", name: "Flyslice Technologies"),
        .init(id: "id:474F4F47", name: "Google"),
        .init(id: "id:48504500", name: "HPE"),
        .init(id: "id:48495349", name: "Huawei"),
        .init(id: "id:49424D00", name: "IBM"),
        .init(id: "id:49465800", name: "Infineon"),
        .init(id: "id:494E5443", name: "Intel"),
        .init(id: "id:4C454E00", name: "Lenovo"),
        .init(id: "id:4D534654", name: "Microsoft"),
        .init(id: "id:4E534D20", name: "National Semiconductor"),
        .init(id: "id:4E545A00", name: "Nationz"),
        .init(id: "id:4E544300", name: "Nuvoton Technology"),
        .init(id: "id:51434F4D", name: "Qualcomm"),
        .init(id: "id:524F4343", name: "Fuzhou Rockchip"),
        .init(id: "id:534D5343", name: "SMSC"),
        .init(id: "id:534D534E", name: "Samsung"),
        .init(id: "id:534E5300", name: "Sinosun"),
        .init(id: "id:53544D20", name: "ST Microelectronics"),
        .init(id: "id:54584E00", name: "Texas Instruments"),
        .init(id: "id:57454300", name: "Winbond"),
        .init(id: "id:FFFFF1D0", name: "FIDO Alliance conformance testing"),
    ]
}
