import CBOR
import FIDOKitTestSupport
import Testing

struct CBOREncoderTests {
    @Test func mapsAreWrittenInCTAP2CanonicalOrder() {
        let map: CBORMap = ["authData": 1, "fmt": 2, "attStmt": 3, -1: 4, 3: 5, 1: 6, -2: 7]
        let encoded = CBOREncoder().encode(.map(map))
        let decoded = try? CBORDecoder(options: .ctap2Canonical).decode(encoded)
        #expect(decoded?.mapValue?.keys == [1, 3, -1, -2, "fmt", "attStmt", "authData"])
    }

    @Test func nonCanonicalEncoderKeepsInsertionOrder() {
        let map: CBORMap = [3: 0, 1: 0]
        #expect(CBOREncoder(canonical: false).encode(.map(map)) == [0xa2, 0x03, 0x00, 0x01, 0x00])
    }

    @Test(arguments: [
        (0.0, "f90000"), (1.5, "f93e00"), (65504.0, "f97bff"), (100000.0, "fa47c35000"),
        (1.1, "fb3ff199999999999a"), (5.960464477539063e-8, "f90001"), (-4.0, "f9c400"),
    ])
    func floatsUseTheShortestExactWidth(_ value: Double, _ hex: String) {
        #expect(CBOREncoder().encode(.float(value)).hex == hex)
    }

    @Test func integersUseTheShortestForm() {
        #expect(CBOREncoder().encode(CBORValue(23)).hex == "17")
        #expect(CBOREncoder().encode(CBORValue(24)).hex == "1818")
        #expect(CBOREncoder().encode(CBORValue(-257)).hex == "390100")
        #expect(CBOREncoder().encode(CBORValue(-65535)).hex == "39fffe")
        #expect(CBOREncoder().encode(.unsigned(.max)).hex == "1bffffffffffffffff")
    }
}
