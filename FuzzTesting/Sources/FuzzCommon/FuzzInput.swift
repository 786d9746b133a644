#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every fuzz target's `LLVMFuzzerTestOneInput` runs its input through: the bytes as an
/// array, and a bound on the CPU time one input may take.
///
/// A unit that takes more than ``slowUnitMilliseconds`` of this process's CPU time (all threads,
/// so another process's load does not count) is a failure: libFuzzer saves it as a crash, and it
/// becomes a regression fixture like any other (an input that makes a decoder slow is a
/// denial of service). The first input is exempt: it pays for one-time initialisation.
public enum FuzzInput {
    /// The most CPU time one input may take.
    public static let slowUnitMilliseconds: Int64 = 100

    nonisolated(unsafe) private static var warmedUp = false

    /// Runs `body` on the input `start`/`count`; returns 0, as libFuzzer expects.
    public static func run(_ start: UnsafeRawPointer?, _ count: Int, _ body: ([UInt8]) -> Void) -> CInt {
        let bytes = start.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
        let before = self.cpuNanoseconds()
        body(bytes)
        let milliseconds = (self.cpuNanoseconds() - before) / 1_000_000
        if self.warmedUp, milliseconds > self.slowUnitMilliseconds {
            fatalError(
                "slow unit: \(milliseconds) ms of CPU time for \(count) bytes (bound \(self.slowUnitMilliseconds) ms)"
            )
        }
        self.warmedUp = true
        return 0
    }

    static func cpuNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
