import Benchmark
import CBOR

/// Decoding cost over input size, where an attacker chooses the size: maps of 10 to 12,000
/// keys (12,000 short text keys fit in the server's 64 KiB body limit), the same with keys that
/// are never equal (NaN), long byte strings and deep nesting. Every figure should grow linearly
/// with the key count (`cpuTotal` per key roughly constant).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.cpuTotal, .wallClock, .mallocCountTotal, .throughput],
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    for count in [10, 100, 1_000, 12_000] {
        let textKeys = CBORSamples.map(count: count, key: CBORSamples.textKey)
        Benchmark("CBOR decode map, \(count) text keys") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try CBORDecoder(options: .strict).decode(textKeys))
            }
        }
        let integerKeys = CBORSamples.map(count: count, key: CBORSamples.integerKey)
        Benchmark("CBOR decode map, \(count) integer keys, canonical order") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try CBORDecoder(options: .ctap2Canonical).decode(integerKeys))
            }
        }
    }

    let nanKeys = CBORSamples.map(count: 12_000, key: { _ in [0xf9, 0x7e, 0x00] })
    Benchmark("CBOR decode map, 12000 NaN keys (lenient)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try CBORDecoder(options: .lenient).decode(nanKeys))
        }
    }

    let chunks = CBORSamples.indefiniteByteString(chunks: 16_000)
    Benchmark("CBOR decode indefinite byte string, 16000 chunks (lenient)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try CBORDecoder(options: .lenient).decode(chunks))
        }
    }
}
