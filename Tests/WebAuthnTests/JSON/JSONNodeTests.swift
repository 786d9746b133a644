import Glibc
import Testing
import WebAuthn

/// The strict JSON parser behind the response documents: duplicate member names at any object
/// size, and time linear in the number of members.
struct JSONNodeTests {
    static func object(members count: Int, repeating repeated: Int? = nil) -> [UInt8] {
        var names = (0..<count).map { "m\($0)" }
        if let repeated { names.append("m\(repeated)") }
        return Array(("{" + names.map { "\"\($0)\":0" }.joined(separator: ",") + "}").utf8)
    }

    @Test(arguments: [2, 16, 17, 100, 5_000])
    func aRepeatedNameIsRefusedInObjectsOfAnySize(_ count: Int) throws {
        #expect(throws: WebAuthnError.self) { try JSONNode.parse(Self.object(members: count, repeating: 0)) }
        #expect(throws: WebAuthnError.self) { try JSONNode.parse(Self.object(members: count, repeating: count - 1)) }
        let parsed = try JSONNode.parse(Self.object(members: count))
        #expect(parsed.objectValue?.members.count == count)
        #expect(parsed.objectValue?["m\(count - 1)"] == .number("0"))
    }

    /// 8× the members must cost about 8× the CPU time, not 64× (a scan per member did).
    @Test func parsingTimeGrowsLinearlyWithTheMemberCount() throws {
        let small = Self.object(members: 1_500)
        let large = Self.object(members: 12_000)
        var fastestSmall = UInt64.max
        var fastestLarge = UInt64.max
        for _ in 0..<5 {
            fastestSmall = min(fastestSmall, try Self.cpuNanoseconds { _ = try JSONNode.parse(small) })
            fastestLarge = min(fastestLarge, try Self.cpuNanoseconds { _ = try JSONNode.parse(large) })
            if fastestLarge < 24 * fastestSmall { break }
        }
        let ratio = Double(fastestLarge) / Double(max(fastestSmall, 1))
        #expect(ratio < 24, "12,000 members took \(ratio)× the time of 1,500")
    }

    static func cpuNanoseconds(_ body: () throws -> Void) throws -> UInt64 {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        try body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return UInt64(max((end.tv_sec - start.tv_sec) * 1_000_000_000 + (end.tv_nsec - start.tv_nsec), 0))
    }
}
