import ArgumentParser

/// `fidoctl bench`: measures verification throughput (see BenchAssertions).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure verification throughput.",
        subcommands: []
    )
}
