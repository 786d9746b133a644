import ArgumentParser

/// `fidoctl bench`: measures verification throughput and writes benchmark inputs.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure verification throughput and write benchmark inputs.",
        subcommands: [
            BenchAssertions.self, BenchMakeBatch.self, BenchRoundTrip.self, BenchSignIns.self, BenchServer.self,
        ]
    )
}
